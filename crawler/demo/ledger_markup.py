"""Markup of demo-ledger article pages: BEM components, OpenGraph and JSON-LD."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from crawler.demo.markup import day_month_year, esc, interleave, jsonld
from crawler.demo.model import Article, Block, Box, Extras

SECTIONS = {
    "opinion": ("Opinion", "opinion"),
    "news": ("News", "news"),
    "sports": ("Sport", "sport"),
}


def widget(box: Box | None, block: str, modifier: str) -> str:
    """A BEM widget (support banner, newsletter, paywall, consent) or nothing."""
    if box is None:
        return ""
    paras = "".join(f'<p class="{block}__text">{esc(t)}</p>' for t in box.paragraphs)
    choices = "".join(
        f'<label class="{block}__choice"><input type="radio" name="frequency" '
        f'value="{c.lower()}"> {esc(c)}</label>'
        for c in box.choices
    )
    if choices:
        choices = f'<div class="{block}__choices" role="radiogroup">{choices}</div>'
    form = ""
    if box.role == "newsletter":
        form = (
            f'<form class="{block}__form" action="/newsletters/subscribe" method="post">'
            '<input type="email" name="email" placeholder="Your email address" required>'
            "</form>"
        )
    buttons = "".join(
        f'<a class="{block}__cta {block}__cta--{i}" href="/support/?src={modifier}">{esc(b)}</a>'
        for i, b in enumerate(box.buttons)
    )
    return (
        f'<aside class="{block} {block}--{modifier}" data-component="{box.role}">\n'
        f'<h3 class="{block}__title">{esc(box.heading)}</h3>{paras}{form}{choices}'
        f'<div class="{block}__actions">{buttons}</div>\n</aside>'
    )


def body_block(block: Block) -> str:
    """One body element."""
    if block.kind == "h":
        return f'<h2 class="article__subheading">{esc(block.texts[0])}</h2>'
    if block.kind == "ul":
        items = "".join(f"<li>{esc(t)}</li>" for t in block.texts)
        return f'<ul class="article__list">{items}</ul>'
    if block.kind == "quote":
        return f'<blockquote class="article__pullquote"><p>{esc(block.texts[0])}</p></blockquote>'
    return f"<p>{esc(block.texts[0])}</p>"


def time_tag(dt: datetime, css: str, label: str = "") -> str:
    """A <time> element with a British-style date."""
    shown = f"{label}{day_month_year(dt)} {dt:%H.%M}"
    return f'<time class="{css}" datetime="{dt.isoformat()}">{shown}</time>'


def shell(title: str, head: str, main: str, tail: str, css: str) -> str:
    """The page frame: header, navigation, footer."""
    return f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)}</title>
{head}
<link rel="stylesheet" href="/static/css/main.4f2a9c.css">
<link rel="alternate" type="application/rss+xml" title="The Ledger: Opinion"
 href="/opinion/rss.xml">
</head>
<body class="{css}">
<a class="skip-link" href="#main">Skip to main content</a>
<header class="site-header">
<a class="site-header__logo" href="/">The Ledger</a>
<nav class="site-nav" aria-label="Sections"><ul class="site-nav__list">
<li class="site-nav__item"><a class="site-nav__link" href="/news/">News</a></li>
<li class="site-nav__item"><a class="site-nav__link" href="/opinion/">Opinion</a></li>
<li class="site-nav__item"><a class="site-nav__link" href="/sport/">Sport</a></li>
<li class="site-nav__item"><a class="site-nav__link" href="/search?q=">Search</a></li>
</ul></nav>
</header>
<main class="site-main" id="main">
{main}
</main>
<footer class="site-footer">
<ul class="site-footer__links"><li><a href="/opinion/rss.xml">RSS</a></li>
<li><a href="/private/staff/">Staff login</a></li></ul>
<p class="site-footer__copy">&copy; 2026 The Ledger Media Group</p>
</footer>
{tail}
</body>
</html>
"""


def news_article(a: Article, brand: str, image: str) -> dict[str, Any]:
    """The schema.org NewsArticle object, marking paywalled parts."""
    m = a.meta
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": m.headline,
        "description": m.standfirst,
        "author": [{"@type": "Person", "name": name} for name in m.authors],
        "datePublished": m.published.isoformat(),
        "dateModified": (m.modified or m.published).isoformat(),
        "articleSection": m.section,
        "keywords": list(m.tags),
        "wordCount": a.full_words,
        "inLanguage": "en-GB",
        "mainEntityOfPage": {"@type": "WebPage", "@id": m.url},
        "image": [image],
        "publisher": {"@type": "NewsMediaOrganization", "name": brand},
    }
    if a.jsonld_teaser:
        data["articleBody"] = a.jsonld_teaser
    if a.paywalled:
        data["isAccessibleForFree"] = False
        data["hasPart"] = {
            "@type": "WebPageElement",
            "isAccessibleForFree": False,
            "cssSelector": ".article__body--locked",
        }
    return data


def head(a: Article, brand: str, image: str) -> str:
    """Meta description, canonical link, OpenGraph and JSON-LD."""
    m = a.meta
    og = (
        ("og:type", "article"),
        ("og:title", m.headline),
        ("og:description", m.standfirst),
        ("og:url", m.url),
        ("og:site_name", brand),
        ("og:image", image),
    )
    metas = "\n".join(f'<meta property="{k}" content="{esc(v)}">' for k, v in og)
    return (
        f'<meta name="description" content="{esc(m.standfirst)}">\n'
        f'<link rel="canonical" href="{m.url}">\n{metas}\n{jsonld(news_article(a, brand, image))}'
    )


def header(a: Article) -> str:
    """Kicker, headline, standfirst, byline and dates."""
    m, ex = a.meta, a.extras
    authors = " and ".join(f'<span class="byline__author">{esc(n)}</span>' for n in m.authors)
    updated = time_tag(m.modified, "article__updated", "Updated ") if m.modified else ""
    count = (
        f'<a class="article__comment-count" href="#comments">{esc(ex.comment_count)}</a>'
        if ex.comment_count
        else ""
    )
    return f"""<header class="article__header">
<a class="article__kicker" href="/{SECTIONS[m.kind][1]}/">{m.section}</a>
<h1 class="article__headline">{esc(m.headline)}</h1>
<p class="article__standfirst">{esc(m.standfirst)}</p>
<div class="article__meta"><div class="byline">By {authors}</div>
{time_tag(m.published, "article__date")} {updated}</div>
{count}
</header>"""


def article(a: Article) -> str:
    """The <article> element: header, hero photo, body and footer."""
    ex = a.extras
    teasers = [
        f'<p class="article__inline-link"><strong>{esc(label)}</strong> '
        f'<a href="{t.url}">{esc(t.headline)}</a></p>'
        for label, t in ex.teasers
    ]
    body = interleave(a, body_block, widget(ex.mid, "c-support-banner", "inline"), teasers)
    figure = ""
    if ex.caption:
        figure = (
            f'<figure class="article__hero"><img src="/media/{a.meta.n}/hero.jpg" '
            f'alt="" width="1200" height="675"><figcaption class="article__caption">'
            f"{esc(ex.caption)}</figcaption></figure>"
        )
    locked = " article__body--locked" if a.paywalled else ""
    disclaimer = (
        f'<p class="article__disclaimer"><em>{esc(ex.disclaimer)}</em></p>' if ex.disclaimer else ""
    )
    share = (
        f'<div class="c-share"><span class="c-share__label">{esc(ex.share)}</span>'
        '<a class="c-share__link" href="#">Facebook</a><a class="c-share__link" '
        'href="#">Email</a></div>'
        if ex.share
        else ""
    )
    tags = "".join(f'<li class="article__tag">{esc(t)}</li>' for t in a.meta.tags)
    return f"""<article class="article article--{a.meta.kind}" data-id="{a.meta.n}">
{header(a)}
{figure}
<div class="article__body{locked}" itemprop="articleBody">
{body}
{widget(ex.end, "c-support-epic", "end")}
</div>
{widget(ex.paywall, "c-paywall", "article")}
<footer class="article__footer">{disclaimer}
<ul class="article__tags">{tags}</ul>{share}</footer>
</article>"""


def aside(ex: Extras) -> str:
    """Newsletter box, related columns and comments after the article."""
    parts = [widget(ex.newsletter, "c-newsletter", "article")]
    if ex.related:
        items = "".join(
            f'<li class="c-related__item"><a href="{m.url}">{esc(m.headline)}</a></li>'
            for m in ex.related
        )
        parts.append(
            f'<section class="c-related"><h2 class="c-related__title">'
            f"{esc(ex.related_heading or '')}</h2><ul>{items}</ul></section>"
        )
    if ex.comments:
        rows = "".join(
            f'<li class="c-comment"><p class="c-comment__author">{esc(c.author)}</p>'
            f'<span class="c-comment__time">{c.when}</span><div class="c-comment__'
            f'text"><p>{esc(c.text)}</p></div></li>'
            for c in ex.comments
        )
        parts.append(
            f'<section class="c-comments" id="comments"><h2 class="c-comments__title">'
            f"{esc(ex.comments_heading or '')}</h2><ol>{rows}</ol></section>"
        )
    return "\n".join(p for p in parts if p)
