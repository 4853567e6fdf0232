"""Together AI ``GET https://api.together.xyz/v1/models`` -> serverless token prices and model attributes.

What the response looks like (Together API reference; **no real capture exists in the samples**, the tests
use a fixture written from the documented shape, with real Together prices): a JSON *list* of model
objects ``{"id", "object", "created", "type", "display_name", "organization", "link", "license",
"context_length", "pricing": {"hourly", "input", "output", "base", "finetune"}}``. ``type`` is one of
chat, language, code, image, embedding, moderation, rerank (audio/video types exist too). ``input`` and
``output`` are USD per 1M tokens as JSON numbers; they are read as ``Decimal`` straight from the JSON text
(never through ``float``). The endpoint needs an API key (``COSTCURVE_TOGETHER_API_KEY``).

Choices:

* chat, language and code models -> an input and an output ``PriceFact`` (provider ``together``,
  ``model_id`` = Together's id lowercased, e.g. ``meta-llama/llama-3.3-70b-instruct-turbo``: Together's
  API names models with the organisation prefix) and one ``ModelAttributes`` (creator = organization,
  lowercase; ``open_weights`` only when ``link`` points at a Hugging Face repo, basis ``together:link``).
* input 0 *and* output 0 is not a free model: Together lists dedicated-only models that way (priced per
  hour, if at all), so it becomes an ``Exclusion``, not a zero price. One of the two at 0 stays a fact.
* Other types (image, embedding, rerank, ...) are not per-token chat prices: one ``Exclusion`` each.
* An unknown pricing key, a negative or non-numeric price, or a document that is not a non-empty list
  raises ``LayoutDriftError``. Unknown model keys are ignored; an unknown ``type`` is excluded, not drift.
* Keyless fallback: the docs page ``https://docs.together.ai/docs/serverless/models.md`` lists the
  serverless models as markdown tables. It is **not parsed here**: its table layout was not available to
  build against, and prices live on together.ai/pricing rather than in those tables. Without a key this
  source is simply not fetched (``request_headers`` raises), which the run reports as a failed source.
"""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, ValidationError

from scrapers.facts import FactCollector
from scrapers.records import CaptureMeta, ModelAttributes, ParseResult, PriceFact

SOURCE_ID = "together"
PARSER_VERSION = "1"
URL = "https://api.together.xyz/v1/models"
CAPTURE_KEY = "models.json"
API_KEY_ENV = "COSTCURVE_TOGETHER_API_KEY"
PROVIDER_ID = "together"
PRICED_TYPES = frozenset({"chat", "language", "code"})
OPEN_WEIGHTS_BASIS = "together:link"
UNIT = "USD/1M tokens"
_HF_LINK = re.compile(r"^https?://(?:www\.)?huggingface\.co/([\w.\-]+/[\w.\-]+)/?$")


def request_headers() -> dict[str, str]:
    """The Authorization header from ``COSTCURVE_TOGETHER_API_KEY``. Never log the result."""
    key = os.environ.get(API_KEY_ENV)
    if not key:
        raise RuntimeError(f"{API_KEY_ENV} is not set: the Together models API needs a key")
    return {"Authorization": f"Bearer {key}"}


class Pricing(BaseModel):
    model_config = ConfigDict(extra="forbid")

    input: Decimal
    output: Decimal
    hourly: Decimal | None = None
    base: Decimal | None = None
    finetune: Decimal | None = None


class TogetherModel(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: str
    type: str
    display_name: str | None = None
    organization: str | None = None
    link: str | None = None
    context_length: int | None = None
    created: int | None = None
    pricing: Pricing | None = None


def parse(body: bytes, meta: CaptureMeta) -> ParseResult:
    """Together models JSON -> input/output price facts, model attributes and exclusions."""
    collect = FactCollector(meta, PARSER_VERSION, source_id=SOURCE_ID)
    drift, exclude, provenance = collect.drift, collect.exclude, collect.provenance
    result = ParseResult(exclusions=collect.exclusions)
    document = collect.json(body)
    if not isinstance(document, list) or not document:
        raise drift("response is not a non-empty JSON list of models")

    seen: dict[str, dict] = {}
    for raw in document:
        label = str(raw.get("id", "?")) if isinstance(raw, dict) else repr(raw)[:80]
        try:
            model = TogetherModel.model_validate(raw)
        except ValidationError as exc:
            raise drift(f"model {label}: {exc}") from exc
        if model.id in seen:
            if seen[model.id] != raw:
                exclude(model.id, "id", "duplicate id with different content; the first object was kept")
            continue
        seen[model.id] = raw
        if model.type not in PRICED_TYPES:
            exclude(model.id, "type", f"type {model.type!r}: not a chat/language model, no token price recorded")
            continue
        result.models.append(_attributes(model, provenance))
        pricing = model.pricing
        if pricing is None:
            exclude(model.id, "pricing", "no pricing object")
            continue
        if min(pricing.input, pricing.output) < 0:
            raise drift(f"model {model.id}: negative price {pricing}")
        if pricing.input == 0 and pricing.output == 0:
            hourly = f"; hourly {pricing.hourly}" if pricing.hourly else ""
            exclude(model.id, "pricing", f"input and output both 0: not a serverless per-token price (dedicated "
                    f"endpoint only){hourly}")
            continue
        # appended as read, not through collect.price: repeats are recognised by the raw id above, so two
        # ids that differ only in case (one lowercase model_id) each keep their facts, as they always have
        for token_type, amount in (("input", pricing.input), ("output", pricing.output)):
            result.prices.append(PriceFact(
                **provenance,
                provider_id=PROVIDER_ID,
                model_id=model.id.strip().lower(),
                model_name=model.display_name or model.id,
                token_type=token_type,
                price_per_mtok=amount,
                usd_per_mtok=amount,
                unit_as_published=UNIT,
                raw_value=str(amount),
            ))
    if not result.prices:
        raise drift(f"{len(document)} models but no serverless chat/language price")
    return result


def _attributes(model: TogetherModel, provenance: dict) -> ModelAttributes:
    hf = _HF_LINK.match((model.link or "").strip())
    creator = (model.organization or model.id.partition("/")[0]).strip().lower()
    return ModelAttributes(
        **provenance,
        provider_id=PROVIDER_ID,
        model_id=model.id.strip().lower(),
        source_model_id=model.id,
        model_name=model.display_name or model.id,
        creator=creator,
        hugging_face_id=hf[1] if hf else None,
        open_weights=True if hf else None,
        open_weights_basis=OPEN_WEIGHTS_BASIS if hf else None,
        context_length=model.context_length or None,
        created_at=datetime.fromtimestamp(model.created, tz=UTC) if model.created else None,
    )
