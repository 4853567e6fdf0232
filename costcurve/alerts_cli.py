"""`costcurve alerts ...`: look at the rules, the states and the outbox; test, re-enable, replay and relay.

Commands that change the outbox open the live warehouse as its writer (run them when the daily job is
not running: DuckDB allows one writing process). Sending happens with the writer released, as in the
daily run.
"""

from __future__ import annotations

import json
import secrets
from datetime import UTC, datetime

import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer(help="Alert rules, state, outbox and receivers.", no_args_is_help=True)
console = Console(width=200)


def _settings_and_config():
    from alerts.rules import RuleConfigError, load_config
    from costcurve.config import load_settings

    settings = load_settings()
    try:
        return settings, load_config(settings.alert_rules)
    except RuleConfigError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from None


def _writer(settings):
    from warehouse.connection import writer

    return writer(settings.warehouse)


@app.command("list")
def list_rules() -> None:
    """The rules and receivers in the rules file (COSTCURVE_ALERT_RULES)."""
    import os

    settings, cfg = _settings_and_config()
    rules = Table("rule", "kind", "metric", "when", "clear", "for", "severity", "receivers",
                  title=f"Rules ({settings.alert_rules})")
    for r in cfg.rules:
        if r.kind == "gate_failed":
            metric, when = "failed blocking gates of a run (run-failure sensor)", "any"
        elif r.kind == "stale_source":
            metric = "raw.fetches: days since the last successful capture, by source_id"
            when = ", ".join(f"{cadence}: >= {days} days" for cadence, days in r.stale_after_days.items())
        else:
            m = r.metric
            where = "".join(f" [{k}={v}]" for k, v in m.filter.items())
            metric, when = f"{m.mart}.{m.value}{where} by {', '.join(m.series) or '-'}", f"{r.comparator} {r.threshold}"
        rules.add_row(r.id, r.kind, metric, when, str(getattr(r, "clear", None) or ""),
                      str(getattr(r, "for_periods", "")), r.severity, ", ".join(r.receivers))
    console.print(rules)
    receivers = Table("receiver", "url from", "url set", "secret from", "secret set", "format", "max attempts",
                      title="Receivers")
    for r in cfg.receivers.values():
        receivers.add_row(r.id, r.url_env, "yes" if os.environ.get(r.url_env) else "no", r.secret_env or "-",
                          "yes" if r.secret_env and os.environ.get(r.secret_env) else "no", r.format,
                          str(r.max_attempts))
    console.print(receivers)


@app.command()
def status() -> None:
    """Series states, outbox counts, disabled receivers and dead-lettered events."""
    from alerts import state

    settings, _ = _settings_and_config()
    with _writer(settings) as con:
        state.ensure_schema(con)
        states = con.execute(
            f"SELECT rule_id, series, state, pending_count, episode_id, last_period, last_value "
            f"FROM {state.table(con, 'series_state')} ORDER BY 1, 2").fetchall()
        counts = state.status_counts(con)
        disabled = state.disabled_receivers(con)
        dead = con.execute(
            f"SELECT event_id, receiver_id, rule_id, alert_status, period, last_error FROM {state.events_table(con)} "
            "WHERE status = 'dead' ORDER BY period").fetchall()
    table = Table("rule", "series", "state", "pending", "episode", "last period", "last value", title="Series")
    for row in states:
        table.add_row(*(str(v) if v is not None else "" for v in row))
    console.print(table)
    console.print("outbox: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    for receiver, reason in disabled.items():
        console.print(f"receiver {receiver} is DISABLED ({reason}): `costcurve alerts enable {receiver}`",
                      markup=False)
    if dead:
        table = Table("event", "receiver", "rule", "status", "period", "error", title="Dead-lettered")
        for row in dead:
            table.add_row(*(str(v) for v in row))
        console.print(table)


@app.command()
def test(receiver: str = typer.Argument(..., help="receiver id from the rules file")) -> None:
    """Send one signed test event (type costcurve.alert.test) to RECEIVER now; nothing is recorded."""
    from alerts import state
    from alerts.deliver import RetryPolicy, make_session, post
    from alerts.runner import AlertParams, endpoints

    settings, cfg = _settings_and_config()
    if receiver not in cfg.receivers:
        typer.echo(f"unknown receiver {receiver!r} (known: {', '.join(cfg.receivers)})", err=True)
        raise typer.Exit(2)
    params = AlertParams.from_settings(settings)
    endpoint = endpoints(cfg, params)[receiver]
    if endpoint.url is None:
        typer.echo(f"receiver {receiver}: {cfg.receivers[receiver].url_env} is not set", err=True)
        raise typer.Exit(1)
    event_id = "evt_test_" + secrets.token_hex(8)
    body = json.dumps({"id": event_id, "type": "costcurve.alert.test", "status": "test",
                       "summary": "costcurve test event", "sent_at": datetime.now(UTC).isoformat()})
    with make_session(params.user_agent, RetryPolicy(retries=1), allow_loopback=params.allow_loopback) as session:
        outcome = post(session, endpoint, state.OutboxItem(event_id, receiver, body, 0), params.timeout)
    typer.echo(f"receiver {receiver}: {outcome.status}" + (f" ({outcome.error})" if outcome.error else ""))
    raise typer.Exit(0 if outcome.status == "delivered" else 1)


@app.command()
def enable(receiver: str = typer.Argument(..., help="receiver id")) -> None:
    """Re-enable a receiver disabled by a 410 Gone; its waiting events go out on the next run (or `relay`)."""
    from alerts import state

    settings, _ = _settings_and_config()
    with _writer(settings) as con:
        changed = state.enable_receiver(con, receiver)
    typer.echo(f"receiver {receiver}: {'enabled' if changed else 'was not disabled'}")


@app.command()
def replay(event_id: str = typer.Argument(..., help="an event id (evt_...) from `costcurve alerts status`")) -> None:
    """Put an event (dead-lettered, delivered or suppressed) back to pending and send what is due now."""
    from alerts import state

    settings, _ = _settings_and_config()
    with _writer(settings) as con:
        rows = state.replay(con, event_id)
    if not rows:
        typer.echo(f"no such event, or it is already pending: {event_id}", err=True)
        raise typer.Exit(1)
    typer.echo(f"{event_id}: {rows} row(s) back to pending")
    relay()


@app.command()
def relay() -> None:
    """Send every pending and retryable event now, without a pipeline run."""
    from alerts.runner import RunSummary, deliver

    settings, _ = _settings_and_config()
    today = datetime.now(UTC).date()
    summary = deliver(lambda: _writer(settings), settings, RunSummary(as_of=today, rules=0, evaluated=0, new=0))
    typer.echo(summary.message)
    raise typer.Exit(1 if summary.failed or summary.dead else 0)
