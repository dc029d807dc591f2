"""Advisory locks on a dataset root: crawls share it, compaction takes it alone."""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

__all__ = ["DatasetBusy", "exclusive_lock", "shared_lock"]

LOCK_NAME = ".writers.lock"


class DatasetBusy(RuntimeError):
    """Another process holds the dataset in a conflicting way."""


@contextlib.contextmanager
def _locked(root: Path | str, mode: int) -> Iterator[None]:
    path = Path(root) / LOCK_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, mode | fcntl.LOCK_NB)
        except BlockingIOError:
            raise DatasetBusy(f"{root} is in use by another process (lock {path})") from None
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock, also when the process dies


def shared_lock(root: Path | str) -> contextlib.AbstractContextManager[None]:
    """Held by every writing crawl; many at once."""
    return _locked(root, fcntl.LOCK_SH)


def exclusive_lock(root: Path | str) -> contextlib.AbstractContextManager[None]:
    """Held by compaction; refused while any crawl writes."""
    return _locked(root, fcntl.LOCK_EX)
