"""English casualty words for implicit counts ("a man was shot") (data only, no logic).

Person nouns, casualty verbs and adjectives, event phrases and the rank of
predicates said together. Touches nothing.
"""

from __future__ import annotations

PERSON_NOUNS = frozenset(
    "man woman person teen teenager boy girl child kid baby toddler infant student youth "
    "victim driver passenger officer deputy trooper resident customer employee worker clerk "
    "cashier bystander pedestrian suspect gunman shooter father mother son daughter brother "
    "sister husband wife friend neighbor neighbour homeowner juvenile adult male female "
    "individual guard owner security soldier civilian nephew niece uncle aunt cousin grandson "
    "granddaughter grandfather grandmother grandchild stepson stepdaughter stepfather "
    "stepmother boyfriend girlfriend fiance fiancee roommate relative sibling classmate "
    "sophomore freshman junior senior hunter motorist clerk patron teacher".split()
)
# Verb lemmas whose "a <person> was <verb>" means one casualty (implicit count).
IMPLICIT_PREDICATES: dict[str, str] = {
    "kill": "kill",
    "die": "die",
    "shoot": "shoot",
    "wound": "wound",
    "injure": "injure",
    "hurt": "hurt",
    "murder": "kill",
    "slay": "kill",
    "hospitalize": "injure",
    "hospitalise": "injure",
    "find": "find",
    "pronounce": "die",
    "stab": "wound",
    "hit": "hit",
    "graze": "wound",
    "strike": "hit",
    "survive": "injure",
    "recover": "injure",
    "succumb": "die",
}
# Event nouns naming one casualty, followed by "of" + a singular victim:
# "the fatal shooting of a fellow student", "the shooting death of Kevin Barbee".
IMPLICIT_EVENTS: dict[tuple[str, ...], str] = {
    ("fatal", "shooting", "of"): "kill",
    ("fatal", "stabbing", "of"): "kill",
    ("shooting", "death", "of"): "kill",
    ("murder", "of"): "kill",
    ("killing", "of"): "kill",
    ("death", "of"): "die",
    ("shooting", "of"): "shoot",
    ("takes", "life", "of"): "kill",
    ("took", "the", "life", "of"): "kill",
    ("claims", "life", "of"): "kill",
    ("claimed", "the", "life", "of"): "kill",
    ("wounding", "of"): "wound",
    ("nonfatal", "shooting", "of"): "injure",
    ("non", "-", "fatal", "shooting", "of"): "injure",
}
# A verb and the words after it (a possessive may come between) that say one died:
# "took his own life", "Student Takes Own Life".
LIFE_TAKING: dict[str, tuple[str, ...]] = {
    "take": ("own", "life"),
    "took": ("own", "life"),
    "takes": ("own", "life"),
    "taken": ("own", "life"),
    "taking": ("own", "life"),
    "ended": ("own", "life"),
    "ends": ("own", "life"),
}
# Events that say how many were hit: "a double shooting" is two people shot.
MULTIPLE_EVENTS: dict[tuple[str, ...], tuple[int, str]] = {
    ("double", "shooting"): (2, "shoot"),
    ("triple", "shooting"): (3, "shoot"),
    ("quadruple", "shooting"): (4, "shoot"),
    ("quintuple", "shooting"): (5, "shoot"),
    ("double", "homicide"): (2, "kill"),
    ("triple", "homicide"): (3, "kill"),
    ("quadruple", "homicide"): (4, "kill"),
    ("double", "murder"): (2, "kill"),
    ("triple", "murder"): (3, "kill"),
    ("double", "stabbing"): (2, "wound"),
}
# Words that make a sentence worth reading for implicit counts.
CASUALTY_WORDS = frozenset(
    "kill kills killed killing dead die dies died dying death fatal fatally shot shoot shoots "
    "shooting wound wounds wounded injure injured injures injuring hurt murder murdered "
    "slay slain hospitalized hospitalised stab stabbed grazed struck strike hit survive survives "
    "survived recovering recovers critical stable suicide homicide serious hospital hospitals "
    "gunshot injuries injury succumb succumbs succumbed life deceased".split()
)
# Adjectives after a figure that say what happened ("two dead", "3 injured").
PREDICATE_ADJECTIVES: dict[str, str] = {
    "dead": "die",
    "deceased": "die",
    "injured": "injure",
    "wounded": "wound",
    "hurt": "hurt",
    "killed": "kill",
    "missing": "miss",
    "hospitalized": "injure",
    "hospitalised": "injure",
    "fatally": "kill",
    "shot": "shoot",
}
# Said together ("fatally injured", "shot and wounded"), the higher rank names what happened.
PREDICATE_RANK: dict[str, int] = {
    "kill": 3,
    "die": 3,
    "succumb": 3,
    "injure": 2,
    "wound": 2,
    "hurt": 2,
    "hospitalize": 2,
    "shoot": 1,
    "hit": 1,
    "strike": 1,
    "find": 0,
}
