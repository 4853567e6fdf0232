"""The published analyst copy's mode follows the umask (readable by the analysts' group), not mkstemp's 0600."""

import os
import stat

import duckdb
import pytest

from warehouse.publish import current_umask, publish_copy


@pytest.fixture
def umask():
    """Set the process umask for one test and put the old one back."""
    old = os.umask(0o022)
    os.umask(old)
    yield lambda mask: os.umask(mask)
    os.umask(old)


@pytest.mark.parametrize(("mask", "mode"), [(0o022, 0o644), (0o027, 0o640), (0o077, 0o600)])
def test_published_copy_mode_follows_umask(tmp_path, umask, mask, mode):
    warehouse = tmp_path / "costcurve.duckdb"
    con = duckdb.connect(str(warehouse))
    con.execute("CREATE TABLE t AS SELECT 1 AS x")
    con.close()
    umask(mask)
    assert current_umask() == mask
    published = publish_copy(warehouse, tmp_path / "published" / "costcurve.duckdb")
    assert stat.S_IMODE(published.stat().st_mode) == mode
    # and re-publishing over an existing copy keeps to the umask too
    published = publish_copy(warehouse, published)
    assert stat.S_IMODE(published.stat().st_mode) == mode
