"""Per-language data for deduplication and story clustering.

Each language is a module of plain data (stop words, suffixes to strip, title
separators); ``language_data(code)`` returns it, falling back to a neutral
table for languages without data. No behaviour depends on the language code
except through this data. Touches nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from monitor.dedup.lang import en


@dataclass(frozen=True, slots=True)
class LanguageData:
    """Word lists that tokenisation and clustering read for one language."""

    code: str
    stop_words: frozenset[str]
    # (suffix, minimum length of the word before stripping), tried in order
    strip_suffixes: tuple[tuple[str, int], ...]
    # suffixes that block the stripping above ("ss" in "address")
    keep_suffixes: tuple[str, ...]
    # words before a name that make it an official's or an author's ("spokesman", "sgt")
    name_roles: frozenset[str] = frozenset()
    # words before a place name ("in", "at", "near")
    locatives: frozenset[str] = frozenset()
    # nouns that make a name a place, before or after it ("... Apartments", "Hermitage home")
    place_nouns: frozenset[str] = frozenset()
    # weekday and month names: capitalised, but no one's name ("Tuesday", "March")
    calendar_words: frozenset[str] = frozenset()
    # weekday names, Monday first (dates an event: "on Tuesday")
    weekdays: tuple[str, ...] = ()
    # nouns that make the capitalised words before them a street ("Copeland Street")
    street_nouns: frozenset[str] = frozenset()
    # month names, January first, each with its abbreviations (dates: "Dec. 7", "7 December")
    months: tuple[tuple[str, ...], ...] = ()
    # number words read as their digits ("three" -> "3": terms, and numbers of a headline)
    number_words: dict[str, str] = field(default_factory=dict, hash=False)


_NEUTRAL = LanguageData("", frozenset(), (), ())

_TABLES: dict[str, LanguageData] = {
    "en": LanguageData(
        "en",
        frozenset(en.STOP_WORDS),
        tuple(en.STRIP_SUFFIXES),
        tuple(en.KEEP_SUFFIXES),
        frozenset(en.NAME_ROLES),
        frozenset(en.LOCATIVES),
        frozenset(en.PLACE_NOUNS),
        frozenset(en.CALENDAR_WORDS),
        tuple(en.WEEKDAYS),
        frozenset(en.STREET_NOUNS),
        tuple(tuple(m) for m in en.MONTHS),
        dict(en.NUMBER_WORDS),
    ),
}


def language_data(code: str) -> LanguageData:
    """The data for ``code`` ("en", "en-US"...), or a neutral table."""
    base = code.casefold().replace("_", "-").split("-", 1)[0]
    return _TABLES.get(base, _NEUTRAL)
