"""Markdown table extraction across the renderings provider pages arrive in."""

from __future__ import annotations

import pytest

from scrapers.markdown_tables import (
    Table,
    clean_cell,
    collapse_repeated_body,
    extract_tables,
    split_annotations,
    split_row,
)

OUTER = """\
## Prices

| Model | Input | Output |
|-------|------:|:------:|
| a-1   | $1    | $2     |
| b-2   | $3    | $4     |
"""

NO_OUTER = """\
## Prices

Model | Input | Output
---|---:|:---:
a-1 | $1 | $2
b-2 | $3 | $4
"""


# -- cells ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Claude Sonnet 3.7 ([deprecated](/docs/en/about-claude/model-deprecations))", "Claude Sonnet 3.7 (deprecated)"),
        ("[claude.com/pricing](https://claude.com/pricing)", "claude.com/pricing"),
        ("[Json Output](</guides/json_mode>)", "Json Output"),
        ("<https://api.deepseek.com>", "https://api.deepseek.com"),
        ("![logo](/img/x.svg) Model", "logo Model"),
        ("$5 / MTok*", "$5 / MTok"),
        ("$25 / MTok †", "$25 / MTok"),
        ("Claude Sonnet 4.5[^1]", "Claude Sonnet 4.5"),
        ("Claude Sonnet 4<sup>1</sup>", "Claude Sonnet 4"),
        ("$2.00 [2]", "$2.00"),
        ("**MiniMax-M2**", "MiniMax-M2"),
        ("**MODEL", "MODEL"),  # crawler-truncated bold
        ("\\$0.3 / M tokens", "$0.3 / M tokens"),
        ("`auto`, `none`<hr />`any`, `tool`", "auto, none\nany, tool"),
        ("**MiniMax-M2-Stable** <br />High Concurrency", "MiniMax-M2-Stable\nHigh Concurrency"),
        ("Input: $3 / MTok<br/>Output: $15 / MTok", "Input: $3 / MTok\nOutput: $15 / MTok"),
        ("`text_editor_20250429` (Claude 4.x)", "text_editor_20250429 (Claude 4.x)"),
        ("&le; 200K &amp; more", "≤ 200K & more"),
        ("<span class='x'>$1</span>", "$1"),
        ("Data *not* used", "Data not used"),
        ("Model Details\u200b", "Model Details"),
        ("  spaced   out  ", "spaced out"),
    ],
)
def test_clean_cell(raw: str, clean: str) -> None:
    assert clean_cell(raw) == clean


def test_split_row_with_and_without_outer_pipes_and_escaped_pipes() -> None:
    assert split_row("| a | b | c |") == ["a", "b", "c"]
    assert split_row("a | b | c") == ["a", "b", "c"]
    assert split_row("**MODEL|  deepseek-chat| deepseek-reasoner  ") == ["**MODEL", "deepseek-chat", "deepseek-reasoner"]
    assert split_row(r"| a \| b | c |") == [r"a \| b", "c"]
    assert split_row("| | x |") == ["", "x"]


def test_split_annotations() -> None:
    assert split_annotations("Claude Sonnet 3.7 (deprecated)") == ("Claude Sonnet 3.7", ("deprecated",))
    assert split_annotations("Kimi K2.6 Turbo (Fast, Preview)") == ("Kimi K2.6 Turbo", ("Fast, Preview",))
    assert split_annotations("Claude Opus 4.5") == ("Claude Opus 4.5", ())
    assert split_annotations("MiniMax-M2-Stable\nHigh Concurrency") == ("MiniMax-M2-Stable", ())
    assert split_annotations("(only a note)") == ("(only a note)", ())


# -- tables -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [OUTER, NO_OUTER], ids=["outer-pipes", "no-outer-pipes"])
def test_both_pipe_renderings_give_the_same_table(text: str) -> None:
    (table,) = extract_tables(text)
    assert table.headers == ("Model", "Input", "Output")
    assert table.rows == (("a-1", "$1", "$2"), ("b-2", "$3", "$4"))
    assert table.heading_path == ("Prices",)
    assert table.records()[1] == {"Model": "b-2", "Input": "$3", "Output": "$4"}
    assert table.line == 3


def test_heading_path_nests_and_resets() -> None:
    text = """\
# Pricing
## Model pricing
| A | B |
|---|---|
| 1 | 2 |
## Feature-specific pricing
### Batch processing
| A | B |
|---|---|
| 3 | 4 |
### Long context pricing ###
| A | B |
|---|---|
| 5 | 6 |
"""
    paths = [t.heading_path for t in extract_tables(text)]
    assert paths == [
        ("Pricing", "Model pricing"),
        ("Pricing", "Feature-specific pricing", "Batch processing"),
        ("Pricing", "Feature-specific pricing", "Long context pricing"),
    ]
    tables = extract_tables(text)
    assert tables[1].under("batch") and not tables[0].under("batch")
    assert tables[2].under("long", "context") and not tables[2].under("long", "batch")


def test_setext_headings() -> None:
    text = "Pricing\n=======\n\nModels\n------\n\n| A | B |\n|---|---|\n| 1 | 2 |\n"
    (table,) = extract_tables(text)
    assert table.heading_path == ("Pricing", "Models")


def test_thematic_break_after_blank_line_is_not_a_heading() -> None:
    text = "# Pricing\n\nIntro text.\n\n---\n\n| A | B |\n|---|---|\n| 1 | 2 |\n"
    (table,) = extract_tables(text)
    assert table.heading_path == ("Pricing",)
    assert table.preceding_text == "Intro text."


def test_mdx_blocks_around_tables_and_preceding_text() -> None:
    text = """\
### Long context pricing

When using Claude Sonnet 4 or Sonnet 4.5 with the [1M window](/docs/x), prompts cost more:

<Note>
Only for [tier 4](/docs/tiers).
</Note>

| ≤ 200K input tokens | > 200K input tokens |
|---|---|
| Input: $3 / MTok | Input: $6 / MTok |

<Tabs>
  <Tab title="Batch">

  | Model | Input |
  | --- | --- |
  | m | $1 |

  </Tab>
  <Tab title='Standard'>

  | Model | Input |
  | --- | --- |
  | m | $2 |

  </Tab>
</Tabs>

| after | tabs |
|---|---|
| x | y |
"""
    long_context, batch, standard, after = extract_tables(text)
    assert long_context.preceding_text == (
        "When using Claude Sonnet 4 or Sonnet 4.5 with the 1M window, prompts cost more:\nOnly for tier 4."
    )
    assert long_context.containers == ()
    assert batch.containers == ("Tabs", "Tab: Batch")
    assert standard.containers == ("Tabs", "Tab: Standard")
    assert standard.rows == (("m", "$2"),)
    assert after.containers == ()


def test_tables_in_fenced_code_and_html_comments_are_ignored() -> None:
    text = """\
<!-- SOURCE: a header comment
| a | b |
|---|---|
-->
```markdown
| not | a table |
|-----|---------|
| x   | y       |
```
| real | table |
|------|-------|
| 1    | 2     |
"""
    (table,) = extract_tables(text)
    assert table.headers == ("real", "table")


def test_table_body_ends_at_blank_line_heading_or_block() -> None:
    text = "| A | B |\n|---|---|\n| 1 | 2 |\n## Next\n| C | D |\n|---|---|\n| 3 | 4 |\n<Note>\nx\n</Note>\n"
    first, second = extract_tables(text)
    assert first.rows == (("1", "2"),)
    assert second.rows == (("3", "4"),)
    assert second.heading_path == ("Next",)


def test_short_rows_are_padded_and_pipe_less_lines_are_rows() -> None:
    # DeepSeek's rendering wraps cells onto pipe-less lines; GFM keeps them as rows for the parser to judge
    text = "MODEL| chat| reasoner\n---|---|---\nVERSION| V3.2\n(Thinking Mode)\nPRICE| $0.28| $0.28\n"
    (table,) = extract_tables(text)
    assert table.rows == (("VERSION", "V3.2", ""), ("(Thinking Mode)", "", ""), ("PRICE", "$0.28", "$0.28"))


def test_lenient_separator_with_fewer_cells() -> None:
    # seen on a real docs page: "|---|" under a four-column header
    text = "| Model | Input | Cached input | Output |\n|---|\n| Kimi K2.6 | $0.95 | $0.16 | $4.00 |\n"
    (table,) = extract_tables(text)
    assert table.rows == (("Kimi K2.6", "$0.95", "$0.16", "$4.00"),)


def test_a_line_with_a_pipe_but_no_separator_is_not_a_table() -> None:
    assert extract_tables("Title: Pricing | Cohere\n\nSome text | with a pipe\n") == []


# -- repeated bodies ------------------------------------------------------------------------------


def test_collapse_repeated_body() -> None:
    once, copies = collapse_repeated_body(OUTER + "\n" + OUTER)
    assert copies == 2
    assert once.strip() == OUTER.strip()
    assert collapse_repeated_body(OUTER * 3)[1] == 3


def test_collapse_keeps_a_preamble_before_the_repeat() -> None:
    text = "<!-- source -->\nTitle: x\n\nURL Source: y\n\n" + OUTER + "\n\n" + OUTER
    once, copies = collapse_repeated_body(text)
    assert copies == 2
    assert once.count("| a-1") == 1
    assert once.startswith("<!-- source -->\nTitle: x")


def test_a_page_that_is_not_repeated_is_unchanged() -> None:
    text = OUTER + "\n## Other\n\n| Model | Input |\n|---|---|\n| c | $5 |\n"
    assert collapse_repeated_body(text) == (text, 1)


def test_repeated_body_gives_each_table_once() -> None:
    assert extract_tables(OUTER + "\n" + OUTER) == extract_tables(OUTER)
    assert len(extract_tables(OUTER + "\n" + OUTER, collapse_repeats=False, dedupe=False)) == 2


def test_identical_table_in_identical_context_is_deduped_but_different_context_is_kept() -> None:
    same = "## A\n\n| x | y |\n|---|---|\n| 1 | 2 |\n\n## A\n\n| x | y |\n|---|---|\n| 1 | 2 |\n"
    assert len(extract_tables(same, collapse_repeats=False)) == 1
    tabs = "## A\n\nBatch\n\n| x | y |\n|---|---|\n| 1 | 2 |\n\nFlex\n\n| x | y |\n|---|---|\n| 1 | 2 |\n"
    batch, flex = extract_tables(tabs)
    assert (batch.preceding_text, flex.preceding_text) == ("Batch", "Flex")


# -- real captures ----------------------------------------------------------------------------------


def test_real_anthropic_page(samples_dir) -> None:
    text = (samples_dir / "pages" / "anthropic_petehsu-LLM-Docs-2025-12.md").read_text(encoding="utf-8")
    tables = extract_tables(text)
    assert [t.heading_path[-1] for t in tables] == [
        "Model pricing",
        "Batch processing",
        "Long context pricing",
        "Tool use pricing",
        "Text editor tool",
        "Computer use tool",
    ]
    model = tables[0]
    assert model.headers[4] == "Cache Hits & Refreshes"
    assert len(model.rows) == 10
    assert model.rows[5][0] == "Claude Sonnet 3.7 (deprecated)"
    long_context = tables[2]
    assert long_context.headers == ("≤ 200K input tokens", "> 200K input tokens")
    assert long_context.rows[1] == ("Output: $15 / MTok", "Output: $22.50 / MTok")
    assert "Claude Sonnet 4 or Sonnet 4.5" in long_context.preceding_text
    assert tables[3].rows[0][2] == "346 tokens\n313 tokens"


def test_real_no_outer_pipes_rendering(samples_dir) -> None:
    text = (samples_dir / "pages" / "deepseek_petehsu-LLM-Docs-2025-12.md").read_text(encoding="utf-8")
    (table,) = extract_tables(text)
    assert table.headers == ("MODEL", "deepseek-chat", "deepseek-reasoner")
    assert table.heading_path == ("Models & Pricing", "Model Details")
    assert ("1M OUTPUT TOKENS", "$0.42", "") in table.rows


def test_real_tabbed_tables_keep_their_tab_labels(samples_dir) -> None:
    text = (samples_dir / "pages" / "openai_petehsu-LLM-Docs-2025-12.md").read_text(encoding="utf-8")
    text_tokens = [t for t in extract_tables(text) if t.heading_path == ("Pricing", "Text tokens")]
    assert [t.preceding_text.splitlines()[-1] for t in text_tokens] == ["Batch", "Flex", "Standard", "Priority"]
    assert text_tokens[2].rows[0] == ("gpt-5.2", "$1.75", "$0.175", "$14.00")


def test_real_escaped_dollars_and_br_cells(samples_dir) -> None:
    text = (samples_dir / "pages" / "minimax_petehsu-LLM-Docs-2025-12.md").read_text(encoding="utf-8")
    table = extract_tables(text)[0]
    assert table.rows[0] == ("MiniMax-M2", "$0.3 / M tokens", "$1.2 / M tokens", "$0.03 / M tokens", "$0.375 / M tokens")
    assert split_annotations(table.rows[1][0])[0] == "MiniMax-M2-Stable"


def test_table_is_a_frozen_value() -> None:
    table = extract_tables(OUTER)[0]
    assert isinstance(table, Table)
    with pytest.raises(AttributeError):
        table.headers = ()  # type: ignore[misc]


def test_heading_text_on_the_line_after_its_marks() -> None:
    from scrapers.markdown_tables import join_split_headings

    split = "# Pricing\n\n##\nModel pricing\n\n| M | In |\n|---|---|\n| a | $1 |\n\n###\n\nBatch processing\n\n| M | In |\n|---|---|\n| a | $2 |\n"
    assert join_split_headings(split).startswith("# Pricing\n\n## Model pricing\n")
    tables = extract_tables(split)
    assert [t.heading_path for t in tables] == [("Pricing", "Model pricing"), ("Pricing", "Model pricing", "Batch processing")]
    # marks before a table row or inside fenced code are not a split heading
    assert join_split_headings("##\n| a | b |\n") == "##\n| a | b |\n"
    assert join_split_headings("```\n#\nx\n```\n") == "```\n#\nx\n```\n"
