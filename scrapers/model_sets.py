"""Which price series and models a capture lost against the source's previous capture.

A page cut exactly at a line end, or one that silently dropped a section, still parses: only the
comparison with what the source said last time shows it. Comparing price *series* (model, token type,
tier, context band, modality, currency; ``valid_from`` left out, so a dated change is not a loss) catches
a lost batch or long-context table even when every model is still listed; the vanished *models* are what
a person reads.

The rule (README "Truncated captures and vanished models"):

* every vanished model is reported by name (asset metadata, run log, the drift message);
* a capture that lost more than ``MAX_VANISHED_SHARE`` of the previous capture's price series (per source
  in ``MAX_VANISHED_SHARE_BY_SOURCE``) is layout drift: the day is not loaded;
* the previous capture is only a yardstick when it is recent: older than ``MAX_PREVIOUS_AGE_DAYS``, a
  provider may really have retired many models since, so the loss is reported and never blocks.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from scrapers.errors import LayoutDriftError

__all__ = ["MAX_PREVIOUS_AGE_DAYS", "MAX_VANISHED_SHARE", "ModelSetChange", "VanishedModelsError",
           "check_model_set", "compare", "series_keys"]

#: share of the previous capture's price series a capture may lose before the loss is drift. A provider
#: retiring a model or two from a page of dozens stays under it; a page cut in half, or missing its batch
#: table, does not. 5%: Anthropic's page (78 series) may lose three, OpenAI's (349) seventeen.
MAX_VANISHED_SHARE = 0.05
#: per-source overrides, for feeds whose normal day-to-day churn is larger (none needed yet)
MAX_VANISHED_SHARE_BY_SOURCE: dict[str, float] = {}
#: a previous capture older than this (days) is compared and reported, never used to block a load
MAX_PREVIOUS_AGE_DAYS = 14

#: (provider_id, model_id, token_type, service_tier, context_band, modality, currency)
SeriesKey = tuple[str, str, str, str, str, str, str]


class VanishedModelsError(LayoutDriftError):
    """A capture lost more than the allowed share of its previous capture's price series."""


@dataclass(frozen=True)
class ModelSetChange:
    previous_series: int
    vanished_series: tuple[SeriesKey, ...]
    vanished_models: tuple[str, ...]
    #: False when the previous capture was too old to block on (reported only)
    blocking: bool

    @property
    def vanished_share(self) -> float:
        return len(self.vanished_series) / self.previous_series if self.previous_series else 0.0

    def summary(self) -> str:
        return (f"{len(self.vanished_series)} of {self.previous_series} price series vanished "
                f"({self.vanished_share:.0%}); models gone: {', '.join(self.vanished_models) or 'none'}")


def series_keys(prices: Iterable) -> set[SeriesKey]:
    """Series of price facts (``PriceFact`` objects or dicts with the same fields)."""
    fields = ("provider_id", "model_id", "token_type", "service_tier", "context_band", "modality", "currency")
    keys = set()
    for price in prices:
        get = price.get if isinstance(price, dict) else lambda name, p=price: getattr(p, name)
        keys.add(tuple(str(get(name)) for name in fields))
    return keys


def compare(previous: set[SeriesKey], current: set[SeriesKey], *, blocking: bool = True) -> ModelSetChange:
    vanished = tuple(sorted(previous - current))
    models_now = {(k[0], k[1]) for k in current}
    gone = sorted({f"{k[0]}/{k[1]}" for k in previous if (k[0], k[1]) not in models_now})
    return ModelSetChange(len(previous), vanished, tuple(gone), blocking)


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
    limit = MAX_VANISHED_SHARE_BY_SOURCE.get(source_id, MAX_VANISHED_SHARE)
    if blocking and change.vanished_share > limit:
        raise VanishedModelsError(
            source_id, url,
            f"{change.summary()}: over {limit:.0%} of the capture {previous_age_days} day(s) before; "
            f"a cut or redesigned page, not loaded")
    return change
