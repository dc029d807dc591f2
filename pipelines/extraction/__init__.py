"""Pure article extraction: HTML bytes in, an article record or a named rejection out."""

from __future__ import annotations

from .core import EXTRACTOR_VERSION, extract
from .page import REMOVED_KINDS, ExtractRules, IdentityRules, Page, Rejection, validate_rules

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
