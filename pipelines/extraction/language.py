"""The article's language: the page's declaration checked against an offline detector."""

from __future__ import annotations

from functools import lru_cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

__all__ = ["decide_language", "detect"]

_MIN_CHARS = 200  # below this the detector is too unsure to overrule a declaration
_OVERRULE = 0.95
_SAMPLE = 1000  # enough text for a confident guess; the cost grows with the sample


@lru_cache(maxsize=1)
def _identifier() -> LanguageIdentifier:
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect(text: str) -> tuple[str, float]:
    """ISO 639-1 code and normalized probability of the text's language."""
    code, prob = _identifier().classify(text[:_SAMPLE])
    return str(code), float(prob)


def decide_language(declared: str | None, hint: str | None, text: str) -> str | None:
    """Declared language unless the detector strongly disagrees on enough text."""
    if len(text) < _MIN_CHARS:
        return declared or hint or (detect(text)[0] if text.strip() else None)
    code, prob = detect(text)
    if declared is None or (code != declared and prob >= _OVERRULE):
        return code
    return declared
