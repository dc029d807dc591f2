"""`scrapy crawlstate`: the state of a shared (Redis) crawl: queue, claims, known, workers."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from crawler.distributed import redis_url
from crawler.monitor.exitcodes import ExitCode

__all__ = ["Command", "format_state"]

WORKER_COLUMNS = ("worker", "state", "requests", "responses", "articles", "rejects",
                  "pages/s", "run_id", "updated")  # fmt: skip


def _worker_row(worker: str, fields: dict[str, str]) -> tuple[str, ...]:
    return (
        worker, fields.get("state", "?"), fields.get("requests", "0"),
        fields.get("responses", "0"), fields.get("articles", "0"), fields.get("rejects", "0"),
        fields.get("pages_per_second", "0"), fields.get("run_id", "-"),
        fields.get("finished_at") or fields.get("updated_at", "-"),
    )  # fmt: skip


def _table(rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return ["  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip()
            for row in rows]  # fmt: skip


def format_state(state: dict[str, Any]) -> str:
    """A plain-text report of `SharedCrawl.snapshot()`."""
    run = state["round"]
    claims = state["claims"]
    lines = [f"crawl {state['crawl']!r}"]
    if run:
        lines.append(
            f"round     {run.get('id')} {run.get('status')}, started "
            f"{run.get('started_at')} by {run.get('started_by')}"
            + (f", finished {run['finished_at']}" if "finished_at" in run else "")
        )
        lines.append(f"sites     {run.get('sites') or '-'}")
    else:
        lines.append("round     none yet")
    lines += [
        f"queue     {state['queue']} requests waiting",
        f"seen      {claims.get('articles', 0)} article URLs scheduled, "
        f"{claims.get('canonical', 0)} articles claimed, {claims.get('sources', 0)} sources, "
        f"{sum(n for k, n in claims.items() if k.startswith('listings:'))} listing pages",
        f"known     {run.get('known_articles', 0)} articles the dataset held at the start "
        f"({state['known_urls']} URLs)",
    ]  # fmt: skip
    if run.get("status", "running") != "running":
        counts = {k.removeprefix("claimed:"): v for k, v in run.items() if k.startswith("claimed:")}
        lines.append(f"at end    {counts.get('articles', 0)} article URLs scheduled, "
                     f"{counts.get('canonical', 0)} articles claimed")  # fmt: skip
    for title, workers in (("live workers", state["workers"]),
                           ("finished workers", state["finished"])):  # fmt: skip
        lines.append(f"{title}: {len(workers)}")
        if workers:
            rows = [WORKER_COLUMNS, *(_worker_row(w, f) for w, f in sorted(workers.items()))]
            lines += ["  " + line for line in _table(rows)]
    return "\n".join(lines)


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False

    def syntax(self) -> str:
        return "[-s REDIS_URL=redis://HOST:6379/0] [-s REDIS_CRAWL=NAME] [--json]"

    def short_desc(self) -> str:
        return "Show a shared crawl's state in Redis: queue, seen and known counts, workers"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--json", action="store_true", help="print the state as JSON")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        if not redis_url(self.settings):
            raise UsageError("no shared crawl: set -s REDIS_URL=... or OPINION_REDIS_URL")
        from crawler.distributed.outage import RedisError
        from crawler.distributed.round import SharedCrawl
        from crawler.distributed.shared import connect, crawl_keys

        crawl = SharedCrawl(connect(self.settings), crawl_keys(self.settings), "", ttl=1)
        try:
            state = crawl.snapshot()
        except RedisError as exc:
            where = _without_password(redis_url(self.settings))
            print(f"scrapy crawlstate: error: cannot reach Redis at {where}: {exc}",
                  file=sys.stderr)  # fmt: skip
            self.exitcode = int(ExitCode.FRONTIER_LOST)
            return
        print(json.dumps(state, indent=2) if opts.json else format_state(state))


def _without_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    return urlunsplit(parts._replace(netloc=f"{parts.username or ''}:***@{host}:{parts.port}"))
