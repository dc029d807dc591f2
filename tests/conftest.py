"""Shared test helpers: article records and small datasets built in temporary directories."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from crawler.dataset.schema import ARTICLE_SCHEMA, PARTITION_FIELDS, ArticleRecord, Removed
from crawler.dataset.writer import DatasetWriter

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def make_record(i: int = 0, **overrides: Any) -> ArticleRecord:
    """A plausible article record; `i` varies URL, dates and text."""
    fields: dict[str, Any] = dict(
        url=f"http://www.example.test/opinion/{i}",
        canonical_url=f"http://www.example.test/opinion/{i}",
        site="example",
        section="opinion",
        title=f"Opinion number {i}",
        description="A standfirst.",
        authors=["Ada Writer"],
        tags=["politics"],
        published_at=NOW - timedelta(days=i),
        modified_at=None,
        language="en",
        text=f"Body of article {i}.\n\nSecond paragraph.",
        word_count=7,
        paywalled=False,
        removed=[Removed("appeal", "Please support us")],
        content_hash=f"{i:016x}",
        fetched_at=NOW,
        http_status=200,
        run_id="run-1",
        extractor="test",
    )
    fields.update(overrides)
    return ArticleRecord(**fields)


@pytest.fixture
def write_articles(tmp_path: Path) -> Callable[..., Path]:
    """Write records into `tmp_path/articles` with a DatasetWriter; returns the root."""

    def write(records: list[ArticleRecord], prefix: str = "part-run-1-w0", **kw: Any) -> Path:
        writer = DatasetWriter(
            tmp_path / "articles", ARTICLE_SCHEMA, PARTITION_FIELDS, prefix, **kw
        )
        for record in records:
            writer.write(record.to_row())
        writer.close()
        return tmp_path

    return write
