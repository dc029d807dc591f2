"""Stand-ins for the extractor (most misbehave), imported by extraction worker processes."""

from __future__ import annotations

import ctypes
import hashlib
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


def raise_on_marker(page: Page, rules: ExtractRules) -> object:
    """Raise on pages containing RAISE (a bug in an extractor), else extract."""
    if b"RAISE" in page.body:
        raise ValueError("a page this extractor cannot take")
    return extract(page, rules)


def body_digest(page: Page, rules: ExtractRules) -> str:
    """The SHA-256 of the page's body as the worker received it."""
    return hashlib.sha256(page.body).hexdigest()


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


def page_sized_block_in_heap(page: Page, rules: ExtractRules) -> bool:
    """Whether a block the size of a large page, allocated after one was freed, comes from this
    worker's heap (True) rather than a mapping of its own."""
    block = bytearray(512 << 10)
    del block
    block = bytearray(512 << 10)
    buffer = (ctypes.c_char * 1).from_buffer(block)
    address = ctypes.addressof(buffer)
    with open("/proc/self/maps") as maps:  # the heap may show as several ranges
        for line in maps:
            if line.rstrip().endswith("[heap]"):
                start, end = (int(bound, 16) for bound in line.split()[0].split("-"))
                if start <= address < end:
                    return True
    return False
