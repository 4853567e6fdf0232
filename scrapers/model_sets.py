"""Which price series and models a capture lost against the source's previous capture.

A page cut exactly at a line end, or one that silently dropped a section, still parses: only the
comparison with what the source said last time shows it. Comparing price *series* (model, token type,
tier, context band, modality, currency; ``valid_from`` left out, so a dated change is not a loss) catches
a lost batch or long-context table even when every model is still listed; the vanished *models* are what
a person reads.

The rule (README "Truncated captures and vanished models"):

* every vanished model is reported by name (asset metadata, run log, the drift message);
* a capture that lost more than ``MAX_VANISHED_MODEL_SHARE`` of the previous capture's models, or more
  than ``MAX_VANISHED_SERIES_SHARE`` of its price series among the models it still lists (per source in
  ``MAX_VANISHED_SHARE_BY_SOURCE``), is layout drift: the day is not loaded;
* the previous capture is only a yardstick when it is recent: older than ``MAX_PREVIOUS_AGE_DAYS``, a
  provider may really have retired many models since, so the loss is reported and never blocks.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from scrapers.errors import LayoutDriftError

__all__ = ["MAX_PREVIOUS_AGE_DAYS", "MAX_VANISHED_MODEL_SHARE", "MAX_VANISHED_SERIES_SHARE", "ModelSetChange", "VanishedModelsError",
           "check_model_set", "compare", "series_keys"]

#: share of the previous capture's *models* a capture may lose before the loss is drift. A provider
#: retiring a model from a page of a dozen stays under it (Anthropic's 2025-12 page lists 13 models);
#: a page cut in half does not. On a page of fewer than ten models any loss is over it.
MAX_VANISHED_MODEL_SHARE = 0.10
#: share of the previous capture's price *series* a capture may lose among models it still lists: a lost
#: batch or long-context table, or a dropped column (Anthropic's page without its long-context table
#: loses 13 of 78 series, every model still named)
MAX_VANISHED_SERIES_SHARE = 0.05
#: per-source overrides ``{source_id: (model share, series share)}``, for feeds whose normal churn is larger
MAX_VANISHED_SHARE_BY_SOURCE: dict[str, tuple[float, float]] = {}
#: a previous capture older than this (days) is compared and reported, never used to block a load
MAX_PREVIOUS_AGE_DAYS = 14

#: (provider_id, model_id, token_type, service_tier, context_band, modality, currency)
SeriesKey = tuple[str, str, str, str, str, str, str]


class VanishedModelsError(LayoutDriftError):
    """A capture lost more than the allowed share of its previous capture's price series."""


@dataclass(frozen=True)
class ModelSetChange:
    previous_models: int
    previous_series: int
    vanished_models: tuple[str, ...]
    #: series lost by models the capture still lists (a lost table or column)
    vanished_series: tuple[SeriesKey, ...]
    #: False when the previous capture was too old to block on (reported only)
    blocking: bool

    @property
    def model_share(self) -> float:
        return len(self.vanished_models) / self.previous_models if self.previous_models else 0.0

    @property
    def series_share(self) -> float:
        return len(self.vanished_series) / self.previous_series if self.previous_series else 0.0

    def summary(self) -> str:
        return (f"{len(self.vanished_models)} of {self.previous_models} models gone "
                f"({', '.join(self.vanished_models) or 'none'}); {len(self.vanished_series)} of "
                f"{self.previous_series} price series lost by models still listed")


def series_keys(prices: Iterable) -> set[SeriesKey]:
    """Series of price facts (``PriceFact`` objects or dicts with the same fields)."""
    fields = ("provider_id", "model_id", "token_type", "service_tier", "context_band", "modality", "currency")
    keys = set()
    for price in prices:
        get = price.get if isinstance(price, dict) else lambda name, p=price: getattr(p, name)
        keys.add(tuple(str(get(name)) for name in fields))
    return keys


def compare(previous: set[SeriesKey], current: set[SeriesKey], *, blocking: bool = True) -> ModelSetChange:
    models_before = {k[:2] for k in previous}
    models_now = {k[:2] for k in current}
    gone = tuple(sorted(f"{provider}/{model}" for provider, model in models_before - models_now))
    lost = tuple(sorted(k for k in previous - current if k[:2] in models_now))
    return ModelSetChange(len(models_before), len(previous), gone, lost, blocking)


def check_model_set(source_id: str, url: str, previous: Iterable, current: Iterable, *,
                    previous_age_days: int | None) -> ModelSetChange:
    """Compare; raise ``VanishedModelsError`` when a recent previous capture lost more than the allowed share.

    ``previous`` and ``current`` are price facts (or their series keys); ``previous_age_days`` is how many
    days before this capture the previous one was loaded (None: there is none, nothing to compare).
    """
    prev = previous if isinstance(previous, set) else series_keys(previous)
    cur = current if isinstance(current, set) else series_keys(current)
    blocking = previous_age_days is not None and previous_age_days <= MAX_PREVIOUS_AGE_DAYS
    change = compare(prev, cur, blocking=blocking)
    model_limit, series_limit = MAX_VANISHED_SHARE_BY_SOURCE.get(
        source_id, (MAX_VANISHED_MODEL_SHARE, MAX_VANISHED_SERIES_SHARE))
    if blocking and (change.model_share > model_limit or change.series_share > series_limit):
        raise VanishedModelsError(
            source_id, url,
            f"{change.summary()}, against the capture {previous_age_days} day(s) before (limits: "
            f"{model_limit:.0%} of models, {series_limit:.0%} of series): a cut or redesigned page, not loaded")
    return change
