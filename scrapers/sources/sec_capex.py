"""SEC XBRL ``companyconcept`` JSON -> capex facts, kept exactly as filed.

One capture is one company and one us-gaap tag (``/api/xbrl/companyconcept/CIK##########/us-gaap/<tag>.json``).
Every fact is kept as filed: 10-Q values are year to date, and the same period recurs in later filings
(with a different accession, fiscal year and often a ``frame``). Deriving discrete quarters and choosing
one value per period are transformations, so they happen in dbt where they can be tested and changed
without re-parsing; dropping "duplicates" here would lose the restatement trail.

Which company and tags are read is explicit (``COMPANIES``), because capex is tagged differently across
filers (Amazon uses ``PaymentsToAcquireProductiveAssets``) and a silent fallback would mix concepts.
A capture for a CIK or tag not in the mapping is layout drift. Only USD facts become ``CapexFact``s;
a fact in another unit is kept as an ``Exclusion``. Numbers are parsed straight to ``Decimal``.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, ValidationError

from scrapers.errors import LayoutDriftError
from scrapers.records import CapexFact, CaptureMeta, Exclusion, ParseResult

SOURCE_ID = "sec_capex"
PARSER_VERSION = "1"
TAXONOMY = "us-gaap"
UNIT = "USD"

#: Company -> SEC CIK and the us-gaap tags read for it. More companies are added here, explicitly.
COMPANIES: dict[str, dict] = {
    "META": {"cik": 1326801, "tags": ["PaymentsToAcquirePropertyPlantAndEquipment"]},
}

#: Tag -> the ``CapexFact.component`` it measures.
TAG_COMPONENTS: dict[str, str] = {
    "PaymentsToAcquirePropertyPlantAndEquipment": "capex",
    "PaymentsToAcquireProductiveAssets": "capex",
    "FinanceLeasePrincipalPayments": "finance_lease_principal",
}


def concept_url(cik: int, tag: str) -> str:
    """The companyconcept endpoint for one company and one us-gaap tag."""
    return f"https://data.sec.gov/api/xbrl/companyconcept/CIK{cik:010d}/{TAXONOMY}/{tag}.json"


def capture_key(cik: int, tag: str) -> str:
    """The archive key of one capture, e.g. ``CIK0001326801-PaymentsToAcquirePropertyPlantAndEquipment.json``."""
    return f"CIK{cik:010d}-{tag}.json"


def company_for_cik(cik: int) -> str | None:
    return next((name for name, spec in COMPANIES.items() if spec["cik"] == cik), None)


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
    if concept.taxonomy != TAXONOMY or concept.tag not in COMPANIES[company]["tags"]:
        raise drift(f"{concept.taxonomy}:{concept.tag} is not a tag mapped for {company}")
    if concept.tag not in TAG_COMPONENTS:
        raise drift(f"tag {concept.tag} has no component mapping")

    provenance = meta.provenance(PARSER_VERSION)
    result = ParseResult()
    for unit, facts in concept.units.items():
        for fact in facts:
            if unit != UNIT:
                result.exclusions.append(Exclusion(
                    **provenance,
                    item=f"{concept.tag} {fact.start}..{fact.end} {fact.accn}",
                    field=f"units.{unit}",
                    reason=f"unit {unit!r} is not {UNIT}",
                ))
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
