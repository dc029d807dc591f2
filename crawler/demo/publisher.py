"""What every demo publisher provides: URL scheme, page templates and site-level files."""

from __future__ import annotations

import random
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

from crawler.demo.feeds import FeedEntry
from crawler.demo.markup import pdf_stub
from crawler.demo.model import Article, PageMeta

# The site is frozen at this instant; nothing depends on the wall clock.
BUILD_TIME = datetime(2026, 3, 21, 6, 0, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class SiteFile:
    """One response of the site: a path (with query) and what the server sends for it."""

    path: str
    body: bytes
    content_type: str
    status: int = 200
    last_modified: datetime = BUILD_TIME
    alias_of: str | None = None  # serve the stored body of another path


class Publisher(ABC):
    """A fictional publisher: its URLs, markup, feeds, sitemaps and robots rules."""

    name: str
    short: str
    host: str
    brand: str
    language: str
    encoding: str = "utf-8"
    tz: timezone
    ru_share: float = 0.0
    per_page: int = 20

    @property
    def base_time(self) -> datetime:
        """Publication time of the newest article (n = 0)."""
        return BUILD_TIME.astimezone(self.tz) - timedelta(hours=6)

    @property
    def html_type(self) -> str:
        """Content-Type of the publisher's HTML pages."""
        return f"text/html; charset={self.encoding}"

    def url(self, path: str) -> str:
        """Absolute URL of a path on this host."""
        return f"http://{self.host}{path}"

    def pick_language(self, rng: random.Random) -> str:
        """Language of a new article."""
        return "ru" if rng.random() < self.ru_share else "en"

    def brand_for(self, lang: str) -> str:
        """The publisher's name as written in a language."""
        return self.brand

    def description(self, meta: PageMeta) -> str:
        """The standfirst the page shows (empty when the template has none)."""
        return meta.standfirst

    def shown_standfirst(self, meta: PageMeta) -> str:
        """The standfirst printed above the body of the article page (part of its text)."""
        return ""

    def modified_at(self, meta: PageMeta) -> datetime | None:
        """The modification time the page shows, if any."""
        return meta.modified or meta.published

    def encode(self, text: str) -> bytes:
        """Page bytes in the publisher's charset."""
        return text.encode(self.encoding, errors="xmlcharrefreplace")

    def listed(self, metas: Sequence[PageMeta]) -> list[PageMeta]:
        """URLs shown in the opinion listing: opinion pages and broken ones posing as them."""
        return [m for m in metas if m.kind == "opinion" or m.broken]

    def latest(self, metas: Sequence[PageMeta], kind: str, count: int) -> list[PageMeta]:
        """The newest pages of one kind."""
        return [m for m in metas if m.kind == kind][:count]

    def entries(self, metas: Sequence[PageMeta]) -> list[FeedEntry]:
        """Feed entries for pages."""
        return [
            FeedEntry(
                m.headline,
                m.url,
                self.guid(m),
                m.published,
                m.modified or m.published,
                m.standfirst,
                ", ".join(m.authors),
                m.section,
            )
            for m in metas
        ]

    def guid(self, meta: PageMeta) -> str:
        """A feed item's stable identifier."""
        return meta.url

    def broken_file(self, meta: PageMeta) -> SiteFile:
        """The response for a URL that is deliberately not a readable article."""
        if meta.kind == "empty":
            return SiteFile(meta.path, b"", self.html_type)
        if meta.kind == "not_html":
            return SiteFile(meta.path, pdf_stub(meta.headline), "application/pdf")
        status = 404 if meta.kind == "not_found" else 500
        return SiteFile(meta.path, self.encode(self.error_page(status)), self.html_type, status)

    def article_file(self, article: Article) -> SiteFile:
        """The response for a content page."""
        modified = self.modified_at(article.meta) or article.meta.published
        body = self.encode(self.render_article(article))
        return SiteFile(article.meta.path, body, self.html_type, last_modified=modified)

    @staticmethod
    def pages(items: Sequence[PageMeta], size: int) -> list[list[PageMeta]]:
        """Split a listing into pages (at least one, possibly empty)."""
        return [list(items[i : i + size]) for i in range(0, len(items), size)] or [[]]

    @abstractmethod
    def article_path(self, kind: str, n: int, slug: str, published: datetime) -> str:
        """Path (with query) of the n-th URL."""

    @abstractmethod
    def section(self, kind: str, lang: str) -> str:
        """Section name shown for a page kind."""

    @abstractmethod
    def render_article(self, article: Article) -> str:
        """Full HTML of an article page."""

    @abstractmethod
    def error_page(self, status: int) -> str:
        """HTML of a 404 or 500 page."""

    @abstractmethod
    def site_files(self, metas: Sequence[PageMeta]) -> Iterator[SiteFile]:
        """Home page, listings, feeds, sitemaps, robots.txt and other non-article pages."""
