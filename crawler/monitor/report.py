"""The dataset report: one self-contained HTML file with the plots an analyst looks at first."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from matplotlib import colormaps
from matplotlib.colors import to_hex

from crawler.dataset.loader import load, load_rejects
from crawler.dataset.runs import read_manifests
from crawler.dataset.writer import atomic_write_bytes
from crawler.monitor import report_plots as plots
from crawler.monitor.drift import METRICS, SiteTally

__all__ = ["FIGURES", "ReportData", "collect", "render", "write_report"]

# Figure ids in page order: the render test looks for exactly these.
FIGURES = ("articles-per-day", "word-counts", "removed-by-kind", "rejects-by-reason", "drift")


@dataclass
class ReportData:
    """Everything the report shows, already aggregated."""

    root: str
    articles: pd.DataFrame  # latest revision per article: site, day, word_count
    removed: pd.DataFrame  # index site, columns kind: removed blocks per article
    rejects: pd.DataFrame  # index site, columns reason: rejected pages
    drift: pd.DataFrame  # run, site and one column per drift metric
    alerts: list[dict[str, Any]] = field(default_factory=list)
    runs: int = 0
    new_boilerplate: dict[str, list[str]] = field(default_factory=dict)  # site memory, latest run


def _removed_per_article(table: pa.Table) -> pd.DataFrame:
    removed = table.column("removed").combine_chunks()
    owners = pc.list_parent_indices(removed)
    kinds = pc.struct_field(pc.list_flatten(removed), "kind")
    sites = pc.take(table.column("site").combine_chunks(), owners)
    flat = pd.DataFrame({"site": sites.to_pylist(), "kind": kinds.to_pylist()})
    per_site = table.group_by("site").aggregate([("site", "count")]).to_pandas()
    counts = flat.groupby(["site", "kind"]).size().unstack(fill_value=0)
    return counts.div(per_site.set_index("site")["site_count"], axis=0).fillna(0.0)


def _tallied_runs(root: Path, run_ids: list[str]) -> list[dict[str, Any]]:
    """Drift metrics computed from the dataset, for runs whose manifest has none."""
    if not run_ids:
        return []
    articles = load(root, latest=False, columns=["site", "run_id", "word_count", "paywalled",
                                                 "removed"])  # fmt: skip
    rejects = load_rejects(root)
    rows = []
    for run in run_ids:
        tallies: dict[str, SiteTally] = {}
        for a in articles[articles["run_id"] == run].itertuples():
            kinds = {r["kind"] for r in a.removed}
            tallies.setdefault(a.site, SiteTally()).add_article(a.word_count, a.paywalled, kinds)
        for r in rejects[rejects["run_id"] == run].itertuples():
            tallies.setdefault(r.site, SiteTally()).add_reject(r.reason)
        rows += [{"run": run, "site": s, **t.metrics()} for s, t in sorted(tallies.items())]
    return rows


def _drift_history(root: Path, manifests: list[dict[str, Any]]) -> pd.DataFrame:
    rows, missing = [], []
    for manifest in manifests:
        sites = (manifest.get("drift") or {}).get("sites")
        if sites is None:
            missing.append(manifest["run_id"])
            continue
        rows += [{"run": manifest["run_id"], "site": s, **v["metrics"]} for s, v in sites.items()]
    rows += _tallied_runs(root, missing)
    frame = pd.DataFrame(rows, columns=["run", "site", "pages", "articles", *METRICS])
    return frame.sort_values(["run", "site"], kind="stable").reset_index(drop=True)


def collect(root: Path | str, last_runs: int = 20) -> ReportData:
    """Read and aggregate what the report shows from a dataset root."""
    root = Path(root)
    articles = load(root, columns=["site", "published_at", "fetched_at", "word_count"])
    stamp = articles["published_at"].fillna(articles["fetched_at"])
    articles = articles.assign(day=stamp.dt.tz_convert("UTC").dt.normalize().dt.tz_localize(None))
    latest = pa.Table.from_pandas(load(root, columns=["site", "removed"]), preserve_index=False)
    rejects = load_rejects(root)
    reasons = rejects.groupby(["site", "reason"]).size().unstack(fill_value=0)
    manifests = read_manifests(root)[-last_runs:]
    drift: dict[str, Any] = next((m["drift"] for m in reversed(manifests) if m.get("drift")), {})
    return ReportData(str(root), articles[["site", "day", "word_count"]],
                      _removed_per_article(latest), reasons, _drift_history(root, manifests),
                      drift.get("alerts", []), len(manifests),
                      drift.get("new_boilerplate") or {})  # fmt: skip


def _site_colors(data: ReportData) -> dict[str, str]:
    sites = sorted({*data.articles["site"], *data.rejects.index, *data.drift["site"]})
    palette = colormaps["tab10"]
    return {s: to_hex(palette(i % 10)) for i, s in enumerate(sites)}


CAPTIONS = {
    "articles-per-day": "Latest revision per article, by publication day (fetch day if undated).",
    "word-counts": "Words in the extracted body text.",
    "removed-by-kind": "Boilerplate blocks stripped per article, by kind.",
    "rejects-by-reason": "Every fetched page that did not become an article.",
    "drift": "Per-site indicators of each run (from the run manifests).",
}


def _figures(data: ReportData) -> dict[str, tuple[str, str]]:
    colors = _site_colors(data)
    per_day = data.articles.groupby(["site", "day"]).size().rename("articles").reset_index()
    figures = {
        "articles-per-day": plots.articles_per_day(per_day, colors),
        "word-counts": plots.word_counts(data.articles, colors),
        "removed-by-kind": plots.removed_by_kind(data.removed),
        "rejects-by-reason": plots.rejects_by_reason(data.rejects),
        "drift": plots.drift_lines(data.drift, colors),
    }
    return {fid: (plots.png_data_uri(fig), CAPTIONS[fid]) for fid, fig in figures.items()}


def _summary_table(data: ReportData) -> str:
    a = data.articles.groupby("site").agg(articles=("word_count", "size"),
                                          words=("word_count", "median"),
                                          first=("day", "min"), last=("day", "max"))  # fmt: skip
    rejects = data.rejects.sum(axis=1) if not data.rejects.empty else pd.Series(dtype=int)
    rows = []
    for site in sorted({*a.index, *rejects.index}):
        cells = [site, 0, int(rejects.get(site, 0)), "-", "-"]
        if site in a.index:
            r = a.loc[site]
            cells[1], cells[3] = r["articles"], f"{r['words']:.0f}"
            cells[4] = f"{r['first']:%Y-%m-%d} to {r['last']:%Y-%m-%d}"
        rows.append("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in cells) + "</tr>")
    head = "".join(f"<th>{h}</th>" for h in ("site", "articles", "rejects", "median words",
                                               "published"))  # fmt: skip
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _alerts(data: ReportData) -> str:
    return _drift_alerts(data) + _new_boilerplate(data)


def _drift_alerts(data: ReportData) -> str:
    if not data.alerts:
        return "<p class='ok'>No quality drift in the latest run.</p>"
    items = "".join(f"<li>{html.escape(a['message'])}</li>" for a in data.alerts)
    return f"<p class='warn'>Quality drift in the latest run:</p><ul>{items}</ul>"


def _new_boilerplate(data: ReportData) -> str:
    """Blocks the site memory learned in the latest run (`scrapy memory SITE` shows them)."""
    found = sorted(data.new_boilerplate.items())
    items = "".join(f"<li>{html.escape(s)}: {html.escape(t)}</li>" for s, ts in found for t in ts)
    if not items:
        return ""
    return f"<p class='warn'>New repeated blocks in the latest run (stripped):</p><ul>{items}</ul>"


STYLE = """
body{font-family:system-ui,sans-serif;margin:24px;color:#1d2330;background:#fff}
h1{font-size:22px;margin:0 0 4px} p.meta{color:#5b6472;margin:0 0 16px}
table{border-collapse:collapse;margin:8px 0 16px} th,td{padding:4px 12px;text-align:left;
border-bottom:1px solid #dde1e7;font-size:14px} .warn{color:#b3261e;font-weight:600}
.ok{color:#2e7d32} .plots{display:grid;grid-template-columns:repeat(2,640px);gap:24px}
figure{margin:0} figure.wide{grid-column:1/span 2} figure img{display:block}
figcaption{font-size:13px;color:#5b6472;margin-top:4px}
"""


def render(data: ReportData) -> str:
    """The report as one HTML document: styles inline, plots as embedded PNG images."""
    figures = "".join(
        f"<figure id='{fid}'{' class=wide' if fid == 'drift' else ''}>"
        f"<img alt='{fid}' src='{uri}'><figcaption>{html.escape(caption)}</figcaption></figure>"
        for fid, (uri, caption) in _figures(data).items()
    )
    generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    rejects = int(data.rejects.to_numpy().sum())
    meta = (f"{html.escape(data.root)} · {len(data.articles)} articles · {rejects} rejects · "
            f"{data.runs} runs · {generated}")  # fmt: skip
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>Opinion dataset report</title><style>{STYLE}</style></head><body>"
        f"<h1>Opinion dataset report</h1><p class='meta'>{meta}</p>"
        f"{_summary_table(data)}{_alerts(data)}<section class='plots'>{figures}</section>"
        "</body></html>"
    )


def write_report(root: Path | str, out: Path | str, last_runs: int = 20) -> Path:
    """Collect, render and atomically write the report; returns its path."""
    path = Path(out)
    atomic_write_bytes(path, render(collect(root, last_runs)).encode("utf-8"))
    return path
