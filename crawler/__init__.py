"""opinion-scraper: crawl opinion sections into a clean, typed Parquet dataset."""

import os

# Arrow's C++ code (Parquet encoding and compression, reads, compute kernels) allocates from
# its default pool whatever pyarrow.set_memory_pool says, and that pool is mimalloc unless
# this variable names another: mimalloc keeps what it freed, ~40 MB in a crawl's process
# (README: Measuring). Arrow reads it once, at its first allocation: set before any pyarrow
# import, here, where every command and the crawl's settings come in first.
os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")

# Before the crawl allocates much: its settings, every command and the extraction pool's
# forkserver (whose workers inherit it) import this package first.
from crawler.malloc import tune_malloc

tune_malloc()
