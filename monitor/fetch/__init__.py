"""HTTP adapter of monitor: polite, bounded feed fetching (owns httpx).

``Fetcher`` is the public API; ``guard`` holds the address policy, ``body``
the capped decoder, ``headers`` the pure header logic. Touches: the network.
"""

from monitor.fetch.client import Fetcher, describe

__all__ = ["Fetcher", "describe"]
