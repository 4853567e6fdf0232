"""Settings read from ``COSTCURVE_*`` environment variables (listed with defaults in .env.example).

Every path defaults to a place inside the project checkout so that `make demo` works on a fresh
clone with no environment at all. Secrets (webhook signing key, API keys) are read here and only here,
and never appear in a repr or a log line.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]

DEFAULT_USER_AGENT = "costcurve/0.1 (inference price tracker; contact: costcurve@example.com)"


def _path(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    return Path(value).expanduser().resolve() if value else default


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value not in {"1", "true", "yes", "0", "false", "no"}:
        raise ValueError(f"{name} must be true or false, not {value!r}")
    return value in {"1", "true", "yes"}


@dataclass(frozen=True)
class Settings:
    warehouse: Path
    published: Path
    exports: Path
    archive: Path
    replay_dir: Path
    mode: str
    user_agent: str
    max_response_bytes: int
    #: robots.txt's own cap (bytes after decompression); over it, the host's pages are refused
    robots_max_bytes: int
    connect_timeout: float
    read_timeout: float
    #: wall-clock seconds for one whole fetch: its retries, their waits, redirects and the body
    fetch_deadline: float
    #: the longest Retry-After (seconds) a source may ask for; longer fails that source with the reason
    retry_after_max: float
    #: redirects followed per fetch, each to a public address only
    max_redirects: int
    #: allow fetching from loopback (127.0.0.0/8, ::1): for tests and a local mirror, never private ranges
    fetch_allow_loopback: bool
    alert_rules: Path
    alert_webhook_url: str | None
    alert_allow_loopback: bool = False
    alert_webhook_secret: str | None = field(default=None, repr=False)

    @property
    def replay(self) -> bool:
        return self.mode == "replay"


def load_settings() -> Settings:
    warehouse = _path("COSTCURVE_WAREHOUSE", PROJECT_ROOT / "warehouse" / "costcurve.duckdb")
    mode = os.environ.get("COSTCURVE_MODE", "replay").strip().lower()
    if mode not in {"replay", "live"}:
        raise ValueError(f"COSTCURVE_MODE must be 'replay' or 'live', not {mode!r}")
    return Settings(
        warehouse=warehouse,
        # Same file name as the warehouse: dbt views are catalog-qualified by the file's stem.
        published=_path("COSTCURVE_PUBLISHED", warehouse.parent / "published" / warehouse.name),
        exports=_path("COSTCURVE_EXPORTS", warehouse.parent / "exports"),
        archive=_path("COSTCURVE_ARCHIVE", PROJECT_ROOT / "data" / "archive"),
        replay_dir=_path("COSTCURVE_REPLAY_DIR", PROJECT_ROOT / "demo" / "captures"),
        mode=mode,
        user_agent=os.environ.get("COSTCURVE_USER_AGENT", DEFAULT_USER_AGENT),
        max_response_bytes=int(os.environ.get("COSTCURVE_MAX_RESPONSE_BYTES", 20 * 1024 * 1024)),
        robots_max_bytes=int(os.environ.get("COSTCURVE_ROBOTS_MAX_BYTES", 500 * 1024)),
        connect_timeout=float(os.environ.get("COSTCURVE_CONNECT_TIMEOUT", 10)),
        read_timeout=float(os.environ.get("COSTCURVE_READ_TIMEOUT", 60)),
        fetch_deadline=float(os.environ.get("COSTCURVE_FETCH_DEADLINE", 180)),
        retry_after_max=float(os.environ.get("COSTCURVE_RETRY_AFTER_MAX", 60)),
        max_redirects=int(os.environ.get("COSTCURVE_MAX_REDIRECTS", 5)),
        fetch_allow_loopback=_flag("COSTCURVE_FETCH_ALLOW_LOOPBACK", False),
        alert_rules=_path("COSTCURVE_ALERT_RULES", PROJECT_ROOT / "alerts" / "rules.yml"),
        alert_webhook_url=os.environ.get("COSTCURVE_ALERT_WEBHOOK_URL") or None,
        alert_webhook_secret=os.environ.get("COSTCURVE_ALERT_WEBHOOK_SECRET") or None,
        alert_allow_loopback=os.environ.get("COSTCURVE_ALERT_ALLOW_LOOPBACK", "").strip().lower() in {"1", "true", "yes"},
    )
