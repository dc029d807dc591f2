"""trafilatura's all-language justext stoplist as 1.2 MB of word hashes instead of ~29 MB.

On a page of no known language trafilatura's justext fallback classifies paragraphs by their
share of stopwords, with every stopword of every language: a tuple of ~154,000 strings
(12 MB), which justext copies into a frozenset of lower-cased strings (17 MB more), held
for the process's life. The extraction pool's forkserver built both once for all workers,
the largest part of its memory. Membership needs neither copy of the words: their sorted
hashes answer it. Python's string hash is salted per interpreter, so the hashes are built
in the process that uses them, or in the forkserver whose forks inherit its salt.
"""

from __future__ import annotations

import logging
from array import array
from bisect import bisect_left
from collections.abc import Iterable

__all__ = ["HashedStoplist", "share_hashed_stoplist"]

logger = logging.getLogger(__name__)


class HashedStoplist:
    """Whether a word (already lower-cased, as justext asks) is one of `words`, lower-cased.

    Two distinct words share a 64-bit hash with a chance of ~1e-14 per lookup here: a
    paragraph's stopword share is not moved by that.
    """

    __slots__ = ("_hashes",)

    def __init__(self, words: Iterable[str]) -> None:
        self._hashes = array("q", sorted({hash(word.lower()) for word in words}))

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str):
            return False
        key = hash(word)
        at = bisect_left(self._hashes, key)
        return at < len(self._hashes) and self._hashes[at] == key

    def __len__(self) -> int:
        return len(self._hashes)


def share_hashed_stoplist() -> HashedStoplist | None:
    """Give trafilatura's justext fallback the hashed all-language stoplist.

    trafilatura passes its module-level stoplist to justext, whose `define_stoplist` would
    copy it into a frozenset; that step now hands this one through. With another
    trafilatura or justext (the names differ), nothing is changed and None returned.
    """
    try:
        from justext import core
        from justext.utils import get_stoplist, get_stoplists
        from trafilatura import external
    except ImportError as exc:
        logger.debug("justext stoplist not shared: %s", exc)
        return None
    if not hasattr(external, "JT_STOPLIST") or not hasattr(core, "define_stoplist"):
        logger.debug("justext stoplist not shared: trafilatura or justext changed")
        return None
    stoplist = HashedStoplist(w for language in get_stoplists() for w in get_stoplist(language))
    lower_cased = core.define_stoplist

    def define_stoplist(words: object) -> object:
        return words if words is stoplist else lower_cased(words)

    core.define_stoplist = define_stoplist
    external.JT_STOPLIST = stoplist  # type: ignore[assignment]  # trafilatura types it a tuple
    return stoplist
