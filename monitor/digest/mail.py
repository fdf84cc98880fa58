"""Render a DayDigest as a multipart/alternative e-mail (plain text + HTML): pure.

The HTML part's CSS (templates/email.css) is inlined into style= attributes
with css_inline, since mail clients drop <style> blocks. Links go only to the
original articles (http(s)); the static site has no absolute address.
Touches: the templates directory (read). Owns css_inline.
"""

from __future__ import annotations

from collections.abc import Sequence
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formataddr, parseaddr
from pathlib import Path

import css_inline

from monitor.digest.model import DayDigest
from monitor.digest.render import environment, render
from monitor.errors import DigestError


def render_email(
    digest: DayDigest,
    templates_dir: Path,
    sender: str,
    recipients: Sequence[str],
    subject: str,
) -> EmailMessage:
    """The digest as an e-mail ready for ``send_email``."""
    if not recipients:
        raise DigestError("the digest e-mail has no recipients")
    env = environment(templates_dir)
    text = render(env, "email.txt", digest=digest)
    css = (templates_dir / "email.css").read_text(encoding="utf-8")
    html = render(env, "email.html", digest=digest, css=css, subject=subject)
    inliner = css_inline.CSSInliner(
        load_remote_stylesheets=False, keep_style_tags=False, keep_link_tags=False
    )
    try:
        inlined = inliner.inline(html)
    except (ValueError, css_inline.InlineError) as e:
        raise DigestError(f"cannot inline the e-mail CSS: {e}") from e
    message = EmailMessage()
    message["Subject"] = " ".join(subject.split())
    message["From"] = _address(sender)
    message["To"] = ", ".join(_address(r) for r in recipients)
    message.set_content(text)
    message.add_alternative(inlined, subtype="html")
    return message


def _address(value: str) -> str:
    name, addr = parseaddr(value)
    if not addr or "@" not in addr or any(c in value for c in "\r\n\0"):
        raise DigestError(f"not an e-mail address: {value!r}")
    try:
        Address(addr_spec=addr)
    except (ValueError, IndexError) as e:
        raise DigestError(f"not an e-mail address: {value!r}") from e
    return formataddr((name, addr)) if name else addr
