"""Content hash of article text: equal when only whitespace, case or Unicode forms differ."""

from __future__ import annotations

import re
import unicodedata

import xxhash

__all__ = ["content_hash", "normalize_text"]

_SPACE = re.compile(r"\s+")


def normalize_text(text: str) -> str:
    """NFKC, lowercase, whitespace collapsed to single spaces."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text).lower()).strip()


def content_hash(text: str) -> str:
    """xxhash64 hex digest of the normalized text."""
    # surrogatepass: a hash is total; valid_unicode rehashes text it had to repair.
    return xxhash.xxh64_hexdigest(normalize_text(text).encode("utf-8", "surrogatepass"))
