"""``python -m monitor.demo``: serve the demo feeds on 127.0.0.1 until Ctrl-C.

Imperative shell: reads the clock once for the demo's ``now`` (or takes
``--now`` as ISO 8601), prints a ``feeds:`` block for config.yaml and serves.
Remember ``fetch.allow_private_addresses: true`` for a loopback server.
"""

from __future__ import annotations

import argparse
import sys
import threading
from datetime import UTC, datetime

from monitor.demo.server import DemoFeedServer


def _parse_now(text: str | None) -> datetime:
    if text is None:
        return datetime.now(UTC)
    when = datetime.fromisoformat(text)
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m monitor.demo", description=__doc__)
    parser.add_argument("--now", help="ISO 8601 time the feeds are dated against")
    parser.add_argument(
        "--literal", action="store_true", help="place items at their literal offsets"
    )
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: any free)")
    args = parser.parse_args(argv)
    now = _parse_now(args.now)
    with DemoFeedServer(now, fit_today=not args.literal, port=args.port) as server:
        sys.stdout.write(
            f"# demo feeds at {server.base_url} (Ctrl-C to stop); in config.yaml also set\n"
            "# fetch: {allow_private_addresses: true}  to poll a loopback server\n"
            + server.config_snippet()
        )
        sys.stdout.flush()
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
