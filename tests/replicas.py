"""Small local replicas of the five real sites, authored for tests (own markup and text).

Each replica follows what is publicly known about its site's URL forms, listing structure
and feeds (see each profile's comments): the Moscow Times' "Just in" sidebar beside the real
list and its offset "more" route, Al Jazeera's `?traffic_source=rss` feed links and daily
child sitemaps, the Guardian's section-prefixed commentisfree URLs, the New York Times'
/opinion/<sub>/ paths and stock footers, the Washington Post's feed host and gzip news
sitemap. A replica serves every path of its origins from one port (paths never collide);
the crawl reaches it through SITE_HOST_MAP, so URLs keep their real https form.
"""

from __future__ import annotations

import gzip
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

__all__ = ["Replica", "all_replicas", "serve_replicas"]

_TEXT = (
    "the city council argued again about the river crossing while residents waited for "
    "answers on rents wages schools clinics and the long winter that tested every budget "
    "in the district where trams ran late and markets closed early because nobody could "
    "agree who should pay for repairs or how quickly the harbour should reopen to traffic"
)
_WORDS = _TEXT.split(" ")


def prose(seed: int, paragraphs: int = 6) -> list[str]:
    """Distinct, readable-enough paragraphs of about 45 words each."""
    out = []
    for i in range(paragraphs):
        words = [_WORDS[(seed * 13 + i * 7 + j * 5) % len(_WORDS)] for j in range(45)]
        out.append(f"Point {i + 1} of column {seed}: " + " ".join(words) + ".")
    return out


@dataclass
class Replica:
    """One site's pages by path, the origins it stands for, and the truth about them."""

    profile: str
    origins: tuple[str, ...]
    pages: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    opinion: set[str] = field(default_factory=set)  # canonical URLs that must be stored
    never: set[str] = field(default_factory=set)  # URLs that must never be stored
    unwanted_paths: set[str] = field(default_factory=set)  # paths that must never be requested
    stripped: tuple[str, ...] = ()  # snippets that must not be in any stored text
    requests: list[str] = field(default_factory=list)

    def add(self, path: str, body: str | bytes, kind: str = "text/html; charset=utf-8") -> None:
        self.pages[path] = (kind, body.encode() if isinstance(body, str) else body)


def article_page(
    url: str, title: str, seed: int, section: str, extra: str = "", kicker: str = ""
) -> str:
    """An article page that states its section the ways real sites do."""
    ld = {
        "@context": "https://schema.org", "@type": "NewsArticle", "headline": title,
        "articleSection": section, "datePublished": "2024-05-14T09:30:00+00:00",
        "author": {"@type": "Person", "name": f"Writer {seed}"}, "url": url,
    }  # fmt: skip
    crumbs = {
        "@context": "https://schema.org", "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": 1, "name": "Home", "item": "https://home/"},
            {"@type": "ListItem", "position": 2, "name": section.title(),
             "item": f"https://home/{section}"},
            {"@type": "ListItem", "position": 3, "name": title, "item": url},
        ],
    }  # fmt: skip
    paragraphs = "".join(f"<p>{p}</p>" for p in prose(seed))
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        f'<link rel="canonical" href="{url}"><meta property="og:title" content="{title}">'
        f'<meta property="article:section" content="{section}">'
        f'<script type="application/ld+json">{json.dumps(ld)}</script>'
        f'<script type="application/ld+json">{json.dumps(crumbs)}</script>'
        f'</head><body><header><a href="/">Front page</a></header><main><article>'
        f"{kicker}<h1>{title}</h1><p class='byline'>By Writer {seed}</p>{paragraphs}{extra}"
        "</article></main><footer>Replica footer</footer></body></html>"
    )


def rss(items: list[str]) -> str:
    entries = "".join(
        f"<item><title>Item {i}</title><link>{url}</link>"
        f"<pubDate>Tue, 14 May 2024 09:30:00 GMT</pubDate></item>"
        for i, url in enumerate(items)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>Replica feed</title>{entries}</channel></rss>"
    )


def urlset(urls: list[str]) -> str:
    rows = "".join(f"<url><loc>{u}</loc><lastmod>2024-05-14</lastmod></url>" for u in urls)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{rows}</urlset>'
    )


def _path(url: str) -> str:
    return urlsplit(url).path


def _articles(
    replica: Replica, urls: dict[str, str], section: str, extra: str = "", kicker: str = ""
) -> None:
    for seed, (url, title) in enumerate(urls.items(), start=len(replica.pages) + 1):
        canonical = url.split("?")[0]
        replica.add(_path(url), article_page(canonical, title, seed, section, extra, kicker))


MT = "https://www.themoscowtimes.com"
MT_APPEAL = "Before you scroll on, one small request from our newsroom in exile"
MT_DISCLAIMER = (
    "The views expressed in opinion pieces do not necessarily reflect the position of "
    "The Moscow Times."
)


def moscowtimes() -> Replica:
    """Opinion and news share /YYYY/MM/DD/slug-aID; the page's section tells them apart."""
    r = Replica("moscowtimes", (MT,))
    op = {f"{MT}/2024/05/{10 + i:02d}/column-number-{i}-on-the-war-a{8000 + i}": f"Column {i}"
          for i in range(1, 8)}  # fmt: skip
    news = {f"{MT}/2024/05/{10 + i:02d}/news-report-{i}-a{9000 + i}": f"Report {i}"
            for i in range(1, 4)}  # fmt: skip
    ops = list(op)
    extra = (
        f'<div class="article__disclaimer">{MT_DISCLAIMER}</div>'
        '<div class="article__tags">Read more about: <a href="/tag/x">Kremlin</a></div>'
        f'<div class="contribute-banner"><h4>{MT_APPEAL}.</h4><p>Independent reporting '
        "costs money; readers like you keep it going, monthly or once.</p></div>"
    )
    label = '<header class="article__header"><span class="label label--opinion">Opinion</span>'
    _articles(r, op, "opinion", extra, label + "</header>")
    # An opinion piece the site also files under business: its metadata names business,
    # only the header's opinion label (drawn from the opinion flag) says opinion.
    first = ops[0]
    r.add(_path(first), article_page(first, op[first], 1, "business", extra, label + "</header>"))
    _articles(r, news, "news")

    def excerpt(url: str, kind: str) -> str:
        link = f'<a href="{_path(url)}"><h3>{op[url]}</h3></a>'
        return f'<div class="article-excerpt-{kind}">{link}</div>'

    listing = "".join(excerpt(u, "lead" if i == 0 else "default") for i, u in enumerate(ops[:3]))
    just_in = "".join(f'<li><a href="{_path(u)}">{t}</a></li>' for u, t in news.items())
    r.add("/opinion", (
        "<html><body><section class='cluster cluster--section-articles'>"
        f"<h1>Opinion</h1><div class='row-flex'>{listing}"
        "<div class='col-12' y-use='More' data-url='/opinion/{{offset}}' data-start='19' "
        "data-step='18'><span class='button'>View more articles</span></div></div></section>"
        f"<aside class='sidebar'><h3>Just in</h3><ul class='listed-articles'>{just_in}</ul>"
        "</aside></body></html>"
    ))  # fmt: skip
    r.add("/opinion/19", "".join(excerpt(u, "default") for u in ops[3:5]))
    r.add("/opinion/37", excerpt(ops[5], "default"))
    r.add("/opinion/55", "\n")
    # The opinion feed carries one news report too: only the page's own section can tell.
    news_in_feed = list(news)[2]
    r.add("/rss/opinion", rss([ops[0], ops[6], news_in_feed]), "application/rss+xml")
    r.add("/robots.txt", "User-agent: *\nDisallow: /search\n", "text/plain")
    r.opinion = set(op)
    r.never = set(news)
    r.unwanted_paths = {_path(u) for u in list(news)[:2]} | {"/opinion/73"}
    r.stripped = (MT_APPEAL, "views expressed in opinion pieces", "Read more about")
    return r


GU = "https://www.theguardian.com"
GU_NEWSLETTER = "Sign up to our morning briefing for the day's arguments"


def guardian() -> Replica:
    """commentisfree with and without a section prefix; cartoons and news beside them."""
    r = Replica("guardian-commentisfree", (GU,))
    op = {
        f"{GU}/commentisfree/2024/may/14/cities-should-slow-down": "Cities should slow down",
        f"{GU}/australia-news/commentisfree/2024/may/15/a-view-from-sydney": "From Sydney",
        f"{GU}/technology/commentisfree/2024/may/16/the-machines-and-us": "Machines and us",
        f"{GU}/commentisfree/2024/may/16/the-guardian-view-on-bridges": "The view on bridges",
        f"{GU}/us-news/commentisfree/2024/may/17/letters-on-rail": "Letters on rail",
    }
    news = {f"{GU}/world/2024/may/14/harbour-reopens": "Harbour reopens"}
    cartoon = f"{GU}/commentisfree/picture/2024/may/14/cartoon-of-the-week"
    box = (
        f'<figure><aside aria-label="newsletter promotion"><p>{GU_NEWSLETTER}, free every '
        "weekday morning in your inbox.</p></aside></figure>"
    )
    _articles(r, op, "opinion", box)
    _articles(r, news, "world news")
    r.add(_path(cartoon), article_page(cartoon, "Cartoon", 99, "opinion"))
    ops = list(op)
    links = "".join(f'<a href="{u}">x</a>' for u in [ops[0], ops[1], cartoon, *news])
    r.add("/commentisfree", f"<html><body><main>{links}</main></body></html>")
    r.add("/commentisfree/rss", rss([ops[2], ops[3], cartoon]), "application/rss+xml")
    r.add("/sitemaps/news.xml", urlset([ops[4], *news, cartoon]), "application/xml")
    r.add("/robots.txt", "User-agent: *\nAllow: /\n", "text/plain")
    r.opinion = set(op)
    r.never = {*news, cartoon}
    r.unwanted_paths = {_path(u) for u in r.never}
    r.stripped = (GU_NEWSLETTER,)
    return r


AJ = "https://www.aljazeera.com"


def aljazeera(now: datetime) -> Replica:
    """all.xml links carry ?traffic_source=rss; article-new.xml has dated daily children."""
    r = Replica("aljazeera-opinion", (AJ,))
    op = {
        f"{AJ}/opinions/2024/5/4/what-the-vote-means?traffic_source=rss": "What the vote means",
        f"{AJ}/opinions/2024/11/14/a-winter-of-waiting?traffic_source=rss": "Winter of waiting",
        f"{AJ}/opinions/2024/5/6/the-long-road-home": "The long road home",
        f"{AJ}/opinions/2024/5/7/listing-only-piece": "Listing only piece",
    }
    news = {f"{AJ}/news/2024/5/4/talks-resume?traffic_source=rss": "Talks resume"}
    _articles(r, op, "opinion")
    _articles(r, news, "news")
    ops = list(op)
    r.add("/xml/rss/all.xml", rss([ops[0], ops[1], *news]), "application/rss+xml")
    r.add("/opinion/", f"<html><body><a href='{_path(ops[3])}'>x</a><button>Show more</button>"
                       "</body></html>")  # fmt: skip
    fresh = (now - timedelta(days=1)).strftime("%d-%m-%Y")
    stale = (now - timedelta(days=40)).strftime("%d-%m-%Y")
    index = "".join(
        f"<sitemap><loc>{AJ}/sitemaps/article-new/{day}.xml</loc></sitemap>"
        for day in (fresh, stale)
    )
    r.add("/sitemaps/article-new.xml", (
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"{index}</sitemapindex>"
    ), "application/xml")  # fmt: skip
    r.add(f"/sitemaps/article-new/{fresh}.xml", urlset([ops[2]]), "application/xml")
    r.add(f"/sitemaps/article-new/{stale}.xml", urlset([ops[2]]), "application/xml")
    r.add("/robots.txt", "User-agent: *\nAllow: /\n", "text/plain")
    r.opinion = {u.split("?")[0] for u in op}
    r.never = {u.split("?")[0] for u in news}
    r.unwanted_paths = {f"/sitemaps/article-new/{stale}.xml", "/sitemaps/article-archive.xml"}
    return r


NYT = "https://www.nytimes.com"
NYT_RSS = "https://rss.nytimes.com"
NYT_LETTERS = (
    "The Times is committed to publishing a diversity of letters to the editor. We would "
    "like to hear what you think about this or any of our articles."
)
NYT_FOLLOW = (
    "Follow the New York Times Opinion section on Facebook, Instagram, TikTok, WhatsApp, "
    "X and Threads, and on Instagram stories too."
)


def nytimes() -> Replica:
    """/YYYY/MM/DD/opinion/slug.html and /opinion/<sub>/slug.html; stock footers on each."""
    r = Replica("nytimes-opinion", (NYT, NYT_RSS))
    op = {
        f"{NYT}/2024/05/14/opinion/housing-and-the-young.html": "Housing and the young",
        f"{NYT}/2024/05/14/opinion/editorials/the-board-on-transit.html": "The board on transit",
        f"{NYT}/2024/05/15/opinion/letters/readers-on-rents.html": "Readers on rents",
        f"{NYT}/2024/05/16/opinion/columnists/a-column-on-rivers.html": "A column on rivers",
        f"{NYT}/2024/05/12/opinion/sunday/the-sunday-essay.html": "The Sunday essay",
    }
    news = {f"{NYT}/2024/05/16/us/politics/budget-vote.html": "Budget vote"}
    chart = f"{NYT}/interactive/2024/05/14/opinion/rents-in-charts.html"
    footers = f"<p><em>{NYT_LETTERS}</em></p><p>{NYT_FOLLOW}</p>"
    _articles(r, op, "opinion", footers)
    _articles(r, news, "u.s.")
    r.add(_path(chart), article_page(chart, "Charts", 98, "opinion"))
    ops = list(op)
    r.add("/services/xml/rss/nyt/Opinion.xml", rss([*ops[:3], chart]), "application/rss+xml")
    links = "".join(f'<a href="{u}">x</a>' for u in [ops[3], ops[4], *news])
    r.add("/section/opinion", f"<html><body><main>{links}</main></body></html>")
    r.add("/robots.txt", "User-agent: *\nAllow: /\n", "text/plain")
    r.opinion = set(op)
    r.never = {*news, chart}
    r.unwanted_paths = {_path(u) for u in r.never}
    r.stripped = ("committed to publishing a diversity of letters", "Opinion section on Facebook")
    return r


WP = "https://www.washingtonpost.com"
WP_FEEDS = "https://feeds.washingtonpost.com"
WP_NEWSLETTER = "Get the opinions newsletter: the week's sharpest arguments"


def washingtonpost() -> Replica:
    """/opinions/YYYY/MM/DD/slug/ (slash optional), interactive essays, feed host, gzip sitemap."""
    r = Replica("washingtonpost-opinions", (WP, WP_FEEDS))
    op = {
        f"{WP}/opinions/2024/05/14/budget-deal-and-the-city/": "Budget deal",
        f"{WP}/opinions/2024/05/15/rail-needs-a-plan": "Rail needs a plan",
        f"{WP}/opinions/interactive/2024/the-water-essay/": "The water essay",
        f"{WP}/opinions/2024/05/16/listing-only-view/": "Listing only view",
    }
    news = {f"{WP}/politics/2024/05/14/senate-vote/": "Senate vote"}
    box = (
        f'<div data-qa="sc-newsletter-signup"><p>{WP_NEWSLETTER}, every Friday.</p>'
        "<button>Sign up</button></div>"
    )
    _articles(r, op, "opinions", box)
    _articles(r, news, "politics")
    ops = list(op)
    tracked = [u + "?utm_source=rss&utm_medium=referral" for u in ops[:2]]
    r.add("/rss/opinions", rss(tracked), "application/rss+xml")
    sitemap = gzip.compress(urlset([ops[2], *news]).encode())
    r.add("/sitemaps/news-sitemap.xml.gz", sitemap, "application/x-gzip")
    r.add("/opinions/", f"<html><body><a href='{ops[3]}'>x</a><a href='{next(iter(news))}'>n</a>"
                        "</body></html>")  # fmt: skip
    r.add("/robots.txt", "User-agent: *\nAllow: /\n", "text/plain")
    r.opinion = set(op)
    r.never = set(news)
    r.unwanted_paths = {_path(u) for u in news} | {"/sitemaps/opinions.xml"}
    r.stripped = (WP_NEWSLETTER,)
    return r


def all_replicas(now: datetime | None = None) -> list[Replica]:
    """Fresh replicas of the five real sites."""
    now = now or datetime.now(UTC)
    return [moscowtimes(), guardian(), aljazeera(now), nytimes(), washingtonpost()]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server: _ReplicaServer

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""

    def do_GET(self) -> None:
        """Serve a page by path (queries are ignored, as tracking parameters are)."""
        path = urlsplit(self.path).path
        self.server.replica.requests.append(path)
        kind, body = self.server.replica.pages.get(path, ("text/html", b"<h1>Not found</h1>"))
        status = 200 if path in self.server.replica.pages else 404
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class _ReplicaServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, replica: Replica) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.replica = replica


@contextmanager
def serve_replicas(replicas: list[Replica]) -> Iterator[dict[str, str]]:
    """Serve each replica on its own port; yields the SITE_HOST_MAP that reaches them."""
    servers = [_ReplicaServer(r) for r in replicas]
    threads = [threading.Thread(target=s.serve_forever, daemon=True) for s in servers]
    for thread in threads:
        thread.start()
    host_map = {
        origin: f"http://127.0.0.1:{server.server_address[1]}"
        for server in servers
        for origin in server.replica.origins
    }
    try:
        yield host_map
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()
