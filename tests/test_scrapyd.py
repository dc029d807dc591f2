"""README's scrapyd recipe for real: scrapyd on 127.0.0.1, scrapyd-deploy, a scheduled crawl."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.dataset import load
from crawler.dataset.runs import read_manifests
from crawler.demo import generate, serve
from tests.crawling import REPO
from tests.test_distributed import _free_port

pytestmark = pytest.mark.e2e

# What `scrapyd-deploy` packs: the project as a user's clone has it.
PROJECT_FILES = ("crawler", "pipelines", "pyproject.toml", "setup.py", "scrapy.cfg", "README.md",
                 ".gitignore")  # fmt: skip
BIN = Path(sys.executable).parent


def _needs_scrapyd() -> None:
    # scrapyd-deploy builds the egg with setuptools; the test checks the clone with git.
    modules = ("scrapyd", "scrapyd_client", "setuptools")
    missing = [m for m in modules if importlib.util.find_spec(m) is None]
    if missing or not (BIN / "scrapyd-deploy").exists() or shutil.which("git") is None:
        pytest.skip(f"scrapyd, scrapyd-client, setuptools or git missing ({missing}): "
                    "pip install -e '.[test]'")  # fmt: skip


def _api(base: str, path: str, data: dict | None = None) -> dict:
    body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
    with urllib.request.urlopen(f"{base}/{path}", data=body, timeout=30) as answer:
        return json.loads(answer.read())  # type: ignore[no-any-return]


@pytest.fixture
def scrapyd(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    _needs_scrapyd()
    home = tmp_path / "scrapyd"
    home.mkdir()
    port = _free_port()
    (home / "scrapyd.conf").write_text(
        f"[scrapyd]\nbind_address = 127.0.0.1\nhttp_port = {port}\npoll_interval = 0.5\n"
        "max_proc = 1\neggs_dir = eggs\nlogs_dir = logs\ndbs_dir = dbs\nitems_dir =\n"
    )
    site = tmp_path / "site"
    generate(site, pages=24, seed=2)
    with serve(site) as demo:
        # Jobs inherit scrapyd's environment: the demo hosts are reached through its proxy.
        env = {**os.environ, "http_proxy": demo.proxy_url}
        server = subprocess.Popen([str(BIN / "scrapyd")], cwd=home, env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    _api(base, "daemonstatus.json")
                    break
                except OSError:
                    assert time.monotonic() < deadline and server.poll() is None, "no scrapyd"
                    time.sleep(0.2)
            yield base, home
        finally:
            server.terminate()
            server.wait(timeout=30)


def _project_copy(root: Path, url: str) -> Path:
    """A clone of the project (as git would check it out) whose [deploy] points at `url`."""
    for name in PROJECT_FILES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, root / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, root / name)
    cfg = (root / "scrapy.cfg").read_text()
    assert "url = http://localhost:6800/" in cfg, "the README's [deploy] target"
    (root / "scrapy.cfg").write_text(cfg.replace("http://localhost:6800/", f"{url}/"))
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.test"]
    subprocess.run([*git, "init", "-q"], cwd=root, check=True)
    subprocess.run([*git, "add", "-A"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-qm", "clone"], cwd=root, check=True)
    return root


def test_deploy_schedule_and_load_as_the_readme_says(
    scrapyd: tuple[str, Path], tmp_path: Path
) -> None:
    base, _ = scrapyd
    project = _project_copy(tmp_path / "project", base)
    deployed = subprocess.run([str(BIN / "scrapyd-deploy")], cwd=project, capture_output=True,
                              text=True, timeout=300)  # fmt: skip
    assert deployed.returncode == 0, deployed.stderr + deployed.stdout
    assert '"status": "ok"' in deployed.stdout, deployed.stdout
    left = subprocess.run(["git", "status", "--porcelain"], cwd=project, capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    assert left == "", f"deploying left files in the checkout:\n{left}"

    output = tmp_path / "dataset"
    job = _api(base, "schedule.json", {
        "project": "opinion-scraper", "spider": "opinion", "site": "demo-ledger",
        "setting": [f"PARQUET_DIR={output}", "AUTOTHROTTLE_ENABLED=False", "DOWNLOAD_DELAY=0"],
    })  # fmt: skip
    assert job["status"] == "ok", job
    deadline = time.monotonic() + 240
    while True:
        jobs = _api(base, "listjobs.json?project=opinion-scraper")
        if any(j["id"] == job["jobid"] for j in jobs["finished"]):
            break
        assert time.monotonic() < deadline, f"job did not finish: {jobs}"
        time.sleep(0.5)

    (run,) = read_manifests(output)
    assert run["finish_reason"] == "finished" and run["exit_code"] == 0, run
    articles = load(output)
    assert len(articles) > 0 and set(articles["site"]) == {"demo-ledger"}
