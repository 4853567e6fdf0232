"""Validate a pandas frame against one of the JSON suites in ``expectations/suites``.

Why pandas and not a SQL datasource: GX 1.x's SQL datasource is broken against DuckDB, so callers read the
table into pandas (``con.sql(...).df()``, see ``validate_table``) and validate the frame.

Why ``load_suite`` is strict: ``gx.ExpectationSuite(expectations=[...])`` logs and *drops* an expectation whose
type it does not know, so a misspelled expectation would silently stop guarding anything. ``load_suite``
builds every expectation itself, names the one that fails, and checks the count GX ended up with.

Severity lives in each expectation's ``meta.severity``: ``critical`` (the gate fails, downstream is blocked)
or ``warning`` (reported, the gate still passes). It is copied to GX's own ``severity`` field as well.

GX is imported lazily and the ephemeral context is built once per process, on the first ``validate``:
importing this module stays cheap for Dagster code locations that never run a gate.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import math
import os
import re
import threading
import time
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

# Must be set before great_expectations is imported anywhere in this process.
os.environ["GX_ANALYTICS_ENABLED"] = "false"

import pandas as pd  # noqa: E402

if TYPE_CHECKING:  # pragma: no cover
    import duckdb
    from great_expectations.core.expectation_suite import ExpectationSuite

SUITES_DIR = Path(__file__).resolve().parent / "suites"
SEVERITIES = ("critical", "warning")
#: how many unexpected values / example rows each failure keeps
MAX_EXAMPLES = 10
#: how many example rows each failure prints in ``summary()`` (the metadata keeps ``MAX_EXAMPLES``)
SUMMARY_ROWS = 5

_SUITE_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_EXPECTATION_KEYS = {"type", "kwargs", "meta", "severity", "notes", "description", "id"}
_RESULT_FORMAT = {"result_format": "SUMMARY", "partial_unexpected_count": MAX_EXAMPLES}
# kwargs that name columns; shown as the failure's columns rather than repeated in its kwargs text
_COLUMN_KWARGS = ("column", "column_A", "column_B", "column_list")


class SuiteError(ValueError):
    """A suite that cannot be trusted: unknown or misspelled expectation, bad kwargs, missing severity,
    or GX loaded fewer expectations than the JSON holds."""


class GateError(RuntimeError):
    """Raised by ``GateResult.raise_on_failure`` when a critical expectation failed."""

    def __init__(self, result: GateResult):
        super().__init__(result.summary())
        self.result = result


# --------------------------------------------------------------------------- suites


def suite_names() -> list[str]:
    """Names of every suite on disk (the file stems of ``expectations/suites/*.json``)."""
    return sorted(path.stem for path in SUITES_DIR.glob("*.json"))


def suite_path(name: str) -> Path:
    if not _SUITE_NAME.match(name):
        raise SuiteError(f"invalid suite name {name!r}")
    path = SUITES_DIR / f"{name}.json"
    if not path.is_file():
        raise SuiteError(f"no suite {name!r} (looked for {path}); known: {', '.join(suite_names())}")
    return path


def read_suite_json(name: str) -> dict:
    """The suite file as plain JSON, checked for shape: what ``load_suite`` hands to GX."""
    path = suite_path(name)
    try:
        data = json.loads(path.read_text())
    except json.JSONDecodeError as exc:
        raise SuiteError(f"{path.name}: not valid JSON: {exc}") from exc
    if not isinstance(data, dict) or data.get("name") != name:
        raise SuiteError(f"{path.name}: 'name' must be {name!r}")
    expectations = data.get("expectations")
    if not isinstance(expectations, list) or not expectations:
        raise SuiteError(f"{path.name}: 'expectations' must be a non-empty list")
    for index, item in enumerate(expectations):
        where = f"{path.name}: expectation #{index}"
        if not isinstance(item, dict):
            raise SuiteError(f"{where}: must be an object")
        unknown = set(item) - _EXPECTATION_KEYS
        if unknown:
            raise SuiteError(f"{where}: unknown keys {sorted(unknown)}")
        if not isinstance(item.get("type"), str) or not isinstance(item.get("kwargs"), dict):
            raise SuiteError(f"{where}: needs a string 'type' and an object 'kwargs'")
        severity = (item.get("meta") or {}).get("severity")
        if severity not in SEVERITIES:
            raise SuiteError(f"{where} ({item['type']}): meta.severity must be one of {SEVERITIES}, got {severity!r}")
        if item.get("severity") not in (None, severity):
            raise SuiteError(f"{where} ({item['type']}): severity {item['severity']!r} != meta.severity {severity!r}")
    return data


def load_suite(name: str) -> ExpectationSuite:
    """Load ``expectations/suites/<name>.json`` as a GX ``ExpectationSuite``.

    Raises ``SuiteError`` if an expectation type is unknown, its kwargs are invalid (GX rejects unknown
    kwargs), ``meta.severity`` is missing, or the loaded suite holds a different number of expectations
    than the JSON (GX's silent-drop trap).
    """
    data = read_suite_json(name)
    gx = _gx()
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration
    from great_expectations.expectations.registry import (
        get_expectation_impl,
        list_registered_expectation_implementations,
    )

    built = []
    for index, item in enumerate(data["expectations"]):
        where = f"{name}.json: expectation #{index} ({item['type']})"
        try:
            get_expectation_impl(item["type"])
        except Exception as exc:
            close = difflib.get_close_matches(item["type"], list_registered_expectation_implementations(), n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            raise SuiteError(f"{where}: unknown expectation type{hint}") from exc
        config = {**item, "severity": item["meta"]["severity"]}
        try:
            expectation = ExpectationConfiguration(**config).to_domain_obj()
        except Exception as exc:
            raise SuiteError(f"{where}: invalid configuration: {exc}") from exc
        kept, fields = expectation.configuration.kwargs, type(expectation).__fields__
        lost = [k for k, v in item["kwargs"].items() if k not in kept and not (k in fields and fields[k].default == v)]
        if lost:
            raise SuiteError(f"{where}: GX ignored kwargs {sorted(lost)}")
        built.append(expectation)

    suite = gx.ExpectationSuite(name=name, expectations=built, meta=dict(data.get("meta") or {}))
    if len(suite.expectations) != len(data["expectations"]):
        raise SuiteError(
            f"{name}.json holds {len(data['expectations'])} expectations but GX loaded "
            f"{len(suite.expectations)}: an expectation was dropped"
        )
    return suite


@cache
def _cached_suite(name: str) -> ExpectationSuite:
    return load_suite(name)


# --------------------------------------------------------------------------- GX context


_lock = threading.RLock()
_batch_definition: Any = None


def _gx():
    import great_expectations as gx

    return gx


def _get_batch_definition():
    """The whole-dataframe batch definition of a pandas datasource in an ephemeral context; built once."""
    global _batch_definition
    with _lock:
        if _batch_definition is None:
            gx = _gx()
            from great_expectations.data_context.types.base import ProgressBarsConfig

            context = gx.get_context(mode="ephemeral")
            context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
            asset = context.data_sources.add_pandas("costcurve_gates").add_dataframe_asset("frame")
            _batch_definition = asset.add_batch_definition_whole_dataframe("whole_frame")
        return _batch_definition


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Failure:
    """One failed expectation, with enough detail to find the bad rows."""

    severity: str
    expectation_type: str
    columns: list[str]
    kwargs: dict
    description: str | None = None
    observed_value: Any = None
    element_count: int | None = None
    unexpected_count: int | None = None
    unexpected_percent: float | None = None
    #: up to ``MAX_EXAMPLES`` unexpected values (GX's partial_unexpected_list)
    unexpected_values: list = field(default_factory=list)
    #: frame index of up to ``MAX_EXAMPLES`` failing rows (GX's partial_unexpected_index_list)
    unexpected_index: list = field(default_factory=list)
    #: those rows: the suite's row_id_columns plus the columns the expectation looks at
    unexpected_rows: list[dict] = field(default_factory=list)
    details: dict | None = None
    exception: str | None = None

    def headline(self) -> str:
        target = f" on {', '.join(self.columns)}" if self.columns else ""
        shown = {k: v for k, v in self.kwargs.items() if k not in _COLUMN_KWARGS and k != "row_condition"}
        if self.expectation_type == "expect_table_columns_to_match_set":
            shown = {"exact_match": shown.get("exact_match", True)}  # GX omits the default
        text = f"{self.severity.upper()} {self.expectation_type}{target}"
        if shown:
            text += " (" + ", ".join(f"{k}={_short(v)}" for k, v in shown.items()) + ")"
        if "row_condition" in self.kwargs:
            text += f" where {_condition_text(self.kwargs['row_condition'])}"
        return text

    def describe(self, max_rows: int = SUMMARY_ROWS) -> str:
        lines = [self.headline()]
        if self.description:
            lines.append(f"    check: {self.description}")
        if self.exception:
            lines.append(f"    error: {self.exception}")
        if self.unexpected_count is not None:
            lines.append(f"    {self.unexpected_count} of {self.element_count} rows unexpected")
        elif self.observed_value is not None and not self.details:
            lines.append(f"    observed: {_short(self.observed_value, 300)}")
        if self.details:
            mismatched = self.details.get("mismatched", self.details)
            lines.append(f"    columns: {_short(mismatched, 300)}")
        multicolumn = any(isinstance(v, (dict, list)) for v in self.unexpected_values)
        if self.unexpected_values and not (multicolumn and self.unexpected_rows):  # rows already show them
            lines.append(f"    values: {_short(self.unexpected_values, 300)}")
        for row in self.unexpected_rows[:max_rows]:
            lines.append("    row " + ", ".join(f"{k}={_short(v, 60)}" for k, v in row.items()))
        hidden = (self.unexpected_count or 0) - min(len(self.unexpected_rows), max_rows)
        if self.unexpected_rows and hidden > 0:
            lines.append(f"    ... and {hidden} more rows")
        return "\n".join(lines)

    def to_dict(self) -> dict:
        return _jsonable(
            {
                "severity": self.severity,
                "expectation_type": self.expectation_type,
                "columns": self.columns,
                "kwargs": self.kwargs,
                "description": self.description,
                "observed_value": self.observed_value,
                "element_count": self.element_count,
                "unexpected_count": self.unexpected_count,
                "unexpected_percent": self.unexpected_percent,
                "unexpected_values": self.unexpected_values,
                "unexpected_index": self.unexpected_index,
                "unexpected_rows": self.unexpected_rows,
                "details": self.details,
                "exception": self.exception,
            }
        )


@dataclass(frozen=True)
class GateResult:
    """Outcome of one gate: ``success`` is False iff a critical expectation failed."""

    suite_name: str
    success: bool
    row_count: int
    expectation_count: int
    failed_critical: list[Failure]
    failed_warning: list[Failure]
    duration_s: float

    @property
    def failures(self) -> list[Failure]:
        return [*self.failed_critical, *self.failed_warning]

    def summary(self) -> str:
        """Plain text for the Dagster UI: verdict, then each failed expectation with values and rows."""
        counts = f"{self.row_count:,} rows, {self.expectation_count} expectations"
        if not self.success:
            verdict = f"FAILED: {len(self.failed_critical)} critical and {len(self.failed_warning)} warning failed"
        elif self.failed_warning:
            verdict = f"PASSED with {len(self.failed_warning)} warning(s)"
        else:
            verdict = "PASSED"
        lines = [f"{self.suite_name}: {verdict} ({counts})"]
        lines += [failure.describe() for failure in self.failures]
        return "\n".join(lines)

    def to_metadata(self) -> dict:
        """JSON-serialisable dict for Dagster asset-check metadata."""
        return _jsonable(
            {
                "suite": self.suite_name,
                "success": self.success,
                "row_count": self.row_count,
                "expectation_count": self.expectation_count,
                "failed_critical_count": len(self.failed_critical),
                "failed_warning_count": len(self.failed_warning),
                "duration_s": round(self.duration_s, 3),
                "summary": self.summary(),
                "failed_critical": [f.to_dict() for f in self.failed_critical],
                "failed_warning": [f.to_dict() for f in self.failed_warning],
            }
        )

    def raise_on_failure(self) -> GateResult:
        if not self.success:
            raise GateError(self)
        return self


# --------------------------------------------------------------------------- validate


def validate(df: pd.DataFrame, suite_name: str) -> GateResult:
    """Validate ``df`` against ``expectations/suites/<suite_name>.json``."""
    suite = _cached_suite(suite_name)
    if not isinstance(df.index, pd.RangeIndex):
        df = df.reset_index(drop=True)  # unexpected_index values then address rows unambiguously
    row_id_columns = [c for c in suite.meta.get("row_id_columns", []) if c in df.columns]

    started = time.perf_counter()
    with _lock:
        batch = _get_batch_definition().get_batch(batch_parameters={"dataframe": df})
        outcome = batch.validate(suite, result_format=_RESULT_FORMAT)
    duration = time.perf_counter() - started

    failed: dict[str, list[Failure]] = {severity: [] for severity in SEVERITIES}
    for result in outcome.results:
        if result.success:
            continue
        failure = _failure(result, df, row_id_columns)
        failed[failure.severity].append(failure)
    for failures in failed.values():
        failures.sort(key=lambda f: (bool(f.columns), f.expectation_type, f.columns))
    return GateResult(
        suite_name=suite_name,
        success=not failed["critical"],
        row_count=len(df),
        expectation_count=len(suite.expectations),
        failed_critical=failed["critical"],
        failed_warning=failed["warning"],
        duration_s=duration,
    )


def validate_table(
    con: duckdb.DuckDBPyConnection,
    table_name: str,
    suite_name: str | None = None,
    *,
    where: str | None = None,
    params: list | None = None,
) -> GateResult:
    """Read ``table_name`` (optionally ``WHERE <where>`` with ``params``) from DuckDB into pandas and validate.

    ``suite_name`` defaults to the table's suite: ``raw.price_facts`` -> ``raw_price_facts``,
    ``<schema>.fct_price_history`` -> ``fct_price_history``.
    """
    parts = table_name.split(".")
    sql = "SELECT * FROM " + ".".join('"' + part.replace('"', '""') + '"' for part in parts)
    if where:
        sql += f" WHERE {where}"
    df = con.execute(sql, params or []).df() if params else con.sql(sql).df()
    return validate(df, suite_name or suite_name_for_table(table_name))


def suite_name_for_table(table_name: str) -> str:
    parts = table_name.split(".")
    if len(parts) >= 2 and parts[-2] == "raw":
        return f"raw_{parts[-1]}"
    return parts[-1]


# --------------------------------------------------------------------------- helpers


def _failure(result: Any, df: pd.DataFrame, row_id_columns: list[str]) -> Failure:
    config = result.expectation_config
    config_json = config.to_json_dict()
    kwargs = {k: v for k, v in (config_json.get("kwargs") or {}).items() if k != "batch_id"}
    meta = config_json.get("meta") or {}
    severity = meta.get("severity") or str(config_json.get("severity") or "critical")
    columns = _columns_of(kwargs)
    body = result.result or {}

    index = list(body.get("partial_unexpected_index_list") or [])[:MAX_EXAMPLES]
    shown = list(dict.fromkeys([*row_id_columns, *columns, *_condition_columns(kwargs.get("row_condition"))]))
    rows = _example_rows(df, index, [c for c in shown if c in df.columns])
    return Failure(
        severity=severity if severity in SEVERITIES else "critical",
        expectation_type=config.type,
        columns=columns,
        kwargs=_jsonable(kwargs),
        description=meta.get("description"),
        observed_value=_jsonable(body.get("observed_value")),
        element_count=body.get("element_count"),
        unexpected_count=body.get("unexpected_count"),
        unexpected_percent=_jsonable(body.get("unexpected_percent")),
        unexpected_values=_jsonable(list(body.get("partial_unexpected_list") or [])[:MAX_EXAMPLES]),
        unexpected_index=_jsonable(index),
        unexpected_rows=rows,
        details=_jsonable(body.get("details")) or None,
        exception=_exception_text(result.exception_info),
    )


def _columns_of(kwargs: dict) -> list[str]:
    columns: list[str] = []
    for key in _COLUMN_KWARGS:
        value = kwargs.get(key)
        if isinstance(value, str):
            columns.append(value)
        elif isinstance(value, list):
            columns.extend(str(v) for v in value)
    return columns


def _condition_columns(condition: Any) -> list[str]:
    if isinstance(condition, dict):
        found = []
        column = condition.get("column")
        if isinstance(column, dict) and "name" in column:
            found.append(column["name"])
        for child in condition.get("conditions") or []:
            found.extend(_condition_columns(child))
        return found
    return []


def _condition_text(condition: Any) -> str:
    if not isinstance(condition, dict):
        return str(condition)
    kind = condition.get("type")
    if kind in ("and", "or"):
        return f" {kind} ".join(f"({_condition_text(c)})" for c in condition.get("conditions") or [])
    name = (condition.get("column") or {}).get("name", "?")
    if kind == "nullity":
        return f"{name} is {'null' if condition.get('is_null') else 'not null'}"
    if kind == "comparison":
        return f"{name} {condition.get('operator')} {condition.get('parameter')!r}"
    return json.dumps(condition, default=str)


def _example_rows(df: pd.DataFrame, index: list, columns: list[str]) -> list[dict]:
    rows = []
    for label in index:
        if isinstance(label, dict):  # GX returns dicts when unexpected_index_column_names is set
            rows.append(_jsonable(label))
            continue
        try:
            values = df.loc[label, columns] if columns else pd.Series(dtype=object)
        except (KeyError, TypeError):
            rows.append({"index": _jsonable(label)})
            continue
        rows.append({"index": _jsonable(label), **_jsonable(values.to_dict())})
    return rows


def _exception_text(info: Any) -> str | None:
    if not isinstance(info, dict) or not info:
        return None
    if "raised_exception" in info:
        return info.get("exception_message") if info.get("raised_exception") else None
    messages = []
    for value in info.values():  # {MetricConfigurationID: {exception_message, exception_traceback}}
        message = value.get("exception_message") if isinstance(value, dict) else str(value)
        if message and message not in messages:
            messages.append(message)
    return "; ".join(messages) or None


def _jsonable(value: Any) -> Any:
    """Plain JSON types: NaN/NaT/NA -> None, Decimal -> str (exact), timestamps -> ISO 8601."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Decimal):
        return str(value) if value.is_finite() else None
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    if isinstance(value, pd.Timestamp) and value.tz is None and value == value.normalize():
        return value.date().isoformat()  # a DuckDB DATE read into pandas: show it as a date
    if isinstance(value, (pd.Timestamp, dt.datetime, dt.date, dt.time)):
        return None if pd.isna(value) else value.isoformat()
    if isinstance(value, pd.Timedelta):
        return None if pd.isna(value) else str(value)
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if hasattr(value, "item"):  # numpy scalars
        return _jsonable(value.item())
    if hasattr(value, "model_dump"):  # GX row-condition objects
        return _jsonable(value.model_dump())
    if hasattr(value, "dict"):
        try:
            return _jsonable(value.dict())
        except TypeError:
            pass
    return str(value)


def _short(value: Any, limit: int = 120) -> str:
    text = json.dumps(_jsonable(value), default=str) if not isinstance(value, str) else value
    return text if len(text) <= limit else text[: limit - 3] + "..."
