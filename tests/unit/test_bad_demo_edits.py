"""The bad demo's edits of the real Anthropic capture (costcurve/bad_demo.py): each replaces one cell, and the
parser reads exactly the two intended prices changed, every other fact as published."""

from datetime import UTC, datetime

import pytest

from costcurve.bad_demo import CAPTURE, DAY, SOURCE_ID, BadDemoError, edit_capture
from costcurve.config import PROJECT_ROOT
from scrapers.records import CaptureMeta
from scrapers.registry import get_source

BUNDLED = PROJECT_ROOT / "demo" / "captures" / DAY.isoformat() / SOURCE_ID / CAPTURE


def _facts(text: str) -> dict[tuple, str]:
    meta = CaptureMeta(SOURCE_ID, "https://platform.claude.com/docs/en/about-claude/pricing",
                       datetime(2025, 12, 20, 6, tzinfo=UTC), "0" * 64)
    result = get_source(SOURCE_ID).parser.parse(text.encode(), meta)
    return {(f.model_id, f.token_type, f.service_tier, f.context_band): f"{f.price_per_mtok.normalize():f}"
            for f in result.prices}


def test_the_edits_change_exactly_the_two_intended_prices():
    text = BUNDLED.read_text(encoding="utf-8")
    before, after = _facts(text), _facts(edit_capture(text))
    changed = {key: (before[key], after[key]) for key in before if before[key] != after[key]}
    assert set(before) == set(after)
    assert changed == {("claude-3-haiku", "input", "standard", "all"): ("0.25", "25"),
                       ("claude-haiku-4-5", "cache_read", "standard", "all"): ("0.1", "1.5")}


def test_a_capture_without_the_cells_is_refused():
    with pytest.raises(BadDemoError, match="no longer holds"):
        edit_capture("# Pricing\n")
