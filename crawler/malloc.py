"""glibc malloc settings that keep a long crawl's freed memory returnable to the system."""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import sys

__all__ = [
    "ARENA_MAX", "MMAP_THRESHOLD", "TRIM_THRESHOLD", "WORKER_MMAP_THRESHOLD",
    "WORKER_TRIM_THRESHOLD", "tune_malloc", "tune_malloc_for_extraction",
]  # fmt: skip

logger = logging.getLogger(__name__)

# mallopt(3) parameter numbers (glibc's malloc.h).
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
_M_ARENA_MAX = -8

# glibc raises its mmap threshold to the size of every mmapped block freed (up to 32 MiB):
# after the first few freed pages (~190 KB bodies, their pickles to the pool, Arrow's
# buffers at a flush) every later one lands in the heap, whose holes are seldom returned.
# A fixed threshold keeps such blocks mmapped: freed, they go back at once.
MMAP_THRESHOLD = 128 * 1024
TRIM_THRESHOLD = 256 * 1024
# One arena per thread (the Parquet flush thread, Twisted's pool, Arrow's) each
# keeps its own free memory; two arenas hold the crawl's threads without lock contention.
ARENA_MAX = 2

# An extraction worker is the other way round. Its large blocks are one page's (the body, its
# decoded text, the parser's buffers, the pickles in and out), made and freed once per page,
# the same sizes from page to page. Mapped and unmapped each time, every 4 KiB of them was a
# page fault: ~350 per demo page of real weight in a crawl's workers, 0.6-1.2 ms of kernel
# time per page (5,000 pages; 9 faults and 0.18 ms reused from the heap). What a worker's heap
# keeps stays bounded: blocks above this threshold (a page of several MB) are still mapped and
# given back at once, its free top past the trim threshold is returned, and the pool replaces
# a worker after a few hundred pages.
WORKER_MMAP_THRESHOLD = 4 << 20
WORKER_TRIM_THRESHOLD = 8 << 20


def tune_malloc_for_extraction() -> bool:
    """The extraction workers' settings, for this process and what it forks later."""
    return tune_malloc(WORKER_MMAP_THRESHOLD, WORKER_TRIM_THRESHOLD)


def tune_malloc(mmap_threshold: int = MMAP_THRESHOLD, trim_threshold: int = TRIM_THRESHOLD) -> bool:
    """Apply the settings to this process (and what it forks later); False off glibc."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # musl and other C libraries have no mallopt
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    applied = [mallopt(_M_MMAP_THRESHOLD, mmap_threshold),
               mallopt(_M_TRIM_THRESHOLD, trim_threshold),
               mallopt(_M_ARENA_MAX, ARENA_MAX)]  # fmt: skip
    if not all(applied):
        logger.debug("mallopt refused a setting: %s", applied)
    return all(applied)
