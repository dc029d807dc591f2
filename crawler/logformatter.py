"""What a crawl says at the default level: per-URL detail and Scrapy's dumps only at DEBUG."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from scrapy.logformatter import LogFormatter, LogFormatterResult

__all__ = ["DEMOTED", "DemoteToDebug", "QuietLogFormatter", "install_quiet_logging"]


class QuietLogFormatter(LogFormatter):
    """Rejects are logged at DEBUG as `rejected <url>: <reason>: <detail>`; so are articles.

    Every reject is also a row in the rejects dataset and a counted stat: at INFO the
    progress line and the summary carry them.
    """

    def dropped(
        self, item: Any, exception: BaseException, response: Any, spider: Any = None
    ) -> LogFormatterResult:
        return {
            "level": logging.DEBUG,
            "msg": "rejected %(url)s: %(exception)s",
            "args": {"url": getattr(item, "url", "?"), "exception": exception},
        }

    def scraped(self, item: Any, response: Any, spider: Any = None) -> LogFormatterResult:
        return {
            "level": logging.DEBUG,
            "msg": "stored %(url)s (%(words)s words)",
            "args": {"url": getattr(item, "url", "?"), "words": getattr(item, "word_count", "?")},
        }


def _info(record: logging.LogRecord) -> bool:
    return record.levelno <= logging.INFO


def _message_starts(*prefixes: str) -> Callable[[logging.LogRecord], bool]:
    return lambda record: str(record.msg).startswith(prefixes)


def _info_except_signals(record: logging.LogRecord) -> bool:
    # "Received SIGTERM, shutting down gracefully" stays: it explains a short run.
    return _info(record) and not str(record.msg).startswith("Received")


# Logger -> which of its records go to DEBUG. Start-up dumps (versions, settings, component
# lists), the stats dict, per-URL lines (each one is also a reject row and a stat), and
# notices that a component is off because it is not configured (Redis on a local run).
DEMOTED: dict[str, Callable[[logging.LogRecord], bool]] = {
    "scrapy.utils.log": _info,
    "scrapy.addons": _info,
    "scrapy.middleware": lambda r: _info(r) or str(r.msg).startswith("Disabled"),
    "scrapy.crawler": _info_except_signals,
    "scrapy.core.engine": _info,
    "scrapy.extensions.remote_control": _info,
    "scrapy.extensions.telnet": _info,
    "scrapy.statscollectors": _info,
    "scrapy.spidermiddlewares.httperror": _info,
    "scrapy.downloadermiddlewares.retry": _message_starts("Gave up retrying"),
    "opinion": _message_starts("crawling site"),
    "crawler.dataset.known": _info,
    "pipelines.parquet": _info,
    "pipelines.raw_archive": _info,
    "pipelines.rejects": _info,
    "crawler.monitor.manifest": _info,
    # scrapy-redis calls APIs Scrapy deprecates ("Resuming crawl" via Spider.log()).
    "py.warnings": lambda r: "/scrapy_redis/" in r.getMessage(),
}


class DemoteToDebug(logging.Filter):
    """Turns the chosen records of one logger into DEBUG records (shown by `-L DEBUG`)."""

    def __init__(self, demote: Callable[[logging.LogRecord], bool]) -> None:
        super().__init__()
        self.demote = demote

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno > logging.DEBUG and self.demote(record):
            record.levelno, record.levelname = logging.DEBUG, "DEBUG"
        return True


class OneLineRobotsError(logging.Filter):
    """An unreachable robots.txt is one warning line, not an ERROR with a Twisted traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.ERROR and record.exc_info:
            record.exc_info, record.exc_text = None, None
            record.msg = "robots.txt unreachable, crawling as if it allowed everything: %s"
            args = record.args if isinstance(record.args, dict) else {}
            record.args = (args.get("f_exception", "?"),)
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


def install_quiet_logging() -> None:
    """Attach the filters to their loggers, once per process, before Scrapy logs anything."""
    for name, demote in DEMOTED.items():
        logger = logging.getLogger(name)
        if not any(isinstance(f, DemoteToDebug) for f in logger.filters):
            logger.addFilter(DemoteToDebug(demote))
    robots = logging.getLogger("scrapy.downloadermiddlewares.robotstxt")
    if not any(isinstance(f, OneLineRobotsError) for f in robots.filters):
        robots.addFilter(OneLineRobotsError())
