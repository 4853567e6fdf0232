"""collect(): live conditional GETs against a real loopback server, and replay from a folder."""

from __future__ import annotations

from datetime import date

import pytest
from werkzeug import Response

from scrapers.archive import RawArchive
from scrapers.collect import collect, replay_path
from scrapers.errors import CaptureMissingError, LayoutDriftError
from scrapers.http import HostPacer, HttpClient
from scrapers.registry import Source, Target

PAGE = b"""# Pricing

| Model | Base Input Tokens | 5m Cache Writes | 1h Cache Writes | Cache Hits & Refreshes | Output Tokens |
|---|---|---|---|---|---|
| Claude Haiku 4.5 | $1 / MTok | $1.25 / MTok | $2 / MTok | $0.10 / MTok | $5 / MTok |

### Batch processing

| Model | Batch input | Batch output |
|---|---|---|
| Claude Haiku 4.5 | $0.50 / MTok | $2.50 / MTok |
"""


def source(url: str) -> Source:
    return Source("anthropic", "pricing_page", (Target("pricing.md", url),), "scrapers.sources.anthropic", "markdown")


def client() -> HttpClient:
    return HttpClient("costcurve-test", retries=0, pacer=HostPacer(default=0.0), respect_robots=False,
                      allow_loopback=True)  # the test server is on loopback


def test_unchanged_page_costs_a_304_and_no_parse(httpserver, tmp_path):
    archive = RawArchive(tmp_path)
    httpserver.expect_ordered_request("/pricing.md").respond_with_response(
        Response(PAGE, headers={"ETag": '"v1"', "Last-Modified": "Fri, 20 Nov 2026 06:00:00 GMT"})
    )
    httpserver.expect_ordered_request("/pricing.md", headers={"If-None-Match": '"v1"'}).respond_with_response(
        Response(status=304)
    )
    src = source(httpserver.url_for("/pricing.md"))
    first = collect(src, date(2026, 11, 20), archive, client=client())
    second = collect(src, date(2026, 11, 21), archive, client=client())
    assert len(first.result.prices) == 7 and not first.unchanged
    assert len(second.result) == 0  # nothing parsed
    assert [r.sha256 for r in second.unchanged] == [first.fetches[0].sha256]
    assert second.fetches[0].http_status == 304 and second.fetches[0].sha256 == first.fetches[0].sha256
    assert archive.object_count() == 1 and len(archive.rows()) == 1  # the 304 changed nothing
    assert archive.last_checked(src.source_id, "pricing.md").http_status == 304  # but it was checked


def test_changed_page_is_stored_and_parsed(httpserver, tmp_path):
    archive = RawArchive(tmp_path)
    httpserver.expect_ordered_request("/p").respond_with_response(Response(PAGE, headers={"ETag": '"v1"'}))
    httpserver.expect_ordered_request("/p").respond_with_response(
        Response(PAGE.replace(b"$5 / MTok", b"$4 / MTok"), headers={"ETag": '"v2"'})
    )
    src = source(httpserver.url_for("/p"))
    collect(src, date(2026, 11, 20), archive, client=client())
    second = collect(src, date(2026, 11, 21), archive, client=client())
    assert {p.price_per_mtok for p in second.result.prices if p.token_type == "output" and p.service_tier == "standard"} == {4}
    assert archive.object_count() == 2


def test_replay_reads_the_day_folder_and_stamps_six_utc(tmp_path):
    archive = RawArchive(tmp_path / "archive")
    path = replay_path(tmp_path / "replay", date(2026, 11, 20), "anthropic", "pricing.md")
    path.parent.mkdir(parents=True)
    path.write_bytes(PAGE)
    got = collect(source("https://x/pricing.md"), date(2026, 11, 20), archive, replay_dir=tmp_path / "replay")
    assert got.fetches[0].fetched_at == "2026-11-20T06:00:00+00:00" and got.fetches[0].replayed
    assert all(p.source_url == "https://x/pricing.md" for p in got.result.prices)


def test_missing_replay_capture_is_a_named_error(tmp_path):
    with pytest.raises(CaptureMissingError, match="anthropic"):
        collect(source("https://x"), date(2026, 11, 20), RawArchive(tmp_path), replay_dir=tmp_path)


def test_broken_layout_raises_drift_and_still_archives_the_capture(tmp_path):
    archive = RawArchive(tmp_path / "archive")
    path = replay_path(tmp_path / "replay", date(2026, 11, 20), "anthropic", "pricing.md")
    path.parent.mkdir(parents=True)
    path.write_bytes(b"# Pricing\n\nWe moved our prices to a new page.\n")
    with pytest.raises(LayoutDriftError) as info:
        collect(source("https://x/pricing.md"), date(2026, 11, 20), archive, replay_dir=tmp_path / "replay")
    assert "https://x/pricing.md" in str(info.value)
    assert archive.object_count() == 1  # the evidence is kept for replay once the parser is fixed


def test_repo_target_reads_the_curated_file_in_every_mode(tmp_path, httpserver):
    from scrapers.registry import get_source

    source = get_source("throughput_disclosures")
    replayed = collect(source, date(2026, 11, 20), RawArchive(tmp_path / "a"), replay_dir=tmp_path / "empty")
    live = collect(source, date(2026, 11, 20), RawArchive(tmp_path / "b"), client=client())
    assert len(replayed.result.disclosures) == len(live.result.disclosures) > 0
    assert replayed.fetches[0].url.startswith("repo://")
    assert len(httpserver.log) == 0  # nothing went over the network


def test_sources_needing_a_key_are_skipped_live_only(monkeypatch):
    from scrapers.registry import get_source

    together = get_source("together")
    monkeypatch.delenv("COSTCURVE_TOGETHER_API_KEY", raising=False)
    assert "COSTCURVE_TOGETHER_API_KEY" in together.skip_reason(live=True)
    assert together.skip_reason(live=False) is None
    monkeypatch.setenv("COSTCURVE_TOGETHER_API_KEY", "k")
    assert together.skip_reason(live=True) is None


def test_captures_parsed_together_see_each_other(httpserver, tmp_path):
    """The rankings CSV is checked against the manifest fetched beside it (parse_captures)."""
    import hashlib
    import json

    from scrapers.registry import Source, Target

    csv = b"date,model_permaslug,rank,total_tokens,share_of_daily_tokens\n2026-10-07,openai/gpt-x,1,100,1.0\n"
    manifest = {
        "dataset": "rankings-daily", "schema_version": "v1", "snapshot_date": "2026-10-08",
        "retrieved_at": "2026-10-08T01:46:15.433Z", "row_count": 1, "update_cadence": "daily",
        "license": {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"},
        "attribution": "Source: OpenRouter", "readme_url": "https://x/README.md",
        "files": {
            "csv": {"url": "https://x/2026-10-08.csv", "encoding_format": "text/csv", "bytes": len(csv),
                    "sha256": hashlib.sha256(csv).hexdigest()},
            "json": {"url": "https://x/2026-10-08.json", "encoding_format": "application/json", "bytes": 1,
                     "sha256": "0" * 64},
        },
        "latest": {"csv": "https://x/latest.csv", "json": "https://x/latest.json", "manifest": "https://x/m.json"},
    }
    httpserver.expect_request("/latest.manifest.json").respond_with_data(json.dumps(manifest))
    httpserver.expect_request("/latest.csv").respond_with_data(csv)
    source = Source(
        "openrouter_rankings", "usage",
        (Target("latest.manifest.json", httpserver.url_for("/latest.manifest.json")),
         Target("latest.csv", httpserver.url_for("/latest.csv"))),
        "scrapers.sources.openrouter_rankings", "csv",
    )
    got = collect(source, date(2026, 11, 20), RawArchive(tmp_path), client=client())
    (fact,) = got.result.usage
    assert fact.as_of == date(2026, 10, 8)  # the manifest's snapshot date, not the CSV's last day


def test_a_replay_day_without_the_source_skips_it_and_a_partial_folder_still_fails(tmp_path):
    from scrapers.collect import replay_skip_reason
    from scrapers.registry import get_source

    day = date(2025, 12, 20)
    (tmp_path / day.isoformat() / "openai").mkdir(parents=True)
    assert replay_skip_reason(get_source("openai"), day, tmp_path) is None
    reason = replay_skip_reason(get_source("anthropic"), day, tmp_path)
    assert reason is not None and "2025-12-20" in reason and "anthropic" in reason
    # curated repository files are read every day, captured or not
    assert replay_skip_reason(get_source("throughput_disclosures"), day, tmp_path) is None
    # the folder exists but lacks the capture: not a skip, a named error
    with pytest.raises(CaptureMissingError, match="openai"):
        collect(get_source("openai"), day, RawArchive(tmp_path / "archive"), replay_dir=tmp_path)
