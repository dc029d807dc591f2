"""Rows become the same Arrow table as pyarrow's own conversion, without importing pandas."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone

import pyarrow as pa
import pytest

from crawler.dataset.columns import table_from_rows
from crawler.dataset.raw import RAW_SCHEMA
from crawler.dataset.schema import ARTICLE_SCHEMA, REJECT_SCHEMA, Removed
from tests.conftest import NOW, make_record
from tests.crawling import REPO


def article_rows() -> list[dict]:
    rows = [make_record(i).to_row() for i in range(6)]
    rows[0]["modified_at"] = datetime(2021, 2, 3, 4, 5, 6, 789)  # naive: taken as UTC
    rows[1]["published_at"] = datetime(2020, 1, 1, 5, tzinfo=timezone(timedelta(hours=3)))
    rows[2] |= {"removed": [], "authors": [], "tags": ["a", "b", "c"], "description": None}
    rows[3]["text"] = "Ünïcödé ✓ 𝄞 и по-русски"
    rows[4]["removed"] = [{"kind": "appeal", "text": "x"}, {"kind": "credit", "text": ""}]
    rows[5] |= {"paywalled": True, "etag": '"abc"', "revision": 3}
    return rows


def raw_rows() -> list[dict]:
    base = {"url": "http://a.test/1", "site": "a", "status": 200, "run_id": "r",
            "body_hash": "h", "body_size": 3, "revisit": False, "fetched_at": NOW}  # fmt: skip
    return [base | {"body": b"<p>\x00\xff"}, base | {"body": None, "revisit": True}]


@pytest.mark.parametrize(
    ("rows", "schema"),
    [
        (article_rows(), ARTICLE_SCHEMA),
        (raw_rows(), RAW_SCHEMA),
        (
            [{"url": "u", "site": "s", "reason": "too_short", "http_status": 200, "run_id": "r"}],
            REJECT_SCHEMA,
        ),
        ([], ARTICLE_SCHEMA),
    ],
)
def test_rows_give_the_table_pyarrow_would_build(rows, schema):
    table = table_from_rows(rows, schema)
    table.validate(full=True)
    assert table.equals(pa.Table.from_pylist(rows, schema=schema), check_metadata=True)


@pytest.mark.parametrize(
    ("column", "value", "error"),
    [
        ("description", "cut emoji \ud83d", UnicodeError),
        ("http_status", 99_999, OverflowError),
        ("word_count", "12", TypeError),
        ("paywalled", 1, TypeError),
        ("fetched_at", "2026-01-01", TypeError),
        ("authors", "Ada", TypeError),
        ("removed", [Removed("appeal", "x")], TypeError),
        ("url", None, ValueError),  # not nullable: isolated here, not a failed file write
    ],
)
def test_a_value_that_does_not_fit_its_column_raises(column, value, error):
    row = make_record(0).to_row() | {column: value}
    with pytest.raises(error):
        table_from_rows([row], ARTICLE_SCHEMA)


def test_converting_rows_does_not_import_pandas():
    code = (
        "import sys\n"
        "from crawler.dataset.columns import table_from_rows\n"
        "from crawler.dataset.schema import ARTICLE_SCHEMA\n"
        "from tests.conftest import make_record\n"
        "table_from_rows([make_record(i).to_row() for i in range(3)], ARTICLE_SCHEMA)\n"
        "print('pandas' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                            text=True, timeout=120)  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "False"


def test_timestamps_keep_the_instant_of_an_aware_time():
    moment = datetime(2026, 3, 1, 23, 30, tzinfo=timezone(timedelta(hours=-5)))
    row = make_record(0, published_at=moment).to_row()
    stored = table_from_rows([row], ARTICLE_SCHEMA)["published_at"][0].as_py()
    assert stored == moment.astimezone(UTC)
