"""Site memory on the demo with house texts no rule knows: leaks and paragraph-exact share,
memory off and on, first run and a second run that finds new articles.

    python -m tests.benchmarks.site_memory [--pages 300] [--seed 7]

Run 1 crawls a site of `pages` URLs; run 2 crawls the same site grown to twice the size into
the same dataset (a nightly run finding new articles). Each article row is scored against
the generator's truth: a leak is a house text (appeal, sign-up, disclaimer, bio) found in the
stored text; paragraph-exact share is the share of the truth body's paragraphs present as a
whole paragraph of the stored text.
"""

from __future__ import annotations

import argparse
import re
import tempfile
from pathlib import Path
from typing import Any

from crawler.dataset.loader import load
from crawler.demo import generate, serve
from crawler.demo.site import DemoSite
from tests.crawling import DEMO_SITES, FAST_LOCAL, run_scrapy

_SPACE = re.compile(r"\s+")


def _norm(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def crawl(site_dir: Path, pages: int, seed: int, output: Path, memory: bool) -> str:
    """Generate `pages` URLs, serve them and crawl into `output`; the run's id."""
    generate(site_dir, pages=pages, seed=seed, site_texts=True)
    with serve(site_dir) as server:
        args = ["crawl", "opinion", "-a", f"site={DEMO_SITES}", "-s", f"PARQUET_DIR={output}",
                "-s", f"SITE_MEMORY_ENABLED={memory}", "-s", "DRIFT_ENABLED=False",
                *FAST_LOCAL]  # fmt: skip
        result = run_scrapy(args, server.proxy_url, timeout=900)
    if result.returncode != 0:
        raise SystemExit(result.stderr[-3000:])
    runs = sorted((output / "runs").glob("*.json"))
    return runs[-1].stem


def score(rows: list[dict[str, Any]], truth: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Leaks, paragraph-exact share and the shared body sentences kept, over article rows."""
    leaks = leaky_rows = wanted = exact = 0
    shared = {"sign_off": [0, 0], "quote": [0, 0]}
    for row in rows:
        record = truth[row["url"]]
        paragraphs = {_norm(p) for p in row["text"].split("\n\n")}
        text = _norm(row["text"])
        found = sum(_norm(h) in text for h in record["house_texts"])
        leaks += found
        leaky_rows += bool(found)
        body = [_norm(p) for p in record["body"].split("\n\n") if p.strip()]
        wanted += len(body)
        exact += sum(p in paragraphs for p in body)
        for name, present in _shared(body).items():
            if present:
                shared[name][0] += 1
                shared[name][1] += present in paragraphs
    return {"articles": len(rows), "leaks": leaks, "rows_with_leaks": leaky_rows,
            "paragraph_exact": round(exact / wanted, 4) if wanted else None,
            "sign_off_kept": f"{shared['sign_off'][1]}/{shared['sign_off'][0]}",
            "quote_kept": f"{shared['quote'][1]}/{shared['quote'][0]}"}  # fmt: skip


def _shared(body: list[str]) -> dict[str, str]:
    """The generator's sign-off (a short last paragraph) and shared quotation, when present."""
    from crawler.demo.site_texts import _QUOTE, _SIGN_OFF

    sign_offs = {s for options in _SIGN_OFF.values() for s in options}
    found = {"sign_off": "", "quote": ""}
    for p in body:
        if p in sign_offs:
            found["sign_off"] = p
        if any(q.split("{brand}")[0] in p for q in _QUOTE.values()):
            found["quote"] = p
    return found


def measure(pages: int, seed: int, memory: bool, work: Path) -> list[tuple[str, dict]]:
    """Run 1 and run 2 with the memory on or off; the scores of each step."""
    site_dir, output = work / f"site-{memory}", work / f"out-{memory}"
    first = crawl(site_dir, pages, seed, output, memory)
    results = [("run 1", _scored(output, site_dir, lambda r: r["run_id"] == first))]
    second = crawl(site_dir, pages * 2, seed, output, memory)
    results.append(("run 2: its new rows", _scored(output, site_dir,
                                                   lambda r: r["run_id"] == second)))  # fmt: skip
    results.append(("after run 2: every row", _scored(output, site_dir, lambda r: True)))
    return results


def _scored(output: Path, site_dir: Path, keep: Any) -> dict[str, Any]:
    truth = DemoSite.load(site_dir).truth_by_url()
    frame = load(output, columns=["url", "text", "run_id"])
    rows = [r for r in frame.to_dict("records") if keep(r)]
    return score(rows, truth)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--memory", choices=("both", "on", "off"), default="both")
    opts = parser.parse_args()
    modes = {"both": (False, True), "on": (True,), "off": (False,)}[opts.memory]
    with tempfile.TemporaryDirectory(prefix="memory-bench-") as tmp:
        for memory in modes:
            for step, result in measure(opts.pages, opts.seed, memory, Path(tmp)):
                label = "on " if memory else "off"
                print(
                    f"memory {label} {step:24s} " + "  ".join(f"{k}={v}" for k, v in result.items())
                )


if __name__ == "__main__":
    main()
