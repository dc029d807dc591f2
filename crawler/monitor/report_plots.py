"""The report's plots: matplotlib figures rendered to PNG, one function per plot."""

from __future__ import annotations

import base64
import io
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.dates import DateFormatter, DayLocator
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

__all__ = [
    "BACKGROUND", "DRIFT_LABELS", "articles_per_day", "drift_lines", "png_data_uri",
    "rejects_by_reason", "removed_by_kind", "run_label", "word_counts",
]  # fmt: skip

# Figures sit on a light grey card: the report's page is white, so each plot is a visible
# block (the render test finds the plots by it).
BACKGROUND = "#f4f5f7"
DPI = 100
HALF = (6.4, 4.2)
DRIFT_LABELS = {
    "reject_rate": "reject rate",
    "empty_body_rate": "empty-body rate",
    "median_words": "median words",
    "appeal_share": "share with appeals removed",
    "paywalled_share": "share paywalled",
}


def _figure(size: tuple[float, float] = HALF, **kwargs: Any) -> tuple[Figure, Any]:
    # Figure objects without pyplot: no global state, no GUI backend, nothing to close.
    fig = Figure(figsize=size, dpi=DPI, facecolor=BACKGROUND)
    axes = fig.subplots(**kwargs)
    for ax in np.atleast_1d(axes).ravel():
        ax.set_facecolor(BACKGROUND)
        ax.grid(True, color="white", linewidth=1.2)
        ax.set_axisbelow(True)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    return fig, axes


def _empty(ax: Any, message: str) -> None:
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes, color="grey")


def run_label(run_id: str) -> str:
    """`11-25 09:31:48` for a generated run id (`20261125T093148Z-...`), else the id itself."""
    try:
        return datetime.strptime(run_id[:16], "%Y%m%dT%H%M%SZ").strftime("%m-%d %H:%M:%S")
    except ValueError:
        return run_id[:16]


def png_data_uri(fig: Figure) -> str:
    """The figure as a `data:` URI (PNG), so the HTML needs no other file."""
    buffer = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buffer, format="png", facecolor=fig.get_facecolor())
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def articles_per_day(days: pd.DataFrame, colors: dict[str, str]) -> Figure:
    """Articles per site per publication day (columns: site, day, articles); gaps are 0."""
    fig, ax = _figure()
    if days.empty:
        _empty(ax, "no articles")
        return fig
    calendar = pd.date_range(days["day"].min(), days["day"].max(), freq="D")
    marker = "o" if len(calendar) <= 60 else None  # dots only while they stay readable
    for site, group in days.groupby("site", sort=True):
        counts = group.set_index("day")["articles"].reindex(calendar, fill_value=0)
        ax.plot(counts.index, counts.to_numpy(), marker=marker, markersize=3, linewidth=1.2,
                label=site, color=colors[str(site)])  # fmt: skip
    ax.set_title("Articles per site per day (published)", loc="left")
    ax.set_ylabel("articles")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(frameon=False, fontsize=8)
    if len(calendar) < 90:  # whole days only: the automatic locator ticks hours
        ax.xaxis.set_major_locator(DayLocator(interval=max(1, len(calendar) // 8)))
    ax.xaxis.set_major_formatter(DateFormatter("%Y-%m-%d"))
    fig.autofmt_xdate()
    return fig


def word_counts(words: pd.DataFrame, colors: dict[str, str]) -> Figure:
    """Distribution of article word counts, one histogram outline per site."""
    fig, ax = _figure()
    if words.empty:
        _empty(ax, "no articles")
        return fig
    bins = np.histogram_bin_edges(words["word_count"], bins=30)
    for site, group in words.groupby("site", sort=True):
        label = f"{site} (median {group['word_count'].median():.0f})"
        # Outlines, not filled bars: several sites' distributions stay readable on top
        # of each other.
        ax.hist(group["word_count"], bins=bins, histtype="step", linewidth=1.8,
                color=colors[str(site)], label=label)  # fmt: skip
    ax.set_title("Word count per article", loc="left")
    ax.set_xlabel("words")
    ax.set_ylabel("articles")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(frameon=False, fontsize=8)
    return fig


def _stacked(ax: Any, table: pd.DataFrame, xlabel: str) -> None:
    left = np.zeros(len(table.index))
    palette = colormaps["tab20"]
    for i, column in enumerate(table.columns):
        values = table[column].to_numpy(dtype=float)
        ax.barh(table.index, values, left=left, label=column, color=palette(i % 20))
        left += values
    ax.set_xlabel(xlabel)
    ax.invert_yaxis()
    # Beside the bars, never on them: a site's bar can be any length.
    ax.legend(frameon=False, fontsize=7, loc="upper left", bbox_to_anchor=(1.0, 1.0))


def removed_by_kind(per_article: pd.DataFrame) -> Figure:
    """Removed boilerplate blocks per article, by kind, per site (index site, columns kind)."""
    fig, ax = _figure()
    if per_article.empty:
        _empty(ax, "nothing removed")
    else:
        _stacked(ax, per_article, "removed blocks per article")
    ax.set_title("Removed boilerplate by kind", loc="left")
    return fig


def rejects_by_reason(counts: pd.DataFrame) -> Figure:
    """Rejected pages per site, by reason (index site, columns reason)."""
    fig, ax = _figure()
    if counts.empty:
        _empty(ax, "no rejects")
    else:
        _stacked(ax, counts, "rejected pages")
    ax.set_title("Rejects by reason", loc="left")
    return fig


def drift_lines(history: pd.DataFrame, colors: dict[str, str]) -> Figure:
    """Each drift indicator over the last runs, one line per site (columns: run, site, ...)."""
    fig, axes = _figure((13.0, 5.2), nrows=1, ncols=len(DRIFT_LABELS), sharex=True)
    runs = list(dict.fromkeys(history["run"])) if not history.empty else []
    for ax, (metric, label) in zip(np.atleast_1d(axes), DRIFT_LABELS.items(), strict=True):
        ax.set_title(label, loc="left", fontsize=10)
        for site, group in history.groupby("site", sort=True) if runs else []:
            x = [runs.index(r) for r in group["run"]]
            ax.plot(x, group[metric], marker="o", markersize=4, color=colors[str(site)], label=site)
        ax.set_xticks(range(len(runs)), [run_label(r) for r in runs], rotation=60, fontsize=7)
        if metric != "median_words":
            ax.set_ylim(-0.03, 1.03)
    if runs:
        np.atleast_1d(axes)[0].legend(frameon=False, fontsize=8)
    else:
        _empty(np.atleast_1d(axes)[0], "no runs recorded")
    fig.suptitle("Quality indicators over the last runs (drift)", x=0.01, ha="left")
    return fig
