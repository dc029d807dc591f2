"""Loading the articles and rejects datasets into pandas with the schema's dtypes."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds

from crawler.dataset.files import table_files
from crawler.dataset.schema import (
    ARTICLE_SCHEMA,
    REJECT_SCHEMA,
    ArticleRecord,
    RejectRecord,
    added_columns,
    column_defaults,
    partition_schema,
)

__all__ = [
    "TABLES",
    "dataset_schema",
    "files_dataset",
    "latest_per_article",
    "load",
    "load_rejects",
    "open_dataset",
    "pandas_dtype",
    "with_defaults",
]  # fmt: skip

TABLES = {"articles": ARTICLE_SCHEMA, "rejects": REJECT_SCHEMA}
# Only the columns an older file may lack need filling: elsewhere a null is a real null.
DEFAULTS = {
    name: {c: v for c, v in column_defaults(record).items() if c in added_columns(TABLES[name])}
    for name, record in (("articles", ArticleRecord), ("rejects", RejectRecord))
}


def dataset_schema(table: str) -> pa.Schema:
    """The full schema of a table as read back: file columns plus partition keys."""
    schema = TABLES[table]
    for part in partition_schema():
        schema = schema.append(part)
    return schema


def open_dataset(
    root: Path | str = "output", table: str = "articles", sites: Iterable[str] | None = None
) -> ds.Dataset:
    """The table under `root` (only `sites`' partitions when given) as a pyarrow dataset.

    Files of older schema versions are read with the columns they lack as nulls (see
    `with_defaults`); foreign and unreadable files are skipped with a warning naming them.
    """
    directory = Path(root) / table
    return files_dataset(directory, table, table_files(directory, TABLES[table], sites).readable)


def files_dataset(directory: Path, table: str, files: Sequence[Path]) -> ds.Dataset:
    """A dataset of these (checked) files of `table`, partition keys read from their paths."""
    schema = dataset_schema(table)
    if not files:
        return ds.dataset([], schema=schema)
    partitioning = ds.partitioning(partition_schema(), flavor="hive")
    return ds.dataset(
        [str(f) for f in files], schema=schema, format="parquet", partitioning=partitioning,
        partition_base_dir=str(directory),
    )  # fmt: skip


def migrate(table: pa.Table, name: str = "articles") -> pa.Table:
    """One file's rows in the current schema: the columns it lacks added, then defaulted."""
    schema = TABLES[name]
    for column in schema:
        if column.name not in table.column_names:
            table = table.append_column(column, pa.nulls(table.num_rows, column.type))
    return with_defaults(table.select(schema.names), name).cast(schema)


def with_defaults(table: pa.Table, name: str = "articles") -> pa.Table:
    """Rows migrated from older schema versions get the defaults of the columns they lacked."""
    for column, default in DEFAULTS[name].items():
        index = table.schema.get_field_index(column)
        if index >= 0 and table.column(index).null_count:
            filled = pc.fill_null(table.column(index), pa.scalar(default, table.field(index).type))
            table = table.set_column(index, table.field(index), filled)
    return table


def pandas_dtype(arrow_type: pa.DataType) -> object:
    """The pandas dtype a column of this Arrow type is loaded as."""
    if pa.types.is_string(arrow_type):
        return pd.StringDtype()
    if pa.types.is_list(arrow_type) or pa.types.is_struct(arrow_type):
        return pd.ArrowDtype(arrow_type)
    return None  # pyarrow's own mapping is right: tz-aware datetimes, int32, bool


def load(
    root: Path | str = "output",
    *,
    sites: str | Iterable[str] | None = None,
    start: date | datetime | str | None = None,
    end: date | datetime | str | None = None,
    columns: Sequence[str] | None = None,
    latest: bool = True,
) -> pd.DataFrame:
    """Articles as a DataFrame, optionally for some sites and a published_at range.

    `start` is inclusive and `end` exclusive; a date means midnight UTC. Partitions
    outside the sites and months asked for are never read. With `latest` (default)
    only the most recently fetched row per canonical URL is kept; `latest=False`
    returns every stored revision.
    """
    dataset = open_dataset(root, "articles", _names(sites))
    expr = _filter(sites, _utc(start), _utc(end))
    wanted = list(columns) if columns else [f for f in dataset.schema.names if f != "month"]
    needed = wanted + [c for c in ("canonical_url", "fetched_at") if latest and c not in wanted]
    table = with_defaults(dataset.to_table(columns=needed, filter=expr))
    if latest:
        table = latest_per_article(table)
    return _to_pandas(table.select(wanted))


def load_rejects(
    root: Path | str = "output", *, sites: str | Iterable[str] | None = None
) -> pd.DataFrame:
    """Rejected pages with their reasons, as a DataFrame."""
    dataset = open_dataset(root, "rejects", _names(sites))
    names = [f for f in dataset.schema.names if f != "month"]
    return _to_pandas(dataset.to_table(columns=names, filter=_filter(sites, None, None)))


def _names(sites: str | Iterable[str] | None) -> list[str] | None:
    return None if sites is None else [sites] if isinstance(sites, str) else list(sites)


def _filter(
    sites: str | Iterable[str] | None, start: datetime | None, end: datetime | None
) -> ds.Expression | None:
    conditions = []
    if sites is not None:
        names = [sites] if isinstance(sites, str) else list(sites)
        conditions.append(ds.field("site").isin(names))
    # The month partition bounds let pyarrow skip whole directories; the timestamp
    # bounds then cut exactly.
    if start is not None:
        conditions.append(ds.field("month") >= start.strftime("%Y-%m"))
        conditions.append(ds.field("published_at") >= pa.scalar(start, pa.timestamp("us", "UTC")))
    if end is not None:
        conditions.append(ds.field("month") <= end.strftime("%Y-%m"))
        conditions.append(ds.field("published_at") < pa.scalar(end, pa.timestamp("us", "UTC")))
    expr = None
    for condition in conditions:
        expr = condition if expr is None else expr & condition
    return expr


def _utc(value: date | datetime | str | None) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if not isinstance(value, datetime):
        value = datetime.combine(value, time.min)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def latest_per_article(table: pa.Table) -> pa.Table:
    order = pc.sort_indices(
        table, sort_keys=[("canonical_url", "ascending"), ("fetched_at", "descending")]
    )
    urls = table.column("canonical_url").take(order).to_numpy(zero_copy_only=False)
    # After sorting, the first row of each run of equal URLs is the newest.
    first = np.ones(len(urls), dtype=bool)
    first[1:] = urls[1:] != urls[:-1]
    return table.take(order.filter(pa.array(first)))


def _to_pandas(table: pa.Table) -> pd.DataFrame:
    mapping = {f.type: pandas_dtype(f.type) for f in table.schema}
    return table.to_pandas(types_mapper=mapping.get)
