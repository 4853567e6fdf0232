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
    """The source could not be fetched after retries (network fault, HTTP error, size cap, robots)."""


class CaptureMissingError(ScraperError):
    """Replay mode found no stored capture for this source and day."""
