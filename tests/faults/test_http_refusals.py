"""Two HTTP faults the client tests (tests/unit/scrapers/test_http.py) left out: a 403, and a page body
that is a gzip bomb. Both against a real server on loopback (pytest-httpserver).

What it shows: a 403 fails the source at once with a ``FetchError`` naming the source, the URL and the
status, and is not retried; a page small on the wire that inflates past the size cap is refused while it
is read, without the client ever holding the inflated body.
"""

from __future__ import annotations

import tracemalloc
import zlib

import pytest
from werkzeug import Response

from scrapers.errors import FetchError
from scrapers.http import HostPacer, HttpClient


def client(**kwargs) -> HttpClient:
    defaults = dict(retries=2, backoff_factor=0.01, pacer=HostPacer(default=0.0), respect_robots=False,
                    allow_loopback=True)  # the test server is on loopback
    return HttpClient("costcurve-test", **defaults | kwargs)


def gzip_bomb(decompressed_mib: int) -> bytes:
    """``decompressed_mib`` MiB of one repeated Markdown table row, gzip-compressed, built in 1 MiB steps."""
    row = b"| Model X | $1 / MTok | $2 / MTok |\n"
    step = row * (1024 * 1024 // len(row))
    zipper = zlib.compressobj(9, zlib.DEFLATED, 31)  # wbits 31: a gzip member
    return b"".join(zipper.compress(step) for _ in range(decompressed_mib)) + zipper.flush()


def test_a_403_fails_at_once_naming_source_url_and_status(httpserver):
    httpserver.expect_request("/pricing").respond_with_data("forbidden", status=403)
    url = httpserver.url_for("/pricing")
    with pytest.raises(FetchError, match="HTTP 403") as raised:
        client().get("anthropic", url)
    assert raised.value.source_id == "anthropic" and raised.value.url == url
    assert len(httpserver.log) == 1  # not retried


def test_a_gzip_bomb_page_is_refused_at_the_cap_without_inflating_it(httpserver):
    bomb = gzip_bomb(64)  # 64 MiB inflated, a small fraction of that on the wire
    cap = 1024 * 1024
    assert len(bomb) < cap  # under the cap as sent: only counting inflated bytes can refuse it
    httpserver.expect_request("/pricing.md").respond_with_response(
        Response(bomb, headers={"Content-Encoding": "gzip", "Content-Type": "text/markdown"})
    )
    tracemalloc.start()
    try:
        with pytest.raises(FetchError, match=f"response exceeds cap of {cap} bytes"):
            client(max_bytes=cap).get("anthropic", httpserver.url_for("/pricing.md"))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # generous: the cap plus a read's worth; reading it whole would need 64 MiB
    assert peak < 16 * 1024 * 1024, f"peak {peak} bytes while refusing the page"
