"""demo-ledger: a modern CMS with BEM class names, JSON-LD and OpenGraph (English)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta, timezone

from crawler.demo.feeds import Channel, rss, sitemap_index, urlset
from crawler.demo.ledger_markup import SECTIONS, aside, head, shell, time_tag, widget
from crawler.demo.ledger_markup import article as article_html
from crawler.demo.markup import esc
from crawler.demo.model import Article, PageMeta
from crawler.demo.publisher import BUILD_TIME, Publisher, SiteFile


class Ledger(Publisher):
    """The Ledger: English, UTF-8, dated opinion URLs, RSS and a monthly sitemap index."""

    name = "demo-ledger"
    short = "ledger"
    host = "www.ledger.test"
    brand = "The Ledger"
    language = "en"
    tz = timezone(timedelta(hours=-5))
    per_page = 10

    def shown_standfirst(self, meta: PageMeta) -> str:
        """The article template prints the standfirst under the headline."""
        return meta.standfirst

    def article_path(self, kind: str, n: int, slug: str, published: datetime) -> str:
        """`/opinion/2026/03/14/slug-40012`; news and sport use their own prefixes."""
        prefix = SECTIONS.get(kind, SECTIONS["opinion"])[1]
        return f"/{prefix}/{published:%Y/%m/%d}/{slug}-{40000 + n}"

    def section(self, kind: str, lang: str) -> str:
        """Section label."""
        return SECTIONS.get(kind, SECTIONS["opinion"])[0]

    def render_article(self, article: Article) -> str:
        """Full HTML of an article page."""
        ex = article.extras
        main = f"{article_html(article)}\n{aside(ex)}"
        tail = "\n".join(
            (
                widget(ex.banner, "c-support-banner", "sticky"),
                widget(ex.cookie, "c-consent", "bottom"),
            )
        )
        title = f"{article.meta.headline} | {self.brand}"
        css = f"page page--article page--{article.meta.kind}"
        return shell(
            title,
            head(article, self.brand, self.url(f"/media/{article.meta.n}/hero.jpg")),
            main,
            tail,
            css,
        )

    def error_page(self, status: int) -> str:
        """HTML of a 404 or 500 page."""
        text = "Page not found" if status == 404 else "Something went wrong on our side"
        main = f'<section class="error-page"><h1>{text}</h1><p>Error {status}.</p></section>'
        return shell(f"{text} | {self.brand}", "", main, "", "page page--error")

    def _cards(self, items: Sequence[PageMeta]) -> str:
        return "\n".join(
            f'<li class="card card--{m.kind}"><a class="card__link" href="{m.url}">'
            f'<h2 class="card__headline">{esc(m.headline)}</h2></a><p class="card__standfirst">'
            f"{esc(m.standfirst)}</p>{time_tag(m.published, 'card__date')}</li>"
            for m in items
        )

    def _listing_path(self, page: int) -> str:
        return "/opinion/" if page == 1 else f"/opinion/page/{page}/"

    def _pagination(self, page: int, total: int) -> str:
        shown = sorted({1, total, *range(max(1, page - 2), min(total, page + 2) + 1)})
        links = [
            f'<a class="pagination__link" href="{self._listing_path(k)}">{k}</a>'
            if k != page
            else f'<span class="pagination__current">{k}</span>'
            for k in shown
        ]
        if page > 1:
            links.insert(0, f'<a rel="prev" href="{self._listing_path(page - 1)}">Previous</a>')
        if page < total:
            links.append(f'<a rel="next" href="{self._listing_path(page + 1)}">Next</a>')
        return f'<nav class="pagination" aria-label="Pagination">{" ".join(links)}</nav>'

    def _section_page(self, path: str, title: str, items: Sequence[PageMeta], nav: str) -> SiteFile:
        main = (
            f'<section class="section-front"><h1 class="section-front__title">{title}</h1>\n'
            f'<ul class="card-list">\n{self._cards(items)}\n</ul>\n{nav}</section>'
        )
        html = shell(
            f"{title} | {self.brand}",
            f'<link rel="canonical" href="{self.url(path)}">',
            main,
            "",
            "page page--section",
        )
        return SiteFile(path, self.encode(html), self.html_type)

    def site_files(self, metas: Sequence[PageMeta]) -> Iterator[SiteFile]:
        """Home, listings, RSS, sitemaps, robots.txt and the disallowed pages."""
        listed = self.listed(metas)
        pages = self.pages(listed, self.per_page)
        for number, items in enumerate(pages, start=1):
            nav = self._pagination(number, len(pages))
            yield self._section_page(self._listing_path(number), "Opinion", items, nav)
        yield self._section_page("/news/", "News", self.latest(metas, "news", 30), "")
        yield self._section_page("/sport/", "Sport", self.latest(metas, "sports", 30), "")
        home = [*listed[:8], *self.latest(metas, "news", 8), *self.latest(metas, "sports", 8)]
        yield self._section_page("/", "Today", home, '<a href="/opinion/">More opinion</a>')
        yield self._section_page("/search?q=", "Search", [], "")
        yield self._section_page("/private/staff/", "Staff area", [], "")
        channel = Channel(
            "The Ledger: Opinion",
            self.url("/opinion/"),
            self.url("/opinion/rss.xml"),
            "Columns and comment",
            "en-gb",
            BUILD_TIME,
        )
        feed = rss(channel, self.entries(listed[:20]))
        yield SiteFile("/opinion/rss.xml", feed.encode(), "application/rss+xml; charset=utf-8")
        yield from self._sitemaps(metas)
        robots = (
            "User-agent: *\nDisallow: /search\nDisallow: /private/\n\n"
            "User-agent: ExampleBadBot\nDisallow: /\n\n"
            f"Sitemap: {self.url('/sitemap.xml')}\n"
        )
        yield SiteFile("/robots.txt", robots.encode(), "text/plain; charset=utf-8")

    def _sitemaps(self, metas: Sequence[PageMeta]) -> Iterator[SiteFile]:
        months: dict[str, list[PageMeta]] = {}
        for meta in metas:
            months.setdefault(f"{meta.published:%Y-%m}", []).append(meta)
        index = []
        for month, items in sorted(months.items(), reverse=True):
            path = f"/sitemaps/{month}.xml"
            rows = [(m.url, (m.modified or m.published).isoformat()) for m in items]
            index.append((self.url(path), max(lastmod for _, lastmod in rows)))
            yield SiteFile(path, urlset(rows).encode(), "application/xml; charset=utf-8")
        yield SiteFile(
            "/sitemap.xml", sitemap_index(index).encode(), "application/xml; charset=utf-8"
        )
