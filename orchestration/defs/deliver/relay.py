"""Relay the alert outbox between daily runs: an hourly job that only sends what is due (pending rows, and
failed rows whose receiver is up again), so a receiver that was down at 06:00 hears within the hour and
not the next day. It evaluates nothing and holds the warehouse writer only to read and write rows."""

from datetime import UTC, datetime

import dagster as dg

from orchestration.partitions import WAREHOUSE_POOL
from orchestration.resources import CostcurveResource


@dg.op(pool=WAREHOUSE_POOL, description="Send every pending and retryable event of alerts.events now.")
def relay_alert_outbox(context: dg.OpExecutionContext, costcurve: CostcurveResource) -> None:
    from alerts import deliver
    from alerts.runner import RunSummary

    nothing = RunSummary(as_of=datetime.now(UTC).date(), rules=0, evaluated=0, new=0)
    summary = deliver(costcurve.warehouse_writer, costcurve.settings(), nothing)
    context.log.info(f"alert relay: {summary.message}")


@dg.job(description="Relay the alert outbox (no capture, no evaluation): see orchestration/defs/deliver/relay.py.")
def relay_alerts() -> None:
    relay_alert_outbox()


#: each relay is one delivery round of a failing event: with max_attempts 8, a receiver down for about
#: 8 hours dead-letters its events (replayable with `costcurve alerts replay`)
relay_alerts_schedule = dg.ScheduleDefinition(
    name="relay_alerts_hourly", job=relay_alerts, cron_schedule="30 * * * *", execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.RUNNING,
)
