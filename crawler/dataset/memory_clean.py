"""Clean the rows a run already wrote with what the site memory learned by its end."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from crawler.dataset.columns import rows_from_table, table_from_rows
from crawler.dataset.files import table_files
from crawler.dataset.schema import ARTICLE_SCHEMA, dictionary_columns
from crawler.dataset.writer import atomic_file

__all__ = ["CleanedFiles", "rewrite_rows", "run_files", "site_files"]

RowFix = Callable[[dict[str, Any]], dict[str, Any] | None]


@dataclass(slots=True)
class CleanedFiles:
    """What a rewrite changed: rows seen, rows cleaned, files replaced."""

    rows: int = 0
    cleaned: int = 0
    files: int = 0


def run_files(root: Path | str, site: str, file_prefix: str) -> list[Path]:
    """The article files of one site written under `file_prefix` (one run and worker)."""
    site_dir = Path(root) / "articles" / f"site={site}"
    return sorted(site_dir.glob(f"month=*/{file_prefix}-*.parquet"))


def site_files(root: Path | str, site: str, known: Collection[Path] = ()) -> list[Path]:
    """Every article file of one site (foreign and unreadable files left alone); `known`
    files are taken as they are, without a look at their footers."""
    found = table_files(Path(root) / "articles", ARTICLE_SCHEMA, [site], warn=False, skip=known)
    return [*found.readable, *known]


def rewrite_rows(paths: list[Path], fix: RowFix, compression: str = "zstd") -> CleanedFiles:
    """Apply `fix` to every row (None: unchanged); replace each changed file atomically.

    Each file is swapped whole (a reader sees all its old rows or all its new rows), with the
    same schema and row count: nothing is added or lost, only the fixed rows differ.
    """
    done = CleanedFiles()
    for path in paths:
        table = pq.ParquetFile(path).read()
        rows = rows_from_table(table)  # table.to_pylist() and from_pylist import pandas
        changed = 0
        for index, row in enumerate(rows):
            fixed = fix(row)
            if fixed is not None:
                rows[index] = fixed
                changed += 1
        done.rows += len(rows)
        if changed:
            with atomic_file(path) as sink:
                pq.write_table(table_from_rows(rows, table.schema), sink,
                               compression=compression,
                               use_dictionary=dictionary_columns(table.schema))  # fmt: skip
            done.cleaned += changed
            done.files += 1
    return done
