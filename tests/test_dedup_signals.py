"""Evidence the clusterer weighs besides term overlap: which capitalised words are names, the
days that weekday names point to, the headline's share of an item's vector, page furniture,
and a dormant story revived by one rare person's name. Made-up text throughout."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from monitor.dedup.boiler import Boilerplate
from monitor.dedup.dormant import DormantIndex, make_dormant
from monitor.dedup.features import DocFreq, dot, featurize
from monitor.dedup.lang import language_data
from monitor.dedup.rare import RareNames
from monitor.dedup.text import event_days, names_and_numbers, number_words_of, numbers_of, terms
from monitor.types import ClusterItem
from tests.test_dedup_cluster import T0, item, warmed

EN = language_data("en")


# ---------------------------------------------------------------- names


def test_words_capitalised_only_first_in_a_sentence_are_no_names() -> None:
    text = (
        "Instead, the crowd ran. Yesterday, a witness said she heard it. Twenty people were "
        "there. Pike, a neighbour, called for help, and the owner thanked Lorna Pike."
    )
    found = names_and_numbers(text, EN)
    assert {"instead", "yesterday", "twenty"}.isdisjoint(found.names)
    # "Pike" opens a sentence too, but is capitalised mid-sentence elsewhere
    assert "pike" in found.names and "lorna" in found.names


def test_a_name_first_in_a_sentence_is_kept_before_another_name_or_in_the_headline() -> None:
    text = "Tobias Wren was 19. Wren, now 20, told the court nothing."
    found = names_and_numbers(text, EN)
    assert ("tobia", "wren") in found.phrases  # "Tobias" kept: a name follows it
    only_first = "Quill, 31, was charged. The charge was read in court."
    assert "quill" not in names_and_numbers(only_first, EN).names
    assert "quill" in names_and_numbers(only_first, EN, "Quill charged in shooting").names


def test_weekday_and_month_names_are_no_names() -> None:
    found = names_and_numbers("It happened on Tuesday in March near Elm Lake.", EN)
    assert {"tuesday", "march"}.isdisjoint(found.names)
    assert "elm" in found.names


# ---------------------------------------------------------------- event days


def test_weekday_names_point_to_the_day_on_or_before_publication() -> None:
    thursday = date(2024, 5, 2)
    days = event_days("Shots were fired on Tuesday night; police spoke Thursday.", thursday, EN)
    assert days == {date(2024, 4, 30).toordinal(), thursday.toordinal()}
    assert event_days("No day named here.", thursday, EN) == frozenset()
    assert event_days("On Tuesday", thursday, language_data("xx")) == frozenset()


_FIRST = (
    "A man was shot {day} night outside a corner store on Halsted Street in Pilsen, police "
    "said. He was taken to Stroger Hospital. No one is in custody."
)
_SECOND = (
    "Gunfire {day} night left a man hurt near a shop on Halsted Street, and neighbours said "
    "they heard four shots before a car sped away."
)


def test_reports_naming_the_same_day_join_and_other_days_stay_apart() -> None:
    # T0 is a Wednesday: "Tuesday" the next morning is the day before, "Wednesday" is that day
    first_report = item("d1", "Man shot outside Pilsen store", _FIRST.format(day="Tuesday"), 0)
    c = warmed()
    first = c.add(first_report)
    text = _SECOND.format(day="Tuesday")
    same = c.add(item("d2", "Gunfire wounds man in Pilsen", text, 20))
    assert same.kind == "join" and same.scores["same_day"] == 1.0, same.scores
    assert same.story_id == first.story_id
    other = warmed()
    first = other.add(first_report)
    text = _SECOND.format(day="Wednesday")
    later = other.add(item("d3", "Gunfire wounds man in Pilsen", text, 20))
    assert later.scores.get("same_day") == -1.0, later.scores
    assert later.story_id != first.story_id
    assert later.scores["score"] >= other.scoring.threshold  # the day alone kept them apart


# ---------------------------------------------------------------- headline weight


def test_headline_weighs_as_much_as_a_long_body() -> None:
    df = DocFreq()
    body = " ".join(f"Filler{k} sentence word{k} text{k}." for k in range(200))
    long = ClusterItem("l", "Kestrel Bay ferry fire kills two", body, T0, "a.example")
    bare = ClusterItem("b", "Two killed in Kestrel Bay ferry fire", "", T0, "b.example")
    a = featurize(long, EN, df, long.text)
    b = featurize(bare, EN, df, bare.text)
    assert dot(a.full, b.full) > 0.4  # the headline is a third of the vector, not 1/200th


# ---------------------------------------------------------------- page furniture


def test_a_body_mostly_seen_before_is_page_furniture() -> None:
    furniture = (
        "Watch the latest weather video now. Sign up for our morning newsletter today. "
        "Follow the station on every social network. Download the free app for alerts."
    )
    b = Boilerplate()
    b.observe(furniture, "s-one")
    assert b.clean(furniture).strip() == ""  # all seen before: nothing of it is evidence
    report = (
        "Fire crews saved a barn near Oakridge on Sunday afternoon. The owner thanked the "
        "volunteers from three towns. Sign up for our morning newsletter today."
    )
    kept = b.clean(report)  # one old sentence of three: the text is kept whole
    assert "Oakridge" in kept and "newsletter" in kept


# ---------------------------------------------------------------- dormant


def _rare(words: set[str], people: bool = True) -> RareNames:
    phrases = tuple(frozenset({w}) for w in sorted(words))
    places = frozenset() if people else frozenset(words)
    return RareNames(frozenset(words), frozenset(), phrases, places)


def test_one_rare_persons_name_revives_only_with_a_strong_overlap() -> None:
    when = datetime(2024, 5, 1, tzinfo=UTC)
    terms = {"ferry": 0.6, "fire": 0.5, "kestrel": 0.4, "bay": 0.3, "captain": 0.3}
    norm = sum(v * v for v in terms.values()) ** 0.5
    full = {w: v / norm for w, v in terms.items()}
    index = DormantIndex()
    d = make_dormant("s-1", when, when, [("marlowe", True), ("kestrel", True)], full)
    assert d is not None
    index.add(d)
    strong = index.match(_rare({"marlowe"}), full)
    assert strong is not None and strong.story.id == "s-1" and strong.shared == 1
    weak = {"marlowe": 0.6, "court": 0.6, "verdict": 0.5, "fire": 0.2}
    assert index.match(_rare({"marlowe"}), weak) is None  # one name, little else in common
    assert index.match(_rare({"marlowe"}, people=False), full) is None  # a place alone: no
    assert timedelta(0) == strong.story.last - when


def test_grouped_digits_are_one_number() -> None:
    """ "40,000 homes" is 40000, never the 40 of "40 acts" (the demo's drone strike joined a
    festival's story on that "40"); groups of other than three digits, and spaces, part."""
    assert numbers_of("power cut to 40,000 homes, 1.234.567 euros") == ["40000", "1234567"]
    assert numbers_of("in 2019 100 people; 2.5 km; 1,23; 007") == [
        "2019",
        "100",
        "2",
        "5",
        "1",
        "23",
        "7",
    ]
    found = names_and_numbers("The strike left 40,000 homes without power.", EN)
    assert found.numbers == ("40000",)


def test_number_words_are_read_as_digits() -> None:
    """ "Three-year-old" is the "3-year-old" of another report, and "Four shot" in a headline
    the "4 shot" of another; "one" stays a stop word ("one of the")."""
    assert terms("Three-year-old boy shot; one of the four", EN) == [
        "3",
        "year",
        "old",
        "boy",
        "shot",
        "4",
    ]
    assert terms("3-year-old boy shot", EN)[:3] == ["3", "year", "old"]
    assert number_words_of("Four shot, one dead, Twelve hurt", EN) == ["4", "12"]
    assert number_words_of("Four shot", language_data("xx")) == []
    a = featurize(
        item("a", "Four shot outside bar", "Police are investigating."), EN, DocFreq(), ""
    )
    b = featurize(item("b", "4 shot outside bar", "Police are investigating."), EN, DocFreq(), "")
    assert "#4" in a.names and dot(a.names, b.names) > 0.99
    assert dot(a.title, b.title) > 0.99
