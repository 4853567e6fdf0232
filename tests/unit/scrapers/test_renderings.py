"""Pricing-page parsers survive a new rendering of the same page (Anthropic, OpenAI, Gemini).

Two kinds of test:

* **Our renderings.** ``tests/fixtures/<source>/rendering_*.md`` are small hand-written pages (our prose,
  structure mirroring the real page) that say the same prices in different markdown: headings whose text
  sits on the line after the ``##`` marks, tables with and without outer pipes, link parentheticals and
  footnote markers in cells, MDX wrappers, a repeated body, sections in another order. All renderings of
  one provider must give the same facts, and those facts are written out by hand in the test.
* **The real samples, reshuffled.** Each real capture in ``../shared/samples/pages`` is re-rendered by
  :func:`rerender` with a few seeds: only its non-table structure changes (heading marks on their own
  line, outer pipes added or dropped, sections swapped at each heading level, MDX ``<div>`` wrappers around
  tables, the body repeated), so a parser must give exactly the facts of the unchanged sample.
"""

from __future__ import annotations

import random
import re
from decimal import Decimal

import pytest

from scrapers.sources import anthropic, gemini, openai

SAMPLES = {
    "anthropic": "anthropic_petehsu-LLM-Docs-2025-12.md",
    "openai": "openai_petehsu-LLM-Docs-2025-12.md",
    "gemini": "gemini_gfargo-token-tally-2025-10.md",
}
PARSERS = {"anthropic": anthropic, "openai": openai, "gemini": gemini}
SEEDS = (1, 2, 3, 4, 5)


def facts(result) -> set[tuple]:
    """What a price claims (provenance left out)."""
    return {
        (p.model_id, p.model_name, p.token_type, p.service_tier, p.context_band, p.modality, p.currency,
         p.price_per_mtok, p.valid_from, p.valid_to)
        for p in result.prices
    }


def excluded(result) -> set[tuple[str, str]]:
    """What was left out and why (the field may name a line number, which moves with the sections)."""
    return {(e.item, re.sub(r"\bline \d+", "line N", e.reason)) for e in result.exclusions}


# -- re-rendering -----------------------------------------------------------------------------------

_ATX = re.compile(r"^(#{1,6})\s+(\S.*)$")
_FENCE = re.compile(r"^\s*(```|~~~)")


def _heading_level(lines: list[str], i: int) -> int | None:
    """Level of the heading starting at line ``i`` (ATX, or setext: text line over ``===``/``---``)."""
    if match := _ATX.match(lines[i]):
        return len(match.group(1))
    if (i + 1 < len(lines) and lines[i].strip() and "|" not in lines[i]
            and re.fullmatch(r"=+|-{3,}", lines[i + 1].strip()) and (i == 0 or not lines[i - 1].strip())):
        return 1 if lines[i + 1].strip()[0] == "=" else 2
    return None


def _blocks(lines: list[str]) -> list[tuple[int | None, list[str]]]:
    """Lines grouped into (heading level or None, lines) blocks, fenced code kept inside its block."""
    blocks: list[tuple[int | None, list[str]]] = [(None, [])]
    fence = False
    for i, line in enumerate(lines):
        if _FENCE.match(line):
            fence = not fence
        level = None if fence else _heading_level(lines, i)
        if level is not None:
            blocks.append((level, []))
        blocks[-1][1].append(line)
    return blocks


def _shuffle_sections(lines: list[str], rng: random.Random) -> list[str]:
    """Swap sections at every heading level: the deepest level first, then each enclosing level."""
    blocks = _blocks(lines)
    levels = sorted({lvl for lvl, _ in blocks if lvl is not None}, reverse=True)
    for level in levels:
        merged: list[tuple[int | None, list[str]]] = []
        for lvl, body in blocks:  # a deeper heading's block joins the section it sits in
            if merged and (lvl is None or lvl > level) and merged[-1][0] is not None and merged[-1][0] <= level:
                merged[-1][1].extend(body)
            else:
                merged.append((lvl, list(body)))
        out: list[tuple[int | None, list[str]]] = []
        run: list[tuple[int | None, list[str]]] = []
        for block in merged + [(-1, [])]:
            if block[0] == level:
                run.append(block)
                continue
            rng.shuffle(run)
            out += run
            run = []
            if block[0] != -1:
                out.append(block)
        blocks = out
    return [line for _, body in blocks for line in body]


def _is_table_line(line: str) -> bool:
    return "|" in line and not line.lstrip().startswith(("<", "#"))


def _tables(lines: list[str]) -> list[tuple[int, int]]:
    """(start, end) line ranges of the GFM tables: a header row over a separator row, to the block end."""
    spans, i = [], 0
    while i + 1 < len(lines):
        if _is_table_line(lines[i]) and re.fullmatch(r"\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?", lines[i + 1].strip()):
            end = i + 2
            while end < len(lines) and lines[end].strip() and _is_table_line(lines[end]):
                end += 1
            spans.append((i, end))
            i = end
        else:
            i += 1
    return spans


def _pipes(line: str, outer: bool) -> str:
    line = line.strip()
    if outer:
        return line if line.startswith("|") and line.endswith("|") else f"| {line.strip('|').strip()} |"
    inner = line[1:] if line.startswith("|") else line
    inner = inner[:-1] if inner.endswith("|") and not inner.endswith("\\|") else inner
    return inner.strip()


def rerender(text: str, seed: int) -> str:
    """The same page in another markdown rendering: only structure around the tables changes."""
    rng = random.Random(seed)
    comment, _, body = text.partition("\n") if text.startswith("<!--") else ("", "", text)
    lines = _shuffle_sections(body.splitlines(), rng)
    spans = _tables(lines)
    out: list[str] = []
    i = 0
    for start, end in spans:  # each table on its own: outer pipes or not, an MDX wrapper or not
        out += lines[i:start]
        outer, wrap = rng.random() < 0.5, rng.random() < 0.5
        if wrap:
            out += ["<div className=\"pricing-table\">", ""]
        out += [_pipes(line, outer) for line in lines[start:end]]
        if wrap:
            out += ["", "</div>"]
        i = end
    out += lines[i:]
    result = []
    for line in out:
        match = _ATX.match(line)
        if match and rng.random() < 0.5:  # the heading's text on the line after its marks
            result += [match.group(1), match.group(2)]
        else:
            result.append(line)
    page = "\n".join(result) + "\n"
    if seed % 3 == 0:  # the whole body twice, as some crawlers save it
        page = page + "\n" + page
    return (comment + "\n" if comment else "") + page


# -- the real samples -------------------------------------------------------------------------------


def _parse(source: str, text: str, make_meta):
    module = PARSERS[source]
    body = text.encode("utf-8")
    return module.parse(body, make_meta(module.SOURCE_ID, module.URL, body))


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("source", sorted(SAMPLES))
def test_real_sample_reshuffled_gives_the_same_facts(source, seed, samples_dir, make_meta) -> None:
    text = (samples_dir / "pages" / SAMPLES[source]).read_text(encoding="utf-8")
    shuffled = rerender(text, seed)
    assert shuffled != text
    expected, got = _parse(source, text, make_meta), _parse(source, shuffled, make_meta)
    assert facts(got) == facts(expected), (
        f"missing {sorted(facts(expected) - facts(got), key=str)[:3]}, extra {sorted(facts(got) - facts(expected), key=str)[:3]}"
    )
    assert excluded(got) == excluded(expected)


def test_rerender_changes_only_structure() -> None:
    page = "# T\n\n## A\n\nx\n\n| M | In |\n|---|---|\n| a | $1 |\n\n## B\n\n| M | In |\n|---|---|\n| b | $2 |\n"
    variants = {rerender(page, seed) for seed in SEEDS}
    assert len(variants) > 1
    for variant in variants:
        rows = sorted(line.strip("| ").replace(" ", "") for line in variant.splitlines() if "$" in line)
        assert set(rows) == {"a|$1", "b|$2"}


# -- our renderings ---------------------------------------------------------------------------------

D = Decimal


def _fixture_facts(source: str, name: str, fixtures_dir, make_meta) -> tuple[set, set]:
    result = _parse(source, (fixtures_dir / source / name).read_text(encoding="utf-8"), make_meta)
    short = {(p.model_id, p.token_type, p.service_tier, p.context_band, p.modality, p.price_per_mtok)
             for p in result.prices}
    assert len(short) == len(result.prices)
    return short, excluded(result)


def _same_in_both_renderings(source: str, fixtures_dir, make_meta) -> tuple[set, set]:
    a, excluded_a = _fixture_facts(source, "rendering_a.md", fixtures_dir, make_meta)
    b, excluded_b = _fixture_facts(source, "rendering_b.md", fixtures_dir, make_meta)
    assert a == b, f"only in A: {sorted(a - b, key=str)}; only in B: {sorted(b - a, key=str)}"
    assert excluded_a == excluded_b
    return a, excluded_a


def test_anthropic_renderings(fixtures_dir, make_meta) -> None:
    got, excluded_ = _same_in_both_renderings("anthropic", fixtures_dir, make_meta)
    columns = ("input", "cache_write_5m", "cache_write_1h", "cache_read", "output")
    standard = {
        "claude-opus-4-5": ("5", "6.25", "10", "0.50", "25"),
        "claude-sonnet-4-5": ("3", "3.75", "6", "0.30", "15"),
        "claude-3-7-sonnet": ("3", "3.75", "6", "0.30", "15"),  # "Claude Sonnet 3.7 (deprecated)"
        "claude-haiku-4-5": ("1", "1.25", "2", "0.10", "5"),
    }
    batch = {"claude-opus-4-5": ("2.50", "12.50"), "claude-sonnet-4-5": ("1.50", "7.50"),
             "claude-3-7-sonnet": ("1.50", "7.50"), "claude-haiku-4-5": ("0.50", "2.50")}
    expected = {(m, t, "standard", "all", "text", D(v)) for m, vs in standard.items() for t, v in zip(columns, vs, strict=True)}
    expected |= {(m, t, "batch", "all", "text", D(v)) for m, vs in batch.items() for t, v in zip(("input", "output"), vs, strict=True)}
    expected |= {("claude-sonnet-4-5", "input", "standard", "<=200k", "text", D("3")),
                 ("claude-sonnet-4-5", "input", "standard", ">200k", "text", D("6")),
                 ("claude-sonnet-4-5", "output", "standard", "<=200k", "text", D("15")),
                 ("claude-sonnet-4-5", "output", "standard", ">200k", "text", D("22.50"))}
    assert len(expected) == 4 * 5 + 4 * 2 + 4 == 32
    assert got == expected
    assert excluded_ == set()


def test_openai_renderings(fixtures_dir, make_meta) -> None:
    got, excluded_ = _same_in_both_renderings("openai", fixtures_dir, make_meta)
    rows = {  # (model, tier, modality): (input, cached input, output); None where the page says "-"
        ("gpt-5.2", "batch", "text"): ("0.875", "0.0875", "7.00"),
        ("gpt-5-mini", "batch", "text"): ("0.125", "0.0125", "1.00"),
        ("gpt-5.2", "standard", "text"): ("1.75", "0.175", "14.00"),
        ("gpt-5-mini", "standard", "text"): ("0.25", "0.025", "2.00"),
        ("gpt-realtime", "standard", "text"): ("4.00", "0.40", "16.00"),
        ("gpt-image-1", "standard", "image"): ("10.00", "2.50", "40.00"),
        ("gpt-realtime", "standard", "image"): ("5.00", "0.50", None),
        ("gpt-realtime", "standard", "audio"): ("32.00", "0.40", "64.00"),
        ("gpt-audio", "standard", "audio"): ("32.00", None, "64.00"),
    }
    expected = {(m, t, tier, "all", modality, D(v)) for (m, tier, modality), vs in rows.items()
                for t, v in zip(("input", "cache_read", "output"), vs, strict=True) if v is not None}
    assert len(expected) == 9 * 3 - 2 == 25
    assert got == expected
    assert excluded_ == {
        ("gpt-realtime", "no price published ('-')"),
        ("gpt-audio", "no price published ('-')"),
        ("Pricing > Video", "priced per second of video, not per token"),
    }


def test_gemini_renderings(fixtures_dir, make_meta) -> None:
    got, excluded_ = _same_in_both_renderings("gemini", fixtures_dir, make_meta)
    pro = {  # (token type, tier): (<=200k, >200k)
        ("input", "standard"): ("1.25", "2.50"), ("output", "standard"): ("10.00", "15.00"),
        ("cache_read", "standard"): ("0.125", "0.25"),
        ("input", "batch"): ("0.625", "1.25"), ("output", "batch"): ("5.00", "7.50"),
        ("cache_read", "batch"): ("0.125", "0.25"),
    }
    expected = {("gemini-2.5-pro", t, tier, band, "text", D(v)) for (t, tier), vs in pro.items()
                for band, v in zip(("<=200k", ">200k"), vs, strict=True)}
    # "$0.30 (text / image)": one fact per modality named
    expected |= {("gemini-2.5-flash-image", "input", tier, "all", m, D(v))
                 for tier, v in (("standard", "0.30"), ("batch", "0.15")) for m in ("text", "image")}
    # "$0.039 per image*" with the footnote "Image output is priced at $30 per 1,000,000 tokens ... equivalent
    # to $0.039 per image": a per-token image output price; the batch $0.0195 has no stated rate
    expected.add(("gemini-2.5-flash-image", "output", "standard", "all", "image", D("30")))
    expected |= {("gemini-2.0-flash-lite", t, tier, "all", "text", D(v)) for t, tier, v in (
        ("input", "standard", "0.075"), ("output", "standard", "0.30"),
        ("input", "batch", "0.0375"), ("output", "batch", "0.15"))}
    assert len(expected) == 12 + 4 + 1 + 4 == 21
    assert got == expected
    assert ("gemini-2.5-flash-image", "priced per image ('$0.0195 per image'), not per token") in excluded_


def test_anthropic_tables_are_known_by_their_header_rows(samples_dir, make_meta) -> None:
    """Headings reworded: the batch and long-context tables still say what they are by their columns."""
    text = (samples_dir / "pages" / SAMPLES["anthropic"]).read_text(encoding="utf-8")
    renamed = (text.replace("## Model pricing", "## Models")
               .replace("### Batch processing", "### Asynchronous requests")
               .replace("### Long context pricing", "### The 1M window"))
    assert renamed.count("Batch processing") == text.count("Batch processing") - 1
    assert facts(_parse("anthropic", renamed, make_meta)) == facts(_parse("anthropic", text, make_meta))
