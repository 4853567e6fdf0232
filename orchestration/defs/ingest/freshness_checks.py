"""A freshness check on each source's ingest asset: days since its last successful capture, against the
ages its cadence gives (warehouse/freshness.py). WARN severity past the warn age, ERROR past the fail age;
never blocking: a stale source is news about that source, not a reason to hold the others' marts.

The check runs after its source's ingest step: a source that failed today shows as a failed step (its
reason in the step and in `costcurve status`), and a source skipped live (no API key) is judged here. In
replay a source the day did not capture is not due and passes, with its age in the metadata."""

from datetime import date

import dagster as dg

from orchestration.partitions import WAREHOUSE_POOL
from orchestration.resources import CostcurveResource
from scrapers.registry import SOURCES, Source
from warehouse import freshness


def freshness_check(source: Source) -> dg.AssetChecksDefinition:
    ages = freshness.ages_for(source.cadence)
    described = (f"warn after {ages.warn_after_days} days, fail after {ages.fail_after_days} days"
                 if ages else "not tracked")

    @dg.asset_check(
        asset=dg.AssetKey(["raw", source.source_id]),
        name="freshness",
        blocking=False,
        pool=WAREHOUSE_POOL,
        description=f"days since the last successful capture (cadence {source.cadence!r}: {described})",
    )
    def _freshness(context: dg.AssetCheckExecutionContext, costcurve: CostcurveResource) -> dg.AssetCheckResult:
        as_of = date.fromisoformat(context.run.tags["dagster/partition"])
        with costcurve.warehouse_writer() as con:
            [row] = freshness.source_freshness(con, {source.source_id: source.cadence}, as_of)
        skipped = costcurve.skip_reason(source, as_of)
        if costcurve.mode == "replay" and skipped:
            # a replay folder holds exactly the captures taken that day: a source absent from it was not
            # due, so its age says nothing about the pipeline (the demo's last day would fail every check)
            return dg.AssetCheckResult(passed=True, description=f"not due in replay: {skipped}",
                                       metadata=_metadata(row))
        return result(row)

    return _freshness


def _metadata(row: freshness.SourceFreshness) -> dict:
    metadata = {"state": row.state, "cadence": row.cadence,
                "last_success": str(row.last_success) if row.last_success else "never",
                "days_since_success": row.days_since if row.days_since is not None else -1}
    if row.ages:
        metadata |= {"warn_after_days": row.ages.warn_after_days, "fail_after_days": row.ages.fail_after_days}
    return metadata


def result(row: freshness.SourceFreshness) -> dg.AssetCheckResult:
    metadata = _metadata(row)
    passed = row.state in {freshness.FRESH, freshness.UNTRACKED}
    severity = dg.AssetCheckSeverity.WARN if row.state == freshness.WARN else dg.AssetCheckSeverity.ERROR
    return dg.AssetCheckResult(passed=passed, severity=severity, metadata=metadata,
                               description=f"{row.source_id}: {row.state}")


freshness_checks = [freshness_check(source) for source in SOURCES.values()]
