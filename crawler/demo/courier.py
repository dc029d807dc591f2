"""demo-courier: a WordPress-like theme with OpenGraph, an Atom feed and comments (English)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta, timezone

from crawler.demo.courier_markup import (
    CATEGORY,
    comments,
    entry_content,
    entry_header,
    group,
    head,
    shell,
)
from crawler.demo.feeds import Channel, atom, sitemap_index, urlset
from crawler.demo.markup import esc
from crawler.demo.model import Article, PageMeta
from crawler.demo.publisher import BUILD_TIME, Publisher, SiteFile

_XML = "application/xml; charset=utf-8"


class Courier(Publisher):
    """The Courier: English, UTF-8, slug URLs under /columns/, Atom and a Yoast-style index."""

    name = "demo-courier"
    short = "courier"
    host = "courier.test"
    brand = "The Courier"
    language = "en"
    tz = timezone(timedelta(hours=1))
    per_page = 8

    def article_path(self, kind: str, n: int, slug: str, published: datetime) -> str:
        """`/columns/slug-1012/`; news uses dated permalinks, sport `/sports/slug-N/`."""
        if kind == "news":
            return f"/{published:%Y/%m/%d}/{slug}-{1000 + n}/"
        if kind == "sports":
            return f"/sports/{slug}-{1000 + n}/"
        return f"/columns/{slug}-{1000 + n}/"

    def section(self, kind: str, lang: str) -> str:
        """Category label."""
        return CATEGORY.get(kind, CATEGORY["opinion"])[0]

    def guid(self, meta: PageMeta) -> str:
        """WordPress-style shortlink guid."""
        return self.url(f"/?p={1000 + meta.n}")

    def render_article(self, article: Article) -> str:
        """Full HTML of a post."""
        m, ex = article.meta, article.extras
        slug = CATEGORY[m.kind][1]
        tags = ", ".join(f'<a href="#" rel="tag">{esc(t)}</a>' for t in m.tags)
        main = (
            f'<article id="post-{1000 + m.n}" class="post-{1000 + m.n} post type-post '
            f'status-publish format-standard hentry category-{slug}">\n'
            f"{entry_header(article)}\n{entry_content(article)}\n"
            f'<footer class="entry-footer"><span class="cat-links">Posted in <a href="/category/'
            f'{slug}/" rel="category tag">{m.section}</a></span> <span class="tags-links">'
            f"Tagged {tags}</span></footer>\n</article>\n{comments(ex)}"
        )
        sidebar = group(ex.banner, "widget donation-widget")
        if ex.cookie:
            sidebar += (
                f'\n<div id="cookie-notice" role="dialog"><span id="cn-notice-text">'
                f'{esc(ex.cookie.heading)}</span> <a id="cn-accept" href="#">'
                f"{esc(ex.cookie.buttons[0])}</a></div>"
            )
        css = f"post-template-default single single-post postid-{1000 + m.n} single-format-standard"
        return shell(m.headline, head(m), main, sidebar, css)

    def error_page(self, status: int) -> str:
        """HTML of a 404 or 500 page."""
        text = "Oops! That page can&rsquo;t be found." if status == 404 else "Internal Server Error"
        main = f'<section class="error-404 not-found"><h1 class="page-title">{text}</h1></section>'
        return shell(text, "", main, "", "error404")

    def _archive(self, path: str, title: str, items: Sequence[PageMeta], nav: str) -> SiteFile:
        posts = "\n".join(
            f'<article class="post-{1000 + m.n} post type-post"><header class="entry-header">'
            f'<h2 class="entry-title"><a href="{m.url}" rel="bookmark">{esc(m.headline)}</a></h2>'
            f'</header><div class="entry-summary"><p>{esc(m.standfirst)}</p></div></article>'
            for m in items
        )
        heading = f'<header class="page-header"><h1 class="page-title">{title}</h1></header>'
        main = f"{heading}\n{posts}\n{nav}"
        html = shell(title, f'<link rel="canonical" href="{self.url(path)}">', main, "", "archive")
        return SiteFile(path, self.encode(html), self.html_type)

    def _listing_path(self, page: int) -> str:
        return "/category/columns/" if page == 1 else f"/category/columns/page/{page}/"

    def site_files(self, metas: Sequence[PageMeta]) -> Iterator[SiteFile]:
        """Home, category archives, Atom feed, sitemaps, robots.txt and disallowed pages."""
        listed = self.listed(metas)
        pages = self.pages(listed, self.per_page)
        for number, items in enumerate(pages, start=1):
            links = []
            if number < len(pages):
                links.append(
                    f'<a class="next page-numbers" href="{self._listing_path(number + 1)}">'
                    "Older posts</a>"
                )
            if number > 1:
                links.append(
                    f'<a class="prev page-numbers" href="{self._listing_path(number - 1)}">'
                    "Newer posts</a>"
                )
            nav = f'<nav class="navigation pagination">{"".join(links)}</nav>'
            yield self._archive(self._listing_path(number), "Columns", items, nav)
        yield self._archive("/category/news/", "News", self.latest(metas, "news", 30), "")
        yield self._archive("/category/sports/", "Sports", self.latest(metas, "sports", 30), "")
        home = [*listed[:6], *self.latest(metas, "news", 6), *self.latest(metas, "sports", 6)]
        yield self._archive("/", "Latest", home, "")
        yield self._archive("/wp-admin/", "Log in", [], "")
        yield self._archive("/private/members/", "Members", [], "")
        channel = Channel(
            "The Courier \u00bb Columns",
            self.url("/category/columns/"),
            self.url("/columns/feed/atom/"),
            "Columns from The Courier",
            "en-US",
            BUILD_TIME,
        )
        feed = atom(channel, self.entries(listed[:15]))
        yield SiteFile("/columns/feed/atom/", feed.encode(), "application/atom+xml; charset=utf-8")
        yield from self._sitemaps(metas)
        robots = (
            "User-agent: *\nDisallow: /wp-admin/\nAllow: /wp-admin/admin-ajax.php\n"
            f"Disallow: /private/\n\nSitemap: {self.url('/sitemap_index.xml')}\n"
        )
        yield SiteFile("/robots.txt", robots.encode(), "text/plain; charset=utf-8")

    def _sitemaps(self, metas: Sequence[PageMeta]) -> Iterator[SiteFile]:
        index = []
        for number, start in enumerate(range(0, max(len(metas), 1), 1000), start=1):
            path = "/post-sitemap.xml" if number == 1 else f"/post-sitemap{number}.xml"
            rows = [
                (m.url, (m.modified or m.published).isoformat())
                for m in metas[start : start + 1000]
            ]
            index.append(
                (self.url(path), max((r[1] for r in rows), default=BUILD_TIME.isoformat()))
            )
            yield SiteFile(path, urlset(rows).encode(), _XML)
        cats = [
            (self.url(f"/category/{c}/"), BUILD_TIME.isoformat())
            for c in ("columns", "news", "sports")
        ]
        yield SiteFile("/category-sitemap.xml", urlset(cats).encode(), _XML)
        index.append((self.url("/category-sitemap.xml"), BUILD_TIME.isoformat()))
        yield SiteFile("/sitemap_index.xml", sitemap_index(index).encode(), _XML)
