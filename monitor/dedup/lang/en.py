"""English word lists for monitor.dedup (data only). Touches nothing."""

# Function words and reporting filler that say nothing about which event a text is about.
STOP_WORDS: list[str] = """
a about above after again against all almost also although am among an and another any anyone
anything are around as at be because been before being below between both but by can cannot
could did do does doing done down during each either else ever every few for from further get
gets got had has have having he her here hers herself him himself his how however i if in into
is it its itself just least less let like made make many may me might more most much must my
myself near neither no nor not now of off often on once one only or other others otherwise our
ours ourselves out over own per perhaps quite rather really said same say says saying see seen
she should since so some something still such than that the their theirs them themselves then
there these they this those though through thus to too toward towards under until up upon us
very via was we were what whatever when whenever where whether which while who whoever whom
whose why will with within without would yet you your yours yourself yourselves
according told tell tells also am pm news reported report reports reporter update updated
posted copyright rights reserved click share email comments comment read more advertisement
""".split()

# Plural/possessive endings folded so "shootings"/"shooting" and "police's"/"police" match.
STRIP_SUFFIXES: list[tuple[str, int]] = [("'s", 3), ("’s", 3), ("s", 4)]

# Words ending like this keep their final "s" ("address", "bus", "ms", "this").
KEEP_SUFFIXES: list[str] = ["ss", "us", "is", "ous"]
