"""A story's term sums in flat arrays give the very floats of summed dicts."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.dedup.features import add_into, dot
from monitor.dedup.sums import FULL, NAMES, ORDER, TITLE, TermSums

_TERMS = st.sampled_from([f"w{i}" for i in range(40)] + [f"#{i}" for i in range(5)])
_VEC = st.dictionaries(_TERMS, st.floats(-3.0, 3.0, allow_nan=False), max_size=20)
_ITEM = st.tuples(_VEC, _VEC, _VEC, _VEC)  # title, body, names, full


@settings(max_examples=100, deadline=None)
@given(st.lists(_ITEM, max_size=6), _VEC)
def test_dots_and_sums_equal_those_of_dicts_bit_for_bit(items: list, probe: dict) -> None:
    sums = TermSums()
    plain: list[dict[str, float]] = [{}, {}, {}, {}]
    for vecs in items:
        for part in ORDER:
            assert sums.dot(part, vecs[part]) == dot(vecs[part], plain[part])
            sums.add(part, vecs[part])
            add_into(plain[part], vecs[part])
    for part in ORDER:
        assert sums.dot(part, probe) == dot(probe, plain[part])
        assert sums.items(part) == list(plain[part].items())  # values and first-seen order
        assert sums.size(part) == len(plain[part])
        assert all(sums.contains(part, w) == (w in plain[part]) for w in [*probe, "zz"])


def test_a_full_term_seen_before_in_another_part_keeps_its_order() -> None:
    sums = TermSums()
    sums.add(FULL, {"a": 1.0})
    sums.add(TITLE, {"b": 2.0})
    sums.add(NAMES, {"c": 3.0})
    sums.add(FULL, {"d": 0.5, "c": 0.25, "b": 0.125})  # "c" and "b" came before "d"
    assert [w for w, _ in sums.items(FULL)] == ["a", "d", "c", "b"]
    assert sums.dot(FULL, {"a": 1.0, "b": 1.0, "c": 1.0, "d": 1.0, "e": 1.0}) == (
        1.0 + 0.5 + 0.25 + 0.125
    )
