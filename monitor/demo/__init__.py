"""The bundled demo: sample news feeds written for monitor and a local feed server.

Seven fictional outlets (RSS 2.0 and Atom 1.0) report a handful of shared
events in their own words, with numbers that differ between outlets and move
over time, wire copy republished by two outlets, unrelated single-outlet items,
and a hard negative (two separate fires in Brennport on the same day). The
answer key is ``feeds/stories.json`` (see :func:`load_truth`).

Files (package data under ``monitor/demo/feeds/``):
  ``outlets.json``  manifest: id, name, language, file, path (served at
                    ``/<path>``), format (``rss``/``atom``), wire (bool).
  ``*.xml``         feed templates, one per outlet.
  ``stories.json``  stories, each item's story / wire original, key figures,
                    and hard-negative story pairs.

Date placeholders (replaced by :func:`render_feed` with a regex, no template
engine), where OFFSET is ``<H>h<M>m``, ``<H>h`` or ``<M>m`` and at most 20h:
  ``{{ago:OFFSET}}``      RFC 822 date (RSS ``pubDate``), OFFSET before now
  ``{{ago-iso:OFFSET}}``  RFC 3339 date (Atom ``published``/``updated``)
  ``{{now}}``             RFC 822 date of the newest possible item
  ``{{now-iso}}``         RFC 3339 date of the newest possible item
Any other ``{{...}}`` raises DemoError.

Placement: with ``fit_today=True`` (the default) offsets are scaled linearly
onto [00:05 UTC of now's day, now - 1 min] (``0`` -> now - 1 min, ``20h`` ->
00:05), so every item is dated on now's UTC day and relative order is kept;
in the first six minutes after midnight the window is [00:00, now]. With
``fit_today=False`` offsets are literal (``5h30m`` -> now - 5 h 30 min).

Modules: ``render`` (pure placeholder rendering), ``catalog`` (manifest,
templates and answer key, read-only package data), ``server``
(``DemoFeedServer``, a loopback HTTP server for ``make demo`` and end-to-end
tests). ``python -m monitor.demo`` serves the feeds until interrupted.
Touches: the packaged feed files (read); the server a loopback socket.
"""

from monitor.demo.catalog import (
    Outlet,
    Truth,
    TruthItem,
    feed_list,
    load_outlets,
    load_template,
    load_truth,
    render_all,
)
from monitor.demo.render import DemoError, render_feed, window
from monitor.demo.server import DemoFeedServer, RequestRecord

__all__ = [
    "DemoError",
    "DemoFeedServer",
    "Outlet",
    "RequestRecord",
    "Truth",
    "TruthItem",
    "feed_list",
    "load_outlets",
    "load_template",
    "load_truth",
    "render_all",
    "render_feed",
    "window",
]
