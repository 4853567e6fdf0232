"""Named errors. Each carries the source and URL so a failed run says where to look."""

from __future__ import annotations


class ScraperError(Exception):
    """Base class: something went wrong reading one source."""

    def __init__(self, source_id: str, url: str, message: str):
        self.source_id = source_id
        self.url = url
        self.message = message
        super().__init__(f"[{source_id}] {message} (url: {url})")


class LayoutDriftError(ScraperError):
    """The page no longer looks like the parser expects: no table, unknown header, unknown unit.

    Raised instead of returning zero rows, so a redesigned page never reads as 'no prices today'.
    """


class FetchError(ScraperError):
    """The source could not be fetched after retries (network fault, HTTP error, size cap, robots).

    Its subclasses below name the limits a fetch can hit; each is still a ``FetchError``."""


class CaptureMissingError(ScraperError):
    """Replay mode found no stored capture for this source and day."""


class DeadlineExceededError(FetchError):
    """The whole fetch (retries, waits, redirects and body) ran past its wall-clock deadline.

    Connect and read timeouts bound each socket wait; only a deadline bounds a server that drips a
    byte a second, or a retry schedule that would outlast the run."""


class RetryAfterTooLongError(FetchError):
    """The server asked us to come back later than the configured cap (``COSTCURVE_RETRY_AFTER_MAX``).

    Waiting hours on one source would hold the whole day's run; the source fails now, with the reason."""


class ForbiddenAddressError(FetchError):
    """The URL, or a redirect it led to, resolves to an address that is not public (private, loopback,
    link-local, reserved). Refused before connecting: a page cannot steer the fetcher into a network."""


class UnknownSourceError(KeyError):
    """A source id that is not registered (a typo on the command line, a stale config).

    A ``KeyError`` so callers that looked a source up in the registry's dict keep working; its message
    lists the known ids (``KeyError`` would print it quoted)."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "unknown source"
