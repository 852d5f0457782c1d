"""Server-rendered SVG charts for the evaluation summary: no script, no node build, no library.

Each function returns markup safe to place in a page: an `<svg role="img">` with a `<title>`
naming what it shows (the page puts the same numbers in a table for screen readers and print).
Colours are presentation attributes, not styles, so the page's CSP needs nothing new.
"""

from collections.abc import Sequence
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .rules_evaluation import RATINGS, Distribution

INK = "#212529"
MUTED = "#6c757d"
BAR = "#0d6efd"
GRID = "#dee2e6"


def _svg(width: int, height: int, title: str, body: list[str], ident: str) -> SafeString:
    return mark_safe(  # noqa: S308 - every text below is escaped
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-labelledby="{ident}"><title id="{ident}">'
        f"{escape(title)}</title>{''.join(body)}</svg>"
    )


def distribution_svg(dist: Distribution, *, title: str, ident: str) -> SafeString:
    """Horizontal bars: how many answers gave 1, 2, 3, 4 and 5."""
    width, row, left, right = 360, 26, 28, 90
    height = row * len(RATINGS) + 8
    most = max(dist.counts) or 1
    body = []
    for i, rating in enumerate(reversed(RATINGS)):
        count = dist.counts[rating - 1]
        y = 4 + i * row
        length = (width - left - right) * count / most
        body.append(
            f'<text x="{left - 8}" y="{y + 17}" text-anchor="end" font-size="13" '
            f'fill="{INK}">{rating}</text>'
            f'<rect x="{left}" y="{y + 4}" width="{length:.1f}" height="{row - 8}" fill="{BAR}"/>'
            f'<text x="{left + length + 6:.1f}" y="{y + 17}" font-size="12" fill="{INK}">'
            f"{count} ({dist.share(rating)}%)</text>"
        )
    return _svg(width, height, title, body, ident)


def line_svg(
    points: Sequence[tuple[str, Decimal | None]],
    *,
    title: str,
    ident: str,
    low: Decimal,
    high: Decimal,
    unit: str = "",
) -> SafeString:
    """Values over the sessions, in order; None leaves a gap (a session too small to show)."""
    width, height, left, top, bottom = 640, 180, 36, 10, 26
    inner_w, inner_h = width - left - 10, height - top - bottom
    n = len(points)
    body = []
    span = (high - low) or Decimal(1)
    for tick in _ticks(low, high):
        y = top + inner_h * float((high - tick) / span)
        body.append(
            f'<line x1="{left}" x2="{width - 10}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" '
            f'fill="{MUTED}">{tick}{unit}</text>'
        )

    def x_of(i: int) -> float:
        return left + (inner_w * (i + 0.5) / n if n else 0)

    segment: list[str] = []
    segments: list[list[str]] = []
    for i, (_label, value) in enumerate(points):
        if value is None:
            if segment:
                segments.append(segment)
            segment = []
            continue
        y = top + inner_h * float((high - Decimal(value)) / span)
        segment.append(f"{x_of(i):.1f},{y:.1f}")
        body.append(f'<circle cx="{x_of(i):.1f}" cy="{y:.1f}" r="3" fill="{BAR}"/>')
    if segment:
        segments.append(segment)
    for seg in segments:
        if len(seg) > 1:
            body.append(
                f'<polyline points="{" ".join(seg)}" fill="none" stroke="{BAR}" stroke-width="2"/>'
            )
    if n:
        step = max(1, n // 8)  # at most about eight date labels
        for i in range(0, n, step):
            body.append(
                f'<text x="{x_of(i):.1f}" y="{height - 8}" text-anchor="middle" font-size="11" '
                f'fill="{MUTED}">{escape(points[i][0])}</text>'
            )
    return _svg(width, height, title, body, ident)


def _ticks(low: Decimal, high: Decimal) -> list[Decimal]:
    if high - low <= 4:
        return [low + i for i in range(int(high - low) + 1)]
    step = (high - low) / 4
    return [low + step * i for i in range(5)]
