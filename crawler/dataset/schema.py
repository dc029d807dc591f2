"""The article and reject records: defined once, with their Arrow types."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = [
    "ADDED_IN",
    "ARTICLE_SCHEMA",
    "PARTITION_FIELDS",
    "REJECT_SCHEMA",
    "SCHEMA_VERSION",
    "ArticleRecord",
    "RejectReason",
    "RejectRecord",
    "Removed",
    "added_columns",
    "arrow_field",
    "arrow_schema",
    "arrow_type",
    "column",
    "column_defaults",
    "dictionary_columns",
    "partition_schema",
]

# Bump together with ADDED_IN whenever a field is added, removed or retyped.
SCHEMA_VERSION = "2"
# The columns each schema version added. A file written before them lacks them: the loader
# reads it with those columns filled (the field's default, else null), compaction rewrites it.
ADDED_IN = {"2": ("revision", "etag", "last_modified")}

# Hive partition keys: not stored inside the files, rebuilt from directory names.
PARTITION_FIELDS = ("site", "month")

# The schema names its Arrow types; pyarrow itself loads only when a schema is built. The
# extraction workers use the records alone, and importing pyarrow cost their forkserver ~27 MB
# (shared by every worker) and ~0.6 s at start.
_ARROW_TYPES: dict[str, Callable[[Any], Any]] = {
    "string": lambda pa: pa.string(),
    "binary": lambda pa: pa.binary(),
    "bool": lambda pa: pa.bool_(),
    "int16": lambda pa: pa.int16(),
    "int32": lambda pa: pa.int32(),
    "int64": lambda pa: pa.int64(),
    "strings": lambda pa: pa.list_(pa.string()),
    "timestamp": lambda pa: pa.timestamp("us", tz="UTC"),
    "removed": lambda pa: pa.list_(pa.struct([("kind", pa.string()), ("text", pa.string())])),
}


# The Parquet columns of a field whose values repeat: a list's items; a removed block's kind,
# and its text (the same appeals and sign-up lines on page after page: 27% larger without).
_REPEATING_LEAVES = {
    "strings": (".list.element",),
    "removed": (".list.element.kind", ".list.element.text"),
}


def column(
    arrow_type: str, *, nullable: bool = True, default: Any = None, repeats: bool = False
) -> Any:
    """A record field that carries the name of its Arrow type (see _ARROW_TYPES) in its
    metadata; `repeats`: its values recur from row to row (a section, an author), so its
    Parquet column is dictionary-encoded (see `dictionary_columns`)."""
    if arrow_type not in _ARROW_TYPES:
        raise ValueError(f"unknown Arrow type name {arrow_type!r}")
    meta = {"arrow": arrow_type, "nullable": nullable, "repeats": repeats}
    if isinstance(default, list):
        return field(default_factory=list, metadata=meta)
    return field(default=default, metadata=meta)


@dataclass(frozen=True, slots=True)
class Removed:
    """A block of boilerplate stripped from a page, kept for audit."""

    kind: str
    text: str


@dataclass(frozen=True, slots=True)
class ArticleRecord:
    """One row per article revision."""

    url: str = column("string", nullable=False, default="")
    canonical_url: str = column("string", nullable=False, default="")
    site: str = column("string", nullable=False, default="")
    section: str | None = column("string", repeats=True)
    title: str | None = column("string")
    description: str | None = column("string")
    authors: list[str] = column("strings", nullable=False, default=[], repeats=True)
    tags: list[str] = column("strings", nullable=False, default=[], repeats=True)
    published_at: datetime | None = column("timestamp")
    modified_at: datetime | None = column("timestamp")
    language: str | None = column("string", repeats=True)
    text: str = column("string", nullable=False, default="")
    word_count: int = column("int32", nullable=False, default=0)
    paywalled: bool = column("bool", nullable=False, default=False)
    removed: list[Removed] = column("removed", nullable=False, default=[], repeats=True)
    content_hash: str = column("string", nullable=False, default="")
    revision: int = column("int16", nullable=False, default=1, repeats=True)
    fetched_at: datetime | None = column("timestamp")
    http_status: int = column("int16", nullable=False, default=0, repeats=True)
    etag: str | None = column("string")
    last_modified: str | None = column("string")
    run_id: str = column("string", nullable=False, default="", repeats=True)
    extractor: str = column("string", nullable=False, default="", repeats=True)

    @property
    def month(self) -> str:
        """Partition key: the month the article was published (else fetched), UTC."""
        stamp = self.published_at or self.fetched_at
        return stamp.strftime("%Y-%m") if stamp else "unknown"

    def to_row(self) -> dict[str, Any]:
        """The record as a plain dict, ready for `pa.Table.from_pylist`."""
        row = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        row["removed"] = [{"kind": r.kind, "text": r.text} for r in self.removed]
        row["month"] = self.month
        return row


class RejectReason:
    """The fixed vocabulary of reasons a fetched page did not become an article."""

    HTTP_ERROR = "http_error"  # non-2xx status after retries
    DOWNLOAD_ERROR = "download_error"  # timeout, connection refused/reset, DNS
    EMPTY_PAGE = "empty_page"  # 200 with no body
    NOT_HTML = "not_html"  # PDF, image, JSON ... behind an article URL
    UNDECODABLE = "undecodable"  # bytes that are no text in any plausible charset
    TOO_LARGE = "too_large"  # beyond the extraction size limit
    NO_ARTICLE = "no_article"  # HTML, but no article body found
    TOO_SHORT = "too_short"  # body below the minimum word count
    MISSING_FIELD = "missing_field"  # a required field is empty
    WRONG_LANGUAGE = "wrong_language"  # not one of VALIDATE_LANGUAGES
    WRONG_SECTION = "wrong_section"  # the page's own section is not the profile's [sections]
    BLOCKED = "blocked"  # never fetched: forbidden by robots.txt
    OFFSITE_REDIRECT = "offsite_redirect"  # redirected off the profile's domains: not followed
    REDIRECT_LOOP = "redirect_loop"  # more redirects than REDIRECT_MAX_TIMES
    REDIRECT_WITHOUT_LOCATION = "redirect_without_location"  # a 3xx with no Location header
    UNSUPPORTED_REDIRECT = "unsupported_redirect"  # to ftp:, file:, javascript: ... not followed
    NONSTANDARD_STATUS = "nonstandard_status"  # outside 100-599 (LinkedIn's 999 ...)
    DUPLICATE = "duplicate"  # same canonical URL and text already seen this run
    EXTRACTION_FAILED = "extraction_failed"  # the extractor raised or its worker died
    EXTRACTION_TIMEOUT = "extraction_timeout"  # no result within EXTRACT_TIMEOUT seconds
    TRUNCATED_BODY = "truncated_body"  # fewer bytes than Content-Length, or a cut compressed stream
    UNWRITABLE_ROW = "unwritable_row"  # extracted, but the row could not be stored (kept out)

    @classmethod
    def all(cls) -> list[str]:
        """Every reason, in declaration order."""
        return [v for k, v in vars(cls).items() if k.isupper()]


@dataclass(frozen=True, slots=True)
class RejectRecord:
    """A page that did not become an article, and why."""

    url: str = column("string", nullable=False, default="")
    site: str = column("string", nullable=False, default="")
    reason: str = column("string", nullable=False, default="", repeats=True)
    detail: str | None = column("string")
    http_status: int = column("int16", nullable=False, default=0, repeats=True)
    fetched_at: datetime | None = column("timestamp")
    run_id: str = column("string", nullable=False, default="", repeats=True)

    @property
    def month(self) -> str:
        """Partition key: the month the page was fetched, UTC."""
        return self.fetched_at.strftime("%Y-%m") if self.fetched_at else "unknown"

    def to_row(self) -> dict[str, Any]:
        """The record as a plain dict, ready for `pa.Table.from_pylist`."""
        row = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        row["month"] = self.month
        return row


def arrow_type(name: str) -> pa.DataType:
    """The Arrow type a `column` names."""
    import pyarrow as pa

    return _ARROW_TYPES[name](pa)


def arrow_field(f: dataclasses.Field[Any]) -> pa.Field:
    """The Arrow field of a record dataclass's field made with `column`."""
    import pyarrow as pa

    return pa.field(f.name, arrow_type(f.metadata["arrow"]), nullable=f.metadata["nullable"])


def arrow_schema(record_type: type) -> pa.Schema:
    """The Arrow schema of a record dataclass, partition keys left out."""
    import pyarrow as pa

    fields = [
        arrow_field(f) for f in dataclasses.fields(record_type) if f.name not in PARTITION_FIELDS
    ]
    return pa.schema(fields, metadata={"schema_version": SCHEMA_VERSION})


@lru_cache(maxsize=16)
def dictionary_columns(schema: pa.Schema) -> list[str] | bool:
    """The Parquet columns of `schema` to dictionary-encode: those of its record's repeating
    fields (pyarrow's default, every column, for a schema of no record here).

    A dictionary of unique values (URLs, texts, hashes, times) is built and then thrown
    away: ~17% of the CPU of writing a file of a few rows, as a first crawl's flushes write
    one file per site and month (measured on real pages: 0.84 -> 0.70 ms a 2-row file,
    4.19 -> 3.81 ms a 100-row file; files 0.2-2% smaller). A removed block's text repeats
    (the same appeal on page after page): without its dictionary the demo's files were 2%
    larger.
    """
    for record_type in (ArticleRecord, RejectRecord):
        if arrow_schema(record_type).equals(schema):
            return [
                f.name + leaf
                for f in dataclasses.fields(record_type)
                if f.metadata["repeats"] and f.name not in PARTITION_FIELDS
                for leaf in _REPEATING_LEAVES.get(f.metadata["arrow"], ("",))
            ]
    return True


def added_columns(schema: pa.Schema) -> set[str]:
    """Columns of `schema` that files of an older schema version may lack."""
    return {c for columns in ADDED_IN.values() for c in columns if c in schema.names}


def column_defaults(record_type: type) -> dict[str, Any]:
    """The non-null default of each non-nullable scalar field: what a migrated row gets."""
    return {
        f.name: f.default
        for f in dataclasses.fields(record_type)
        if not f.metadata["nullable"] and f.default is not dataclasses.MISSING
    }


def partition_schema() -> pa.Schema:
    """The types of the hive partition keys."""
    import pyarrow as pa

    return pa.schema([(name, pa.string()) for name in PARTITION_FIELDS])


if TYPE_CHECKING:
    ARTICLE_SCHEMA: pa.Schema
    REJECT_SCHEMA: pa.Schema
    UTC_TS: pa.DataType
    REMOVED_TYPE: pa.DataType

_LAZY: dict[str, Callable[[], Any]] = {
    "ARTICLE_SCHEMA": lambda: arrow_schema(ArticleRecord),
    "REJECT_SCHEMA": lambda: arrow_schema(RejectRecord),
    "UTC_TS": lambda: arrow_type("timestamp"),
    "REMOVED_TYPE": lambda: arrow_type("removed"),
}


def __getattr__(name: str) -> Any:
    """The Arrow schemas and types, built on first use (and then module attributes)."""
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = globals()[name] = _LAZY[name]()
    return value
