"""Log lines for items that say what happened in one line, without dumping page bodies."""

from __future__ import annotations

import logging
from typing import Any

from scrapy.logformatter import LogFormatter, LogFormatterResult

__all__ = ["QuietLogFormatter"]


class QuietLogFormatter(LogFormatter):
    """Rejects are logged at INFO as `rejected <url>: <reason>: <detail>`; articles at DEBUG."""

    def dropped(
        self, item: Any, exception: BaseException, response: Any, spider: Any = None
    ) -> LogFormatterResult:
        return {
            "level": logging.INFO,
            "msg": "rejected %(url)s: %(exception)s",
            "args": {"url": getattr(item, "url", "?"), "exception": exception},
        }

    def scraped(self, item: Any, response: Any, spider: Any = None) -> LogFormatterResult:
        return {
            "level": logging.DEBUG,
            "msg": "stored %(url)s (%(words)s words)",
            "args": {"url": getattr(item, "url", "?"), "words": getattr(item, "word_count", "?")},
        }
