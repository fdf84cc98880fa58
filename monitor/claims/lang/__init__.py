"""Per-language word lists for claim extraction, as plain data.

``LangData`` gathers everything language-specific the extractor needs (number
words, scale words, bound phrases, units, change verbs, non-claim cues, stop
words, synonym maps, articles and determiners, range and coordination words,
word endings, the script's capitals). The extraction code holds no word of any
language: only punctuation and canonical codes (units, qualifiers, predicate
classes). ``get_lang`` returns it for a language code; English is the fallback.
Adding Russian or Ukrainian means adding a module here that fills every field
(docs/languages.md). Pure data: touches nothing.
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
    """Everything language-specific; each field's meaning is in the comment above it or in
    lang/en.py, and docs/languages.md lists them."""

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

    # Articles and determiners
    # articles that stand for one: 'a dozen', 'a third of', 'a million' (= one million)
    indefinite_articles: frozenset[str]
    # 'the Fortune 100': a capitalised word with a number after one of these is a name
    definite_articles: frozenset[str]
    # articles that open a noun phrase: 'a man was shot', 'the shooting of a teen'
    articles: frozenset[str]
    # words that open a noun phrase in a list or after a preposition: 'and the girl',
    # 'in a local hospital'
    noun_determiners: frozenset[str]
    # words before a casualty verb form that make it a noun: 'the shooting suspect'
    # (not 'that', which also opens a clause: 'a man that shot')
    noun_markers: frozenset[str]
    # words skipped between a figure's link word and its noun: '2,000 of the soldiers'
    of_determiners: frozenset[str]
    # words one of which must follow a fraction: 'a third of', 'half the', 'half their'
    fraction_followers: frozenset[str]

    # Links between a figure and its noun
    # the word that links a figure or amount to what it counts or is part of: 'dozens of',
    # '2,000 of the soldiers', '2.7m of', 'Page 2 of 5'
    figure_of: frozenset[str]
    # a preposition saying where a person is from: 'Kieara Green, 18, of Nicholasville'
    origin_preps: frozenset[str]
    # relative pronouns after a person: 'The boy, who was shot', 'Green, 18, who'
    relative_pronouns: frozenset[str]
    # the word between a change verb and its size: 'rose by 5%', 'Burlington by 2.6%'
    change_preps: frozenset[str]
    # words after a figure that make it a change of an index: 'fell 200 points'
    point_words: frozenset[str]
    # the infinitive marker after a raising verb: 'known to have died'
    infinitive_markers: frozenset[str]
    # phrases after a casualty verb that say what happened: 'shot to death' -> kill
    manner_phrases: Mapping[Words, str]

    # Ranges and coordination
    # 'and': joins two items, closes a range after a closed opener ('between 50 and 60')
    additive_conjunctions: frozenset[str]
    # 'or': an alternative figure ('lost 190 points, or 0.6%')
    alternative_conjunctions: frozenset[str]
    # words joining two figures into a range with or without an opener: '50 to 60', '0-to-60'
    range_links: frozenset[str]
    # words opening a range; the claim starts with them: 'from 50 to 60', 'between 50 and 60'
    range_openers: frozenset[str]
    # openers after which an additive conjunction joins a range: 'between 50 and 60'
    closed_range_openers: frozenset[str]

    # Number words
    # the number word for one, which text2num reads: 'a million' is read as 'one million'
    word_for_one: str
    # words inside a number written in words: 'one hundred and five'
    number_joiners: frozenset[str]
    # scale words no indefinite article stands before: 'a million' but not 'a bn'
    scale_abbreviations: frozenset[str]
    # scale suffixes that are also units: million only with money or before a
    # figure_of word or a plural noun ('2.7m combined sales', but '100m sprint')
    ambiguous_scale_suffixes: frozenset[str]
    # fractions that need no number or article before them: 'half the town'
    bare_fractions: frozenset[str]
    # words that make the figure after them negative: 'minus 5'
    minus_words: frozenset[str]
    # words before the number word for one that make it a pronoun: 'no one', 'the one'
    one_pronoun_before: frozenset[str]
    # words after the number word for one that make an idiom: 'one another', 'one day'
    one_idiom_after: frozenset[str]
    # month names that are common words in lowercase (case-sensitive): '9 may be'
    month_homonyms: frozenset[str]

    # Morphology (tested with str.endswith)
    # endings of adverbs skipped between a subject and its verb: 'accidentally shot'
    adverb_suffixes: Words
    # endings of verb forms that may modify a noun: 'armed men', 'missing people'
    participle_suffixes: Words
    # endings of past forms that can be the second of two verbs: 'shot and wounded'
    past_suffixes: Words
    # endings of a word in the possessive: "teen's shooting"
    possessive_suffixes: Words
    # the glued last word of an age in the possessive: "16-year-old's shooting"
    age_ends: frozenset[str]

    # Script
    # regex character class of the capitals a sentence can start with (after a line
    # break or a full stop): 'A-Z' for Latin, 'А-ЯЁ' for Cyrillic
    sentence_capitals: str


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
