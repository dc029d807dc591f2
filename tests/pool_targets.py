"""Stand-ins for the extractor (most misbehave), imported by extraction worker processes."""

from __future__ import annotations

import os
import sys
import time

from pipelines.extraction import ExtractRules, Page, Rejection, extract


def hang_on_marker(page: Page, rules: ExtractRules) -> object:
    """Hang forever on pages containing HANG, crash the worker on CRASH, else extract."""
    if b"HANG" in page.body:
        time.sleep(3600)
    if b"CRASH" in page.body:
        os._exit(9)
    return extract(page, rules)


def reject_all(page: Page, rules: ExtractRules) -> Rejection:
    """Reject every page, without parsing it."""
    return Rejection("no_article", page.url)


def language_model_loaded(page: Page, rules: ExtractRules) -> bool:
    """Whether this worker had the language model before doing anything itself."""
    from pipelines.extraction.language import _identifier

    return _identifier.cache_info().currsize == 1


def imports_scrapy(page: Page, rules: ExtractRules) -> bool:
    """Whether this worker has Scrapy imported (extraction never needs it)."""
    return "scrapy" in sys.modules


def timed_extract(page: Page, rules: ExtractRules) -> tuple[object, float]:
    """extract() and the worker CPU seconds it took."""
    started = time.process_time()
    result = extract(page, rules)
    return result, time.process_time() - started
