"""Parse throughput per registered source, on the captures the parser tests use.

Each source is parsed from its real capture(s) in ``../shared/samples`` (``COSTCURVE_SAMPLES`` overrides,
as for the tests) when present, else from the newest demo day under ``demo/captures``. ``REAL_CAPTURES``
names, per source, the sample files ``tests/unit/scrapers/test_<source>.py`` reads and the capture key
(hence the URL) they stand for. One timed pass parses every capture of the source through
``scrapers.collect.parse_capture``, the function the daily job calls (or, for a demo day of a source whose
captures only parse together, the module's ``parse_captures``).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bench.timing import ROOT, measure, per_second
from scrapers.collect import parse_capture
from scrapers.errors import LayoutDriftError
from scrapers.records import CaptureMeta, ParseResult
from scrapers.registry import SOURCES, Source

DEMO_DIR = ROOT / "demo" / "captures"
FETCHED_AT = datetime(2026, 11, 20, 6, 0, tzinfo=UTC)

#: source id -> (glob under the samples folder, capture key it stands for), as in tests/unit/scrapers
REAL_CAPTURES: dict[str, tuple[str, str]] = {
    "anthropic": ("pages/anthropic_petehsu-LLM-Docs-2025-12.md", "pricing.md"),
    "openai": ("pages/openai_petehsu-LLM-Docs-2025-12.md", "pricing.md"),
    "gemini": ("pages/gemini_gfargo-token-tally-2025-10.md", "pricing.md"),
    "deepseek": ("pages/deepseek_petehsu-LLM-Docs-2025-12.md", "pricing.html"),
    "deepseek_zh": ("pages/deepseek-zh_petehsu-LLM-Docs-2025-12.md", "pricing.html"),
    "groq": ("pages/groq_alexis-htc-mcp-2026-06.html", "pricing.html"),
    # the docs excerpt: the marketing-page capture is layout drift by design (no per-model table)
    "fireworks": ("pages/fireworks_docs-serverless-pricing_excerpt.md", "pricing.md"),
    # the consumption page, no prices: drift by design (test_xai), so xai is timed on its demo capture
    "xai": ("pages/xai_petehsu-LLM-Docs-2025-12.md", "pricing.md"),
    "moonshot": ("pages/moonshot_petehsu-LLM-Docs-2025-12.md", "pricing.md"),
    "minimax": ("pages/minimax_petehsu-LLM-Docs-2025-12.md", "pricing.md"),
    "cohere": ("pages/cohere_gfargo-token-tally-2025-10.md", "pricing.md"),
    "perplexity": ("pages/perplexity_gfargo-token-tally-2025-10.md", "pricing.md"),
    "mistral": ("pages/mistral_wzulfikar-fixture-2024-04.md", "pricing.md"),
    "genai_prices": ("datasets/pydantic_genai-prices/data_v2.json", "data_v2.json"),
    # the per-vendor source files of llm-prices (11 captures, parsed one after another)
    "llm_prices": ("datasets/simonw_llm-prices/*.json", "historical-v1.json"),
    "litellm": ("datasets/litellm/model_prices_and_context_window.json", "model_prices_and_context_window.json"),
    "litellm_history": ("datasets/litellm/litellm_price_history_changepoints.csv",
                        "litellm_price_history_changepoints.csv"),
    "models_dev": ("datasets/models.dev/models_dev_subset.json", "api.json"),
    "openrouter_models": ("openrouter/models.json", "models.json"),
    # the CSV alone: the sample manifest vouches for the full file, not this excerpt
    "openrouter_rankings": ("openrouter/rankings-daily_sample.csv", "latest.csv"),
    "sec_capex": ("sec/companyconcept_META_PaymentsToAcquirePropertyPlantAndEquipment_2021snapshot.json",
                  "CIK0001326801-PaymentsToAcquirePropertyPlantAndEquipment.json"),
}


@dataclass
class Capture:
    key: str
    path: Path
    body: bytes
    meta: CaptureMeta


def samples_dir() -> Path:
    return Path(os.environ.get("COSTCURVE_SAMPLES") or ROOT.parent / "shared" / "samples")


def captures_for(source: Source, samples: Path, *, real_first: bool = True) -> tuple[str, list[Capture]]:
    """(origin, captures): ``sample``, ``demo <day>``, ``repo`` (a curated file in the checkout) or ``none``."""
    urls = {target.key: target.url for target in source.targets}
    real = REAL_CAPTURES.get(source.source_id) if real_first else None
    if real is not None and samples.is_dir():
        pattern, key = real
        paths = sorted(samples.glob(pattern))
        if paths:
            return "sample", [_capture(source, key, urls[key], path) for path in paths]
    days = sorted(p for p in DEMO_DIR.iterdir() if (p / source.source_id).is_dir()) if DEMO_DIR.is_dir() else []
    if days:
        folder = days[-1] / source.source_id
        paths = sorted(p for p in folder.iterdir() if p.is_file())
        return f"demo {days[-1].name}", [_capture(source, p.name, urls.get(p.name, ""), p) for p in paths]
    repo = [(target.key, target.url) for target in source.targets if target.url.startswith("repo://")]
    if repo:
        return "repo", [_capture(source, key, url, ROOT / url.removeprefix("repo://")) for key, url in repo]
    return "none", []


def _capture(source: Source, key: str, url: str, path: Path) -> Capture:
    body = path.read_bytes()
    meta = CaptureMeta(source.source_id, url, FETCHED_AT, hashlib.sha256(body).hexdigest(), "")
    return Capture(key, path, body, meta)


def parse_all(source: Source, captures: list[Capture]) -> ParseResult:
    """Parse every capture as the daily job would (see ``scrapers.collect._parse``)."""
    together = getattr(source.parser, "parse_captures", None)
    if together is not None and len(captures) > 1:
        return together({c.key: (c.body, c.meta) for c in captures})
    result = ParseResult()
    for capture in captures:
        result.extend(parse_capture(source, capture.body, capture.meta))
    return result


def run(repeat: int, warmup: int) -> dict:
    samples = samples_dir()
    rows = []
    for source_id, source in SOURCES.items():
        origin, captures = captures_for(source, samples)
        note = None
        if origin == "sample":
            try:
                parse_all(source, captures)
            except LayoutDriftError as exc:
                note = f"real capture {_shown(captures[0].path, samples)} is layout drift ({exc.message})"
                origin, captures = captures_for(source, samples, real_first=False)
        row = {"source_id": source_id, "origin": origin, "captures": len(captures),
               "files": [_shown(c.path, samples) for c in captures],
               "bytes": sum(len(c.body) for c in captures), "note": note}
        if not captures:
            rows.append({**row, "error": "no capture found"})
            continue
        try:
            timing, result = measure(lambda _k, s=source, c=captures: parse_all(s, c), repeat=repeat, warmup=warmup)
        except Exception as exc:  # a figure table, not a test: report and go on
            rows.append({**row, "error": f"{type(exc).__name__}: {exc}"})
            continue
        records = len(result)
        rows.append({
            **row,
            "records": records,
            "exclusions": len(result.exclusions),
            **timing.to_dict(),
            "records_per_s": per_second(records, timing.median),
            "mb_per_s": round(row["bytes"] / 1e6 / timing.median, 2),
        })
    ok = [r for r in rows if "median_ms" in r]
    return {
        "samples_dir": str(samples),
        "samples_present": samples.is_dir(),
        "rows": rows,
        "total": {
            "sources": len(ok),
            "bytes": sum(r["bytes"] for r in ok),
            "records": sum(r["records"] for r in ok),
            "median_ms_sum": round(sum(r["median_ms"] for r in ok), 3),
        },
        "errors": [r["source_id"] for r in rows if "error" in r],
    }


def _shown(path: Path, samples: Path) -> str:
    for base, label in ((samples, "samples"), (ROOT, ".")):
        try:
            return f"{label}/{path.relative_to(base)}"
        except ValueError:
            continue
    return str(path)

