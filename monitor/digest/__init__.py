"""The daily digest: day context, static site, e-mail and its sending.

``build_day`` (context.py), ``render_site`` / ``site_files`` (render.py) and ``render_email``
(mail.py) are pure; ``send_email`` (send.py) is the package's only I/O.
Owns jinja2, css_inline and aiosmtplib. Imports only monitor.types/errors/config.
"""

from monitor.digest.context import build_day
from monitor.digest.mail import render_email
from monitor.digest.model import (
    DayDigest,
    EntryCard,
    HealthRow,
    HealthSection,
    StepView,
    StoryCard,
    TrackView,
)
from monitor.digest.render import default_templates_dir, render_site, site_files
from monitor.digest.send import send_email

__all__ = [
    "DayDigest",
    "EntryCard",
    "HealthRow",
    "HealthSection",
    "StepView",
    "StoryCard",
    "TrackView",
    "build_day",
    "default_templates_dir",
    "render_email",
    "render_site",
    "send_email",
    "site_files",
]
