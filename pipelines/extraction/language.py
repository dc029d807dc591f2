"""The article's language: the page's declaration checked against an offline detector."""
# ruff: noqa: RUF001 -- Cyrillic letters are meant

from __future__ import annotations

import functools
import logging
import re
from collections import Counter
from collections.abc import Callable
from functools import lru_cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

from .langmodel import mapped_identifier, release_mapped_pages

__all__ = ["decide_language", "detect"]

logger = logging.getLogger(__name__)

_MIN_CHARS = 200  # below this the detector is too unsure to overrule a declaration
_OVERRULE = 0.95
_SAMPLE = 1000  # enough text for a confident guess; the cost grows with the sample
_WORD = re.compile(r"[^\W\d_]+")
_MIN_WORDS = 40
# The commonest function words of the languages most pages are written in. Prose runs
# 25-50% of its own language's; another language's list takes a few percent of it, up to
# half of the own share between close neighbours (Catalan against Spanish, Galician against
# Portuguese: never plainly either). No Dutch: Afrikaans reads as plainly Dutch by these.
_FUNCTION_WORDS: dict[str, frozenset[str]] = {
    code: frozenset(words.split())
    for code, words in {
        "en": "the of and to a in is that for it as was with be by on not he i this are or his "
        "from at which but have an they you were their has had we will would there been its "
        "who more can our than what about",
        "de": "der die und in den von zu das mit sich des auf für ist im dem nicht ein eine als "
        "auch es an werden aus er hat dass sie nach wird bei einer um am sind noch wie einem "
        "über einen so zum war haben nur oder aber vor zur bis mehr durch",
        "fr": "de la le et les des en un une du est que pour qui dans pas au sur ne se il plus "
        "par sont avec ce elle mais ou aux ont été cette son sa ses nous vous leur comme tout "
        "fait même",
        "es": "el la de que y en los del se las por un para con no una su al lo como más pero "
        "sus le ya o este fue ha sí porque esta entre cuando muy sin sobre también me hasta "
        "desde",
        "it": "il di che è la e per un non in una sono del della da si le con gli al ha anche "
        "più ma come dei nel alla delle lo questo o ci essere se stato tra cui sul nella",
        "pt": "de a o que e do da em um para é com não uma os no se na por mais as dos como mas "
        "foi ao ele das tem à seu sua ou ser quando muito há nos já está também pelo pela",
    }.items()
}  # fmt: skip
_OWN_SHARE = 0.2  # of the sample's words: the declared language's function words at least
_MARGIN = 2.0  # times any other listed language's: neighbours share some function words
_RU_SHARE = 0.8
# Ukrainian, Belarusian, Kazakh, Tatar and other Cyrillic alphabets have letters Russian lacks
_NOT_RUSSIAN = frozenset("іїєґўәғқңөұүһҗ")


@lru_cache(maxsize=1)
def _identifier() -> LanguageIdentifier:
    try:
        return mapped_identifier(norm_probs=True)  # langmodel.py: ~65 MB less in the heap
    except (OSError, ValueError) as exc:  # no writable temporary directory, another model
        logger.warning("language model loaded into memory, not mapped: %s", exc)
        return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def _reads_as(code: str, sample: str) -> bool:
    """Plainly `code`: enough of its function words, and far more than of any other listed."""
    words = _WORD.findall(sample.lower())
    if len(words) < _MIN_WORDS:
        return False
    tally = Counter(words)
    own = _occurrences(tally, _FUNCTION_WORDS[code])
    return own >= _OWN_SHARE * len(words) and all(
        own >= _MARGIN * _occurrences(tally, table)
        for other, table in _FUNCTION_WORDS.items()
        if other != code
    )


def _occurrences(tally: Counter[str], table: frozenset[str]) -> int:
    return sum(tally[word] for word in table.intersection(tally))


def _reads_as_russian(sample: str) -> bool:
    """Cyrillic with the letters only Russian uses among its neighbours, and none of theirs."""
    lowered = sample.lower()
    letters = [c for c in lowered if c.isalpha()]
    cyrillic = sum("а" <= c <= "я" or c == "ё" for c in letters)
    return (
        len(letters) >= _MIN_CHARS // 2
        and cyrillic >= _RU_SHARE * len(letters)
        and "ы" in sample
        and not _NOT_RUSSIAN.intersection(lowered)
    )


def detect(text: str) -> tuple[str, float]:
    """ISO 639-1 code and normalized probability of the text's language."""
    code, prob = _identifier().classify(text[:_SAMPLE])
    # The model rows one classification maps in are ~40 MB of the worker's memory until it
    # is recycled; dropped, the next one maps them again from the page cache (~0.2 ms).
    release_mapped_pages()
    return str(code), float(prob)


def decide_language(declared: str | None, hint: str | None, text: str) -> str | None:
    """Declared language unless the detector strongly disagrees on enough text."""
    if len(text) < _MIN_CHARS:
        return declared or hint or (detect(text)[0] if text.strip() else None)
    sample = text[:_SAMPLE]
    if declared in _CONFIRM and _CONFIRM[declared](sample):
        return declared  # plainly so: the detector would cost more than the rest of the record
    if declared is None:
        # Text that plainly reads as English or Russian is what the detector calls it, at a
        # tenth of its cost.
        plainly = next((code for code in _PLAINLY if _CONFIRM[code](sample)), None)
        if plainly:
            return plainly
    code, prob = detect(text)
    if declared is None or (code != declared and prob >= _OVERRULE):
        return code
    return declared


_CONFIRM: dict[str, Callable[[str], bool]] = {
    **{code: functools.partial(_reads_as, code) for code in _FUNCTION_WORDS},
    "ru": _reads_as_russian,
}
# Without a declaration the detector decides, unless the text plainly reads as one of these
# (no disagreement with it on the development set's 584 texts)
_PLAINLY = ("en", "ru")
