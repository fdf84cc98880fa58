"""A story's summed term vectors (headline, body, names, full) in flat arrays.

One index (term -> slot number) serves the four parts; each part keeps its
values in an ``array('d')`` by slot (0.0 where the part lacks the term) and the
order in which terms first entered it (the full part, added first, is in slot
order, so it needs no list of its own). An entry costs about 70 bytes for all
four parts instead of a dict entry and a float object in each (~50 bytes each).
Dot products are those of ``features.dot`` term for term: summed in the order of
the shorter vector (a missing term adds an exact 0.0), so every score is the same
to the last bit. Touches nothing.
"""

from __future__ import annotations

from array import array
from collections.abc import Container, Iterable, Iterator, Mapping
from itertools import compress, repeat
from operator import mul

TITLE, BODY, NAMES, FULL = 0, 1, 2, 3
ORDER = (FULL, TITLE, BODY, NAMES)  # the order ``add`` must see the parts of an item in
_PARTS = 4
_slot_ints: list[int] = list(range(1024))  # one int object per slot number, for all stories


def _slot_int(n: int) -> int:
    """The shared int object of slot ``n`` (numbers over 256 are objects of their own)."""
    while n >= len(_slot_ints):
        _slot_ints.extend(range(len(_slot_ints), 2 * len(_slot_ints)))
    return _slot_ints[n]


class TermSums:
    """Four sparse vectors over one term index; slot 0 is a placeholder, always 0.0."""

    __slots__ = ("_index", "_terms", "_values", "_orders", "_flags", "_sizes", "_top")

    def __init__(self) -> None:
        self._index: dict[str, int] = {}
        self._terms: list[str] = [""]
        self._values = tuple(array("d", [0.0]) for _ in range(_PARTS))
        # slots of each part in first-entered order; None: slot order (the full part, as
        # long as no term enters it after one of a later slot)
        self._orders: list[array[int] | None] = [array("H"), array("H"), array("H"), None]
        self._flags = bytearray(1)  # bit p: the slot's term is in part p
        self._sizes = [0, 0, 0, 0]
        self._top = [0, 0, 0, 0]  # the highest slot of each part

    def size(self, part: int) -> int:
        """Terms in ``part``."""
        return self._sizes[part]

    def contains(self, part: int, term: str) -> bool:
        slot = self._index.get(term)
        return slot is not None and bool(self._flags[slot] >> part & 1)

    def _slots(self, part: int) -> Iterable[int]:
        order = self._orders[part]
        if order is not None:
            return order
        bit = 1 << part
        return compress(range(len(self._terms)), (f & bit for f in self._flags))

    def terms(self, part: int) -> Iterator[str]:
        """The terms of ``part`` in the order they first entered it."""
        return map(self._terms.__getitem__, self._slots(part))

    def items(self, part: int) -> list[tuple[str, float]]:
        """(term, value) of ``part`` in that order."""
        values, terms = self._values[part], self._terms
        return [(terms[s], values[s]) for s in self._slots(part)]

    def dot(self, part: int, vec: Mapping[str, float]) -> float:
        """``features.dot(vec, part)``: over the shorter one, in its order (all looped in C)."""
        values = self._values[part]
        total: float
        if len(vec) > self._sizes[part]:
            order = self._orders[part]
            if order is None:  # every slot in order: the others add 0.0 * 0.0
                found = map(vec.get, self._terms, repeat(0.0))
                total = sum(map(mul, values, found))
            else:
                found = map(vec.get, map(self._terms.__getitem__, order), repeat(0.0))
                total = sum(map(mul, map(values.__getitem__, order), found))
        else:
            slots = map(self._index.get, vec, repeat(0))
            total = sum(map(mul, vec.values(), map(values.__getitem__, slots)))
        return total

    def add(self, part: int, vec: Mapping[str, float]) -> None:
        """``part += vec`` (an item's parts in the order ``ORDER``)."""
        index, values, flags = self._index, self._values[part], self._flags
        order = self._orders[part]
        bit = 1 << part
        for term, v in vec.items():
            slot = index.get(term)
            if slot is None:
                slot = index[term] = _slot_int(len(self._terms))
                self._terms.append(term)
                for vals in self._values:
                    vals.append(0.0)
                flags.append(0)
            if not flags[slot] & bit:
                if order is None:
                    if slot < self._top[part]:  # out of slot order: keep a list from now on
                        order = self._orders[part] = array("I", self._slots(part))
                    else:
                        self._top[part] = slot
                elif slot > 0xFFFF and order.typecode == "H":
                    order = self._orders[part] = array("I", order)
                flags[slot] |= bit
                self._sizes[part] += 1
                if order is not None:
                    order.append(slot)
            values[slot] += v

    def restricted(self, keep: Container[str]) -> TermSums:
        """A copy holding only the terms in ``keep`` (each part's terms in their order)."""
        out = TermSums()
        terms = self._terms
        for part in ORDER:
            values = self._values[part]
            kept = {terms[s]: values[s] for s in self._slots(part) if terms[s] in keep}
            out.add(part, kept)
        return out
