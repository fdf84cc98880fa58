"""English word lists for claim extraction (data only, no logic).

Keys are lowercase unless a comment says otherwise. Multi-word phrases are
tuples of tokens as the tokenizer produces them. Touches nothing.
"""

from __future__ import annotations

from monitor.claims.lang import LangData
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

# Currency written before the figure (case-sensitive) -> ISO code.
CURRENCY_PREFIX: dict[str, str] = {
    "$": "USD",
    "US$": "USD",
    "US $": "USD",
    "$US": "USD",
    "USD": "USD",
    "HK$": "HKD",
    "HK $": "HKD",
    "A$": "AUD",
    "AU$": "AUD",
    "C$": "CAD",
    "CA$": "CAD",
    "NZ$": "NZD",
    "S$": "SGD",
    "€": "EUR",
    "EUR": "EUR",
    "£": "GBP",
    "GBP": "GBP",
    "PS": "GBP",
    "¥": "JPY",
    "Y=": "JPY",
    "JPY": "JPY",
    "₹": "INR",
    "INR": "INR",
    "Rs": "INR",
    "RM": "MYR",
    "₴": "UAH",
    "₽": "RUB",
    "CHF": "CHF",
    "R$": "BRL",
}

_U: list[tuple[str, str]] = [
    ("%", "percent"),
    ("percent", "percent"),
    ("per cent", "percent"),
    ("pc", "percent"),
    ("percentage points", "percentage point"),
    ("percentage point", "percentage point"),
    ("basis points", "basis point"),
    ("basis point", "basis point"),
    ("bps", "basis point"),
    ("bp", "basis point"),
    ("dollars", "USD"),
    ("dollar", "USD"),
    ("us dollars", "USD"),
    ("cents", "cent"),
    ("cent", "cent"),
    ("euros", "EUR"),
    ("euro", "EUR"),
    ("pounds sterling", "GBP"),
    ("sterling", "GBP"),
    ("yen", "JPY"),
    ("yuan", "CNY"),
    ("chinese yuan", "CNY"),
    ("renminbi", "CNY"),
    ("rupees", "INR"),
    ("shekels", "ILS"),
    ("hryvnias", "UAH"),
    ("hryvnia", "UAH"),
    ("rubles", "RUB"),
    ("roubles", "RUB"),
    ("sen", "sen"),
    ("pence", "pence"),
    ("p", "pence"),
    ("kn", "HRK"),
    ("km", "km"),
    ("kms", "km"),
    ("kilometres", "km"),
    ("kilometers", "km"),
    ("kilometre", "km"),
    ("kilometer", "km"),
    ("km/h", "km/h"),
    ("kph", "km/h"),
    ("kilometres per hour", "km/h"),
    ("kilometers per hour", "km/h"),
    ("miles per hour", "mph"),
    ("mph", "mph"),
    ("m.p.h.", "mph"),
    ("miles", "mile"),
    ("mile", "mile"),
    ("metres", "m"),
    ("meters", "m"),
    ("metre", "m"),
    ("meter", "m"),
    ("metres per second", "m/s"),
    ("m/s", "m/s"),
    ("cm", "cm"),
    ("centimetres", "cm"),
    ("centimeters", "cm"),
    ("mm", "mm"),
    ("millimetres", "mm"),
    ("millimeters", "mm"),
    ("μm", "μm"),
    ("nm", "nm"),
    ("nanometer", "nm"),
    ("nanometers", "nm"),
    ("nanometres", "nm"),
    ("feet", "foot"),
    ("foot", "foot"),
    ("ft", "foot"),
    ("'", "foot"),
    ("inches", "inch"),
    ("inch", "inch"),
    ("in.", "inch"),
    ("yards", "yard"),
    ("yard", "yard"),
    ("yds", "yard"),
    ("square feet", "sq ft"),
    ("sq ft", "sq ft"),
    ("square foot", "sq ft"),
    ("square metres", "sq m"),
    ("square meters", "sq m"),
    ("sq m", "sq m"),
    ("sqm", "sq m"),
    ("square miles", "sq mi"),
    ("square kilometres", "sq km"),
    ("square kilometers", "sq km"),
    ("sq km", "sq km"),
    ("cubic feet", "cu ft"),
    ("acres", "acre"),
    ("acre", "acre"),
    ("hectares", "ha"),
    ("ha", "ha"),
    ("kg", "kg"),
    ("kilograms", "kg"),
    ("kilogrammes", "kg"),
    ("kilos", "kg"),
    ("g", "g"),
    ("grams", "g"),
    ("mg", "mg"),
    ("milligrams", "mg"),
    ("drams", "dram"),
    ("pounds", "pound"),
    ("lb", "pound"),
    ("lbs", "pound"),
    ("ounces", "ounce"),
    ("oz", "ounce"),
    ("tonnes", "tonne"),
    ("tons", "tonne"),
    ("tonne", "tonne"),
    ("ton", "tonne"),
    ("litres", "l"),
    ("liters", "l"),
    ("litre", "l"),
    ("liter", "l"),
    ("l", "l"),
    ("ml", "ml"),
    ("gallons", "gallon"),
    ("gallon", "gallon"),
    ("barrels", "barrel"),
    ("barrel", "barrel"),
    ("mpg", "mpg"),
    ("hp", "hp"),
    ("horsepower", "hp"),
    ("bhp", "hp"),
    ("ps", "hp"),
    ("kw", "kW"),
    ("kilowatts", "kW"),
    ("mw", "MW"),
    ("megawatts", "MW"),
    ("megawatt", "MW"),
    ("gw", "GW"),
    ("gigawatts", "GW"),
    ("gwh", "GWh"),
    ("kwh", "kWh"),
    ("mwh", "MWh"),
    ("w", "W"),
    ("watts", "W"),
    ("v", "V"),
    ("volts", "V"),
    ("kv", "kV"),
    ("mah", "mAh"),
    ("hz", "Hz"),
    ("ghz", "GHz"),
    ("mhz", "MHz"),
    ("gb", "GB"),
    ("tb", "TB"),
    ("mb", "MB"),
    ("kb", "kB"),
    ("nm", "nm"),
    ("newton metres", "Nm"),
    ("lb-ft", "lb-ft"),
    ("pound-feet", "lb-ft"),
    ("rpm", "rpm"),
    ("degrees celsius", "°C"),
    ("degrees fahrenheit", "°F"),
    ("degrees", "degree"),
    ("degree", "degree"),
    ("°c", "°C"),
    ("°f", "°F"),
    ("°", "degree"),
    ("celsius", "°C"),
    ("fahrenheit", "°F"),
    ("decibels", "dB"),
    ("db", "dB"),
    ("ppm", "ppm"),
    ("ppb", "ppb"),
    ("parts per million", "ppm"),
    ("parts per billion", "ppb"),
    ("mpa", "MPa"),
    ("ksi", "ksi"),
    ("farads", "F"),
    ("year - old", "year-old"),
    ("years - old", "year-old"),
    ("years old", "year-old"),
    ("month - old", "month-old"),
    ("year old", "year-old"),
    ("month old", "month-old"),
    ("months - old", "month-old"),
    ("months old", "month-old"),
    ("week - old", "week-old"),
    ("day - old", "day-old"),
    ("lb - ft", "lb-ft"),
    ("pound - feet", "lb-ft"),
    ("km / h", "km/h"),
    ("m / s", "m/s"),
    ("° c", "°C"),
    ("° f", "°F"),
    ("kv / cm", "kV/cm"),
    ("a / cm2", "A/cm2"),
    ("amps", "A"),
]
UNITS: dict[tuple[str, ...], str] = {tuple(p.split()): u for p, u in _U}
# Units glued to the digits ("5kW", "640bhp", "118.5p", "87mph"); lowercase keys.
UNIT_SUFFIXES: dict[str, str] = {p: u for p, u in _U if " " not in p}

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
SKIP_ADVERBS = frozenset(
    "reportedly allegedly also now already all since later then still just both each "
    "officially reportedly initially so far together not never yet fatally critically "
    "seriously reported said".split()
)
PART_MARKERS = frozenset("including among incl. incl of whom which them".split())
RANGE_JOINERS = frozenset("- – — to and or".split())

PERSON_NOUNS = frozenset(
    "man woman person teen teenager boy girl child kid baby toddler infant student youth "
    "victim driver passenger officer deputy trooper resident customer employee worker clerk "
    "cashier bystander pedestrian suspect gunman shooter father mother son daughter brother "
    "sister husband wife friend neighbor neighbour homeowner juvenile adult male female "
    "individual guard owner security soldier civilian".split()
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
    ("nonfatal", "shooting", "of"): "injure",
    ("non", "-", "fatal", "shooting", "of"): "injure",
}
# Words that make a sentence worth reading for implicit counts.
CASUALTY_WORDS = frozenset(
    "kill kills killed killing dead die dies died dying death fatal fatally shot shoot shoots "
    "shooting wound wounds wounded injure injured injures injuring hurt murder murdered "
    "slay slain hospitalized hospitalised stab stabbed grazed struck strike hit".split()
)
# Adjectives after a figure that say what happened ("two dead", "3 injured").
PREDICATE_ADJECTIVES: dict[str, str] = {
    "dead": "die",
    "injured": "injure",
    "wounded": "wound",
    "hurt": "hurt",
    "killed": "kill",
    "missing": "miss",
    "hospitalized": "injure",
    "hospitalised": "injure",
    "fatally": "kill",
}

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

ABBREVIATIONS = frozenset(
    "mr mrs ms dr st jr sr prof gen col lt sgt capt rep sen gov u.s u.k no vs inc corp co ltd "
    "jan feb mar apr jun jul aug sep sept oct nov dec a.m p.m e.g i.e etc approx dept est fig "
    "mt ft ave blvd rd".split()
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
    casualty_words=CASUALTY_WORDS,
    predicate_adjectives=PREDICATE_ADJECTIVES,
    noun_synonyms=NOUN_SYNONYMS,
    predicate_synonyms=PREDICATE_SYNONYMS,
    abbreviations=ABBREVIATIONS,
    year_range=(1800, 2150),
    bounds_words=frozenset({p[0] for p in BOUNDS} | {"minus", "mid"}),
)
