"""The repriced usage as records (CSV/JSON, exact decimals) and as a table on screen (rounded to cents)."""

from __future__ import annotations

import csv
import io
import json
from decimal import ROUND_HALF_EVEN, Decimal

from rich.table import Table

from costcurve.reprice.pricing import RepricedRow, pct_change, totals
from costcurve.reprice.usage import USAGE_TOKEN_TYPES

CENT = Decimal("0.01")


def _exact(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f")


def _pct_text(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")  # keeps its one decimal: "0.0", "-78.1"


def _token_types(rows: list[RepricedRow]) -> list[str]:
    used = {t for r in rows for t in r.usage.tokens()}
    return [t for t in USAGE_TOKEN_TYPES if t in used]


def _notes(row: RepricedRow) -> str | None:
    reasons = [q.reason for q in (row.at_date, row.today, row.cheapest_seller, row.cheapest_tier) if q.reason]
    return "; ".join(dict.fromkeys(reasons)) or None


def records(rows: list[RepricedRow]) -> list[dict]:
    """One record per usage row and a last one, ``line: total``, with every column; money as exact strings."""
    token_types = _token_types(rows)
    out = []
    for r in rows:
        out.append({
            "line": r.usage.line, "model": r.usage.model, "model_id": r.model.model_id,
            "resolved_by": r.model.resolved_by, "seller_id": r.seller_id, "seller_basis": r.seller_basis,
            "priced_on": r.priced_on.isoformat(),
            **{t: getattr(r.usage, t) for t in token_types},
            "cost_at_date": _exact(r.at_date.cost),
            "cost_today": _exact(r.today.cost),
            "pct_today": _pct_text(pct_change(r.today.cost, r.at_date.cost)),
            "cheapest_seller_id": r.cheapest_seller.seller_id,
            "cost_cheapest_seller": _exact(r.cheapest_seller.cost),
            "pct_cheapest_seller": _pct_text(pct_change(r.cheapest_seller.cost, r.at_date.cost)),
            "capability_tier": r.capability_tier,
            "cheapest_tier_model_id": r.cheapest_tier.model_id,
            "cheapest_tier_seller_id": r.cheapest_tier.seller_id,
            "cost_cheapest_tier": _exact(r.cheapest_tier.cost),
            "pct_cheapest_tier": _pct_text(pct_change(r.cheapest_tier.cost, r.at_date.cost)),
            "notes": _notes(r),
        })
    out.append(_total_record(rows, token_types, list(out[0]) if out else []))
    return out


def _total_record(rows: list[RepricedRow], token_types: list[str], columns: list[str]) -> dict:
    total = totals(rows)
    unpriced = [f"{scenario}: {sum(getattr(r, scenario).cost is None for r in rows)} of {len(rows)} rows unpriced"
                for scenario, value in total.items() if value is None]
    record = dict.fromkeys(columns)
    record.update({
        "line": "total",
        **{t: sum(getattr(r.usage, t) for r in rows) for t in token_types},
        "cost_at_date": _exact(total["at_date"]), "cost_today": _exact(total["today"]),
        "pct_today": _pct_text(pct_change(total["today"], total["at_date"])),
        "cost_cheapest_seller": _exact(total["cheapest_seller"]),
        "pct_cheapest_seller": _pct_text(pct_change(total["cheapest_seller"], total["at_date"])),
        "cost_cheapest_tier": _exact(total["cheapest_tier"]),
        "pct_cheapest_tier": _pct_text(pct_change(total["cheapest_tier"], total["at_date"])),
        "notes": "; ".join(unpriced) or None,
    })
    return record


def to_csv(rows: list[RepricedRow]) -> str:
    recs = records(rows)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(recs[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(recs)
    return buffer.getvalue()


def to_json(rows: list[RepricedRow]) -> str:
    *per_row, total = records(rows)
    return json.dumps({"rows": per_row, "total": total}, indent=2) + "\n"


def _money(value: str | None) -> str:
    if value is None:
        return "—"
    amount = Decimal(value)
    if amount and abs(amount) < CENT:
        return "<$0.01"
    return f"${amount.quantize(CENT, ROUND_HALF_EVEN):,}"


def _pct(value: str | None) -> str:
    return "" if value is None else f"{'+' if not value.startswith('-') else ''}{value}%"


def table(rows: list[RepricedRow]) -> Table:
    """Per row and in total: cost at the date, today, at the cheapest seller and same-tier model, with the
    change against the cost at the date; the reasons for any blank cell go in the notes column."""
    recs = records(rows)
    # a reason every row shares (no tiers in this warehouse) is said once, under the table
    shared = set.intersection(*(set((r["notes"] or "").split("; ")) for r in recs[:-1])) - {""}
    out = Table("line", "model", "seller", "priced on", "at date", "today", "Δ", "cheapest seller", "Δ",
                "cheapest same-tier model", "Δ", "notes", title="Usage repriced (USD, standard tier list prices)",
                caption="; ".join(sorted(shared)) or None)
    for rec in recs:
        is_total = rec["line"] == "total"
        if is_total:
            out.add_section()
        seller = rec["cheapest_seller_id"]
        tier = rec["cheapest_tier_model_id"]
        out.add_row(
            str(rec["line"]), "" if is_total else f"{rec['model']}\n→ {rec['model_id']}",
            "" if is_total else f"{rec['seller_id'] or ''} ({rec['seller_basis'] or 'none'})",
            rec["priced_on"] or "",
            _money(rec["cost_at_date"]), _money(rec["cost_today"]), _pct(rec["pct_today"]),
            _money(rec["cost_cheapest_seller"]) + (f"\n{seller}" if seller else ""), _pct(rec["pct_cheapest_seller"]),
            _money(rec["cost_cheapest_tier"]) + (f"\n{tier} @ {rec['cheapest_tier_seller_id']}" if tier else ""),
            _pct(rec["pct_cheapest_tier"]),
            "; ".join(n for n in (rec["notes"] or "").split("; ") if n and (is_total or n not in shared)),
        )
    return out
