"""Project scrapy commands (`scrapy demo`, ...)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from scrapy.settings import BaseSettings

from crawler.logformatter import install_quiet_logging

__all__ = ["add_dataset_option", "dataset_root"]

# pyarrow.fs loads the libraries of every object store it was built with (the AWS SDK alone
# ~4-8 MB of a crawl's memory) on import, and `pyarrow.parquet` imports it. No command opens
# an object store (PARQUET_DIR refuses them: crawler/distributed/config.py), so in scrapy's
# processes, which import this package before anything imports pyarrow, they are marked
# absent; pyarrow then leaves those filesystems out. Other importers of the project (an
# analyst's notebook reading the dataset) keep them.
for _store in ("pyarrow._s3fs", "pyarrow._gcsfs", "pyarrow._azurefs", "pyarrow._hdfs"):
    sys.modules.setdefault(_store, None)  # type: ignore[arg-type]


def add_dataset_option(parser: argparse.ArgumentParser) -> None:
    """`-o/--output DIR`: the dataset a command reads or rewrites."""
    parser.add_argument(
        "-o", "--output", default=None, metavar="DIR", help="dataset root (default: PARQUET_DIR)"
    )


def dataset_root(opts: argparse.Namespace, settings: BaseSettings | None) -> Path:
    """The dataset root given on the command line, else the project's PARQUET_DIR."""
    assert settings is not None
    return Path(opts.output or settings["PARQUET_DIR"])


# Scrapy imports this package before it logs anything (versions, settings ...): the one
# place that runs early enough in `scrapy crawl`, `scrapy demo` and scrapyd's jobs alike.
install_quiet_logging()
