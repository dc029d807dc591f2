"""Which files under a table are the dataset's: ours of any schema version; foreign ones skipped."""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from crawler.dataset.schema import PARTITION_FIELDS, added_columns

__all__ = ["TableFiles", "file_problem", "table_files"]

logger = logging.getLogger(__name__)


@dataclass(slots=True)
class TableFiles:
    """A table's readable files (with their row counts) and the ones left out, with reasons."""

    readable: list[Path] = field(default_factory=list)
    skipped: list[tuple[Path, str]] = field(default_factory=list)
    rows: dict[Path, int] = field(default_factory=dict)


# Files are immutable once renamed into place, so a verdict holds while size and mtime do:
# repeated loads in one session read each footer once.
_VERDICTS: dict[tuple[str, int, int, str], tuple[str | None, int]] = {}
_MAX_VERDICTS = 500_000


def file_problem(path: Path, schema: pa.Schema) -> str | None:
    """Why a Parquet file cannot be part of a table with `schema`; None when it can.

    A file of an older schema version may lack the columns added since (the loader fills
    them); any other missing column, an unknown column or a different type makes it foreign.
    """
    return _verdict(path, schema)[0]


def _verdict(path: Path, schema: pa.Schema) -> tuple[str | None, int]:
    try:
        stat = path.stat()
    except OSError as exc:
        return f"unreadable ({type(exc).__name__}: {exc})", 0
    key = (str(path), stat.st_size, stat.st_mtime_ns, _signature(schema))
    if key not in _VERDICTS:
        if len(_VERDICTS) >= _MAX_VERDICTS:
            _VERDICTS.clear()
        _VERDICTS[key] = _inspect(path, schema)
    return _VERDICTS[key]


@lru_cache(maxsize=16)
def _signature(schema: pa.Schema) -> str:
    """One shared string per schema, so the verdict cache's keys do not each copy it."""
    return schema.to_string()


def _inspect(path: Path, schema: pa.Schema) -> tuple[str | None, int]:
    # ParquetFile, not read_metadata(): the latter kept ~8 KB per file read (pyarrow 26).
    try:
        with pq.ParquetFile(path) as parquet:
            found, rows = parquet.schema_arrow, parquet.metadata.num_rows
    except Exception as exc:  # truncated, not Parquet at all, unreadable: all the same here
        return f"unreadable ({type(exc).__name__}: {exc})", 0
    return _schema_problem(found, schema), rows


def _schema_problem(found: pa.Schema, schema: pa.Schema) -> str | None:
    extra = [n for n in found.names if n not in schema.names]
    if extra:
        return f"foreign: columns {extra} are not in the schema"
    optional = added_columns(schema)
    missing = [n for n in schema.names if n not in found.names and n not in optional]
    if missing:
        return f"foreign: columns {missing} are missing"
    for column in found:
        expected = schema.field(column.name).type
        if not column.type.equals(expected):
            return f"foreign: column {column.name} is {column.type}, not {expected}"
    return None


def _candidates(directory: Path, sites: Iterable[str] | None) -> Iterator[Path]:
    # Hidden and underscore names (temporaries, staging, quarantine) are never data, as
    # for pyarrow's own discovery.
    bases = [directory / f"site={s}" for s in sites] if sites is not None else [directory]
    for base in bases:
        for path in sorted(base.rglob("*.parquet")) if base.is_dir() else []:
            parts = path.relative_to(directory).parts
            if not any(p.startswith((".", "_")) for p in parts):
                yield path


def _layout_problem(path: Path, directory: Path) -> str | None:
    parts = path.relative_to(directory).parts[:-1]
    expected = [f"{name}=" for name in PARTITION_FIELDS]
    if len(parts) != len(expected) or not all(
        p.startswith(e) for p, e in zip(parts, expected, strict=True)
    ):
        return "foreign: not inside a " + "/".join(f"{e}..." for e in expected) + " directory"
    return None


def table_files(
    directory: Path,
    schema: pa.Schema,
    sites: Iterable[str] | None = None,
    *,
    warn: bool = True,
    skip: Collection[Path] = (),
) -> TableFiles:
    """The table's files under `directory` (only `sites`' partitions when given), checked;
    `skip`: files left out, neither checked nor listed.

    Each skipped file is logged with its path and reason: a reader sees why rows are absent.
    """
    candidates = (path for path in _candidates(directory, sites) if path not in skip)
    found = TableFiles()

    def check(path: Path) -> tuple[str | None, int]:
        layout = _layout_problem(path, directory)
        return (layout, 0) if layout else _verdict(path, schema)

    # One file after the other: a thread pool was no faster (the GIL) and its threads' malloc
    # arenas cost ~50 KB of resident memory per file checked.
    for path in candidates:
        problem, rows = check(path)
        if problem is None:
            found.readable.append(path)
            found.rows[path] = rows
            continue
        found.skipped.append((path, problem))
        if warn:
            logger.warning("skipping %s: %s", path, problem)
    return found
