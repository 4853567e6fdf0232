"""SEC submissions parser: the latest 10-K/10-Q (or amendment) decides whether capex is refetched.

The fixture is Oracle's real submissions document cut at 2026-02-28 (tests/fixtures/sec_submissions/README.md);
tests that need a newer filing prepend the real ones the cut removed, so every accession number is real. The
whole transcribed sample (../shared/samples/sec/2026/transcribed) is checked against the demo capex capture.
"""

from __future__ import annotations

import json
from datetime import date

import pytest

from scrapers.errors import LayoutDriftError
from scrapers.sources import sec_capex, sec_submissions
from scrapers.sources.sec_submissions import PeriodicFiling

URL = "https://data.sec.gov/submissions/CIK0001341439.json"
#: Oracle's newest periodic report in the fixture (its real submissions, cut at 2026-02-28)
LATEST = "0001193125-25-315925"
# real filings the cut removed (accession, form, filed, period, accepted), as the full sample lists them
LATER_8K = ("0001193125-26-100148", "8-K", "2026-03-10", "2026-03-10", "2026-03-10T20:12:51.000Z")
LATER_FORM_4 = ("0001341439-26-000040", "4", "2026-06-02", "2026-05-31", "2026-06-02T21:31:37.000Z")
LATER_10Q = ("0001193125-26-101045", "10-Q", "2026-03-11", "2026-02-28", "2026-03-11T10:38:49.000Z")
LATER_10K = ("0001193125-26-277521", "10-K", "2026-06-22", "2026-05-31", "2026-06-22T20:12:40.000Z")
#: a real older 10-Q of the fixture itself
OLDER_10Q = ("0000950170-24-104905", "10-Q", "2024-09-10", "2024-08-31", "2024-09-10T10:05:11.000Z")


@pytest.fixture
def doc(fixtures_dir) -> dict:
    return json.loads((fixtures_dir / "sec_submissions" / "CIK0001341439.json").read_text())


def body(doc: dict) -> bytes:
    return json.dumps(doc).encode()


def prepend(doc: dict, filing: tuple[str, str, str, str, str]) -> dict:
    """A filing inserted at index 0 of every column, the way the SEC lists newest first."""
    accession, form, filed, report, accepted = filing
    recent = doc["filings"]["recent"]
    values = {"accessionNumber": accession, "form": form, "filingDate": filed, "reportDate": report,
              "acceptanceDateTime": accepted}
    for name, column in recent.items():
        column.insert(0, values.get(name, ""))
    return doc


def test_url() -> None:
    assert sec_submissions.submissions_url(1341439) == URL


def test_latest_periodic_filing(doc) -> None:
    latest = sec_submissions.latest_periodic_filing(body(doc))
    assert latest == PeriodicFiling(
        cik=1341439, accession=LATEST, form="10-Q", filing_date=date(2025, 12, 11),
        report_date=date(2025, 11, 30), accepted_at="2025-12-11T21:07:47.000Z")


def test_periodic_filings_skip_other_forms_newest_first(doc) -> None:
    # the fixture's 12 filings: two 8-Ks (newest) and a DEF 14A among them are not periodic reports
    filings = sec_submissions.periodic_filings(body(doc))
    assert [(f.form, f.accession, f.report_date) for f in filings] == [
        ("10-Q", "0001193125-25-315925", date(2025, 11, 30)),
        ("10-Q", "0001193125-25-200095", date(2025, 8, 31)),
        ("10-K", "0000950170-25-087926", date(2025, 5, 31)),
        ("10-Q", "0000950170-25-037143", date(2025, 2, 28)),
        ("10-Q", "0000950170-24-134973", date(2024, 11, 30)),
        ("10-Q", "0000950170-24-104905", date(2024, 8, 31)),
        ("10-K", "0000950170-24-075605", date(2024, 5, 31)),
        ("10-K", "0000950170-23-028914", date(2023, 5, 31)),
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
    assert sec_submissions.has_new_periodic_report(body(doc), "000119312525315925") is False  # undashed form
    assert sec_submissions.has_new_periodic_report(body(doc), "0000950170-25-087926") is True  # the older 10-K


def test_non_periodic_filings_do_not_count_as_new(doc) -> None:
    prepend(doc, LATER_8K)
    prepend(doc, LATER_FORM_4)
    assert sec_submissions.has_new_periodic_report(body(doc), LATEST) is False


@pytest.mark.parametrize("filing", [LATER_10Q, LATER_10K], ids=["10-Q", "10-K"])
def test_a_later_quarterly_or_annual_report_counts(doc, filing) -> None:
    prepend(doc, filing)
    latest = sec_submissions.latest_periodic_filing(body(doc))
    assert (latest.form, latest.accession, latest.filing_date.isoformat()) == (filing[1], filing[0], filing[2])
    assert sec_submissions.has_new_periodic_report(body(doc), LATEST) is True


def test_amendments_are_periodic_reports() -> None:
    # a 10-Q/A or 10-K/A restates a period, so it must refetch capex like the original (no real amendment
    # of the tracked filers is among the stored captures, so the forms themselves are checked)
    assert {"10-Q/A", "10-K/A"} <= sec_submissions.PERIODIC_FORMS


def test_latest_is_chosen_by_date_not_by_position(doc) -> None:
    """An older 10-Q listed first (arrays out of order) does not hide the newer one."""
    prepend(doc, OLDER_10Q)
    assert sec_submissions.latest_periodic_filing(body(doc)).accession == LATEST


def test_compact_rendering_with_padded_cik_and_no_acceptance_times(doc) -> None:
    doc["cik"] = "0001341439"
    del doc["filings"]["recent"]["acceptanceDateTime"]
    compact = json.dumps(doc, separators=(",", ":")).encode()
    latest = sec_submissions.latest_periodic_filing(compact)
    assert (latest.cik, latest.accession, latest.accepted_at) == (1341439, LATEST, None)


def assert_drift(raw: bytes, match: str, url: str = URL) -> None:
    with pytest.raises(LayoutDriftError, match=match) as info:
        sec_submissions.has_new_periodic_report(raw, LATEST)
    assert "[sec_submissions]" in str(info.value) and url in str(info.value)


def test_no_periodic_report_is_drift(doc) -> None:
    recent = doc["filings"]["recent"]
    recent["form"] = ["8-K" if form.startswith("10-") else form for form in recent["form"]]
    assert_drift(body(doc), "no 10-K/10-K/A/10-Q/10-Q/A among the recent filings of CIK 1341439")


def test_unequal_columns_are_drift(doc) -> None:
    doc["filings"]["recent"]["form"].pop()
    assert_drift(body(doc), "columns differ in length")


def test_malformed_accession_is_drift(doc) -> None:
    doc["filings"]["recent"]["accessionNumber"][2] = "0001193125-25"  # the 10-Q, cut short
    assert_drift(body(doc), r"filings.recent\[2\] \(10-Q\): not an SEC accession number")


def test_malformed_report_date_is_drift(doc) -> None:
    doc["filings"]["recent"]["reportDate"][2] = "30/11/2025"
    assert_drift(body(doc), r"filings.recent\[2\] \(10-Q\)")


@pytest.mark.parametrize("raw", [b"<html>Request Rate Threshold Exceeded</html>", b"{}",
                                 b'{"cik": "1341439", "name": "ORACLE CORP", "filings": {"files": []}}'])
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
