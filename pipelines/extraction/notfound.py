"""Soft 404s: a "page not found" served with status 200, told by its title or its few words."""
# ruff: noqa: RUF001 -- typographic apostrophes in patterns are meant

from __future__ import annotations

import re

__all__ = ["is_not_found"]

_MAX_WORDS = 150  # an article may quote "page not found"; an error page says little else
_HEAD_CHARS = 300
_NOT_FOUND = re.compile(
    r"\b(page|story|article|content|file)s? (was |is |could )?not (be )?found\b|\b404\b"
    r"|\bcan(no|'|’)?t (find|locate) (that|this|the|what you)|\b(page|story|article) (you|you're"
    r"|you’re) (are )?(looking|searching) for\b|\b(page|story|article) (does not|doesn'?t|doesn’t)"
    r" exist\b|страниц\w* не найден|seite (wurde )?nicht gefunden|page (introuvable|non trouvée)"
    r"|página no encontrada|pagina non trovata",
    re.IGNORECASE,
)


def is_not_found(title: str | None, text: str, words: int) -> bool:
    """Whether a short page's title or opening says the page does not exist."""
    return words < _MAX_WORDS and bool(_NOT_FOUND.search(f"{title or ''}\n{text[:_HEAD_CHARS]}"))
