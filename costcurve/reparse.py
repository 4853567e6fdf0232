"""`costcurve reparse SOURCE`: replay every archived capture of a source through today's parser and say
which price facts would change against what the warehouse loaded from that capture.

Before a parser change ships (a new drift check, a bumped ``PARSER_VERSION``), this answers "what would a
backfill rewrite?": a fact today's parser reads differently (price or ``valid_to``), one it adds, one it no
longer reads, and captures it now rejects as layout drift (a capture cut short that an older parser loaded).
An unchanged parser gives no difference. It only reads: the archive and the warehouse are left as they are.

Facts are matched on their key (provider, model, token type, tier, context band, modality, currency,
``valid_from``); provenance (parser version, load time) is not compared, since it changes by design.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal

import duckdb
from rich.table import Table

from scrapers.archive import ManifestRow, RawArchive
from scrapers.collect import archived_capture
from scrapers.errors import LayoutDriftError
from scrapers.registry import get_source

KEY_FIELDS = ("provider_id", "model_id", "token_type", "service_tier", "context_band", "modality", "currency",
              "valid_from")
VALUE_FIELDS = ("price_per_mtok", "valid_to")


@dataclass
class CaptureReparse:
    """One archived capture: what was loaded from it and what today's parser reads."""

    capture_key: str
    sha256: str
    fetched_at: str
    loaded: int
    reparsed: int
    #: facts today's parser reads that were not loaded, ``"key: value"``
    added: list[str] = field(default_factory=list)
    #: facts that were loaded and today's parser no longer reads
    removed: list[str] = field(default_factory=list)
    #: ``"key: loaded value -> reparsed value"``
    changed: list[str] = field(default_factory=list)
    #: the layout-drift message when today's parser rejects the capture
    drift: str | None = None

    @property
    def differs(self) -> bool:
        return bool(self.added or self.removed or self.changed or self.drift)


def reparse_source(source_id: str, archive: RawArchive, con: duckdb.DuckDBPyConnection) -> list[CaptureReparse]:
    """Every archived capture of ``source_id`` (each body once, oldest first), reparsed and compared."""
    source = get_source(source_id)
    if getattr(source.parser, "parse_captures", None) is not None:
        raise ValueError(f"{source_id} parses its captures together (parse_captures); reparse reads one at a time")
    reports = []
    for row in _captures(archive, source_id):
        body, meta = archived_capture(archive, row)
        loaded = _loaded_facts(con, source_id, row.sha256)
        report = CaptureReparse(row.capture_key, row.sha256, row.fetched_at, len(loaded), 0)
        try:
            result = source.parser.parse(body, meta)
        except LayoutDriftError as exc:
            report.drift = exc.message
            report.removed = [_say(k, v) for k, v in sorted(loaded.items(), key=_order)]
            reports.append(report)
            continue
        fresh = _facts(p.model_dump() for p in result.prices)
        report.reparsed = len(fresh)
        report.added = [_say(k, fresh[k]) for k in sorted(fresh.keys() - loaded.keys(), key=str)]
        report.removed = [_say(k, loaded[k]) for k in sorted(loaded.keys() - fresh.keys(), key=str)]
        report.changed = [f"{_key(k)}: {_value(loaded[k])} -> {_value(fresh[k])}"
                          for k in sorted(loaded.keys() & fresh.keys(), key=str) if loaded[k] != fresh[k]]
        reports.append(report)
    return reports


def _captures(archive: RawArchive, source_id: str) -> list[ManifestRow]:
    """Manifest rows with a body (not 304), one per sha256: the first fetch that stored it."""
    first: dict[str, ManifestRow] = {}
    for row in sorted(archive.rows(), key=lambda r: r.fetched_at):
        if row.source_id == source_id and row.http_status != 304:
            first.setdefault(row.sha256, row)
    return list(first.values())


def _loaded_facts(con: duckdb.DuckDBPyConnection, source_id: str, sha: str) -> dict[tuple, tuple]:
    exists = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'raw' "
                         "AND table_name = 'price_facts'").fetchone()[0]
    if not exists:
        return {}
    columns = ", ".join(KEY_FIELDS + VALUE_FIELDS)
    cursor = con.execute(f"SELECT DISTINCT {columns} FROM raw.price_facts WHERE source_id = ? AND raw_sha256 = ?",
                         [source_id, sha])
    names = [d[0] for d in cursor.description]
    return _facts(dict(zip(names, row, strict=True)) for row in cursor.fetchall())


def _facts(records: Iterable[dict]) -> dict[tuple, tuple]:
    return {tuple(_norm(r[f]) for f in KEY_FIELDS): tuple(_norm(r[f]) for f in VALUE_FIELDS) for r in records}


def _norm(value):
    # DuckDB gives DECIMAL(…, 6) back as 3.000000; the parser's Decimal("3") is the same price
    if isinstance(value, Decimal):
        return value.normalize()
    if isinstance(value, date):
        return value.isoformat()
    return value


def _order(item):
    return str(item[0])


def _key(key: tuple) -> str:
    provider, model, token_type, tier, band, modality, currency, valid_from = key
    since = f" from {valid_from}" if valid_from else ""
    return f"{provider}/{model} {token_type}/{tier}/{band}/{modality} {currency}{since}"


def _value(value: tuple) -> str:
    price, valid_to = value
    return f"{price:f}" + (f" until {valid_to}" if valid_to else "")


def _say(key: tuple, value: tuple) -> str:
    return f"{_key(key)}: {_value(value)}"


def as_json(reports: list[CaptureReparse]) -> list[dict]:
    return [{**asdict(r), "differs": r.differs} for r in reports]


def reparse_table(source_id: str, reports: list[CaptureReparse]) -> Table:
    table = Table(title=f"{source_id}: archived captures through today's parser")
    for column in ("capture", "fetched_at", "loaded", "reparsed", "added", "removed", "changed", "verdict"):
        table.add_column(column)
    for r in reports:
        verdict = f"drift: {r.drift}" if r.drift else ("differs" if r.differs else "same facts")
        table.add_row(f"{r.capture_key} {r.sha256[:12]}", r.fetched_at, str(r.loaded), str(r.reparsed),
                      str(len(r.added)), str(len(r.removed)), str(len(r.changed)), verdict)
    return table


def print_details(reports: list[CaptureReparse], echo) -> None:
    """The facts behind the table's counts, one line each."""
    for r in reports:
        for label, lines in (("+", r.added), ("-", r.removed), ("~", r.changed)):
            for line in lines:
                echo(f"{r.sha256[:12]} {label} {line}")
