"""Project scrapy commands (`scrapy demo`, ...)."""

from __future__ import annotations

import argparse
from pathlib import Path

from scrapy.settings import BaseSettings

from crawler.logformatter import install_quiet_logging

__all__ = ["add_dataset_option", "dataset_root"]


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
