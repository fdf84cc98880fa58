"""Numeric claims: extract figures from text and track them across outlets.

Public API (pure, no I/O, no clock):
- ``extract(text, language="en") -> list[Claim]``
- ``track(reports, conflict_window=timedelta(hours=6), rise_window=timedelta(hours=1))``
  ``-> list[Track]``; ``Tracking`` (the windows, plus a claim's track family) for the store
- ``claim_to_json(claim, id) -> dict``

Submodules: text (sentences, tokens), prefilter (which sentences may hold a
claim), numbers (number surface forms), context (units, currency, non-claim
filters), nouns (counted noun and predicate), implicit and objects ("a man was
killed" = 1, "Man, woman shot" = 2, "shot himself"), extract, track, jsonout,
and lang/ (per-language word lists as data). Touches nothing.
"""

from __future__ import annotations

from monitor.claims.extract import extract
from monitor.claims.grow import Tracking
from monitor.claims.jsonout import claim_to_json
from monitor.claims.track import track

__all__ = ["Tracking", "claim_to_json", "extract", "track"]
