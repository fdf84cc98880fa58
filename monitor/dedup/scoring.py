"""Weights and thresholds of the story clusterer's join decision. Touches nothing."""

from __future__ import annotations

from dataclasses import dataclass

from monitor.dedup.anchors import SecondChance
from monitor.dedup.revival import Revival


@dataclass(frozen=True, slots=True)
class Scoring:
    """Weights and thresholds of the join decision (see docs in __init__)."""

    sigma_days: float = 3.0
    # 0.25 favoured precision before the date evidence (session 1: P 0.990 R 0.767 on GVA);
    # with it 0.22 (see docs/benchmarks.md); merging two events is worse for a reader than
    # showing one event as two stories, and same-city hard negatives need it.
    threshold: float = 0.22
    # a join also needs specific evidence: shared headline words or shared names/numbers
    min_specific: float = 0.05
    # each shared person's name that few stories ever contained (at most two) lowers the
    # threshold by this fraction of it: a victim's rare name is evidence of its own
    # (GVA: P 0.986 R 0.807 F1 0.888 with the dormant tier, 45 days)
    rare_name_discount: float = 0.2
    # when the item and the story both date their event by weekday names ("on Tuesday"), the
    # threshold is lowered by this fraction if a day agrees and raised by this one if none
    # does (same-event reports within 3 days: 7 % of the pairs dating both name other days;
    # wrong candidates scoring 0.15 or more: 79 %)
    date_agree_discount: float = 0.1
    # (1.0 before session 4; 0.7: GVA tune half F1 0.9087 -> 0.9098, check half 0.9085 ->
    # 0.9097: follow-ups name the day of the arrest or the death, not only the event's)
    date_conflict_penalty: float = 0.7
    copy_jaccard: float = 0.7
    copy_title_overlap: float = 0.3
    # below the threshold, a shared rare full name or street on agreeing dates (see ``anchors``)
    second_chance: SecondChance | None = SecondChance()
    # when an item reopens a dormant story (see ``revival``)
    revival: Revival = Revival()
