"""The parking file: rows of thin partitions on local disk, out of the crawl's memory."""

from __future__ import annotations

from datetime import UTC, datetime
from unittest import mock

import pytest

from crawler.dataset import parking
from crawler.dataset.parking import ParkingFile


def rows(tag: str, count: int) -> list[dict]:
    when = datetime(2026, 3, 1, tzinfo=UTC)
    # a lone surrogate, a datetime, nested rows: what rows hold comes back as it was
    return [{"url": f"https://x.test/{tag}/{i}", "text": "é\ud800" * i, "at": when,
             "removed": [{"k": i}]} for i in range(count)]  # fmt: skip


def test_parked_rows_come_back_exactly_until_released(tmp_path):
    file = ParkingFile(tmp_path / "site")
    first, second = file.park(rows("a", 3)), file.park(rows("b", 2))
    assert file.read(second) == rows("b", 2) and file.read(first) == rows("a", 3)
    file.release(first)
    with pytest.raises(KeyError):
        file.read(first)
    assert file.read(first, missing_ok=True) == []
    assert file.read(second) == rows("b", 2)
    file.release(second)
    assert file.size == 0  # nothing parked: the file is emptied, not left to grow
    file.close()


def test_the_file_is_invisible_in_the_dataset_directory(tmp_path):
    file = ParkingFile(tmp_path)
    file.park(rows("a", 1))
    visible = [p.name for p in tmp_path.iterdir() if not p.name.startswith(".")]
    assert visible == []
    file.close()
    assert list(tmp_path.iterdir()) == []


def test_released_gaps_are_compacted_and_the_rest_still_reads(tmp_path):
    file = ParkingFile(tmp_path)
    with mock.patch.object(parking, "_COMPACT_BYTES", 1000):
        parked = [file.park(rows(str(n), 5)) for n in range(20)]
        for part in parked[:15]:
            file.release(part)
        assert file.size < sum(p.length for p in parked[:15])  # rewritten without the gaps
        assert [file.read(p) for p in parked[15:]] == [rows(str(n), 5) for n in range(15, 20)]
    file.close()
