"""Plan article URLs (kind, headline, dates) and write their bodies and boilerplate."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import timedelta
from typing import TYPE_CHECKING

from crawler.demo import words_en, words_ru
from crawler.demo.boilerplate import make_extras
from crawler.demo.model import Article, Block, PageMeta
from crawler.demo.site_texts import house_texts, place_house_texts
from crawler.demo.text import (
    compose_body,
    full_name,
    make_cast,
    slugify,
    split_sentences,
    writer_for,
)

if TYPE_CHECKING:
    from crawler.demo.publisher import Publisher

TOPICS = ("housing", "transport", "schools", "health", "climate", "budget", "culture", "technology")
META_TOPICS = ("donations", "paywalls", "newsletters")
# Broken URLs sit at fixed positions so every publisher has some even on a small site.
_BROKEN_AT = {5: "empty", 9: "not_found", 12: "server_error", 15: "not_html"}
_FIXED_KINDS = {0: "opinion", 1: "news", 2: "sports"}


def page_rng(seed: int, short: str, n: int, purpose: str) -> random.Random:
    """A random stream owned by one page and purpose, independent of site size."""
    return random.Random(f"{seed}:{short}:{n}:{purpose}")


def kind_of(n: int, rng: random.Random) -> str:
    """The kind of the n-th URL of a publisher."""
    if n % 97 in _BROKEN_AT:
        return _BROKEN_AT[n % 97]
    if n in _FIXED_KINDS:
        return _FIXED_KINDS[n]
    x = rng.random()
    return "opinion" if x < 0.76 else "news" if x < 0.88 else "sports"


def _topic(kind: str, rng: random.Random) -> str:
    if kind == "sports":
        return "sports"
    if kind == "opinion" and rng.random() < 0.1:
        return rng.choice(META_TOPICS)
    return rng.choice(TOPICS)


def plan_page(pub: Publisher, n: int, seed: int, revision: int = 0) -> PageMeta:
    """Everything about the n-th URL of a publisher that listings and feeds need."""
    rng = page_rng(seed, pub.short, n, "plan")
    kind = kind_of(n, rng)
    lang = pub.pick_language(rng)
    topic = _topic(kind, rng)
    published = pub.base_time - timedelta(hours=6 * n, minutes=rng.randrange(0, 300))
    cast = make_cast(rng, lang, topic, published.year)
    writer = writer_for(rng, cast)
    headline = writer.headline(kind if kind in ("news", "sports") else "opinion")
    standfirst = writer.standfirst()
    authors = tuple(full_name(rng, lang) for _ in range(2 if rng.random() < 0.1 else 1))
    modified = None
    if rng.random() < 0.35:
        modified = published + timedelta(minutes=rng.randrange(20, 600))
    if revision:
        modified = published + timedelta(days=revision, hours=3)
    labels = (words_ru if lang == "ru" else words_en).TOPIC_LABELS
    tags = tuple(dict.fromkeys((labels[topic], cast.places[0])))
    path = pub.article_path(kind, n, slugify(headline), published)
    return PageMeta(
        site=pub.name,
        short=pub.short,
        n=n,
        kind=kind,
        cast=cast,
        headline=headline,
        standfirst=standfirst,
        path=path,
        url=pub.url(path),
        published=published,
        modified=modified,
        authors=authors,
        section=pub.section(kind, lang),
        tags=tags,
        revision=revision,
    )


def build_article(
    pub: Publisher, meta: PageMeta, seed: int, older: Sequence[PageMeta], site_texts: bool = False
) -> Article:
    """Write the body and choose the boilerplate of a content page (and its house texts)."""
    rng = page_rng(seed, pub.short, meta.n, "body")
    writer = writer_for(rng, meta.cast)
    size = rng.random()
    low, high = (300, 420) if size < 0.2 else (450, 800) if size < 0.75 else (800, 1350)
    target = rng.randint(low, high)
    blocks = compose_body(writer, rng, target)
    full_words = sum(len(t.split()) for b in blocks for t in b.texts)
    paywalled = meta.kind == "opinion" and rng.random() < 0.12
    if paywalled:
        blocks = _visible_part(blocks, rng.randint(3, 5))
    if meta.revision:
        blocks = _revise(blocks, page_rng(seed, pub.short, meta.n, f"rev{meta.revision}"), meta)
    related = [m for m in older if m.kind == meta.kind]
    extras_rng = page_rng(seed, pub.short, meta.n, "extras")
    extras = make_extras(
        extras_rng,
        writer_for(extras_rng, meta.cast),
        meta,
        pub.brand_for(meta.lang),
        related,
        paywalled,
    )
    inserts: dict[int, tuple[str, ...]] = {}
    if site_texts:
        house = house_texts(seed, pub.short, meta.lang, pub.brand_for(meta.lang))
        house_rng = page_rng(seed, pub.short, meta.n, "house")
        blocks, inserts = place_house_texts(
            house_rng, house, blocks, meta.authors[0], meta.kind == "opinion"
        )
        extras.house = tuple(t for texts in inserts.values() for t in texts)
    paragraphs = [i for i, b in enumerate(blocks[:-1]) if b.kind == "p" and i >= 1]
    article = Article(meta, blocks, extras, paywalled, full_words, inserts=inserts)
    if paragraphs:
        article.mid_after = extras_rng.choice(paragraphs)
        article.teaser_after = extras_rng.choice(paragraphs)
    if extras_rng.random() < 0.4:
        article.jsonld_teaser = split_sentences(blocks[0].texts[0])[0]
    return article


def _visible_part(blocks: list[Block], keep: int) -> list[Block]:
    """The blocks a paywall leaves visible, never ending on a sub-heading."""
    visible = blocks[:keep]
    while len(visible) > 1 and visible[-1].kind != "p":
        visible.pop()
    return visible


def _revise(blocks: list[Block], rng: random.Random, meta: PageMeta) -> list[Block]:
    """An edited version: one paragraph rewritten and a closing paragraph replaced."""
    writer = writer_for(rng, meta.cast)
    paragraphs = [i for i, b in enumerate(blocks) if b.kind == "p"]
    revised = list(blocks)
    for index in {paragraphs[min(1, len(paragraphs) - 1)], paragraphs[-1]}:
        revised[index] = Block("p", (writer.paragraph(rng.randint(2, 4)),))
    return revised
