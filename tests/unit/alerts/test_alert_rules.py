"""Rule loading: the shipped file is valid, and every kind of mistake fails naming the file, rule and key."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from alerts.rules import DEFAULT_RECEIVER, ChangeRule, RuleConfigError, ThresholdRule, load_config, load_rules
from costcurve.config import PROJECT_ROOT

VALID = """
version: 2
rules:
  - id: share_high
    kind: threshold
    metric:
      mart: mart_open_weight_share
      value: share_point
      period: period_start
      series: [measurement_base]
      filter: {period_grain: day}
    comparator: ">="
    threshold: 0.25
    clear: 0.24
    for: 2
    message: "share {value} on {period} ({series[measurement_base]})"
"""


def test_shipped_rules_cover_the_issue_rules_the_marts_support():
    cfg = load_config(PROJECT_ROOT / "alerts" / "rules.yml")
    by_id = {r.id: r for r in cfg.rules}
    assert set(by_id) == {"open_weight_share_25", "open_weight_share_lower_25", "price_cut_50", "price_rise_25",
                          "frontier_open_gap_2x", "source_stale", "gate_failed"}
    assert by_id["source_stale"].stale_after_days == {"daily": 3}
    share = by_id["open_weight_share_25"]
    assert isinstance(share, ThresholdRule)
    assert (share.metric.mart, share.metric.value, share.metric.series) == (
        "mart_open_weight_share", "share_point", ("measurement_base",))
    assert (share.comparator, share.threshold, share.clear) == (">=", Decimal("0.25"), Decimal("0.24"))
    assert by_id["open_weight_share_lower_25"].metric.value == "share_lower"
    cut, rise = by_id["price_cut_50"], by_id["price_rise_25"]
    assert isinstance(cut, ChangeRule) and cut.metric.mart == "fct_price_changes"
    assert (cut.comparator, cut.threshold, rise.comparator, rise.threshold) == ("<=", -50, ">=", 25)
    gap = by_id["frontier_open_gap_2x"]
    assert (gap.metric.mart, gap.metric.value, gap.metric.filter) == (
        "mart_frontier_open_gap", "gap_ratio", {"measure": "blended"})
    assert cfg.receivers == {"default": DEFAULT_RECEIVER}


def test_valid_rule_and_its_defaults(rules_file):
    (rule,) = load_rules(rules_file(VALID))
    assert rule.for_periods == 2
    assert rule.receivers == ("default",)
    assert rule.severity == "warning"
    assert rule.lookback_days == 7


def _error(rules_file, text: str, name: str = "rules.yml") -> str:
    path = rules_file(text, name=name)
    with pytest.raises(RuleConfigError) as info:
        load_rules(path)
    message = str(info.value)
    assert str(path) in message
    return message


def test_typo_in_a_rule_names_file_rule_and_key(rules_file):
    message = _error(rules_file, VALID.replace("threshold:", "threshhold:"))
    assert "rule 'share_high'" in message
    assert "threshhold: Extra inputs are not permitted" in message
    assert "threshold: Field required" in message


def test_typo_in_a_nested_metric_key_names_the_path(rules_file):
    message = _error(rules_file, VALID.replace("series:", "serie:"))
    assert "rule 'share_high': metric.serie: Extra inputs are not permitted" in message


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("kind: threshold", "kind: treshold", r"kind: unknown kind 'treshold' \(known kinds: change, gate_failed, stale_source, threshold\)"),
        ('comparator: ">="', 'comparator: "=>"', "comparator: Input should be"),
        ("clear: 0.24", "clear: 0.26", r"clear: must be <= threshold \(0.25\)"),
        ("for: 2", "for: 0", "for: Input should be greater than or equal to 1"),
        ("threshold: 0.25", "threshold: lots", "threshold: "),
        ("mart: mart_open_weight_share", "mart: x; DROP TABLE y", "metric.mart: String should match"),
        ("value: share_point", 'value: "share_point) OR (1=1"', "metric.value: String should match"),
        ("{series[measurement_base]}", "{base}", r"message: unknown field \{base\}"),
        ("{period}", "{period", "message: not a valid template"),
        ("id: share_high", "id: Share High", "id: String should match"),
    ],
)
def test_each_mistake_gets_its_own_message(rules_file, old, new, expected):
    assert old in VALID
    message = _error(rules_file, VALID.replace(old, new))
    assert "rule 'share_high'" in message or "rule 'Share High'" in message
    assert re.search(expected, message), message


def test_unknown_receiver_is_named(rules_file):
    message = _error(rules_file, VALID + "    receivers: [default, pager]\n")
    assert "rule 'share_high': receivers: unknown receiver(s) pager (known: default)" in message


def test_receivers_are_validated_and_named(rules_file):
    text = VALID.replace("rules:", "receivers:\n  - id: pager\n    url_env: lowercase\nrules:")
    assert "receiver 'pager': url_env: String should match" in _error(rules_file, text)


def test_rule_without_id_is_named_by_position(rules_file):
    text = "version: 2\nrules:\n  - kind: change\n"
    assert "rule 'rules[0]': id: Field required" in _error(rules_file, text)


def test_top_level_typos_and_old_versions_are_rejected(rules_file):
    assert "invalid rules file: rulez: Extra inputs are not permitted" in _error(
        rules_file, VALID.replace("rules:", "rulez:"))
    assert "version: Input should be 2" in _error(rules_file, VALID.replace("version: 2", "version: 1"))


def test_duplicate_ids_are_rejected(rules_file):
    rule = VALID.split("rules:\n", 1)[1]
    assert "rule 'share_high': id: duplicate rule id" in _error(rules_file, VALID + rule)


def test_missing_file_and_bad_yaml_name_the_file(tmp_path, rules_file):
    with pytest.raises(RuleConfigError, match="nope.yml: cannot read alert rules"):
        load_rules(tmp_path / "nope.yml")
    assert "not valid YAML" in _error(rules_file, "rules: [\n", name="bad.yml")


def test_clear_threshold_and_comparators():
    rule = ThresholdRule.model_validate(
        {"id": "r", "kind": "threshold", "metric": {"mart": "m", "value": "v", "period": "p"},
         "comparator": "<=", "threshold": 2, "clear": "2.2", "message": "x"})
    assert rule.passes(Decimal(2)) and not rule.passes(Decimal("2.01"))
    assert not rule.clears(Decimal("2.2")) and rule.clears(Decimal("2.21"))  # clear when > 2.2


def test_stale_source_rule_needs_a_cadence_map(rules_file):
    text = "version: 2\nrules:\n  - id: stale\n    kind: stale_source\n    stale_after_days: {}\n    message: x\n"
    assert "rule 'stale': stale_after_days: Dictionary should have at least 1 item" in _error(rules_file, text)
    text = text.replace("{}", "{daily: 0}")
    assert "stale_after_days.daily: Input should be greater than or equal to 1" in _error(rules_file, text)
