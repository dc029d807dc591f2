"""Extraction fixtures: loading a saved case, running it, and comparing against its expectations.

One implementation shared by `tests/test_fixtures.py` and `scrapy fixture check`; the case
format is documented in the test module's docstring.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections import Counter
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from crawler.schema import ArticleRecord
from pipelines.extraction import ExtractRules, Page, Rejection, extract, scoring

__all__ = [
    "MIN_F1",
    "Failures",
    "FixtureError",
    "case_id",
    "check_case",
    "contains",
    "discover",
    "load_case",
    "run_case",
    "shingle_prf",
    "shingles",
    "tokens",
]

MIN_F1 = 0.98
KEYS = {"url", "content_type", "rules", "expect", "text", "reject"}
KEYS |= {"must_contain", "must_not_contain", "removed_kinds"}
FIELDS = {f.name for f in dataclasses.fields(ArticleRecord)}  # `expect` may pin any of them


class FixtureError(ValueError):
    """A fixture case that is malformed or contradicts itself."""


def discover(root: Path) -> list[Path]:
    """Every case's `expected.json` under a fixtures root, sorted."""
    return sorted(Path(root).glob("*/*/expected.json"))


def case_id(path: Path) -> str:
    """`<site>/<case>` for a case's `expected.json`."""
    return f"{path.parent.parent.name}/{path.parent.name}"


def tokens(text: str) -> list[str]:
    """Lower-cased Unicode word tokens: fixtures ignore case."""
    return scoring.tokens(text, lowercase=True)


def shingles(text: str) -> Counter[tuple[str, ...]]:
    """The multiset of the text's lower-cased word 4-grams."""
    return scoring.shingles(tokens(text))


def shingle_prf(pred: str, truth: str) -> tuple[float, float, float]:
    """Precision, recall and F1 of the predicted text's shingles against the truth's: the
    evaluation metric, case folded."""
    score = scoring.score_doc(pred, truth, lowercase=True)
    return score.precision, score.recall, score.f1


def contains(text: str, snippet: str) -> bool:
    """Whether the snippet's tokens occur as a contiguous run in the text's tokens."""
    return f" {' '.join(tokens(snippet))} " in f" {' '.join(tokens(text))} "


class Failures:
    """Collects every failed check of one case, so one assertion reports them all."""

    def __init__(self) -> None:
        self.messages: list[str] = []
        # Set when the case failed as a whole (wrong reject, or no article at all).
        self.verdict: str | None = None
        self.result: ArticleRecord | Rejection | None = None

    def check(self, ok: bool, message: str) -> None:
        if not ok:
            self.messages.append(message)

    def fail_case(self, message: str) -> None:
        self.verdict = message

    def report(self) -> str:
        """The message a failing case is reported with."""
        if self.verdict is not None:
            return self.verdict
        return f"{len(self.messages)} failing aspect(s):\n{self}"

    def __bool__(self) -> bool:
        return bool(self.messages) or self.verdict is not None

    def __str__(self) -> str:
        return "\n".join(f"  - {m}" for m in self.messages)

    def __repr__(self) -> str:
        return f"<{len(self.messages)} failing aspect(s)>"


def short(text: str, limit: int = 90) -> str:
    """One line, quoted, cut at `limit` characters."""
    flat = " ".join(text.split())
    return repr(flat if len(flat) <= limit else flat[: limit - 1] + "…")


def _unmatched_blocks(text: str, other: str) -> list[str]:
    """Blocks of `text` not found in `other`: most shingles missing, each shingle used once."""
    left = shingles(other)
    found = []
    for block in re.split(r"\n\s*\n|\n", text):
        mine = shingles(block)
        if len(tokens(block)) < scoring.N:
            if mine and not contains(other, block):
                found.append(block)
            continue
        shared = mine & left
        left -= shared
        if mine and sum(shared.values()) < 0.5 * sum(mine.values()):
            found.append(block)
    return found


def check_text(fail: Failures, text: str, truth: str) -> None:
    precision, recall, f1 = shingle_prf(text, truth)
    lost, leaked = _unmatched_blocks(truth, text), _unmatched_blocks(text, truth)
    detail = "".join(
        [
            f"; lost {len(lost)} block(s), first {', '.join(map(short, lost[:3]))}" if lost else "",
            f"; leaked {len(leaked)} block(s): {', '.join(map(short, leaked[:4]))}"
            if leaked
            else "",
        ]
    )
    fail.check(
        f1 >= MIN_F1,
        f"text: shingle F1 {f1:.3f} < {MIN_F1} (P {precision:.3f}, R {recall:.3f}){detail}",
    )


def check_snippets(fail: Failures, text: str, case: dict[str, Any]) -> None:
    for snippet in case.get("must_contain", []):
        fail.check(contains(text, snippet), f"must_contain: missing {short(snippet)}")
    for snippet in case.get("must_not_contain", []):
        fail.check(not contains(text, snippet), f"must_not_contain: leaks {short(snippet)}")


def _comparable(name: str, value: Any) -> Any:
    if name in ("published_at", "modified_at") and isinstance(value, str):
        stamp = datetime.fromisoformat(value)
        if stamp.tzinfo is None:
            raise FixtureError(f"fixture error: {name} {value!r} has no UTC offset")
        return stamp
    if name == "tags" and isinstance(value, list):
        return sorted(value)
    return value


def check_fields(fail: Failures, record: ArticleRecord, expect: dict[str, Any]) -> None:
    for name, wanted in expect.items():
        got = getattr(record, name)
        fail.check(
            _comparable(name, got) == _comparable(name, wanted),
            f"{name}: got {got!r}, expected {wanted!r}",
        )


def check_removed(fail: Failures, record: ArticleRecord, kinds: Iterable[str]) -> None:
    present = {r.kind for r in record.removed}
    for kind in kinds:
        fail.check(
            kind in present,
            f"removed_kinds: nothing of kind {kind!r} in record.removed "
            f"(kinds present: {sorted(present)})",
        )


def validate_case(case: dict[str, Any]) -> None:
    """Raise FixtureError when a case has unknown keys or contradicts its own text."""
    if not set(case) <= KEYS:
        raise FixtureError(f"fixture error: unknown keys {sorted(set(case) - KEYS)}")
    unknown = set(case.get("expect", {})) - FIELDS
    if unknown:
        raise FixtureError(f"fixture error: no record field {sorted(unknown)}")
    if ("text" in case) == ("reject" in case):
        raise FixtureError("fixture error: give exactly one of text/reject")
    truth = case.get("text", "")
    for snippet in case.get("must_contain", []):
        if not contains(truth, snippet):
            raise FixtureError(f"fixture error: {snippet!r} is not in the expected text")
    for snippet in case.get("must_not_contain", []):
        if contains(truth, snippet):
            raise FixtureError(f"fixture error: {snippet!r} is in the expected text")


def load_case(path: Path) -> dict[str, Any]:
    """A case's `expected.json`, validated."""
    case: dict[str, Any] = json.loads(Path(path).read_text(encoding="utf-8"))
    validate_case(case)
    return case


def case_rules(case: dict[str, Any]) -> ExtractRules:
    """The extraction rules a case pins (lists in JSON, tuples in ExtractRules)."""
    rules: dict[str, Any] = {
        k: tuple(v) if isinstance(v, list) else v for k, v in case.get("rules", {}).items()
    }
    return ExtractRules(**rules)


def run_case(path: Path, case: dict[str, Any]) -> ArticleRecord | Rejection:
    """Extract the case's saved page with its rules."""
    body = (Path(path).parent / "page.html").read_bytes()
    page = Page(url=case["url"], body=body, content_type=case.get("content_type", "text/html"))
    return extract(page, case_rules(case))


def check_case(path: Path) -> Failures:
    """Run one case and collect every way its result differs from what it expects."""
    case = load_case(path)
    fail = Failures()
    result = fail.result = run_case(path, case)
    if "reject" in case:
        got = (
            result.reason if isinstance(result, Rejection) else f"an article: {short(result.text)}"
        )
        if got != case["reject"]:
            fail.fail_case(f"reject: expected {case['reject']!r}, got {got}")
        return fail
    if not isinstance(result, ArticleRecord):
        fail.fail_case(f"expected an article, got rejection {result}")
        return fail
    check_text(fail, result.text, case["text"])
    check_snippets(fail, result.text, case)
    check_fields(fail, result, case.get("expect", {}))
    check_removed(fail, result, case.get("removed_kinds", []))
    return fail
