"""Page weight: wrap demo article pages in what real ones carry (100-250 KB), truth unchanged.

A real article page is mostly not the article: head scripts and stylesheets, an inline JSON
state blob (which repeats the article and the site's navigation), a mega-menu, ad slots, a
related-articles grid and a long footer. `weigh()` adds these around a rendered page, in
markup an extractor must skip; the article's own markup and text are left untouched, so
the site's truth stays exact. Site-wide parts are built once per publisher, as a real
site's template is, and only the state blob and related grid change per page.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache

from crawler.demo import words_en
from crawler.demo.chance import Chance
from crawler.demo.markup import esc
from crawler.demo.model import Article, PageMeta
from crawler.demo.publisher import Publisher, SiteFile

__all__ = ["WEIGHTS", "weigh"]

WEIGHTS = ("light", "real")  # light: the demo's own ~10 KB pages; real: 100-250 KB
RELATED_CARDS = 12
_BODY_OPEN = re.compile(r"<body[^>]*>", re.IGNORECASE)
_SECTIONS = ("News", "Opinion", "Business", "Climate", "Culture", "Sport", "Travel",
             "Science", "Money", "Lifestyle")  # fmt: skip
_JS_WORDS = ("render", "hydrate", "consent", "slot", "track", "queue", "lazy", "observe",
             "prefetch", "bundle", "session", "metric", "variant", "paywall", "beacon")  # fmt: skip


def weigh(
    pub: Publisher, page: SiteFile, article: Article, neighbours: Sequence[PageMeta], seed: int
) -> SiteFile:
    """The article page with real-page weight added around it."""
    html = page.body.decode(pub.encoding)
    rng = random.Random(f"{seed}:{pub.short}:{article.meta.n}:weight")
    head, menu, footer = _chrome(pub.short, pub.brand, seed)
    cards = _related(rng, article.meta, neighbours)
    tail = f"{_ad_slot('bottom', 2)}\n{cards}\n{footer}\n{_state(rng, article, cards)}"
    html = html.replace("</head>", f"{head}\n</head>", 1)
    html = _BODY_OPEN.sub(lambda m: f"{m.group(0)}\n{_ad_slot('top', 1)}\n{menu}", html, count=1)
    html = html.replace("</body>", f"{tail}\n</body>", 1)
    return replace(page, body=pub.encode(html))


@lru_cache(maxsize=8)
def _chrome(short: str, brand: str, seed: int) -> tuple[str, str, str]:
    """The publisher's site-wide head, mega-menu and footer (the same on every page)."""
    rng = random.Random(f"{seed}:{short}:chrome")
    pick = Chance(rng)
    scale = {"ledger": 1.25, "courier": 1.0, "gazette": 0.8}.get(short, 1.0)
    head = "\n".join((_links(short), _style(pick, int(320 * scale)),
                      _scripts(pick, int(60 * scale))))  # fmt: skip
    return head, _mega_menu(pick, brand), _footer(pick, brand)


def _links(short: str) -> str:
    preloads = "\n".join(
        f'<link rel="preload" href="/assets/{short}/{name}.{k:x}a9.js" as="script">'
        for k, name in enumerate(("runtime", "vendor", "app", "article", "ads", "consent"))
    )
    return (
        '<link rel="preconnect" href="https://cdn.assets.example">\n'
        '<link rel="dns-prefetch" href="https://ads.example">\n'
        f'<link rel="icon" href="/favicon-32.png" sizes="32x32">\n{preloads}'
    )


def _class(pick: Chance) -> str:
    return f"{pick.pick(words_en.NOUNS)}-{pick.pick(words_en.ADJECTIVES)}".replace("'", "")


def _style(pick: Chance, rules: int) -> str:
    """A critical-CSS block of `rules` BEM-style rules with media queries."""
    out = []
    for _ in range(rules):
        block, element = _class(pick), pick.pick(words_en.NOUNS)
        out.append(
            f".c-{block}__{element}--{pick.pick(words_en.ADJECTIVES)},.c-{block}>a:hover"
            f"{{margin:{pick.between(0, 32)}px {pick.between(0, 24)}px;color:#"
            f"{pick.between(0, 0xFFFFFF):06x};font:{pick.between(12, 22)}px/1.{pick.between(2, 6)}"
            f" var(--font-{element});transition:opacity .{pick.between(1, 4)}s ease}}"
            f"@media (min-width:{pick.between(36, 90)}em){{.c-{block}{{display:grid;grid-"
            f"template-columns:repeat({pick.between(2, 6)},1fr);gap:{pick.between(4, 24)}px}}}}"
        )
    return f"<style>{''.join(out)}</style>"


def _scripts(pick: Chance, functions: int) -> str:
    """Inline minified-looking bundles: a loader, analytics and ad configuration."""
    body = []
    for k in range(functions):
        a, b = pick.pick(_JS_WORDS), pick.pick(_JS_WORDS)
        body.append(
            f'{a}{k}:function(e,t,n){{"use strict";var r=n({pick.between(100, 999)}),o=n.n(r),'
            f"i=function(e){{return e&&e.__esModule?e:{{default:e}}}};t.{b}=function(e){{if(!e)"
            f'return o()("{a}:{b}");for(var t=0;t<e.length;t++)window.__q.push(["{b}",e[t],'
            f"{pick.between(0, 9999)}]);return i(e).default}};t.{a}{b.title()}=function(){{return "
            f'document.querySelectorAll("[data-{a}]").forEach(function(e){{e.dataset.{b}="'
            f'{pick.between(0, 0xFFFF):x}"}})}}}}'
        )
    config = json.dumps({
        "site": pick.pick(words_en.NOUNS), "env": "production", "release": pick.between(1, 9999),
        "slots": [{"id": f"slot-{k}", "sizes": [[300, 250], [728, 90]]} for k in range(24)],
    })  # fmt: skip
    return (
        f"<script>window.__q=window.__q||[];(self.webpackChunk=self.webpackChunk||[]).push([[1],"
        f"{{{','.join(body)}}}]);</script>\n"
        f"<script>window.adConfig={config};</script>\n"
        '<script async src="https://ads.example/tag/js/gpt.js"></script>\n'
        '<noscript><img src="https://metrics.example/pixel.gif?noscript=1" alt=""></noscript>'
    )


def _mega_menu(pick: Chance, brand: str) -> str:
    """A header menu with a panel per section: columns of links and a featured teaser."""
    panels = []
    for section in _SECTIONS:
        columns = "".join(
            "<ul class=\"mega-menu__column\">" + "".join(
                f'<li><a href="/{section.lower()}/{_class(pick)}/">'
                f"{pick.pick(words_en.ADJECTIVES).title()} {pick.pick(words_en.NOUNS)}</a></li>"
                for _ in range(9)
            ) + "</ul>"
            for _ in range(3)
        )  # fmt: skip
        teaser = (
            f'<div class="mega-menu__featured"><a href="/{section.lower()}/featured/">'
            f'<img src="/img/menu/{section.lower()}.jpg" alt="" loading="lazy">'
            f"<span>The {pick.pick(words_en.ADJECTIVES)} {pick.pick(words_en.NOUNS)} "
            f"everyone in {section.lower()} is talking about</span></a></div>"
        )
        panels.append(
            f'<li class="mega-menu__item"><button class="mega-menu__toggle" aria-expanded="false">'
            f'{section}</button><div class="mega-menu__panel" hidden>{columns}{teaser}</div></li>'
        )
    return (
        f'<nav class="mega-menu" aria-label="{esc(brand)} sections"><ul class="mega-menu__list">'
        f"{''.join(panels)}</ul></nav>"
    )


def _footer(pick: Chance, brand: str) -> str:
    """A fat footer: link columns, app badges, legal small print."""
    columns = "".join(
        f'<div class="global-footer__column"><h4>{heading}</h4><ul>'
        + "".join(
            f'<li><a href="/{heading.lower()}/{_class(pick)}">'
            f"{pick.pick(words_en.NOUNS).title()} {pick.pick(words_en.NOUNS)}</a></li>"
            for _ in range(12)
        )
        + "</ul></div>"
        for heading in ("Sections", "Services", "Company", "Help", "Legal")
    )
    legal = (
        f"&copy; 2026 {esc(brand)}. All rights reserved. Use of this site constitutes "
        "acceptance of our Terms of Use and Privacy Notice. Your privacy choices: we and our "
        "partners process data to provide and improve our services, measure audiences and "
        "show you relevant advertising. Registered office and company number on request."
    )
    return (
        f'<div class="global-footer" role="contentinfo">{columns}'
        '<div class="global-footer__apps"><a href="/apps/ios">App Store</a> '
        f'<a href="/apps/android">Google Play</a></div><small>{legal}</small></div>'
    )


def _ad_slot(name: str, k: int) -> str:
    return (
        f'<div class="ad-slot ad-slot--{name}" data-ad-unit="/{k}/site/{name}" aria-hidden="true">'
        f'<span class="ad-slot__label">Advertisement</span><div id="gpt-ad-{name}-{k}"></div></div>'
    )


def _related(rng: random.Random, meta: PageMeta, neighbours: Sequence[PageMeta]) -> str:
    """A grid of teaser cards for other articles of the publisher."""
    others = [m for m in neighbours if m.n != meta.n and not m.broken]
    chosen = rng.sample(others, min(RELATED_CARDS, len(others)))
    cards = "".join(
        f'<div class="teaser-card"><a class="teaser-card__link" href="{m.url}">'
        f'<img src="/img/cards/{m.n}.jpg" alt="" width="320" height="180" loading="lazy">'
        f'<h3 class="teaser-card__headline">{esc(m.headline)}</h3></a>'
        f'<p class="teaser-card__standfirst">{esc(m.standfirst)}</p></div>'
        for m in chosen
    )
    return (
        '<section class="related-grid" aria-label="More stories"><h2>More stories</h2>'
        f'<div class="related-grid__cards">{cards}</div></section>'
    )


def _state(rng: random.Random, article: Article, cards: str) -> str:
    """The inline JSON state of a client-rendered page: article, layout, feature flags."""
    meta = article.meta
    state = {
        "page": {"type": "article", "id": meta.id, "section": meta.section, "url": meta.url},
        "article": {
            "headline": meta.headline,
            "standfirst": meta.standfirst,
            "authors": list(meta.authors),
            "tags": list(meta.tags),
            "blocks": [{"type": b.kind, "text": list(b.texts)} for b in article.blocks],
        },
        "relatedHtml": cards,
        "flags": {
            f"exp_{k}_{rng.randrange(10**6)}": rng.random() < 0.5
            for k in range(rng.randint(200, 1200))
        },
        "metrics": [[rng.randrange(10**9), rng.random()] for _ in range(rng.randint(50, 1000))],
    }
    payload = json.dumps(state, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    return f'<script id="__APP_STATE__" type="application/json">{payload}</script>'
