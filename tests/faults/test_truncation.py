"""A capture cut short never publishes wrong facts: it raises layout drift, or yields the whole page's facts.

Every real sample in ``../shared/samples`` that a parser reads is cut at 20 evenly spaced byte offsets
(each moved back to a UTF-8 character boundary, so the cut is text, not a broken byte). For every cut,
the source's gate (the pure parse, then the comparison with the previous capture, which here is the
whole page as loaded yesterday) must either raise ``LayoutDriftError`` or yield exactly the facts of the
whole page. A truncated body that parses to fewer facts without an error is what this test exists to
catch: Anthropic cut to 1,400 bytes used to load 40 of its 50 facts.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import pytest

from scrapers.errors import LayoutDriftError
from scrapers.model_sets import check_model_set
from scrapers.records import CaptureMeta, ParseResult
from scrapers.registry import get_source

FETCHED_AT = datetime(2026, 11, 18, 6, 0, tzinfo=UTC)
CUTS = 20

#: (source_id, sample path under shared/samples): the captures the parser tests read (tests/unit/scrapers).
#: xai's real capture is its consumption page, which has no prices (test_xai): nothing to cut.
SAMPLES = [
    ("anthropic", "pages/anthropic_petehsu-LLM-Docs-2025-12.md"),
    ("openai", "pages/openai_petehsu-LLM-Docs-2025-12.md"),
    ("gemini", "pages/gemini_gfargo-token-tally-2025-10.md"),
    ("deepseek", "pages/deepseek_petehsu-LLM-Docs-2025-12.md"),
    ("deepseek_zh", "pages/deepseek-zh_petehsu-LLM-Docs-2025-12.md"),
    ("groq", "pages/groq_alexis-htc-mcp-2026-06.html"),
    ("fireworks", "pages/fireworks_docs-serverless-pricing_excerpt.md"),
    ("moonshot", "pages/moonshot_petehsu-LLM-Docs-2025-12.md"),
    ("minimax", "pages/minimax_petehsu-LLM-Docs-2025-12.md"),
    ("cohere", "pages/cohere_gfargo-token-tally-2025-10.md"),
    ("perplexity", "pages/perplexity_gfargo-token-tally-2025-10.md"),
    ("mistral", "pages/mistral_wzulfikar-fixture-2024-04.md"),
    ("genai_prices", "datasets/pydantic_genai-prices/data_v2.json"),
    ("litellm", "datasets/litellm/model_prices_and_context_window.json"),
    ("litellm_history", "datasets/litellm/litellm_price_history_changepoints.csv"),
    ("models_dev", "datasets/models.dev/models_dev_subset.json"),
    ("epoch_notable_models", "datasets/epoch_notable_ai_models/notable_ai_models.csv"),
    ("token_tariff", "datasets/token-tariff/timeline.csv"),
    ("llm_prices", "datasets/simonw_llm-prices/anthropic.json"),
    ("openrouter_models", "openrouter/models.json"),
    ("sec_capex", "sec/companyconcept_META_PaymentsToAcquirePropertyPlantAndEquipment_2021snapshot.json"),
]


def cut_points(body: bytes, cuts: int = CUTS) -> list[int]:
    """``cuts`` evenly spaced offsets inside the body, each moved back to a UTF-8 character boundary."""
    points = []
    for k in range(1, cuts + 1):
        at = len(body) * k // (cuts + 1)
        while at > 0 and (body[at] & 0xC0) == 0x80:  # a continuation byte: back to the character's start
            at -= 1
        points.append(at)
    return sorted(set(points))


def meta_for(source_id: str, body: bytes) -> CaptureMeta:
    # one meta for the whole page and every cut, so provenance never makes two equal facts differ
    return CaptureMeta(source_id, get_source(source_id).targets[0].url, FETCHED_AT,
                       hashlib.sha256(body).hexdigest(), "")


def claims(result: ParseResult) -> list:
    """Every fact the parse yields, in order. Exclusions (what was seen and left out) are not facts: a cut
    page may drop some (MiniMax's cut after its price tables loses the notes on its other tables)."""
    return result.records()


def gate(source_id: str, body: bytes, meta: CaptureMeta, previous: ParseResult) -> ParseResult:
    """What a day's run does with one capture: parse it, then compare its models with yesterday's."""
    result = get_source(source_id).parser.parse(body, meta)
    check_model_set(source_id, meta.url, previous.prices, result.prices, previous_age_days=1)
    return result


@pytest.mark.parametrize(("source_id", "sample"), SAMPLES, ids=[s for s, _ in SAMPLES])
def test_a_cut_capture_raises_or_yields_the_whole_pages_facts(samples_dir, source_id, sample):
    path = samples_dir / sample
    if not path.is_file():
        pytest.skip(f"sample {sample} not found under {samples_dir}")
    body = path.read_bytes()
    meta = meta_for(source_id, body)
    whole = get_source(source_id).parser.parse(body, meta)
    loaded_short = []
    for at in cut_points(body):
        try:
            result = gate(source_id, body[:at], meta, whole)
        except LayoutDriftError:
            continue
        if claims(result) != claims(whole):
            loaded_short.append(f"cut at byte {at} of {len(body)}: {len(result)} records, whole page {len(whole)}")
    assert not loaded_short, "\n".join(loaded_short)


def test_cut_points_fall_on_character_boundaries():
    body = "ab€cd€ef".encode() * 10
    for at in cut_points(body):
        body[:at].decode("utf-8")  # raises if a cut split a character


def test_the_1400_byte_anthropic_cut_raises(samples_dir):
    """The capture of the incident: Anthropic's page cut to 1,400 bytes (40 of 50 facts loaded before)."""
    path = samples_dir / "pages/anthropic_petehsu-LLM-Docs-2025-12.md"
    if not path.is_file():
        pytest.skip("Anthropic sample not found")
    body = path.read_bytes()
    meta = meta_for("anthropic", body)
    whole = get_source("anthropic").parser.parse(body, meta)
    with pytest.raises(LayoutDriftError):
        gate("anthropic", body[:1400], meta, whole)
