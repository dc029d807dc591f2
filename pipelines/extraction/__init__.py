"""Pure article extraction: HTML bytes in, an article record or a named rejection out."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .page import REMOVED_KINDS, ExtractRules, IdentityRules, Page, Rejection, validate_rules

if TYPE_CHECKING:
    from .core import EXTRACTOR_VERSION, extract

__all__ = [
    "EXTRACTOR_VERSION",
    "REMOVED_KINDS",
    "ExtractRules",
    "IdentityRules",
    "Page",
    "Rejection",
    "extract",
    "validate_rules",
]


def __getattr__(name: str) -> Any:
    # The core (trafilatura, htmldate, justext ...) loads on first use: the crawl's main
    # process only hands pages to the extraction pool and needs the page types alone.
    if name in ("EXTRACTOR_VERSION", "extract"):
        from . import core

        return getattr(core, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
