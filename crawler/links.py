"""The links of a listing page as absolute http(s) URLs, each distinct href resolved once."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from lxml import etree
from parsel import Selector
from scrapy.http import HtmlResponse, TextResponse, XmlResponse
from scrapy.linkextractors import IGNORED_EXTENSIONS
from w3lib.encoding import html_to_unicode
from w3lib.html import get_base_url, strip_html5_whitespace
from w3lib.url import safe_url_string

__all__ = ["DENIED_EXTENSIONS", "LinkResolver", "listing_links"]

# Links to files (PDF, images, archives ...) are never articles or listings: Scrapy's list.
DENIED_EXTENSIONS = tuple(f".{extension}" for extension in IGNORED_EXTENSIONS)
_HAS_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
# Plain strings straight from lxml: parsel would wrap every href in a Selector first.
_HREFS = etree.XPath("descendant-or-self::*[self::a or self::area]/@href", smart_strings=False)


class LinkResolver:
    """Finds a page's links and resolves each href once per crawl, not once per page.

    Pagination and navigation repeat the same hrefs on every listing page, and some sites
    link every listing page from every other: resolving (join, percent-encode, filter) each
    occurrence made a crawl's listing work grow with the square of its listing pages. An
    href's URL depends only on the page's base URL, or only on its origin when the href is
    root-relative, or on nothing when it is absolute: that is the cache key. The cache
    forgets everything when it reaches `max_entries`, so its memory stays bounded.
    """

    def __init__(self, max_entries: int = 100_000) -> None:
        self.max_entries = max_entries
        self._resolved: dict[tuple[str, str, str], str | None] = {}

    def links(self, response: TextResponse, areas: tuple[str, ...] = ()) -> list[str]:
        """The http(s) URLs of the <a> and <area> links (inside `areas` if given), once each."""
        # Scrapy's LinkExtractor(restrict_css=areas, unique=True) finds the same URLs at twice
        # the cost: it also collects anchor texts and parses every URL again for filters that
        # our profile patterns make redundant.
        page, base = _parsed(response)
        if areas:
            nodes = (node.root for css in areas for node in page.css(css))
            roots = [node for node in nodes if isinstance(node, etree._Element)]
        else:
            roots = [page.root]
        parts = urlsplit(base)
        origin = f"{parts.scheme}://{parts.netloc}"
        encoding = response.encoding
        urls: dict[str, None] = {}
        for root in roots:
            for href in _HREFS(root):
                href = strip_html5_whitespace(href)
                if href.startswith("/"):
                    key = (origin, encoding, href)
                elif _HAS_SCHEME.match(href):
                    key = ("", encoding, href)
                else:
                    key = (base, encoding, href)
                url = self._resolved.get(key, "")
                if url == "":
                    url = self._remember(key, _resolve(base, href, encoding))
                if url is not None:
                    urls.setdefault(url, None)
        return list(urls)

    def _remember(self, key: tuple[str, str, str], url: str | None) -> str | None:
        if len(self._resolved) >= self.max_entries:
            self._resolved.clear()
        self._resolved[key] = url
        return url


def listing_links(response: TextResponse, areas: tuple[str, ...] = ()) -> list[str]:
    """The links of one page, without a crawl's cache."""
    return LinkResolver().links(response, areas)


def _parsed(response: TextResponse) -> tuple[Selector, str]:
    """The page's tree, as `response.selector` parses it, and its base URL; the caller's alone.

    `response.selector` and Scrapy's `get_base_url` keep the tree (~2 MB for a 200 KB page)
    and the decoded text on the response, which lives on while the scraper handles the
    requests its callback yielded: in a crawl's listing phase ~25 listing pages at a time
    (Scrapy bounds their bodies, 5 MB, not what hangs on them), 44 MB of the crawl's peak.
    """
    text = html_to_unicode(f"charset={response.encoding}", response.body)[1]
    base = get_base_url(text[:4096], response.url, response.encoding)  # Scrapy's reading
    if isinstance(response, XmlResponse):
        kind: str | None = "xml"
    elif isinstance(response, HtmlResponse):
        kind = "html"
    else:
        kind = None  # as Scrapy's Selector: parsel tells from the text
    return Selector(text=text, type=kind, base_url=base), base


def _resolve(base: str, href: str, encoding: str) -> str | None:
    """The absolute URL an href names, or None for a bogus, non-http(s) or file link."""
    try:
        url = safe_url_string(urljoin(base, href), encoding=encoding)
    except ValueError:
        return None  # a bogus link, which LinkExtractor skips too
    if not url[:8].lower().startswith(("http://", "https://")) or _denied_extension(url):
        return None
    return url


def _denied_extension(url: str) -> bool:
    # Cut query and fragment with two C-level splits first: parsing every URL cost more.
    head = url.split("#", 1)[0].split("?", 1)[0].lower()
    return head.endswith(DENIED_EXTENSIONS) and urlsplit(url).path.lower().endswith(
        DENIED_EXTENSIONS
    )
