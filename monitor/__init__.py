"""monitor: a media-monitoring feed aggregator.

Polls RSS/Atom feeds politely, groups articles about one event into stories,
tracks the numbers outlets claim, and renders daily digests.
"""

__version__ = "0.1.0"
