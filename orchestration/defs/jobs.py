"""The daily job (every asset, one partition a day) and its 06:00 UTC schedule."""

import dagster as dg

from orchestration.defs.deliver.assets import RECORD_ONLY_TAG
from orchestration.partitions import daily_partitions

daily_job = dg.define_asset_job(
    name="daily",
    selection=dg.AssetSelection.all(),
    partitions_def=daily_partitions,
    description="Capture every source, gate the raw tables, build the marts, gate them, alert, publish.",
)


capture_job = dg.define_asset_job(
    name="capture",
    selection=dg.AssetSelection.groups("ingest"),
    partitions_def=daily_partitions,
    description="Capture, archive, parse, gate and load the raw tables for a day, without building the marts "
    "(the demo replays its earlier days this way: the marts rebuild from all raw history on the last one).",
)

catch_up_job = dg.define_asset_job(
    name="catch_up",
    selection=dg.AssetSelection.all() - dg.AssetSelection.groups("ingest"),
    partitions_def=daily_partitions,
    description="The rest of a day whose run failed only at capture (a source down or drifted): build the "
    "marts from what loaded, gate them, alert, publish. Launched by the catch_up_after_source_failure sensor.",
)

rebuild_job = dg.define_asset_job(
    name="rebuild",
    selection=dg.AssetSelection.all() - dg.AssetSelection.groups("ingest"),
    partitions_def=daily_partitions,
    # its alert step evaluates and records (as suppressed) but sends nothing: a backfill never pages
    tags={RECORD_ONLY_TAG: "true"},
    description="Rebuild the marts from the raw tables as they are, gate them, record alerts without sending "
    "them, and publish; no capture (used after `costcurve backfill`, which must send no webhooks).",
)


#: on by default: a deployment that loads these definitions runs every day without anyone finding a
#: toggle first (turn it off in the UI, or with `dg` / `dagster schedule stop daily_schedule`)
@dg.schedule(job=daily_job, cron_schedule="0 6 * * *", execution_timezone="UTC",
             default_status=dg.DefaultScheduleStatus.RUNNING)
def daily_schedule(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    """Runs today's partition (UTC) at 06:00: the partition is the day the captures were taken."""
    day = context.scheduled_execution_time.date().isoformat()
    return dg.RunRequest(run_key=day, partition_key=day)
