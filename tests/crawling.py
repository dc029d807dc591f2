"""Running real `scrapy` subprocesses against a served demo site, for end-to-end tests."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEMO_SITES = "demo-ledger,demo-courier,demo-gazette"
FAST_LOCAL = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0"]


def scrapy_env(proxy_url: str) -> dict[str, str]:
    """The environment of a crawl that reaches the demo hosts through the demo proxy."""
    return {**os.environ, "http_proxy": proxy_url, "PYTHONPATH": str(REPO)}


def run_scrapy(
    args: list[str], proxy_url: str, timeout: float = 300
) -> subprocess.CompletedProcess:
    """Run `scrapy ARGS` in the project directory and wait for it."""
    return subprocess.run(
        [sys.executable, "-m", "scrapy", *args],
        cwd=REPO,
        env=scrapy_env(proxy_url),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def crawl_demo(output: Path, proxy_url: str, *extra: str) -> subprocess.CompletedProcess:
    """`scrapy crawl opinion` over the three demo sites into `output`; asserts success."""
    args = ["crawl", "opinion", "-a", f"site={DEMO_SITES}", "-s", f"PARQUET_DIR={output}"]
    result = run_scrapy([*args, *FAST_LOCAL, *extra], proxy_url)
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def read_truth(site_dir: Path) -> list[dict]:
    """The generator's truth records of a demo site."""
    with (site_dir / "truth.jsonl").open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


def requested_urls(requests: list[tuple]) -> list[str]:
    """Absolute URLs of GET requests in a demo server's log, in order."""
    return [f"http://{host}{path}" for method, host, path, _ in requests if method == "GET"]
