"""Usage and configuration checks before a crawl starts: one line and exit 2, no traceback."""

from __future__ import annotations

import difflib
import importlib.util
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import NoReturn

from scrapy.settings import BaseSettings

from crawler.distributed.config import dataset_root, redis_url
from crawler.incremental import parse_refresh
from crawler.monitor.exitcodes import ExitCode
from crawler.profile import ProfileError, load_profiles, select_profiles

__all__ = ["SPIDER_ARGUMENTS", "ConfigError", "check_crawl", "exit_on_config_error"]

# `-a NAME=VALUE` arguments the opinion spider understands; any other name is most likely a
# typo (`-a sites=...` would otherwise crawl every site).
SPIDER_ARGUMENTS = ("site", "refresh", "retry_rejects")
# Passed by scrapyd to every job it runs.
SCHEDULER_ARGUMENTS = ("_job",)


class ConfigError(ValueError):
    """A usage or configuration error, said in one line."""


def check_crawl(settings: BaseSettings, arguments: Mapping[str, str]) -> None:
    """Raise ConfigError for whatever would stop the crawl at start."""
    for name in arguments:
        if name not in SPIDER_ARGUMENTS + SCHEDULER_ARGUMENTS:
            raise ConfigError(f"-a {name}: unknown argument{_did_you_mean(name, SPIDER_ARGUMENTS)}"
                              f" (known: {', '.join(SPIDER_ARGUMENTS)})")  # fmt: skip
    try:
        source = Path(settings["SITE_PROFILES_DIR"])
        select_profiles(load_profiles(source), arguments.get("site"), source)
        parse_refresh(arguments.get("refresh"))
        _check_retry_rejects(arguments.get("retry_rejects"))
        dataset_root(str(settings["PARQUET_DIR"]))
    except ProfileError as exc:
        raise ConfigError(str(exc)) from exc
    except ValueError as exc:
        raise ConfigError(str(exc)) from exc
    if redis_url(settings) and importlib.util.find_spec("scrapy_redis") is None:
        raise ConfigError("REDIS_URL is set but scrapy-redis is not installed: "
                          "pip install -e '.[redis]'")  # fmt: skip


def _check_retry_rejects(value: str | None) -> None:
    from crawler.dataset.retries import parse_retry_rejects

    parse_retry_rejects(value)


def _did_you_mean(name: str, known: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(name, known, n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def exit_on_config_error(command: str, settings: BaseSettings,
                         arguments: Mapping[str, str]) -> None:  # fmt: skip
    """Run `check_crawl`; on an error print one line and exit with ExitCode.USAGE."""
    try:
        check_crawl(settings, arguments)
    except ConfigError as exc:
        fail(command, str(exc))


def fail(command: str, message: str) -> NoReturn:
    """Print `scrapy COMMAND: error: MESSAGE` and exit 2."""
    print(f"scrapy {command}: error: {message}", file=sys.stderr)
    raise SystemExit(int(ExitCode.USAGE))
