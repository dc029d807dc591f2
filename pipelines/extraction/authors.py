"""Author names cleaned of bylines' noise: prefixes, publisher names, bios, joined lists."""
# ruff: noqa: RUF001 -- Cyrillic letters and typographic dashes in patterns are meant

from __future__ import annotations

import re

__all__ = ["clean_authors"]

_PREFIX = re.compile(
    r"^\s*(by|written by|words by|text|opinion by|column by|von|par|por|di|door|av|автор|авторы"
    r"|текст|от)\s*[:\-–—]?\s+",
    re.IGNORECASE,
)
_SPLIT = re.compile(r"\s*(?:,|;|\band\b|&|\bund\b|\bet\b|\bи\b|\by\b|\|)\s*", re.IGNORECASE)
_BIO_CUT = re.compile(r"\s+(is|was|writes|covers|has)\s+.*$|\s+[—–]\s+.*$", re.IGNORECASE)
_NOT_A_NAME = re.compile(r"https?://|www\.|@|\d|^(staff|admin|editor|guest|opinion)$", re.I)
_MAX_WORDS = 5


def clean_authors(raw: list[str], publishers: set[str]) -> list[str]:
    """Person names from raw author strings, split, deduplicated, in their original order."""
    names: list[str] = []
    blocked = {p.casefold() for p in publishers if p}
    for value in raw:
        text = _BIO_CUT.sub("", _PREFIX.sub("", " ".join(value.split())))
        for part in _SPLIT.split(text):
            name = _clean_one(part)
            if name and name.casefold() not in blocked and name not in names:
                names.append(name)
    return names


def _clean_one(part: str) -> str:
    """One candidate name, or "" when it is evidently no person's name."""
    name = _PREFIX.sub("", part).strip(" .:-–—|/")
    if (
        not name
        or name[0].islower()
        or len(name.split()) > _MAX_WORDS
        or len(name) > 60
        or _NOT_A_NAME.search(name)
    ):
        return ""
    return name
