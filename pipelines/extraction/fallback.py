"""A second look when our cutting left no article: trafilatura alone, on the page as served.

Removing boilerplate by markup before trafilatura runs can cut a body that trafilatura alone
would keep (a body inside an element whose class says `related`, a page whose only text block
our markup rules took for a widget), or leave trafilatura to pick a cookie notice or a hidden
share-by-e-mail template that the text filter then empties. Such a page would be rejected as
`no_article`; it gets one more extraction from a fresh, uncut tree (rare: a few pages in a
thousand, so its cost does not matter).
"""

from __future__ import annotations

import trafilatura

from .blocks import text_blocks
from .decode import decode
from .edges import trim_edges
from .metadata import Metadata
from .page import Page, Rejection
from .parse import parse_html

__all__ = ["uncut_blocks"]


def uncut_blocks(page: Page, meta: Metadata) -> list[str]:
    """trafilatura's main text of the page without our markup removal, edges trimmed."""
    decoded = decode(page.body, page.content_type)
    if isinstance(decoded, Rejection):
        return []
    tree = parse_html(decoded.text)
    if tree is None:
        return []
    document = trafilatura.bare_extraction(
        tree, url=page.url or None, include_comments=False, include_tables=True,
        with_metadata=False,
    )  # fmt: skip
    blocks, _ = trim_edges(text_blocks(getattr(document, "body", None)), meta)
    return blocks
