"""What a re-extraction changed: row transitions, text diffs and removed kinds, summarized."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

__all__ = ["SiteChanges", "format_changes", "state_of"]

TOP = 5
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


def state_of(articles: list[dict], rejects: list[dict]) -> dict[Key, dict[str, Any]]:
    """Each page's row in a dataset: an article row, a reject row, or absent."""
    states: dict[Key, dict[str, Any]] = {}
    for row in rejects:
        states[(row["run_id"], row["url"])] = {"kind": "reject", "reason": row["reason"]}
    for row in articles:
        states[(row["run_id"], row["url"])] = {
            "kind": "article", "hash": row["content_hash"], "text": row["text"],
            "kinds": Counter(r["kind"] for r in row["removed"] or []),
        }  # fmt: skip
    return states


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
    kinds_before: Counter[str] = field(default_factory=Counter)
    kinds_after: Counter[str] = field(default_factory=Counter)

    def compare(self, keys: set[Key], old: dict[Key, dict], new: dict[Key, dict]) -> None:
        """Classify each replayed page by its old and new row."""
        for key in keys:
            before, after = old.get(key), new.get(key)
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
        self.lines_removed.update(before - after)
        self.lines_added.update(after - before)


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
    removed, added = sum(c.lines_removed.values()), sum(c.lines_added.values())
    if removed or added:
        lines.append(f"  text blocks: {removed} removed ({len(c.lines_removed)} distinct), "
                     f"{added} added ({len(c.lines_added)} distinct)")  # fmt: skip
    for title, counter in (("removed", c.lines_removed), ("added", c.lines_added)):
        if counter:
            lines.append(f"  most common {title} lines:")
            lines += [f"    {n:>4}x {text!r}" for text, n in counter.most_common(TOP)]
    delta = {k: c.kinds_after[k] - c.kinds_before[k] for k in c.kinds_before | c.kinds_after}
    moved = ", ".join(f"{k} {v:+d}" for k, v in sorted(delta.items()) if v)
    if moved:
        lines.append(f"  removed blocks by kind: {moved}")
    return "\n".join(lines)
