"""A few columns of the crawled sites' rows, read file by file: what a crawl reads at its start.

The known articles, the settled pages and the reject schedule need some columns of the
crawled sites' files. pyarrow.dataset would import pandas (~50 MB, ~0.5 s) into the crawl's
process, which never uses it, and so would converting a time zone-aware timestamp to
Python: both are avoided here. Rows of older schema versions get the defaults of the
columns they lack, as `load()` gives them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from crawler.dataset.columns import python_values
from crawler.dataset.files import table_files
from crawler.dataset.schema import (
    ARTICLE_SCHEMA,
    REJECT_SCHEMA,
    ArticleRecord,
    RejectRecord,
    added_columns,
    column_defaults,
)

__all__ = ["scan_rows"]

_TABLES: dict[str, tuple[pa.Schema, type]] = {
    "articles": (ARTICLE_SCHEMA, ArticleRecord),
    "rejects": (REJECT_SCHEMA, RejectRecord),
}


def scan_rows(
    root: Path | str, table: str, sites: Iterable[str], columns: list[str]
) -> Iterator[dict[str, Any]]:
    """Each row of the sites' files of `table`, as a dict of `columns` (absent ones null)."""
    schema, record = _TABLES[table]
    added = added_columns(schema)
    defaults = {c: v for c, v in column_defaults(record).items() if c in added and c in columns}
    directory = Path(root) / table
    for path in table_files(directory, schema, list(sites)).readable:
        parquet = pq.ParquetFile(path)
        present = [c for c in columns if c in parquet.schema_arrow.names]
        for batch in parquet.iter_batches(columns=present):
            values = {name: python_values(batch.column(name)) for name in present}
            for index in range(batch.num_rows):
                row = {c: values[c][index] if c in values else None for c in columns}
                for column, default in defaults.items():
                    if row[column] is None:
                        row[column] = default
                yield row
