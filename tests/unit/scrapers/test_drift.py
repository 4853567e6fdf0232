import pytest

from scrapers.drift import check_record_count
from scrapers.errors import LayoutDriftError


def test_far_fewer_records_than_last_capture_is_drift():
    with pytest.raises(LayoutDriftError, match=r"parsed 40 records.*previous capture's 100") as info:
        check_record_count("openai", "https://x/pricing.md", 40, 100)
    assert info.value.source_id == "openai" and info.value.url == "https://x/pricing.md"


@pytest.mark.parametrize("count, previous", [(50, 100), (120, 100), (3, None), (1, 0)])
def test_normal_changes_pass(count, previous):
    check_record_count("openai", "https://x", count, previous)
