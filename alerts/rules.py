"""Alert rules and receivers, read from a YAML file (``COSTCURVE_ALERT_RULES``, default ``alerts/rules.yml``).

Thresholds are product decisions that change more often than code, so they live in a file anyone can
edit. The file is validated strictly (``extra="forbid"``, unknown kinds rejected) because a misspelt
``threshhold`` that silently fell back to a default would be an alert that never fires, and nobody
notices an alert that never fires. Every error names the file, the rule and the key.

Two kinds of rule, both reading one metric (a mart, its value column, an equality filter, the columns
that key a series and the column that orders its periods):

- ``threshold``: a per-series state machine (inactive, pending, firing, resolved; see ``alerts.machine``)
  with an optional ``clear`` threshold (hysteresis) and a ``for`` count of consecutive periods;
- ``change``: every row of the mart whose value passes the comparator is one event (a price change is an
  event, it has no episode to resolve).
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

#: Rule ids end up in event ids and payloads: keep them boring.
RULE_ID_PATTERN = r"^[a-z][a-z0-9_]*$"
#: Marts and columns are interpolated into SQL (quoted), so they must be plain identifiers.
RELATION_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$"
IDENT_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]*$"
ENV_PATTERN = r"^[A-Z][A-Z0-9_]*$"
Ident = Annotated[str, Field(pattern=IDENT_PATTERN)]

#: What a message template may use: ``{value:.1%}``, ``{series[measurement_base]}``, ``{row[share_lower]}``.
TEMPLATE_FIELDS = frozenset(
    {"rule_id", "status", "severity", "value", "threshold", "clear", "comparator", "period", "series", "row"}
)

Comparator = Literal[">=", ">", "<=", "<"]


class RuleConfigError(ValueError):
    """The rules file is missing, unreadable or invalid. The message names the file, rule and key."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Metric(_Strict):
    """Where a rule's numbers come from: ``SELECT series..., period, value, carry... FROM mart WHERE filter``."""

    mart: str = Field(pattern=RELATION_PATTERN)
    value: Ident
    period: Ident
    series: tuple[Ident, ...] = ()
    filter: dict[Ident, str | int | bool] = Field(default_factory=dict)
    #: further columns copied into the payload's ``data`` (the numbers behind the value)
    carry: tuple[Ident, ...] = ()


class Receiver(_Strict):
    """A webhook endpoint. URL and secret come from the named environment variables, never from the file."""

    id: str = Field(pattern=RULE_ID_PATTERN)
    url_env: str = Field(pattern=ENV_PATTERN)
    secret_env: str | None = Field(default=None, pattern=ENV_PATTERN)
    format: Literal["standard", "slack"] = "standard"
    #: delivery rounds (one per run, each with in-run retries) before an event is dead-lettered
    max_attempts: int = Field(default=8, ge=1, le=100)


DEFAULT_RECEIVER = Receiver(
    id="default", url_env="COSTCURVE_ALERT_WEBHOOK_URL", secret_env="COSTCURVE_ALERT_WEBHOOK_SECRET"
)


class _Notifying(_Strict):
    """What every rule has: an id, who is told and how the message reads."""

    id: str = Field(pattern=RULE_ID_PATTERN)
    description: str | None = None
    severity: Literal["info", "warning", "critical"] = "warning"
    receivers: tuple[str, ...] = ("default",)
    message: str

    @model_validator(mode="after")
    def _template_is_usable(self):
        _check_template(self.message)
        return self


class _Rule(_Notifying):
    metric: Metric
    comparator: Comparator
    threshold: Decimal
    #: events about periods older than this many days before the run's day are recorded, not sent
    lookback_days: int = Field(default=7, ge=1)

    def passes(self, value: Decimal) -> bool:
        return _compare(value, self.comparator, self.threshold)


class ThresholdRule(_Rule):
    kind: Literal["threshold"]
    #: hysteresis: a firing series resolves only once the value is past ``clear`` (default: the threshold)
    clear: Decimal | None = None
    #: consecutive periods past the threshold before pending becomes firing
    for_periods: int = Field(default=1, ge=1, alias="for")

    @model_validator(mode="after")
    def _clear_is_on_the_safe_side(self):
        if self.clear is None:
            return self
        if self.comparator.startswith(">") and self.clear > self.threshold:
            raise ValueError(f"clear: must be <= threshold ({self.threshold}) for comparator {self.comparator!r}")
        if self.comparator.startswith("<") and self.clear < self.threshold:
            raise ValueError(f"clear: must be >= threshold ({self.threshold}) for comparator {self.comparator!r}")
        return self

    def clears(self, value: Decimal) -> bool:
        """Past the clear line, away from the threshold: ``>= 0.25`` with clear 0.24 clears below 0.24."""
        clear = self.threshold if self.clear is None else self.clear
        opposite = {">=": "<", ">": "<=", "<=": ">", "<": ">="}[self.comparator]
        return _compare(value, opposite, clear)


class ChangeRule(_Rule):
    kind: Literal["change"]


class StaleSourceRule(_Notifying):
    """A source with no successful capture (``raw.fetches``, HTTP 2xx/3xx) for N days fires; a fresh capture
    resolves it. N comes from the source's cadence in the registry: ``stale_after_days`` maps a cadence's
    first word (``daily``, ...) to N; sources whose cadence is not listed are not checked. The value is
    whole days since the last successful capture's partition day; a source never captured has no value
    (its state is frozen, as for any absent data)."""

    kind: Literal["stale_source"]
    stale_after_days: dict[str, Annotated[int, Field(ge=1)]] = Field(min_length=1)
    lookback_days: int = Field(default=7, ge=1)


class GateFailedRule(_Notifying):
    """A blocking quality gate failed. A failed gate skips everything after it, alerts included, so this
    rule is not evaluated after the marts: a run-failure sensor hands the failed gates to
    ``alerts.gates.record_gate_failures``. One event per failed gate and run (nothing to resolve)."""

    kind: Literal["gate_failed"]
    severity: Literal["info", "warning", "critical"] = "critical"


Rule = ThresholdRule | ChangeRule | StaleSourceRule | GateFailedRule
RULE_KINDS: dict[str, type[BaseModel]] = {
    "threshold": ThresholdRule, "change": ChangeRule, "stale_source": StaleSourceRule, "gate_failed": GateFailedRule,
}


def _check_template(message: str) -> None:
    try:
        fields = [name for _, name, _, _ in string.Formatter().parse(message) if name is not None]
    except ValueError as exc:
        raise ValueError(f"message: not a valid template: {exc}") from None
    for name in fields:
        root = re.split(r"[.\[]", name, maxsplit=1)[0]
        if root not in TEMPLATE_FIELDS:
            raise ValueError(f"message: unknown field {{{name}}} (use {', '.join(sorted(TEMPLATE_FIELDS))})")


@dataclass(frozen=True)
class AlertConfig:
    rules: tuple[Rule, ...]
    receivers: dict[str, Receiver]


class _RulesFile(_Strict):
    version: Literal[2]
    receivers: list[dict] = Field(default_factory=list)
    rules: list[dict] = Field(default_factory=list)


def _compare(value: Decimal, comparator: str, threshold: Decimal) -> bool:
    return {
        ">=": value >= threshold, ">": value > threshold, "<=": value <= threshold, "<": value < threshold
    }[comparator]


def load_config(path: Path | str) -> AlertConfig:
    """Read and validate the rules and receivers in ``path``; raise ``RuleConfigError`` on the first problem."""
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise RuleConfigError(f"{path}: cannot read alert rules: {exc.strerror or exc}") from exc
    except yaml.YAMLError as exc:
        raise RuleConfigError(f"{path}: not valid YAML: {exc}") from exc
    try:
        document = _RulesFile.model_validate(raw if raw is not None else {})
    except ValidationError as exc:
        raise RuleConfigError(f"{path}: invalid rules file: {_explain(exc)}") from exc

    receivers = {DEFAULT_RECEIVER.id: DEFAULT_RECEIVER}
    for index, entry in enumerate(document.receivers):
        name = _name(entry, "receivers", index)
        try:
            receiver = Receiver.model_validate(entry)
        except ValidationError as exc:
            raise RuleConfigError(f"{path}: receiver {name!r}: {_explain(exc)}") from exc
        receivers[receiver.id] = receiver

    rules: list[Rule] = []
    seen: set[str] = set()
    for index, entry in enumerate(document.rules):
        name = _name(entry, "rules", index)
        kind = entry.get("kind") if isinstance(entry, dict) else None
        model = RULE_KINDS.get(kind) if isinstance(kind, str) else None
        if model is None:
            known = ", ".join(sorted(RULE_KINDS))
            raise RuleConfigError(f"{path}: rule {name!r}: kind: unknown kind {kind!r} (known kinds: {known})")
        try:
            rule = model.model_validate(entry)
        except ValidationError as exc:
            raise RuleConfigError(f"{path}: rule {name!r}: {_explain(exc)}") from exc
        if rule.id in seen:
            raise RuleConfigError(f"{path}: rule {name!r}: id: duplicate rule id")
        unknown = [r for r in rule.receivers if r not in receivers]
        if unknown:
            raise RuleConfigError(
                f"{path}: rule {name!r}: receivers: unknown receiver(s) {', '.join(unknown)} "
                f"(known: {', '.join(sorted(receivers))})"
            )
        seen.add(rule.id)
        rules.append(rule)
    return AlertConfig(rules=tuple(rules), receivers=receivers)


def load_rules(path: Path | str) -> tuple[Rule, ...]:
    return load_config(path).rules


def _name(entry: object, section: str, index: int) -> str:
    if isinstance(entry, dict) and isinstance(entry.get("id"), str):
        return entry["id"]
    return f"{section}[{index}]"


def _explain(exc: ValidationError) -> str:
    """One line per problem, ``key: message``, without echoing whole input documents."""
    parts = []
    for error in exc.errors(include_url=False, include_input=False):
        where = ".".join(str(p) for p in error["loc"]) or "(top level)"
        message = error["msg"].removeprefix("Value error, ")
        parts.append(message if error["loc"] == () else f"{where}: {message}")
    return "; ".join(parts)
