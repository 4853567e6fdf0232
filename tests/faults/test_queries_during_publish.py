"""Queries during publish: a reader querying the published copy in a loop, while
``warehouse.publish.publish_copy`` republishes it several times, only ever sees whole copies.

The reader is a separate process, as an analyst's ``costcurve sql`` is. Each of its queries opens the
published copy through ``warehouse.connection.analyst`` (read only, sandboxed), reads the table, and
closes; it notes whether a publish was under way (a flag file the test holds around each
``publish_copy``) as the query ran. Version ``v`` of the warehouse holds ``v * ROWS`` rows, each row
stamped ``v``; a copy that mixed two versions, or was read half-written, would show a count that is not
``v * ROWS`` or more than one stamp. Each publish waits until the reader has read the version before it ``READS_PER_COPY`` times
(a handshake over the reader's output, not a timer); the reader keeps querying while it publishes.
How many queries overlap a publish depends on the machine's timing; the test prints the count and
asserts only what must hold for every query.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from warehouse.connection import writer
from warehouse.publish import publish_copy

REPO = Path(__file__).resolve().parents[2]
ROWS = 50_000
VERSIONS = 11
#: reads of each copy the reader must have made before the next publish starts
READS_PER_COPY = 25

#: query the published copy until the stop file exists; one JSON line per query
READER = textwrap.dedent("""
    import json, sys
    from pathlib import Path
    import duckdb
    from warehouse.connection import analyst

    published, stop, publishing = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    while not stop.exists():
        during = publishing.exists()
        try:
            with analyst(published) as con:
                rows, versions, low, high = con.execute(
                    "SELECT count(*), count(DISTINCT v), min(v), max(v) FROM t").fetchone()
            line = {"rows": rows, "versions": versions, "v": high if low == high else None}
        except duckdb.Error as exc:
            line = {"error": type(exc).__name__, "message": str(exc)[:300]}
        line["during"] = during or publishing.exists()  # a publish was under way as it ran
        print(json.dumps(line), flush=True)
""")


def write_version(warehouse: Path, version: int) -> None:
    with writer(warehouse) as con:
        con.execute(f"CREATE OR REPLACE TABLE t AS SELECT {version} AS v, i FROM range({version * ROWS}) r(i)")


def test_a_reader_during_republishing_only_ever_sees_whole_copies(tmp_path):
    warehouse = tmp_path / "live" / "costcurve.duckdb"
    published = tmp_path / "published" / "costcurve.duckdb"
    stop, publishing = tmp_path / "stop", tmp_path / "publishing"
    write_version(warehouse, 1)
    publish_copy(warehouse, published)

    reader = subprocess.Popen([sys.executable, "-c", READER, str(published), str(stop), str(publishing)], cwd=REPO,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    seen: list[dict] = []
    try:
        for version in range(2, VERSIONS + 1):
            write_version(warehouse, version)  # the live file changes; the reader still reads the old copy
            # wait for the reader to have read the copy before this one, then publish over it mid-loop
            while sum(line.get("v") == version - 1 for line in seen) < READS_PER_COPY:
                line = reader.stdout.readline()
                assert line, f"the reader stopped: {reader.stderr.read()[-3000:]}"
                seen.append(json.loads(line))
            publishing.touch()
            publish_copy(warehouse, published)
            publishing.unlink()
        while not any(line.get("v") == VERSIONS for line in seen):  # it reads the last copy too
            line = reader.stdout.readline()
            assert line, f"the reader stopped: {reader.stderr.read()[-3000:]}"
            seen.append(json.loads(line))
    finally:
        stop.touch()
        out, err = reader.communicate(timeout=120)
    seen += [json.loads(line) for line in out.splitlines()]
    assert reader.returncode == 0, err[-3000:]

    errors = [line for line in seen if "error" in line]
    whole = [line for line in seen if "error" not in line]
    during = sum(line["during"] for line in seen)
    print(f"{len(seen)} queries, {during} of them while a publish ran, {len(errors)} errors, "
          f"over {VERSIONS - 1} republishes")
    assert errors == []
    assert all(line["versions"] == 1 and line["rows"] == line["v"] * ROWS for line in whole), \
        [line for line in whole if line["versions"] != 1 or line["rows"] != (line["v"] or 0) * ROWS][:5]
    assert {line["v"] for line in whole} == set(range(1, VERSIONS + 1))  # every copy was read
