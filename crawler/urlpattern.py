"""URL patterns of site profiles, matched in linear time on bounded input."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

try:  # google-re2: a linear-time engine, immune to catastrophic backtracking
    import re2 as _re2
except ImportError:  # pragma: no cover - exercised only where the wheel is missing
    _re2 = None

__all__ = ["MAX_URL_LENGTH", "PatternError", "UrlPattern", "nested_quantifier"]

# Real article URLs stay far below this; a longer "URL" is junk or an attack, never matched.
MAX_URL_LENGTH = 2048

_REPEATS = {"MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"}


class PatternError(ValueError):
    """A profile pattern that does not compile or could backtrack without bound."""


class UrlPattern:
    """A profile regex over URLs: RE2 when installed, else `re` without nested quantifiers.

    A realistic `([a-z0-9]+-?)+$` against a 35-character link hung a crawl in Python's
    backtracking engine. RE2 runs in time linear in the URL, and URLs longer than
    MAX_URL_LENGTH are never matched, so one match is bounded.
    """

    __slots__ = ("_compiled", "pattern")

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        try:
            re.compile(pattern)
        except re.error as exc:
            raise PatternError(f"bad regex {pattern!r}: {exc}") from exc
        self._compiled: Any
        if _re2 is not None:
            try:
                self._compiled = _re2.compile(pattern)
            except _re2.error as exc:
                reason = exc.args[0] if exc.args else exc
                if isinstance(reason, bytes):
                    reason = reason.decode("utf-8", "replace")
                raise PatternError(
                    f"regex {pattern!r} uses a construct the linear-time engine lacks "
                    f"(lookaround, backreference): {reason}"
                ) from exc
        else:
            if nested_quantifier(pattern):
                raise PatternError(
                    f"regex {pattern!r} repeats a repeated group: catastrophic backtracking"
                )
            self._compiled = re.compile(pattern)

    def search(self, url: str) -> bool:
        """True when the pattern occurs in the URL (never for over-long URLs)."""
        return len(url) <= MAX_URL_LENGTH and self._compiled.search(url) is not None

    def __repr__(self) -> str:
        return f"UrlPattern({self.pattern!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, UrlPattern) and other.pattern == self.pattern

    def __hash__(self) -> int:
        return hash(self.pattern)


def nested_quantifier(pattern: str) -> bool:
    """True when a repeated group itself holds a repeat, like `(a+)+` or `(\\w*-?)*`."""
    try:
        parsed = re._parser.parse(pattern)  # type: ignore[attr-defined]
    except re.error:
        return False
    return any(_repeat_inside_repeat(parsed, inside=False))


def _repeat_inside_repeat(items: Any, inside: bool) -> Iterator[bool]:
    for op, arg in items:
        name = str(op)
        if name in _REPEATS:
            low, high, body = arg
            if inside and high != low:
                yield True
            yield from _repeat_inside_repeat(body, inside or high > 1)
        elif name == "SUBPATTERN":
            yield from _repeat_inside_repeat(arg[-1], inside)
        elif name == "BRANCH":
            for branch in arg[1]:
                yield from _repeat_inside_repeat(branch, inside)
