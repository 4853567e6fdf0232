"""A page in the wrong charset, and an empty 200 body, through the real fetch + parse path.

Each case is served by a real HTTP server on loopback (pytest-httpserver) and read by
``scrapers.collect.collect`` with the project's ``HttpClient``, exactly as the daily job reads a source.
The wrong-charset pages are real captures from ``../shared/samples`` re-encoded (UTF-16, GB18030,
cp1252); the test skips with a reason when the samples are absent.

What it shows: the source fails with ``LayoutDriftError`` naming the source and the URL, the body is
still kept in the raw archive, and no records come back as if the page listed no prices.
"""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from werkzeug import Response

from scrapers.archive import RawArchive
from scrapers.collect import collect
from scrapers.errors import LayoutDriftError
from scrapers.http import HostPacer, HttpClient
from scrapers.registry import Target, get_source

DAY = date(2026, 11, 20)

#: (source_id, sample under shared/samples, the wrong charset it is served in)
WRONG_CHARSET = [
    ("anthropic", "pages/anthropic_petehsu-LLM-Docs-2025-12.md", "utf-16"),
    ("deepseek_zh", "pages/deepseek-zh_petehsu-LLM-Docs-2025-12.md", "gb18030"),
    ("mistral", "pages/mistral_wzulfikar-fixture-2024-04.md", "cp1252"),  # its "€" and "©" as single bytes
]

#: (source_id, content type): one source per body format the parsers read
EMPTY_BODY = [
    ("anthropic", "text/markdown"),
    ("groq", "text/html"),
    ("litellm", "application/json"),
]


def client() -> HttpClient:
    return HttpClient("costcurve-test", retries=0, pacer=HostPacer(default=0.0), respect_robots=False,
                      allow_loopback=True)  # the test server is on loopback


def served(source_id: str, httpserver, body: bytes, content_type: str):
    """The registered source, its one target pointed at the loopback server serving ``body``."""
    source = get_source(source_id)
    key = source.targets[0].key
    httpserver.expect_request(f"/{key}").respond_with_response(
        Response(body, status=200, content_type=content_type)
    )
    url = httpserver.url_for(f"/{key}")
    return dataclasses.replace(source, target_spec=(Target(key, url),)), url


@pytest.mark.parametrize(("source_id", "sample", "charset"), WRONG_CHARSET, ids=[c[2] for c in WRONG_CHARSET])
def test_a_page_in_the_wrong_charset_is_drift_naming_source_and_url(samples_dir, tmp_path, httpserver,
                                                                     source_id, sample, charset):
    path = samples_dir / sample
    if not path.is_file():
        pytest.skip(f"sample {sample} not found under {samples_dir}")
    text = path.read_text(encoding="utf-8")
    assert any(ord(c) > 127 for c in text)  # the re-encoding changes bytes the parser reads
    body = text.encode(charset)
    source, url = served(source_id, httpserver, body, "text/plain")
    archive = RawArchive(tmp_path)

    with pytest.raises(LayoutDriftError) as raised:
        collect(source, DAY, archive, client=client())

    assert raised.value.source_id == source_id and raised.value.url == url
    assert "not UTF-8" in raised.value.message
    assert archive.object_count() == 1  # the capture is kept for a later look


def test_the_same_pages_in_utf8_parse(samples_dir, tmp_path, httpserver):
    """The control: served as they were captured, the pages above give records."""
    for source_id, sample, _ in WRONG_CHARSET:
        path = samples_dir / sample
        if not path.is_file():
            pytest.skip(f"sample {sample} not found under {samples_dir}")
        httpserver.clear()
        source, _ = served(source_id, httpserver, path.read_bytes(), "text/plain")
        got = collect(source, DAY, RawArchive(tmp_path / source_id), client=client())
        assert len(got.result.prices) > 0, source_id


@pytest.mark.parametrize(("source_id", "content_type"), EMPTY_BODY, ids=[c[0] for c in EMPTY_BODY])
def test_an_empty_200_body_is_drift_naming_source_and_url(tmp_path, httpserver, source_id, content_type):
    source, url = served(source_id, httpserver, b"", content_type)
    archive = RawArchive(tmp_path)

    with pytest.raises(LayoutDriftError) as raised:
        collect(source, DAY, archive, client=client())

    assert raised.value.source_id == source_id and raised.value.url == url
    assert f"[{source_id}]" in str(raised.value) and url in str(raised.value)
