"""OPML import and export of feed subscriptions (pure).

Parsing uses the standard library's expat, which neither expands external
entities nor lets entity expansion blow up (expat >= 2.4 limits amplification).
Touches nothing.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import quoteattr

from monitor.errors import InputError

MAX_OPML_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Outline:
    url: str
    name: str
    language: str | None = None


def parse_opml(data: bytes) -> list[Outline]:
    """Every outline with an xmlUrl, in document order, without duplicates."""
    if len(data) > MAX_OPML_BYTES:
        raise InputError("OPML file larger than 10 MiB")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as e:
        raise InputError(f"not valid OPML: {e}") from e
    if root.tag.lower() != "opml":
        raise InputError(f"not OPML: the root element is <{root.tag}>")
    found: list[Outline] = []
    seen: set[str] = set()
    for node in root.iter("outline"):
        url = (node.get("xmlUrl") or node.get("xmlurl") or "").strip()
        if not url or url in seen:
            continue
        seen.add(url)
        name = (node.get("title") or node.get("text") or "").strip()
        found.append(Outline(url=url, name=name, language=node.get("language") or None))
    return found


def render_opml(outlines: Sequence[Outline], title: str = "monitor feeds") -> str:
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<opml version="2.0">',
        f"  <head><title>{_text(title)}</title></head>",
        "  <body>",
    ]
    for o in outlines:
        lang = f" language={quoteattr(o.language)}" if o.language else ""
        name = quoteattr(o.name or o.url)
        lines.append(
            f'    <outline type="rss" text={name} title={name} xmlUrl={quoteattr(o.url)}{lang}/>'
        )
    lines += ["  </body>", "</opml>", ""]
    return "\n".join(lines)


def _text(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
