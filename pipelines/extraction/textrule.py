"""A text rule: a phrase pattern that marks a block of at most so many words as boilerplate."""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["TextRule", "rule"]


@dataclass(frozen=True, slots=True)
class TextRule:
    """A block matching `pattern` (lowercase) with at most `max_words` words is of `kind`.

    `parts` is the same pattern split into its anchored (``^``) and free alternatives: a
    pattern mixing both cannot be scanned for its first characters, and runs much slower.
    """

    kind: str
    pattern: re.Pattern[str]
    max_words: int
    parts: tuple[re.Pattern[str], ...]

    def count(self, text: str) -> int:
        """How many times the rule's phrases occur in the (lowercase) text."""
        return sum(1 for part in self.parts for _ in part.finditer(text))


def rule(kind: str, max_words: int, pattern: str) -> TextRule:
    """A rule from a lowercase pattern (matched against lowercased text: a third faster than
    re.IGNORECASE)."""
    alternatives = _alternatives(pattern)
    anchored = [a for a in alternatives if a.startswith("^")]
    free = [a for a in alternatives if not a.startswith("^")]
    parts = tuple(re.compile("|".join(group)) for group in (anchored, free) if group)
    return TextRule(kind, re.compile(pattern), max_words, parts)


def _alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a pattern (outside groups and character classes)."""
    found, current, depth, in_class, i = [], [], 0, False, 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            current.append(pattern[i : i + 2])
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char in "()":
            depth += 1 if char == "(" else -1
        elif char == "|" and depth == 0:
            found.append("".join(current))
            current = []
            i += 1
            continue
        current.append(char)
        i += 1
    found.append("".join(current))
    return found
