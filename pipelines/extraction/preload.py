"""Imported by the extraction pool's forkserver: every worker it forks starts warm.

Each worker forked from the forkserver then shares the loaded models copy-on-write instead of
loading them itself, again after every recycle.
"""

from __future__ import annotations

import gc

from crawler.malloc import tune_malloc_for_extraction

from .langmodel import release_mapped_pages
from .stoplist import share_hashed_stoplist
from .warmup import warm_up

warm_up()
share_hashed_stoplist()  # once here, not ~29 MB per worker at its first unknown language
# Its workers, not the forkserver, detect languages from now on.
release_mapped_pages()
# Workers fork from the forkserver: frozen, its objects sit in a generation their garbage
# collections never visit, so collecting does not write to (and copy) the shared pages.
gc.collect()
gc.freeze()
# Only now: the warm-up's allocations keep the crawl's settings, the pages the workers' own.
tune_malloc_for_extraction()
