"""The HTTP client against a real server on loopback (pytest-httpserver)."""

from __future__ import annotations

import time

import pytest
from werkzeug import Response

from scrapers.errors import FetchError
from scrapers.http import HostPacer, HttpClient

UA = "costcurve-test/1.0 (test@example.com)"


def client(**kwargs) -> HttpClient:
    defaults = dict(retries=2, backoff_factor=0.01, pacer=HostPacer(default=0.0), respect_robots=False)
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
