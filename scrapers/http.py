"""The one HTTP client every source uses: retries, timeouts, a size cap, robots.txt, per-host pacing.

Why each piece:
- urllib3 ``Retry`` on 429/5xx honours ``Retry-After`` so a rate-limited source backs off as asked;
  after the retries the error is raised for that source alone (the run marks it failed, others go on).
- A hard cap on response bytes: a runaway or hostile response cannot fill the disk or memory.
- robots.txt is read once per host and respected; a disallowed URL is a ``FetchError``, not a fetch.
- Per-host pacing: SEC allows 10 requests per second; other hosts get a polite default.
"""

from __future__ import annotations

import threading
import time
import urllib.robotparser
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from scrapers.errors import FetchError

#: seconds between two requests to the same host (SEC's published limit is 10 requests per second)
HOST_MIN_INTERVAL = {"data.sec.gov": 0.1, "www.sec.gov": 0.1}
DEFAULT_MIN_INTERVAL = 1.0
CHUNK = 64 * 1024


@dataclass(frozen=True)
class Response:
    url: str
    status: int
    body: bytes
    content_type: str
    fetched_at: datetime
    etag: str | None = None
    last_modified: str | None = None


class HostPacer:
    """Keeps at least ``min_interval`` seconds between requests to one host (thread-safe)."""

    def __init__(self, intervals: dict[str, float] | None = None, default: float = DEFAULT_MIN_INTERVAL):
        self._intervals = dict(HOST_MIN_INTERVAL if intervals is None else intervals)
        self._default = default
        self._last: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, host: str) -> None:
        interval = self._intervals.get(host, self._default)
        with self._lock:
            now = time.monotonic()
            ready_at = self._last.get(host, 0.0) + interval
            delay = max(0.0, ready_at - now)
            self._last[host] = now + delay
        if delay:
            time.sleep(delay)


class HttpClient:
    def __init__(
        self,
        user_agent: str,
        *,
        connect_timeout: float = 10,
        read_timeout: float = 60,
        max_bytes: int = 20 * 1024 * 1024,
        retries: int = 4,
        backoff_factor: float = 1.0,
        pacer: HostPacer | None = None,
        respect_robots: bool = True,
    ):
        self.user_agent = user_agent
        self.timeout = (connect_timeout, read_timeout)
        self.max_bytes = max_bytes
        self.pacer = pacer or HostPacer()
        self.respect_robots = respect_robots
        self._robots: dict[str, urllib.robotparser.RobotFileParser | None] = {}
        retry = Retry(
            total=retries,
            connect=retries,
            read=retries,
            status=retries,
            status_forcelist=(429, 500, 502, 503, 504),
            allowed_methods=frozenset({"GET", "HEAD"}),
            backoff_factor=backoff_factor,
            backoff_max=120,
            respect_retry_after_header=True,
            raise_on_status=False,
        )
        self.session = requests.Session()
        adapter = HTTPAdapter(max_retries=retry)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.session.headers.update({"User-Agent": user_agent, "Accept-Encoding": "gzip, deflate"})

    def get(self, source_id: str, url: str, headers: dict[str, str] | None = None) -> Response:
        """GET ``url`` for ``source_id``; raises ``FetchError`` naming both on any failure."""
        if self.respect_robots and not self._allowed(url):
            raise FetchError(source_id, url, "disallowed by robots.txt (or robots.txt answered 5xx)")
        self.pacer.wait(urlsplit(url).netloc)
        try:
            with self.session.get(url, headers=headers, timeout=self.timeout, stream=True) as resp:
                body = self._read_capped(source_id, url, resp)
                if resp.status_code >= 400:
                    raise FetchError(source_id, url, f"HTTP {resp.status_code} after retries")
                return Response(
                    url=url,
                    status=resp.status_code,
                    body=body,
                    content_type=resp.headers.get("Content-Type", ""),
                    fetched_at=datetime.now(UTC),
                    etag=resp.headers.get("ETag"),
                    last_modified=resp.headers.get("Last-Modified"),
                )
        except requests.RequestException as exc:
            raise FetchError(source_id, url, f"{type(exc).__name__}: {exc}") from exc

    def _read_capped(self, source_id: str, url: str, resp: requests.Response) -> bytes:
        declared = resp.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > self.max_bytes:
            raise FetchError(source_id, url, f"response of {declared} bytes exceeds cap of {self.max_bytes}")
        chunks, size = [], 0
        for chunk in resp.iter_content(CHUNK):
            size += len(chunk)
            if size > self.max_bytes:
                raise FetchError(source_id, url, f"response exceeds cap of {self.max_bytes} bytes")
            chunks.append(chunk)
        return b"".join(chunks)

    def _allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._robots:
            self._robots[origin] = self._load_robots(origin)
        parser = self._robots[origin]
        return True if parser is None else parser.can_fetch(self.user_agent, url)

    def _load_robots(self, origin: str) -> urllib.robotparser.RobotFileParser | None:
        """robots.txt per RFC 9309: 4xx means no rules (None, allow all), 5xx means disallow all.

        A network error returns None so the page request itself fails with the real cause."""
        try:
            resp = self.session.get(f"{origin}/robots.txt", timeout=self.timeout)
        except requests.RequestException:
            return None
        parser = urllib.robotparser.RobotFileParser()
        if resp.status_code >= 500:
            parser.disallow_all = True
        elif resp.status_code >= 400:
            return None
        else:
            parser.parse(resp.text.splitlines())
        return parser
