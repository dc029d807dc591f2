"""Listing pages behind a "load more" button: the profile's URL template, page after page."""

from __future__ import annotations

from crawler.profile import SiteProfile

__all__ = ["MORE_INDEX", "next_more_page"]

# Request meta key: which "more" page (0, 1, ...) a listing response is; absent on start pages.
MORE_INDEX = "more_index"


def next_more_page(
    profile: SiteProfile, meta: dict[str, object], article_links: int
) -> tuple[str, int] | None:
    """The next "more" page's URL and index after a listing page, or None to stop.

    A start page leads to the first "more" page; a "more" page leads to the next one only
    while it still lists articles (the button's endpoint answers empty after the last), and
    never beyond `max_pages`. Pages are fetched one after another, so a site is not asked
    for offsets past its end.
    """
    more = profile.more_pages
    if more is None or more.max_pages == 0:
        return None
    index = meta.get(MORE_INDEX)
    if index is None:
        return more.url(0), 0
    if not isinstance(index, int) or article_links == 0 or index + 1 >= more.max_pages:
        return None
    return more.url(index + 1), index + 1
