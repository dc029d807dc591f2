"""Imported by the extraction pool's forkserver: every worker it forks starts warm.

Each worker forked from the forkserver then shares the loaded models copy-on-write instead of
loading them itself, again after every recycle.
"""

from __future__ import annotations

import gc
import logging

from .langmodel import release_mapped_pages
from .warmup import warm_up

logger = logging.getLogger(__name__)


def share_justext_stoplist() -> None:
    """Build trafilatura's all-language justext stoplist here, once, for every worker.

    trafilatura's justext fallback, on a page of no known language, builds a tuple of every
    stopword of every language (~154,000 strings) and justext caches its lower-cased set:
    ~27 MB in each worker from its first such page on, built again after each recycle. The
    warm-up pages never reach that fallback.
    """
    try:
        from justext.core import define_stoplist
        from trafilatura import external

        define_stoplist(external.JT_STOPLIST or external.jt_stoplist_init())
    except (ImportError, AttributeError) as exc:  # another trafilatura: workers build their own
        logger.debug("justext stoplist not preloaded: %s", exc)


warm_up()
share_justext_stoplist()
# Its workers, not the forkserver, detect languages from now on.
release_mapped_pages()
# Workers fork from the forkserver: frozen, its objects sit in a generation their garbage
# collections never visit, so collecting does not write to (and copy) the shared pages.
gc.collect()
gc.freeze()
