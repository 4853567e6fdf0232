"""`costcurve quality`: one browsable HTML page of what stands between the raw data and a published number.

    warehouse/reports/quality.html

Three sections, each read from the live warehouse, read-only (the published copy is refreshed only when
every gate passes, so it would hide the failures this page is for):

- the last run's GX gates: one row per validation (ops.gate_results, logged by orchestration/gates.py),
  passed or failed, expectations evaluated and failed, and what failed and why;
- the quarantine: every row a content gate kept out (raw.quarantine), with its rule, action, reason,
  source and capture sha256, and for a released row who released it, when and why (raw.quarantine_releases);
- freshness per source: last success, last failure and why, rows, state (costcurve/status.py's reading).

The page's look and its tables are the report's (costcurve/report.py).
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb

from costcurve.report import STYLE, Result, cell, table_html
from costcurve.status import SourceStatus, StatusError, read_status
from warehouse import freshness
from warehouse.gate_results import GateRow, last_run_results

QUALITY_NAME = "quality.html"

#: the fields of a quarantined row (its JSON) that say which price it was
_ROW_FIELDS = ("model_id", "token_type", "service_tier", "context_band", "modality", "price_per_mtok", "currency")


class QualityError(RuntimeError):
    """No warehouse to report on, or one a run is writing."""


@dataclass(frozen=True)
class QualityData:
    gates: list[GateRow]
    quarantine: Result
    sources: list[SourceStatus]


def default_quality_path(settings) -> Path:
    """``warehouse/reports/quality.html``: beside the curve's report."""
    from costcurve.charts import default_out_dir

    return default_out_dir(settings) / QUALITY_NAME


def read_quality(warehouse: Path, cadences: dict[str, str], as_of: date) -> QualityData:
    warehouse = Path(warehouse)
    if not warehouse.exists():
        raise QualityError(f"no warehouse at {warehouse}: run `make demo` first (or `costcurve run`)")
    try:
        sources = read_status(warehouse, cadences, as_of)
    except StatusError as exc:
        raise QualityError(str(exc)) from None
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return QualityData(last_run_results(con), _quarantine(con), sources)
    finally:
        con.close()


def _quarantine(con: duckdb.DuckDBPyConnection) -> Result:
    """Every quarantined row, newest day first, with its release if any."""
    if not con.execute("SELECT count(*) FROM information_schema.tables "
                       "WHERE table_schema = 'raw' AND table_name = 'quarantine'").fetchone()[0]:
        return Result([], [])
    cursor = con.execute(
        """
        SELECT q.quarantine_id, q.partition_date AS day, q.source_id AS source, q.rule, q.action, q.reason,
               q.row_json, q.raw_sha256 AS capture_sha256, q.source_url,
               r.released_by, r.released_at, r.reason AS release_reason
        FROM raw.quarantine q LEFT JOIN raw.quarantine_releases r USING (quarantine_id)
        ORDER BY q.partition_date DESC, q.source_id, q.rule, q.quarantine_id, q.row_json
        """
    )
    columns = [d[0] for d in cursor.description]
    rows = [_with_price(dict(zip(columns, row, strict=True))) for row in cursor.fetchall()]
    order = ["quarantine_id", "day", "source", "rule", "action", "status", "price", "reason", "capture_sha256",
             "source_url", "released_by", "released_at", "release_reason"]
    return Result(order, [tuple(row[c] for c in order) for row in rows])


def _with_price(row: dict) -> dict:
    """The row's price in a few words (which series, what value) from its JSON, and its status now."""
    try:
        # DuckDB writes the DECIMAL price as a JSON number: read it as Decimal, never as a float
        fields = json.loads(row.pop("row_json"), parse_float=Decimal)
    except ValueError:
        fields = {}
    row["price"] = " ".join(cell(fields[f]) for f in _ROW_FIELDS if fields.get(f) not in (None, ""))
    if fields.get("model_name") and fields["model_name"] != fields.get("model_id"):
        # the entry as the source published it (LiteLLM's wandb/openai/gpt-oss-20b is model openai/gpt-oss-20b)
        row["price"] += f" (published as {fields['model_name']})"
    row["status"] = "released" if row["released_by"] else row["action"]
    return row


# ------------------------------------------------------------------------------------------------ page


def render_quality(data: QualityData, as_of: date, warehouse: Path) -> str:
    return _PAGE.format(
        style=STYLE + _EXTRA_STYLE,
        generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        warehouse=html.escape(str(warehouse)),
        as_of=as_of.isoformat(),
        gates=_gates_html(data.gates),
        quarantine=_quarantine_html(data.quarantine),
        freshness=_freshness_html(data.sources, as_of),
    )


def write_quality_report(warehouse: Path, path: Path, cadences: dict[str, str], as_of: date) -> Path:
    page = render_quality(read_quality(warehouse, cadences, as_of), as_of, warehouse)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".html.tmp")
    tmp.write_text(page, encoding="utf-8")
    tmp.replace(path)  # never a half-written page where the last good one was
    return path


def _verdict(gate: GateRow) -> str:
    if not gate.success:
        return "FAILED"
    return "passed with warnings" if gate.failed else "passed"


def _gates_html(gates: list[GateRow]) -> str:
    if not gates:
        return ('<p class="missing">No gate results logged: no run has gated this warehouse since '
                "ops.gate_results was added. Run a day (`costcurve run --date DAY`) to fill it.</p>")
    first = gates[0]
    failed = sum(not g.success for g in gates)
    head = (f'<p class="meta">Run <code>{html.escape(first.run_id)}</code>, day {first.partition_date or "none"}: '
            f"{len(gates)} validations, {failed} failed, "
            f"{sum(bool(g.failed) and g.success for g in gates)} passed with warnings.</p>")
    columns = ["asset", "suite", "result", "rows validated", "expectations evaluated", "expectations failed",
               "what failed and why"]
    rows = [(g.asset, g.suite, _verdict(g), g.rows_validated, g.expectations_evaluated, len(g.failed),
             "\n\n".join(f["why"] for f in g.failed)) for g in gates]
    return head + table_html(Result(columns, rows), "gates")


def _quarantine_html(quarantine: Result) -> str:
    if not quarantine.rows:
        return '<p class="meta">Nothing quarantined.</p>'
    status = quarantine.col("status")
    counts = ", ".join(f"{status.count(s)} {s}" for s in ("held", "rejected", "released"))
    head = (f'<p class="meta">{len(quarantine.rows)} rows: {counts}. A rejected row stays out until its source or '
            "parser changes; a held row loads on the next run of its day once released "
            "(<code>costcurve release ID --reason ...</code>).</p>")
    return head + table_html(quarantine, "quarantine")


def _freshness_html(sources: list[SourceStatus], as_of: date) -> str:
    columns = ["source", "cadence", "last success", "rows", "last failure", "why", "freshness"]
    rows = []
    for s in sources:
        f = s.freshness
        age = f" ({f.days_since} d)" if f.days_since is not None else ""
        rows.append((f.source_id, freshness.cadence_word(f.cadence) or "-", f.last_success or "never",
                     s.last_success_rows, s.last_failure, s.last_failure_error, f"{f.state}{age}"))
    daily = freshness.CADENCE_AGES["daily"]
    return (f'<p class="meta">Judged as of {as_of.isoformat()} by each source\'s cadence (a daily source warns at '
            f"{daily.warn_after_days} days without a successful capture and fails at {daily.fail_after_days}; "
            "warehouse/freshness.py).</p>" + table_html(Result(columns, rows), "freshness"))


_EXTRA_STYLE = ".data td { white-space: pre-wrap; }\n"

_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>costcurve quality</title>
<style>{style}</style>
</head><body>
<h1>costcurve: data quality</h1>
<p class="meta">Generated {generated} from the live warehouse <code>{warehouse}</code>, freshness as of {as_of}.</p>
<ul><li><a href="#gates">The last run's gates</a></li><li><a href="#quarantine">Quarantine</a></li>
<li><a href="#freshness">Freshness per source</a></li></ul>
<section id="gates"><h2>The last run's gates (Great Expectations)</h2>{gates}</section>
<section id="quarantine"><h2>Quarantine (content gates)</h2>{quarantine}</section>
<section id="freshness"><h2>Freshness per source</h2>{freshness}</section>
</body></html>
"""


def main(as_of: str | None, out: Path | None, echo) -> int:
    """The command: write the page, print where it is; 1 when there is no warehouse to read."""
    import typer

    from costcurve.config import load_settings
    from scrapers.registry import SOURCES

    try:
        day = date.fromisoformat(as_of) if as_of else datetime.now(UTC).date()
    except ValueError:
        raise typer.BadParameter(f"{as_of!r} is not a date YYYY-MM-DD", param_hint="'--as-of'") from None
    settings = load_settings()
    cadences = {s.source_id: s.cadence for s in SOURCES.values()}
    try:
        path = write_quality_report(settings.warehouse, out or default_quality_path(settings), cadences, day)
    except QualityError as exc:
        typer.echo(f"error: {exc}", err=True)
        return 1
    echo(str(path))
    return 0
