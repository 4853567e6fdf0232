"""SEC XBRL ``companyconcept`` JSON -> capex facts, kept exactly as filed.

One capture is one filer (CIK) and one us-gaap tag (``/api/xbrl/companyconcept/CIK##########/us-gaap/<tag>.json``).
Every fact is kept as filed: 10-Q cash-flow values are year to date (Q1, H1, 9M of the *fiscal* year), some
filers add discrete three-month or trailing-twelve-month columns, and the same period recurs in later
filings (with a different accession and filing ``fy``; the SEC puts ``frame`` on one of them). Deriving
discrete quarters, placing periods on each company's fiscal calendar (dbt seed ``companies.csv``) and
choosing one value per period are transformations, so they happen in dbt where they can be tested and
changed without re-parsing; dropping "duplicates" here would lose the restatement trail.

The company -> CIK -> tag mapping is explicit (``COMPANIES``), never "first tag that has data": capex is
tagged differently across filers (Amazon files ``PaymentsToAcquireProductiveAssets``) and a silent fallback
would mix concepts. ``FinanceLeasePrincipalPayments`` is read for the filers whose SEC data carries it
(Microsoft, Alphabet, Meta, Amazon; the samples show no Oracle facts for it, so it is not read) as a
component of its own (``finance_lease_principal``), never added in. One CIK per company: Alphabet's
history before the October 2015 reorganisation (filed by Google Inc., CIK 1288776) is not read.

``targets()`` lists every (capture_key, url) to fetch. Layout drift: a body that is not a
companyconcept, a CIK or tag not in the mapping, a body whose CIK/tag contradicts the URL it was fetched
from, a new fact key (strict model), or no USD fact at all. Facts in another unit and negative values
(impossible for a payments concept; they would fail the raw gate and block the day) become
``Exclusion``s. Numbers are parsed straight to ``Decimal``.
"""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, ValidationError

from scrapers.errors import LayoutDriftError
from scrapers.records import CapexFact, CaptureMeta, Exclusion, ParseResult

SOURCE_ID = "sec_capex"
PARSER_VERSION = "1"
TAXONOMY = "us-gaap"
UNIT = "USD"

PPE = "PaymentsToAcquirePropertyPlantAndEquipment"
PRODUCTIVE_ASSETS = "PaymentsToAcquireProductiveAssets"
FINANCE_LEASE_PRINCIPAL = "FinanceLeasePrincipalPayments"

#: Company (ticker) -> filer CIK, the us-gaap tags read for it and the month its fiscal year ends (as in
#: dbt's ``companies.csv``).
COMPANIES: dict[str, dict] = {
    "META": {"cik": 1326801, "tags": [PPE, FINANCE_LEASE_PRINCIPAL], "fiscal_year_end_month": 12},
    "MSFT": {"cik": 789019, "tags": [PPE, FINANCE_LEASE_PRINCIPAL], "fiscal_year_end_month": 6},
    "GOOGL": {"cik": 1652044, "tags": [PPE, FINANCE_LEASE_PRINCIPAL], "fiscal_year_end_month": 12},
    "AMZN": {"cik": 1018724, "tags": [PRODUCTIVE_ASSETS, FINANCE_LEASE_PRINCIPAL], "fiscal_year_end_month": 12},
    "ORCL": {"cik": 1341439, "tags": [PPE], "fiscal_year_end_month": 5},
}

#: Tag -> the ``CapexFact.component`` it measures.
TAG_COMPONENTS: dict[str, str] = {
    PPE: "capex",
    PRODUCTIVE_ASSETS: "capex",
    FINANCE_LEASE_PRINCIPAL: "finance_lease_principal",
}

_CONCEPT_URL = re.compile(r"/CIK(\d{10})/([^/]+)/([^/]+)\.json$")


def concept_url(cik: int, tag: str) -> str:
    """The companyconcept endpoint for one company and one us-gaap tag."""
    return f"https://data.sec.gov/api/xbrl/companyconcept/CIK{cik:010d}/{TAXONOMY}/{tag}.json"


def capture_key(cik: int, tag: str) -> str:
    """The archive key of one capture, e.g. ``CIK0001326801-PaymentsToAcquirePropertyPlantAndEquipment.json``."""
    return f"CIK{cik:010d}-{tag}.json"


def filers() -> list[tuple[str, int, list[str]]]:
    """Every (company, cik, tags) read, in ``COMPANIES`` order."""
    return [(company, spec["cik"], list(spec["tags"])) for company, spec in COMPANIES.items()]


def targets() -> list[tuple[str, str]]:
    """Every capture to fetch, as (capture_key, url): one per (CIK, tag)."""
    return [(capture_key(cik, tag), concept_url(cik, tag)) for _, cik, tags in filers() for tag in tags]


def company_for_cik(cik: int) -> str | None:
    return next((company for company, filer_cik, _ in filers() if filer_cik == cik), None)


def tags_for_cik(cik: int) -> list[str]:
    return next((tags for _, filer_cik, tags in filers() if filer_cik == cik), [])


class Fact(BaseModel):
    """One XBRL fact of a duration concept. Strict: a new key means the SEC format changed."""

    model_config = ConfigDict(extra="forbid")

    start: date
    end: date
    val: Decimal
    accn: str
    fy: int | None = None
    fp: str | None = None
    form: str
    filed: date
    frame: str | None = None


class Concept(BaseModel):
    """The companyconcept envelope; ``label`` and ``description`` are informative only."""

    model_config = ConfigDict(extra="ignore")

    cik: int
    taxonomy: str
    tag: str
    entityName: str  # noqa: N815 - the SEC's field name
    units: dict[str, list[Fact]]


def parse(body: bytes, meta: CaptureMeta) -> ParseResult:
    """companyconcept JSON -> one ``CapexFact`` per USD fact, as filed; other units -> ``Exclusion``."""

    def drift(message: str) -> LayoutDriftError:
        return LayoutDriftError(meta.source_id, meta.url, message)

    try:
        concept = Concept.model_validate(json.loads(body, parse_float=Decimal))
    except (ValueError, ValidationError) as exc:  # ValidationError is a ValueError; kept explicit
        raise drift(f"not a companyconcept response: {exc}") from exc
    company = company_for_cik(concept.cik)
    if company is None:
        raise drift(f"CIK {concept.cik} ({concept.entityName}) is not in COMPANIES")
    if concept.taxonomy != TAXONOMY or concept.tag not in tags_for_cik(concept.cik):
        raise drift(f"{concept.taxonomy}:{concept.tag} is not a tag mapped for {company} (CIK {concept.cik})")
    if concept.tag not in TAG_COMPONENTS:
        raise drift(f"tag {concept.tag} has no component mapping")
    fetched = _CONCEPT_URL.search(meta.url)
    if fetched and (int(fetched[1]), fetched[2], fetched[3]) != (concept.cik, concept.taxonomy, concept.tag):
        raise drift(f"body is CIK {concept.cik} {concept.taxonomy}:{concept.tag}, not what the URL asked for")

    provenance = meta.provenance(PARSER_VERSION)
    result = ParseResult()
    for unit, facts in concept.units.items():
        for fact in facts:
            item = f"{concept.tag} {fact.start}..{fact.end} {fact.accn}"
            if unit != UNIT:
                reason, field = f"unit {unit!r} is not {UNIT}", f"units.{unit}"
            elif fact.val < 0:
                reason, field = f"negative value {fact.val} for a payments concept", "val"
            else:
                reason = None
            if reason:
                result.exclusions.append(Exclusion(**provenance, item=item, field=field, reason=reason))
                continue
            result.capex.append(CapexFact(
                **provenance,
                cik=concept.cik,
                company=company,
                entity_name=concept.entityName,
                taxonomy=concept.taxonomy,
                tag=concept.tag,
                component=TAG_COMPONENTS[concept.tag],
                unit=unit,
                period_start=fact.start,
                period_end=fact.end,
                value=fact.val,
                accession=fact.accn,
                form=fact.form,
                fiscal_year=fact.fy,
                fiscal_period=fact.fp,
                filed=fact.filed,
                frame=fact.frame,
            ))
    if not result.capex:
        raise drift(f"no {UNIT} facts for {company} {concept.tag}")
    return result
