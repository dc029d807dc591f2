"""Run manifests as stored in the dataset: `runs/<run_id>.json`, one per run."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

__all__ = ["read_manifests"]

logger = logging.getLogger(__name__)


def read_manifests(root: Path | str) -> list[dict[str, Any]]:
    """Every readable run manifest under a dataset root, oldest first.

    A damaged one (empty after a crash, cut short, not JSON) is skipped with a warning
    naming the file: one bad file must not switch off drift or break `scrapy runs`.
    """
    manifests = []
    for path in sorted((Path(root) / "runs").glob("*.json")):
        try:
            manifest = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            logger.warning("run manifest %s skipped: %s", path, _why(exc))
            continue
        if not isinstance(manifest, dict) or "run_id" not in manifest:
            logger.warning("run manifest %s skipped: not a run manifest", path)
            continue
        manifests.append(manifest)
    # By start, not by file name: run ids carry the second only, so two runs started in one
    # second (back-to-back scheduled runs, a distributed crawl's workers) were ordered by
    # their random suffix, and "the last run" could be the earlier one.
    manifests.sort(key=lambda manifest: str(manifest.get("started_at") or ""))
    return manifests


def _why(exc: Exception) -> str:
    if isinstance(exc, json.JSONDecodeError) and not exc.doc.strip():
        return "empty file"
    return f"{type(exc).__name__}: {exc}"
