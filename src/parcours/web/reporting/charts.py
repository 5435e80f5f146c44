"""Server-rendered SVG charts: no script, no style attribute (the CSP forbids both), presentation attributes only.

Every chart is an image with a text alternative (`role="img"`, `<title>` and `<desc>` named by
`aria-labelledby`) and is shown beside the table it is drawn from. Every bar carries its value as
text and series differ by pattern as well as colour, so colour never carries the meaning alone.
Colours are those of the stylesheet, all above 4.5:1 on white.
"""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .figures import PERCENT, Table, display

INK, MUTED, LINE = "#1e1e1e", "#555555", "#767676"
SERIES_COLOURS = ["#1b4f8a", "#17663a", "#8a5300"]
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"
WIDTH = 400  # a grid column is about this wide, so the text shows at its size
LABEL_CHARS = 44  # longer labels wrap onto a second line


def _svg(chart_id: str, title: str, description: str, height: int, body: list[str]) -> SafeString:
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{escape(chart_id)}" role="img" '
            f'aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc" viewBox="0 0 {WIDTH} {height}" '
            f'width="100%" preserveAspectRatio="xMinYMin meet" font-family="{escape(FONT)}" font-size="14" '
            f'fill="{INK}">'
            f'<title id="{escape(chart_id)}-title">{escape(title)}</title>'
            f'<desc id="{escape(chart_id)}-desc">{escape(description)}</desc>')
    return mark_safe(head + "".join(body) + "</svg>")


def _wrap(label: str) -> list[str]:
    lines, line = [], ""
    for word in label.split():
        if line and len(line) + 1 + len(word) > LABEL_CHARS:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return lines + [line]


def _patterns(chart_id: str) -> str:
    """Fills of the series: plain, diagonal stripes, dots."""
    c0, c1, c2 = SERIES_COLOURS
    return (f'<defs>'
            f'<pattern id="{chart_id}-s1" width="6" height="6" patternUnits="userSpaceOnUse" '
            f'patternTransform="rotate(45)"><rect width="6" height="6" fill="{c1}"/>'
            f'<rect width="2" height="6" fill="#ffffff"/></pattern>'
            f'<pattern id="{chart_id}-s2" width="6" height="6" patternUnits="userSpaceOnUse">'
            f'<rect width="6" height="6" fill="{c2}"/><circle cx="3" cy="3" r="1.2" fill="#ffffff"/></pattern>'
            f'</defs>'), [c0, f"url(#{chart_id}-s1)", f"url(#{chart_id}-s2)"]


def bar_chart(*, chart_id: str, title: str, items: list[tuple[str, float | int | None]], kind: str) -> SafeString:
    """Horizontal bars, one per item, the label above its bar and the value after it.

    Shares (kind PERCENT) are drawn against 100 %, counts against the largest count.
    """
    line, bar, gap = 17, 16, 12
    scale_max = 1.0 if kind == PERCENT else max([v for _l, v in items if v] or [1])
    room = WIDTH - 110
    body = []
    y = 0
    for label, value in items:
        shown = display(value, kind) if value is not None else _("non calculable")
        lines = _wrap(label)
        for number, text in enumerate(lines, start=1):
            body.append(f'<text x="0" y="{y + number * line - 3}">{escape(text)}</text>')
        y += (len(lines) - 1) * line
        width = 0 if not value else max(1, round(room * min(value / scale_max, 1.0)))
        body.append(f'<rect x="0" y="{y + 18}" width="{room}" height="{bar}" fill="#f0f0f0" stroke="{LINE}" '
                    f'stroke-width="0.5"/>')
        if width:
            body.append(f'<rect x="0" y="{y + 18}" width="{width}" height="{bar}" fill="{SERIES_COLOURS[0]}"/>')
        body.append(f'<text x="{room + 6}" y="{y + 31}" font-weight="600">{escape(shown)}</text>')
        y += line + bar + gap
    description = " ; ".join(f"{label} : {display(value, kind) if value is not None else _('non calculable')}"
                             for label, value in items)
    return _svg(chart_id, title, description, y, body)


def column_chart(*, chart_id: str, title: str, categories: list[str],
                 series: list[tuple[str, list[float | int | None]]], kind: str) -> SafeString:
    """Vertical bars grouped by category (years), one per series, each with its value above it."""
    defs, fills = _patterns(chart_id)
    legend_height = 26 if len(series) > 1 else 0
    left, bottom, top, height = 8, 28, 22 + legend_height, 280
    plot_height = height - top - bottom
    values = [v for _name, vs in series for v in vs if v]
    scale_max = 1.0 if kind == PERCENT else max(values or [1])
    group = (WIDTH - left) / max(len(categories), 1)
    bar = min(44, (group - 16) / max(len(series), 1))
    body = [defs]
    for index, (name, _values) in enumerate(series if len(series) > 1 else []):
        x = left + index * 128
        body.append(f'<rect x="{x}" y="4" width="16" height="16" fill="{fills[index]}" stroke="{INK}" '
                    f'stroke-width="0.5"/><text x="{x + 22}" y="17">{escape(name)}</text>')
    baseline = height - bottom
    body.append(f'<line x1="{left}" y1="{baseline}" x2="{WIDTH}" y2="{baseline}" stroke="{LINE}" stroke-width="1"/>')
    for c_index, category in enumerate(categories):
        x0 = left + c_index * group + (group - bar * len(series)) / 2
        for s_index, (_name, values_) in enumerate(series):
            value = values_[c_index]
            x = x0 + s_index * bar
            h = 0 if not value else max(1, round(plot_height * min(value / scale_max, 1.0)))
            if h:
                body.append(f'<rect x="{x:.1f}" y="{baseline - h}" width="{bar - 2:.1f}" height="{h}" '
                            f'fill="{fills[s_index]}" stroke="{INK}" stroke-width="0.5"/>')
            body.append(f'<text x="{x + (bar - 2) / 2:.1f}" y="{baseline - h - 4}" text-anchor="middle" '
                        f'font-size="11">{escape(display(value, kind))}</text>')
        body.append(f'<text x="{left + c_index * group + group / 2:.1f}" y="{baseline + 18}" text-anchor="middle" '
                    f'fill="{MUTED}">{escape(category)}</text>')
    description = " ; ".join(
        f"{category} : " + ", ".join(f"{name} {display(values_[i], kind)}" for name, values_ in series)
        for i, category in enumerate(categories))
    return _svg(chart_id, title, description, height, body)


def table_chart(table: Table) -> SafeString:
    """The bar chart of one column of a table (group rows, which are sub-totals, left out)."""
    column = table.chart_column
    items = [(row.header, row.cells[column].value) for row in table.rows if not row.group]
    title = table.caption if not column else f"{table.caption} — {table.columns[column + 1]}"
    return bar_chart(chart_id=f"graphique-{table.slug}", title=title, items=items, kind=table.chart_kind)


def evolution_charts(table: Table) -> list[SafeString]:
    """Counts by year (entries, exits, positive exits), then the positive-exit rate by year."""
    years = [row.header for row in table.rows]
    counts = column_chart(
        chart_id="graphique-evolution-effectifs", title=_("Entrées, sorties et sorties positives par année"),
        categories=years, kind="count",
        series=[(table.columns[i + 1], [row.cells[i].value for row in table.rows]) for i in range(3)])
    rate = column_chart(
        chart_id="graphique-evolution-taux", title=_("Taux de sorties positives par année"), categories=years,
        kind=PERCENT, series=[(table.columns[4], [row.cells[3].value for row in table.rows])])
    return [counts, rate]
