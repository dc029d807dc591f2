"""The default level shows the run, not Scrapy's dumps or per-URL lines; DEBUG shows everything."""

from __future__ import annotations

import logging

import pytest

from crawler.logformatter import install_quiet_logging


class Collect(logging.Handler):
    def __init__(self, level: int) -> None:
        super().__init__(level)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def handler(request: pytest.FixtureRequest):
    install_quiet_logging()
    collect = Collect(request.param)
    root = logging.getLogger()
    old_level = root.level
    root.setLevel(logging.DEBUG)
    root.addHandler(collect)
    yield collect
    root.removeHandler(collect)
    root.setLevel(old_level)


def _log_a_crawl() -> None:
    logging.getLogger("scrapy.crawler").info("Overridden settings:\n%(settings)s", {"settings": 1})
    logging.getLogger("scrapy.statscollectors").info("Dumping Scrapy stats:\n%s", "{...}")
    logging.getLogger("scrapy.middleware").warning("Disabled %s: %s", "X", "REDIS_URL is not set")
    logging.getLogger("scrapy.downloadermiddlewares.retry").error("Gave up retrying <GET u>")
    logging.getLogger("scrapy.crawler").info("Received SIGTERM, shutting down gracefully.")
    logging.getLogger("crawler.monitor.progress").info("progress: 10 pages")
    logging.getLogger("crawler.monitor.sources").warning("source failed: x feed (u): HTTP 404")


@pytest.mark.parametrize("handler", [logging.INFO], indirect=True)
def test_info_shows_progress_failures_and_signals_only(handler: Collect) -> None:
    _log_a_crawl()
    shown = [r.getMessage().split("\n")[0] for r in handler.records]
    assert shown == ["Received SIGTERM, shutting down gracefully.", "progress: 10 pages",
                     "source failed: x feed (u): HTTP 404"]  # fmt: skip


@pytest.mark.parametrize("handler", [logging.DEBUG], indirect=True)
def test_debug_shows_everything(handler: Collect) -> None:
    _log_a_crawl()
    assert len(handler.records) == 7
    assert any(r.getMessage().startswith("Gave up retrying") for r in handler.records)


@pytest.mark.parametrize("handler", [logging.INFO], indirect=True)
def test_an_unreachable_robots_txt_is_one_warning_line(handler: Collect) -> None:
    try:
        raise ConnectionRefusedError("Connection was refused by other side")
    except ConnectionRefusedError as exc:
        logging.getLogger("scrapy.downloadermiddlewares.robotstxt").error(
            "Error downloading %(request)s: %(f_exception)s",
            {"request": "<GET http://a.test/robots.txt>", "f_exception": exc}, exc_info=True,
        )  # fmt: skip
    (record,) = handler.records
    assert record.levelno == logging.WARNING and record.exc_info is None
    assert "robots.txt unreachable" in record.getMessage()
