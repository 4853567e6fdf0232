"""Markdown tables out of pricing pages, with the section each table sits in.

Provider pages reach us as markdown in several renderings of the same content: GFM tables with or
without outer pipes, cells carrying links (``Claude Sonnet 3.7 ([deprecated](/docs/...))``), footnote
markers, ``<br/>``/``<hr />`` inside cells, MDX components (``<Note>``, ``<Tabs>``) around tables, and
sometimes the whole body twice. Every provider parser needs the same answer to "which tables are on
this page, under which headings, and what do their cells say", so it lives here once.

The reader is deliberately small and line based (GFM table rules, ATX and setext headings, fenced
code skipped, HTML comments skipped) rather than a full markdown parser: it must keep working on the
broken renderings crawlers produce, and it keeps every cell as text so that the *parser* decides what
a cell means and raises layout drift when it does not know.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

__all__ = [
    "Table",
    "clean_cell",
    "collapse_repeated_body",
    "extract_tables",
    "join_split_headings",
    "split_annotations",
    "split_row",
]


@dataclass(frozen=True)
class Table:
    """One table. Cells are cleaned text; a ``<br/>`` or ``<hr/>`` inside a cell becomes ``"\\n"``."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    #: headings above the table, outermost first, e.g. ``("Pricing", "Feature-specific pricing", "Batch processing")``
    heading_path: tuple[str, ...]
    #: cleaned prose between the nearest heading (or previous table) and this table, MDX wrappers dropped
    preceding_text: str
    #: open MDX/HTML containers around the table, e.g. ``("Tabs", "Tab: Batch")``
    containers: tuple[str, ...] = ()
    #: 1-based line number of the header row in the (collapsed) text, for error messages
    line: int = 0

    def under(self, *words: str) -> bool:
        """True when some heading above the table contains all ``words`` (case-insensitive)."""
        lowered = [h.lower() for h in self.heading_path]
        return any(all(w.lower() in h for w in words) for h in lowered)

    def records(self) -> list[dict[str, str]]:
        """Rows as dicts keyed by header (extra cells beyond the headers are not included)."""
        return [dict(zip(self.headers, row, strict=False)) for row in self.rows]


# ---------------------------------------------------------------------------------------------------
# Cell and prose cleaning

_CODE_RE = re.compile(r"(`+)(.+?)\1")
_IMAGE_RE = re.compile(r"!\[([^\]]*)\]\((?:<[^>]*>|[^)\s]*)(?:\s+\"[^\"]*\")?\)")
_LINK_RE = re.compile(r"\[([^\[\]]*)\]\((?:<[^>]*>|[^()\s]*(?:\([^()]*\)[^()\s]*)*)(?:\s+\"[^\"]*\")?\)")
_REF_LINK_RE = re.compile(r"\[([^\[\]]+)\]\[[^\]]*\]")
_AUTOLINK_RE = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
_FOOTNOTE_REF_RE = re.compile(r"\[\^[^\]]+\]")
_SUP_RE = re.compile(r"<sup\b[^>]*>.*?</sup>", re.IGNORECASE | re.DOTALL)
_BREAK_RE = re.compile(r"<\s*(?:br|hr)\s*/?\s*>", re.IGNORECASE)
_TAG_RE = re.compile(r"</?[A-Za-z][\w.:-]*(?:\s[^<>]*)?/?>")
_EMPHASIS_RE = re.compile(r"(\*\*|__|\*|~~)(?=\S)(.+?)(?<=\S)\1")
_TRAILING_MARKS_RE = re.compile(r"(?:\s*(?:[*†‡§¹²³⁴⁵⁶⁷⁸⁹⁰]|\[\d{1,2}\]))+$")
_ZERO_WIDTH_RE = re.compile(r"[\u200b\u200c\u200d\ufeff]")


def clean_cell(text: str) -> str:
    """Markdown/HTML cell text -> plain text: links keep their text, markup and footnote markers go.

    ``<br/>`` and ``<hr/>`` become ``"\\n"`` so a parser can split multi-value cells; code spans keep
    their content verbatim (``text_editor_20250429`` is not italic).
    """
    codes: list[str] = []

    def _stash(match: re.Match) -> str:
        codes.append(match.group(2).strip())
        return f"\x00{len(codes) - 1}\x00"

    text = _ZERO_WIDTH_RE.sub("", text)
    text = _CODE_RE.sub(_stash, text)
    text = text.replace("\\|", "|")
    text = _SUP_RE.sub("", text)
    text = _BREAK_RE.sub("\n", text)
    text = _IMAGE_RE.sub(r"\1", text)
    for _ in range(3):  # links nested in link text, e.g. "([deprecated](/docs/...))" inside brackets
        text = _LINK_RE.sub(r"\1", text)
    text = _REF_LINK_RE.sub(r"\1", text)
    text = _AUTOLINK_RE.sub(r"\1", text)
    text = _FOOTNOTE_REF_RE.sub("", text)
    text = _TAG_RE.sub("", text)
    for _ in range(2):
        text = _EMPHASIS_RE.sub(r"\2", text)
    text = re.sub(r"\\([\\`*_{}\[\]()#+\-.!$<>~|])", r"\1", text)
    text = html.unescape(text).replace("\u00a0", " ")
    lines = []
    for line in text.split("\n"):
        line = re.sub(r"\s+", " ", line).strip()
        line = line.strip("*_").strip()  # unbalanced emphasis left by crawlers, e.g. "**MODEL"
        line = _TRAILING_MARKS_RE.sub("", line).strip()
        if line:
            lines.append(line)
    text = "\n".join(lines)
    return re.sub(r"\x00(\d+)\x00", lambda m: codes[int(m.group(1))], text)


_PAREN_RE = re.compile(r"\s*\(([^()]*)\)\s*$")


def split_annotations(text: str) -> tuple[str, tuple[str, ...]]:
    """``"Claude Sonnet 3.7 (deprecated)"`` -> ``("Claude Sonnet 3.7", ("deprecated",))``.

    Only trailing parentheticals are split off; the first line of a multi-line cell is the name.
    """
    name = text.split("\n", 1)[0].strip()
    notes: list[str] = []
    while (match := _PAREN_RE.search(name)) and match.start() > 0:
        notes.insert(0, match.group(1).strip())
        name = name[: match.start()].rstrip()
    return name, tuple(notes)


# ---------------------------------------------------------------------------------------------------
# Repeated bodies

_COMMENT_LINE_RE = re.compile(r"^\s*<!--.*-->\s*$")


def collapse_repeated_body(text: str) -> tuple[str, int]:
    """Return ``(text_once, copies)``. Some renderings repeat the whole page body two or more times.

    The body counts as repeated when, after an optional short preamble (a title, a source comment),
    the non-blank lines split into 2-4 identical consecutive copies. Only an exact repeat collapses:
    two tables that merely look alike are left for the parser, which dedupes facts by key.
    """
    lines = text.splitlines()
    content = [i for i, line in enumerate(lines) if line.strip() and not _COMMENT_LINE_RE.match(line)]
    norm = [lines[i].strip() for i in content]
    for preamble in range(0, min(10, len(norm) // 2) + 1):
        body = norm[preamble:]
        for copies in (2, 3, 4):
            size, rest = divmod(len(body), copies)
            if rest or size < 2:
                continue
            first = body[:size]
            if all(body[k * size:(k + 1) * size] == first for k in range(1, copies)):
                cut = content[preamble + size]
                return "\n".join(lines[:cut]).rstrip("\n") + "\n", copies
    return text, 1


# ---------------------------------------------------------------------------------------------------
# Headings split over lines

_BARE_ATX_RE = re.compile(r"^\s*#{1,6}\s*$")


def join_split_headings(text: str) -> str:
    """``"##\\nModel pricing"`` -> ``"## Model pricing"``.

    Some crawlers print a heading's marks on one line and its text on the next (with or without a blank
    line between). An ATX heading without text is otherwise empty, so the next paragraph line (not a
    table row, a tag or another block) is taken as its text. Fenced code is left alone.
    """
    lines = text.splitlines()
    out: list[str] = []
    fence: str | None = None
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if fence is not None:
            fence = None if stripped.startswith(fence) else fence
        elif match := _FENCE_RE.match(stripped):
            fence = match.group(1)
        elif _BARE_ATX_RE.match(line):
            j = i + 1
            while j < len(lines) and not lines[j].strip():
                j += 1
            if j < len(lines) and not (_is_block_start(lines[j]) or _has_pipe(lines[j])):
                out.append(f"{stripped} {lines[j].strip()}")
                i = j + 1
                continue
        out.append(line)
        i += 1
    return "\n".join(out) + ("\n" if text.endswith("\n") else "")


# ---------------------------------------------------------------------------------------------------
# Tables

_SEPARATOR_CELL_RE = re.compile(r"^:?-+:?$")
_ATX_RE = re.compile(r"^(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_FENCE_RE = re.compile(r"^(`{3,}|~{3,})")
_OPEN_TAG_RE = re.compile(r"^<([A-Za-z][\w.]*)((?:\s[^<>]*)?)>$")
_CLOSE_TAG_RE = re.compile(r"^</([A-Za-z][\w.]*)\s*>$")
_SELF_CLOSING_RE = re.compile(r"^<[A-Za-z][^<>]*/>$")
_VOID_TAGS = {"br", "hr", "img", "input", "meta", "link", "source", "wbr"}
_THEMATIC_BREAK_RE = re.compile(r"^(?:(?:-\s*){3,}|(?:\*\s*){3,}|(?:_\s*){3,})$")
_TITLE_ATTR_RE = re.compile(r"""\b(?:title|label|value|name)\s*=\s*(?:"([^"]*)"|'([^']*)'|\{["']([^"']*)["']\})""")


def split_row(line: str) -> list[str]:
    """Split one table line on unescaped pipes, dropping the optional outer pipes."""
    line = line.strip()
    cells, current, escaped = [], [], False
    for char in line:
        if char == "|" and not escaped:
            cells.append("".join(current))
            current = []
        else:
            current.append(char)
        escaped = char == "\\" and not escaped
    cells.append("".join(current))
    if line.startswith("|"):
        cells = cells[1:]
    if line.endswith("|") and not line.endswith("\\|") and len(cells) > 1:
        cells = cells[:-1]
    return [c.strip() for c in cells]


def _has_pipe(line: str) -> bool:
    return bool(re.search(r"(?<!\\)\|", line))


def _is_separator(line: str) -> bool:
    stripped = line.strip()
    if not _has_pipe(stripped) or "-" not in stripped or re.search(r"[^|:\-\s]", stripped):
        return False
    cells = [c for c in split_row(stripped) if c]
    return bool(cells) and all(_SEPARATOR_CELL_RE.match(c) for c in cells)


def _is_block_start(line: str) -> bool:
    stripped = line.strip()
    return bool(
        _ATX_RE.match(stripped)
        or _FENCE_RE.match(stripped)
        or _OPEN_TAG_RE.match(stripped)
        or _CLOSE_TAG_RE.match(stripped)
        or _SELF_CLOSING_RE.match(stripped)
        or stripped.startswith("<!--")
        or _THEMATIC_BREAK_RE.match(stripped)
    )


def _container_label(name: str, attrs: str) -> str:
    match = _TITLE_ATTR_RE.search(attrs)
    title = next((g for g in match.groups() if g), "") if match else ""
    return f"{name}: {title}" if title else name


def extract_tables(text: str, *, collapse_repeats: bool = True, dedupe: bool = True) -> list[Table]:
    """Every table in ``text`` in page order, each with its heading path and the prose before it.

    ``collapse_repeats`` first reduces a page whose body is repeated to one copy; ``dedupe`` then drops a
    table identical to an earlier one in everything (headings, prose, containers, headers and rows),
    which is the same fact stated twice, never a different one.
    """
    text = join_split_headings(text)
    if collapse_repeats:
        text, _ = collapse_repeated_body(text)
    lines = text.splitlines()
    tables: list[Table] = []
    headings: list[tuple[int, str]] = []
    containers: list[tuple[str, str]] = []
    prose: list[str] = []
    fence: str | None = None
    in_comment = False
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if in_comment:
            in_comment = "-->" not in stripped
            i += 1
            continue
        if fence is not None:
            if stripped.startswith(fence):
                fence = None
            i += 1
            continue
        if match := _FENCE_RE.match(stripped):
            fence = match.group(1)
            i += 1
            continue
        if stripped.startswith("<!--"):
            in_comment = "-->" not in stripped
            i += 1
            continue
        if match := _ATX_RE.match(stripped):
            _push_heading(headings, len(match.group(1)), clean_cell(match.group(2) or ""))
            prose = []
            i += 1
            continue
        if (
            i + 1 < len(lines)
            and _has_pipe(stripped)
            and _is_separator(lines[i + 1])
        ):
            table, i = _read_table(lines, i, headings, containers, prose)
            tables.append(table)
            prose = []
            continue
        if (
            re.fullmatch(r"=+|-+", stripped)
            and prose
            and lines[i - 1].strip()
            and clean_cell(lines[i - 1].strip()) == prose[-1]
        ):
            # setext heading: the previous paragraph line is the heading text
            _push_heading(headings, 1 if stripped[0] == "=" else 2, prose.pop())
            prose = []
            i += 1
            continue
        if (match := _OPEN_TAG_RE.match(stripped)) and match.group(1).lower() not in _VOID_TAGS:
            containers.append((match.group(1), _container_label(match.group(1), match.group(2))))
        elif match := _CLOSE_TAG_RE.match(stripped):
            for k in range(len(containers) - 1, -1, -1):
                if containers[k][0] == match.group(1):
                    del containers[k:]
                    break
        elif stripped and not (
            _SELF_CLOSING_RE.match(stripped) or _OPEN_TAG_RE.match(stripped) or _THEMATIC_BREAK_RE.match(stripped)
        ):
            cleaned = clean_cell(stripped)
            if cleaned:
                prose.append(cleaned)
        i += 1
    return _dedupe(tables) if dedupe else tables


def _push_heading(headings: list[tuple[int, str]], level: int, text: str) -> None:
    while headings and headings[-1][0] >= level:
        headings.pop()
    headings.append((level, text))


def _read_table(
    lines: list[str], start: int, headings: list, containers: list, prose: list[str]
) -> tuple[Table, int]:
    headers = tuple(clean_cell(c) for c in split_row(lines[start]))
    rows: list[tuple[str, ...]] = []
    i = start + 2
    # GFM: the body runs to the first blank line or the start of another block; a line without a
    # pipe is still a row (a crawler's wrapped cell), which the parser may merge or reject.
    while i < len(lines) and lines[i].strip() and not _is_block_start(lines[i]):
        cells = [clean_cell(c) for c in split_row(lines[i])]
        cells += [""] * (len(headers) - len(cells))
        rows.append(tuple(cells))
        i += 1
    table = Table(
        headers=headers,
        rows=tuple(rows),
        heading_path=tuple(text for _, text in headings),
        preceding_text="\n".join(prose),
        containers=tuple(label for _, label in containers),
        line=start + 1,
    )
    return table, i


def _dedupe(tables: list[Table]) -> list[Table]:
    seen: set[tuple] = set()
    kept = []
    for table in tables:
        key = (table.heading_path, table.preceding_text, table.containers, table.headers, table.rows)
        if key not in seen:
            seen.add(key)
            kept.append(table)
    return kept
