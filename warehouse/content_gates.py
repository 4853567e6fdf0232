"""Content gates: SQL rules on a source's rows for the day, run inside that source's load transaction.

A row that breaks a rule never reaches the raw tables dbt reads: it goes to ``raw.quarantine`` with the rule,
the reason, the capture's sha256, the URL and the row itself as JSON. Two actions:

- **rejected**: the row is wrong as published or as parsed (over the price cap, negative, cache read dearer
  than input, batch dearer than standard, a long-context band cheaper than its base). It stays out until the
  source or the parser changes; it cannot be released.
- **held**: the row may be right but is too surprising to publish unseen (a day-over-day move over 10x, or a
  whole day far below the source's usual row count). ``costcurve release ID --reason ...`` records who let it
  through and why; the next run or replay of that day loads it.

Rows are judged one by one and the rest of the source's day loads (one bad row on a 500-row page must not
stop the other 499). The row-count floor is the exception: a page that shrank to a fraction of its usual
size is a page we cannot trust at all, so the whole day of that source is held and ``ContentGateError``
is raised after the quarantine is committed.

The quarantine slice of (source, day) is replaced on every load, like the raw tables, so a re-run gives
the same quarantine. Quarantine ids are a hash of what the row says (not of when it was fetched), so a
release survives a re-run and a changed price gets a new id that must be released again.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import duckdb

#: Most a price per 1M tokens may be, per currency. A product setting, not a fact about the market: it sits
#: above every price in the real captures we hold (the dearest in the demo captures is USD 600/M, see the
#: README's "Content gates and quarantine"), so a price over it is a unit slip (per token or per 1K read as
#: per 1M) or an upstream error, such as LiteLLM's wandb/* rows at 0.005-0.01 USD per token.
#: EUR shares USD's cap; CNY's is 7.5x it (roughly the CNY/USD rate), so one cap means one thing everywhere.
PRICE_CAPS: dict[str, Decimal] = {"USD": Decimal(2000), "EUR": Decimal(2000), "CNY": Decimal(15000)}

#: A price that moves by more than this factor (up or down) against the last loaded price of the same
#: series is held: a misplaced decimal point or a unit read wrong moves a price 10x, 100x or 1000x, and
#: exactly 10x still loads (the rule says "over").
MOVE_FACTOR = Decimal(10)

#: The row-count floor: a day with fewer records than this share of the median of the source's previous
#: FLOOR_WINDOW_DAYS loaded days is held, once at least FLOOR_MIN_DAYS such days exist (a new source has
#: no "usual" size yet).
FLOOR_SHARE = Decimal("0.5")
FLOOR_WINDOW_DAYS = 7
FLOOR_MIN_DAYS = 3

#: rules whose rows can be released by `costcurve release`
HELD_RULES = ("day_over_day_move", "row_count_floor")


class ContentGateError(RuntimeError):
    """A source's whole day was held by a content gate (the row-count floor); see raw.quarantine."""


# The series a price belongs to: what must match for two prices to be "the same price on another day".
_SERIES = ("provider_id", "model_id", "token_type", "service_tier", "context_band", "modality", "currency")
_SERIES_COLS = ", ".join(_SERIES)
_SERIES_KEY = " || '|' || ".join(f"p.{c}" for c in _SERIES)

def _num(column: str) -> str:
    """A DECIMAL as a person writes it in a reason: 5000, 0.3 (not 5000.000000000000000000)."""
    return f"rtrim(rtrim(CAST({column} AS VARCHAR), '0'), '.')"


# The rules that compare two prices of one capture compare only prices in effect together (their [valid_from,
# valid_to) intervals overlap; no date = unbounded): a dated source (genai-prices, llm-prices, LiteLLM's history)
# lists a model's old price beside its cut, and GPT-5.6 Luna's >272k input from 2026-07-30 (0.40) is not cheaper
# than its base band: the base from that date is 0.20, not the 1 it replaced (genai-prices' data_v2.json).
# A cache read and its input, a band and its base, come from one published entry (``model_name``): LiteLLM
# lists `gemini-exp-1206` (input 0.30 from 2026-02-13, cache read 0.03) beside `gemini/gemini-exp-1206` (input 0
# since 2025-02-06), two entries of one model that are not one price list. A batch price may be an entry of its
# own (OpenRouter's `z-ai/glm-5.2:batch`), so that rule matches on the model alone.
_SAME_DATES = ("coalesce({a}.valid_from, DATE '-infinity') < coalesce({b}.valid_to, DATE 'infinity') "
               "AND coalesce({b}.valid_from, DATE '-infinity') < coalesce({a}.valid_to, DATE 'infinity')")

# A row ``t`` is in effect on its own day (``partition_date``) when that day lies in [valid_from, valid_to); no
# date = unbounded. The move rule compares only prices in effect: a page that lists today's price beside an
# announced one (valid_from ahead) or beside the history it replaced (valid_to behind) holds several prices of
# one series on one day, and only one of them is the price that day. History rows and announced prices are
# judged by the reject rules; an announced price meets the move rule on the day it takes effect.
_IN_EFFECT = ("coalesce({t}.valid_from, DATE '-infinity') <= {t}.partition_date "
              "AND {t}.partition_date < coalesce({t}.valid_to, DATE 'infinity')")

# One SELECT per price rule over the incoming rows ``p`` (this source, this day). Each yields the rowid of
# the offending row and a reason a person can act on. Lower priority wins when a row breaks several rules.
_PRICE_RULES: list[tuple[int, str, str, str]] = [
    (
        1, "negative_price", "rejected",
        f"""SELECT p.rowid AS rid, 'price ' || {_num('p.price_per_mtok')} || ' ' || p.currency || '/M is negative' AS reason
           FROM incoming p WHERE p.price_per_mtok < 0""",
    ),
    (
        2, "price_cap", "rejected",
        f"""SELECT p.rowid AS rid,
                  'price ' || {_num('p.price_per_mtok')} || ' ' || p.currency || '/M is above the cap of ' || c.cap
                  || ' (raw value ' || p.raw_value || ' ' || p.unit_as_published || ')' AS reason
           FROM incoming p JOIN caps c USING (currency) WHERE p.price_per_mtok > c.cap""",
    ),
    (
        3, "cache_read_above_input", "rejected",
        f"""SELECT p.rowid AS rid,
                  'cache read ' || {_num('p.price_per_mtok')} || ' is dearer than input ' || {_num('i.price_per_mtok')} AS reason
           FROM incoming p JOIN incoming i
             ON i.provider_id = p.provider_id AND i.model_id = p.model_id AND i.service_tier = p.service_tier
            AND i.context_band = p.context_band AND i.modality = p.modality AND i.currency = p.currency
            AND i.token_type = 'input' AND i.model_name = p.model_name AND {_SAME_DATES.format(a='i', b='p')}
           WHERE p.token_type = 'cache_read' AND p.price_per_mtok > i.price_per_mtok""",
    ),
    (
        4, "batch_above_standard", "rejected",
        f"""SELECT p.rowid AS rid,
                  'batch ' || {_num('p.price_per_mtok')} || ' is dearer than standard ' || {_num('s.price_per_mtok')} AS reason
           FROM incoming p JOIN incoming s
             ON s.provider_id = p.provider_id AND s.model_id = p.model_id AND s.token_type = p.token_type
            AND s.context_band = p.context_band AND s.modality = p.modality AND s.currency = p.currency
            AND s.service_tier = 'standard' AND {_SAME_DATES.format(a='s', b='p')}
           WHERE p.service_tier = 'batch' AND p.price_per_mtok > s.price_per_mtok""",
    ),
    (
        5, "long_context_below_base", "rejected",
        # the base of band '>200k' is '<=200k' (the vocabulary every parser uses for a tiered price)
        f"""SELECT p.rowid AS rid,
                  'band ' || p.context_band || ' ' || {_num('p.price_per_mtok')} || ' is cheaper than its base band '
                  || b.context_band || ' ' || {_num('b.price_per_mtok')} AS reason
           FROM incoming p JOIN incoming b
             ON b.provider_id = p.provider_id AND b.model_id = p.model_id AND b.token_type = p.token_type
            AND b.service_tier = p.service_tier AND b.modality = p.modality AND b.currency = p.currency
            AND b.context_band = '<=' || substr(p.context_band, 2) AND b.model_name = p.model_name
            AND {_SAME_DATES.format(a='b', b='p')}
           WHERE p.context_band LIKE '>%' AND p.price_per_mtok < b.price_per_mtok""",
    ),
    (
        6, "day_over_day_move", "held",
        f"""SELECT p.rowid AS rid,
                  'moved from ' || {_num('l.price_per_mtok')} || ' (' || l.partition_date || ') to ' || {_num('p.price_per_mtok')}
                  || ' ' || p.currency || '/M, more than ' || {MOVE_FACTOR} || 'x' AS reason
           FROM incoming p JOIN last_loaded l USING ({_SERIES_COLS})
           WHERE {_IN_EFFECT.format(t='p')} AND p.price_per_mtok > 0 AND l.price_per_mtok > 0
             AND (p.price_per_mtok > l.price_per_mtok * {MOVE_FACTOR}
                  OR l.price_per_mtok > p.price_per_mtok * {MOVE_FACTOR})""",
    ),
]


def gate_prices(con: duckdb.DuckDBPyConnection, source_id: str, day: date, captured: bool = True) -> int:
    """Quarantine the day's price rows of ``source_id`` that break a rule; returns how many left the load.

    Runs inside the caller's transaction, after the day's rows are inserted: a rollback undoes it all.
    ``captured`` is False for a day with no capture of its own (a backfill day of a history file): its rows
    are judged by the reject rules only, since a history legitimately holds moves over 10x between its dates.
    """
    con.execute("DELETE FROM raw.quarantine WHERE source_id = ? AND partition_date = ?", [source_id, day])
    _stage_incoming(con, source_id, day)
    try:
        violations = " UNION ALL ".join(
            f"SELECT {priority} AS priority, '{rule}' AS rule, '{action}' AS action, * FROM ({sql})"
            for priority, rule, action, sql in _PRICE_RULES
            if captured or action == "rejected"
        )
        # one row per offending price (its first rule by priority), with the id a release refers to
        con.execute(
            f"""
            CREATE OR REPLACE TEMP TABLE _violations AS
            WITH v AS (
                SELECT rid, arg_min(rule, priority) AS rule, arg_min(action, priority) AS action,
                       arg_min(reason, priority) AS reason
                FROM ({violations}) GROUP BY rid
            )
            SELECT v.*, sha256(p.source_id || '|' || p.partition_date || '|' || v.rule || '|' || {_SERIES_KEY}
                               || '|' || p.price_per_mtok)[:16] AS quarantine_id,
                   p.partition_date, p.source_id, p.raw_sha256, p.source_url, to_json(p)::VARCHAR AS row_json
            FROM v JOIN raw.price_facts p ON p.rowid = v.rid
            """
        )
        con.execute(
            """
            INSERT INTO raw.quarantine BY NAME
            SELECT quarantine_id, partition_date, source_id, rule, action, reason, 'price_facts' AS raw_table,
                   raw_sha256, source_url, row_json, now() AS quarantined_at
            FROM _violations
            """
        )
        # a held row someone released loads; every other quarantined row leaves the raw table
        return con.execute(
            """
            DELETE FROM raw.price_facts WHERE rowid IN (
                SELECT rid FROM _violations
                WHERE NOT (action = 'held' AND quarantine_id IN (SELECT quarantine_id FROM raw.quarantine_releases))
            )
            """
        ).fetchone()[0]
    finally:
        con.execute("DROP VIEW IF EXISTS incoming")
        con.execute("DROP VIEW IF EXISTS last_loaded")
        con.execute("DROP VIEW IF EXISTS caps")
        con.execute("DROP TABLE IF EXISTS _violations")


def check_row_count_floor(
    con: duckdb.DuckDBPyConnection, source_id: str, day: date, loaded: int, tables: tuple[str, ...]
) -> None:
    """Hold the whole day of ``source_id`` when ``loaded`` records fall below the floor (see FLOOR_SHARE).

    Moves every row of ``tables`` for the day to the quarantine (rule ``row_count_floor``) unless the day
    was released, and raises ``ContentGateError``. The caller commits first, so the hold is recorded.
    """
    median, days = _recent_median(con, source_id, day, tables)
    if days < FLOOR_MIN_DAYS or loaded >= median * FLOOR_SHARE:
        return
    released = con.execute(
        "SELECT count(*) FROM raw.quarantine_releases WHERE source_id = ? AND partition_date = ? AND rule = 'row_count_floor'",
        [source_id, day],
    ).fetchone()[0]
    if released:
        return
    reason = (
        f"{loaded} records, under {FLOOR_SHARE:.0%} of the median {median} of the previous {days} loaded days"
    )
    for table in tables:
        con.execute(
            f"""
            INSERT INTO raw.quarantine BY NAME
            SELECT sha256(t.source_id || '|' || t.partition_date || '|row_count_floor')[:16] AS quarantine_id,
                   t.partition_date, t.source_id, 'row_count_floor' AS rule, 'held' AS action, ? AS reason,
                   '{table}' AS raw_table, t.raw_sha256, t.source_url, to_json(t)::VARCHAR AS row_json,
                   now() AS quarantined_at
            FROM raw.{table} t WHERE t.source_id = ? AND t.partition_date = ?
            """,
            [reason, source_id, day],
        )
        con.execute(f"DELETE FROM raw.{table} WHERE source_id = ? AND partition_date = ?", [source_id, day])
    raise ContentGateError(
        f"{source_id} {day}: whole day held by the row-count floor: {reason}; "
        f"see `costcurve release --list`, then `costcurve release ID --reason ...` if the page really shrank"
    )


def _recent_median(con, source_id: str, day: date, tables: tuple[str, ...]) -> tuple[Decimal, int]:
    """Median records per loaded day over the window before ``day``, and how many such days there were.

    Days with no records (a day the floor held, or a failed fetch) do not count: they say nothing about
    the page's usual size and would drag the median down until a shrunken page passed. Nor do days with no
    capture of their own (backfill days, which hold only the prices a history dates to them)."""
    per_table = " UNION ALL ".join(
        f"SELECT partition_date, count(*) AS n FROM raw.{t} WHERE source_id = $1 "
        f"AND partition_date < $2 AND partition_date >= $2 - INTERVAL {FLOOR_WINDOW_DAYS} DAY GROUP BY ALL"
        for t in tables
    )
    median, days = con.execute(
        f"""
        SELECT median(n), count(*) FROM (
            SELECT partition_date, sum(n) AS n FROM ({per_table})
            WHERE partition_date IN (SELECT partition_date FROM raw.fetches WHERE source_id = $1)
            GROUP BY partition_date HAVING sum(n) > 0
        )
        """,
        [source_id, day],
    ).fetchone()
    return (Decimal(str(median)) if median is not None else Decimal(0)), int(days)


def _stage_incoming(con, source_id: str, day: date) -> None:
    """Views the rules read: the incoming rows, the last earlier price of each series, and the caps."""
    con.execute(
        f"CREATE OR REPLACE TEMP VIEW incoming AS SELECT rowid, * FROM raw.price_facts "
        f"WHERE source_id = '{_quote(source_id)}' AND partition_date = DATE '{day.isoformat()}'"
    )
    # Per series, the last earlier day with a price in effect, and on it the price in effect (the latest
    # valid_from, an undated one counting as the oldest). arg_max over the day alone picked any of that day's
    # rows when it listed several (a current and an announced price, dated history), so the move rule held or
    # passed a row by chance. The tie-break (capture, then price) makes two equally dated rows pick the same one
    # on every run.
    con.execute(
        f"""
        CREATE OR REPLACE TEMP VIEW last_loaded AS
        SELECT {_SERIES_COLS}, price_per_mtok, partition_date
        FROM raw.price_facts t
        WHERE source_id = '{_quote(source_id)}' AND partition_date < DATE '{day.isoformat()}'
          AND {_IN_EFFECT.format(t='t')}
        QUALIFY row_number() OVER (
            PARTITION BY {_SERIES_COLS}
            ORDER BY partition_date DESC, valid_from DESC NULLS LAST, raw_sha256, price_per_mtok) = 1
        """
    )
    values = ", ".join(f"('{currency}', {cap})" for currency, cap in PRICE_CAPS.items())
    con.execute(f"CREATE OR REPLACE TEMP VIEW caps AS SELECT * FROM (VALUES {values}) t(currency, cap)")


def _quote(value: str) -> str:
    # views cannot take parameters; source ids come from the registry, but quote them all the same
    return value.replace("'", "''")
