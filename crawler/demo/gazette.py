# ruff: noqa: RUF001
"""demo-gazette: a legacy table-and-<font> site in windows-1251, mostly Russian."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta, timezone

from crawler.demo.feeds import Channel, rss, urlset
from crawler.demo.markup import esc, interleave, month_day_year, russian_date
from crawler.demo.model import Article, Block, Box, PageMeta
from crawler.demo.publisher import BUILD_TIME, Publisher, SiteFile

_DIRS = {"opinion": "opinion", "news": "news", "sports": "sport"}
_LABELS = {
    "ru": dict(
        opinion="Мнения",
        news="Новости",
        sports="Спорт",
        by="Автор",
        print="Версия для печати",
        updated="обновлено",
        home="Главная",
        search="Поиск",
    ),
    "en": dict(
        opinion="Opinion",
        news="News",
        sports="Sport",
        by="By",
        print="Print version",
        updated="updated",
        home="Home",
        search="Search",
    ),
}
_FONT = '<font face="Verdana, Arial" size="2">'


def _date(dt: datetime, lang: str) -> str:
    return russian_date(dt) if lang == "ru" else f"{month_day_year(dt)}, {dt:%H:%M}"


def _table_box(box: Box | None, bgcolor: str) -> str:
    """A boilerplate box as a one-cell coloured table, the way the old templates did it."""
    if box is None:
        return ""
    lines = [f"<b>{esc(box.heading)}</b>", *(esc(t) for t in box.paragraphs)]
    if box.choices:
        lines.append(" ".join(f'<input type="radio" name="period"> {esc(c)}' for c in box.choices))
    if box.role == "newsletter":
        lines.append('<input type="text" name="email" size="18">')
    lines += [f'<a href="/donate.php"><b>{esc(b)}</b></a>' for b in box.buttons]
    inner = "<br>\n".join(lines)
    return (
        f'<table width="100%" border="0" cellpadding="8" cellspacing="0" bgcolor="{bgcolor}">'
        f"<tr><td>{_FONT}{inner}</font></td></tr></table>"
    )


def _block(block: Block) -> str:
    if block.kind == "h":
        return f"<p><b>{esc(block.texts[0])}</b></p>"
    if block.kind == "ul":
        return "<ul>" + "".join(f"<li>{esc(t)}</li>" for t in block.texts) + "</ul>"
    if block.kind == "quote":
        return f"<blockquote><i>{esc(block.texts[0])}</i></blockquote>"
    return f"<p>{esc(block.texts[0])}</p>"


class Gazette(Publisher):
    """The county gazette: windows-1251, `article.php?id=` URLs, RSS and one flat sitemap."""

    name = "demo-gazette"
    short = "gazette"
    host = "www.gazette.test"
    brand = "Уездная газета"
    language = "ru"
    encoding = "windows-1251"
    tz = timezone(timedelta(hours=3))
    ru_share = 0.85
    per_page = 6

    def brand_for(self, lang: str) -> str:
        """Russian name, or the English one on English pages."""
        return self.brand if lang == "ru" else "The County Gazette"

    def article_path(self, kind: str, n: int, slug: str, published: datetime) -> str:
        """`/opinion/article.php?id=5012`; news and sport live in their own directories."""
        return f"/{_DIRS.get(kind, 'opinion')}/article.php?id={5000 + n}"

    def section(self, kind: str, lang: str) -> str:
        """Section label in the article's language."""
        return _LABELS[lang][kind if kind in _DIRS else "opinion"]

    def description(self, meta: PageMeta) -> str:
        """The old template shows no standfirst."""
        return ""

    def modified_at(self, meta: PageMeta) -> datetime | None:
        """Only edited articles show a modification time."""
        return meta.modified

    def _shell(self, title: str, center: str, left: str, right: str, keywords: str = "") -> str:
        return f"""<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">
<title>{esc(title)}</title>
<meta name="keywords" content="{esc(keywords)}">
<link rel="stylesheet" href="/css/style.css" type="text/css">
<link rel="alternate" type="application/rss+xml" title="RSS" href="/rss/opinion.xml">
</head>
<body bgcolor="#FFFFFF" text="#000000" link="#003399" vlink="#663399" leftmargin="0" topmargin="0">
<table width="100%" border="0" cellspacing="0" cellpadding="0">
<tr><td colspan="3" bgcolor="#1F3A5F" height="60">
<font face="Georgia" size="6" color="#FFFFFF"><b>&nbsp;Уездная газета</b></font><br>
<font face="Arial" size="1" color="#CCCCCC">&nbsp;Общественно-политическое издание.
Выходит с 1994 года</font></td></tr>
<tr>
<td width="170" valign="top" bgcolor="#EEEEEE">{_FONT}
<a href="/">Главная</a><br><a href="/news/">Новости</a><br><a href="/opinion/">Мнения</a><br>
<a href="/sport/">Спорт</a><br><a href="/search.php">Поиск</a><br>
<a href="/rss/opinion.xml">RSS</a></font>
<br><br>{left}</td>
<td valign="top">
{center}
</td>
<td width="200" valign="top">{right}</td>
</tr>
<tr><td colspan="3" bgcolor="#1F3A5F" align="center"><font face="Arial" size="1" color="#FFFFFF">
&copy; 1994-2026 Уездная газета. При перепечатке ссылка обязательна.</font></td></tr>
</table>
</body>
</html>
"""

    def _meta_lines(self, a: Article) -> str:
        m, labels = a.meta, _LABELS[a.meta.lang]
        updated = ""
        if m.modified:
            updated = f' <font size="1">({labels["updated"]} {_date(m.modified, m.lang)})</font>'
        count = f" | {esc(a.extras.comment_count)}" if a.extras.comment_count else ""
        return (
            f'<font face="Verdana" size="2" color="#666666">{_date(m.published, m.lang)}'
            f"</font>{updated}<br>\n"
            f'<font face="Georgia" size="5"><b>{esc(m.headline)}</b></font><br>\n'
            f'<font face="Verdana" size="2"><i>{labels["by"]}: {esc(", ".join(m.authors))}'
            f"</i>{count}</font><br><br>"
        )

    def _text(self, a: Article) -> str:
        ex = a.extras
        teasers = [
            f'<p><b>{esc(label)}</b> <a href="{t.url}">{esc(t.headline)}</a></p>'
            for label, t in ex.teasers
        ]
        body = interleave(a, _block, _table_box(ex.mid, "#FFF3CD"), teasers)
        photo = ""
        if ex.caption:
            photo = (
                f'<table align="right" width="250" cellpadding="4"><tr><td><img src="/img/'
                f'{a.meta.n}.jpg" width="240" height="160" border="0"><br><font size="1">'
                f"{esc(ex.caption)}</font></td></tr></table>"
            )
        return (
            f'{photo}<font face="Times New Roman" size="3">\n{body}\n'
            f"{_table_box(ex.end, '#FFF3CD')}\n</font>\n{_table_box(ex.paywall, '#EEEEEE')}"
        )

    def _after(self, a: Article) -> str:
        ex, labels = a.extras, _LABELS[a.meta.lang]
        parts = []
        if ex.disclaimer:
            parts.append(
                f'<p><font size="1" color="#888888"><i>{esc(ex.disclaimer)}</i></font></p>'
            )
        share = f'{esc(ex.share)}: <a href="#">VK</a> <a href="#">OK</a> | ' if ex.share else ""
        print_path = a.meta.path.replace(f"/{_DIRS[a.meta.kind]}/", "/print/", 1)
        parts.append(
            f'<p><font size="1">{share}<a href="{print_path}">{labels["print"]}</a></font></p>'
        )
        if ex.related:
            links = "<br>\n".join(f'<a href="{m.url}">{esc(m.headline)}</a>' for m in ex.related)
            parts.append(
                f"<p>{_FONT}<b>{esc(ex.related_heading or '')}</b><br>\n{links}</font></p>"
            )
        if ex.comments:
            rows = "".join(
                f'<tr><td><font size="1"><b>{esc(c.author)}</b>, {c.when}</font><br>'
                f'<font size="2">{esc(c.text)}</font></td></tr>'
                for c in ex.comments
            )
            parts.append(
                f'<a name="comments"></a><table width="100%" cellpadding="4"><tr><td '
                f'bgcolor="#DDDDDD"><b>{esc(ex.comments_heading or "")}</b></td></tr>'
                f"{rows}</table>"
            )
        return "\n".join(parts)

    def render_article(self, article: Article) -> str:
        """Full HTML of an article page."""
        m, ex = article.meta, article.extras
        labels = _LABELS[m.lang]
        crumbs = (
            f'<font face="Arial" size="1"><a href="/">{labels["home"]}</a> &raquo; '
            f'<a href="/{_DIRS[m.kind]}/">{m.section}</a></font><br><br>'
        )
        center = (
            f'<div style="padding:10px">{crumbs}\n{self._meta_lines(article)}\n'
            f"{self._text(article)}\n{self._after(article)}</div>"
        )
        left = _table_box(ex.banner, "#FFE8A0")
        right = _table_box(ex.newsletter, "#E8F0F8")
        if ex.cookie:
            notice = f'{esc(ex.cookie.heading)} <a href="#">{esc(ex.cookie.buttons[0])}</a>'
            center = f'<div id="cookie">{_FONT}{notice}</font></div>\n{center}'
        title = f"{m.headline} :: {self.brand_for(m.lang)}"
        return self._shell(title, center, left, right, ", ".join(m.tags))

    def error_page(self, status: int) -> str:
        """HTML of a 404 or 500 page."""
        text = "Страница не найдена" if status == 404 else "Ошибка сервера"
        return self._shell(text, f"<h2>{status}. {text}</h2>", "", "")

    def _listing(self, path: str, title: str, items: Sequence[PageMeta], nav: str) -> SiteFile:
        rows = "\n".join(
            f'<tr><td>{_FONT}<font color="#666666">{_date(m.published, m.lang)}</font><br>'
            f'<a href="{m.path}"><b>{esc(m.headline)}</b></a></font></td></tr>'
            for m in items
        )
        center = f'<h2>{title}</h2>\n<table width="100%" cellpadding="6">\n{rows}\n</table>\n{nav}'
        return SiteFile(
            path,
            self.encode(self._shell(f"{title} :: {self.brand}", center, "", "")),
            self.html_type,
        )

    def site_files(self, metas: Sequence[PageMeta]) -> Iterator[SiteFile]:
        """Home, listings, RSS, sitemap, robots.txt, print aliases and the search page."""
        listed = self.listed(metas)
        pages = self.pages(listed, self.per_page)
        nav = " ".join(
            f'<a href="/opinion/index.php?page={k}">{k}</a>' for k in range(1, len(pages) + 1)
        )
        for number, items in enumerate(pages, start=1):
            yield self._listing(
                f"/opinion/index.php?page={number}", "Мнения", items, f"<p>Страницы: {nav}</p>"
            )
        yield SiteFile("/opinion/", b"", self.html_type, alias_of="/opinion/index.php?page=1")
        yield self._listing("/news/", "Новости", self.latest(metas, "news", 30), "")
        yield self._listing("/sport/", "Спорт", self.latest(metas, "sports", 30), "")
        home = [*listed[:10], *self.latest(metas, "news", 10), *self.latest(metas, "sports", 5)]
        yield self._listing("/", "Главное", home, "")
        yield self._listing("/search.php", "Поиск", [], "")
        for meta in metas:
            if not meta.broken:
                path = meta.path.replace(f"/{_DIRS[meta.kind]}/", "/print/", 1)
                yield SiteFile(path, b"", self.html_type, alias_of=meta.path)
        yield from self._machine_files(metas, listed)

    def _machine_files(
        self, metas: Sequence[PageMeta], listed: list[PageMeta]
    ) -> Iterator[SiteFile]:
        """RSS in windows-1251, a flat UTF-8 sitemap and robots.txt."""
        channel = Channel(
            "Уездная газета: Мнения",
            self.url("/opinion/"),
            self.url("/rss/opinion.xml"),
            "Колонки и мнения",
            "ru",
            BUILD_TIME,
        )
        feed = rss(channel, self.entries(listed[:20]), encoding="windows-1251")
        yield SiteFile(
            "/rss/opinion.xml", self.encode(feed), "application/rss+xml; charset=windows-1251"
        )
        rows = [(m.url, m.published.date().isoformat()) for m in metas]
        yield SiteFile(
            "/sitemap.xml",
            urlset([(self.url("/"), BUILD_TIME.date().isoformat()), *rows]).encode(),
            "application/xml; charset=utf-8",
        )
        robots = (
            "User-agent: *\nDisallow: /search.php\nDisallow: /print/\n"
            f"Host: {self.host}\n\nSitemap: {self.url('/sitemap.xml')}\n"
        )
        yield SiteFile("/robots.txt", robots.encode(), "text/plain; charset=utf-8")
