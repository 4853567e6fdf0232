"""The whole daily job, materialised for real (Dagster + dbt + GX + DuckDB + webhooks) in replay mode."""

from __future__ import annotations

import json
from datetime import date

import duckdb
import pytest
from werkzeug import Response

from costcurve.runner import load_definitions, run_day
from scrapers.registry import SOURCES

pytestmark = pytest.mark.integration

DAYS = [date(2026, 11, 18), date(2026, 11, 19), date(2026, 11, 20)]
COUNTED = ["raw.price_facts", "raw.capex_facts", "raw.fetches", "main.fct_price_observations",
           "main.fct_price_history", "main.fct_capex_quarterly", "main.dim_models"]


def counts(path) -> dict[str, int]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in COUNTED}
    finally:
        con.close()


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory, httpserver_module, make_sandbox):
    """Three replayed days into a private warehouse, then day three again."""
    httpserver_module.expect_request("/hook", method="POST").respond_with_response(Response(status=204))
    with pytest.MonkeyPatch.context() as mp:
        box = make_sandbox(tmp_path_factory.mktemp("demo"), mp, httpserver_module.url_for("/hook"))
        defs = load_definitions()
        outcomes = [run_day(day, defs=defs) for day in DAYS]
        first = counts(box.warehouse)
        posts_after_first = len(httpserver_module.log)
        rerun = run_day(DAYS[-1], defs=defs)
        yield {
            "box": box,
            "outcomes": outcomes,
            "rerun": rerun,
            "first": first,
            "second": counts(box.warehouse),
            "posts_after_first": posts_after_first,
            "posts_after_rerun": len(httpserver_module.log),
            "bodies": [json.loads(req.get_data()) for req, _ in httpserver_module.log],
        }


@pytest.fixture(scope="module")
def httpserver_module():
    from pytest_httpserver import HTTPServer

    server = HTTPServer(host="127.0.0.1")
    server.start()
    yield server
    server.clear()
    server.stop()


def test_every_day_succeeds_with_all_checks_passing(demo_run):
    for outcome in demo_run["outcomes"]:
        assert outcome.success, outcome.errors
        assert not outcome.checks_failed
        assert outcome.checks_passed > 10  # GX raw + mart gates and dbt tests


def test_price_change_shows_in_history(demo_run):
    con = duckdb.connect(str(demo_run["box"].warehouse), read_only=True)
    rows = con.execute(
        """
        SELECT valid_from, valid_to, price_per_mtok, is_current FROM fct_price_history
        WHERE provider_id = 'anthropic' AND model_id = 'claude-3-5-haiku'
          AND token_type = 'input' AND service_tier = 'standard'
        ORDER BY valid_from
        """
    ).fetchall()
    con.close()
    assert [(r[0], r[1], float(r[2]), r[3]) for r in rows] == [
        (date(2026, 11, 18), date(2026, 11, 20), 1.0, False),
        (date(2026, 11, 20), None, 0.8, True),
    ]


def test_alert_fires_once_with_signature(demo_run):
    bodies = demo_run["bodies"]
    haiku = [b for b in bodies if b["subject"]["model_id"] == "claude-3-5-haiku"]
    assert haiku, bodies
    assert {b["subject"]["token_type"] for b in haiku} >= {"input", "output"}
    assert all(b["data"]["change_pct"] == -20.0 for b in haiku)
    assert len({b["id"] for b in bodies}) == len(bodies)  # no event delivered twice
    assert demo_run["posts_after_rerun"] == demo_run["posts_after_first"]  # a re-run sends nothing new


def test_rerun_is_idempotent(demo_run):
    assert demo_run["rerun"].success
    assert demo_run["second"] == demo_run["first"]
    assert demo_run["first"]["raw.price_facts"] > 0 and demo_run["first"]["main.fct_capex_quarterly"] > 0


def test_archive_holds_one_file_per_distinct_capture(demo_run):
    from costcurve.config import PROJECT_ROOT
    from scrapers.collect import REPO_SCHEME, replay_path

    box = demo_run["box"]
    distinct = set()
    for day in DAYS:
        for source in SOURCES.values():
            for target in source.targets:
                if target.url.startswith(REPO_SCHEME):
                    path = PROJECT_ROOT / target.url.removeprefix(REPO_SCHEME)
                else:
                    path = replay_path(box.replay_dir, day, source.source_id, target.key)
                distinct.add(path.read_bytes())
    assert len(list((box.archive / "objects").glob("*/*.gz"))) == len(distinct)


def test_analyst_copy_is_published_and_queryable(demo_run):
    from warehouse.connection import analyst

    with analyst(demo_run["box"].published) as con:
        assert con.execute("SELECT count(*) FROM fct_price_history").fetchone()[0] == demo_run["second"]["main.fct_price_history"]
        with pytest.raises(duckdb.Error):
            con.execute("DROP TABLE fct_price_history")
