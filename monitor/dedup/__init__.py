"""Deduplication and same-event story clustering (pure: no I/O, no clock).

Public API: ``text_hash`` (exact duplicates), ``StoryClusterer`` (online
assignment of items to stories: new / join / copy / exact), ``cluster_batch``
(the same clusterer over a sorted batch). See ``clusterer`` for the method.
Touches nothing.
"""

from monitor.dedup.batch import cluster_batch
from monitor.dedup.clusterer import Scoring, StoryClusterer
from monitor.dedup.languages import StoryWindow
from monitor.dedup.text import text_hash

__all__ = ["Scoring", "StoryClusterer", "StoryWindow", "cluster_batch", "text_hash"]
