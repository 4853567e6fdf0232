"""The dbt docs site of the warehouse analysts read: `make docs` (``costcurve docs``).

``dbt docs generate --static`` runs with the project's profile against a scratch copy of the published
analyst copy, not the live file: dbt-duckdb always opens its database read-write, and a copy never blocks
the daily run nor touches what analysts read. The catalog then lists the tables and columns analysts
actually see. The copy keeps the file name, since dbt views are catalog-qualified by the file's stem.

A missing published copy is an error saying to run ``make demo`` first, rather than building one here: the
demo replays bundled captures into the configured warehouse path, which on a live deployment would put
demo data where live data belongs, and it takes minutes the caller did not ask for.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from costcurve.config import PROJECT_ROOT

DBT_PROJECT = PROJECT_ROOT / "dbt_project"
#: where `make docs` writes the site (dbt_project/target is dbt's own folder; `make clean` removes it)
DEFAULT_TARGET = DBT_PROJECT / "target" / "docs"
#: the single-file site dbt writes with --static (manifest and catalog inlined: opens from file://)
STATIC_SITE = "static_index.html"


class DocsError(RuntimeError):
    """dbt docs generate failed; the message carries the end of dbt's output."""


def _dbt() -> str:
    beside = Path(sys.executable).with_name("dbt")  # the venv's dbt, as dagster-dbt runs it
    found = str(beside) if beside.is_file() else shutil.which("dbt")
    if found is None:
        raise DocsError("dbt is not installed (run `make setup`)")
    return found


def generate_docs(published: Path, target: Path = DEFAULT_TARGET) -> Path:
    """Build the dbt docs site from a scratch copy of ``published`` into ``target``; return the static file.

    ``target`` also holds index.html, manifest.json and catalog.json (what `dbt docs serve` reads).
    """
    published = Path(published)
    if not published.is_file():
        raise FileNotFoundError(
            f"no published warehouse at {published}: run `make demo` first (about 4 minutes; it replays the "
            "bundled captures and publishes the analyst copy), or a daily run (`costcurve run`)"
        )
    target = Path(target).resolve()
    with tempfile.TemporaryDirectory(prefix="costcurve-docs-") as scratch:
        copy = Path(scratch) / published.name
        shutil.copyfile(published, copy)
        env = {k: v for k, v in os.environ.items() if k != "DBT_PROJECT_DIR"}  # the profile reads the copy
        env |= {"COSTCURVE_WAREHOUSE": str(copy), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
        proc = subprocess.run(
            [_dbt(), "docs", "generate", "--static", "--project-dir", str(DBT_PROJECT),
             "--profiles-dir", str(DBT_PROJECT), "--target-path", str(target),
             "--log-path", str(Path(scratch) / "logs")],
            cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, check=False,
        )
    if proc.returncode != 0:
        raise DocsError(f"dbt docs generate failed:\n{proc.stdout[-4000:]}\n{proc.stderr[-2000:]}")
    site = target / STATIC_SITE
    if not site.is_file():
        raise DocsError(f"dbt docs generate wrote no {STATIC_SITE} in {target}:\n{proc.stdout[-2000:]}")
    return site
