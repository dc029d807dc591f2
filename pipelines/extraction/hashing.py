"""Content hash of article text: equal when only whitespace, case or Unicode forms differ."""

from __future__ import annotations

import unicodedata

import xxhash

__all__ = ["content_hash", "normalize_text"]


def normalize_text(text: str) -> str:
    """NFKC, lowercase, whitespace collapsed to single spaces."""
    # str.split() splits at exactly the characters \s matches, at a third of the cost.
    return " ".join(unicodedata.normalize("NFKC", text).lower().split())


def content_hash(text: str) -> str:
    """xxhash64 hex digest of the normalized text."""
    # surrogatepass: a hash is total; valid_unicode rehashes text it had to repair.
    return xxhash.xxh64_hexdigest(normalize_text(text).encode("utf-8", "surrogatepass"))
