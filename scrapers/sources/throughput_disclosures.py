"""Curated served-token disclosures (``scrapers/curated/throughput_disclosures.yml``) -> ``ThroughputDisclosure``.

What the "page" looks like: a YAML file in this repository, ``{"version": 1, "disclosures": [entry, ...]}``,
each entry a figure a company stated in public (Google's monthly tokens processed, Microsoft's tokens per
quarter, ...) with its period, the day it was stated and the URL of the statement. The schema is written
at the top of the file. The source's URL is ``repo://scrapers/curated/throughput_disclosures.yml``: the
loader reads the file from the repository, the parser only sees its bytes.

Choices:

* The file is validated like any upstream: an entry with an unknown key, without ``source_url`` (or not
  http/https), with a bad date, a float value (write integers or quoted decimals: floats round), a
  period ending after its disclosure, a duplicate ``id`` or a second figure for the same (company, metric,
  period end) raises ``LayoutDriftError`` naming the entry,
  so a typo never loads a half-checked figure.
* Values are stored as stated; "over 480 trillion" is stored as 480 trillion and the note says it is a
  lower bound. Companies are lowercase.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, StrictInt, StrictStr, ValidationError, field_validator

from scrapers.errors import LayoutDriftError
from scrapers.records import CaptureMeta, ParseResult, ThroughputDisclosure

SOURCE_ID = "throughput_disclosures"
PARSER_VERSION = "1"
PATH = "scrapers/curated/throughput_disclosures.yml"
URL = f"repo://{PATH}"
CAPTURE_KEY = "throughput_disclosures.yml"


class Entry(BaseModel):
    """One curated disclosure. ``extra="forbid"``: a misspelt key is an error, not a silently dropped field."""

    model_config = ConfigDict(extra="forbid")

    id: StrictStr
    company: StrictStr
    metric: StrictStr
    value: StrictInt | StrictStr
    unit: StrictStr
    period_start: date | None = None
    period_end: date
    disclosed_on: date
    source_url: StrictStr
    note: StrictStr | None = None

    @field_validator("source_url")
    @classmethod
    def _http(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("source_url must be an http(s) URL")
        return value

    @field_validator("company", "id")
    @classmethod
    def _lower(cls, value: str) -> str:
        if not value or value != value.strip().lower():
            raise ValueError(f"must be lowercase and trimmed, got {value!r}")
        return value


class _Loader(yaml.SafeLoader):
    """Safe YAML without implicit timestamps: dates stay text, so a bad one fails on its own entry."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regex) for tag, regex in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class CuratedFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: Literal[1]
    disclosures: list[object]


def parse(body: bytes, meta: CaptureMeta) -> ParseResult:
    """The curated YAML -> one ``ThroughputDisclosure`` per entry (all or nothing)."""
    drift = lambda message: LayoutDriftError(SOURCE_ID, meta.url, message)  # noqa: E731
    try:
        document = CuratedFile.model_validate(yaml.load(body, Loader=_Loader))
    except (yaml.YAMLError, ValidationError, UnicodeDecodeError) as exc:
        raise drift(f"not a curated disclosures file: {exc}") from exc
    if not document.disclosures:
        raise drift("no disclosures")
    provenance = meta.provenance(PARSER_VERSION)
    result = ParseResult()
    seen: set = set()
    for number, raw in enumerate(document.disclosures, start=1):
        name = f"entry {number} ({raw.get('id', 'no id')})" if isinstance(raw, dict) else f"entry {number}"
        try:
            entry = Entry.model_validate(raw)
        except ValidationError as exc:
            problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'entry'}: {e['msg']}" for e in exc.errors())
            raise drift(f"{name}: {problems}") from exc
        series = (entry.company, entry.metric, entry.period_end)
        if entry.id in seen or series in seen:
            raise drift(f"{name}: duplicate id, or a second {entry.metric} of {entry.company} ending {entry.period_end}")
        seen.update((entry.id, series))
        if entry.period_end > entry.disclosed_on or (entry.period_start or entry.period_end) > entry.period_end:
            raise drift(f"{name}: period {entry.period_start}..{entry.period_end} does not end by {entry.disclosed_on}")
        try:
            value = Decimal(str(entry.value))
        except InvalidOperation as exc:
            raise drift(f"{name}: value {entry.value!r} is not a number") from exc
        if not value.is_finite() or value <= 0:
            raise drift(f"{name}: value {entry.value!r} is not a positive number")
        result.disclosures.append(ThroughputDisclosure(
            **provenance,
            company=entry.company,
            metric=entry.metric,
            value=value,
            unit=entry.unit,
            period_start=entry.period_start,
            period_end=entry.period_end,
            disclosed_on=entry.disclosed_on,
            disclosure_url=entry.source_url,
            note=entry.note,
        ))
    return result
