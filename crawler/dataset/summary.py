"""A short, human-readable summary of what a run stored: articles per site, rejects per reason."""

from __future__ import annotations

from pathlib import Path

import pyarrow.dataset as ds

from crawler.dataset.loader import open_dataset

__all__ = ["summarize"]


def _counts(root: Path, table: str, key: str, run_id: str | None) -> dict[str, int]:
    dataset = open_dataset(root, table)
    expr = ds.field("run_id") == run_id if run_id else None
    counted = dataset.to_table(columns=[key], filter=expr).group_by(key).aggregate([(key, "count")])
    pairs = zip(
        counted.column(key).to_pylist(), counted.column(f"{key}_count").to_pylist(), strict=False
    )
    return dict(sorted(pairs))


def summarize(root: Path | str, run_id: str | None = None, stored_before: int | None = None) -> str:
    """Articles per site and rejects per reason, for one run or the whole dataset."""
    root = Path(root)
    articles = _counts(root, "articles", "site", run_id)
    rejects = _counts(root, "rejects", "reason", run_id)
    scope = f"run {run_id}" if run_id else "all runs"
    # "articles: 0" after a second run reads like a failure: say what was there already.
    before = f" ({stored_before} already stored before this run)" if stored_before else ""
    lines = [f"Dataset: {root.resolve()} ({scope})",
             f"  articles: {sum(articles.values())}{before}"]  # fmt: skip
    lines += [f"    {site:<28} {n:>7}" for site, n in articles.items()]
    lines.append(f"  rejects: {sum(rejects.values())}")
    lines += [f"    {reason:<28} {n:>7}" for reason, n in rejects.items()]
    lines += [
        f"  files: {root / 'articles'}/site=*/month=*/*.parquet",
        "  load:  python -c \"from crawler.dataset.loader import load; print(load('"
        + str(root)
        + "').head())\"",
    ]
    return "\n".join(lines)
