"""The one exception tree of monitor.

Every error raised on purpose by monitor is a MonitorError. Adapters translate
third-party exceptions at their edge (``raise FetchError(...) from e``).
Touches nothing.
"""


class MonitorError(Exception):
    """Base of every error monitor raises on purpose."""


class ConfigError(MonitorError):
    """config.yaml (or the environment) is missing, unreadable or invalid."""


class StoreError(MonitorError):
    """The database cannot be opened, migrated or written."""


class StoreLockedError(StoreError):
    """Another daemon already holds the embedded (SQLite) store."""


class FetchError(MonitorError):
    """A feed could not be fetched (network, protocol, limits, policy)."""


class BlockedAddressError(FetchError):
    """The target resolves to a private, loopback or link-local address."""


class BodyTooLargeError(FetchError):
    """The response body exceeds the configured cap (decompressed bytes)."""


class ParseError(MonitorError):
    """Fetched bytes are not a usable feed."""


class DigestError(MonitorError):
    """The digest cannot be rendered or sent."""


class InputError(MonitorError):
    """A batch input file (JSONL, OPML) is malformed."""
