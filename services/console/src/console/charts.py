"""Small charts as inline SVG, drawn on the server (no JavaScript chart library)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from markupsafe import Markup

PALETTE = ("#2f6fb3", "#3a9d5d", "#d08b1f", "#c0392b", "#7b5ea7", "#1f8a8a")


def bar_chart(title: str, bars: Sequence[tuple[str, float]], unit: str = "",
              width: int = 560, bar_height: int = 22) -> Markup:
    """Horizontal bars, one per label; the value is written beside each bar."""
    if not bars:
        return Markup(f'<p class="muted">{escape(title)}：暂无数据</p>')  # noqa: S704 - escaped
    top = max((v for _, v in bars), default=0) or 1
    label_w, value_w = 150, 70
    plot = width - label_w - value_w
    height = 30 + len(bars) * (bar_height + 8)
    parts = [f'<svg class="chart" role="img" aria-label="{escape(title)}" '
             f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet">',
             f'<title>{escape(title)}</title>',
             f'<text x="0" y="16" class="chart-title">{escape(title)}</text>']
    for i, (name, value) in enumerate(bars):
        y = 28 + i * (bar_height + 8)
        w = max(1.0, plot * value / top)
        colour = PALETTE[i % len(PALETTE)]
        parts.append(f'<text x="{label_w - 6}" y="{y + bar_height * 0.7:.0f}" '
                     f'text-anchor="end">{escape(str(name))[:24]}</text>')
        parts.append(f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_height}" '
                     f'fill="{colour}"><title>{escape(str(name))}: {value:g}{unit}</title></rect>')
        parts.append(f'<text x="{label_w + w + 6:.1f}" y="{y + bar_height * 0.7:.0f}">'
                     f'{value:g}{escape(unit)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text in it is escaped


def line_chart(title: str, x_labels: Sequence[str], series: dict[str, Sequence[float | None]],
               unit: str = "%", width: int = 560, height: int = 220,
               y_max: float | None = None) -> Markup:
    """One line per series over the x labels (e.g. SLA met per metric per day)."""
    if not x_labels or not series:
        return Markup(f'<p class="muted">{escape(title)}：暂无数据</p>')  # noqa: S704 - escaped
    left, right, top_pad, bottom = 44, 12, 28, 40
    plot_w, plot_h = width - left - right, height - top_pad - bottom
    values = [v for s in series.values() for v in s if v is not None]
    top = y_max if y_max is not None else (max(values, default=0) or 1)
    step = plot_w / max(1, len(x_labels) - 1)

    def point(i: int, v: float) -> tuple[float, float]:
        return left + i * step, top_pad + plot_h - plot_h * v / top

    parts = [f'<svg class="chart" role="img" aria-label="{escape(title)}" '
             f'viewBox="0 0 {width} {height + 18 * len(series)}" width="100%">',
             f'<title>{escape(title)}</title>',
             f'<text x="0" y="16" class="chart-title">{escape(title)}</text>',
             f'<line x1="{left}" y1="{top_pad + plot_h}" x2="{width - right}" '
             f'y2="{top_pad + plot_h}" stroke="#999"/>',
             f'<text x="{left - 4}" y="{top_pad + 4}" text-anchor="end">{top:g}{unit}</text>',
             f'<text x="{left - 4}" y="{top_pad + plot_h}" text-anchor="end">0</text>']
    every = max(1, len(x_labels) // 6)
    for i, x in enumerate(x_labels):
        if i % every == 0 or i == len(x_labels) - 1:
            px, _ = point(i, 0)
            anchor = "end" if i == len(x_labels) - 1 and i else "middle"
            parts.append(f'<text x="{px:.1f}" y="{top_pad + plot_h + 16}" '
                         f'text-anchor="{anchor}">{escape(x)}</text>')
    for n, (name, points) in enumerate(series.items()):
        colour = PALETTE[n % len(PALETTE)]
        coords = [point(i, v) for i, v in enumerate(points) if v is not None]
        if coords:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
            parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" '
                         f'points="{path}"/>')
            parts.extend(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"/>'
                         for x, y in coords)
        ly = height + 12 + n * 18
        parts.append(f'<rect x="{left}" y="{ly - 9}" width="12" height="10" fill="{colour}"/>'
                     f'<text x="{left + 18}" y="{ly}">{escape(name)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text in it is escaped
