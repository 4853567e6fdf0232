"""SEC politeness beyond pacing: fetch the company-concept files only when a new 10-Q/10-K has appeared.

The concept files of a filer only change when it files a periodic report. Before fetching them live,
the filer's submissions document (``data.sec.gov/submissions/CIK##########.json``) is fetched
(conditionally, and archived like every capture); when its latest 10-Q/10-K is the one seen last time,
the filer's concept captures are treated as unchanged and their rows are carried forward.
"""

from __future__ import annotations

from collections.abc import Callable

from scrapers.archive import ManifestRow, RawArchive, iso_utc
from scrapers.http import HttpClient
from scrapers.sources import sec_capex, sec_submissions


def submissions_key(cik: int) -> str:
    return f"submissions-CIK{cik:010d}.json"


def unchanged_targets(
    source_id: str,
    client: HttpClient,
    archive: RawArchive,
    conditional_headers: Callable[[ManifestRow | None], dict[str, str]],
) -> tuple[set[str], list[ManifestRow]]:
    """Capture keys whose filer has filed no new periodic report since the last fetch, and the
    manifest rows of the submissions documents fetched to find out."""
    unchanged: set[str] = set()
    fetched: list[ManifestRow] = []
    for _company, cik, tags in sec_capex.filers():
        key, url = submissions_key(cik), sec_submissions.submissions_url(cik)
        previous = archive.latest(source_id, key)
        resp = client.get(source_id, url, headers=conditional_headers(previous))
        if resp.status == 304 and previous is not None:
            same = True
            sha = previous.sha256
        else:
            sha = archive.put(resp.body)
            last_seen = None
            if previous is not None:
                last_seen = sec_submissions.latest_periodic_filing(archive.get(previous.sha256), url=url).accession
            same = previous is not None and not sec_submissions.has_new_periodic_report(resp.body, last_seen, url=url)
        row = ManifestRow(source_id, key, url, iso_utc(resp.fetched_at), resp.status, sha, len(resp.body),
                          resp.content_type, False, resp.etag, resp.last_modified)
        archive.record(row)
        fetched.append(row)
        if same:
            unchanged.update(sec_capex.capture_key(cik, tag) for tag in tags)
    return unchanged, fetched
