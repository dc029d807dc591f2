"""A fast, deterministic picker over a seeded `random.Random` (the prose generator's hot path)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")


class Chance:
    """Seeded choices; `random.choice` is several times slower and dominated generation time."""

    def __init__(self, rng: random.Random) -> None:
        self.r = rng
        self.rand = rng.random

    def pick(self, items: Sequence[T]) -> T:
        """A uniformly chosen item."""
        return items[int(self.rand() * len(items))]

    def between(self, low: int, high: int) -> int:
        """A uniform integer in [low, high]."""
        return low + int(self.rand() * (high - low + 1))
