"""The claim contract object printed by ``monitor claims extract``.

Pure: touches nothing.
"""

from __future__ import annotations

from monitor.types import Claim


def claim_to_json(claim: Claim, id: str | None) -> dict[str, object]:
    """Return the JSON object of a claim; the ``id`` key is omitted when ``id`` is None."""
    out: dict[str, object] = {}
    if id is not None:
        out["id"] = id
    out.update(
        value=_num(claim.value),
        low=_num(claim.low),
        high=_num(claim.high),
        qualifier=claim.qualifier,
        unit=claim.unit,
        noun=claim.noun,
        predicate=claim.predicate,
        text=claim.text,
        start=claim.start,
        end=claim.end,
        sentence=claim.sentence,
    )
    return out


def _num(x: float | None) -> float | int | None:
    """Whole numbers print as integers (2000, not 2000.0)."""
    if x is None:
        return None
    if x == int(x) and abs(x) < 2**53:
        return int(x)
    return x
