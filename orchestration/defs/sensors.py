"""One failed source must not hold back the day: a catch-up run builds the marts from what loaded.

Dagster skips every step downstream of a failure, so a single drifted page would leave the marts,
alerts and analyst copy a day behind. When a daily run failed *only* in capture steps (a fetch error or
layout drift: the load is transactional, so nothing of that source reached the raw tables), this sensor
launches the ``catch_up`` job for the same day. If any gate failed, bad data is in the raw tables and
nothing downstream may run, so it stays stopped and says why.
"""

import dagster as dg

from orchestration.defs.jobs import catch_up_job, daily_job

#: step keys of the ingest assets (raw/<source_id> -> raw__<source_id>); their checks add a suffix
INGEST_STEP_PREFIX = "raw__"


def only_capture_failed(failed_step_keys: list[str], ingest_step_keys: set[str]) -> bool:
    return bool(failed_step_keys) and set(failed_step_keys) <= ingest_step_keys


def ingest_step_keys() -> set[str]:
    from scrapers.registry import SOURCES

    return {f"{INGEST_STEP_PREFIX}{source_id}" for source_id in SOURCES}


@dg.run_failure_sensor(
    monitored_jobs=[daily_job],
    request_job=catch_up_job,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="After a daily run that failed only at capture, run the rest of that day (marts, gates, "
    "alerts, publish) from what loaded.",
)
def catch_up_after_source_failure(context: dg.RunFailureSensorContext):
    run = context.dagster_run
    failures = context.instance.all_logs(run.run_id, of_type=dg.DagsterEventType.STEP_FAILURE)
    failed = sorted({event.step_key for event in failures if event.step_key})
    if not only_capture_failed(failed, ingest_step_keys()):
        return dg.SkipReason(f"run {run.run_id} failed beyond capture ({', '.join(failed)}): no catch-up")
    return dg.RunRequest(
        run_key=f"catch_up:{run.run_id}",
        partition_key=run.tags.get("dagster/partition"),
        tags={"costcurve/catch_up_of": run.run_id, "costcurve/failed_sources": ",".join(failed)},
    )
