"""Curated throughput disclosures: the repository's YAML file, another YAML rendering, and validation."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from scrapers.errors import LayoutDriftError
from scrapers.sources import throughput_disclosures as td

CURATED = Path(__file__).resolve().parents[3] / td.PATH


@pytest.fixture
def body() -> bytes:
    return CURATED.read_bytes()


@pytest.fixture
def parse(make_meta):
    def _parse(body: bytes | str):
        body = body.encode() if isinstance(body, str) else body
        return td.parse(body, make_meta(td.SOURCE_ID, td.URL, body))

    return _parse


def disclosure(result, company, metric, disclosed_on):
    matches = [d for d in result.disclosures
               if (d.company, d.metric, d.disclosed_on.isoformat()) == (company, metric, disclosed_on)]
    assert len(matches) == 1, f"{company} {metric} {disclosed_on}: {matches}"
    return matches[0]


def entries(body: bytes) -> list[dict]:
    return yaml.safe_load(body)["disclosures"]


def test_curated_file(parse, body) -> None:
    result = parse(body)
    assert len(result.disclosures) == len(entries(body)) > 0  # one record per curated entry, none dropped
    assert {d.company for d in result.disclosures} == {"google", "microsoft"}
    io25, year_before = sorted((d for d in result.disclosures if d.disclosed_on == date(2025, 5, 20)),
                               key=lambda d: d.value, reverse=True)
    assert (io25.value, io25.unit, io25.period_end) == (Decimal(480_000_000_000_000), "tokens/month", date(2025, 5, 20))
    assert (year_before.value, year_before.period_end) == (Decimal(9_700_000_000_000), date(2024, 5, 20))
    google = [d for d in result.disclosures if d.company == "google" and d.metric == "monthly_tokens_processed"]
    assert len({(d.company, d.metric, d.period_end) for d in result.disclosures}) == len(result.disclosures)
    assert sorted(d.value for d in google) == [Decimal("9.7e12"), Decimal("4.8e14"), Decimal("9.8e14"),
                                               Decimal("1.3e15")]
    assert io25.disclosure_url.startswith("https://blog.google/")
    msft = sorted((d.metric, d.unit, d.period_start, d.period_end, d.value)
                  for d in result.disclosures if d.company == "microsoft")
    assert msft == [
        ("monthly_tokens_processed", "tokens/month", date(2025, 3, 1), date(2025, 3, 31), Decimal(50 * 10**12)),
        ("quarterly_tokens_processed", "tokens/quarter", date(2025, 1, 1), date(2025, 3, 31), Decimal(100 * 10**12)),
    ]
    api = disclosure(result, "google", "api_tokens_per_minute", "2025-10-29")
    assert (api.value, api.unit, api.period_end) == (Decimal(7_000_000_000), "tokens/minute", date(2025, 10, 29))
    assert "Foundry" in msft_note(result)  # the Microsoft figures are Foundry API tokens, not all of Microsoft
    for d in result.disclosures:
        assert d.disclosure_url.startswith("https://") and d.note
        assert (d.source_id, d.source_url, d.parser_version) == ("throughput_disclosures", td.URL, "1")
        assert d.period_end <= d.disclosed_on


def msft_note(result) -> str:
    return " ".join(d.note for d in result.disclosures if d.company == "microsoft")


def test_every_entry_cites_the_stored_page_that_confirmed_it(body) -> None:
    """The rule of the file: each entry is preceded by a comment naming a page and quoting it."""
    lines = body.decode().splitlines()
    starts = [i for i, line in enumerate(lines) if line.startswith("  - id: ")]
    assert len(starts) == len(entries(body))
    for start in starts:
        block = []
        for line in reversed(lines[:start]):
            if not line.startswith("  #"):
                break
            block.append(line)
        comment = " ".join(block)
        assert "https://" in comment and '"' in comment, f"{lines[start]}: no cited page with a quote"
    assert "path from memory" not in body.decode()  # the old marker of an unchecked URL


def test_flow_style_rendering_gives_the_same_records(parse, body) -> None:
    document = yaml.safe_load(body)  # dates become date objects; dumped back they are plain YAML dates
    flow = yaml.safe_dump(document, default_flow_style=True, width=10_000)
    assert flow.count("\n") < body.count(b"\n")
    strip = lambda r: [d.model_dump(exclude={"raw_sha256"}) for d in r.disclosures]  # noqa: E731
    assert strip(parse(flow)) == strip(parse(body))


def broken(body: bytes, old: str, new: str) -> bytes:
    assert old.encode() in body, old
    return body.replace(old.encode(), new.encode(), 1)


@pytest.mark.parametrize(
    ("old", "new", "match"),
    [
        ("    note: \"A record", "    notes: \"A record", "entry 7 \\(microsoft-2025-03-tokens\\): notes: Extra"),
        ("    source_url: https://tomtunguz.com/earnings-microsoft-2025-04-30/\n"
         "    note: \"A record", "    note: \"A record", "entry 7 \\(microsoft-2025-03-tokens\\): source_url: Field"),
        ("period_end: 2025-07-23", "period_end: 2025-13-23", "entry 3 \\(google-2025-07-monthly-tokens\\): period_end"),
        ("disclosed_on: 2025-07-23", "disclosed_on: 23/07/2025", "google-2025-07-monthly-tokens\\): disclosed_on"),
        ("value: 7000000000", "value: 7.0e+9", "google-2025-10-api-tokens-per-minute\\): value"),
        ("value: 7000000000", "value: lots", "google-2025-10-api-tokens-per-minute\\): value 'lots'"),
        ("source_url: https://blog.google/innovation-and-ai/technology/ai/io-2025-keynote/", "source_url: blog.google/io",
         "google-2025-05-monthly-tokens\\): source_url"),
        ("id: google-2024-05-monthly-tokens", "id: google-2025-05-monthly-tokens", "entry 2 .*duplicate id"),
        ("metric: quarterly_tokens_processed\n    value: 100000000000000\n    unit: tokens/quarter\n"
         "    period_start: 2025-01-01", "metric: monthly_tokens_processed\n    value: 100000000000000\n"
         "    unit: tokens/month\n    period_start: 2025-01-01", "entry 7 .*second monthly_tokens_processed"),
        ("period_end: 2025-03-31\n    disclosed_on: 2025-04-30", "period_end: 2025-05-31\n    disclosed_on: 2025-04-30",
         "microsoft-2025-q1-tokens\\): period .* does not end by"),
        ("company: microsoft", "company: Microsoft", "microsoft-2025-q1-tokens\\): company"),
        ("version: 1", "version: 2", "version"),
    ],
)
def test_broken_entries_are_drift(parse, body, old, new, match) -> None:
    with pytest.raises(LayoutDriftError, match=match) as info:
        parse(broken(body, old, new))
    assert "[throughput_disclosures]" in str(info.value) and td.URL in str(info.value)


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("version: 1\ndisclosures: []\n", "no disclosures"),
        ("- just\n- a list\n", "not a curated disclosures file"),
        ("version: 1\ndisclosures: [\n", "not a curated disclosures file"),
        ("version: 1\ndisclosures:\n  - 42\n", "entry 1"),
    ],
)
def test_broken_files_are_drift(parse, text, match) -> None:
    with pytest.raises(LayoutDriftError, match=match):
        parse(text)
