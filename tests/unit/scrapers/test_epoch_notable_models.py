"""Epoch AI Notable AI Models: the real export, our own rendering, the demo capture, drift."""

from __future__ import annotations

import csv
import importlib.util
import io
from collections import Counter
from datetime import UTC, datetime

import pytest

from scrapers.errors import LayoutDriftError
from scrapers.sources import epoch_notable_models as epoch

SAMPLE = "datasets/epoch_notable_ai_models/notable_ai_models.csv"
DEMO = "2025-04-18/epoch_notable_models/notable_ai_models.csv"
PROVENANCE = {"source_id", "source_url", "fetched_at", "raw_sha256", "parser_version"}
HEADER = "Model,Organization,Publication date,Domain,Model accessibility\n"


@pytest.fixture
def parse(make_meta):
    def _parse(body: bytes | str):
        body = body.encode("utf-8") if isinstance(body, str) else body
        return epoch.parse(body, make_meta(epoch.SOURCE_ID, epoch.URL, body))

    return _parse


@pytest.fixture(scope="module")
def sample_bytes(samples_dir) -> bytes:
    return (samples_dir / SAMPLE).read_bytes()


@pytest.fixture(scope="module")
def real(sample_bytes, make_meta):
    return epoch.parse(sample_bytes, make_meta(epoch.SOURCE_ID, epoch.URL, sample_bytes))


def model(result, name: str):
    (match,) = [m for m in result.models if m.source_model_id == name]
    return match


def facts(result) -> set[tuple]:
    """What a model-attributes record says, without where and when it was read (the subset check's key)."""
    return {tuple(sorted(m.model_dump(exclude=PROVENANCE).items())) for m in result.models}


def midnight(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=UTC)


# -- the real export (924 models to 2025-03-16) -----------------------------------------------------

# Read by eye from the sample's rows (Model, Organization, Publication date, Model accessibility).
HAND_CHECKED = [
    ("QwQ-32B", "qwq-32b", "alibaba", "2025-03-06", True, "Open weights (unrestricted)"),
    ("GPT-4.5", "gpt-4.5", "openai", "2025-02-27", False, "API access"),
    ("Grok-3", "grok-3", "xai", "2025-02-17", False, "Hosted access (no API)"),
    ("Llama 2-70B", "llama-2-70b", "meta-ai", "2023-07-18", True, "Open weights (restricted use)"),
    ("PaLM (540B)", "palm-540b", "google-research", "2022-04-04", False, "Unreleased"),
]


@pytest.mark.parametrize(("name", "model_id", "creator", "day", "weights", "accessibility"), HAND_CHECKED)
def test_real_hand_checked_rows(real, name, model_id, creator, day, weights, accessibility) -> None:
    record = model(real, name)
    assert (record.provider_id, record.model_id, record.model_name, record.creator) == (
        "epoch", model_id, name, creator)
    assert record.created_at == midnight(day)
    assert record.open_weights is weights
    assert record.open_weights_basis == f"epoch_notable_models:Model accessibility={accessibility}"


def test_real_keeps_language_models_only(real, sample_bytes) -> None:
    rows = list(csv.DictReader(io.StringIO(sample_bytes.decode("utf-8"), newline="")))
    language = {" ".join(r["Model"].split()) for r in rows if "Language" in r["Domain"].split(",")}
    assert {m.source_model_id for m in real.models} == language
    assert len(real.models) < len(rows)
    assert "AlphaGo Zero" not in {m.source_model_id for m in real.models}  # Domain: Games
    (excluded,) = real.exclusions
    assert excluded.reason.startswith(f"{len(rows) - len(language)} of {len(rows)} models")


def test_real_accessibility_counts_follow_the_mapping(real, sample_bytes) -> None:
    rows = [r for r in csv.DictReader(io.StringIO(sample_bytes.decode("utf-8"), newline=""))
            if "Language" in r["Domain"].split(",")]
    by_value = Counter(r["Model accessibility"] for r in rows)
    expected = Counter({True: 0, False: 0, None: by_value.pop("")})
    for value, count in by_value.items():
        expected[epoch.ACCESSIBILITY[value]] += count
    assert Counter(m.open_weights for m in real.models) == expected
    assert all((m.open_weights is None) == (m.open_weights_basis is None) for m in real.models)


def test_real_names_are_cleaned_and_unique(real) -> None:
    ids = [m.source_model_id for m in real.models]
    assert len(ids) == len(set(ids))
    assert all(name == " ".join(name.split()) for name in ids)
    assert "ALLaM adapted 70B" in ids  # published with a no-break space and a trailing space


def test_real_row_without_a_date_or_a_claim(real) -> None:
    behemoth = model(real, "Llama 4 Behemoth")
    assert (behemoth.created_at, behemoth.open_weights, behemoth.open_weights_basis) == (None, None, None)


# -- our own rendering: columns reordered, an extra column, quoted commas, CRLF, a byte-order mark ----


@pytest.fixture
def reordered(parse, fixtures_dir):
    return parse((fixtures_dir / "epoch_notable_models" / "notable_ai_models_reordered.csv").read_bytes())


def test_fixture_reordered_columns(reordered) -> None:
    assert [m.source_model_id for m in reordered.models] == [
        "CogAgent", "Segatron-XL large, M=384 + HCP", "Gemini 2.0 Pro", "Llama 4 Behemoth"]
    cog = model(reordered, "CogAgent")
    assert (cog.creator, cog.open_weights, cog.created_at) == ("tsinghua-university,zhipu-ai", True,
                                                               midnight("2023-12-14"))
    segatron = model(reordered, "Segatron-XL large, M=384 + HCP")
    assert (segatron.model_id, segatron.open_weights) == ("segatron-xl-large-m-384-hcp", False)
    gemini = model(reordered, "Gemini 2.0 Pro")
    assert (gemini.model_id, gemini.creator, gemini.open_weights) == ("gemini-2.0-pro", "google-deepmind,google",
                                                                      False)
    assert [e.reason for e in reordered.exclusions] == ["1 of 5 models are not language models (never token-priced)"]


# -- the demo capture -----------------------------------------------------------------------------


def test_demo_capture_is_a_subset_of_the_real_export(parse, demo_dir, real) -> None:
    demo = parse((demo_dir / DEMO).read_bytes())
    assert demo.models and facts(demo) <= facts(real)
    assert min(m.created_at for m in demo.models) >= midnight("2019-01-01")


def test_demo_capture_is_what_the_derive_script_writes(demo_dir, sample_bytes) -> None:
    spec = importlib.util.spec_from_file_location("derive_epoch", demo_dir.parent / "derive" / "epoch_notable_models.py")
    derive = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(derive)
    assert derive.derive(sample_bytes) == (demo_dir / DEMO).read_bytes()


# -- drift ----------------------------------------------------------------------------------------


def test_unknown_accessibility_is_drift_naming_it(parse) -> None:
    with pytest.raises(LayoutDriftError, match=r"unknown Model accessibility 'Open weights \(research only\)'"):
        parse(HEADER + "X-1,Lab,2025-01-01,Language,Open weights (research only)\n")


def test_unknown_accessibility_of_a_non_language_row_is_ignored(parse) -> None:
    result = parse(HEADER + "X-1,Lab,2025-01-01,Language,API access\nV-1,Lab,2025-01-01,Vision,Something new\n")
    assert [m.model_id for m in result.models] == ["x-1"]


@pytest.mark.parametrize("column", ["Model", "Organization", "Publication date", "Domain", "Model accessibility"])
def test_missing_column_is_drift_naming_it(parse, column) -> None:
    names = [c for c in HEADER.strip().split(",") if c != column]
    with pytest.raises(LayoutDriftError, match=f"lacks '{column}'"):
        parse(",".join(names) + "\n" + ",".join("x" for _ in names) + "\n")


@pytest.mark.parametrize(("body", "message"), [
    (HEADER, "no rows"),
    (HEADER + "V-1,Lab,2025-01-01,Vision,API access\n", "none with 'Language'"),
    (HEADER + "X-1,Lab,18 March 2025,Language,API access\n", "Publication date '18 March 2025' is not a date"),
    (HEADER + "X-1,Lab,2025-02-30,Language,API access\n", "Publication date '2025-02-30' is not a date"),
    (HEADER + "X-1,Lab,2025-01-01,Language,API access,extra\n", "more cells than header columns"),
    (HEADER + "X-1,Lab,2025-01-01,Language,API access\nX-1,Lab,2025-01-02,Language,Unreleased\n", "listed twice"),
    (HEADER + "---,Lab,2025-01-01,Language,API access\n", "without a usable name"),
    ("<html><body>Not found</body></html>\n", "lacks 'Model'"),
])
def test_drift(parse, body, message) -> None:
    with pytest.raises(LayoutDriftError, match=message):
        parse(body)


def test_not_utf8_is_drift(parse) -> None:
    with pytest.raises(LayoutDriftError, match="not UTF-8"):
        parse(HEADER.encode() + "X-1,Lab\xe9,2025-01-01,Language,API access\n".encode("latin-1"))
