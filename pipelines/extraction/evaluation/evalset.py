"""Reading an evaluation dataset: truth.jsonl rows and their pages/<id>.html(.gz) bytes."""

from __future__ import annotations

import gzip
import json
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["Dataset", "EvaluateError", "Sample", "load"]


class EvaluateError(Exception):
    """A run that cannot start: no dataset directory, no truth.jsonl, no output directory."""


@dataclass(frozen=True, slots=True)
class Sample:
    """One truth row and its page bytes."""

    row: dict[str, Any]
    body: bytes

    @property
    def id(self) -> str:
        return str(self.row["id"])

    @property
    def url(self) -> str:
        return str(self.row.get("url") or "")

    @property
    def truth(self) -> str | None:
        """The expected article text, or None when the row has none to score against."""
        return self.row.get("body")


@dataclass(frozen=True, slots=True)
class Dataset:
    """The samples that could be read, and why each other truth line was skipped."""

    samples: list[Sample]
    skipped: list[str] = field(default_factory=list)


def load(dataset: Path, limit: int | None = None) -> Dataset:
    """Truth rows with their page bytes, read before any timing starts; bad lines are skipped."""
    if not dataset.is_dir():
        raise EvaluateError(f"no dataset directory {dataset}")
    if not (dataset / "truth.jsonl").is_file():
        raise EvaluateError(f"no truth.jsonl in {dataset}")
    if not (dataset / "pages").is_dir():
        raise EvaluateError(f"no pages/ directory in {dataset}")
    samples: list[Sample] = []
    skipped: list[str] = []
    seen: set[str] = set()
    with open(dataset / "truth.jsonl", "rb") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            sample = _sample(dataset / "pages", line, seen)
            if isinstance(sample, str):
                skipped.append(f"truth.jsonl line {number}: {sample}")
                continue
            seen.add(sample.id)
            samples.append(sample)
            if limit and len(samples) >= limit:
                break
    return Dataset(samples, skipped)


def _sample(pages: Path, line: bytes, seen: set[str]) -> Sample | str:
    """The sample of one truth line, or why there is none."""
    row = _row(line)
    if isinstance(row, str):
        return row
    doc_id = str(row["id"])
    if doc_id in seen:
        return f"duplicate id {doc_id!r}"
    html = _page_bytes(pages, doc_id)
    return Sample(row, html) if isinstance(html, bytes) else f"id {doc_id!r}: {html}"


def _row(line: bytes) -> dict[str, Any] | str:
    """A parsed truth row, or what is wrong with it."""
    try:
        row = json.loads(line)
    except ValueError as exc:  # bad JSON and bytes that are not UTF-8 alike
        return f"not JSON ({exc})"
    doc_id = row.get("id") if isinstance(row, dict) else None
    if isinstance(doc_id, bool) or not isinstance(doc_id, str | int) or doc_id == "":
        return "not a JSON object with an id"
    # The id names a file under pages/: "../x" or "a/b" must not reach outside it.
    if Path(str(doc_id)).name != str(doc_id) or str(doc_id) in (".", ".."):
        return f"id {doc_id!r} is not a plain file name"
    if not isinstance(row.get("body"), str | None):
        return f"id {doc_id!r}: body is not a string"
    return row


def _page_bytes(pages: Path, doc_id: str) -> bytes | str:
    """The page's HTML from pages/<id>.html.gz or, failing that, pages/<id>.html."""
    for path in (pages / f"{doc_id}.html.gz", pages / f"{doc_id}.html"):
        if not path.is_file():
            continue
        try:
            data = path.read_bytes()
            return gzip.decompress(data) if path.suffix == ".gz" else data
        except (OSError, EOFError, zlib.error) as exc:  # unreadable, not gzip, or truncated
            return f"cannot read pages/{path.name} ({exc})"
    return f"no pages/{doc_id}.html.gz or pages/{doc_id}.html"
