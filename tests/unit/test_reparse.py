"""`costcurve reparse`: archived captures through today's parser, against what the warehouse loaded.

Real pieces throughout: the demo's Anthropic capture (demo/captures/2025-12-20, the real 2025-12 page)
collected into a real raw archive and loaded into a real DuckDB file by the loader the pipeline uses.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from costcurve.cli import app
from costcurve.reparse import reparse_source
from scrapers.archive import RawArchive
from scrapers.collect import collect
from scrapers.registry import get_source
from warehouse.load import load_source_day

REPO = Path(__file__).resolve().parents[2]
DAY = date(2025, 12, 20)


@pytest.fixture
def loaded(tmp_path) -> tuple[Path, Path, int]:
    """(warehouse, archive, facts loaded): one day of Anthropic, captured, archived and loaded."""
    archive_dir, warehouse = tmp_path / "archive", tmp_path / "costcurve.duckdb"
    source = get_source("anthropic")
    collected = collect(source, DAY, RawArchive(archive_dir), replay_dir=REPO / "demo" / "captures")
    with duckdb.connect(str(warehouse)) as con:
        load_source_day(con, source.source_id, DAY, collected.fetches, collected.result)
    return warehouse, archive_dir, len(collected.result.prices)


def test_an_unchanged_parser_gives_the_loaded_facts(loaded):
    warehouse, archive_dir, count = loaded
    with duckdb.connect(str(warehouse), read_only=True) as con:
        [report] = reparse_source("anthropic", RawArchive(archive_dir), con)
    assert (report.loaded, report.reparsed) == (count, count)
    assert not report.differs, (report.added, report.removed, report.changed, report.drift)


def test_facts_an_older_parser_loaded_differently_are_shown(loaded):
    """The warehouse holds what an older parser read: one price read wrong, one fact it missed."""
    warehouse, archive_dir, count = loaded
    with duckdb.connect(str(warehouse)) as con:
        con.execute("UPDATE raw.price_facts SET price_per_mtok = 4 WHERE model_id = 'claude-sonnet-4-5' "
                    "AND token_type = 'input' AND service_tier = 'standard' AND context_band = 'all'")
        con.execute("DELETE FROM raw.price_facts WHERE model_id = 'claude-haiku-4-5' AND token_type = 'output' "
                    "AND service_tier = 'batch'")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        [report] = reparse_source("anthropic", RawArchive(archive_dir), con)
    assert report.changed == ["anthropic/claude-sonnet-4-5 input/standard/all/text USD: 4 -> 3"]
    assert report.added == ["anthropic/claude-haiku-4-5 output/batch/all/text USD: 2.5"]
    assert report.removed == [] and report.drift is None
    assert (report.loaded, report.reparsed) == (count - 1, count)


def test_a_capture_todays_parser_rejects_is_drift_and_every_loaded_fact_would_go(tmp_path):
    """A cut capture an older parser loaded (its 65 facts are in the warehouse) is now layout drift."""
    archive = RawArchive(tmp_path / "archive")
    source = get_source("anthropic")
    whole = (REPO / "demo" / "captures" / "2025-12-20" / "anthropic" / "pricing.md").read_bytes()
    cut = whole[: whole.index(b"| Claude Haiku 3 ") + len(b"| Claude Haiku 3 | $0.2")]  # mid-row, as in transit
    replay = tmp_path / "replay" / DAY.isoformat() / "anthropic"
    replay.mkdir(parents=True)
    (replay / "pricing.md").write_bytes(cut)
    with pytest.raises(Exception, match="cut short"):
        collect(source, DAY, archive, replay_dir=tmp_path / "replay")  # archived, then rejected
    # the rows an older parser would have loaded from it: today's facts of the rows before the cut
    good = collect(source, DAY, RawArchive(tmp_path / "other"), replay_dir=REPO / "demo" / "captures")
    sha = archive.rows()[0].sha256
    older = [p.model_copy(update={"raw_sha256": sha}) for p in good.result.prices[:3]]
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        load_source_day(con, "anthropic", DAY, archive.rows(), type(good.result)(prices=older))
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        [report] = reparse_source("anthropic", archive, con)
    assert report.drift and "cut short" in report.drift
    assert len(report.removed) == 3 and report.differs


def test_the_command_prints_a_table_and_json(loaded, monkeypatch):
    warehouse, archive_dir, count = loaded
    monkeypatch.setenv("COSTCURVE_WAREHOUSE", str(warehouse))
    monkeypatch.setenv("COSTCURVE_ARCHIVE", str(archive_dir))
    table = CliRunner().invoke(app, ["reparse", "anthropic"])
    assert table.exit_code == 0, table.output
    assert "same facts" in table.output
    out = CliRunner().invoke(app, ["reparse", "anthropic", "--format", "json"])
    assert out.exit_code == 0, out.output
    [row] = json.loads(out.output)
    assert (row["loaded"], row["reparsed"], row["differs"]) == (count, count, False)


def test_an_unknown_source_is_a_named_error(loaded, monkeypatch):
    warehouse, archive_dir, _ = loaded
    monkeypatch.setenv("COSTCURVE_WAREHOUSE", str(warehouse))
    monkeypatch.setenv("COSTCURVE_ARCHIVE", str(archive_dir))
    result = CliRunner().invoke(app, ["reparse", "anthropik"])
    assert result.exit_code != 0
    assert "unknown source 'anthropik'" in result.output
