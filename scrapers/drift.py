"""Drift across captures: a parse that suddenly yields far fewer records than the source's last one.

A page that loses half its table usually still parses; only comparing with yesterday catches it.
"""

from __future__ import annotations

from scrapers.errors import LayoutDriftError

#: a capture yielding less than this share of the previous capture's records is treated as drift
MIN_SHARE_OF_PREVIOUS = 0.5


def check_record_count(source_id: str, url: str, count: int, previous: int | None) -> None:
    if previous and count < previous * MIN_SHARE_OF_PREVIOUS:
        raise LayoutDriftError(
            source_id,
            url,
            f"parsed {count} records, under {MIN_SHARE_OF_PREVIOUS:.0%} of the previous capture's {previous}",
        )
