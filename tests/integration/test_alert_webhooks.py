"""End to end: a real DuckDB file, ``alerts.run`` and a real HTTP receiver on loopback (pytest-httpserver).

A small ``mart_open_weight_share`` is written day by day (one row per usage day, as the mart has) and
``alerts.run`` runs as each day's daily run would. Each test states one promise of issue 8.
"""

from __future__ import annotations

import json
import logging
import socket
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest
from standardwebhooks import Webhook
from werkzeug import Response

import alerts
from alerts import AlertParams, RetryPolicy, WebhookConfigError
from alerts.state import enable_receiver, replay

pytestmark = pytest.mark.integration

SECRET = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD"
DAY0 = date(2026, 7, 1)
FAST = RetryPolicy(retries=3, backoff_factor=0.0, jitter=0.0)
BASE = "openrouter: tokens routed through OpenRouter"
RULES = """
version: 2
receivers:
  - id: default
    url_env: COSTCURVE_ALERT_WEBHOOK_URL
    secret_env: COSTCURVE_ALERT_WEBHOOK_SECRET
    max_attempts: {max_attempts}
rules:
  - id: open_weight_share_25
    kind: threshold
    metric:
      mart: mart_open_weight_share
      value: share_point
      period: period_start
      series: [measurement_base]
      filter: {{period_grain: day}}
      carry: [share_lower, share_upper]
    comparator: ">="
    threshold: 0.25
    clear: 0.24
    message: "Open-weight share {{value:.1%}} on {{period}} ({{series[measurement_base]}}), {{status}}"
  - id: price_cut_50
    kind: change
    metric:
      mart: fct_price_changes
      value: change_pct
      period: effective_date
      series: [seller_id, model_id, token_type]
      carry: [old_price_per_mtok, new_price_per_mtok]
    comparator: "<="
    threshold: -50
    message: "{{series[model_id]}} {{value:+.1f}}%"
"""

MARTS = """
CREATE TABLE mart_open_weight_share (measurement_base VARCHAR, period_grain VARCHAR, period_start DATE,
    share_point DECIMAL(7, 6), share_lower DECIMAL(7, 6), share_upper DECIMAL(7, 6));
CREATE TABLE fct_price_changes (seller_id VARCHAR, model_id VARCHAR, token_type VARCHAR,
    old_price_per_mtok DECIMAL(38, 18), new_price_per_mtok DECIMAL(38, 18), change_pct DECIMAL(18, 4),
    effective_date DATE);
"""


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "costcurve.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute(MARTS)
    return path


@pytest.fixture
def con(db: Path):
    connection = duckdb.connect(str(db))
    yield connection
    connection.close()


@pytest.fixture
def params(tmp_path: Path, httpserver) -> AlertParams:
    path = tmp_path / "rules.yml"
    path.write_text(RULES.format(max_attempts=3), encoding="utf-8")
    return AlertParams(rules_path=path, webhook_url=httpserver.url_for("/hooks/costcurve"), webhook_secret=SECRET,
                       user_agent="costcurve-test/1.0 (alerts)", timeout=(2.0, 5.0), retry=FAST, environ={},
                       allow_loopback=True)


def add_share(con, day: date, point: str, lower: str = "0.20", upper: str = "0.40",
              base: str = BASE) -> None:
    con.execute("INSERT INTO mart_open_weight_share VALUES (?, 'day', ?, ?, ?, ?)", [base, day, point, lower, upper])
    # a week row on the same day must not count as a day (the rule filters period_grain = day)
    con.execute("INSERT INTO mart_open_weight_share VALUES (?, 'week', ?, 0.99, 0.99, 0.99)", [base, day])


def daily(con, params, values: list[str | None], start: int = 0) -> list:
    """Each value is one usage day's share (None: no row that day, e.g. a source gone stale), then a run."""
    summaries = []
    for i, value in enumerate(values, start=start):
        day = DAY0 + timedelta(days=i)
        if value is not None:
            add_share(con, day, value)
        summaries.append(alerts.run(con, params, day))
    return summaries


def bodies(httpserver) -> list[dict]:
    return [json.loads(request.get_data()) for request, _ in httpserver.log]


def outbox(con) -> list[tuple]:
    return con.execute("SELECT alert_status, status, attempts, last_error FROM alerts.events "
                       "ORDER BY period, alert_status").fetchall()


def test_crossing_and_staying_up_five_days_sends_exactly_one_signed_firing_event(con, params, httpserver):
    httpserver.expect_request("/hooks/costcurve", method="POST").respond_with_data("ok")

    daily(con, params, ["0.20", "0.26", "0.27", "0.30", "0.28", "0.26"])  # crosses on day 1, up 5 days
    alerts.run(con, params, DAY0 + timedelta(days=5))  # re-running the last day

    assert len(httpserver.log) == 1
    request, _ = httpserver.log[0]
    payload = Webhook(SECRET).verify(request.get_data(), dict(request.headers))
    assert request.headers["webhook-id"] == payload["id"]
    assert request.headers["User-Agent"] == "costcurve-test/1.0 (alerts)"
    assert payload["status"] == "firing" and payload["type"] == "costcurve.alert.firing"
    assert payload["rule_id"] == "open_weight_share_25" and payload["kind"] == "threshold"
    assert payload["series"] == {"measurement_base": BASE}
    assert payload["period"] == "2026-07-02" and payload["partition"] == "2026-07-02"
    assert (payload["value"], payload["threshold"], payload["clear"], payload["comparator"]) == (
        "0.26", "0.25", "0.24", ">=")
    assert payload["data"] == {"share_lower": "0.2", "share_upper": "0.4"}
    assert payload["episode_id"].startswith("ep_")
    assert payload["summary"] == f"Open-weight share 26.0% on 2026-07-02 ({BASE}), firing"
    assert outbox(con) == [("firing", "delivered", 1, None)]


def test_oscillating_inside_the_hysteresis_band_is_no_storm(con, params, httpserver):
    httpserver.expect_request("/hooks/costcurve").respond_with_data("ok")
    # 0.25 fires; then it hovers between clear (0.24) and threshold (0.25) and back, 8 days
    daily(con, params, ["0.25", "0.245", "0.251", "0.241", "0.25", "0.2401", "0.26", "0.245"])
    assert [b["status"] for b in bodies(httpserver)] == ["firing"]


def test_dropping_below_clear_sends_one_resolved_event_with_the_same_episode(con, params, httpserver):
    httpserver.expect_request("/hooks/costcurve").respond_with_data("ok")
    daily(con, params, ["0.30", "0.26", "0.2399", "0.10", "0.20"])
    firing, resolved = bodies(httpserver)
    assert (firing["status"], resolved["status"]) == ("firing", "resolved")
    assert firing["episode_id"] == resolved["episode_id"]
    assert firing["id"] != resolved["id"]
    assert resolved["period"] == "2026-07-03" and resolved["value"] == "0.2399"


def test_stale_input_does_not_resolve(con, params, httpserver):
    httpserver.expect_request("/hooks/costcurve").respond_with_data("ok")
    daily(con, params, ["0.30", None, None, None, None, None])  # the source stops after day 0
    con.execute("UPDATE mart_open_weight_share SET share_point = NULL")  # and a restated day has no value
    daily(con, params, [None, None], start=6)
    assert [b["status"] for b in bodies(httpserver)] == ["firing"]
    assert con.execute("SELECT state FROM alerts.series_state").fetchall() == [("firing",)]


def test_thirty_replayed_past_days_send_nothing_and_later_days_do_not_page_for_them(con, params, httpserver):
    httpserver.expect_request("/hooks/costcurve").respond_with_data("ok")
    for i in range(30):
        day = DAY0 + timedelta(days=i)
        add_share(con, day, "0.30" if i % 10 < 5 else "0.10")  # three episodes fire and resolve
        alerts.run(con, params, day, send=False)
    alerts.run(con, params, DAY0 + timedelta(days=29))  # the daily run of the last replayed day
    assert httpserver.log == []
    # 30 days: days 0-4, 10-14, 20-24 high -> 3 firing and 3 resolved, all suppressed
    assert con.execute("SELECT alert_status, status, count(*) FROM alerts.events GROUP BY ALL ORDER BY 1").fetchall() == [
        ("firing", "suppressed", 3), ("resolved", "suppressed", 3)]


def test_first_run_over_history_sends_what_is_firing_now_not_old_episodes(con, params, httpserver):
    httpserver.expect_request("/hooks/costcurve").respond_with_data("ok")
    for i, value in enumerate(["0.30", "0.10"] + ["0.10"] * 20 + ["0.30"]):
        add_share(con, DAY0 + timedelta(days=i), value)
    alerts.run(con, params, DAY0 + timedelta(days=30))
    # the episode of day 0 fired and resolved weeks ago (suppressed); day 22's is firing now (sent)
    assert [(b["status"], b["period"]) for b in bodies(httpserver)] == [("firing", "2026-07-23")]


def test_one_event_per_price_change(con, params, httpserver):
    httpserver.expect_request("/hooks/costcurve").respond_with_data("ok")
    con.execute("""INSERT INTO fct_price_changes VALUES
        ('openrouter', 'm/a', 'input', 2, 1, -50, DATE '2026-07-03'),    -- -50%: fires (<= -50)
        ('openrouter', 'm/a', 'output', 10, 6, -40, DATE '2026-07-03'),  -- -40%: does not
        ('openrouter', 'm/b', 'input', 4, 1, -75, DATE '2026-07-05')""")  # -75%: fires
    for i in range(3, 8):
        alerts.run(con, params, DAY0 + timedelta(days=i))
    assert sorted((b["series"]["model_id"], b["value"], b["period"]) for b in bodies(httpserver)) == [
        ("m/a", "-50", "2026-07-03"), ("m/b", "-75", "2026-07-05")]


@pytest.mark.parametrize("status", [500, 503, 429, 408])
def test_transient_errors_are_retried_and_delivered_once_with_one_id(con, params, httpserver, status):
    for _ in range(3):
        httpserver.expect_ordered_request("/hooks/costcurve").respond_with_data("busy", status=status)
    httpserver.expect_ordered_request("/hooks/costcurve").respond_with_data("ok")

    (summary,) = daily(con, params, ["0.30"])

    assert (summary.delivered, summary.failed) == (1, 0)
    assert len(httpserver.log) == 4
    assert len({request.headers["webhook-id"] for request, _ in httpserver.log}) == 1
    assert len({request.get_data() for request, _ in httpserver.log}) == 1
    assert outbox(con) == [("firing", "delivered", 1, None)]
    httpserver.check_assertions()


def test_receiver_down_past_the_budget_is_dead_lettered_and_replay_delivers(con, params, httpserver):
    httpserver.expect_request("/hooks/costcurve").respond_with_data("down for maintenance", status=500)
    daily(con, params, ["0.30", "0.30", "0.30"])  # max_attempts 3: three runs, each with 1 + 3 tries
    assert len(httpserver.log) == 3 * 4
    ((_, status, attempts, error),) = outbox(con)
    assert (status, attempts) == ("dead", 3)
    assert "HTTP 500" in error and "dead-lettered after 3 round(s)" in error
    assert "/hooks/costcurve" not in error  # the URL path may be a credential

    daily(con, params, ["0.30"], start=3)  # dead rows are not retried by ordinary runs
    assert len(httpserver.log) == 12

    event_id = con.execute("SELECT event_id FROM alerts.events").fetchone()[0]
    assert replay(con, event_id) == 1
    httpserver.clear()
    httpserver.expect_request("/hooks/costcurve").respond_with_data("ok")
    daily(con, params, [None], start=4)
    assert [r.headers["webhook-id"] for r, _ in httpserver.log] == [event_id]
    assert outbox(con)[0][1] == "delivered"


def test_a_crash_between_state_commit_and_send_is_delivered_by_the_next_run(db, params, httpserver):
    httpserver.expect_request("/hooks/costcurve").respond_with_data("ok")
    with duckdb.connect(str(db)) as con:
        add_share(con, DAY0, "0.30")
        alerts.evaluate_and_record(con, params, DAY0)  # committed; then the process dies before sending
    assert httpserver.log == []
    with duckdb.connect(str(db)) as con:
        summary = alerts.run(con, params, DAY0)  # the re-run of the day
        assert (summary.new, summary.delivered) == (0, 1)
    assert [b["status"] for b in bodies(httpserver)] == ["firing"]


def test_410_disables_the_receiver_until_enabled(con, params, httpserver):
    httpserver.expect_request("/hooks/costcurve").respond_with_data("gone", status=410)
    daily(con, params, ["0.30", "0.10", "0.30"])  # firing, resolved, firing: only the first is tried
    assert len(httpserver.log) == 1
    assert con.execute("SELECT receiver_id FROM alerts.receivers").fetchall() == [("default",)]
    assert [row[1] for row in outbox(con)] == ["failed", "pending", "pending"]

    assert enable_receiver(con, "default")
    httpserver.clear()
    httpserver.expect_request("/hooks/costcurve").respond_with_data("ok")
    daily(con, params, [None], start=3)
    assert [b["status"] for b in bodies(httpserver)] == ["firing", "resolved", "firing"]


@pytest.mark.parametrize("status", [400, 401, 404, 422])
def test_other_client_errors_are_not_retried(con, params, httpserver, status):
    httpserver.expect_request("/hooks/costcurve").respond_with_data("bad request", status=status)
    daily(con, params, ["0.30", "0.30"])
    assert len(httpserver.log) == 1
    assert outbox(con)[0][1:3] == ("dead", 1)


def test_redirects_are_not_followed(con, params, httpserver):
    httpserver.expect_request("/hooks/costcurve").respond_with_data("", status=301, headers={"Location": "/x"})
    daily(con, params, ["0.30"])
    assert len(httpserver.log) == 1
    assert "redirects are not followed" in outbox(con)[0][3]


def test_a_tampered_body_fails_verification(con, params, httpserver):
    httpserver.expect_request("/hooks/costcurve").respond_with_data("ok")
    daily(con, params, ["0.30"])
    request, _ = httpserver.log[0]
    Webhook(SECRET).verify(request.get_data(), dict(request.headers))
    tampered = request.get_data().replace(b'"0.3"', b'"0.2"')
    assert tampered != request.get_data()
    with pytest.raises(Exception, match="No matching signature"):
        Webhook(SECRET).verify(tampered, dict(request.headers))


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_secret_urls_never_reach_logs_errors_or_reprs_at_debug(con, params, httpserver, caplog):
    token_path, token_query = "/hooks/T0SECRETPATH", "token=QUERYSECRET"
    httpserver.expect_request(token_path).respond_with_data("nope", status=500)
    secret_url = httpserver.url_for(token_path) + "?" + token_query
    down_url = f"http://127.0.0.1:{_closed_port()}{token_path}?{token_query}"
    add_share(con, DAY0, "0.30")
    with caplog.at_level(logging.DEBUG):
        alerts.run(con, replace(params, webhook_url=secret_url), DAY0)
        alerts.run(con, replace(params, webhook_url=down_url), DAY0)  # urllib3 warns "Retrying ... <path>"
    # the receiver's own access log (werkzeug, the test server) is the receiver's business, not ours
    ours = "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith("werkzeug"))
    assert "Retrying" in ours and "Incremented Retry" in ours  # urllib3 did log the lines that held the URL
    text = ours + repr(params) + repr(outbox(con))
    for secret in ("T0SECRETPATH", "QUERYSECRET", SECRET.removeprefix("whsec_")):
        assert secret not in text
    assert "ConnectionError" in outbox(con)[0][3]


def test_a_malformed_url_is_refused_without_echoing_it(con, params, httpserver):
    add_share(con, DAY0, "0.30")
    with pytest.raises(WebhookConfigError) as info:
        alerts.run(con, replace(params, webhook_url="http://alice-the-user:pw@127.0.0.1:notaport/x"), DAY0)
    assert "alice-the-user" not in str(info.value) and "COSTCURVE_ALERT_WEBHOOK_URL" in str(info.value)
    assert outbox(con) == [("firing", "pending", 0, None)]  # recorded: the next good run sends it
    assert httpserver.log == []


def test_a_bad_secret_fails_loudly_after_recording_the_event(con, params, httpserver):
    add_share(con, DAY0, "0.30")
    with pytest.raises(WebhookConfigError, match="COSTCURVE_ALERT_WEBHOOK_SECRET") as info:
        alerts.run(con, replace(params, webhook_secret="not-a-whsec-secret"), DAY0)
    assert "not-a-whsec-secret" not in str(info.value)
    assert outbox(con) == [("firing", "pending", 0, None)]


def test_without_a_url_events_wait_pending_until_one_is_configured(con, params, httpserver):
    httpserver.expect_request("/hooks/costcurve").respond_with_data("ok")
    (summary,) = daily(con, replace(params, webhook_url=None), ["0.30"])
    assert (summary.new, summary.pending, summary.delivered) == (1, 1, 0)
    assert "no URL for receiver(s) default" in summary.message
    daily(con, params, [None], start=20)
    assert len(httpserver.log) == 1


def test_delivery_does_not_hold_the_writer(db, params, httpserver):
    """While the receiver is being called, another process could open the warehouse for writing."""
    held = []

    class Writer:
        def __enter__(self):
            held.append(True)
            self.con = duckdb.connect(str(db))
            return self.con

        def __exit__(self, *exc):
            self.con.close()
            held.pop()

    def handler(request):
        with duckdb.connect(str(db)) as other:  # fails if our writer still held the file
            other.execute("SELECT 1")
        assert not held
        return Response("ok")

    httpserver.expect_request("/hooks/costcurve").respond_with_handler(handler)
    with Writer() as con:
        add_share(con, DAY0, "0.30")
        recorded = alerts.evaluate_and_record(con, params, DAY0)
    summary = alerts.deliver(Writer, params, recorded)
    assert (summary.delivered, summary.failed) == (1, 0)


@pytest.fixture
def no_connections(monkeypatch):
    """Records every TCP connect attempt urllib3 makes (there must be none to a refused receiver)."""
    import urllib3.util.connection

    attempts = []
    real = urllib3.util.connection.create_connection

    def spy(address, *args, **kwargs):
        attempts.append(address)
        return real(address, *args, **kwargs)

    monkeypatch.setattr(urllib3.util.connection, "create_connection", spy)
    monkeypatch.setattr("urllib3.connection.connection.create_connection", spy)
    return attempts


@pytest.mark.parametrize("url", [
    "http://10.1.2.3/hooks/x",           # private
    "http://192.168.0.10:8080/hooks/x",  # private
    "http://169.254.169.254/latest/meta-data",  # link-local: the cloud metadata address
    "https://[fd00::1]/hooks/x",         # IPv6 unique local
])
def test_private_and_link_local_receivers_are_refused_before_connecting(con, params, url, no_connections):
    add_share(con, DAY0, "0.30")
    summary = alerts.run(con, replace(params, webhook_url=url), DAY0)
    assert (summary.delivered, summary.dead) == (0, 1)
    assert no_connections == []
    assert "SSRF guard" in outbox(con)[0][3]


def test_a_hostname_resolving_to_a_private_address_is_refused(con, params, monkeypatch, no_connections):
    """DNS decides at connect time (a name that rebinds to the metadata address is caught then)."""
    import socket as socket_module

    real = socket_module.getaddrinfo

    def resolve(host, *args, **kwargs):
        if host == "hooks.rebind.test":
            return [(socket_module.AF_INET, socket_module.SOCK_STREAM, 6, "", ("169.254.169.254", 80))]
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket_module, "getaddrinfo", resolve)
    add_share(con, DAY0, "0.30")
    summary = alerts.run(con, replace(params, webhook_url="http://hooks.rebind.test/hooks/x"), DAY0)
    assert summary.dead == 1 and no_connections == []


def test_loopback_is_refused_unless_allowed(con, params, httpserver):
    httpserver.expect_request("/hooks/costcurve").respond_with_data("ok")
    add_share(con, DAY0, "0.30")
    assert alerts.run(con, replace(params, allow_loopback=False), DAY0).dead == 1
    assert httpserver.log == []


STALE_RULES = """
version: 2
rules:
  - id: source_stale
    kind: stale_source
    stale_after_days: {daily: 3}
    message: "{series[source_id]}: {value} days since {row[last_capture]}, {status}"
"""


def test_a_source_without_a_capture_for_n_days_fires_once_and_a_capture_resolves_it(con, params, httpserver,
                                                                                      tmp_path):
    httpserver.expect_request("/hooks/costcurve").respond_with_data("ok")
    rules = tmp_path / "stale.yml"
    rules.write_text(STALE_RULES, encoding="utf-8")
    cadences = {"anthropic": "daily", "throughput_disclosures": "on change (edited by hand, read every run)",
                "never_seen": "daily"}
    stale = replace(params, rules_path=rules, source_cadences=cadences)
    con.execute("CREATE SCHEMA raw; CREATE TABLE raw.fetches (partition_date DATE, source_id VARCHAR, http_status INTEGER)")
    con.execute("INSERT INTO raw.fetches VALUES (DATE '2026-07-01', 'anthropic', 200), (DATE '2026-07-03', 'anthropic', 503),"
                " (DATE '2026-07-01', 'throughput_disclosures', 200)")
    for i in range(1, 7):  # 2026-07-02 .. 07-07: 1..6 days since the last good capture (the 503 does not count)
        alerts.run(con, stale, DAY0 + timedelta(days=i))
    con.execute("INSERT INTO raw.fetches VALUES (DATE '2026-07-08', 'anthropic', 200)")
    alerts.run(con, stale, DAY0 + timedelta(days=7))
    sent = bodies(httpserver)
    # fires on 07-04 (3 days: 4 - 1), resolves on 07-08; 'on change' and never-captured sources are not judged
    assert [(b["status"], b["series"], b["value"], b["period"]) for b in sent] == [
        ("firing", {"source_id": "anthropic"}, "3", "2026-07-04"),
        ("resolved", {"source_id": "anthropic"}, "0", "2026-07-08")]
    assert sent[0]["kind"] == "stale_source" and sent[0]["episode_id"] == sent[1]["episode_id"]
    assert sent[0]["summary"] == "anthropic: 3 days since 2026-07-01, firing"


def test_several_receivers_each_get_the_event_once_and_slack_gets_text(con, params, httpserver, tmp_path):
    httpserver.expect_request("/hooks/costcurve").respond_with_data("ok")
    httpserver.expect_request("/slack/T0").respond_with_data("ok")
    rules = tmp_path / "two.yml"
    rules.write_text(RULES.format(max_attempts=3).replace(
        "rules:\n", "  - id: chat\n    url_env: TEAM_CHAT_URL\n    format: slack\nrules:\n", 1).replace(
        "    clear: 0.24\n", "    clear: 0.24\n    receivers: [default, chat]\n", 1), encoding="utf-8")
    two = replace(params, rules_path=rules, environ={"TEAM_CHAT_URL": httpserver.url_for("/slack/T0")})
    daily(con, two, ["0.30", "0.31"])
    by_path = {request.path: request for request, _ in httpserver.log}
    assert sorted(by_path) == ["/hooks/costcurve", "/slack/T0"] and len(httpserver.log) == 2
    assert by_path["/hooks/costcurve"].headers["webhook-id"] == by_path["/slack/T0"].headers["webhook-id"]
    assert json.loads(by_path["/slack/T0"].get_data()) == {
        "text": f"[warning] firing: Open-weight share 30.0% on 2026-07-01 ({BASE}), firing"}
    assert "webhook-signature" not in by_path["/slack/T0"].headers  # no secret_env: sent unsigned
