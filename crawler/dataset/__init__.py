"""The on-disk dataset: record schema, writer, loader, locking, run manifests, raw store.

`from crawler.dataset import load, load_rejects` is the analysts' entry point. The loader
(and with it pandas) is imported on first use only: the extraction workers import the
schema from this package and must not pay for pandas.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from crawler.dataset.loader import (
        TABLES,
        dataset_schema,
        latest_per_article,
        load,
        load_rejects,
        open_dataset,
        pandas_dtype,
    )

__all__ = [
    "TABLES", "dataset_schema", "latest_per_article", "load", "load_rejects", "open_dataset",
    "pandas_dtype",
]  # fmt: skip


def __getattr__(name: str) -> Any:
    if name in __all__:
        return getattr(importlib.import_module("crawler.dataset.loader"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
