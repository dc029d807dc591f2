"""Run manifests as stored in the dataset: `runs/<run_id>.json`, one per run."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

__all__ = ["read_manifests"]


def read_manifests(root: Path | str) -> list[dict[str, Any]]:
    """Every run manifest under a dataset root, oldest first."""
    paths = sorted((Path(root) / "runs").glob("*.json"))
    return [json.loads(p.read_text(encoding="utf-8")) for p in paths]
