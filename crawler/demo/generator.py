"""Build the whole demo site (three publishers) into a directory, with its truth file."""

from __future__ import annotations

import json
from pathlib import Path

from crawler.demo.articles import build_article, plan_page
from crawler.demo.courier import Courier
from crawler.demo.gazette import Gazette
from crawler.demo.ledger import Ledger
from crawler.demo.model import PageMeta
from crawler.demo.publisher import Publisher
from crawler.demo.routes import RouteWriter
from crawler.demo.site import DemoSite, truth_record
from crawler.demo.weight import WEIGHTS, weigh

PUBLISHERS: tuple[Publisher, ...] = (Ledger(), Courier(), Gazette())
RELATED_WINDOW = 12  # how many newer pages an article may link to


def publisher_of(page_index: int) -> tuple[Publisher, int]:
    """Publisher and per-publisher number of the i-th page (stable whatever the site size)."""
    return PUBLISHERS[page_index % len(PUBLISHERS)], page_index // len(PUBLISHERS)


def _plans(pages: int, seed: int, revisions: dict[str, int]) -> dict[str, list[PageMeta]]:
    plans: dict[str, list[PageMeta]] = {pub.short: [] for pub in PUBLISHERS}
    for index in range(pages):
        pub, n = publisher_of(index)
        plans[pub.short].append(plan_page(pub, n, seed, revisions.get(f"{pub.short}-{n:05d}", 0)))
    unknown = set(revisions) - {m.id for metas in plans.values() for m in metas}
    if unknown:
        raise ValueError(f"revisions name unknown page ids: {sorted(unknown)}")
    return plans


def generate(
    root: Path,
    pages: int = 50,
    seed: int = 1,
    revisions: dict[str, int] | None = None,
    weight: str = "light",
    site_texts: bool = False,
) -> DemoSite:
    """Write the site for `pages` article URLs into `root`; same inputs give the same bytes.

    `weight="real"` wraps article pages in real-page weight (`crawler/demo/weight.py`).
    `site_texts` gives each publisher house appeals, sign-ups, disclaimers and bios in
    wording no rule knows, between body paragraphs (crawler/demo/site_texts.py).
    """
    if pages < 0:
        raise ValueError("pages must be >= 0")
    if weight not in WEIGHTS:
        raise ValueError(f"weight must be one of {', '.join(WEIGHTS)}")
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    revisions = {k: v for k, v in (revisions or {}).items() if v}
    plans = _plans(pages, seed, revisions)
    routes = RouteWriter(root)
    with (root / "truth.jsonl").open("w", encoding="utf-8") as truth:
        for index in range(pages):
            pub, n = publisher_of(index)
            meta = plans[pub.short][n]
            article = None
            if meta.broken:
                routes.add(pub.host, pub.broken_file(meta))
            else:
                older = plans[pub.short][max(0, n - RELATED_WINDOW) : n]
                article = build_article(pub, meta, seed, older, site_texts)
                page = pub.article_file(article)
                if weight == "real":
                    near = plans[pub.short][max(0, n - RELATED_WINDOW) : n + RELATED_WINDOW]
                    page = weigh(pub, page, article, near, seed)
                routes.add(pub.host, page)
            record = truth_record(pub, meta, article)
            truth.write(json.dumps(record, ensure_ascii=False, sort_keys=False) + "\n")
    for pub in PUBLISHERS:
        for site_file in pub.site_files(plans[pub.short]):
            routes.add(pub.host, site_file)
    routes.save()
    hosts = {pub.name: pub.host for pub in PUBLISHERS}
    site = DemoSite(root, pages, seed, hosts, revisions, weight)
    site.save()
    return site
