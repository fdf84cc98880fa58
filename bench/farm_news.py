"""Varied, news-like item text for the feed farm (``Feed(text="news")``).

Every item is drawn from a pool of ``stories`` events; an item's wording is
its own (seeded by feed path and item number), so different outlets report
one event in different words, some reprint the wire text verbatim (copies),
and most events are reported by a handful of feeds. Events carry synthetic
proper names (thousands of them) and counted quantities, so story
clustering and claim extraction see realistic, distinct inputs instead of
many near-identical texts. Deterministic: the same (path, item, stories)
always gives the same text. Pure: touches nothing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

_SYLLABLES = (
    "ka ri mo ten bel sor an vel dra gor lin mar tos ek ul pra ven shi lo dun "
    "ba cor fel hal ist jor nav ost pel rud sal tam var wen zor"
).split()
_EVENTS = (
    ("people", "were evacuated after the floods in"),
    ("homes", "were damaged by the storm in"),
    ("workers", "went on strike at the port of"),
    ("patients", "were treated for smoke inhalation in"),
    ("jobs", "will be cut at the factory in"),
    ("passengers", "were stranded at the airport of"),
    ("students", "protested outside the university of"),
    ("soldiers", "were deployed to the border near"),
    ("schools", "were closed by the council of"),
    ("cases", "of the virus were confirmed in"),
    ("tonnes", "of grain were shipped from"),
    ("flights", "were cancelled at the airport of"),
    ("vehicles", "were recalled by the carmaker in"),
    ("migrants", "were rescued off the coast of"),
    ("buildings", "collapsed after the earthquake near"),
)
_ROLES = "minister mayor governor spokesman director chairman official prosecutor".split()
_VERBS = "said announced confirmed reported told reporters warned added stated".split()
_FILLER = (
    "the government opposition officials local residents emergency services police "
    "investigation continues according to statement earlier this week late on Monday "
    "on Tuesday morning talks regional authorities national agency figures show "
    "rescue teams working overnight critics say the decision was widely expected "
    "analysts expect further measures next month the budget parliament vote "
    "international observers aid organisations market reaction prices rose sharply "
    "the company shares fell in early trading union leaders demanded compensation"
).split()


@dataclass(frozen=True, slots=True)
class Story:
    """One event: who, where, what, how many."""

    person: str
    role: str
    place: str
    noun: str
    phrase: str
    count: int
    extra: int


def _name(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(parts)).capitalize()


def story(index: int) -> Story:
    rng = random.Random(f"story-{index}")
    noun, phrase = rng.choice(_EVENTS)
    return Story(
        person=f"{_name(rng, 2)} {_name(rng, 3)}",
        role=rng.choice(_ROLES),
        place=_name(rng, 3),
        noun=noun,
        phrase=phrase,
        count=rng.choice((rng.randint(2, 99), rng.randint(100, 9999), rng.randint(10, 500) * 100)),
        extra=rng.randint(2, 60),
    )


def item_text(path: str, index: int, stories: int) -> tuple[str, str]:
    """(title, description) of item ``index`` of the feed at ``path``."""
    rng = random.Random(f"{path}/{index}")
    s = story(rng.randrange(max(1, stories)))
    wire = (
        f"{s.count:,} {s.noun} {s.phrase} {s.place}, {s.role} {s.person} said on "
        f"Monday. At least {s.extra} more are expected, officials in {s.place} added."
    )
    if rng.random() < 0.15:  # a verbatim wire copy under the outlet's own headline
        return f"{s.place}: {s.count:,} {s.noun} {s.phrase.split()[-1]} {s.place}", wire
    filler = " ".join(rng.sample(_FILLER, rng.randint(12, 30)))
    count = s.count if rng.random() < 0.8 else s.count + rng.randint(1, 40)
    title = rng.choice(
        (
            f"{count:,} {s.noun} {s.phrase} {s.place}",
            f"{s.person} says {count:,} {s.noun} affected in {s.place}",
            f"{s.place}: {s.role} confirms {count:,} {s.noun}",
        )
    )
    body = (
        f"{s.role.capitalize()} {s.person} {rng.choice(_VERBS)} that {count:,} {s.noun} "
        f"{s.phrase} {s.place}. {filler.capitalize()}. A further {rng.randint(2, 90)} "
        f"{rng.choice(_EVENTS)[0]} were reported by {_name(rng, 2)} {_name(rng, 3)}."
    )
    return title, body
