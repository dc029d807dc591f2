"""`scrapy profile new`: a commented profile drafted from a live section page."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from lxml import html
from scrapy.http import HtmlResponse
from tld import get_fld

from crawler.dataset.identity import clean_url
from crawler.discovery import feed_links
from crawler.links import listing_links
from crawler.profiling.draft_pages import (
    find_more_button,
    listing_area,
    listing_pattern,
    section_title,
)
from crawler.profiling.fetch import Fetcher
from crawler.profiling.urlshape import UrlShape, article_shapes
from crawler.sections import page_sections
from crawler.urlpattern import UrlPattern

__all__ = ["Draft", "draft_profile"]

_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json")
MAX_FEEDS = 3
SECTION_SAMPLES = 3


@dataclass
class Draft:
    """What was found on the site, what could not be decided, and the profile text."""

    name: str
    url: str
    found: list[str] = field(default_factory=list)
    undecided: list[str] = field(default_factory=list)
    toml: str = ""
    ok: bool = False


def draft_profile(url: str, name: str, fetcher: Fetcher) -> Draft:
    """Fetch the section page, its feeds and robots.txt, and draft a profile for them."""
    draft = Draft(name, url)
    page = fetcher.get(url)
    if not page.ok:
        draft.undecided.append(f"section page {url}: {page.error or page.status}")
        return draft
    tree = html.document_fromstring(page.body)
    response = HtmlResponse(url, body=page.body, headers={"Content-Type": page.content_type})
    host = urlsplit(url).hostname or ""
    domain = _registrable(host)
    links = [u for u in listing_links(response) if _on(u, domain)]
    feeds = _feeds(tree, url, domain)
    items = _feed_items(feeds, fetcher, draft)
    sitemaps = _sitemaps(url, fetcher, domain)
    # Profile patterns are matched against the clean URL (identity.py): generalize that form.
    # Feed items first: a section feed is the surest sample of the section's articles.
    candidates = [clean_url(u) for u in [*items, *links]]
    shapes = _chosen_shapes(article_shapes(candidates), url, draft)
    title = section_title(tree, url)
    draft.found.append(f"section: {title!r} (page metadata)")
    wanted = _wanted_sections(shapes, fetcher, draft)
    listings = listing_pattern(links, url)
    more = find_more_button(tree, url)
    draft.found += [f"feed: {f}" for f in feeds] + [f"sitemap: {s}" for s in sitemaps]
    draft.found += [f"listing pages: {listings}"] if listings else []
    if more:
        draft.found.append(f"load-more template: {more[0]} (first {more[1]}, step {more[2]})")
    if not listings and not more:
        draft.undecided.append("pagination: no page links or load-more button found")
    area = _area(tree, url, shapes, listings, draft)
    draft.toml = _toml(draft, domain, title, feeds, sitemaps, shapes, wanted, listings, more, area)
    draft.ok = bool(shapes)
    return draft


def _area(
    tree: html.HtmlElement, url: str, shapes: list[UrlShape], listings: str | None, draft: Draft
) -> str | None:
    """The listing's own area when article links of the same form sit outside it too."""
    patterns = [UrlPattern(s.regex()) for s in shapes]
    paging = UrlPattern(listings) if listings else None
    area = listing_area(
        tree, url, lambda u: any(p.search(clean_url(u)) for p in patterns),
        lambda u: paging is not None and paging.search(u),
    )  # fmt: skip
    if area:
        draft.found.append(f"listing area: {area} (article links also sit outside it)")
    else:
        draft.undecided.append(
            "listing area (restrict_css): none stands out, the whole page is read"
        )
    return area


def _registrable(host: str) -> str:
    # An unknown suffix (a .test or intranet host): the host itself.
    return get_fld(host, fix_protocol=True, fail_silently=True) or host


def _on(url: str, domain: str) -> bool:
    host = urlsplit(url).hostname or ""
    return host == domain or host.endswith("." + domain)


def _feeds(tree: html.HtmlElement, url: str, domain: str) -> list[str]:
    found = []
    for link in tree.xpath('//link[@rel="alternate"][@href]'):
        if (link.get("type") or "").lower() in _FEED_TYPES:
            found.append(urljoin(url, link.get("href").strip()))
    return [f for f in dict.fromkeys(found) if _on(f, domain)]


def _feed_items(feeds: list[str], fetcher: Fetcher, draft: Draft) -> list[str]:
    items: list[str] = []
    for feed in feeds[:MAX_FEEDS]:
        fetched = fetcher.get(feed)
        if not fetched.ok:
            draft.undecided.append(f"feed {feed}: {fetched.error or fetched.status}")
            continue
        items += [link.url for link in feed_links(fetched.body, feed)]
    return items


def _sitemaps(url: str, fetcher: Fetcher, domain: str) -> list[str]:
    rules = fetcher.robots(url)[1]
    return [s for s in (rules.sitemaps if rules else []) if _on(s, domain)]


def _chosen_shapes(shapes: list[UrlShape], url: str, draft: Draft) -> list[UrlShape]:
    """The URL forms naming the section (its path words), else the largest form."""
    words = {w for w in urlsplit(url).path.split("/") if w}
    chosen = [s for s in shapes if words & set(s.literal_segments)] or shapes[:1]
    for shape in shapes:
        if shape not in chosen:
            draft.undecided.append(f"left out URL form {shape.regex()} ({len(shape.urls)} URLs)")
    if not chosen:
        draft.undecided.append("article URLs: no form shared by 3 or more links or feed items")
    return chosen


def _wanted_sections(shapes: list[UrlShape], fetcher: Fetcher, draft: Draft) -> list[str]:
    """When no URL form names the section, the sections the sample articles state."""
    if not shapes or any(s.literal_segments for s in shapes):
        return []
    labels: Counter[str] = Counter()
    for url in shapes[0].urls[:SECTION_SAMPLES]:
        fetched = fetcher.get(url)
        if fetched.ok and (found := page_sections(fetched.body)):
            labels[found[0]] += 1
    if not labels:
        draft.undecided.append("the URL cannot tell the section and sample pages state none")
        return []
    label = labels.most_common(1)[0][0]
    draft.found.append(f"section check: sample articles state section {label!r}")
    return [label]


def _toml(draft: Draft, domain: str, title: str, feeds: list[str], sitemaps: list[str],
          shapes: list[UrlShape], wanted: list[str], listings: str | None,
          more: tuple[str, int, int] | None, area: str | None) -> str:  # fmt: skip
    lines = [
        f"# Drafted by `scrapy profile new {draft.url} --name {draft.name}`: review every line,",
        "# then run `scrapy profile check NAME` against the site.",
        *(f"# found: {f}" for f in draft.found),
        *(f"# NOT decided: {u}" for u in draft.undecided),
        f'name = "{draft.name}"', "enabled = true", f"description = {_q(title)}",
        f"domains = [{_q(domain)}]", 'section = "opinion"',
        f"start_urls = [{_q(draft.url)}]", f"feeds = [{', '.join(_q(f) for f in feeds)}]",
        f"sitemaps = [{', '.join(_q(s) for s in sitemaps)}]", "",
        "[articles]", "allow = [" + ", ".join(_literal(s.regex()) for s in shapes) + "]", "",
        "[listings]", f"allow = [{_literal(listings) if listings else ''}]", "max_pages = 20",
        f"restrict_css = [{_q(area) if area else ''}]",
    ]  # fmt: skip
    if sitemaps:
        lines += ["", "# Sitemap indexes: read only the children changed lately.",
                  "[sitemap_index]", "max_age_days = 3"]  # fmt: skip
    if more:
        lines += ["", "[pagination]", f"template = {_q(more[0])}", f"first = {more[1]}",
                  f"step = {more[2]}", "max_pages = 5"]  # fmt: skip
    if wanted:
        lines += ["", "# The URL cannot tell the section: the page's own metadata decides.",
                  "[sections]", f"want = [{_q(wanted[0])}]"]  # fmt: skip
    lines += ["", "[politeness]", "download_delay = 1.0", "concurrency = 2", ""]
    return "\n".join(lines)


def _q(text: str) -> str:
    return '"' + re.sub(r'(["\\])', r"\\\1", text) + '"'


def _literal(regex: str) -> str:
    """A TOML literal string (no escapes), or a basic one when the regex holds a quote."""
    return f"'{regex}'" if "'" not in regex and "\n" not in regex else _q(regex)
