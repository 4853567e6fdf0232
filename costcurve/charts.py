"""Charts of the curve: PNGs drawn from the published analyst copy, for results people would rather see.

Every chart reads the read-only analyst connection (``warehouse.connection.analyst``), never the live
file, and is drawn on matplotlib's Agg canvas (no display, no pyplot global state). A chart whose data is
empty, or whose table is missing, is skipped with a reason; the other charts are still written.

    price_history.png         input and output market prices of the seller/model series with the most history
    cheapest_by_provider.png  each first-party seller's cheapest current output price
    capex_quarterly.png       hyperscaler capex per quarter, and trailing twelve months
    open_weights_share.png    daily open-weight share of OpenRouter tokens with its bounds and the threshold

The price and share charts only SELECT from their marts (fct_market_prices, mart_open_weight_share): the
numbers are computed, tested and gated in dbt, never here.
"""

from __future__ import annotations

import logging
import textwrap
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import duckdb
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter, PercentFormatter

log = logging.getLogger(__name__)

#: 16 x 9 inches at 100 dpi: 1600 x 900 pixels
FIGSIZE = (16.0, 9.0)
DPI = 100

#: first-party pricing pages (sellers publishing their own prices), for the cheapest-by-provider chart
FIRST_PARTY_SOURCES = (
    "anthropic", "openai", "gemini", "deepseek", "groq", "fireworks", "xai", "moonshot", "minimax",
    "cohere", "perplexity", "mistral",
)
#: how many seller/model series the price-history chart draws
HISTORY_MODELS = 6

PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf",
           "#bcbd22", "#393b79")
GREY = "#b8b8b8"
NOTE_GREY = "#555555"


class SkipChart(Exception):
    """The chart's data is empty or missing: skip it, say why."""


@dataclass
class ChartRun:
    """What one run of the chart writer did: the PNGs written and, per skipped chart, the reason."""

    written: list[Path] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)


def default_out_dir(settings) -> Path:
    """``warehouse/reports/``: beside the warehouse file, as ``exports/`` is."""
    return Path(settings.warehouse).parent / "reports"


def write_charts(published: Path, out_dir: Path, *, echo: Callable[[str], None] | None = None) -> list[Path]:
    """Draw every chart from the published copy at ``published`` into ``out_dir``; return the written paths.

    Each skipped chart is logged with its reason (and passed to ``echo`` when given).
    """
    from warehouse.connection import analyst

    with analyst(published) as con:
        run = render_charts(con, out_dir)
    for name, reason in run.skipped.items():
        message = f"skipped {name}: {reason}"
        log.info(message)
        if echo is not None:
            echo(message)
    return run.written


def render_charts(con: duckdb.DuckDBPyConnection, out_dir: Path) -> ChartRun:
    """Draw every chart with ``con`` (any connection that sees the marts) into ``out_dir``."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    run = ChartRun()
    for name, draw in CHARTS.items():
        try:
            fig = draw(con)
        except SkipChart as exc:
            run.skipped[name] = str(exc)
            continue
        except duckdb.CatalogException as exc:  # a warehouse without this mart (or raw table) yet
            run.skipped[name] = f"table missing in the warehouse ({_first_line(exc)})"
            continue
        path = out_dir / name
        fig.savefig(path, dpi=DPI, format="png")
        run.written.append(path)
    return run


# ---------------------------------------------------------------------------------------------- helpers


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _figure(title: str, subtitle: str, footnote: str, *, nrows: int = 1, ncols: int = 1,
            reserve: float = 0.0, **subplot_kw):
    """A 1600x900 figure: bold title, grey subtitle saying what the data is, footnote citing the sources.

    ``reserve`` keeps that fraction of the height free above the footnote (for a figure legend).
    Returns the figure, the 2-D array of axes and the height (figure fraction) just above the footnote.
    """
    fig = Figure(figsize=FIGSIZE, dpi=DPI)
    FigureCanvasAgg(fig)
    axes = fig.subplots(nrows, ncols, squeeze=False, **subplot_kw)
    title_lines = textwrap.wrap(title, 110)
    sub_lines = textwrap.wrap(subtitle, 165)
    title_text = fig.text(0.012, 0.975, "\n".join(title_lines), fontsize=19, fontweight="bold", va="top",
                          ha="left", linespacing=1.2)
    renderer = fig.canvas.get_renderer()
    while title_text.get_window_extent(renderer).x1 > 0.985 * fig.bbox.width and title_text.get_fontsize() > 12:
        title_text.set_fontsize(title_text.get_fontsize() - 1)  # shrink a long title to fit the width
    sub_top = 0.928 - 0.04 * (len(title_lines) - 1)
    fig.text(0.012, sub_top, "\n".join(sub_lines), fontsize=12.5, color=NOTE_GREY, va="top", ha="left",
             linespacing=1.35)
    notes = [line for paragraph in footnote.splitlines() for line in textwrap.wrap(paragraph, 215) or [""]]
    fig.text(0.012, 0.012, "\n".join(notes), fontsize=9, color=NOTE_GREY, va="bottom", ha="left",
             linespacing=1.4)
    above_notes = 0.025 + 0.0175 * len(notes)
    top = sub_top - 0.023 - 0.026 * len(sub_lines)
    fig.set_layout_engine("tight", rect=(0.0, above_notes + reserve, 1.0, top))
    for ax in axes.flat:
        ax.grid(True, which="major", color="#dddddd", linewidth=0.8)
        ax.set_axisbelow(True)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        ax.tick_params(labelsize=11)
    return fig, axes, above_notes


def _finish(fig: Figure) -> Figure:
    fig.get_layout_engine().execute(fig)
    return fig


def _citations(source_ids) -> str:
    """The registry's citation of each source ("Source: " dropped), else the source id alone."""
    try:
        from scrapers.registry import SOURCES
    except Exception:  # a chart never fails for want of a citation
        SOURCES = {}
    cited = []
    for source_id in sorted(set(source_ids)):
        source = SOURCES.get(source_id)
        text = source.citation if source is not None and source.citation else source_id
        cited.append(f"{source_id}: {text.removeprefix('Source: ')}" if text != source_id else source_id)
    return "; ".join(cited)


def _price(value: float) -> str:
    """A price label: $0.075, $0.10, $1.20, $15.00, $150."""
    if value >= 100:
        return f"${value:,.0f}"
    if value >= 0.1:
        return f"${value:,.2f}"
    return f"${value:.3g}"


def _price_tick(value, _pos) -> str:
    if value <= 0:
        return ""
    if value >= 1:
        return f"${value:,.0f}" if value == int(value) else f"${value:,.1f}"
    return f"${value:.3g}"


def _to_date(value) -> date:
    return value.date() if isinstance(value, datetime) else value


def _date_axis(ax, maxticks: int) -> None:
    locator = AutoDateLocator(maxticks=maxticks)
    formatter = ConciseDateFormatter(locator)
    formatter.formats[1] = formatter.zero_formats[1] = "%b %Y"  # month ticks say the year
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(formatter)


# ----------------------------------------------------------------------------------------- price history


PRICE_SERIES_WHERE = """
    token_type IN ('input', 'output') AND service_tier = 'standard' AND context_band = 'all'
    AND modality = 'text' AND currency = 'USD' AND usd_per_mtok IS NOT NULL AND usd_per_mtok > 0
"""


def price_history(con: duckdb.DuckDBPyConnection) -> Figure:
    """Step chart of the input and output USD market prices of the series with the most price history.

    Each line is one canonical seller/model series of ``fct_market_prices`` (the mart resolves the sources
    into one price per stretch of time); the chart only picks the series and draws their rows. Series are
    ranked by change rows times days covered, so a long dated history beats a page seen twice.
    """
    as_of = con.execute("SELECT max(last_observed_date) FROM fct_market_prices").fetchone()[0]
    if as_of is None:
        raise SkipChart("fct_market_prices is empty")
    rows = con.execute(f"""
        WITH series AS (
            SELECT seller_id, model_id, token_type, valid_from, valid_to, usd_per_mtok, source_ids
            FROM fct_market_prices WHERE {PRICE_SERIES_WHERE}
        ),
        chosen AS (
            SELECT seller_id, model_id,
                   row_number() OVER (ORDER BY count(*) * (CAST($as_of AS DATE) - min(valid_from) + 1) DESC,
                                               count(*) DESC, seller_id, model_id) AS rank
            FROM series GROUP BY seller_id, model_id
        )
        SELECT chosen.rank, seller_id, model_id, token_type, valid_from, valid_to, usd_per_mtok, source_ids
        FROM series JOIN chosen USING (seller_id, model_id)
        WHERE chosen.rank <= $top
        ORDER BY chosen.rank, token_type, valid_from
    """, {"as_of": as_of, "top": HISTORY_MODELS}).fetchall()
    if not rows:
        raise SkipChart("no standard-tier USD text input/output prices in fct_market_prices")

    # (seller, model) in rank order -> token type -> (start, end or None, source ids, usd) steps
    lines: dict[tuple[str, str], dict[str, list[tuple]]] = defaultdict(lambda: defaultdict(list))
    sources: dict[tuple[str, str], set[str]] = defaultdict(set)
    for _rank, seller, model, token_type, valid_from, valid_to, usd, source_ids in rows:
        lines[(seller, model)][token_type].append((valid_from, valid_to, source_ids, float(usd)))
        sources[(seller, model)].update(source_ids.split(","))
    chosen = list(lines)

    legend_rows = -(-len(chosen) // 2)
    fig, axes, above_notes = _figure(
        f"Token prices of the {len(chosen)} series with the most price history, as of {as_of.isoformat()}",
        "Market price in USD per 1M tokens, standard tier, text, context band 'all' (fct_market_prices: one "
        "price per seller and canonical model, the seller's own page first, else the datasets' consensus); "
        "a dot marks a change.",
        "Sources: " + _citations(set().union(*sources.values()))
        + "\nDatasets' dated histories start on the date the dataset claims; a current price is drawn up to "
          "the as-of date. Series ranked by price changes x days covered.",
        ncols=2, sharey=True, reserve=0.045 * legend_rows + 0.01,
    )
    start = min(lines[m][t][0][0] for m in chosen for t in lines[m])
    end = max([as_of] + [lines[m][t][-1][0] for m in chosen for t in lines[m]])  # announced future prices
    for ax, token_type in zip(axes[0], ("input", "output"), strict=True):
        for color, series in zip(PALETTE, chosen, strict=False):
            label = f"{series[0]}: {series[1]}"  # its sources are cited in the footnote
            line = lines[series].get(token_type)
            if not line:
                ax.plot([], [], color=color, linewidth=2.4, label=label)  # keeps legend order and colours
                continue
            xs, ys = _steps(line, as_of)
            ax.plot(xs, ys, drawstyle="steps-post", color=color, linewidth=2.4, label=label)
            ax.scatter([s[0] for s in line], [s[3] for s in line], color=color, s=30, zorder=3)
        ax.set_yscale("log")
        ax.yaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
        ax.yaxis.set_major_formatter(FuncFormatter(_price_tick))
        ax.yaxis.set_minor_formatter(NullFormatter())
        ax.set_title(f"{token_type} tokens", fontsize=14, loc="left")
        ax.set_xlim(start - timedelta(days=10), end + timedelta(days=10))
        _date_axis(ax, 8)
    axes[0][0].set_ylabel("USD per 1M tokens (log scale)", fontsize=12)
    handles, labels = axes[0][0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", bbox_to_anchor=(0.5, above_notes), ncols=2, fontsize=11.5,
               frameon=False, title="seller: model", title_fontsize=11, columnspacing=3)
    return _finish(fig)


def _steps(line: list[tuple], as_of: date) -> tuple[list, list]:
    """Points for a steps-post line: each step's start, a break (NaN) at a gap, the last step's end."""
    xs: list = []
    ys: list = []
    for k, (start, _end, _source, usd) in enumerate(line):
        if k and line[k - 1][1] is not None and line[k - 1][1] < start:
            xs += [line[k - 1][1], line[k - 1][1]]  # end the previous step, then break the line
            ys += [ys[-1], float("nan")]
        xs.append(start)
        ys.append(usd)
    last_start, last_end, _source, last_usd = line[-1]
    xs.append(last_end if last_end is not None else max(as_of, last_start))
    ys.append(last_usd)
    return xs, ys


# ---------------------------------------------------------------------------------- cheapest by provider


def cheapest_by_provider(con: duckdb.DuckDBPyConnection) -> Figure:
    """Horizontal bars: each first-party seller's cheapest current standard-tier output price (USD)."""
    sources = ", ".join(f"'{s}'" for s in FIRST_PARTY_SOURCES)
    rows = con.execute(f"""
        SELECT provider_id, model_id, context_band, source_id, usd_per_mtok, last_observed_at
        FROM fct_price_history
        WHERE is_current AND token_type = 'output' AND source_id IN ({sources})
          AND service_tier = 'standard' AND modality = 'text' AND currency = 'USD'
          AND usd_per_mtok IS NOT NULL AND usd_per_mtok > 0
        ORDER BY provider_id, usd_per_mtok, model_id, context_band
    """).fetchall()
    if not rows:
        raise SkipChart("no current USD output prices from first-party pricing pages in fct_price_history")
    cheapest: dict[str, tuple] = {}
    for row in rows:
        cheapest.setdefault(row[0], row)  # ordered by price: a provider's first row is its cheapest
    as_of = max(_to_date(r[5]) for r in rows)
    bars = sorted(cheapest.values(), key=lambda r: (-r[4], r[0]))  # the cheapest on top

    fig, axes, _ = _figure(
        f"Cheapest output-token price per seller, as of {as_of.isoformat()}",
        "Current USD per 1M output tokens, standard tier, text, any context band: the cheapest model each "
        "seller lists on its own pricing page (fct_price_history, is_current); sellers without USD prices "
        "are not shown",
        "Sources: " + _citations(r[3] for r in bars)
        + "\nA 'size bucket' is a price a seller charges for any model in a parameter-size range.",
    )
    ax = axes[0][0]
    values = [float(r[4]) for r in bars]
    ax.barh(range(len(bars)), values, color=PALETTE[0], height=0.62)
    ax.set_yticks(range(len(bars)), [r[0] for r in bars], fontsize=12.5)
    ax.set_xscale("log")
    ax.set_xlim(min(values) / 2.5, max(values) * 12)  # room on the right for the labels
    ax.xaxis.set_major_formatter(FuncFormatter(_price_tick))
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.grid(False, axis="y")
    ax.tick_params(axis="y", length=0)
    for i, (row, value) in enumerate(zip(bars, values, strict=True)):
        model = row[1]
        if model.startswith("bucket:"):
            model = f"size bucket {model.removeprefix('bucket:')} params"
        band = "" if row[2] == "all" else f"  [{row[2]}]"
        ax.text(value * 1.1, i, f"{_price(value)}  {model}{band}", va="center", fontsize=11.5)
    ax.set_xlabel("USD per 1M output tokens (log scale)", fontsize=12)
    return _finish(fig)


# ------------------------------------------------------------------------------------------------- capex


def capex_quarterly(con: duckdb.DuckDBPyConnection) -> Figure:
    """Capex per quarter by company (top) and trailing-twelve-month sums (bottom), USD billions, as mart_capex
    has them (its TTM is NULL unless four consecutive quarters exist, so the bottom line breaks there)."""
    rows = con.execute("""
        SELECT company, fiscal_year, fiscal_quarter, period_end, capex_usd, ttm_capex_usd
        FROM mart_capex
        ORDER BY company, period_end
    """).fetchall()
    if not rows:
        raise SkipChart("no capex quarters in mart_capex")
    quarters: dict[str, list[tuple[int, date, Decimal, Decimal | None]]] = defaultdict(list)
    for company, fiscal_year, fiscal_quarter, period_end, capex_usd, ttm_usd in rows:
        # the quarter index only places line breaks where a quarter is missing; it computes no metric
        quarters[company].append((fiscal_year * 4 + fiscal_quarter - 1, period_end, capex_usd, ttm_usd))
    latest = max(r[3] for r in rows)

    fig, axes, _ = _figure(
        f"Hyperscaler capital expenditure, quarters through {latest.isoformat()}",
        "Capex in USD billions per quarter, placed at the quarter's end (mart_capex, quarters derived from "
        "year-to-date filings); below, its trailing-twelve-month sums, shown where four consecutive "
        "quarters exist",
        "Source: " + _citations(["sec_capex"]).removeprefix("sec_capex: ")
        + ". Fiscal quarters sit at their period end (Oracle's quarters end in Feb, May, Aug and Nov). "
          "A line breaks where a quarter is not in the warehouse.",
        nrows=2, sharex=True,
    )
    top, bottom = axes[0][0], axes[1][0]
    any_ttm = False
    for color, (company, qs) in zip(PALETTE, sorted(quarters.items()), strict=False):
        xs, ys = _broken([(i, d, float(v) / 1e9) for i, d, v, _ttm in qs])
        top.plot(xs, ys, color=color, marker="o", markersize=5, linewidth=2, label=company)
        if any(ttm is not None for *_q, ttm in qs):
            any_ttm = True
            ttm_ys = [float("nan") if ttm is None else float(ttm) / 1e9 for *_q, ttm in qs]
            bottom.plot([d for _i, d, _v, _ttm in qs], ttm_ys, color=color, marker="o", markersize=4,
                        linewidth=2, label=company)
    top.set_ylabel("USD bn per quarter", fontsize=12)
    bottom.set_ylabel("USD bn, trailing 12 months", fontsize=12)
    top.set_title("quarterly capex", fontsize=14, loc="left")
    bottom.set_title("trailing twelve months" if any_ttm else
                     "trailing twelve months: no company has four consecutive quarters yet",
                     fontsize=14, loc="left")
    for ax in (top, bottom):
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"${v:,.0f}bn"))
        ax.set_ylim(bottom=0)
    top.legend(loc="upper left", fontsize=12, frameon=False, ncols=min(len(quarters), 6))
    _date_axis(bottom, 14)
    return _finish(fig)


def _broken(points: list[tuple[int, date, float]]) -> tuple[list, list]:
    """x and y with a NaN wherever the quarter index jumps, so a line never bridges a missing quarter."""
    xs: list = []
    ys: list = []
    for k, (index, day, value) in enumerate(points):
        if k and index != points[k - 1][0] + 1:
            xs.append(points[k - 1][1] + (day - points[k - 1][1]) / 2)
            ys.append(float("nan"))
        xs.append(day)
        ys.append(value)
    return xs, ys


# ------------------------------------------------------------------------------------ open-weights share

def open_weights_share(con: duckdb.DuckDBPyConnection) -> Figure:
    """Daily open-weight share of OpenRouter tokens from ``mart_open_weight_share``: point, band, threshold.

    The mart holds every number: the point (share among tokens of known status), the band from counting
    unknown and ``other`` tokens closed (lower) or open (upper), the threshold and its verdict.
    """
    rows = con.execute("""
        SELECT period_start, share_point, share_lower, share_upper, threshold, threshold_verdict,
               as_of, measurement_base, citation
        FROM mart_open_weight_share
        WHERE period_grain = 'day'
        ORDER BY period_start
    """).fetchall()
    if not rows:
        raise SkipChart("mart_open_weight_share has no daily rows (no usage source loaded)")
    latest = rows[-1]
    days: list = []
    point: list[float] = []
    lower: list[float] = []
    upper: list[float] = []
    for k, (day, share_point, share_lower, share_upper, *_rest) in enumerate(rows):
        if k and (day - rows[k - 1][0]).days > 1:  # a day without data: break the line, never bridge it
            days.append(rows[k - 1][0] + timedelta(days=1))
            for values in (point, lower, upper):
                values.append(float("nan"))
        days.append(day)
        point.append(float("nan") if share_point is None else float(share_point) * 100)
        lower.append(float(share_lower) * 100)
        upper.append(float(share_upper) * 100)
    threshold, verdict, as_of, base, citation = float(latest[4]) * 100, latest[5], latest[6], latest[7], latest[8]

    fig, axes, _ = _figure(
        f"Open-weight share of tokens routed through OpenRouter, as of {as_of.isoformat()} "
        "(measurement base: OpenRouter traffic, not all inference)",
        f"Daily share from mart_open_weight_share (measurement base: {base}). Line: open / (open + closed); "
        "band: unknown and 'other' tokens counted closed (lower) or open (upper). "
        f"Latest day {latest[0].isoformat()}: {verdict} the {threshold:.0f}% threshold.",
        f"{citation} (CC BY 4.0). Open weights: dim_models.open_weights; the verdict is 'above' only when "
        "the lower bound is past the threshold.",
    )
    ax = axes[0][0]
    ax.fill_between(days, lower, upper, color="#2ca02c", alpha=0.2, label="lower to upper bound")
    ax.plot(days, point, color="#2ca02c", marker="o", markersize=4, linewidth=2.2, label="share (known status)")
    ax.axhline(threshold, color="#d62728", linestyle="--", linewidth=1.6, label=f"{threshold:.0f}% threshold")
    ax.set_ylim(0, 100)
    ax.yaxis.set_major_formatter(PercentFormatter(decimals=0))
    ax.set_ylabel("share of the day's OpenRouter tokens", fontsize=12)
    if len(days) > 1:
        ax.set_xlim(days[0], days[-1])
    _date_axis(ax, 10)
    ax.legend(loc="upper left", fontsize=11.5, frameon=False)
    return _finish(fig)


#: file name -> drawing function, in the order they are written
CHARTS: dict[str, Callable[[duckdb.DuckDBPyConnection], Figure]] = {
    "price_history.png": price_history,
    "cheapest_by_provider.png": cheapest_by_provider,
    "capex_quarterly.png": capex_quarterly,
    "open_weights_share.png": open_weights_share,
}
