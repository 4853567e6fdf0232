"""scrapers.truncation: the end-of-document signal of each parser family, on small bodies of our own."""

from __future__ import annotations

import pytest

from scrapers.truncation import cut_short

TABLE = "## Prices\n\n| Model | Input | Output |\n|---|---|---|\n| a | $1 | $2 |\n| b | $3 | $4 |\n"


@pytest.mark.parametrize("text", [
    TABLE,
    TABLE.rstrip("\n"),  # a page may end on its last row without a line break (OpenAI's 2025-12 page does)
    TABLE + "\nSome prose after the table, cut mid-sent",  # prose: a cut there changes no fact
    "Model | Input\n--- | ---\na | $1",  # no outer pipes: a whole row is whole
    "a | b in prose, no table",
    "<html><body><table><tr><td>$1</td></tr></table></body></html>",
])
def test_whole_endings_pass(text):
    assert cut_short(text) is None


@pytest.mark.parametrize("text, says", [
    (TABLE[: TABLE.rindex("$4") + 1], "no closing pipe"),  # "$4" cut to "$": still 3 cells
    (TABLE[: TABLE.rindex("| $4")], "has 2 of the header's 3 cells"),
    ("Model | Input | Output\n--- | --- | ---\na | $1", "2 of the header's 3 cells"),
    ("<html><body><table><tr><td>$1</td>", "no closing </html>"),
])
def test_cut_endings_are_named(text, says):
    assert says in cut_short(text)


@pytest.mark.parametrize("text, cut", [
    ("model,price\na,1.25\n", False),
    ("model,price,\na,1.25,", False),  # Epoch's files end on an empty last cell, no line break
    ("model,price\na,1.2", True),  # the value may be 1.25 cut short
])
def test_csv_final_line(text, cut):
    assert (cut_short(text, csv_table=True) is not None) == cut
