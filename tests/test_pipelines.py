"""Each item pipeline on its own: extract, validate, dedupe, parquet, and rejects storage."""

from __future__ import annotations

import asyncio
from datetime import UTC
from pathlib import Path

import pytest
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.test import get_crawler

from crawler.dataset import load, load_rejects
from crawler.dataset.schema import ARTICLE_SCHEMA, PARTITION_FIELDS, REJECT_SCHEMA, RejectReason
from crawler.dataset.writer import DatasetWriter
from crawler.items import PageItem
from pipelines.dedupe import DedupePipeline
from pipelines.drops import REJECTIONS, Rejected
from pipelines.extract import ExtractPipeline, rules_for
from pipelines.parquet import ParquetPipeline
from pipelines.rejects import RejectsWriter
from pipelines.validate import ValidatePipeline
from tests.conftest import NOW, make_record

ARTICLE_HTML = """<html lang="en"><head><title>Why cities need more trees | The Test</title>
<meta property="og:title" content="Why cities need more trees">
<meta name="author" content="Ada Writer"></head><body>
<nav><a href="/">Home</a></nav><article><h1>Why cities need more trees</h1>
{paragraphs}</article><footer>Contact us</footer></body></html>"""


def page(
    status: int = 200,
    body: bytes | None = None,
    error: str | None = None,
    reason: str | None = None,
) -> PageItem:
    paragraphs = "".join(
        f"<p>Paragraph {i} argues that shade, clean air and quiet streets make every "
        f"neighbourhood {i} healthier, calmer and cheaper to cool in the summer.</p>"
        for i in range(8)
    )
    html = ARTICLE_HTML.format(paragraphs=paragraphs).encode()
    return PageItem(
        url="http://www.example.test/opinion/trees-1",
        site="example",
        status=status,
        body=html if body is None else body,
        fetched_at=NOW,
        content_type="text/html; charset=utf-8",
        error=error,
        error_reason=reason,
    )


def stats() -> MemoryStatsCollector:
    return MemoryStatsCollector(get_crawler())


@pytest.fixture
def extractor() -> ExtractPipeline:
    return ExtractPipeline({}, rules_for(None, max_bytes=1_000_000), run_id="run-x")


def test_every_reason_has_its_own_named_exception():
    assert set(REJECTIONS) == set(RejectReason.all())
    names = {cls.__name__ for cls in REJECTIONS.values()}
    assert len(names) == len(REJECTIONS)
    assert REJECTIONS["not_html"].__name__ == "NotHtml"


def test_extract_turns_a_page_into_a_full_record(extractor):
    record = asyncio.run(extractor.process_item(page()))
    assert record.title == "Why cities need more trees"
    assert "Paragraph 3 argues" in record.text
    assert "Contact us" not in record.text
    assert record.run_id == "run-x"
    assert record.fetched_at == NOW and record.fetched_at.tzinfo == UTC
    assert record.http_status == 200 and record.content_hash and record.extractor


@pytest.mark.parametrize(
    ("item", "reason"),
    [
        (page(status=404, body=b"gone"), "http_error"),
        (page(status=0, body=b"", error="TimeoutError: took too long"), "download_error"),
        (page(status=0, body=b"", error="IgnoreRequest: robots", reason="blocked"), "blocked"),
        (page(body=b""), "empty_page"),
        (page(body=b"%PDF-1.4 binary"), "not_html"),
    ],
)
def test_extract_rejects_with_a_named_reason(extractor, item, reason):
    with pytest.raises(Rejected) as info:
        asyncio.run(extractor.process_item(item))
    assert info.value.reason == reason
    assert type(info.value) is REJECTIONS[reason]


def test_validate_requires_title_text_and_enough_words():
    validate = ValidatePipeline(min_words=5, languages=frozenset())
    assert validate.process_item(make_record(word_count=10))
    for record, reason in [
        (make_record(title=""), "missing_field"),
        (make_record(word_count=3), "too_short"),
    ]:
        with pytest.raises(Rejected) as info:
            validate.process_item(record)
        assert info.value.reason == reason
    with pytest.raises(Rejected, match="wrong_language"):
        ValidatePipeline(5, frozenset({"ru"})).process_item(make_record(word_count=10))


def test_dedupe_drops_a_second_row_for_the_same_canonical_url():
    dedupe = DedupePipeline()
    dedupe.process_item(make_record(1))
    dedupe.process_item(make_record(2))
    with pytest.raises(Rejected, match="duplicate"):
        dedupe.process_item(make_record(1, url="http://www.example.test/opinion/1?utm=x"))


def test_parquet_pipeline_streams_records_to_the_dataset(tmp_path: Path):
    writer = DatasetWriter(tmp_path / "articles", ARTICLE_SCHEMA, PARTITION_FIELDS, "p",
                           flush_rows=2)  # fmt: skip
    collector = stats()
    pipeline = ParquetPipeline(writer, collector, str(tmp_path))
    pipeline.open_spider()
    for i in range(3):
        pipeline.process_item(make_record(i))
    assert len(load(tmp_path)) == 2  # two flushed, one still buffered
    pipeline.close_spider()
    assert len(load(tmp_path)) == 3
    assert collector.get_value("articles/rows_written") == 3


def test_rejects_writer_stores_reason_detail_and_status(tmp_path: Path):
    writer = DatasetWriter(tmp_path / "rejects", REJECT_SCHEMA, PARTITION_FIELDS, "p")
    collector = stats()
    extension = RejectsWriter(writer, collector, run_id="run-x")
    extension.item_dropped(page(status=500), REJECTIONS["http_error"]("HTTP 500"))
    extension.spider_closed()
    rejects = load_rejects(tmp_path)
    assert rejects[["reason", "detail", "http_status", "run_id"]].values.tolist() == [
        ["http_error", "HTTP 500", 500, "run-x"]
    ]
    assert collector.get_value("rejects/http_error") == 1
