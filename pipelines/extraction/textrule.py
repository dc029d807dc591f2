"""A text rule: a phrase pattern that marks a block of at most so many words as boilerplate."""

from __future__ import annotations

import re
import re._constants as sre  # the parsed form of a pattern, to find the literals it needs
import re._parser as sre_parse
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

import ahocorasick

__all__ = ["Screen", "TextRule", "rule", "string_automaton"]


@dataclass(frozen=True, slots=True)
class TextRule:
    """A block matching `pattern` (lowercase) with at most `max_words` words is of `kind`.

    `parts` is the same pattern split into its anchored (``^``) and free alternatives: a
    pattern mixing both cannot be scanned for its first characters, and runs much slower.
    `needs` holds, per part, strings one of which every match contains (None: no such set):
    most blocks contain none, and a substring test is far cheaper than a regex scan.
    """

    kind: str
    pattern: re.Pattern[str]
    max_words: int
    parts: tuple[re.Pattern[str], ...]
    needs: tuple[tuple[str, ...] | None, ...]

    def count(self, text: str, present: AbstractSet[str] | None = None) -> int:
        """How many times the rule's phrases occur in the (lowercase) text.

        `present`, when given, holds every needed string of the rule that the text contains
        (found for all rules at once by a `Screen`).
        """
        total = 0
        for part, needs in zip(self.parts, self.needs, strict=True):
            if needs is None or (
                any(map(text.__contains__, needs))
                if present is None
                else not present.isdisjoint(needs)
            ):
                total += len(part.findall(text))
        return total


class Screen:
    """The needed strings of many rules in one automaton: one pass over a text finds them all,
    and says which rules can match at all."""

    def __init__(self, rules: Sequence[TextRule]) -> None:
        self.rules = tuple(rules)
        # a tie between kinds goes to the kind whose first rule comes first
        self.kind_order: dict[str, int] = {}
        for r in self.rules:
            self.kind_order.setdefault(r.kind, len(self.kind_order))
        # rules with a part that needs no particular string must be run on any short block
        unscreened = [i for i, r in enumerate(self.rules) if None in r.needs]
        self.unscreened_words = max((self.rules[i].max_words for i in unscreened), default=-1)
        self._unscreened = frozenset(unscreened)
        self._by_needed: dict[str, list[int]] = {}
        for index, r in enumerate(self.rules):
            for needed in {n for needs in r.needs if needs for n in needs}:
                self._by_needed.setdefault(needed, []).append(index)
        self._automaton = string_automaton(self._by_needed)

    def present(self, text: str) -> set[str]:
        """The needed strings the text contains, overlapping ones included."""
        if not len(self._automaton):
            return set()
        return {needed for _, needed in self._automaton.iter(text)}

    def candidates(self, present: AbstractSet[str]) -> list[TextRule]:
        """The rules that can match a text containing just the `present` needed strings,
        in rule order: most blocks hold one or two, so the other rules are never run."""
        indices = set(self._unscreened)
        for needed in present:
            indices.update(self._by_needed.get(needed, ()))
        return [self.rules[i] for i in sorted(indices)]


def string_automaton(strings: Iterable[str]) -> ahocorasick.Automaton:
    """An automaton that finds any of the strings in one pass over a text; each found one is
    its own value. Empty (and not searchable) without strings."""
    automaton = ahocorasick.Automaton()
    for string in strings:
        automaton.add_word(string, string)
    if len(automaton):
        automaton.make_automaton()
    return automaton


def rule(kind: str, max_words: int, pattern: str) -> TextRule:
    """A rule from a lowercase pattern (matched against lowercased text: a third faster than
    re.IGNORECASE)."""
    alternatives = _alternatives(pattern)
    anchored = [a for a in alternatives if a.startswith("^")]
    free = [a for a in alternatives if not a.startswith("^")]
    parts = tuple(re.compile("|".join(group)) for group in (anchored, free) if group)
    needs = tuple(_needed_strings(sre_parse.parse(part.pattern)) for part in parts)
    return TextRule(kind, re.compile(pattern), max_words, parts, needs)


def _needed_strings(items: sre_parse.SubPattern | list) -> tuple[str, ...] | None:
    """Strings one of which every match of the parsed pattern contains, or None.

    Of the candidates a sequence offers (a run of literals, a group, a branch whose every
    alternative needs something, a repeat of at least one) the one whose shortest string is
    longest wins: it is the most selective.
    """
    best: tuple[str, ...] | None = None
    run: list[str] = []

    def consider(found: tuple[str, ...] | None) -> None:
        nonlocal best
        if found and (best is None or min(map(len, found)) > min(map(len, best))):
            best = found

    for op, value in [*items, (None, None)]:  # the sentinel flushes the last run
        if op is sre.LITERAL:
            run.append(chr(value))
            continue
        if run:
            consider(("".join(run),))
            run = []
        if op is sre.SUBPATTERN:
            consider(_needed_strings(value[3]))
        elif op is sre.BRANCH:
            branches = [_needed_strings(branch) for branch in value[1]]
            if all(branches):
                consider(tuple(sorted({s for found in branches if found for s in found})))
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT) and value[0] >= 1:
            consider(_needed_strings(value[2]))
    return best


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
