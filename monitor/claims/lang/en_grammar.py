"""English function words for claim extraction (data only, no logic).

Stop words, auxiliaries, articles and determiners, and the words around the number
word for one. Lowercase. Touches nothing.
"""

from __future__ import annotations

STOP_WORDS = frozenset(
    "a an the of in on at to for from by with and or but nor as than that which who whom whose "
    "this these those it its their his her our your my we they he she you i me him them us "
    "is are was were be been being have has had do does did will would can could should may "
    "might must shall not no yes so if then there here when where while after before during "
    "since until into onto over under about around between among per each every all some any "
    "more most less least many much such only just also even still very too said says say "
    "according including plus vs versus via than last next first more behind above below "
    "across against along within without near inside outside toward towards upon off out up "
    "down through throughout beyond despite except like unlike almost nearly roughly".split()
)
AUX_WORDS = frozenset(
    "is are was were be been being have has had do does did will would can could should may "
    "might must shall 's 're 've 'd".split()
)

INDEFINITE_ARTICLES = frozenset({"a", "an"})
DEFINITE_ARTICLES = frozenset({"the"})
# determiners skipped after 'of': 'five of the soldiers', 'three of whom'
OF_DETERMINERS = frozenset("the its his her their those these our your them which whom".split())
# a fraction is a number only before one of these: 'a third of', 'half their'
FRACTION_FOLLOWERS = frozenset("of the a an its their his her".split())
# 'no one', 'the one', 'which one', 'someone one': the word for one is a pronoun
ONE_PRONOUN_BEFORE = frozenset("no the this that any every each which same someone".split())
# 'one another', 'one day', 'one time', 'one way': an idiom, not a count
ONE_IDIOM_AFTER = frozenset("another day time way".split())
