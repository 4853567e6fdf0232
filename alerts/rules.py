"""Alert rules, read from a YAML file (``COSTCURVE_ALERT_RULES``, default ``alerts/rules.yml``).

Thresholds are product decisions that change more often than code, so they live in a file anyone can
edit. The file is validated strictly (``extra="forbid"``, unknown kinds rejected) because a misspelt
``threshhold_pct`` that silently fell back to a default would be an alert that never fires, and nobody
notices an alert that never fires. Every error names the file and the rule.

Adding a rule kind: write a ``_Rule`` subclass with ``kind: Literal["<kind>"]``, add it to
``RULE_KINDS`` and give it an evaluator in ``alerts.evaluate.EVALUATORS``.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

#: Rule ids end up in event ids and payloads: keep them boring.
RULE_ID_PATTERN = r"^[a-z][a-z0-9_]*$"
#: A mart is interpolated into SQL, so it must be a plain (optionally schema-qualified) identifier.
RELATION_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$"


class RuleConfigError(ValueError):
    """The rules file is missing, unreadable or invalid. The message names the file and the rule."""


class _Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=RULE_ID_PATTERN)
    description: str | None = None


class PriceCutRule(_Rule):
    """A price in a price-history mart dropped by at least ``threshold_pct`` versus its previous row.

    ``lookback_days`` bounds which changes count: only those whose ``valid_from`` lies in
    ``(as_of - lookback_days, as_of]``. Without it, a warehouse freshly rebuilt from years of history
    would page for every cut it ever saw. ``null`` means "all history up to as_of" (deliberate use only).
    """

    kind: Literal["price_cut"]
    mart: str = Field(default="fct_price_history", pattern=RELATION_PATTERN)
    threshold_pct: Decimal = Field(gt=0, le=100)
    lookback_days: int | None = Field(default=7, ge=1)


Rule = PriceCutRule  # becomes a Union as kinds are added
RULE_KINDS: dict[str, type[_Rule]] = {"price_cut": PriceCutRule}


class _RulesFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: Literal[1] = 1
    rules: list[dict] = Field(default_factory=list)


def load_rules(path: Path | str) -> tuple[Rule, ...]:
    """Read and validate every rule in ``path``; raise ``RuleConfigError`` on the first problem."""
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

    rules: list[Rule] = []
    seen: set[str] = set()
    for index, entry in enumerate(document.rules):
        name = entry.get("id") if isinstance(entry.get("id"), str) else f"rules[{index}]"
        kind = entry.get("kind")
        model = RULE_KINDS.get(kind) if isinstance(kind, str) else None
        if model is None:
            known = ", ".join(sorted(RULE_KINDS))
            raise RuleConfigError(f"{path}: rule {name!r}: unknown kind {kind!r} (known kinds: {known})")
        try:
            rule = model.model_validate(entry)
        except ValidationError as exc:
            raise RuleConfigError(f"{path}: rule {name!r}: {_explain(exc)}") from exc
        if rule.id in seen:
            raise RuleConfigError(f"{path}: rule {name!r}: duplicate rule id")
        seen.add(rule.id)
        rules.append(rule)
    return tuple(rules)


def _explain(exc: ValidationError) -> str:
    """One line per problem, ``field: message``, without echoing whole input documents."""
    parts = []
    for error in exc.errors(include_url=False, include_input=False):
        where = ".".join(str(p) for p in error["loc"]) or "(top level)"
        parts.append(f"{where}: {error['msg']}")
    return "; ".join(parts)
