"""Valid Unicode out of extraction: lone UTF-16 surrogates replaced, the replacement noted."""

from __future__ import annotations

import dataclasses
import re
from typing import Any, TypeVar

from crawler.dataset.schema import ArticleRecord, Removed

from .hashing import content_hash

__all__ = ["INVALID_UNICODE", "replace_lone_surrogates", "valid_unicode"]

# The `removed` kind that records, per article, which fields had text replaced.
INVALID_UNICODE = "invalid_unicode"
REPLACEMENT = "\ufffd"
# A surrogate is never valid on its own in a str: JSON's "\ud83d" or a cut emoji in
# a CMS's escaped output decodes to one, and no UTF-8 encoder accepts it.
_SURROGATE = re.compile("[\ud800-\udfff]")

T = TypeVar("T")


def replace_lone_surrogates(text: str) -> tuple[str, int]:
    """The text with every lone surrogate replaced by U+FFFD, and how many there were."""
    return _SURROGATE.subn(REPLACEMENT, text)


def _clean(value: Any) -> tuple[Any, int]:
    if isinstance(value, str):
        return replace_lone_surrogates(value)
    if isinstance(value, list):
        cleaned = [_clean(item) for item in value]
        return [c for c, _ in cleaned], sum(n for _, n in cleaned)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = _field_changes(value)
        return dataclasses.replace(value, **{k: v for k, (v, _) in changes.items()}), sum(
            n for _, n in changes.values()
        )
    return value, 0


def _field_changes(record: Any) -> dict[str, tuple[Any, int]]:
    """Per string-bearing field with a surrogate: its cleaned value and the count replaced."""
    changes = {}
    for field in dataclasses.fields(record):
        value = getattr(record, field.name)
        cleaned, count = _clean(value)
        if count:
            changes[field.name] = (cleaned, count)
    return changes


def valid_unicode(result: T) -> T:
    """The record or rejection with valid text in every field; an article notes what changed.

    Parquet (UTF-8) cannot store a lone surrogate: left in, it would make the whole batch
    unwritable. An article gets a `removed` entry of kind `invalid_unicode` naming the
    fields and the count, so the replacement can be audited; its content hash is of the
    cleaned text.
    """
    if not dataclasses.is_dataclass(result) or isinstance(result, type):
        return result
    changes = _field_changes(result)
    if not changes:
        return result
    fixed = dataclasses.replace(result, **{k: v for k, (v, _) in changes.items()})
    if isinstance(fixed, ArticleRecord):
        count = sum(n for _, n in changes.values())
        note = Removed(INVALID_UNICODE, f"{count} lone surrogate(s) replaced with U+FFFD in "
                       + ", ".join(sorted(changes)))  # fmt: skip
        fixed = dataclasses.replace(
            fixed, removed=[*fixed.removed, note], content_hash=content_hash(fixed.text)
        )
    return fixed  # type: ignore[return-value]
