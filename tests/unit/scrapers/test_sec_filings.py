"""Live SEC fetches ask the submissions endpoint first and skip concept files when nothing new was filed."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from scrapers.archive import RawArchive
from scrapers.collect import collect
from scrapers.http import HostPacer, HttpClient
from scrapers.registry import Source, Target
from scrapers.sources import sec_capex, sec_submissions

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
CONCEPT = "/api/xbrl/companyconcept/CIK0001341439/us-gaap/PaymentsToAcquirePropertyPlantAndEquipment.json"


def client() -> HttpClient:
    return HttpClient("costcurve-test", retries=0, pacer=HostPacer(default=0.0), respect_robots=False,
                      allow_loopback=True)  # the test server is on loopback


def with_new_10q(submissions: dict) -> dict:
    """The submissions as they stood once Oracle filed its fiscal Q3 2026 10-Q (a real filing the fixture's
    cut at 2026-02-28 removed), listed first as the SEC lists newest first."""
    recent = {k: list(v) for k, v in submissions["filings"]["recent"].items()}
    filing = {"accessionNumber": "0001193125-26-101045", "form": "10-Q", "filingDate": "2026-03-11",
              "reportDate": "2026-02-28", "acceptanceDateTime": "2026-03-11T10:38:49.000Z"}
    for column, values in recent.items():
        values.insert(0, filing.get(column, ""))
    return {**submissions, "filings": {**submissions["filings"], "recent": recent}}


def test_concepts_are_fetched_only_after_a_new_periodic_report(httpserver, tmp_path, monkeypatch):
    monkeypatch.setattr(sec_submissions, "BASE_URL", httpserver.url_for("/submissions/"))
    monkeypatch.setattr(sec_capex, "filers", lambda: [("ORCL", 1341439, [sec_capex.PPE])])
    submissions = json.loads((FIXTURES / "sec_submissions" / "CIK0001341439.json").read_text())
    concept = (FIXTURES / "sec_capex" / "CIK0001341439-PaymentsToAcquirePropertyPlantAndEquipment.json").read_bytes()
    httpserver.expect_request(CONCEPT).respond_with_data(concept)
    source = Source(
        "sec_capex", "filing", (Target(sec_capex.capture_key(1341439, sec_capex.PPE), httpserver.url_for(CONCEPT)),),
        "scrapers.sources.sec_capex", "json", precheck="scrapers.sec_filings:unchanged_targets",
    )
    archive = RawArchive(tmp_path)

    def day(n: int, body: dict):
        httpserver.clear_all_handlers()
        httpserver.expect_request("/submissions/CIK0001341439.json").respond_with_data(json.dumps(body))
        httpserver.expect_request(CONCEPT).respond_with_data(concept)
        before = len([r for r, _ in httpserver.log if r.path == CONCEPT])
        got = collect(source, date(2026, 11, n), archive, client=client())
        return got, len([r for r, _ in httpserver.log if r.path == CONCEPT]) - before

    first, asked_first = day(18, submissions)
    second, asked_second = day(19, submissions)
    third, asked_third = day(20, with_new_10q(submissions))

    assert asked_first == 1 and len(first.result.capex) > 0
    assert asked_second == 0 and len(second.result) == 0 and len(second.unchanged) == 1
    assert asked_third == 1 and len(third.result.capex) == len(first.result.capex)
    # the submissions documents are captures too: archived and listed among the day's fetches
    assert [f.capture_key for f in second.fetches] == ["submissions-CIK0001341439.json"]


def test_replay_never_asks_the_submissions_endpoint(tmp_path):
    source = Source("sec_capex", "filing", (), "scrapers.sources.sec_capex", "json",
                    precheck="scrapers.sec_filings:unchanged_targets")
    got = collect(source, date(2026, 11, 20), RawArchive(tmp_path), replay_dir=tmp_path)
    assert got.fetches == []
