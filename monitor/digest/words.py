"""Display wording for the digest, as data per language (English first).

Qualifier templates take ``{v}`` (the value), ``{lo}``/``{hi}`` (range bounds);
step labels are short human phrases. Add a language by adding a dict entry.
Touches nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

QUALIFIERS: Final[Mapping[str, Mapping[str, str]]] = {
    "en": {
        "exact": "{v}",
        "approx": "about {v}",
        "more_than": "more than {v}",
        "at_least": "at least {v}",
        "less_than": "less than {v}",
        "at_most": "at most {v}",
        "range": "{lo}\u2013{hi}",
        "up": "up {v}",
        "down": "down {v}",
    },
}

LABELS: Final[Mapping[str, Mapping[str, str]]] = {
    "en": {
        "first": "first report",
        "consistent": "consistent",
        "revised_up": "revised up",
        "revised_down": "revised down",
        "conflicting": "conflicts",
    },
}

# Units written right after the number without a space.
TIGHT_UNITS: Final[frozenset[str]] = frozenset({"%", "\u00b0", "\u00b0C", "\u00b0F"})
# Units written before the number.
PREFIX_UNITS: Final[frozenset[str]] = frozenset({"$", "\u20ac", "\u00a3", "\u20b4", "\u20bd"})

ELLIPSIS: Final = "\u2026"


def qualifier_template(qualifier: str, language: str = "en") -> str:
    table = QUALIFIERS.get(language, QUALIFIERS["en"])
    return table.get(qualifier, "{v}")


def label_text(label: str, language: str = "en") -> str:
    table = LABELS.get(language, LABELS["en"])
    return table.get(label, label.replace("_", " "))


WEEKDAYS: Final[Mapping[str, tuple[str, ...]]] = {
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
MONTHS: Final[Mapping[str, tuple[str, ...]]] = {
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}


def long_date(year: int, month: int, day: int, weekday: int, language: str = "en") -> str:
    """'Wednesday, 25 November 2026' (weekday 0 = Monday)."""
    days = WEEKDAYS.get(language, WEEKDAYS["en"])
    months = MONTHS.get(language, MONTHS["en"])
    return f"{days[weekday]}, {day} {months[month - 1]} {year}"
