"""Rule loading: the shipped file is valid, and every kind of mistake fails naming the file and rule."""

from __future__ import annotations

from decimal import Decimal

import pytest

from alerts.evaluate import EVALUATORS
from alerts.rules import RULE_KINDS, PriceCutRule, RuleConfigError, load_rules
from costcurve.config import PROJECT_ROOT

VALID = """
version: 1
rules:
  - id: big_cut
    kind: price_cut
    threshold_pct: 40
"""


def test_shipped_rules_file_has_the_demo_price_cut_rule():
    rules = load_rules(PROJECT_ROOT / "alerts" / "rules.yml")
    assert rules == (
        PriceCutRule(
            id="price_cut",
            kind="price_cut",
            description=rules[0].description,
            mart="fct_price_history",
            threshold_pct=Decimal(15),
            lookback_days=7,
        ),
    )


def test_defaults_apply_when_omitted(rules_file):
    (rule,) = load_rules(rules_file(VALID))
    assert rule.mart == "fct_price_history"
    assert rule.lookback_days == 7
    assert rule.threshold_pct == Decimal(40)


def test_typo_in_a_rule_is_rejected_naming_file_rule_and_key(rules_file):
    path = rules_file(VALID.replace("threshold_pct", "threshhold_pct"))
    with pytest.raises(RuleConfigError) as info:
        load_rules(path)
    message = str(info.value)
    assert str(path) in message
    assert "'big_cut'" in message
    assert "threshhold_pct" in message  # the unknown key
    assert "threshold_pct: Field required" in message  # and the consequence


def test_unknown_kind_is_rejected(rules_file):
    path = rules_file(VALID.replace("kind: price_cut", "kind: price_cutt"))
    with pytest.raises(RuleConfigError, match=r"rule 'big_cut': unknown kind 'price_cutt' \(known kinds: price_cut\)"):
        load_rules(path)


def test_rule_without_id_is_named_by_position(rules_file):
    path = rules_file("rules:\n  - kind: price_cut\n    threshold_pct: 20\n")
    with pytest.raises(RuleConfigError, match=r"rule 'rules\[0\]': id: Field required"):
        load_rules(path)


@pytest.mark.parametrize(
    ("line", "replacement", "expected"),
    [
        ("threshold_pct: 40", "threshold_pct: 0", "threshold_pct"),
        ("threshold_pct: 40", "threshold_pct: 150", "threshold_pct"),
        ("threshold_pct: 40", "threshold_pct: lots", "threshold_pct"),
        ("threshold_pct: 40", "threshold_pct: 40\n    lookback_days: 0", "lookback_days"),
        ("threshold_pct: 40", "threshold_pct: 40\n    mart: x; DROP TABLE y", "mart"),
        ("id: big_cut", "id: Big Cut", "id"),
    ],
)
def test_invalid_values_are_rejected(rules_file, line, replacement, expected):
    with pytest.raises(RuleConfigError, match=expected):
        load_rules(rules_file(VALID.replace(line, replacement)))


def test_typo_at_top_level_is_rejected(rules_file):
    path = rules_file(VALID.replace("rules:", "rulez:"))
    with pytest.raises(RuleConfigError, match=r"invalid rules file: rulez: Extra inputs are not permitted"):
        load_rules(path)


def test_duplicate_ids_are_rejected(rules_file):
    twice = VALID + "  - id: big_cut\n    kind: price_cut\n    threshold_pct: 20\n"
    with pytest.raises(RuleConfigError, match="rule 'big_cut': duplicate rule id"):
        load_rules(rules_file(twice))


def test_missing_file_and_bad_yaml_name_the_file(tmp_path, rules_file):
    missing = tmp_path / "nope.yml"
    with pytest.raises(RuleConfigError, match="nope.yml: cannot read alert rules"):
        load_rules(missing)
    with pytest.raises(RuleConfigError, match="bad.yml: not valid YAML"):
        load_rules(rules_file("rules: [\n", name="bad.yml"))


def test_empty_file_means_no_rules(rules_file):
    assert load_rules(rules_file("")) == ()


def test_lookback_can_be_disabled_explicitly(rules_file):
    (rule,) = load_rules(rules_file(VALID + "    lookback_days: null\n"))
    assert rule.lookback_days is None


def test_every_rule_kind_has_an_evaluator():
    assert set(RULE_KINDS) == set(EVALUATORS)
