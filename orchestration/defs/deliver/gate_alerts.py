"""Alert on failed quality gates. A failed blocking gate skips everything after it, the alert step included,
so a run-failure sensor reads the run's failed checks and launches a small job that records one event per
failed gate (rule kind ``gate_failed`` in alerts/rules.yml) and sends it, in the warehouse pool."""

import json
from datetime import UTC, date, datetime

import dagster as dg

from orchestration.defs.jobs import catch_up_job, daily_job
from orchestration.partitions import WAREHOUSE_POOL
from orchestration.resources import CostcurveResource

BACKFILL_TAG = "dagster/backfill"


def failed_gates(instance: dg.DagsterInstance, run_id: str) -> list[dict]:
    """The run's failed ERROR-severity checks as plain dicts (gate, asset, counts, summary, expectations)."""
    failures = []
    for entry in instance.all_logs(run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION):
        check = entry.dagster_event.event_specific_data
        if check.passed or check.severity != dg.AssetCheckSeverity.ERROR:
            continue
        meta = {k: getattr(v, "value", v) for k, v in (check.metadata or {}).items()}
        failures.append({
            "gate": check.check_name,
            "asset": check.asset_key.to_user_string(),
            "failed_critical_count": int(meta.get("failed_critical_count") or 0),
            "rows_validated": meta.get("rows_validated"),
            "summary": str(meta.get("summary") or check.description or ""),
            "failed_expectations": list(meta.get("failed_critical") or []),
        })
    return failures


class GateFailureConfig(dg.Config):
    run_id: str
    partition: str
    failures: str  # JSON list of failed_gates() dicts


@dg.op(pool=WAREHOUSE_POOL, description="Record and send one alert event per failed gate of a run.")
def alert_failed_gates(context: dg.OpExecutionContext, config: GateFailureConfig, costcurve: CostcurveResource) -> None:
    from alerts import deliver
    from alerts.gates import GateFailure, record_gate_failures
    from alerts.runner import RunSummary

    settings = costcurve.settings()
    day = date.fromisoformat(config.partition)
    failures = [GateFailure(**f) for f in json.loads(config.failures)]
    with costcurve.warehouse_writer() as con:
        new = record_gate_failures(con, settings.alert_rules, failures, day, config.run_id)
    summary = deliver(costcurve.warehouse_writer, settings,
                      RunSummary(as_of=datetime.now(UTC).date(), rules=0, evaluated=len(failures), new=len(new)))
    context.log.info(f"gate alerts for run {config.run_id}: {len(new)} new; {summary.message}")


@dg.job(description="Alert on the failed gates of a run (launched by the alert_on_failed_gate sensor).")
def gate_failure_alerts() -> None:
    alert_failed_gates()


@dg.run_failure_sensor(
    monitored_jobs=[daily_job, catch_up_job],
    request_job=gate_failure_alerts,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="After a daily or catch-up run that failed at a blocking gate, alert which gate failed.",
)
def alert_on_failed_gate(context: dg.RunFailureSensorContext):
    run = context.dagster_run
    if BACKFILL_TAG in run.tags:
        return dg.SkipReason(f"run {run.run_id} is a backfill: backfills send no alerts")
    failures = failed_gates(context.instance, run.run_id)
    if not failures:
        return dg.SkipReason(f"run {run.run_id} failed without a failed gate")
    partition = run.tags.get("dagster/partition") or datetime.now(UTC).date().isoformat()
    config = {"run_id": run.run_id, "partition": partition, "failures": json.dumps(failures, default=str)}
    return dg.RunRequest(run_key=f"gate_alerts:{run.run_id}",
                         run_config={"ops": {"alert_failed_gates": {"config": config}}})
