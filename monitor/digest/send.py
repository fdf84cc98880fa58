"""Send a rendered digest e-mail over SMTP: the only I/O of monitor.digest.

STARTTLS or implicit TLS and login as configured; aiosmtplib and socket errors
become DigestError. The message passed in is not modified (a copy gets the
Date and Message-ID headers when missing).
Touches: the network (SMTP). Owns aiosmtplib.
"""

from __future__ import annotations

import copy
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

import aiosmtplib

from monitor.config import SmtpSettings
from monitor.errors import DigestError


async def send_email(message: EmailMessage, smtp: SmtpSettings) -> None:
    """Deliver ``message`` to its To/Cc recipients through ``smtp``."""
    if smtp.ssl and smtp.starttls:
        raise DigestError("smtp: choose either ssl (implicit TLS) or starttls, not both")
    outgoing = copy.deepcopy(message)
    if outgoing["Date"] is None:
        outgoing["Date"] = formatdate(localtime=False, usegmt=True)
    if outgoing["Message-ID"] is None:
        outgoing["Message-ID"] = make_msgid(domain=_domain(outgoing))
    try:
        await aiosmtplib.send(
            outgoing,
            hostname=smtp.host,
            port=smtp.port,
            username=smtp.username,
            password=smtp.password,
            use_tls=smtp.ssl,
            start_tls=smtp.starttls,
            timeout=smtp.timeout_s,
        )
    except (aiosmtplib.SMTPException, OSError, TimeoutError, ValueError) as e:
        raise DigestError(f"cannot send the digest via {smtp.host}:{smtp.port}: {e}") from e


def _domain(message: EmailMessage) -> str:
    sender = str(message["From"] or "")
    domain = sender.rsplit("@", 1)[-1].strip("> ")
    return domain or "monitor.invalid"
