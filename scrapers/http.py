"""The one HTTP client every source uses: retries, timeouts, a deadline, a size cap, robots.txt, pacing.

Why each piece:
- Retries on 429/5xx and network faults, with exponential backoff; ``Retry-After`` is honoured up to
  ``retry_after_max`` seconds. A server asking for longer fails that source at once with
  ``RetryAfterTooLongError`` (urllib3 would sleep up to 6 hours per retry); after the retries the error
  is raised for that source alone (the run marks it failed, others go on).
- Connect and read timeouts bound each socket wait; an overall ``deadline`` bounds the whole ``get``
  (retries, waits and body). The body is read with ``read1`` so a server that drips a byte a second is
  checked against the deadline between bytes, not only after a 64 KiB chunk fills.
- A hard cap on response bytes (after decompression): a runaway or hostile response cannot fill the
  disk or memory.
- robots.txt is read once per host, through the same capped, streamed path as pages (with a smaller cap),
  and respected; a disallowed URL is a ``FetchError``, not a fetch.
- Redirects are followed here, at most ``max_redirects``, and only to public addresses: every hop's host
  is resolved and refused unless its address is public (checked by requests-hardened on the IP that is
  then connected to, so a name that resolves to 10.x or 169.254.x is refused before any traffic).
- Per-host pacing: SEC allows 10 requests per second; other hosts get a polite default.
"""

from __future__ import annotations

import email.utils
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

import requests
import urllib3

# protego, not urllib.robotparser: the stdlib parser ignores `*` and `$` in paths (RFC 9309 2.2.3)
from protego import Protego
from requests_hardened.ip_filter import InvalidIPAddress
from requests_hardened.ip_filter_adapter import IPFilterAdapter

from scrapers.errors import DeadlineExceededError, FetchError, ForbiddenAddressError, RetryAfterTooLongError

#: seconds between two requests to the same host (SEC's published limit is 10 requests per second)
HOST_MIN_INTERVAL = {"data.sec.gov": 0.1, "www.sec.gov": 0.1}
DEFAULT_MIN_INTERVAL = 1.0
CHUNK = 64 * 1024
#: statuses worth asking again: rate limited, or a server-side fault that is often transient
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
#: RFC 9309 2.5 asks crawlers to parse at least 500 KiB of robots.txt; far more is a fault or an attack
ROBOTS_MAX_BYTES = 500 * 1024
#: the rules a 5xx robots.txt stands for (RFC 9309 2.3.1.4: unreachable means complete disallow)
DISALLOW_ALL = "User-agent: *\nDisallow: /\n"
#: redirects followed per fetch; each hop is checked (address, scheme, robots.txt) like the first URL
MAX_REDIRECTS = 5
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
#: the longest backoff between two tries when the server gives no Retry-After
BACKOFF_MAX = 120.0


@dataclass(frozen=True)
class Response:
    url: str
    status: int
    body: bytes
    content_type: str
    fetched_at: datetime
    etag: str | None = None
    last_modified: str | None = None
    retry_after: str | None = None


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


#: one host's robots.txt: its rules, None (no rules: allow all), or why it could not be read (refuse all)
RobotsRules = Protego | FetchError | None


class Deadline:
    """The wall-clock budget of one ``get``: every wait and every read is checked against it."""

    def __init__(self, seconds: float, source_id: str, url: str):
        self.seconds = seconds
        self.source_id, self.url = source_id, url
        self._ends = time.monotonic() + seconds

    def remaining(self) -> float:
        return self._ends - time.monotonic()

    def check(self, doing: str) -> float:
        """Seconds left; raises ``DeadlineExceededError`` naming what was under way when it ran out."""
        left = self.remaining()
        if left <= 0:
            raise DeadlineExceededError(
                self.source_id, self.url, f"fetch deadline of {self.seconds:g} s passed while {doing}"
            )
        return left

    def sleep(self, seconds: float, why: str) -> None:
        """Sleep, unless the wait alone would pass the deadline: then fail now rather than wait in vain."""
        if seconds >= self.remaining():
            raise DeadlineExceededError(
                self.source_id,
                self.url,
                f"{why} asks for {seconds:g} s, more than the {max(self.remaining(), 0):.1f} s left of the "
                f"{self.seconds:g} s fetch deadline",
            )
        time.sleep(seconds)


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """``Retry-After`` as seconds from now (RFC 9110: delay-seconds or an HTTP-date), None if absent or bad."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class HttpClient:
    def __init__(
        self,
        user_agent: str,
        *,
        connect_timeout: float = 10,
        read_timeout: float = 60,
        deadline: float = 180,
        max_bytes: int = 20 * 1024 * 1024,
        robots_max_bytes: int = ROBOTS_MAX_BYTES,
        retries: int = 4,
        backoff_factor: float = 1.0,
        retry_after_max: float = 60,
        max_redirects: int = MAX_REDIRECTS,
        allow_loopback: bool = False,
        pacer: HostPacer | None = None,
        respect_robots: bool = True,
    ):
        self.user_agent = user_agent
        self.connect_timeout, self.read_timeout = connect_timeout, read_timeout
        self.deadline = deadline
        self.max_bytes = max_bytes
        self.robots_max_bytes = robots_max_bytes
        self.retries = retries
        self.backoff_factor = backoff_factor
        self.retry_after_max = retry_after_max
        self.max_redirects = max_redirects
        self.pacer = pacer or HostPacer()
        self.respect_robots = respect_robots
        self._robots: dict[str, RobotsRules] = {}
        # Retries live in ``_fetch`` (not urllib3's Retry) so every wait is capped and counted against
        # the deadline, and redirects in ``_once`` so every hop is checked; the adapters do neither.
        # IPFilterAdapter (requests-hardened) resolves each host, refuses any address that is not public
        # (loopback only when ``allow_loopback``, which tests need) and connects to the checked IP.
        self.session = requests.Session()
        self.session.trust_env = False  # an environment proxy would connect for us, past the address check
        self.session.mount("http://", IPFilterAdapter(is_https_proto=False, allow_loopback=allow_loopback))
        self.session.mount("https://", IPFilterAdapter(is_https_proto=True, allow_loopback=allow_loopback))
        self.session.headers.update({"User-Agent": user_agent, "Accept-Encoding": "gzip, deflate"})

    def get(self, source_id: str, url: str, headers: dict[str, str] | None = None) -> Response:
        """GET ``url`` for ``source_id``; raises ``FetchError`` (or a subclass) naming both on any failure.

        robots.txt, when first read for a host, is fetched inside this call's deadline."""
        deadline = Deadline(self.deadline, source_id, url)
        if self.respect_robots and not self._allowed(source_id, url, deadline):
            raise FetchError(source_id, url, "disallowed by robots.txt (or robots.txt answered 5xx)")
        return self._fetch(source_id, url, headers, self.max_bytes, deadline, robots=self.respect_robots)

    def _fetch(self, source_id: str, url: str, headers: dict[str, str] | None, cap: int,
               deadline: Deadline, *, raise_for_status: bool = True, robots: bool = False) -> Response:
        """One GET with retries: the tries, the waits between them and every body read share ``deadline``.

        With ``raise_for_status=False`` an HTTP error status is returned rather than raised (robots.txt
        gives 4xx and 5xx their own meaning)."""
        host = urlsplit(url).netloc
        for attempt in range(self.retries + 1):
            last = attempt == self.retries
            self.pacer.wait(host)
            try:
                resp = self._once(source_id, url, headers, cap, deadline, robots=robots)
            except (requests.ConnectionError, requests.Timeout) as exc:
                if last:
                    raise FetchError(source_id, url, f"{type(exc).__name__}: {exc}") from exc
                deadline.sleep(self._backoff(attempt), f"backoff after {type(exc).__name__}")
                continue
            except requests.RequestException as exc:
                raise FetchError(source_id, url, f"{type(exc).__name__}: {exc}") from exc
            if resp.status not in RETRY_STATUSES:
                if resp.status >= 400 and raise_for_status:
                    raise FetchError(source_id, url, f"HTTP {resp.status}")
                return resp
            if last and not raise_for_status:
                return resp
            if last:
                raise FetchError(source_id, url, f"HTTP {resp.status} after {self.retries} retries")
            deadline.sleep(self._wait_before_retry(source_id, url, resp, attempt), f"HTTP {resp.status}")
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _backoff(self, attempt: int) -> float:
        return min(self.backoff_factor * 2**attempt, BACKOFF_MAX)

    def _wait_before_retry(self, source_id: str, url: str, resp: Response, attempt: int) -> float:
        """The server's ``Retry-After`` if it gave one (up to the cap), else our backoff."""
        asked = retry_after_seconds(resp.retry_after)
        if asked is None:
            return self._backoff(attempt)
        if asked > self.retry_after_max:
            raise RetryAfterTooLongError(
                source_id,
                url,
                f"HTTP {resp.status} with Retry-After {resp.retry_after!r} ({asked:g} s), over the cap of "
                f"{self.retry_after_max:g} s (COSTCURVE_RETRY_AFTER_MAX)",
            )
        return asked

    def _once(self, source_id: str, url: str, headers: dict[str, str] | None, cap: int,
              deadline: Deadline, *, robots: bool) -> Response:
        """One request, its redirects (each hop checked: ``_next_hop``) and the final body; socket waits
        never exceed what is left of the deadline."""
        current = url
        for hops in range(self.max_redirects + 1):
            left = deadline.check("connecting" if hops == 0 else f"following a redirect to {current}")
            timeout = (min(self.connect_timeout, left), min(self.read_timeout, left))
            try:
                resp = self.session.get(current, headers=headers, timeout=timeout, stream=True,
                                        allow_redirects=False)
            except InvalidIPAddress as exc:
                subject = current if hops == 0 else f"a redirect to {current}"
                raise ForbiddenAddressError(
                    source_id, url, f"refused {subject}: {exc} is not a public address (private, loopback, "
                    "link-local or reserved; COSTCURVE_FETCH_ALLOW_LOOPBACK admits loopback only)",
                ) from exc
            with resp:
                location = resp.headers.get("Location")
                if resp.status_code in REDIRECT_STATUSES and location:
                    if hops == self.max_redirects:
                        raise FetchError(source_id, url, f"more than {self.max_redirects} redirects (last: {current})")
                    current, headers = self._next_hop(source_id, url, current, location, headers, deadline, robots)
                    continue
                return Response(
                    url=url,
                    status=resp.status_code,
                    body=self._read_capped(source_id, url, resp, cap, deadline),
                    content_type=resp.headers.get("Content-Type", ""),
                    fetched_at=datetime.now(UTC),
                    etag=resp.headers.get("ETag"),
                    last_modified=resp.headers.get("Last-Modified"),
                    retry_after=resp.headers.get("Retry-After"),
                )
        raise AssertionError("unreachable: the last hop returns or raises")

    def _next_hop(self, source_id: str, url: str, current: str, location: str, headers: dict[str, str] | None,
                  deadline: Deadline, robots: bool) -> tuple[str, dict[str, str] | None]:
        """Where a redirect goes, and with which headers. The address is checked when it is connected to;
        here: http(s) only, robots.txt of the new host, and the caller's headers (an API key, conditional
        headers) kept only on the same origin."""
        target = urljoin(current, location)
        parts, before = urlsplit(target), urlsplit(current)
        if parts.scheme not in {"http", "https"}:
            raise FetchError(source_id, url, f"redirect to {target!r}: only http and https are followed")
        if robots and not self._allowed(source_id, target, deadline):
            raise FetchError(source_id, url, f"redirect to {target} is disallowed by its robots.txt")
        same_origin = (parts.scheme, parts.netloc) == (before.scheme, before.netloc)
        if parts.netloc != before.netloc:
            self.pacer.wait(parts.netloc)  # another host: its own politeness interval
        return target, headers if same_origin else None

    def _read_capped(self, source_id: str, url: str, resp: requests.Response, cap: int,
                     deadline: Deadline) -> bytes:
        declared = resp.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > cap:
            raise FetchError(source_id, url, f"response of {declared} bytes exceeds cap of {cap}")
        chunks, size = [], 0
        while True:
            deadline.check(f"reading the body ({size} bytes so far)")
            try:
                # read1 returns what has arrived (decompressed, at most CHUNK), so a drip cannot hide
                # behind a blocking 64 KiB read; b"" only at the end of the body.
                chunk = resp.raw.read1(CHUNK, decode_content=True)
            except urllib3.exceptions.ReadTimeoutError as exc:
                raise requests.ReadTimeout(f"reading the body: {exc}") from exc
            except urllib3.exceptions.HTTPError as exc:  # protocol and decode errors: a broken body
                raise requests.ConnectionError(f"reading the body: {exc}") from exc
            if not chunk:
                return b"".join(chunks)
            size += len(chunk)
            if size > cap:
                raise FetchError(source_id, url, f"response exceeds cap of {cap} bytes")
            chunks.append(chunk)

    def _allowed(self, source_id: str, url: str, deadline: Deadline) -> bool:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._robots:
            self._robots[origin] = self._load_robots(source_id, origin, deadline)
        rules = self._robots[origin]
        if isinstance(rules, FetchError):  # an unreadable robots.txt refuses every page of its host
            raise FetchError(source_id, url, rules.message)
        return True if rules is None else rules.can_fetch(url, self.user_agent)

    def _load_robots(self, source_id: str, origin: str, deadline: Deadline) -> RobotsRules:
        """robots.txt per RFC 9309: 4xx means no rules (None, allow all), 5xx means disallow all.

        Fetched through the same path as pages (retries, deadline, streamed read) with its own, smaller
        cap: a robots.txt over it (a gzip bomb, say) is refused after reading at most the cap, not
        parsed. That, and a robots.txt unreachable for network reasons, is kept as the error and
        refuses the host's pages (RFC 9309 2.3.1.4: unreachable means complete disallow)."""
        robots_url = f"{origin}/robots.txt"
        try:
            resp = self._fetch(source_id, robots_url, None, self.robots_max_bytes, deadline, raise_for_status=False)
        except DeadlineExceededError:
            raise  # this call's budget ran out: not a fact about the host to remember
        except FetchError as exc:
            return FetchError(source_id, robots_url, f"robots.txt unreadable: {exc.message}")
        if resp.status >= 500:
            return Protego.parse(DISALLOW_ALL)
        if resp.status >= 400:
            return None
        return Protego.parse(resp.body.decode("utf-8", errors="replace"))
