"""Measure each generic boilerplate rule on a dataset by switching it off, one at a time."""

from __future__ import annotations

from collections.abc import Sequence

from .. import markup
from ..core import Draft, draft_blocks, finish
from ..page import ExtractRules, Page
from ..textfilter import GENERIC_RULES, TextRule
from .evalset import Sample
from .runs import CONTENT_TYPE, predict, run, summarize_run
from .scoring import Summary

__all__ = ["ablate_markup", "ablate_text"]

_RULES = ExtractRules()


def ablate_text(samples: Sequence[Sample]) -> None:
    """F1 and leak change when each generic text rule is left out (drafts computed once)."""
    drafts: dict[str, Draft | None] = {}
    for s in samples:
        page = Page(url=s.url, body=s.body, content_type=CONTENT_TYPE)
        draft = draft_blocks(page, _RULES)
        drafts[s.id] = draft if isinstance(draft, Draft) else None
    full = _score(samples, drafts, GENERIC_RULES)
    print(f"all text rules: {_fmt(full)}")
    for index, rule in enumerate(GENERIC_RULES):
        without = _score(samples, drafts, GENERIC_RULES[:index] + GENERIC_RULES[index + 1 :])
        print(f"  without #{index:<2} {rule.kind:<11} {_delta(full, without)}  {_head(rule)}")


def ablate_markup(samples: Sequence[Sample]) -> None:
    """F1 and leak change when each markup kind's tokens are left out (full reruns)."""
    full = summarize_run(samples, run("all", predict, samples).texts)
    print(f"all markup kinds: {_fmt(full)}")
    for kind in sorted(set(markup.TOKEN_KINDS.values())):
        saved = dict(markup.TOKEN_KINDS)
        try:
            for token in [t for t, k in markup.TOKEN_KINDS.items() if k == kind]:
                del markup.TOKEN_KINDS[token]
            markup.forget_kinds()
            without = summarize_run(samples, run(kind, predict, samples).texts, False)
        finally:
            markup.TOKEN_KINDS.update(saved)
            markup.forget_kinds()
        print(f"  without {kind:<11} {_delta(full, without)}")


def _score(
    samples: Sequence[Sample], drafts: dict[str, Draft | None], rules: Sequence[TextRule]
) -> Summary:
    predictions = {}
    for s in samples:
        draft = drafts[s.id]
        result = finish(Page(url=s.url, body=b""), _RULES, draft, rules) if draft else None
        predictions[s.id] = getattr(result, "text", "")
    return summarize_run(samples, predictions)


def _fmt(s: Summary) -> str:
    return f"P={s.precision:.4f} R={s.recall:.4f} F1={s.f1:.4f} leak={s.leaked or 0:.4f}"


def _delta(full: Summary, without: Summary) -> str:
    """Positive numbers: the rule helps (switching it off costs that much)."""
    leak = (without.leaked or 0) - (full.leaked or 0)
    return (
        f"dF1={full.f1 - without.f1:+.4f} dP={full.precision - without.precision:+.4f} "
        f"dR={full.recall - without.recall:+.4f} dLeak={leak:+.4f}"
    )


def _head(rule: TextRule) -> str:
    return rule.pattern.pattern[:60]
