"""Publish the analyst copy atomically, and Parquet exports of the marts.

Analysts never open the live file (DuckDB blocks readers while a writer holds it). After the gates
pass, the warehouse is checkpointed and copied beside the published path, then renamed over it in one
``os.replace``: a reader sees the old copy or the new one, never half a file.

The copy's mode follows the umask, as any file the pipeline creates would (0644 under umask 022, 0640
under 027, so the analysts' group can read it): the temp file ``mkstemp`` makes is 0600 whatever the
umask, and renaming it would publish a copy only its owner can read. The copy keeps the
warehouse's file name because dbt's views are qualified by the catalog, which DuckDB names after it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import duckdb


def current_umask() -> int:
    """The process's umask, read without changing it where Linux says it (/proc, since 4.7): setting it
    to read it would briefly change it for every thread."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except OSError:
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def publish_copy(warehouse: Path, published: Path) -> Path:
    warehouse, published = Path(warehouse), Path(published)
    if warehouse.name != published.name:
        raise ValueError(
            f"the published copy must keep the warehouse's file name ({warehouse.name}), got {published.name}"
        )
    con = duckdb.connect(str(warehouse))
    try:
        con.execute("CHECKPOINT")  # fold the WAL into the file so the copy is complete
    finally:
        con.close()
    published.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=published.parent, prefix=".publishing-", suffix=".duckdb")
    os.close(fd)
    try:
        shutil.copyfile(warehouse, tmp)
        os.chmod(tmp, 0o666 & ~current_umask())
        os.replace(tmp, published)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return published


def export_parquet(warehouse: Path, exports: Path, tables: tuple[str, ...]) -> dict[str, Path]:
    """One Parquet file per mart in ``tables`` (the published marts, see orchestration.dbt_project) (written to a temp name, then renamed), for tools that never touch DuckDB."""
    exports = Path(exports)
    exports.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        present = {row[0] for row in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        for table in tables:
            if table not in present:
                continue
            target = exports / f"{table}.parquet"
            tmp = exports / f".{table}.parquet.tmp"
            con.execute(f"COPY (SELECT * FROM {table}) TO '{tmp}' (FORMAT parquet)")
            os.replace(tmp, target)
            written[table] = target
    finally:
        con.close()
    return written
