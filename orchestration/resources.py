"""The costcurve resource: settings plus the clients and connections the assets use."""

from contextlib import contextmanager
from datetime import date
from pathlib import Path

import dagster as dg

from costcurve.config import Settings, load_settings
from scrapers.archive import RawArchive
from scrapers.collect import Collected, collect, reparse_unchanged, replay_skip_reason
from scrapers.http import HttpClient
from scrapers.registry import Source
from warehouse.connection import writer
from warehouse.source_runs import record_source_run


class CostcurveResource(dg.ConfigurableResource):
    """Paths and mode, defaulting to the ``COSTCURVE_*`` environment (see .env.example)."""

    warehouse: str
    archive: str
    replay_dir: str
    mode: str = "replay"

    @classmethod
    def from_env(cls) -> "CostcurveResource":
        s = load_settings()
        return cls(warehouse=str(s.warehouse), archive=str(s.archive), replay_dir=str(s.replay_dir), mode=s.mode)

    def settings(self) -> Settings:
        return load_settings()

    def skip_reason(self, source: Source, day: date) -> str | None:
        """Why this run does not read ``source`` on ``day`` (a missing API key live; no capture that day
        in replay), or None. Skipped sources load nothing, so their gates have nothing to check."""
        if self.mode == "replay":
            return replay_skip_reason(source, day, Path(self.replay_dir))
        return source.skip_reason(live=True)

    def collect(self, source: Source, day: date) -> Collected:
        archive = RawArchive(Path(self.archive))
        if self.mode == "replay":
            return collect(source, day, archive, replay_dir=Path(self.replay_dir))
        s = self.settings()
        client = HttpClient(
            s.user_agent,
            connect_timeout=s.connect_timeout,
            read_timeout=s.read_timeout,
            deadline=s.fetch_deadline,
            retry_after_max=s.retry_after_max,
            max_redirects=s.max_redirects,
            allow_loopback=s.fetch_allow_loopback,
            max_bytes=s.max_response_bytes,
            robots_max_bytes=s.robots_max_bytes,
        )
        return collect(source, day, archive, client=client)

    def reparse_unchanged(self, source: Source, collected: Collected) -> None:
        reparse_unchanged(source, RawArchive(Path(self.archive)), collected)

    def record_source_run(self, source_id: str, day: date, status: str, *, error: str | None = None) -> None:
        """Log a skipped or failed attempt (warehouse/source_runs.py). Best effort: a failure to record
        (the warehouse itself unreadable, say) must not hide the error being recorded."""
        try:
            with writer(Path(self.warehouse)) as con:
                record_source_run(con, source_id, day, status, error=error)
        except Exception as exc:  # noqa: BLE001 - the original failure is what the run reports
            dg.get_dagster_logger().warning(f"could not record {source_id} {day} as {status}: {exc}")

    @contextmanager
    def warehouse_writer(self):
        with writer(Path(self.warehouse)) as con:
            yield con
