"""Per-language word lists for claim extraction, as plain data.

``LangData`` gathers everything language-specific the extractor needs (number
words, scale words, bound phrases, units, change verbs, non-claim cues, stop
words, synonym maps). ``get_lang`` returns it for a language code; English is
the fallback. Adding Russian or Ukrainian means adding a module here with the
same names. Pure data: touches nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from importlib import import_module
from types import ModuleType

from monitor.types import Qualifier

Words = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class LangData:
    """Everything language-specific; field meanings are documented in lang/en.py."""

    code: str
    locale: str
    text2num_lang: str
    number_words: Mapping[str, int]
    scale_words: Mapping[str, float]
    scale_suffixes: Mapping[str, float]
    fractions: Mapping[str, float]
    vague: Mapping[str, tuple[float, float]]
    bounds: Mapping[Words, Qualifier]
    post_bounds: Mapping[Words, Qualifier]
    change_up: frozenset[str]
    change_down: frozenset[str]
    change_after: Mapping[str, Qualifier]
    currency_prefix: Mapping[str, str]
    units: Mapping[Words, str]
    unit_suffixes: Mapping[str, str]
    months: frozenset[str]
    era_marks: frozenset[str]  # case-sensitive: 'A.D. 1000', '500 BC' are years
    time_words: frozenset[str]
    ordinal_suffixes: frozenset[str]
    # 'a third worker died': an ordinal after the article makes the total N, not one
    ordinal_words: frozenset[str]
    # a head word shortly before a bare number names what it counts: 'death toll rose to 23'
    count_heads: Mapping[str, tuple[str, str]]
    label_words: frozenset[str]
    furniture_after: frozenset[str]
    furniture_before: frozenset[str]
    stop_words: frozenset[str]
    aux_words: frozenset[str]
    skip_adverbs: frozenset[str]
    part_markers: frozenset[str]
    range_joiners: frozenset[str]
    person_nouns: frozenset[str]
    implicit_predicates: Mapping[str, str]
    implicit_events: Mapping[Words, str]
    multiple_events: Mapping[Words, tuple[int, str]]  # 'double shooting': (2, 'shoot')
    casualty_words: frozenset[str]
    predicate_adjectives: Mapping[str, str]
    # of two predicates said together the higher wins: 'shot dead' -> die, 'fatally injured' -> kill
    predicate_rank: Mapping[str, int]
    negations: frozenset[str]  # 'was not injured': no casualty
    conditions: Mapping[str, str]  # 'Boy stable after shooting', 'in critical condition'
    care_words: Mapping[str, str]  # conditions only after a preposition: 'in the hospital'
    condition_preps: frozenset[str]
    transfer_verbs: frozenset[str]  # 'was taken to a local hospital': care, so hurt
    transfer_preps: frozenset[str]
    wound_leads: frozenset[str]  # 'suffering from gunshot wounds', 'with minor injuries'
    wound_nouns: Mapping[str, str]  # first such word after a lead -> predicate
    pair_words: Mapping[str, int]  # 'Both victims were hospitalized': a count of two
    clause_openers: frozenset[str]  # 'after girl, 15, is killed': a headline clause starts
    event_preps: frozenset[str]  # 'Victim of weekend shooting dies': the event, then the verb
    event_nouns: Mapping[str, str]  # "teen's shooting": an event said of one person
    subject_pronouns: frozenset[str]  # 'he was shot': one person
    clause_pronouns: frozenset[str]  # 'Teen killed, another injured': one more, at a clause start
    later_deaths: frozenset[str]  # 'Boy shot while hunting dies': the main verb says more
    life_taking: Mapping[str, Words]  # 'took his own life': the verb, then these words
    death_links: frozenset[str]  # 'taken to a hospital, where he died': still the same person
    later_survivals: frozenset[str]  # 'was shot but survived': injured
    conjunctions: frozenset[str]  # 'Man, woman and child', 'Mother & son'
    group_nouns: frozenset[str]  # plural persons with no singular in person_nouns: 'people'
    # predicates that take no object: 'Teen dies' always names the victim
    intransitive_predicates: frozenset[str]
    reflexives: frozenset[str]  # 'shot himself': the object is the subject
    possessives: frozenset[str]  # determiners before a victim: 'shot his son'
    noun_synonyms: Mapping[str, str]
    predicate_synonyms: Mapping[str, str]
    abbreviations: frozenset[str]
    year_range: tuple[int, int]
    bounds_words: frozenset[str]
    # words just before a figure that make it a subset: '102 prisoners, including 31 officers'
    part_before: frozenset[str]
    # predicate classes of tolls that only grow as reports come in (deaths, arrests): a
    # higher figure from another outlet is a revision unless it comes within the
    # tracker's rise window of the lower one
    cumulative_predicates: frozenset[str]
    # verbs that pass the subject on to the verb after 'to': 'known to have died' -> die
    raising_verbs: frozenset[str]


_MODULES = {"en": "monitor.claims.lang.en"}
_CACHE: dict[str, LangData] = {}


def get_lang(language: str) -> LangData:
    """Return the word lists for ``language`` ("en", "en-GB"...); English when unknown."""
    code = language.lower().replace("_", "-").split("-")[0] or "en"
    if code not in _MODULES:
        code = "en"
    if code not in _CACHE:
        module: ModuleType = import_module(_MODULES[code])
        data = module.DATA
        assert isinstance(data, LangData)
        _CACHE[code] = data
    return _CACHE[code]
