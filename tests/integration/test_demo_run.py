"""`make demo` as a fresh clone runs it: every real demo day through the daily job, then the dated
histories (backfill) and a rebuild, into a private warehouse; then the last day again.

The assertions are about truth, not counts: history reaches back to 2023, usage covers 30 days, capex
reaches 2026-Q2, and every price change the warehouse shows is dated by the evidence for it.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import duckdb
import pytest
from demo_queries import query

from scrapers.collect import REPO_SCHEME, replay_path
from scrapers.registry import SOURCES

pytestmark = pytest.mark.integration

FACT_KEY = ("provider_id", "model_id", "token_type", "service_tier", "context_band", "modality", "currency")



def test_demo_days_are_real_capture_dates_from_2024_to_2026(demo):
    days = demo["days"]
    assert days[0] <= date(2024, 12, 31) and days[-1] >= date(2026, 1, 1)
    assert demo["exit_code"] == 0


def test_every_day_succeeds_with_all_checks_passing(demo):
    assert demo["exit_code"] == 0
    assert demo["rerun"].success and not demo["rerun"].checks_failed, demo["rerun"].errors


def test_price_history_starts_in_2023_or_earlier(demo):
    (first,) = query(demo, "SELECT min(valid_from) FROM fct_price_history")[0]
    assert first <= date(2023, 12, 31)


def test_usage_covers_at_least_30_consecutive_days(demo):
    days = [r[0] for r in query(demo, "SELECT DISTINCT usage_date FROM raw.usage_facts ORDER BY 1")]
    longest, run = 1, 1
    for before, after in zip(days, days[1:], strict=False):
        run = run + 1 if after - before == timedelta(days=1) else 1
        longest = max(longest, run)
    assert longest >= 30, days


def test_capex_reaches_calendar_2026_q2_for_all_five_companies(demo):
    rows = dict(query(demo, """
        SELECT company, max(period_end) FROM fct_capex_quarterly WHERE component = 'capex' GROUP BY 1"""))
    assert set(rows) == {"MSFT", "GOOGL", "AMZN", "META", "ORCL"}
    # Oracle's fiscal 2026 ends 2026-05-31; the other four report the quarter ending 2026-06-30
    assert all(end >= date(2026, 5, 31) for end in rows.values()), rows


def _capture_days(demo, source_id: str) -> set[date]:
    return {r[0] for r in query(demo, "SELECT DISTINCT partition_date FROM raw.fetches WHERE source_id = ?",
                                [source_id])}


def _facts_on(demo, source_id: str, day: date) -> list:
    """The price facts the source's parser reads from the demo capture(s) of that day."""
    from scrapers.collect import REPLAY_FETCH_TIME
    from scrapers.records import CaptureMeta

    source = SOURCES[source_id]
    facts = []
    for target in source.targets:
        path = replay_path(demo["box"].replay_dir, day, source_id, target.key)
        meta = CaptureMeta(source_id, target.url, datetime.combine(day, REPLAY_FETCH_TIME), "0" * 64)
        facts.extend(source.parser.parse(path.read_bytes(), meta).prices)
    return facts


def _history_facts(demo, source_id: str) -> list:
    """The dated facts the backfill read: every target's newest capture of the history source."""
    from costcurve.backfill import latest_prices
    from scrapers.archive import RawArchive

    prices, _ = latest_prices(SOURCES[source_id], RawArchive(demo["box"].archive), demo["box"].replay_dir)
    return prices


def _shows(facts, key: tuple, price: Decimal, valid_from: date | None = None) -> bool:
    return any(
        tuple(getattr(f, c) for c in FACT_KEY) == key
        and f.price_per_mtok == price
        and (valid_from is None or f.valid_from == valid_from)
        for f in facts
    )


def test_every_price_change_is_dated_by_its_evidence(demo):
    """Each change in fct_price_history (a row with a predecessor) is checked against what dates it:
    on a day with a capture of the source, the old price is in the capture of previous_observed_date and
    the new one in the capture of first_observed_date, and a first-seen change is dated on the capture
    that first shows it; on a day the backfill wrote, the source's dated history states that price from
    that very date with that basis."""
    changes = query(demo, f"""
        SELECT h.source_id, {', '.join('h.' + c for c in FACT_KEY)}, p.price_per_mtok, h.price_per_mtok,
               h.valid_from, h.valid_from_basis, h.first_observed_date, h.previous_observed_date, p.valid_from
        FROM fct_price_history h
        JOIN fct_price_history p
          ON p.valid_to = h.valid_from AND p.source_id = h.source_id
         AND {' AND '.join(f'p.{c} = h.{c}' for c in FACT_KEY)}
        ORDER BY 1, 3, 4, h.valid_from""")
    assert changes, "the demo shows no price change at all"
    captured: dict[str, set[date]] = {}
    parsed: dict[tuple, list] = {}

    def evidence(source_id: str, day: date) -> tuple[bool, list]:
        """(was the source captured that day, the facts that speak for that day)."""
        days = captured.setdefault(source_id, _capture_days(demo, source_id))
        if day in days:
            return True, parsed.setdefault((source_id, day), _facts_on(demo, source_id, day))
        return False, parsed.setdefault((source_id, None), _history_facts(demo, source_id))

    wrong = []
    for source_id, *rest in changes:
        key, (old, new, valid_from, basis, first_day, previous_day, old_from) = tuple(rest[:7]), rest[7:]
        was_captured, facts = evidence(source_id, first_day)
        if was_captured:  # our capture shows the new price; unless the source dates it, that day dates it
            ok = _shows(facts, key, new) and (basis == "effective" or valid_from == first_day)
        else:  # a backfilled day: the dated history states this price from this date, with this basis
            ok = _shows(facts, key, new, valid_from) and any(
                f.valid_from == valid_from and f.valid_from_basis == basis for f in facts)
        old_captured, old_facts = evidence(source_id, previous_day)
        ok = ok and _shows(old_facts, key, old, None if old_captured else old_from)
        if not ok:
            wrong.append((source_id, key, old, new, valid_from, basis, previous_day, first_day))
    assert not wrong, f"{len(wrong)} of {len(changes)} changes are not dated by their evidence: {wrong[:5]}"


def test_rerun_of_the_last_day_is_idempotent_and_sends_nothing(demo):
    assert demo["second"] == demo["first"]
    assert demo["first"]["raw.price_facts"] > 0 and demo["first"]["main.fct_capex_quarterly"] > 0
    assert demo["posts_after_rerun"] == demo["posts_after_first"]
    assert len({b["id"] for b in demo["bodies"]}) == len(demo["bodies"])  # no event delivered twice


def test_demo_fires_the_25pct_share_rule_into_the_sink(demo):
    """The demo's first usage day is past 25%, so the walk fires there; the share never falls below the
    24% clear line afterwards, so there is one firing event and no resolved one."""
    share = [b for b in demo["bodies"] if b.get("rule_id") == "open_weight_share_25"]
    assert [b["status"] for b in share] == ["firing"]
    assert share[0]["series"]["measurement_base"].startswith("openrouter:")
    con = duckdb.connect(str(demo["box"].warehouse), read_only=True)
    try:
        first_day, value = con.execute(
            "SELECT period_start, share_point FROM mart_open_weight_share WHERE period_grain = 'day' "
            "ORDER BY period_start LIMIT 1").fetchone()
        lowest = con.execute("SELECT min(share_point) FROM mart_open_weight_share WHERE period_grain = 'day'").fetchone()[0]
    finally:
        con.close()
    assert value >= Decimal("0.25")  # so the walk fires on the very first day
    assert lowest >= Decimal("0.24")  # and never clears
    assert (share[0]["period"], Decimal(share[0]["value"])) == (first_day.isoformat(), value)
    assert share[0]["data"]["citation"].startswith("Source: OpenRouter")


def test_archive_holds_one_file_per_distinct_capture(demo):
    from costcurve.config import PROJECT_ROOT

    box = demo["box"]
    distinct = set()
    for day in demo["days"]:
        for source in SOURCES.values():
            for target in source.targets:
                if target.url.startswith(REPO_SCHEME):
                    distinct.add((PROJECT_ROOT / target.url.removeprefix(REPO_SCHEME)).read_bytes())
                    continue
                path = replay_path(box.replay_dir, day, source.source_id, target.key)
                if path.is_file():
                    distinct.add(path.read_bytes())
    assert len(list((box.archive / "objects").glob("*/*.gz"))) == len(distinct)


def test_analyst_copy_is_published_and_queryable(demo):
    from warehouse.connection import analyst

    with analyst(demo["box"].published) as con:
        published = con.execute("SELECT count(*) FROM fct_price_history").fetchone()[0]
        assert published == demo["second"]["main.fct_price_history"]
        with pytest.raises(duckdb.Error):
            con.execute("DROP TABLE fct_price_history")


# Identity targets (issue 7, "The economics"). The shares are computed here from the marts' rows, not read
# from a mart that computes them, so a wrong rule in the mart cannot hide a wrong share.
UNMATCHED_MAX = 0.02       # names no rule resolves: under 2% of a demo day's price rows
OPEN_WEIGHTS_TARGET = 0.95  # open_weights known for priced models and for named usage tokens
# Measured on the demo build of 2026-12-02 after the evidence review: 911 of 1,050 priced models
# (911 / 1,050 = 86.8%) and 67.3% of named tokens have a known open_weights. The floors sit just below, so
# an identity or evidence regression fails here while the 95% target is still out of reach (the tests
# marked xfail below say what evidence is missing).
PRICED_KNOWN_FLOOR = 0.86
TOKENS_KNOWN_FLOOR = 0.67


def _unmatched_share_by_day(demo) -> dict[date, tuple[int, int]]:
    rows = query(demo, """
        SELECT observed_date, count(*), count(*) FILTER (WHERE canonical_model_id IS NULL)
        FROM fct_price_observations GROUP BY 1""")
    return {day: (total, unmatched) for day, total, unmatched in rows}


def test_unmatched_model_names_stay_under_2pct_of_price_rows_on_every_demo_day(demo):
    by_day = _unmatched_share_by_day(demo)
    priced_days = [d for d in demo["days"] if d in by_day]
    # the demo days that carry price rows (2024-04-01 ... 2026-08-21; usage and SEC days carry none)
    assert len(priced_days) >= 10, priced_days
    over = {d: by_day[d] for d in priced_days if by_day[d][1] / by_day[d][0] >= UNMATCHED_MAX}
    assert not over, f"unmatched (rows, unmatched) at or over 2% on: {over}"


def test_names_the_rules_resolve_are_not_listed_as_unmatched(demo):
    # Epoch's `Cohere Command Light` and `Reka Core`, LiteLLM's Bedrock `deepseek.v3-v1:0`: resolved by
    # the glued-creator rule, the `reka` prefix and the Bedrock version rule (macros/model_identity.sql)
    rows = dict(query(demo, """
        SELECT name, canonical_model_id FROM intermediate.int_model_identity
        WHERE name IN ('cohere command light', 'reka core', 'deepseek.v3-v1:0', 'deepseek-v3')"""))
    assert rows == {"cohere command light": "cohere/command-light", "reka core": "reka/reka-core",
                    "deepseek.v3-v1:0": "deepseek/deepseek-v3", "deepseek-v3": "deepseek/deepseek-v3"}


def _priced_models_known(demo) -> tuple[int, int]:
    ((known, priced),) = query(demo, """
        SELECT count(*) FILTER (WHERE d.open_weights IS NOT NULL), count(*)
        FROM (SELECT DISTINCT model_id FROM fct_market_prices) p LEFT JOIN dim_models d USING (model_id)""")
    return known, priced


def _named_tokens_known(demo) -> float:
    # every day once (the day grain): (open + closed) / (open + closed + unknown) summed over the days
    ((share,),) = query(demo, """
        SELECT sum(open_weight_tokens + closed_tokens) / sum(open_weight_tokens + closed_tokens + unknown_tokens)
        FROM mart_open_weight_share WHERE period_grain = 'day'""")
    return share


def test_open_weights_known_for_priced_models_does_not_regress(demo):
    known, priced = _priced_models_known(demo)
    assert priced > 1000 and known / priced >= PRICED_KNOWN_FLOOR, (known, priced)


def test_open_weights_known_for_named_usage_tokens_does_not_regress(demo):
    assert _named_tokens_known(demo) >= TOKENS_KNOWN_FLOOR


@pytest.mark.xfail(strict=True, reason="no stored evidence yet for 139 priced models (legacy Together and "
                   "Fireworks hosts, Mistral's dated ids, Cohere's legacy Command, ...): see the identity report")
def test_open_weights_known_for_95pct_of_priced_models(demo):
    known, priced = _priced_models_known(demo)
    assert known / priced >= OPEN_WEIGHTS_TARGET, (known, priced)


@pytest.mark.xfail(strict=True, reason="no stored capture states open_weights for xiaomi/mimo-v2.5, "
                   "tencent/hy3 or stepfun/step-3.7-flash (about 29% of named tokens)")
def test_open_weights_known_for_95pct_of_named_usage_tokens(demo):
    assert _named_tokens_known(demo) >= OPEN_WEIGHTS_TARGET


def test_the_content_gates_quarantine_exactly_the_demo_rows_the_readme_names(demo):
    # README "Content gates and quarantine": LiteLLM's wandb rows priced per token (5), Gemini's self-contradicting
    # batch cache reads (3), OpenRouter's glm-5.2 :batch dearer than its base (3). A dated cut listed beside the
    # old price, or two entries of one model, must not be among them.
    rows = query(demo, "SELECT rule, source_id, count(*) FROM raw.quarantine GROUP BY ALL")
    assert {(rule, source): n for rule, source, n in rows} == {
        ("price_cap", "litellm"): 5, ("batch_above_standard", "gemini"): 3,
        ("batch_above_standard", "openrouter_models"): 3}
