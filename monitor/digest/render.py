"""Render a DayDigest as a static site (HTML pages, Atom feed, CSS): pure.

Owns jinja2 for monitor. Templates autoescape HTML/XML; charts are built by
``charts`` (escaped there) and marked safe. All links inside the site are
relative, so the folder works from disk and from any web server.
Touches: the templates directory (read).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import jinja2
from markupsafe import Markup

from monitor.digest import charts, words
from monitor.digest.model import DayDigest, StoryCard, TrackView
from monitor.errors import DigestError

FEED_NAMESPACE = uuid.UUID("5d1f4c36-2a8e-4f43-9b59-6a1d0e3f8c21")
CARD_LINKS = 6


def default_templates_dir() -> Path:
    """The repository's top-level ``templates/`` directory."""
    return Path(__file__).resolve().parents[2] / "templates"


def environment(templates_dir: Path) -> jinja2.Environment:
    """A jinja2 environment: autoescaped HTML/XML, strict undefined, digest filters."""
    if not templates_dir.is_dir():
        raise DigestError(f"templates directory not found: {templates_dir}")
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir)),
        autoescape=jinja2.select_autoescape(
            enabled_extensions=("html", "xml", "svg"), default_for_string=True, default=False
        ),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        when=lambda d: f"{d:%Y-%m-%d %H:%M}",
        hm=lambda d: f"{d:%H:%M}",
        iso=lambda d: d.isoformat(),
        longday=long_day,
        chart=chart,
    )
    env.globals.update(card_links=CARD_LINKS)
    return env


def long_day(day: date) -> str:
    return words.long_date(day.year, day.month, day.day, day.weekday())


def chart(track: TrackView) -> Markup:
    """The escaped inline SVG of a track (empty when it has a single value)."""
    return Markup(charts.track_svg(track)) if track.moved else Markup("")


def render(env: jinja2.Environment, name: str, **context: object) -> str:
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateError as e:
        raise DigestError(f"cannot render {name}: {e}") from e


def render_chunks(env: jinja2.Environment, name: str, **context: object) -> Iterator[str]:
    """``render``'s text in the pieces jinja2 makes it of: a day's page is a few MB of
    text, and joining its pieces held ~8 times that at once."""
    try:
        yield from env.get_template(name).generate(**context)
    except jinja2.TemplateError as e:
        raise DigestError(f"cannot render {name}: {e}") from e


def day_path(day: date) -> str:
    return f"days/{day.isoformat()}.html"


def story_path(card: StoryCard) -> str:
    return f"stories/{card.slug}.html"


def render_site(digest: DayDigest, archive: Sequence[date], templates_dir: Path) -> dict[str, str]:
    """Relative path -> content of every file of the site for ``digest`` (``site_files``)."""
    return {path: "".join(chunks) for path, chunks in site_files(digest, archive, templates_dir)}


def site_files(
    digest: DayDigest, archive: Sequence[date], templates_dir: Path
) -> Iterator[tuple[str, Iterator[str]]]:
    """(relative path, content in pieces) of every file of the site for ``digest``, one
    at a time, story pages first, then the pages that link to them: a writer need hold
    neither the whole site (tens of MB) nor a whole page. Consume each page's pieces
    before asking for the next page.

    ``archive`` lists the days whose pages exist (the digest's day is always
    added). ``index.html`` shows the digest's cards when it is the latest day;
    when an older day is re-rendered it points to the latest day's page instead.
    """
    env = environment(templates_dir)
    days = sorted(set(archive) | {digest.day}, reverse=True)
    position = days.index(digest.day)
    newer = days[position - 1] if position > 0 else None
    older = days[position + 1] if position + 1 < len(days) else None
    common: dict[str, object] = {
        "digest": digest,
        "archive": days,
        "newer": newer,
        "older": older,
        "latest": days[0],
    }
    for card in digest.cards:
        yield (
            story_path(card),
            render_chunks(env, "story.html", root="../", page="story", card=card, **common),
        )
    yield "style.css", render_chunks(env, "style.css")
    yield (
        "feed.xml",
        render_chunks(
            env,
            "feed.xml",
            entries=feed_entries(digest, days),
            feed_id=uuid.uuid5(FEED_NAMESPACE, digest.title).urn,
            **common,
        ),
    )
    yield day_path(digest.day), render_chunks(env, "day.html", root="../", page="day", **common)
    yield "index.html", render_chunks(env, "index.html", root="", page="index", **common)


def feed_entries(digest: DayDigest, days: Sequence[date]) -> list[dict[str, str]]:
    """One Atom entry per archive day, newest first; ids and times derive from the day only."""
    tz = ZoneInfo(digest.tz)
    out = []
    for day in days:
        end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz)
        out.append(
            {
                "title": f"{digest.title} \u2014 {long_day(day)}",
                "href": day_path(day),
                "id": uuid.uuid5(FEED_NAMESPACE, f"{digest.title}\n{day.isoformat()}").urn,
                "updated": end.isoformat(),
                "day": day.isoformat(),
            }
        )
    return out
