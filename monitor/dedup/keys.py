"""The key-word index of the active stories: which stories to score for an item.

Each key word (an item's highest-weighted terms, see ``features``) maps to the
active stories holding it: one story id, or a list of them when several do (a
story is in a key's list at most once; lists cost a fraction of sets). An item's
candidates are the stories sharing the most key words with it; words held by
very many stories tell nothing and are skipped. Touches nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

MAX_POSTING = 200  # key words shared by more active stories are skipped when ranking
MAX_CANDIDATES = 24  # fully scored stories per item: bounds the cost in dense windows


class KeyIndex:
    """Key word -> active story ids."""

    def __init__(self) -> None:
        self._postings: dict[str, str | list[str]] = {}

    def __len__(self) -> int:
        """Key words held by some active story."""
        return len(self._postings)

    def add(self, story_id: str, keys: Iterable[str]) -> None:
        """Record that the story holds ``keys`` (each new to it)."""
        postings = self._postings
        for key in keys:
            posting = postings.get(key)
            if posting is None:
                postings[key] = story_id
            elif isinstance(posting, str):
                postings[key] = [posting, story_id]
            else:
                posting.append(story_id)

    def remove(self, story_id: str, keys: Iterable[str]) -> None:
        """Forget that the story holds ``keys`` (all it was added with)."""
        postings = self._postings
        for key in keys:
            posting = postings.get(key)
            if posting == story_id:
                del postings[key]
            elif isinstance(posting, list):
                posting.remove(story_id)
                if len(posting) == 1:
                    postings[key] = posting[0]

    def candidates(self, keys: Iterable[str]) -> list[str]:
        """Stories sharing the most of ``keys`` (at most ``MAX_CANDIDATES``, ties broken by
        id), in no particular order."""
        hits: Counter[str] = Counter()
        postings = [(p,) if isinstance(p, str) else p for p in map(self._postings.get, keys) if p]
        specific = [p for p in postings if len(p) <= MAX_POSTING]
        for posting in specific or postings:  # a word in thousands of stories tells nothing
            hits.update(posting)  # counted in C
        if len(hits) <= MAX_CANDIDATES:
            return list(hits)
        cut = sorted(hits.values(), reverse=True)[MAX_CANDIDATES - 1]
        picked = [sid for sid, n in hits.items() if n > cut]
        picked += sorted([sid for sid, n in hits.items() if n == cut])[
            : MAX_CANDIDATES - len(picked)
        ]
        return picked
