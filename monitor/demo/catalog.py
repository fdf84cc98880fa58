"""The bundled demo outlets: manifest, feed templates and the answer key.

Reads package data under ``monitor/demo/feeds/`` (``outlets.json``, the feed
templates ``*.xml`` and ``stories.json``) through importlib.resources, and
renders all feeds for an explicit ``now``. No clock, no network; the only
I/O is reading those packaged files.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any, Literal

from monitor.demo.render import DemoError, render_feed

FeedFormat = Literal["rss", "atom"]
CONTENT_TYPES: dict[str, str] = {
    "rss": "application/rss+xml; charset=utf-8",
    "atom": "application/atom+xml; charset=utf-8",
}


def feeds_dir() -> Traversable:
    """The packaged directory holding the demo feed templates."""
    return files("monitor.demo").joinpath("feeds")


@dataclass(frozen=True, slots=True)
class Outlet:
    """One demo outlet: a feed template file served at ``/<path>``."""

    id: str
    name: str
    language: str
    file: str
    path: str
    format: FeedFormat
    wire: bool = False

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.format]


@dataclass(frozen=True, slots=True)
class Figure:
    """A number an item states about its story, as it appears in the text."""

    what: str
    value: float
    qualifier: str
    text: str


@dataclass(frozen=True, slots=True)
class TruthItem:
    """Where one demo item belongs: its story, and the wire item it copies."""

    outlet: str
    guid: str
    story: str
    copy_of: str | None = None
    figures: tuple[Figure, ...] = ()


@dataclass(frozen=True, slots=True)
class Truth:
    """The answer key of the demo: stories, item memberships, hard negatives."""

    stories: dict[str, str]
    items: tuple[TruthItem, ...]
    hard_negatives: tuple[tuple[str, str], ...]

    def story_of(self, outlet: str, guid: str) -> str | None:
        for item in self.items:
            if item.outlet == outlet and item.guid == guid:
                return item.story
        return None

    def members(self, story: str) -> tuple[TruthItem, ...]:
        return tuple(i for i in self.items if i.story == story)


def _read_json(directory: Traversable, name: str) -> Any:
    try:
        return json.loads(directory.joinpath(name).read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise DemoError(f"cannot read demo {name}: {e}") from e


def _str(entry: dict[str, Any], key: str, where: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value:
        raise DemoError(f"{where}: {key!r} must be a non-empty string")
    return value


def load_outlets(directory: Traversable | None = None) -> tuple[Outlet, ...]:
    """Parse ``outlets.json``; ids and paths must be unique, formats rss or atom."""
    data = _read_json(directory or feeds_dir(), "outlets.json")
    rows = data.get("outlets") if isinstance(data, dict) else None
    if not isinstance(rows, list):
        raise DemoError('outlets.json: expected {"outlets": [...]}')
    outlets: list[Outlet] = []
    for n, row in enumerate(rows):
        where = f"outlets.json[{n}]"
        if not isinstance(row, dict):
            raise DemoError(f"{where}: expected an object")
        fmt = _str(row, "format", where)
        if fmt not in CONTENT_TYPES:
            raise DemoError(f"{where}: format must be 'rss' or 'atom', got {fmt!r}")
        path = _str(row, "path", where).lstrip("/")
        outlets.append(
            Outlet(
                id=_str(row, "id", where),
                name=_str(row, "name", where),
                language=_str(row, "language", where),
                file=_str(row, "file", where),
                path=path,
                format="rss" if fmt == "rss" else "atom",
                wire=bool(row.get("wire", False)),
            )
        )
    for attr in ("id", "path", "file", "name"):
        values = [getattr(o, attr) for o in outlets]
        if len(set(values)) != len(values):
            raise DemoError(f"outlets.json: duplicate {attr}")
    return tuple(outlets)


def load_template(outlet: Outlet, directory: Traversable | None = None) -> str:
    """The raw template text of one outlet's feed."""
    try:
        return (directory or feeds_dir()).joinpath(outlet.file).read_text(encoding="utf-8")
    except OSError as e:
        raise DemoError(f"cannot read demo feed {outlet.file}: {e}") from e


def render_all(
    now: datetime, *, fit_today: bool = True, directory: Traversable | None = None
) -> dict[str, str]:
    """Every outlet's feed rendered for ``now``, keyed by outlet id."""
    return {
        o.id: render_feed(load_template(o, directory), now, fit_today=fit_today)
        for o in load_outlets(directory)
    }


def feed_list(
    base_url: str, outlets: tuple[Outlet, ...] | None = None
) -> list[tuple[str, str, str]]:
    """(url, name, language) of every outlet served under ``base_url``."""
    base = base_url.rstrip("/")
    return [(f"{base}/{o.path}", o.name, o.language) for o in (outlets or load_outlets())]


def _figure(row: dict[str, Any], where: str) -> Figure:
    value = row.get("value")
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise DemoError(f"{where}: 'value' must be a number")
    return Figure(
        what=_str(row, "what", where),
        value=float(value),
        qualifier=_str(row, "qualifier", where),
        text=_str(row, "text", where),
    )


def load_truth(directory: Traversable | None = None) -> Truth:
    """Parse ``stories.json``, the answer key for end-to-end tests."""
    data = _read_json(directory or feeds_dir(), "stories.json")
    if not isinstance(data, dict):
        raise DemoError("stories.json: expected an object")
    stories = data.get("stories")
    rows = data.get("items")
    pairs = data.get("hard_negatives", [])
    if not isinstance(stories, dict) or not isinstance(rows, list) or not isinstance(pairs, list):
        raise DemoError("stories.json: expected 'stories' {}, 'items' [] and 'hard_negatives' []")
    items: list[TruthItem] = []
    for n, row in enumerate(rows):
        where = f"stories.json items[{n}]"
        if not isinstance(row, dict):
            raise DemoError(f"{where}: expected an object")
        story = _str(row, "story", where)
        if story not in stories:
            raise DemoError(f"{where}: unknown story {story!r}")
        copy_of = row.get("copy_of")
        figures = row.get("figures", [])
        if not isinstance(figures, list):
            raise DemoError(f"{where}: 'figures' must be a list")
        items.append(
            TruthItem(
                outlet=_str(row, "outlet", where),
                guid=_str(row, "guid", where),
                story=story,
                copy_of=copy_of if isinstance(copy_of, str) else None,
                figures=tuple(_figure(f, f"{where}.figures[{i}]") for i, f in enumerate(figures)),
            )
        )
    negatives = []
    for pair in pairs:
        if not (isinstance(pair, list) and len(pair) == 2 and all(p in stories for p in pair)):
            raise DemoError(f"stories.json: bad hard_negatives entry {pair!r}")
        negatives.append((str(pair[0]), str(pair[1])))
    return Truth(
        stories={str(k): str(v) for k, v in stories.items()},
        items=tuple(items),
        hard_negatives=tuple(negatives),
    )
