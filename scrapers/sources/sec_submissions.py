"""SEC EDGAR submissions JSON -> the filer's latest periodic report, to decide whether capex needs a refetch.

``https://data.sec.gov/submissions/CIK##########.json`` describes one filer: ``cik`` (a string, usually
without the zero padding), ``name``, ``fiscalYearEnd`` and ``filings.recent``, which holds the last year
or 1,000 filings (whichever is more) *column-wise*: parallel arrays ``accessionNumber``, ``form``,
``filingDate``, ``reportDate``, ``acceptanceDateTime``, ... one index per filing, newest first. Older
filings are paged out to ``filings.files``; they are never needed here, because a filer that still
reports has a 10-Q or 10-K within the last year.

Capex facts only change when a periodic report (10-K, 10-Q, or an amendment 10-K/A, 10-Q/A) is filed, so
the pipeline can fetch this small document daily and the companyconcept JSONs (``sec_capex``) only when
``has_new_periodic_report`` says so. Choices:

* "Latest" is the greatest (filingDate, acceptanceDateTime), ties broken by position (the SEC lists
  newest first); the arrays' order is not trusted on its own.
* Accession numbers are compared without dashes, so ``0000950170-24-118967`` and ``000095017024118967``
  (the form used in archive paths) are the same filing.
* Fail loudly: a body that is not a submissions document, columns of unequal length, a malformed
  accession or date, or no periodic report at all among the recent filings raise ``LayoutDriftError``
  (silence here would stop capex updates without anyone noticing). Transition reports (10-KT, 10-QT) are
  not in ``PERIODIC_FORMS``; none of the tracked companies files them.

This module is pure (bytes in, values out) and is not a registry source: it yields no warehouse records.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date

from pydantic import BaseModel, ConfigDict, ValidationError

from scrapers.errors import LayoutDriftError

SOURCE_ID = "sec_submissions"
PARSER_VERSION = "1"
PERIODIC_FORMS: frozenset[str] = frozenset({"10-K", "10-Q", "10-K/A", "10-Q/A"})
BASE_URL = "https://data.sec.gov/submissions/"
_ACCESSION = re.compile(r"^\d{10}-?\d{2}-?\d{6}$")


def submissions_url(cik: int) -> str:
    """The submissions endpoint of one filer, e.g. ``.../submissions/CIK0000789019.json``."""
    return f"{BASE_URL}CIK{cik:010d}.json"


def normalize_accession(accession: str) -> str:
    """``0000950170-24-118967`` in the dashed form, from either the dashed or the 18-digit form."""
    value = accession.strip()
    if not _ACCESSION.match(value):
        raise ValueError(f"not an SEC accession number: {accession!r}")
    digits = value.replace("-", "")
    return f"{digits[:10]}-{digits[10:12]}-{digits[12:]}"


@dataclass(frozen=True)
class PeriodicFiling:
    cik: int
    accession: str
    form: str
    filing_date: date
    #: the period the report covers (its balance-sheet date); None when the SEC leaves it blank
    report_date: date | None
    #: ``acceptanceDateTime`` as published (ISO 8601, UTC), when present
    accepted_at: str | None


class _Recent(BaseModel):
    model_config = ConfigDict(extra="ignore")

    accessionNumber: list[str]  # noqa: N815 - the SEC's field names
    form: list[str]
    filingDate: list[date]  # noqa: N815
    reportDate: list[str]  # noqa: N815 - "" for filings without a period
    acceptanceDateTime: list[str] | None = None  # noqa: N815


class _Filings(BaseModel):
    model_config = ConfigDict(extra="ignore")

    recent: _Recent


class _Submissions(BaseModel):
    model_config = ConfigDict(extra="ignore")

    cik: int
    name: str
    filings: _Filings


def periodic_filings(body: bytes, *, url: str | None = None) -> list[PeriodicFiling]:
    """Every 10-K, 10-Q, 10-K/A and 10-Q/A among the recent filings, newest first."""
    try:
        doc = _Submissions.model_validate(json.loads(body))
    except (ValueError, ValidationError) as exc:
        raise LayoutDriftError(SOURCE_ID, url or BASE_URL, f"not a submissions response: {exc}") from exc
    url = url or submissions_url(doc.cik)
    recent = doc.filings.recent
    columns = {"accessionNumber": recent.accessionNumber, "form": recent.form, "filingDate": recent.filingDate,
               "reportDate": recent.reportDate}
    if recent.acceptanceDateTime is not None:
        columns["acceptanceDateTime"] = recent.acceptanceDateTime
    lengths = {name: len(values) for name, values in columns.items()}
    if len(set(lengths.values())) != 1:
        raise LayoutDriftError(SOURCE_ID, url, f"filings.recent columns differ in length: {lengths}")

    found: list[tuple[tuple, PeriodicFiling]] = []
    for i, form in enumerate(recent.form):
        if form not in PERIODIC_FORMS:
            continue
        accepted = recent.acceptanceDateTime[i] if recent.acceptanceDateTime is not None else None
        try:
            filing = PeriodicFiling(
                cik=doc.cik,
                accession=normalize_accession(recent.accessionNumber[i]),
                form=form,
                filing_date=recent.filingDate[i],
                report_date=date.fromisoformat(recent.reportDate[i]) if recent.reportDate[i] else None,
                accepted_at=accepted or None,
            )
        except ValueError as exc:
            raise LayoutDriftError(SOURCE_ID, url, f"filings.recent[{i}] ({form}): {exc}") from exc
        found.append(((filing.filing_date, filing.accepted_at or "", -i), filing))
    found.sort(key=lambda pair: pair[0], reverse=True)
    return [filing for _, filing in found]


def latest_periodic_filing(body: bytes, *, url: str | None = None) -> PeriodicFiling:
    """The newest periodic report (accession, form, filing date, report date); none at all is drift."""
    filings = periodic_filings(body, url=url)
    if not filings:
        cik = _Submissions.model_validate(json.loads(body)).cik
        raise LayoutDriftError(SOURCE_ID, url or submissions_url(cik),
                               f"no {'/'.join(sorted(PERIODIC_FORMS))} among the recent filings of CIK {cik}")
    return filings[0]


def has_new_periodic_report(submissions_body: bytes, last_seen_accession: str | None, *,
                            url: str | None = None) -> bool:
    """True when the latest periodic report is not ``last_seen_accession`` (always True the first time)."""
    latest = latest_periodic_filing(submissions_body, url=url)
    if last_seen_accession is None:
        return True
    return latest.accession != normalize_accession(last_seen_accession)
