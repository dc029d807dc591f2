"""Compare a demo crawl's articles with the demo site's truth, paragraph for paragraph.

    scrapy demo --pages 3000 -o /tmp/demo-out --site-dir /tmp/demo-site
    python -m tests.benchmarks.demo_truth /tmp/demo-out /tmp/demo-site [--show N]

Prints the share of truth articles whose extracted text equals the truth body block for
block, the false and missed `paywalled` flags, the articles the crawl did not store, and the
first differing blocks of a few mismatches.
"""

from __future__ import annotations

import argparse
import difflib
import sys
from collections import Counter
from pathlib import Path

from crawler.dataset.loader import load
from crawler.demo.site import DemoSite


def _blocks(text: str) -> list[str]:
    return [" ".join(b.split()) for b in text.split("\n\n") if b.strip()]


def compare(dataset: Path, site_dir: Path, show: int) -> int:
    """Print the comparison; returns the number of articles not paragraph-exact."""
    records = DemoSite.load(site_dir).truth()
    truth = {r["url"]: r for r in records if r["body"] and r["kind"] == "opinion"}
    rows = load(dataset, columns=["url", "text", "paywalled", "removed"])
    got = {row.url: row for row in rows.itertuples()}
    exact, false_paywall, missed_paywall, missing = 0, 0, 0, 0
    lost: Counter[str] = Counter()
    shown = 0
    for url, record in truth.items():
        row = got.get(url)
        if row is None:
            missing += 1
            continue
        false_paywall += bool(row.paywalled) and not record["paywalled"]
        missed_paywall += record["paywalled"] and not bool(row.paywalled)
        want, have = _blocks(record["body"]), _blocks(row.text)
        if want == have:
            exact += 1
            continue
        lost["lost"] += len(set(want) - set(have))
        lost["extra"] += len(set(have) - set(want))
        if shown < show:
            shown += 1
            print(f"--- {url}")
            for line in list(difflib.unified_diff(want, have, lineterm="", n=0))[2:12]:
                print(f"  {line[:160]}")
    compared = len(truth) - missing
    share = exact / compared if compared else 0.0
    print(f"articles in truth: {len(truth)}, stored: {compared}, missing: {missing}")
    print(f"paragraph-exact: {exact}/{compared} = {share:.4f}")
    print(f"blocks lost: {lost['lost']}, blocks extra: {lost['extra']}")
    print(f"false paywalled: {false_paywall}, missed paywalled: {missed_paywall}")
    return compared - exact


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dataset", type=Path)
    parser.add_argument("site_dir", type=Path)
    parser.add_argument("--show", type=int, default=5, help="diffs of the first N mismatches")
    args = parser.parse_args(argv)
    compare(args.dataset, args.site_dir, args.show)
    return 0


if __name__ == "__main__":
    sys.exit(main())
