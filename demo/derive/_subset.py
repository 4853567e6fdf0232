"""Shared by the dataset derivations (models_dev, litellm, litellm_history, llm_prices, openrouter_models,
genai_prices): which models a demo capture keeps, and a JSON writer that keeps every number's text.

What to keep, and why: the demo feeds the cost-curve index, the frontier-vs-open-weight price gap and the
open-weight token share. So a capture keeps every model sold by a provider whose own pricing page
costcurve parses (``SELLERS``), and the models of the major open-weight families (``FAMILIES``) at any
seller, so one family can be priced across many sellers. Records are kept or dropped whole.

Numbers are read with their JSON text kept (:class:`Number`) and written back as that text, so ``2.5e-06``
stays ``2.5e-06``: going through ``float`` could change the exact ``Decimal`` a parser reads.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

#: sellers whose pricing pages costcurve parses, under the ids each dataset uses for them
SELLERS = {
    "openai": {"openai"},
    "anthropic": {"anthropic"},
    "google": {"google", "gemini"},
    "deepseek": {"deepseek"},
    "xai": {"xai", "x-ai"},
    "mistral": {"mistral"},
    "moonshot": {"moonshot", "moonshotai", "moonshot-ai"},
    "minimax": {"minimax"},
    "cohere": {"cohere", "cohere_chat"},
    "perplexity": {"perplexity"},
    "groq": {"groq"},
    "fireworks": {"fireworks", "fireworks_ai", "fireworks-ai"},
    "together": {"together", "together_ai", "togetherai"},
}
SELLER_IDS = frozenset().union(*SELLERS.values())

#: the major open-weight families served by many sellers: name in a model id -> family
FAMILIES = {
    "llama": "llama",
    "qwen": "qwen", "qwq": "qwen",
    "deepseek": "deepseek",
    "mistral": "mistral", "mixtral": "mistral", "ministral": "mistral", "codestral": "mistral",
    "devstral": "mistral", "magistral": "mistral", "pixtral": "mistral",
    "gpt-oss": "gpt-oss",
    "gemma": "gemma",
    "kimi": "kimi",
    "glm": "glm",
    "minimax": "minimax",
}
_FAMILY_RE = re.compile("|".join(sorted(FAMILIES, key=len, reverse=True)))


def family(model_id: str) -> str | None:
    """``"meta-llama/llama-3.3-70b-instruct"`` -> ``"llama"``; None outside the major open-weight families."""
    match = _FAMILY_RE.search(model_id.lower())
    return FAMILIES[match.group(0)] if match else None


#: the org prefix of an ``org/model`` id at a reseller (OpenRouter, models.dev's openrouter) for a model
#: made by one of the sellers above: kept where the dataset is small enough, for the open/closed split
CREATOR_ORGS = frozenset({"openai", "anthropic", "google", "deepseek", "x-ai", "mistralai", "moonshotai",
                          "minimax", "cohere", "perplexity"})


def creator_org(model_id: str) -> str | None:
    """``"~anthropic/claude-opus-latest"`` -> ``"anthropic"``; None for an id without an org prefix."""
    org, slash, _ = model_id.strip().lower().lstrip("~").partition("/")
    return org if slash and org else None


def by_seller_creator(model_id: str) -> bool:
    return creator_org(model_id) in CREATOR_ORGS


def is_seller(provider_id: str) -> bool:
    return provider_id.strip().lower() in SELLER_IDS


def keep(provider_id: str, model_id: str) -> bool:
    """The base rule: a seller we parse, or a major open-weight family at any seller."""
    return is_seller(provider_id) or family(model_id) is not None


def samples_dir(given: Path | None = None) -> Path:
    return Path(given or os.environ.get("COSTCURVE_SAMPLES") or REPO.parent / "shared" / "samples")


class Number:
    """A JSON number as published (``"2.5e-06"``, ``"15"``): read and written as its text."""

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Number) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)

    def __repr__(self) -> str:
        return self.text


def load_json(body: bytes):
    """JSON with every number kept as :class:`Number` (its text)."""
    return json.loads(body, parse_float=Number, parse_int=Number, parse_constant=Number)


def dump_json(value, line_depth: int = 1) -> bytes:
    """Compact JSON with one item per line down to ``line_depth`` levels (smaller than indented, and a
    change to one model is a one-line diff); strings keep their non-ASCII characters."""
    return (_dump(value, 0, line_depth) + "\n").encode("utf-8")


def _dump(value, depth: int, line_depth: int) -> str:
    if isinstance(value, Number):
        return value.text
    if isinstance(value, dict):
        items = [f"{json.dumps(k, ensure_ascii=False)}:{_dump(v, depth + 1, line_depth)}" for k, v in value.items()]
        return _join("{", items, "}", depth, line_depth)
    if isinstance(value, list):
        return _join("[", [_dump(v, depth + 1, line_depth) for v in value], "]", depth, line_depth)
    return json.dumps(value, ensure_ascii=False)


def _join(open_: str, items: list[str], close: str, depth: int, line_depth: int) -> str:
    if depth >= line_depth or not items:
        return open_ + ",".join(items) + close
    pad = " " * (depth + 1)
    return open_ + "\n" + ",\n".join(pad + item for item in items) + "\n" + " " * depth + close


def write(out: Path, body: bytes) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(body)
    print(f"wrote {out.relative_to(REPO)} ({len(body):,} bytes)")
