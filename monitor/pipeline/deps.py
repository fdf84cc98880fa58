"""What a poll cycle needs (Deps) and what it reports (PollReport). Touches nothing
(the parse workers of ``Deps.parser`` and the fetch child of ``Deps.fetch_process``
are started by their first cycle)."""

from __future__ import annotations

import random
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from monitor import claims, dedup
from monitor.config import Settings
from monitor.pipeline.fetching import FetchProcess
from monitor.pipeline.listed import ListedItems
from monitor.pipeline.parsing import Parser, ProcessParser, make_parser
from monitor.store import Store

Progress = Callable[[str, int], None]


@dataclass
class Deps:
    """What a poll cycle needs; built once by the CLI or the daemon."""

    settings: Settings
    store: Store
    owner: str
    rng: random.Random = field(default_factory=random.Random)
    clusterer: dedup.StoryWindow | None = None
    stop: threading.Event = field(default_factory=threading.Event)
    cursor: int = -1
    floor: datetime | None = None  # the oldest publication time a cold start restored
    own_uids: set[str] = field(default_factory=set)
    seen: dict[str, int] = field(default_factory=dict)
    edit: int = -1
    listed: ListedItems = field(default_factory=ListedItems)
    _parser: Parser | None = None
    _fetch_process: FetchProcess | None = None

    @property
    def tracker(self) -> claims.Tracking:
        """Claim tracking; entries that name no language count as ``stories.language``."""
        return claims.Tracking(language=self.settings.stories.language)

    def parser(self) -> Parser:
        """The feed parser of these Deps (worker processes per ``poll.parse_processes``),
        made on first use and closed by ``close()`` or when the Deps are collected."""
        if self._parser is None:
            self._parser = make_parser(self.settings.poll.parse_processes)
            if isinstance(self._parser, ProcessParser):
                weakref.finalize(self, self._parser.close)
        return self._parser

    def fetch_process(self) -> FetchProcess:
        """The fetch child of these Deps (``poll.fetch_process``), made on first use and
        closed by ``close()`` or when the Deps are collected."""
        if self._fetch_process is None:
            self._fetch_process = FetchProcess(self.settings.fetch)
            weakref.finalize(self, self._fetch_process.close)
        return self._fetch_process

    def close(self) -> None:
        """Stop the parse workers and the fetch child (the daemon and the CLI call this
        when they finish)."""
        if isinstance(self._parser, ProcessParser):
            self._parser.close()
        if self._fetch_process is not None:
            self._fetch_process.close()


@dataclass
class PollReport:
    feeds: int = 0
    fetched: int = 0
    not_modified: int = 0
    failed: int = 0
    new_entries: int = 0
    changed_entries: int = 0
    errors: list[str] = field(default_factory=list)
