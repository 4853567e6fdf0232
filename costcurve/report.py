"""The report: one self-contained HTML page of the curve, drawn from the marts of the published analyst copy.

    warehouse/reports/report.html              the page (plotly.js embedded once: it opens offline)
    warehouse/reports/report_data/<name>.sql   the query behind each chart or table
    warehouse/reports/report_data/<name>.csv   that query's rows, as the chart saw them

Every chart is one SELECT from one mart (``SECTIONS`` below); nothing is computed here but layout and
labels, so the numbers are the ones dbt built, tested and gated. Each section is titled with its mart and
as-of date, carries the citation the mart stores (OpenRouter's share data must be cited) and links to its
SQL and CSV. A mart that is missing or empty gives a section that says so; the other sections still render.
"""

from __future__ import annotations

import csv
import html
import io
import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb

log = logging.getLogger(__name__)

REPORT_NAME = "report.html"
DATA_DIR = "report_data"
TEMPLATE = "plotly_white"


@dataclass(frozen=True)
class Result:
    """The rows one section's SQL returned, with their column names."""

    columns: list[str]
    rows: list[tuple]

    def col(self, name: str) -> list:
        i = self.columns.index(name)
        return [row[i] for row in self.rows]

    def dicts(self) -> list[dict]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


@dataclass(frozen=True)
class Section:
    """One chart (or table) of the report: its file stem, heading, source mart, SQL and how it is drawn.

    ``draw`` returns the figure (or an HTML table), the as-of date (or label) of the data, and a citation ('' if the
    mart carries none).
    """

    name: str
    heading: str
    mart: str
    sql: str
    draw: Callable[[Result], tuple[object, date | str | None, str]]


@dataclass
class ReportRun:
    """What one report run wrote: the page, each section's SQL/CSV, and per empty section the reason."""

    path: Path | None = None
    data: list[Path] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)


def default_report_path(settings) -> Path:
    """``warehouse/reports/report.html``: beside the PNG charts."""
    from costcurve.charts import default_out_dir

    return default_out_dir(settings) / REPORT_NAME


def write_report(published: Path, path: Path, *, echo: Callable[[str], None] | None = None) -> ReportRun:
    """Render the report of the published copy at ``published`` (opened read-only) into ``path``."""
    from warehouse.connection import analyst

    with analyst(published) as con:
        run = render_report(con, Path(path))
    for name, reason in run.skipped.items():
        message = f"report: no {name} chart: {reason}"
        log.info(message)
        if echo is not None:
            echo(message)
    return run


def render_report(con: duckdb.DuckDBPyConnection, path: Path) -> ReportRun:
    """Write the page at ``path`` and each section's SQL and CSV into ``report_data/`` beside it."""
    from plotly.offline import get_plotlyjs

    path = Path(path)
    data_dir = path.parent / DATA_DIR
    data_dir.mkdir(parents=True, exist_ok=True)
    run = ReportRun(path=path)
    parts = []
    for section in SECTIONS:
        sql_path, csv_path = data_dir / f"{section.name}.sql", data_dir / f"{section.name}.csv"
        sql_path.write_text(section.sql.strip() + "\n")
        run.data.append(sql_path)
        try:
            cursor = con.execute(section.sql)
        except duckdb.CatalogException as exc:  # a warehouse built before this mart existed
            csv_path.unlink(missing_ok=True)  # no stale rows from an earlier run beside the page
            run.skipped[section.name] = f"{section.mart} is missing ({_first_line(exc)})"
            parts.append(_section_html(section, None, run.skipped[section.name]))
            continue
        result = Result([d[0] for d in cursor.description], cursor.fetchall())
        csv_path.write_text(to_csv(result))
        run.data.append(csv_path)
        if not result.rows:
            run.skipped[section.name] = f"{section.mart} has no rows for it"
            parts.append(_section_html(section, None, run.skipped[section.name]))
            continue
        parts.append(_section_html(section, section.draw(result)))
    page = _PAGE.format(
        generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        style=STYLE,
        plotlyjs=get_plotlyjs(),
        headlines=_headlines_html(con),
        toc="".join(f'<li><a href="#{s.name}">{html.escape(s.heading)}</a></li>' for s in SECTIONS),
        sections="\n".join(parts),
        sources=_sources_html(),
    )
    tmp = path.with_suffix(".html.tmp")
    tmp.write_text(page, encoding="utf-8")
    tmp.replace(path)  # never leave a half-written page where the last good one was
    return run


def to_csv(result: Result) -> str:
    """The rows as CSV: money as published (DECIMAL without trailing zeros), NULL empty, dates ISO."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(result.columns)
    for row in result.rows:
        writer.writerow([cell(value) for value in row])
    return out.getvalue()


def cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value)


# ------------------------------------------------------------------------------------------------ layout


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _section_html(section: Section, drawn: tuple | None, missing: str = "") -> str:
    links = (f'data: <a href="{DATA_DIR}/{section.name}.sql">SQL</a> · '
             f'<a href="{DATA_DIR}/{section.name}.csv">CSV</a>')
    if drawn is None:
        body, as_of, citation = f'<p class="missing">No data: {html.escape(missing)}.</p>', None, ""
        links = f'data: <a href="{DATA_DIR}/{section.name}.sql">SQL</a>'
    else:
        figure, as_of, citation = drawn
        if not isinstance(figure, str):  # the figure names its mart too, so a PNG saved from it still does
            stamp = section.mart + (f", as of {as_of}" if as_of is not None else "")
            figure.update_layout(title_text=f"{figure.layout.title.text}<br><sup>{html.escape(stamp)}</sup>")
        body = figure if isinstance(figure, str) else figure.to_html(
            full_html=False, include_plotlyjs=False, div_id=f"chart-{section.name}",
            config={"displaylogo": False, "responsive": True})
    meta = [f"source: <code>{section.mart}</code>"]
    if as_of is not None:  # a date, or a label such as a calendar quarter
        meta.append(f"as of {as_of.isoformat() if isinstance(as_of, date) else html.escape(str(as_of))}")
    if citation:
        meta.append(html.escape(citation))
    return (f'<section id="{section.name}" class="chart" data-mart="{section.mart}">'
            f"<h2>{html.escape(section.heading)}</h2>"
            f'<p class="meta">{" · ".join(meta)} · {links}</p>{body}</section>')


def _headlines_html(con) -> str:
    from costcurve.headlines import headlines

    try:  # the charts below do not depend on the headlines: a failing one never blanks the page
        rows = headlines(con)
    except duckdb.Error as exc:
        return f'<p class="missing">Headlines not read: {html.escape(_first_line(exc))}</p>'
    body = "".join(f"<tr><td>{html.escape(r.question)}</td><td>{html.escape(r.answer)}</td>"
                   f"<td><code>{html.escape(r.mart)}</code></td></tr>" for r in rows)
    return f'<table class="headlines"><tr><th>question</th><th>answer</th><th>from</th></tr>{body}</table>'


def table_html(result: Result, table_id: str) -> str:
    """A scrollable HTML table of ``result``, every cell escaped (shared with the quality page)."""
    head = "".join(f"<th>{html.escape(c)}</th>" for c in result.columns)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(cell(v))}</td>" for v in row) + "</tr>"
                   for row in result.rows)
    return f'<div class="scroll"><table class="data" id="table-{table_id}"><tr>{head}</tr>{body}</table></div>'


def _sources_html() -> str:
    """Every registered source's licence and citation: the attributions CC BY data requires, in one place."""
    try:
        from scrapers.registry import SOURCES
    except Exception:  # the report never fails for want of the registry
        return ""
    items = "".join(
        f"<li><code>{html.escape(s.source_id)}</code>: {html.escape(s.citation or s.source_id)} "
        f"({html.escape(s.licence)})</li>" for s in SOURCES.values())
    return f"<h2>Sources and licences</h2><ul>{items}</ul>"


def _citations(source_ids) -> str:
    from scrapers.registry import SOURCES

    cited = []
    for source_id in sorted(set(source_ids)):
        source = SOURCES.get(source_id)
        cited.append(f"{source.citation} ({source.licence})" if source and source.citation else source_id)
    return "; ".join(cited)


def _figure(title: str, y_title: str, **layout):
    import plotly.graph_objects as go

    fig = go.Figure()
    layout = {"height": 520, **layout}
    fig.update_layout(template=TEMPLATE, title={"text": title, "x": 0.01},
                      margin={"l": 70, "r": 30, "t": 90, "b": 50}, yaxis_title=y_title,
                      legend={"orientation": "h", "y": -0.15}, **layout)
    return fig


def _floats(values) -> list[float | None]:
    """Plot coordinates (display only: the CSV keeps the exact DECIMALs)."""
    return [None if v is None else float(v) for v in values]


def _days(values) -> list[str]:
    return [v.isoformat() for v in values]


# ------------------------------------------------------------------------------------------------ charts


def _cost_curve_index(r: Result):
    import plotly.graph_objects as go

    base = r.rows[0][r.columns.index("base_date")]
    fig = _figure(f"Cost-curve index, blended 3:1 price of matched models (100 on {base.isoformat()})",
                  f"index (100 = {base.isoformat()})")
    by_group = defaultdict(list)
    for row in r.dicts():
        by_group[row["index_group"]].append(row)
    for group, rows in by_group.items():
        fig.add_trace(go.Scatter(x=_days(x["day"] for x in rows), y=_floats(x["index_value"] for x in rows),
                                 name=group, mode="lines",
                                 customdata=[x["series_matched"] for x in rows],
                                 hovertemplate="%{x}: %{y:.1f} (%{customdata} series matched)"))
    fig.add_hline(y=100, line_dash="dot", line_color="grey")
    return fig, max(r.col("day")), ""


def _price_deflation(r: Result):
    import plotly.graph_objects as go

    rows = r.dicts()
    labels = [f"{x['model_id']} @ {x['seller_id']} ({x['capability_tier'] or 'untiered'})" for x in rows]
    fig = _figure("Blended price change at the same seller: frontier and mid-tier models, and every model "
                  "whose price moved", "", xaxis_title="change, %", barmode="group",
                  height=max(420, 60 + 28 * len(rows)))
    for column, name in (("change_90d_pct", "90 days"), ("change_365d_pct", "365 days")):
        fig.add_trace(go.Bar(y=labels, x=_floats(x[column] for x in rows), name=name, orientation="h",
                             customdata=_floats(x["usd_per_mtok"] for x in rows),
                             texttemplate="%{x:.1f}%", textposition="outside",  # a 0% bar has no length
                             hovertemplate="%{y}: %{x:.1f}% (now $%{customdata} per 1M)"))
    fig.update_yaxes(autorange="reversed")
    return fig, max(r.col("as_of_date")), ""


def _frontier_open_gap(r: Result):
    import plotly.graph_objects as go

    rows = r.dicts()
    fig = _figure("Frontier closed vs open weights: price ratio, blended per 1M tokens",
                  "closed price / open price (log)", yaxis_type="log")
    fig.add_trace(go.Scatter(
        x=_days(x["day"] for x in rows), y=_floats(x["gap_ratio"] for x in rows), mode="lines+markers",
        # gap_ratio exists only on days an open model is frontier, and then equals best_open_ratio:
        # drawn wide and pale beneath it so both stay visible
        marker={"size": 4}, line={"width": 6}, opacity=0.45,
        name="gap_ratio: frontier closed / frontier open",
        customdata=[[x["frontier_closed_model_id"], x["frontier_open_model_id"]] for x in rows],
        hovertemplate="%{x}: %{y:.2f}x (%{customdata[0]} / %{customdata[1]})"))
    fig.add_trace(go.Scatter(
        x=_days(x["day"] for x in rows), y=_floats(x["best_open_ratio"] for x in rows), mode="lines",
        name="best_open_ratio: frontier closed / best open",
        customdata=[[x["frontier_closed_model_id"], x["best_open_model_id"]] for x in rows],
        hovertemplate="%{x}: %{y:.2f}x (%{customdata[0]} / %{customdata[1]})"))
    fig.add_hline(y=1, line_dash="dot", line_color="grey")
    return fig, max(r.col("day")), ""


def _deflation_by_capability(r: Result):
    import plotly.graph_objects as go

    fig = _figure("Cheapest price per capability threshold (blended USD per 1M tokens, log)",
                  "USD per 1M tokens (log)", yaxis_type="log")
    series = defaultdict(list)
    for row in r.dicts():
        series[(row["index_benchmark"], row["threshold"])].append(row)
    for (benchmark, threshold), rows in series.items():
        last = rows[-1]  # ordered by day: the fit on the latest day is the one to state
        factor = last["annual_decline_factor"]
        name = f"{benchmark} {threshold}+"
        if factor is not None:
            interval = ""  # .3g: a fit on three points can give a 1e12 upper bound; print it short
            if last["annual_decline_factor_low"] is not None:
                interval = (f", 95% {last['annual_decline_factor_low']:.3g}"
                            f" to {last['annual_decline_factor_high']:.3g}")
            name += f": falls {factor:.3g}x a year ({last['fit_points']} record lows{interval})"
        fig.add_trace(go.Scatter(
            x=_days(x["day"] for x in rows), y=_floats(x["cheapest_usd_per_mtok"] for x in rows), name=name,
            mode="lines", line_shape="hv", customdata=[x["cheapest_model_id"] for x in rows],
            hovertemplate="%{x}: $%{y} (%{customdata})"))
    return fig, max(r.col("day")), _citations(r.col("index_source_id"))


def _open_weight_share(r: Result):
    import plotly.graph_objects as go

    rows = r.dicts()
    last = rows[-1]
    days = _days(x["period_start"] for x in rows)
    # percent from the DECIMAL share (100 * Decimal is exact; 100 * float(0.407) is 40.699999...)
    pct = lambda key: [None if x[key] is None else float(100 * x[key]) for x in rows]  # noqa: E731
    fig = _figure(f"Open-weight share of tokens, daily, against {100 * float(last['threshold']):.0f}% "
                  f"(measurement base: {last['measurement_base']})", "share of tokens, %",
                  yaxis_range=[0, 100])
    fig.add_trace(go.Scatter(x=days, y=pct("share_lower"), name="share_lower (unknown counted closed)",
                             mode="lines", line={"width": 0.5, "color": "#2ca02c"}))
    fig.add_trace(go.Scatter(x=days, y=pct("share_upper"), name="share_upper (unknown counted open)",
                             mode="lines", fill="tonexty", line={"width": 0.5, "color": "#2ca02c"},
                             fillcolor="rgba(44,160,44,0.2)"))
    fig.add_trace(go.Scatter(x=days, y=pct("share_point"), name="share_point (known status)",
                             mode="lines+markers", line={"color": "#2ca02c", "width": 2.5}))
    fig.add_trace(go.Scatter(x=days, y=pct("threshold"), name="threshold", mode="lines",
                             line={"color": "#d62728", "dash": "dash"}))
    citation = f"{last['citation']} (CC BY 4.0); latest day: {last['threshold_verdict']} the threshold"
    return fig, last["as_of"], citation


def _capex(r: Result):
    import plotly.graph_objects as go

    rows = r.dicts()
    labels = [x["calendar_label"] for x in rows]
    bn = lambda key: [None if x[key] is None else float(x[key] / Decimal(10**9)) for x in rows]  # noqa: E731
    fig = _figure("Hyperscaler capex per calendar quarter, trailing twelve months and run-rate (quarter x 4)",
                  "USD bn")
    fig.add_trace(go.Bar(x=labels, y=bn("capex_usd"), name="capex_usd (quarter)",
                         customdata=[x["companies"] for x in rows], hovertemplate="%{x}: $%{y:.1f}bn (%{customdata})"))
    fig.add_trace(go.Scatter(x=labels, y=bn("ttm_capex_usd"), name="ttm_capex_usd", mode="lines+markers"))
    fig.add_trace(go.Scatter(x=labels, y=bn("run_rate_usd"), name="run_rate_usd", mode="lines+markers",
                             line={"dash": "dot"}))
    return fig, f"{labels[-1]} (latest complete quarter)", _citations(["sec_capex"])


def _price_changes(r: Result):
    return table_html(r, "price_changes"), max(r.col("effective_date")), ""


def _source_disagreements(r: Result):
    # an open stretch has no end date (compared_to is NULL): it holds on the warehouse's last day
    return table_html(r, "source_disagreements"), None, "is_current: prices still held on the last run"


SECTIONS: list[Section] = [
    Section("cost_curve_index", "How fast is the cost curve falling?", "mart_cost_curve_index", """
SELECT index_group, day, base_date, index_value, series_matched, series_changed
FROM mart_cost_curve_index
WHERE measure = 'blended' AND index_value IS NOT NULL
ORDER BY index_group, day
""", _cost_curve_index),
    Section("price_deflation", "Like-for-like: the same model at the same seller, 90 days and a year ago",
            "mart_price_deflation", """
SELECT as_of_date, seller_id, model_id, capability_tier, open_weights, usd_per_mtok,
       usd_per_mtok_90d_ago, change_90d_pct, usd_per_mtok_365d_ago, change_365d_pct
FROM mart_price_deflation
WHERE measure = 'blended'
  AND (change_90d_pct <> 0 OR change_365d_pct <> 0
       OR (capability_tier IN ('frontier', 'mid') AND (change_90d_pct IS NOT NULL OR change_365d_pct IS NOT NULL)))
ORDER BY coalesce(change_365d_pct, change_90d_pct), change_90d_pct, model_id, seller_id
""", _price_deflation),
    Section("frontier_open_gap", "What is the frontier-to-open price gap?", "mart_frontier_open_gap", """
SELECT day, frontier_closed_model_id, frontier_closed_usd_per_mtok, frontier_open_model_id,
       frontier_open_usd_per_mtok, gap_ratio, best_open_model_id, best_open_usd_per_mtok, best_open_ratio,
       capability_gap
FROM mart_frontier_open_gap
WHERE measure = 'blended'
ORDER BY day
""", _frontier_open_gap),
    Section("deflation_by_capability", "How fast does a capability level get cheaper?",
            "mart_price_deflation_by_capability", """
SELECT index_source_id, index_benchmark, threshold, day, cheapest_usd_per_mtok, cheapest_model_id,
       cheapest_seller_id, fit_points, annual_decline_factor, annual_decline_factor_low,
       annual_decline_factor_high
FROM mart_price_deflation_by_capability
ORDER BY index_benchmark, threshold, day
""", _deflation_by_capability),
    Section("open_weight_share", "Is open-weight share past 25%?", "mart_open_weight_share", """
SELECT period_start, share_point, share_lower, share_upper, threshold, threshold_verdict, known_status_share,
       total_tokens, measurement_base, as_of, citation
FROM mart_open_weight_share
WHERE period_grain = 'day'
ORDER BY period_start
""", _open_weight_share),
    Section("capex", "What is hyperscaler capex running at?", "mart_capex_total", """
SELECT calendar_label, companies, capex_usd, ttm_capex_usd, run_rate_usd, yoy_growth_pct
FROM mart_capex_total
WHERE is_complete
ORDER BY calendar_year, calendar_quarter
""", _capex),
    Section("price_changes", "The 20 latest price changes (standard tier)", "fct_price_changes", """
SELECT seller_id, model_id, token_type, context_band, currency, old_price_per_mtok, new_price_per_mtok,
       change_pct, effective_date, effective_date_basis, source_ids
FROM fct_price_changes
WHERE service_tier = 'standard'
ORDER BY effective_date DESC, seller_id, model_id, token_type, context_band
LIMIT 20
""", _price_changes),
    Section("source_disagreements", "Which sources disagree? The 20 widest spreads today",
            "mart_source_reconciliation", """
SELECT seller_id, model_id, token_type, context_band, consensus_price_per_mtok, spread_pct, source_ids,
       disagreeing_prices, compared_from
FROM mart_source_reconciliation
WHERE is_current AND is_disagreement
ORDER BY spread_pct DESC NULLS LAST, seller_id, model_id, token_type, context_band
LIMIT 20
""", _source_disagreements),
]


#: the pages' shared look (this report and the quality page, costcurve/quality.py)
STYLE = """
body { font-family: system-ui, sans-serif; max-width: 1200px; margin: 1em auto; padding: 0 1em; color: #222; }
h2 { margin-top: 2em; border-bottom: 1px solid #ddd; }
.meta { color: #555; font-size: 0.9em; }
table { border-collapse: collapse; font-size: 0.85em; }
td, th { border: 1px solid #ddd; padding: 3px 6px; vertical-align: top; text-align: left; }
.missing { color: #a00; }
.scroll { overflow-x: auto; }
"""

_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>costcurve report</title>
<style>{style}</style>
<script>{plotlyjs}</script>
</head><body>
<h1>costcurve: the inference cost curve</h1>
<p class="meta">Generated {generated} from the published analyst copy; every chart is one SELECT from a mart,
and links to that SQL and its rows as CSV.</p>
<h2>What the marts say</h2>
{headlines}
<ul>{toc}</ul>
{sections}
{sources}
</body></html>
"""
