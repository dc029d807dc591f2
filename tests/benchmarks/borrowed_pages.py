"""Serve real pages under the demo profiles: the throughput benchmark's `--pages-from DIR`.

The demo site keeps its listings, feeds, sitemaps and broken URLs; each opinion URL is
routed to a page of DIR (devset layout: `pages/<id>.html.gz` or `pages/<id>.html`), in
turn, by absolute path. The pages are read where they are, at request time, never copied.
"""

from __future__ import annotations

from pathlib import Path

from crawler.demo.routes import Route, RouteWriter, load_routes
from tests.crawling import read_truth

__all__ = ["borrow_pages"]

UTF8_HTML = "text/html; charset=utf-8"  # devset pages are UTF-8 whatever their <meta> says


def page_files(devset: Path) -> list[Path]:
    """The page files of a directory in devset layout, in name order."""
    files = sorted(p.resolve() for p in (devset / "pages").glob("*.html*"))
    if not files:
        raise SystemExit(f"no pages/*.html or pages/*.html.gz under {devset}")
    return files


def borrow_pages(site_dir: Path, devset: Path) -> int:
    """Route every opinion URL of a generated demo site to a page of `devset`; returns how many."""
    files = page_files(devset)
    routes = load_routes(site_dir)
    borrowed = 0
    for truth in read_truth(site_dir):
        if truth["kind"] != "opinion":
            continue
        host, path = truth["url"].removeprefix("http://").split("/", 1)
        old = routes[host][f"/{path}"]
        page = files[borrowed % len(files)]
        routes[host][f"/{path}"] = Route(200, UTF8_HTML, str(page), None, old.modified)
        borrowed += 1
    writer = RouteWriter(site_dir)
    writer.routes = routes
    writer.save()
    return borrowed
