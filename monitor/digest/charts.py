"""Small inline SVG charts of a moving claim track: value over time, one mark per outlet.

Pure string building; every piece of text is escaped. Marks differ by shape
per outlet (with a legend), conflicting reports get a ring and a "!" marker
(not colour alone). Colours come from CSS classes with presentation-attribute
fallbacks, so the chart follows the page's light/dark palette. Touches nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from monitor.digest import text
from monitor.digest.model import StepView, TrackView

WIDTH = 320
PLOT_TOP = 14
PLOT_HEIGHT = 96
LEFT = 52
PAD = 10
RIGHT = 18
AXIS_GAP = 38
LEGEND_ROW = 18
LEGEND_COLUMNS = 3
SHAPES = ("circle", "square", "triangle", "diamond", "plus", "triangle-down")
_OUTLET_CHARS = 13
LEGEND_LEFT = 8


def _e(value: str) -> str:
    return escape(value, quote=True)


def _f(value: float) -> str:
    return f"{value:.1f}"


def shape(kind: str, x: float, y: float, r: float = 4.5) -> str:
    """The SVG element for one mark (a shape centred on x, y)."""
    if kind == "circle":
        return f'<circle cx="{_f(x)}" cy="{_f(y)}" r="{_f(r)}"/>'
    if kind == "square":
        return f'<rect x="{_f(x - r)}" y="{_f(y - r)}" width="{_f(2 * r)}" height="{_f(2 * r)}"/>'
    if kind == "plus":
        w = r / 2.2
        d = (
            f"M{_f(x - w)} {_f(y - r)}h{_f(2 * w)}v{_f(r - w)}h{_f(r - w)}v{_f(2 * w)}"
            f"h{_f(w - r)}v{_f(r - w)}h{_f(-2 * w)}v{_f(w - r)}h{_f(w - r)}v{_f(-2 * w)}"
            f"h{_f(r - w)}z"
        )
        return f'<path d="{d}"/>'
    points = {
        "triangle": ((x, y - r * 1.2), (x + r * 1.1, y + r * 0.8), (x - r * 1.1, y + r * 0.8)),
        "triangle-down": ((x, y + r * 1.2), (x + r * 1.1, y - r * 0.8), (x - r * 1.1, y - r * 0.8)),
        "diamond": ((x, y - r * 1.3), (x + r * 1.1, y), (x, y + r * 1.3), (x - r * 1.1, y)),
    }[kind]
    return '<polygon points="{}"/>'.format(" ".join(f"{_f(px)},{_f(py)}" for px, py in points))


def describe(track: TrackView) -> str:
    """The accessible description of a track's chart."""
    steps = track.steps
    what = track.noun + (f" ({track.predicate})" if track.predicate else "")
    conflicts = sum(1 for s in steps if s.conflict)
    text_ = (  # a thinned track's chart plots its notable steps; the count is all of them
        f"{what}: from {steps[0].figure} ({steps[0].outlet}) to {steps[-1].figure} "
        f"({steps[-1].outlet}), {track.reports} reports"
    )
    if conflicts:
        text_ += f", {conflicts} conflicting"
    return text_


def _scale(lo: float, hi: float, out_lo: float, out_hi: float) -> tuple[float, float]:
    """(a, b) such that out = a * v + b maps [lo, hi] onto [out_lo, out_hi]."""
    if hi == lo:
        return 0.0, (out_lo + out_hi) / 2
    a = (out_hi - out_lo) / (hi - lo)
    return a, out_lo - a * lo


def _bounds(steps: Sequence[StepView]) -> tuple[float, float]:
    values = [s.value for s in steps]
    values += [b for s in steps for b in (s.low, s.high) if b is not None]
    return min(values), max(values)


def track_svg(track: TrackView) -> str:
    """An inline ``<svg>`` for one track (meant for tracks that moved)."""
    steps = track.steps
    outlets = list(dict.fromkeys(s.outlet for s in steps))
    kinds = {o: SHAPES[i % len(SHAPES)] for i, o in enumerate(outlets)}
    legend_rows = (len(outlets) + LEGEND_COLUMNS - 1) // LEGEND_COLUMNS
    height = PLOT_TOP + PLOT_HEIGHT + AXIS_GAP + legend_rows * LEGEND_ROW
    right = WIDTH - RIGHT
    bottom = PLOT_TOP + PLOT_HEIGHT
    lo, hi = _bounds(steps)
    y_lo, y_hi = bottom - PAD, PLOT_TOP + PAD
    ya, yb = _scale(lo, hi, y_lo, y_hi)
    t0, t1 = steps[0].published.timestamp(), steps[-1].published.timestamp()
    xa, xb = _scale(t0, t1, LEFT + 12, right - 16)
    label = describe(track)
    parts = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" aria-label="{_e(label)}">',
        f"<title>{_e(label)}</title>",
        f'<g class="axis" stroke="currentColor" stroke-opacity="0.45" fill="none">'
        f'<path d="M{LEFT} {PLOT_TOP}V{bottom}H{right}"/>'
        f'<path class="grid" stroke-dasharray="2 3" stroke-opacity="0.5" '
        f'd="M{LEFT} {y_hi}H{right}M{LEFT} {y_lo}H{right}"/></g>',
        '<g class="axis-labels" fill="currentColor" font-size="11">',
        f'<text x="{LEFT - 6}" y="{y_hi + 4}" text-anchor="end">{_e(text.number(hi))}</text>',
        f'<text x="{LEFT - 6}" y="{y_lo + 4}" text-anchor="end">{_e(text.number(lo))}</text>',
        f'<text x="{LEFT}" y="{bottom + 16}">{_e(f"{steps[0].published:%m-%d %H:%M}")}</text>',
        f'<text x="{right}" y="{bottom + 16}" text-anchor="end">'
        f"{_e(f'{steps[-1].published:%m-%d %H:%M}')}</text>",
        "</g>",
    ]
    points = [(xa * s.published.timestamp() + xb, ya * s.value + yb) for s in steps]
    path = " ".join(f"{_f(x)},{_f(y)}" for x, y in points)
    parts.append(
        f'<polyline class="chart-line" points="{path}" fill="none" stroke="currentColor" '
        'stroke-opacity="0.5" stroke-width="1.5"/>'
    )
    for s, (x, y) in zip(steps, points, strict=True):
        parts.append(_mark(s, x, y, kinds[s.outlet], ya, yb))
    parts.append(_legend(outlets, kinds, bottom + AXIS_GAP))
    parts.append("</svg>")
    return "".join(parts)


def _mark(s: StepView, x: float, y: float, kind: str, ya: float, yb: float) -> str:
    cls = "mark conflict" if s.conflict else "mark"
    fill = "#c62828" if s.conflict else "currentColor"
    tip = f"{s.outlet}: {s.figure} ({s.label_text}), {s.published:%Y-%m-%d %H:%M}"
    out = [f'<g class="{cls}" fill="{fill}"><title>{_e(tip)}</title>']
    if s.low is not None and s.high is not None and s.low != s.high:
        out.append(
            f'<line x1="{_f(x)}" x2="{_f(x)}" y1="{_f(ya * s.low + yb)}" '
            f'y2="{_f(ya * s.high + yb)}" stroke="{fill}" stroke-width="1.5"/>'
        )
    out.append(shape(kind, x, y))
    if s.conflict:
        out.append(
            f'<circle cx="{_f(x)}" cy="{_f(y)}" r="8" fill="none" stroke="{fill}" '
            'stroke-width="1.5"/>'
            f'<text x="{_f(x + 10)}" y="{_f(y - 6)}" font-size="12" font-weight="bold">!</text>'
        )
    out.append("</g>")
    return "".join(out)


def _legend(outlets: Sequence[str], kinds: dict[str, str], top: float) -> str:
    column = (WIDTH - 2 * LEGEND_LEFT) / LEGEND_COLUMNS
    out = ['<g class="legend" fill="currentColor" font-size="11">']
    for i, outlet in enumerate(outlets):
        row, col = divmod(i, LEGEND_COLUMNS)
        x = LEGEND_LEFT + col * column
        y = top + row * LEGEND_ROW
        name = outlet if len(outlet) <= _OUTLET_CHARS else outlet[: _OUTLET_CHARS - 1] + "\u2026"
        out.append(shape(kinds[outlet], x + 5, y - 4, 4.0))
        out.append(f'<text x="{_f(x + 14)}" y="{_f(y)}">{_e(name)}</text>')
    out.append("</g>")
    return "".join(out)
