"""What a re-extraction changed: row transitions, text diffs and removed kinds, summarized."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

__all__ = ["SiteChanges", "article_state", "format_changes", "reject_state"]

TOP = 5
# Distinct text blocks counted per direction: beyond, the rarest are forgotten (totals stay
# exact) so that a site whose every text changed does not hold all its blocks in memory.
LINES_KEPT = 10_000
# Transitions of one archived page's row, old -> new, and how they are reported.
LABELS = {
    "unchanged": "unchanged",
    "text_changed": "text changed",
    "now_rejected": "now rejected",
    "newly_accepted": "newly accepted",
    "still_rejected": "still rejected",
    "other": "other",
}
CROSSINGS = {("article", "reject"): "now_rejected", ("reject", "article"): "newly_accepted"}

Key = tuple[str, str]  # (run_id, url): one fetched page


def article_state(row: dict[str, Any]) -> dict[str, Any]:
    """What the report compares of a page's article row."""
    return {"kind": "article", "hash": row["content_hash"], "text": row["text"],
            "kinds": Counter(r["kind"] for r in row["removed"] or [])}  # fmt: skip


def reject_state(row: dict[str, Any]) -> dict[str, Any]:
    """What the report compares of a page's reject row."""
    return {"kind": "reject", "reason": row["reason"]}


@dataclass(slots=True)
class SiteChanges:
    """How the rebuilt rows of one site differ from the stored ones."""

    site: str
    pages: int = 0
    kept_articles: int = 0
    kept_rejects: int = 0
    articles_before: int = 0
    articles_after: int = 0
    rejects_before: int = 0
    rejects_after: int = 0
    transitions: Counter[str] = field(default_factory=Counter)
    reasons_changed: int = 0
    lines_removed: Counter[str] = field(default_factory=Counter)
    lines_added: Counter[str] = field(default_factory=Counter)
    blocks_removed: int = 0
    blocks_added: int = 0
    lines_pruned: bool = False  # distinct blocks beyond LINES_KEPT were forgotten
    kinds_before: Counter[str] = field(default_factory=Counter)
    kinds_after: Counter[str] = field(default_factory=Counter)

    def record(self, before: dict | None, after: dict | None) -> None:
        """Classify one replayed page by its old and new row (`*_state`, None when absent)."""
        self.transitions[self._transition(before, after)] += 1
        if before and before["kind"] == "article":
            self.kinds_before.update(before["kinds"])
        if after and after["kind"] == "article":
            self.kinds_after.update(after["kinds"])

    def _transition(self, before: dict | None, after: dict | None) -> str:
        kinds = (before or {}).get("kind", ""), (after or {}).get("kind", "")
        if kinds == ("article", "article"):
            assert before is not None and after is not None
            if before["hash"] == after["hash"]:
                return "unchanged"
            self._diff(before["text"], after["text"])
            return "text_changed"
        if kinds == ("reject", "reject"):
            assert before is not None and after is not None
            self.reasons_changed += before["reason"] != after["reason"]
            return "still_rejected"
        return CROSSINGS.get(kinds, "other")

    def _diff(self, old: str, new: str) -> None:
        before, after = Counter(_lines(old)), Counter(_lines(new))
        removed, added = before - after, after - before
        self.blocks_removed += removed.total()
        self.blocks_added += added.total()
        for counter, change in ((self.lines_removed, removed), (self.lines_added, added)):
            counter.update(change)
            if len(counter) > 2 * LINES_KEPT:
                kept = counter.most_common(LINES_KEPT)
                counter.clear()
                counter.update(dict(kept))
                self.lines_pruned = True


def _lines(text: str) -> list[str]:
    return [" ".join(block.split())[:100] for block in text.split("\n\n") if block.strip()]


def format_changes(changes: SiteChanges) -> str:
    """A compact, readable summary of one site's re-extraction."""
    c = changes
    counts = ", ".join(f"{LABELS[k]} {c.transitions.get(k, 0)}" for k in LABELS if k != "other")
    if c.transitions.get("other"):
        counts += f", other {c.transitions['other']}"
    if c.reasons_changed:
        counts += f" ({c.reasons_changed} with another reason)"
    head = f"{c.site}: {c.pages} archived pages re-extracted"
    if c.kept_articles or c.kept_rejects:
        head += f"; kept without a raw page: {c.kept_articles} articles, {c.kept_rejects} rejects"
    lines = [
        head,
        f"  articles {c.articles_before} -> {c.articles_after}, "
        f"rejects {c.rejects_before} -> {c.rejects_after}",
        f"  {counts}",
    ]
    if c.blocks_removed or c.blocks_added:
        removed, added = _distinct(c, c.lines_removed), _distinct(c, c.lines_added)
        lines.append(f"  text blocks: {c.blocks_removed} removed ({removed}), "
                     f"{c.blocks_added} added ({added})")  # fmt: skip
    for title, counter in (("removed", c.lines_removed), ("added", c.lines_added)):
        if counter:
            lines.append(f"  most common {title} lines:")
            lines += [f"    {n:>4}x {text!r}" for text, n in counter.most_common(TOP)]
    delta = {k: c.kinds_after[k] - c.kinds_before[k] for k in c.kinds_before | c.kinds_after}
    moved = ", ".join(f"{k} {v:+d}" for k, v in sorted(delta.items()) if v)
    if moved:
        lines.append(f"  removed blocks by kind: {moved}")
    return "\n".join(lines)


def _distinct(changes: SiteChanges, counter: Counter[str]) -> str:
    if changes.lines_pruned and len(counter) >= LINES_KEPT:
        return f"over {LINES_KEPT} distinct"
    return f"{len(counter)} distinct"
