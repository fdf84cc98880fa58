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

# Words before a name that make it an official's, a spokesperson's or an author's: such
# people recur across unrelated events, so their names are no evidence of one event.
NAME_ROLES: list[str] = """
officer officers sgt sergeant lt lieutenant capt captain cpl corporal det detective chief
deputy sheriff marshal trooper cmdr commander inspector superintendent supt commissioner
spokesman spokeswoman spokesperson spokespeople representative mayor gov governor sen senator
rep councilman councilwoman alderman attorney prosecutor da judge coroner examiner
reporter correspondent anchor editor producer photographer meteorologist writer columnist
pio director president secretary minister
""".split()

# Words before a place name: a run of names after one of these (optionally after an article,
# "at the Burning Tree Apartments") is a place, which two different events can share.
LOCATIVES: list[str] = """
in at near outside inside into onto across along around behind beside between toward towards
within off on to
""".split()

# Nouns that make a name run a place ("Burning Tree Apartments", "Summit Medical Center",
# "Hermitage apartment complex"), singular: words are compared after suffix stripping.
PLACE_NOUNS: list[str] = """
street st avenue ave road rd boulevard blvd drive dr lane ln way place pl court ct parkway pkwy
highway hwy freeway interstate pike route expressway turnpike alley circle terrace trail plaza
square bridge tunnel apartment apt complex tower estate manor village heights height hill
center centre hospital clinic school college university academy campus church temple mosque
synagogue park mall store shop market restaurant bar club lounge hotel motel inn casino
station airport terminal stadium arena theater theatre library museum building home neighborhood
neighbourhood district county parish city town township borough ward block lake river creek
beach bay island valley ridge mountain forest
""".split()

# Calendar words: capitalised like names, but shared by every event of a day or a month.
CALENDAR_WORDS: list[str] = """
monday tuesday wednesday thursday friday saturday sunday january february march april may june
july august september october november december jan feb mar apr jun jul aug sep sept oct nov dec
""".split()

# Weekday names, Monday first: "on Tuesday" in a report dates its event to the Tuesday on or
# before the day it was published.
WEEKDAYS: list[str] = "monday tuesday wednesday thursday friday saturday sunday".split()

# Street nouns: a capitalised name right before one of these ("Copeland Street", "N. Main St.")
# is a street, which a report shares with the other reports of its event (an address).
STREET_NOUNS: list[str] = """
street st avenue ave road rd boulevard blvd drive dr lane ln parkway pkwy pike
highway hwy circle terrace trail alley
""".split()

# Month names, January first, each with its abbreviations: a date spelled out ("Dec. 7",
# "July 4, 2016") dates an event as a weekday name does, and still does weeks later. A
# name counts only capitalised ("May 5", not "may 5").
MONTHS: list[list[str]] = [
    m.split()
    for m in """january jan|february feb|march mar|april apr|may|june jun|july jul|august aug
    |september sep sept|october oct|november nov|december dec""".split("|")
]

# Number words read as digits, so "Three-year-old boy shot" matches "3-year-old" and "Four
# shot" a report's "4 shot" ("one" is no number here: a stop word, "one of the").
NUMBER_WORDS: dict[str, str] = {
    word: str(n)
    for n, word in enumerate(
        """zero one two three four five six seven eight nine ten eleven twelve thirteen
        fourteen fifteen sixteen seventeen eighteen nineteen twenty""".split()
    )
    if n >= 2
}
