"""The HTTP client against a real server on loopback (pytest-httpserver)."""

from __future__ import annotations

import ipaddress
import socket
import time
import tracemalloc
import zlib

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Response

from scrapers.errors import DeadlineExceededError, FetchError, ForbiddenAddressError, RetryAfterTooLongError
from scrapers.http import HostPacer, HttpClient, retry_after_seconds

UA = "costcurve-test/1.0 (test@example.com)"


def client(**kwargs) -> HttpClient:
    # allow_loopback: every test server is on loopback, which a production client refuses
    defaults = dict(retries=2, backoff_factor=0.01, pacer=HostPacer(default=0.0), respect_robots=False,
                    allow_loopback=True)
    defaults.update(kwargs)
    return HttpClient(UA, **defaults)


def test_sends_user_agent_and_returns_body(httpserver):
    httpserver.expect_request("/p", headers={"User-Agent": UA}).respond_with_data("hello", content_type="text/plain")
    resp = client().get("src", httpserver.url_for("/p"))
    assert resp.body == b"hello"
    assert resp.status == 200
    assert resp.content_type.startswith("text/plain")
    assert resp.fetched_at.tzinfo is not None


def test_retries_5xx_then_succeeds(httpserver):
    httpserver.expect_ordered_request("/flaky").respond_with_data("no", status=503)
    httpserver.expect_ordered_request("/flaky").respond_with_data("yes")
    assert client().get("src", httpserver.url_for("/flaky")).body == b"yes"


def test_honours_retry_after_on_429(httpserver):
    httpserver.expect_ordered_request("/limited").respond_with_response(
        Response("slow down", status=429, headers={"Retry-After": "1"})
    )
    httpserver.expect_ordered_request("/limited").respond_with_data("ok")
    started = time.monotonic()
    assert client().get("src", httpserver.url_for("/limited")).body == b"ok"
    assert time.monotonic() - started >= 0.9  # waited as the server asked, not the tiny backoff


def test_retry_after_over_the_cap_fails_fast_with_the_reason(httpserver):
    # urllib3 alone would sleep up to 6 hours here, on each of the retries.
    httpserver.expect_request("/limited").respond_with_response(
        Response("come back tomorrow", status=429, headers={"Retry-After": "100000"})
    )
    url = httpserver.url_for("/limited")
    started = time.monotonic()
    with pytest.raises(RetryAfterTooLongError) as info:
        client(retries=4, retry_after_max=60).get("my_source", url)
    assert time.monotonic() - started < 30  # generous: the point is "not 100000 s"
    assert len(httpserver.log) == 1  # no retry was even tried
    assert info.value.source_id == "my_source" and info.value.url == url
    assert "100000" in str(info.value) and "cap of 60 s" in str(info.value)


def test_retry_after_as_an_http_date_is_capped_too(httpserver):
    httpserver.expect_request("/limited").respond_with_response(
        Response("later", status=503, headers={"Retry-After": "Fri, 31 Dec 2100 23:59:59 GMT"})
    )
    with pytest.raises(RetryAfterTooLongError, match="over the cap"):
        client(retry_after_max=60).get("src", httpserver.url_for("/limited"))


def test_retry_after_within_the_cap_but_past_the_deadline_fails_without_waiting(httpserver):
    httpserver.expect_request("/limited").respond_with_response(
        Response("wait", status=429, headers={"Retry-After": "50"})
    )
    started = time.monotonic()
    with pytest.raises(DeadlineExceededError, match="asks for 50 s"):
        client(retry_after_max=60, deadline=5).get("src", httpserver.url_for("/limited"))
    assert time.monotonic() - started < 30  # failed at once instead of sleeping 50 s


def test_retry_after_parses_seconds_and_dates():
    from datetime import UTC, datetime

    now = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
    assert retry_after_seconds("120", now) == 120
    assert retry_after_seconds("Wed, 02 Dec 2026 12:01:30 GMT", now) == 90  # 12:01:30 - 12:00:00 = 90 s
    assert retry_after_seconds("Wed, 02 Dec 2026 11:00:00 GMT", now) == 0  # in the past: go now
    assert retry_after_seconds("soon", now) is None
    assert retry_after_seconds(None, now) is None


def dripping(byte_every: float, count: int):
    """A body that arrives one byte every ``byte_every`` seconds, ``count`` bytes in all (it ends by
    itself, so a client that hangs up, or a test that fails, leaves no server writing for long)."""

    def body():
        for _ in range(count):
            yield b"x"
            time.sleep(byte_every)

    return Response(body(), status=200, headers={"Content-Length": str(count)}, direct_passthrough=True)


def test_a_dripping_server_fails_at_the_deadline(httpserver):
    # 40 bytes, one each 0.5 s = 20 s in all; every byte comes well within the 5 s read timeout,
    # so only the overall deadline can stop it.
    httpserver.expect_request("/drip").respond_with_response(dripping(0.5, 40))
    url = httpserver.url_for("/drip")
    started = time.monotonic()
    with pytest.raises(DeadlineExceededError) as info:
        client(read_timeout=5, deadline=2, retries=0).get("my_source", url)
    elapsed = time.monotonic() - started
    assert elapsed < 15  # generous, but well under the 20 s the drip would take
    assert "deadline of 2 s" in str(info.value) and "reading the body" in str(info.value)
    assert info.value.source_id == "my_source" and info.value.url == url


def test_a_stalled_server_times_out_and_is_retried_within_the_deadline(httpserver):
    def stall(request):
        time.sleep(2)  # no byte at all for 2 s, past the 0.5 s read timeout
        return Response("late")

    httpserver.expect_request("/stall").respond_with_handler(stall)
    started = time.monotonic()
    with pytest.raises(FetchError, match="ReadTimeout"):
        client(read_timeout=0.5, retries=1, deadline=30).get("src", httpserver.url_for("/stall"))
    assert time.monotonic() - started < 25  # generous; two 0.5 s waits and the server's own 2 s stalls
    # the server logs a request when its handler returns: wait (bounded) for both stalls to end, so
    # they are counted here and do not spill into the next test
    for _ in range(100):
        if len(httpserver.log) >= 2:
            break
        time.sleep(0.1)
    assert len(httpserver.log) == 2  # the first try and one retry


def test_gives_up_after_retries_with_named_error(httpserver):
    httpserver.expect_request("/down").respond_with_data("x", status=500)
    url = httpserver.url_for("/down")
    with pytest.raises(FetchError) as info:
        client(retries=1).get("my_source", url)
    assert info.value.source_id == "my_source"
    assert url in str(info.value)
    assert len(httpserver.log) == 2  # the first try and one retry


def test_404_is_not_retried(httpserver):
    httpserver.expect_request("/missing").respond_with_data("nope", status=404)
    with pytest.raises(FetchError, match="HTTP 404"):
        client().get("src", httpserver.url_for("/missing"))
    assert len(httpserver.log) == 1


def test_caps_response_size(httpserver):
    httpserver.expect_request("/big").respond_with_data("x" * 5000)
    with pytest.raises(FetchError, match="exceeds cap"):
        client(max_bytes=1000).get("src", httpserver.url_for("/big"))


def test_respects_robots_txt(httpserver):
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nDisallow: /private/\n")
    httpserver.expect_request("/public/page").respond_with_data("fine")
    c = client(respect_robots=True)
    assert c.get("src", httpserver.url_for("/public/page")).body == b"fine"
    with pytest.raises(FetchError, match="robots"):
        c.get("src", httpserver.url_for("/private/page"))


def test_robots_txt_wildcards_and_end_anchors_are_honoured(httpserver):
    # RFC 9309 2.2.3: `*` matches any characters and `$` ends a pattern; urllib.robotparser reads both
    # literally, so this page was fetched before protego
    httpserver.expect_request("/robots.txt").respond_with_data(
        "User-agent: *\nDisallow: /*/preview\nDisallow: /*.json$\n"
    )
    httpserver.expect_request("/pricing/preview").respond_with_data("never fetched")
    httpserver.expect_request("/models.json").respond_with_data("never fetched")
    httpserver.expect_request("/models.json.html").respond_with_data("fine")
    c = client(respect_robots=True)
    for path in ("/pricing/preview", "/models.json"):
        with pytest.raises(FetchError, match="robots"):
            c.get("src", httpserver.url_for(path))
    assert c.get("src", httpserver.url_for("/models.json.html")).body == b"fine"
    assert [req.path for req, _ in httpserver.log] == ["/robots.txt", "/models.json.html"]


def test_robots_txt_over_the_cap_is_refused_before_its_body(httpserver):
    # "User-agent: *\n" is 14 bytes, "Allow: /\n" 9: 23 x 1000 = 23,000 bytes, declared in Content-Length
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nAllow: /\n" * 1000)
    httpserver.expect_request("/page").respond_with_data("never fetched")
    with pytest.raises(FetchError, match="robots.txt unreadable: response of 23000 bytes exceeds cap of 1000"):
        client(respect_robots=True, robots_max_bytes=1000).get("src", httpserver.url_for("/page"))
    assert [req.path for req, _ in httpserver.log] == ["/robots.txt"]  # the page was not asked for


def gzip_bomb(decompressed_mb: int) -> bytes:
    """``decompressed_mb`` MiB of a repeated robots.txt line, gzip-compressed (about 1000:1), built in
    1 MiB steps so the test itself never holds the inflated text."""
    line = b"User-agent: *\nDisallow: /a/\n"
    step = line * (1024 * 1024 // len(line))
    zipper = zlib.compressobj(9, zlib.DEFLATED, 31)  # wbits 31: a gzip member
    parts = [zipper.compress(step) for _ in range(decompressed_mb)]
    return b"".join(parts) + zipper.flush()


def test_a_gzip_bomb_robots_txt_is_refused_without_inflating_it(httpserver):
    # 128 MiB inflated, about 330 KB on the wire: under the cap as sent, so only counting the inflated
    # bytes as they are read can refuse it
    bomb = gzip_bomb(128)
    assert len(bomb) < 500 * 1024
    httpserver.expect_request("/robots.txt").respond_with_response(
        Response(bomb, headers={"Content-Encoding": "gzip", "Content-Type": "text/plain"})
    )
    c = client(respect_robots=True)  # the default robots cap, 500 KiB
    tracemalloc.start()
    try:
        with pytest.raises(FetchError, match="robots.txt unreadable: response exceeds cap of 512000 bytes"):
            c.get("src", httpserver.url_for("/page"))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # generous: the cap (500 KiB) plus a read's worth; reading it whole would need 128 MiB
    assert peak < 32 * 1024 * 1024, f"peak {peak} bytes while refusing a robots.txt"
    with pytest.raises(FetchError, match="robots.txt unreadable"):  # remembered: not fetched again
        c.get("src", httpserver.url_for("/other"))
    assert [req.path for req, _ in httpserver.log] == ["/robots.txt"]


def test_robots_txt_5xx_disallows_everything(httpserver):
    httpserver.expect_request("/robots.txt").respond_with_data("down", status=503)
    with pytest.raises(FetchError, match="disallowed by robots.txt"):
        client(respect_robots=True, retries=1).get("src", httpserver.url_for("/page"))
    assert [req.path for req, _ in httpserver.log] == ["/robots.txt", "/robots.txt"]  # retried like a page


def test_missing_robots_txt_allows(httpserver):
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/page").respond_with_data("ok")
    assert client(respect_robots=True).get("src", httpserver.url_for("/page")).body == b"ok"


def test_connection_refused_is_a_fetch_error():
    with pytest.raises(FetchError, match="ConnectionError"):
        client(retries=0).get("src", "http://127.0.0.1:9/never")


def test_pacer_spaces_requests_to_one_host():
    pacer = HostPacer({"a": 0.2}, default=0.0)
    started = time.monotonic()
    pacer.wait("a")
    pacer.wait("a")
    pacer.wait("b")  # another host is not held back
    assert time.monotonic() - started >= 0.19


# Redirects. No test sends traffic beyond loopback: ``loopback_only`` fails any other connect, so a
# refused address is shown refused by resolution alone.


@pytest.fixture
def loopback_only(monkeypatch):
    """Records (and blocks) any connect to an address that is not loopback."""
    attempts: list = []
    real_connect = socket.socket.connect

    def guarded(sock, address):
        if isinstance(address, tuple) and not ipaddress.ip_address(address[0].split("%")[0]).is_loopback:
            attempts.append(address)
            raise OSError(f"test guard: no traffic beyond loopback ({address})")
        return real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)
    return attempts


@pytest.fixture
def other_server():
    """A second server on loopback: another port, so another origin."""
    server = HTTPServer()
    server.start()
    yield server
    server.clear()
    server.stop()


def test_a_redirect_to_another_loopback_port_is_followed_when_loopback_is_allowed(httpserver, other_server,
                                                                                    loopback_only):
    httpserver.expect_request("/start").respond_with_data("", status=302,
                                                           headers={"Location": other_server.url_for("/landing")})
    other_server.expect_request("/landing").respond_with_data("landed")
    resp = client(allow_loopback=True).get("src", httpserver.url_for("/start"))
    assert resp.body == b"landed"
    assert resp.url == httpserver.url_for("/start")  # provenance keeps the URL the source asked for
    assert len(httpserver.log) == 1 and len(other_server.log) == 1
    assert loopback_only == []


def test_loopback_is_refused_unless_allowed(httpserver, other_server, loopback_only):
    httpserver.expect_request("/start").respond_with_data("", status=302,
                                                           headers={"Location": other_server.url_for("/landing")})
    other_server.expect_request("/landing").respond_with_data("landed")
    url = httpserver.url_for("/start")
    with pytest.raises(ForbiddenAddressError) as info:
        client(allow_loopback=False).get("my_source", url)
    assert info.value.source_id == "my_source" and info.value.url == url
    assert "not a public address" in str(info.value)
    assert httpserver.log == [] and other_server.log == []  # refused before the first byte was sent


@pytest.mark.parametrize(
    "target, address",
    [
        ("http://10.0.0.5/admin", "10.0.0.5"),  # private (RFC 1918)
        ("http://192.168.1.1/", "192.168.1.1"),  # private (RFC 1918)
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254"),  # link-local: cloud metadata
        ("http://100.64.0.1/", "100.64.0.1"),  # carrier-grade NAT
        ("http://[fd00::1]/", "fd00::1"),  # IPv6 unique local
        ("http://[fe80::1]/", "fe80::1"),  # IPv6 link-local
        ("http://0.0.0.0:8080/", "0.0.0.0"),  # "this host"
    ],
)
def test_a_redirect_to_a_non_public_address_is_refused_before_connecting(httpserver, loopback_only, target,
                                                                          address):
    httpserver.expect_request("/start").respond_with_data("", status=302, headers={"Location": target})
    url = httpserver.url_for("/start")
    with pytest.raises(ForbiddenAddressError) as info:
        client(allow_loopback=True, retries=2).get("my_source", url)
    assert f"redirect to {target}" in str(info.value) and address in str(info.value)
    assert info.value.url == url
    assert loopback_only == []  # resolution alone refused it
    assert len(httpserver.log) == 1  # a refusal is not retried


def test_a_name_is_checked_by_the_address_it_resolves_to(httpserver, loopback_only, monkeypatch):
    """A public-looking name that resolves to the metadata address is refused: the IP is checked, not
    the name (and it is that checked IP that would be connected to)."""
    real_getaddrinfo = socket.getaddrinfo

    def fake_dns(host, *args, **kwargs):
        if host == "prices.example.com":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("169.254.169.254", 80))]
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", fake_dns)
    httpserver.expect_request("/start").respond_with_data(
        "", status=301, headers={"Location": "http://prices.example.com/pricing"}
    )
    with pytest.raises(ForbiddenAddressError, match="169.254.169.254 is not a public address"):
        client(allow_loopback=True).get("src", httpserver.url_for("/start"))
    assert loopback_only == []


def test_a_redirect_loop_stops_at_the_limit(httpserver):
    httpserver.expect_request("/loop").respond_with_data("", status=302, headers={"Location": "/loop"})
    with pytest.raises(FetchError, match="more than 3 redirects"):
        client(max_redirects=3).get("src", httpserver.url_for("/loop"))
    assert len(httpserver.log) == 4  # the first request and 3 redirects followed


def test_a_redirect_to_another_scheme_is_refused(httpserver):
    httpserver.expect_request("/start").respond_with_data("", status=302, headers={"Location": "file:///etc/passwd"})
    with pytest.raises(FetchError, match="only http and https are followed"):
        client().get("src", httpserver.url_for("/start"))


def test_caller_headers_do_not_follow_a_redirect_to_another_origin(httpserver, other_server):
    httpserver.expect_request("/start").respond_with_data("", status=302,
                                                           headers={"Location": other_server.url_for("/landing")})
    other_server.expect_request("/landing").respond_with_data("landed")
    client().get("src", httpserver.url_for("/start"), headers={"Authorization": "Bearer not-a-real-key"})
    first, _ = httpserver.log[0]
    landed, _ = other_server.log[0]
    assert first.headers.get("Authorization") == "Bearer not-a-real-key"
    assert "Authorization" not in landed.headers  # an API key is for the host it was meant for
