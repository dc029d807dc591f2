"""Rows to an Arrow table column by column, with the schema's own types (no pandas needed).

`pa.Table.from_pylist` and `pa.array(list)` first ask whether the list is a pandas object,
and that question imports pandas (~50 MB, ~0.5 s) into a process that never uses it: the
crawl's, at its first flush. Built here from the values' bytes and numbers with the
schema's types, a table needs numpy and pyarrow only. Types no schema of ours uses go
through `pa.array`, which converts them the usual way (and imports pandas).
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import pyarrow as pa

__all__ = ["column", "python_values", "rows_from_table", "table_from_rows"]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_EPOCH_NAIVE = datetime(1970, 1, 1)
_TICKS = {"s": timedelta(seconds=1), "ms": timedelta(milliseconds=1),
          "us": timedelta(microseconds=1)}  # fmt: skip
_BYTES = (bytes, bytearray, memoryview)


def table_from_rows(rows: Sequence[dict[str, Any]], schema: pa.Schema) -> pa.Table:
    """The rows as one table of `schema`; a key a row lacks is null, keys not in it are ignored.

    Raises (TypeError, ValueError, OverflowError, UnicodeError) when a value does not fit its
    column, also a null in a non-nullable column, so that the caller can isolate the row.
    """
    arrays = []
    for field in schema:
        values = [row.get(field.name) for row in rows]
        if not field.nullable and None in values:
            raise ValueError(f"column {field.name!r} is not nullable but a row has no value")
        arrays.append(column(field.type, values))
    return pa.Table.from_arrays(arrays, schema=schema)


def rows_from_table(table: pa.Table) -> list[dict[str, Any]]:
    """The table's rows as dicts, column by column (`python_values`): no pandas imported."""
    values = {name: python_values(table.column(name)) for name in table.column_names}
    return [{name: values[name][i] for name in values} for i in range(table.num_rows)]


def python_values(array: pa.Array | pa.ChunkedArray) -> list[Any]:
    """The array's values as Python objects; stored timestamps are UTC (see the schema).

    pyarrow converts a time zone-aware timestamp through pandas' time zone support (and
    imports it): viewed as naive, the values get the UTC zone back here. A view, not a cast:
    casting imports pyarrow's compute functions (~9 MB in a nightly crawl's process).
    """
    if pa.types.is_timestamp(array.type) and array.type.tz is not None:
        naive = pa.timestamp(array.type.unit)
        chunks = array.chunks if isinstance(array, pa.ChunkedArray) else [array]
        values = [v for chunk in chunks for v in chunk.view(naive).to_pylist()]
        return [None if v is None else v.replace(tzinfo=UTC) for v in values]
    return array.to_pylist()


def column(arrow_type: pa.DataType, values: list[Any]) -> pa.Array:
    """One column of `arrow_type` from Python values (None is null)."""
    if pa.types.is_string(arrow_type):
        return _binary(arrow_type, [None if v is None else _text(v) for v in values])
    if pa.types.is_binary(arrow_type):
        return _binary(arrow_type, [None if v is None else _raw(v) for v in values])
    if pa.types.is_integer(arrow_type):
        return _integers(arrow_type, values)
    if pa.types.is_boolean(arrow_type):
        return _booleans(values)
    if pa.types.is_timestamp(arrow_type) and arrow_type.unit in _TICKS:
        return _timestamps(arrow_type, values)
    if pa.types.is_list(arrow_type):
        return _lists(arrow_type, values)
    if pa.types.is_struct(arrow_type):
        return _structs(arrow_type, values)
    return pa.array(values, type=arrow_type)


def _validity(values: list[Any]) -> tuple[pa.Buffer | None, int]:
    """Arrow's validity bitmap of the values (None when all are set) and the null count."""
    present = np.fromiter((v is not None for v in values), dtype=bool, count=len(values))
    nulls = len(values) - int(present.sum())
    if not nulls:
        return None, 0
    return pa.py_buffer(np.packbits(present, bitorder="little")), nulls


def _text(value: Any) -> bytes:
    if not isinstance(value, str):
        raise TypeError(f"expected str, got {type(value).__name__}")
    return value.encode("utf-8")  # a lone surrogate raises UnicodeEncodeError


def _raw(value: Any) -> bytes:
    if not isinstance(value, _BYTES):
        raise TypeError(f"expected bytes, got {type(value).__name__}")
    return bytes(value)


def _offsets(lengths: list[int]) -> pa.Buffer:
    """int32 offsets of consecutive values of these lengths."""
    ends = np.cumsum(np.asarray(lengths, dtype=np.int64))
    if len(ends) and ends[-1] > np.iinfo(np.int32).max:
        raise OverflowError("a column holds more than 2 GiB: flush fewer rows")
    return pa.py_buffer(np.concatenate(([0], ends)).astype(np.int32))


def _binary(arrow_type: pa.DataType, encoded: list[bytes | None]) -> pa.Array:
    validity, nulls = _validity(encoded)
    offsets = _offsets([0 if v is None else len(v) for v in encoded])
    data = pa.py_buffer(b"".join(v for v in encoded if v is not None))
    return pa.Array.from_buffers(arrow_type, len(encoded), [validity, offsets, data], nulls)


def _numbers(dtype: np.dtype, values: list[Any], fill: Any) -> pa.Buffer:
    return pa.py_buffer(np.array([fill if v is None else v for v in values], dtype=dtype))


def _integers(arrow_type: pa.DataType, values: list[Any]) -> pa.Array:
    for value in values:
        if value is not None and (isinstance(value, bool) or operator.index(value) is None):
            raise TypeError(f"expected int, got {type(value).__name__}")
    validity, nulls = _validity(values)
    data = _numbers(np.dtype(str(arrow_type)), values, 0)  # out of range: OverflowError
    return pa.Array.from_buffers(arrow_type, len(values), [validity, data], nulls)


def _booleans(values: list[Any]) -> pa.Array:
    for value in values:
        if value is not None and not isinstance(value, bool | np.bool_):
            raise TypeError(f"expected bool, got {type(value).__name__}")
    validity, nulls = _validity(values)
    bits = np.packbits(np.array([bool(v) for v in values], dtype=bool), bitorder="little")
    return pa.Array.from_buffers(pa.bool_(), len(values), [validity, pa.py_buffer(bits)], nulls)


def _ticks(value: Any, tick: timedelta) -> int:
    if not isinstance(value, datetime):
        raise TypeError(f"expected datetime, got {type(value).__name__}")
    # As pyarrow does: an aware time is converted to UTC, a naive one is taken as UTC.
    return (value - (_EPOCH if value.tzinfo is not None else _EPOCH_NAIVE)) // tick


def _timestamps(arrow_type: pa.TimestampType, values: list[Any]) -> pa.Array:
    tick = _TICKS[arrow_type.unit]
    ticks = [None if v is None else _ticks(v, tick) for v in values]
    validity, nulls = _validity(ticks)
    data = _numbers(np.dtype(np.int64), ticks, 0)
    return pa.Array.from_buffers(arrow_type, len(values), [validity, data], nulls)


def _lists(arrow_type: pa.ListType, values: list[Any]) -> pa.Array:
    for value in values:
        if value is not None and not isinstance(value, list | tuple):
            raise TypeError(f"expected a list, got {type(value).__name__}")
    validity, nulls = _validity(values)
    offsets = _offsets([0 if v is None else len(v) for v in values])
    child = column(arrow_type.value_type, [item for v in values if v is not None for item in v])
    return pa.Array.from_buffers(arrow_type, len(values), [validity, offsets], nulls,
                                 children=[child])  # fmt: skip


def _structs(arrow_type: pa.StructType, values: list[Any]) -> pa.Array:
    for value in values:
        if value is not None and not isinstance(value, dict):
            raise TypeError(f"expected a dict, got {type(value).__name__}")
    validity, nulls = _validity(values)
    children = [
        column(field.type, [None if v is None else v.get(field.name) for v in values])
        for field in arrow_type
    ]
    return pa.Array.from_buffers(arrow_type, len(values), [validity], nulls, children=children)
