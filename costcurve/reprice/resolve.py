"""Names in a usage file -> the warehouse's canonical model and seller ids, through the published copy.

The warehouse already knows every name a source uses (intermediate.int_model_identity, with the dbt
normalisation's result in its ``base`` column), so nothing here normalises a name itself: a name is looked
up, in this order, as a canonical id (dim_models), as a name some source uses (case-insensitive), and as a
normalised base (``base``, or the part of a canonical id after ``<creator>/``).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date

import duckdb

IDENTITY = "intermediate.int_model_identity"


class ResolutionError(Exception):
    """A model or seller the warehouse does not know, or knows under several ids; the message says which."""


@dataclass(frozen=True)
class ResolvedModel:
    model_id: str
    #: how the name matched: ``canonical_id``, ``source_name`` or ``normalised_name``
    resolved_by: str


class Resolver:
    """Looks names up in one open analyst connection; remembers the lists it reads for suggestions."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self._model_ids = {r[0] for r in con.execute("SELECT model_id FROM dim_models").fetchall()}
        self._seller_ids = {r[0] for r in con.execute(
            "SELECT DISTINCT seller_id FROM fct_market_prices UNION SELECT provider_id FROM seeds.providers"
        ).fetchall()}
        self._seller_aliases = dict(con.execute("SELECT lower(alias), provider_id FROM seeds.seller_aliases").fetchall())
        self._names: list[str] | None = None

    def seller(self, name: str) -> str:
        wanted = name.strip().lower()
        if wanted in self._seller_ids:
            return wanted
        if wanted in self._seller_aliases:
            return self._seller_aliases[wanted]
        raise ResolutionError(f"unknown seller {name!r}{_suggest(wanted, [*self._seller_ids, *self._seller_aliases])}")

    def model(self, name: str, seller_id: str | None, day: date) -> ResolvedModel:
        wanted = name.strip().lower()
        if wanted in self._model_ids:
            return ResolvedModel(wanted, "canonical_id")
        for resolved_by, condition in (
            ("source_name", "lower(name) = ?"),
            ("normalised_name", "(base = ? OR ends_with(canonical_model_id, '/' || ?))"),
        ):
            rows = self.con.execute(
                f"SELECT DISTINCT provider_id, canonical_model_id, valid_from, valid_to FROM {IDENTITY} "
                f"WHERE canonical_model_id IS NOT NULL AND {condition}",
                [wanted] * condition.count("?"),
            ).fetchall()
            if rows:
                return ResolvedModel(_one_id(name, _narrow(rows, seller_id, day), day), resolved_by)
        raise ResolutionError(f"unknown model {name!r}{_suggest(wanted, self._all_names())}")

    def _all_names(self) -> list[str]:
        if self._names is None:
            names = {r[0] for r in self.con.execute(
                f"SELECT DISTINCT lower(name) FROM {IDENTITY} WHERE canonical_model_id IS NOT NULL").fetchall()}
            self._names = sorted(names | self._model_ids)
        return self._names


def _narrow(rows: list[tuple], seller_id: str | None, day: date) -> list[tuple]:
    """The seller's own use of the name if it has one, then what the name meant on ``day`` (an alias such
    as DeepSeek's `deepseek-chat` points at different models over time); a narrowing that leaves nothing
    is not applied."""
    by_seller = [r for r in rows if seller_id and r[0] == seller_id] or rows
    on_day = [r for r in by_seller if (r[2] is None or r[2] <= day) and (r[3] is None or day < r[3])]
    return on_day or by_seller


def _one_id(name: str, rows: list[tuple], day: date) -> str:
    ids = sorted({r[1] for r in rows})
    if len(ids) > 1:
        raise ResolutionError(f"ambiguous model {name!r}: on {day} it names {', '.join(ids)}; "
                              "write the canonical id (or add the seller column)")
    return ids[0]


def _suggest(wanted: str, candidates: list[str]) -> str:
    close = difflib.get_close_matches(wanted, sorted(set(candidates)), n=5, cutoff=0.6)
    return f"; close names: {', '.join(close)}" if close else "; no close name is known"
