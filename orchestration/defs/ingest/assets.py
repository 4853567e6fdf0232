"""One asset per source: capture (live or replayed) -> raw archive -> parse -> idempotent raw load."""

from datetime import date

import dagster as dg

from orchestration.partitions import WAREHOUSE_POOL, daily_partitions, one_day_per_run
from orchestration.resources import CostcurveResource
from scrapers.drift import check_record_count
from scrapers.model_sets import check_model_set
from scrapers.registry import SOURCES, Source
from warehouse.load import any_rows_for, load_source_day, previous_record_count
from warehouse.price_series import previous_capture_day, price_series
from warehouse.source_runs import FAILED, SKIPPED, SUCCESS, describe_error, record_source_run


def ingest_asset(source: Source) -> dg.AssetsDefinition:
    @dg.asset(
        name=source.source_id,
        key_prefix=["raw"],
        group_name="ingest",
        partitions_def=daily_partitions,
        backfill_policy=one_day_per_run,
        pool=WAREHOUSE_POOL,
        kinds={"python", "duckdb"},
        description=f"{source.kind} source `{source.source_id}` ({source.format}): {source.citation}",
        metadata={"urls": dg.MetadataValue.json([t.url for t in source.targets]), "licence": source.licence},
    )
    def _ingest(context: dg.AssetExecutionContext, costcurve: CostcurveResource) -> dg.MaterializeResult:
        day = date.fromisoformat(context.partition_key)
        skipped = costcurve.skip_reason(source, day)
        if skipped:
            context.log.warning(f"{source.source_id} {day}: {skipped}")
            costcurve.record_source_run(source.source_id, day, SKIPPED, error=skipped)
            return dg.MaterializeResult(metadata={"status": skipped})
        vanished: list[str] = []
        try:
            # fetch first, writer second: retries and Retry-After waits never hold the DuckDB lock (the
            # pool slot they do hold is bounded by the fetch deadline; README "Fetching")
            collected = costcurve.collect(source, day)
            with costcurve.warehouse_writer() as con:
                counts = _load(con, source, day, collected, costcurve, vanished)
                record_source_run(con, source.source_id, day, SUCCESS, rows_loaded=sum(counts.values()))
        except Exception as exc:
            # why it failed, for `costcurve status` (warehouse/source_runs.py); the step still fails
            costcurve.record_source_run(source.source_id, day, FAILED, error=describe_error(exc))
            raise
        context.log.info(f"{source.source_id} {day}: {counts}")
        if vanished:
            context.log.warning(f"{source.source_id} {day}: models gone since the previous capture: {vanished}")
        return dg.MaterializeResult(
            metadata={
                "vanished_models": dg.MetadataValue.json(vanished),
                **{f"rows_{table}": n for table, n in counts.items()},
                "captures": dg.MetadataValue.json(
                    [{"key": f.capture_key, "sha256": f.sha256, "bytes": f.bytes} for f in collected.fetches]
                ),
                "exclusions": len(collected.result.exclusions),
            }
        )

    return _ingest


def _load(con, source: Source, day: date, collected, costcurve: CostcurveResource,
          vanished: list[str]) -> dict[str, int]:
    """Drift-check and load the day. Captures confirmed unchanged (304) are carried forward from the
    warehouse, or parsed from the archive when the warehouse has nothing to carry."""
    carried = [row.sha256 for row in collected.unchanged]
    parsed_together = getattr(source.parser, "parse_captures", None) is not None
    if carried and not any_rows_for(con, source.source_id, carried, every=not parsed_together):
        costcurve.reparse_unchanged(source, collected)
        carried = []
    previous = previous_record_count(con, source.source_id, day)

    previous_day = previous_capture_day(con, source.source_id, day)

    def drift_check(loaded: int) -> None:
        check_record_count(source.source_id, source.targets[0].url, loaded, previous)
        # the day's rows are in the open transaction: compare them with the previous capture's series
        change = check_model_set(
            source.source_id, source.targets[0].url,
            price_series(con, source.source_id, previous_day) if previous_day else set(),
            price_series(con, source.source_id, day),
            previous_age_days=(day - previous_day).days if previous_day else None,
        )
        vanished.extend(change.vanished_models)

    return load_source_day(
        con, source.source_id, day, collected.fetches, collected.result, carried, before_commit=drift_check
    )


ingest_assets = [ingest_asset(source) for source in SOURCES.values()]
