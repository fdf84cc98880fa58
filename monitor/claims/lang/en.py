"""English word lists for claim extraction (data only, no logic).

Keys are lowercase unless a comment says otherwise. Multi-word phrases are
tuples of tokens as the tokenizer produces them. Touches nothing.
"""

from __future__ import annotations

from monitor.claims.lang import LangData
from monitor.claims.lang.en_casualty import (
    CASUALTY_WORDS,
    IMPLICIT_EVENTS,
    IMPLICIT_PREDICATES,
    LIFE_TAKING,
    MULTIPLE_EVENTS,
    PERSON_NOUNS,
    PREDICATE_ADJECTIVES,
    PREDICATE_RANK,
)
from monitor.claims.lang.en_grammar import (
    AUX_WORDS,
    DEFINITE_ARTICLES,
    FRACTION_FOLLOWERS,
    INDEFINITE_ARTICLES,
    OF_DETERMINERS,
    ONE_IDIOM_AFTER,
    ONE_PRONOUN_BEFORE,
    STOP_WORDS,
)
from monitor.claims.lang.en_units import CURRENCY_PREFIX, UNIT_SUFFIXES, UNITS
from monitor.types import Qualifier

_ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()

NUMBER_WORDS: dict[str, int] = {w: i for i, w in enumerate(_ONES)}
NUMBER_WORDS.update({w: 20 + 10 * i for i, w in enumerate(_TENS)})

# Words that multiply the number before them ("2.5 million", "three hundred").
SCALE_WORDS: dict[str, float] = {
    "hundred": 1e2,
    "thousand": 1e3,
    "million": 1e6,
    "billion": 1e9,
    "trillion": 1e12,
    "mln": 1e6,
    "mn": 1e6,
    "bln": 1e9,
    "bn": 1e9,
    "tn": 1e12,
    "trn": 1e12,
    "dozen": 12,
}
# Letters glued to digits or standing right after them: "$3bn", "25k", "4.3M".
# Case-sensitive. "m" is million only with money or before "of"/a plural noun.
SCALE_SUFFIXES: dict[str, float] = {
    "k": 1e3,
    "K": 1e3,
    "m": 1e6,
    "M": 1e6,
    "mn": 1e6,
    "mln": 1e6,
    "bn": 1e9,
    "b": 1e9,
    "B": 1e9,
    "tn": 1e12,
    "trn": 1e12,
}

# "a third of", "two-thirds of", "half the".
FRACTIONS: dict[str, float] = {
    "half": 1 / 2,
    "halves": 1 / 2,
    "third": 1 / 3,
    "thirds": 1 / 3,
    "quarter": 1 / 4,
    "quarters": 1 / 4,
    "fourth": 1 / 4,
    "fourths": 1 / 4,
    "fifth": 1 / 5,
    "fifths": 1 / 5,
    "tenth": 1 / 10,
    "tenths": 1 / 10,
}

# Vague amounts (phrase before "of") -> interval.
VAGUE: dict[str, tuple[float, float]] = {
    "dozens": (12, 120),
    "scores": (20, 200),
    "hundreds": (100, 1000),
    "thousands": (1000, 10000),
    "tens of thousands": (1e4, 1e5),
    "hundreds of thousands": (1e5, 1e6),
    "millions": (1e6, 1e7),
    "tens of millions": (1e7, 1e8),
    "hundreds of millions": (1e8, 1e9),
    "billions": (1e9, 1e10),
}

_B: list[tuple[str, Qualifier]] = [
    ("more than", "more_than"),
    ("more then", "more_than"),
    ("over than", "more_than"),
    ("over", "more_than"),
    ("well over", "more_than"),
    ("just over", "more_than"),
    ("above", "more_than"),
    ("in excess of", "more_than"),
    ("upwards of", "more_than"),
    ("greater than", "more_than"),
    ("higher than", "more_than"),
    ("north of", "more_than"),
    ("exceeding", "more_than"),
    ("at least", "at_least"),
    ("no fewer than", "at_least"),
    ("no less than", "at_least"),
    ("not less than", "at_least"),
    ("a minimum of", "at_least"),
    ("minimum of", "at_least"),
    ("less than", "less_than"),
    ("fewer than", "less_than"),
    ("under", "less_than"),
    ("just under", "less_than"),
    ("below", "less_than"),
    ("lower than", "less_than"),
    ("shy of", "less_than"),
    ("sub", "less_than"),
    ("up to", "at_most"),
    ("at most", "at_most"),
    ("no more than", "at_most"),
    ("not more than", "at_most"),
    ("a maximum of", "at_most"),
    ("maximum of", "at_most"),
    ("as many as", "at_most"),
    ("as much as", "at_most"),
    ("about", "approx"),
    ("around", "approx"),
    ("approximately", "approx"),
    ("approx", "approx"),
    ("roughly", "approx"),
    ("nearly", "approx"),
    ("almost", "approx"),
    ("some", "approx"),
    ("an estimated", "approx"),
    ("estimated", "approx"),
    ("circa", "approx"),
    ("close to", "approx"),
    ("~", "approx"),
    ("≈", "approx"),
    ("exactly", "exact"),
    ("precisely", "exact"),
    ("a total of", "exact"),
    # "averaged 7.3 points", "averaging 15.9 degrees": a typical value, not a count
    ("averaged", "approx"),
    ("averaging", "approx"),
    ("averages", "approx"),
    (">", "more_than"),
    ("<", "less_than"),
    (">=", "at_least"),
    ("<=", "at_most"),
]
BOUNDS: dict[tuple[str, ...], Qualifier] = {tuple(p.split()): q for p, q in _B}
# Bounds written after the figure ("50 or more", "20-odd", "100 plus").
POST_BOUNDS: dict[tuple[str, ...], Qualifier] = {
    ("or", "more"): "at_least",
    ("or", "so"): "approx",
    ("or", "fewer"): "at_most",
    ("or", "less"): "at_most",
    ("plus",): "at_least",
    ("+",): "at_least",
    ("-", "odd"): "approx",
    ("odd",): "approx",
}

# Lemmas of verbs/adverbs that, right before a figure, state a rise or fall.
CHANGE_UP = frozenset(
    "rise rose risen increase grow grew gain climb jump surge soar add advance rally "
    "up boost raise hike spike swell widen".split()
)
CHANGE_DOWN = frozenset(
    "fall fell fallen drop decline decrease lose lost slide slid plunge tumble slump sink sank "
    "shed ease down dip cut shrink shrank plummet sag retreat slip narrow reduce".split()
)
# Words right after a percentage that state the direction ("5% higher").
CHANGE_AFTER: dict[str, Qualifier] = {}


MONTHS = frozenset(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
TIME_WORDS = frozenset("am pm a.m. p.m. gmt utc est edt pst pdt cst cdt bst cet h hrs".split())
ORDINAL_SUFFIXES = frozenset("st nd rd th".split())
COUNT_HEADS = {"toll": ("death", "die")}  # (noun, predicate) of "the death toll ... N"
ORDINAL_WORDS = frozenset(
    "second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth".split()
)
# A capitalised or listed word right before the figure that makes it a label.
LABEL_WORDS = frozenset(
    "route page chapter game flight room no no. number episode season act article section "
    "level grade phase step channel highway interstate i apartment suite unit box version "
    "v type class tier covid category district precinct ward station platform gate terminal "
    "iphone model week day track issue volume vol fig figure table item rule amendment "
    "division regiment brigade battalion squad office studio sp s&p ftse dax nikkei nasdaq "
    "dow ta stoxx asx hang seng kospi sensex ibex ndx spx ".split()
)
FURNITURE_AFTER = frozenset("comment comments reply replies".split())
FURNITURE_BEFORE = frozenset("page photo image slide".split())

SKIP_ADVERBS = frozenset(
    "reportedly allegedly also now already all since later then still just both each "
    "officially reportedly initially so far together not never yet fatally critically "
    "seriously reported said who more".split()
)
PART_MARKERS = frozenset("including among incl. incl of whom which them".split())
RANGE_JOINERS = frozenset("- – — to and or".split())


# Track merging: noun lemma -> class, predicate lemma -> class.
NOUN_SYNONYMS: dict[str, str] = {
    "serviceman": "soldier",
    "servicemen": "soldier",
    "servicemember": "soldier",
    "troop": "soldier",
    "trooper": "soldier",
    "fighter": "soldier",
    "people": "person",
    "individual": "person",
    "civilian": "person",
    "resident": "person",
    "victim": "person",
    "casualty": "person",
    "man": "person",
    "woman": "person",
    "teen": "person",
    "teenager": "person",
    "dollar": "USD",
    "village": "settlement",
    "town": "settlement",
    "locality": "settlement",
    "death": "person",
    "fatality": "person",
    "injury": "person",
}
PREDICATE_SYNONYMS: dict[str, str] = {
    "die": "kill",
    "dead": "kill",
    "murder": "kill",
    "slay": "kill",
    "wound": "injure",
    "hurt": "injure",
    "hospitalize": "injure",
    "capture": "take",
    "surrender": "take",
    "detain": "take",
    "seize": "take",
    "liberate": "control",
    "recapture": "control",
    "free": "control",
}

PART_BEFORE = frozenset({"including", "incl.", "among"})
# classes (after PREDICATE_SYNONYMS) of counts that grow over time: tolls, arrests, evacuations
CUMULATIVE_PREDICATES = frozenset(
    "kill injure take arrest evacuate rescue displace infect shoot flee destroy damage".split()
)
# 'are known to have died', 'is feared dead': the verb after them says what happened
RAISING_VERBS = frozenset(
    "known believed feared thought presumed understood confirmed reported said expected "
    "estimated likely seem seems seemed appear appears appeared".split()
)

ABBREVIATIONS = frozenset(
    "mr mrs ms dr st jr sr prof gen col lt sgt capt rep sen gov u.s u.k no vs inc corp co ltd "
    "jan feb mar apr jun jul aug sep sept oct nov dec a.m p.m e.g i.e etc approx dept est fig "
    "mt ft ave blvd rd a.d b.c".split()
)

DATA = LangData(
    code="en",
    locale="en_US",
    text2num_lang="en",
    number_words=NUMBER_WORDS,
    scale_words=SCALE_WORDS,
    scale_suffixes=SCALE_SUFFIXES,
    fractions=FRACTIONS,
    vague=VAGUE,
    bounds=BOUNDS,
    post_bounds=POST_BOUNDS,
    change_up=CHANGE_UP,
    change_down=CHANGE_DOWN,
    change_after=CHANGE_AFTER,
    currency_prefix=CURRENCY_PREFIX,
    units=UNITS,
    unit_suffixes=UNIT_SUFFIXES,
    months=MONTHS,
    era_marks=frozenset({"A.D.", "AD", "B.C.", "BC", "BCE", "CE", "B.C.E.", "C.E."}),
    time_words=TIME_WORDS,
    ordinal_suffixes=ORDINAL_SUFFIXES,
    ordinal_words=ORDINAL_WORDS,
    count_heads=COUNT_HEADS,
    label_words=LABEL_WORDS,
    furniture_after=FURNITURE_AFTER,
    furniture_before=FURNITURE_BEFORE,
    stop_words=STOP_WORDS,
    aux_words=AUX_WORDS,
    skip_adverbs=SKIP_ADVERBS,
    part_markers=PART_MARKERS,
    range_joiners=RANGE_JOINERS,
    person_nouns=PERSON_NOUNS,
    implicit_predicates=IMPLICIT_PREDICATES,
    implicit_events=IMPLICIT_EVENTS,
    multiple_events=MULTIPLE_EVENTS,
    casualty_words=CASUALTY_WORDS,
    predicate_adjectives=PREDICATE_ADJECTIVES,
    predicate_rank=PREDICATE_RANK,
    negations=frozenset({"not", "never", "n't", "nobody", "none"}),
    conditions={
        "critical": "injure",
        "stable": "injure",
        "serious": "injure",
        "fair": "injure",
    },
    # after a preposition or a transfer only: 'in good condition', 'taken to the hospital'
    care_words={"hospital": "injure", "hospitals": "injure", "good": "injure"},
    condition_preps=frozenset({"in"}),
    transfer_verbs=frozenset(
        "taken transported rushed airlifted flown brought driven carried sent".split()
    ),
    transfer_preps=frozenset({"to"}),
    wound_leads=frozenset("with suffering suffered sustained sustaining from".split()),
    wound_nouns={
        "fatal": "kill",
        "gunshot": "shoot",
        "gunshots": "shoot",
        "bullet": "shoot",
        "wound": "wound",
        "wounds": "wound",
        "injury": "injure",
        "injuries": "injure",
    },
    pair_words={"both": 2},
    conjunctions=frozenset({"and", "&"}),
    subject_pronouns=frozenset({"he", "she"}),
    clause_pronouns=frozenset({"another"}),
    later_deaths=frozenset({"dies", "died", "dead", "succumbed", "succumbs"}),
    life_taking=LIFE_TAKING,
    death_links=frozenset({"where"}),
    later_survivals=frozenset({"survived", "survive", "survives", "recover", "recovering"}),
    clause_openers=frozenset("after as when while but because before until".split()),
    event_preps=frozenset({"of"}),
    event_nouns={
        "shooting": "shoot",
        "death": "die",
        "killing": "kill",
        "murder": "kill",
        "suicide": "die",
    },
    group_nouns=frozenset({"people", "persons", "others", "adults", "juveniles", "teens"}),
    intransitive_predicates=frozenset({"die", "survive", "recover", "succumb"}),
    reflexives=frozenset({"himself", "herself", "self", "myself", "yourself"}),
    possessives=frozenset({"his", "her", "their", "its", "my", "your", "our"}),
    noun_synonyms=NOUN_SYNONYMS,
    predicate_synonyms=PREDICATE_SYNONYMS,
    abbreviations=ABBREVIATIONS,
    year_range=(1800, 2150),
    bounds_words=frozenset({p[0] for p in BOUNDS} | {"minus", "mid"}),
    part_before=PART_BEFORE,
    cumulative_predicates=CUMULATIVE_PREDICATES,
    raising_verbs=RAISING_VERBS,
    indefinite_articles=INDEFINITE_ARTICLES,
    definite_articles=DEFINITE_ARTICLES,
    articles=INDEFINITE_ARTICLES | DEFINITE_ARTICLES,
    noun_determiners=INDEFINITE_ARTICLES | DEFINITE_ARTICLES | {"this", "that"},
    noun_markers=INDEFINITE_ARTICLES | DEFINITE_ARTICLES | {"this"},
    of_determiners=OF_DETERMINERS,
    fraction_followers=FRACTION_FOLLOWERS,
    figure_of=frozenset({"of"}),
    origin_preps=frozenset({"of"}),
    relative_pronouns=frozenset({"who"}),
    change_preps=frozenset({"by"}),
    point_words=frozenset({"points", "point", "pts"}),
    infinitive_markers=frozenset({"to"}),
    manner_phrases={("to", "death"): "kill"},
    additive_conjunctions=frozenset({"and"}),
    alternative_conjunctions=frozenset({"or"}),
    range_links=frozenset({"to"}),
    range_openers=frozenset({"from", "between"}),
    closed_range_openers=frozenset({"between"}),
    word_for_one="one",
    number_joiners=frozenset({"and"}),
    scale_abbreviations=frozenset({"bn", "mln", "mn", "tn", "trn", "bln"}),
    ambiguous_scale_suffixes=frozenset({"m"}),
    bare_fractions=frozenset({"half"}),
    minus_words=frozenset({"minus"}),
    one_pronoun_before=ONE_PRONOUN_BEFORE,
    one_idiom_after=ONE_IDIOM_AFTER,
    month_homonyms=frozenset({"may"}),
    adverb_suffixes=("ly",),
    participle_suffixes=("ing", "ed"),
    past_suffixes=("ed",),
    possessive_suffixes=("'s", "’s"),
    age_ends=frozenset({"old"}),
    sentence_capitals="A-Z",
)
