"""SEC submissions parser: the latest 10-K/10-Q (or amendment) decides whether capex is refetched.

The fixture is written from the documented shape of https://data.sec.gov/submissions/CIK##########.json
(see tests/fixtures/sec_submissions/README.md); Oracle's real submissions (a transcribed sample in
../shared/samples/sec/2026/transcribed) are checked against the demo capex capture.
"""

from __future__ import annotations

import json
from datetime import date

import pytest

from scrapers.errors import LayoutDriftError
from scrapers.sources import sec_capex, sec_submissions
from scrapers.sources.sec_submissions import PeriodicFiling

URL = "https://data.sec.gov/submissions/CIK0000789019.json"
LATEST = "0000789019-25-900009"


@pytest.fixture
def doc(fixtures_dir) -> dict:
    return json.loads((fixtures_dir / "sec_submissions" / "CIK0000789019.json").read_text())


def body(doc: dict) -> bytes:
    return json.dumps(doc).encode()


def prepend(doc: dict, accession: str, form: str, filed: str, report: str, accepted: str) -> dict:
    """A newer filing, inserted at index 0 of every column the way the SEC lists newest first."""
    recent = doc["filings"]["recent"]
    values = {"accessionNumber": accession, "form": form, "filingDate": filed, "reportDate": report,
              "acceptanceDateTime": accepted}
    for name, column in recent.items():
        column.insert(0, values.get(name, ""))
    return doc


def test_url() -> None:
    assert sec_submissions.submissions_url(789019) == URL


def test_latest_periodic_filing(doc) -> None:
    latest = sec_submissions.latest_periodic_filing(body(doc))
    assert latest == PeriodicFiling(
        cik=789019, accession=LATEST, form="10-Q", filing_date=date(2025, 10, 29),
        report_date=date(2025, 9, 30), accepted_at="2025-10-29T20:05:43.000Z")


def test_periodic_filings_skip_other_forms_newest_first(doc) -> None:
    filings = sec_submissions.periodic_filings(body(doc))
    assert [(f.form, f.accession, f.report_date) for f in filings] == [
        ("10-Q", "0000789019-25-900009", date(2025, 9, 30)),
        ("10-K", "0000789019-25-900008", date(2025, 6, 30)),
        ("10-Q", "0000789019-25-900007", date(2025, 3, 31)),
        ("10-Q", "0000789019-25-900006", date(2024, 12, 31)),
    ]


def test_real_oracle_submissions_match_the_demo_capex_capture(samples_dir, demo_dir) -> None:
    """Oracle's real submissions (transcribed sample, 28 recent filings) name as latest periodic report
    the FY2026 10-K that the demo's Oracle capex capture already holds: nothing new to fetch."""
    real = (samples_dir / "sec" / "2026" / "transcribed" / "submissions_ORCL_GR8T.json").read_bytes()
    url = sec_submissions.submissions_url(1341439)
    latest = sec_submissions.latest_periodic_filing(real, url=url)
    assert (latest.form, latest.accession, latest.filing_date, latest.report_date) == (
        "10-K", "0001193125-26-277521", date(2026, 6, 22), date(2026, 5, 31))
    key = sec_capex.capture_key(1341439, sec_capex.PPE)
    concept = json.loads((demo_dir / "2026-08-08" / sec_capex.SOURCE_ID / key).read_text())
    newest = max(concept["units"]["USD"], key=lambda f: f["filed"])["accn"]
    assert newest == latest.accession
    assert sec_submissions.has_new_periodic_report(real, newest, url=url) is False


def test_has_new_periodic_report(doc) -> None:
    assert sec_submissions.has_new_periodic_report(body(doc), None) is True
    assert sec_submissions.has_new_periodic_report(body(doc), LATEST) is False
    assert sec_submissions.has_new_periodic_report(body(doc), "000078901925900009") is False  # undashed form
    assert sec_submissions.has_new_periodic_report(body(doc), "0000789019-25-900008") is True  # the 10-K


def test_non_periodic_filings_do_not_count_as_new(doc) -> None:
    prepend(doc, "0000789019-25-900013", "8-K", "2025-12-08", "2025-12-05", "2025-12-08T21:00:00.000Z")
    prepend(doc, "0000789019-25-900014", "SC 13G/A", "2025-12-09", "", "2025-12-09T10:00:00.000Z")
    assert sec_submissions.has_new_periodic_report(body(doc), LATEST) is False


@pytest.mark.parametrize("form", ["10-Q/A", "10-K/A", "10-K"])
def test_amendments_and_annual_reports_count(doc, form) -> None:
    prepend(doc, "0000789019-25-900015", form, "2025-11-20", "2025-09-30", "2025-11-20T21:00:00.000Z")
    latest = sec_submissions.latest_periodic_filing(body(doc))
    assert (latest.form, latest.accession, latest.filing_date) == (form, "0000789019-25-900015", date(2025, 11, 20))
    assert sec_submissions.has_new_periodic_report(body(doc), LATEST) is True


def test_latest_is_chosen_by_date_not_by_position(doc) -> None:
    """An older 10-Q listed first (arrays out of order) does not hide the newer one."""
    prepend(doc, "0000789019-24-900005", "10-Q", "2024-10-30", "2024-09-30", "2024-10-30T20:00:00.000Z")
    assert sec_submissions.latest_periodic_filing(body(doc)).accession == LATEST


def test_same_day_filings_are_ordered_by_acceptance_time(doc) -> None:
    prepend(doc, "0000789019-25-900016", "10-Q/A", "2025-10-29", "2025-09-30", "2025-10-29T19:00:00.000Z")
    assert sec_submissions.latest_periodic_filing(body(doc)).accession == LATEST  # accepted earlier that day


def test_compact_rendering_with_padded_cik_and_no_acceptance_times(doc) -> None:
    doc["cik"] = "0000789019"
    del doc["filings"]["recent"]["acceptanceDateTime"]
    compact = json.dumps(doc, separators=(",", ":")).encode()
    latest = sec_submissions.latest_periodic_filing(compact)
    assert (latest.cik, latest.accession, latest.accepted_at) == (789019, LATEST, None)


def assert_drift(raw: bytes, match: str, url: str = URL) -> None:
    with pytest.raises(LayoutDriftError, match=match) as info:
        sec_submissions.has_new_periodic_report(raw, LATEST)
    assert "[sec_submissions]" in str(info.value) and url in str(info.value)


def test_no_periodic_report_is_drift(doc) -> None:
    recent = doc["filings"]["recent"]
    recent["form"] = ["8-K" if form.startswith("10-") else form for form in recent["form"]]
    assert_drift(body(doc), "no 10-K/10-K/A/10-Q/10-Q/A among the recent filings of CIK 789019")


def test_unequal_columns_are_drift(doc) -> None:
    doc["filings"]["recent"]["form"].pop()
    assert_drift(body(doc), "columns differ in length")


def test_malformed_accession_is_drift(doc) -> None:
    doc["filings"]["recent"]["accessionNumber"][1] = "0000789019-25"
    assert_drift(body(doc), r"filings.recent\[1\] \(10-Q\): not an SEC accession number")


def test_malformed_report_date_is_drift(doc) -> None:
    doc["filings"]["recent"]["reportDate"][1] = "30/09/2025"
    assert_drift(body(doc), r"filings.recent\[1\] \(10-Q\)")


@pytest.mark.parametrize("raw", [b"<html>Request Rate Threshold Exceeded</html>", b"{}",
                                 b'{"cik": "789019", "name": "MICROSOFT CORP", "filings": {"files": []}}'])
def test_not_a_submissions_document_is_drift(raw) -> None:
    assert_drift(raw, "not a submissions response", url="https://data.sec.gov/submissions/")


def test_url_given_by_the_caller_is_named(doc) -> None:
    doc["filings"]["recent"]["form"] = []
    with pytest.raises(LayoutDriftError) as info:
        sec_submissions.latest_periodic_filing(body(doc), url="https://example.test/subs.json")
    assert "https://example.test/subs.json" in str(info.value)


def test_bad_last_seen_accession_is_a_caller_error(doc) -> None:
    with pytest.raises(ValueError, match="not an SEC accession number"):
        sec_submissions.has_new_periodic_report(body(doc), "latest")
