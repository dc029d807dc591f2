"""Choose the boilerplate (appeals, sign-ups, notices, comments) placed on an article page."""

from __future__ import annotations

import random
from collections.abc import Sequence

from crawler.demo import boilerplate_en, boilerplate_ru
from crawler.demo.model import Box, Comment, Extras, PageMeta
from crawler.demo.text import Writer

# Chance of each element per page kind; news and sport pages carry less.
_ODDS = {
    "opinion": dict(
        cookie=0.8,
        banner=0.7,
        mid=0.45,
        end=0.6,
        newsletter=0.6,
        disclaimer=0.8,
        caption=0.6,
        teasers=0.5,
        related=0.8,
        share=0.7,
        count=0.6,
        comments=0.5,
    ),
    "other": dict(
        cookie=0.8,
        banner=0.4,
        mid=0.1,
        end=0.3,
        newsletter=0.4,
        disclaimer=0.0,
        caption=0.7,
        teasers=0.4,
        related=0.6,
        share=0.6,
        count=0.3,
        comments=0.2,
    ),
}
_AMOUNTS = {"en": ("$2", "$3", "$5", "$7", "$10"), "ru": ("99", "150", "300", "500")}


class Filler:
    """Fills boilerplate templates for one page from its own random stream."""

    def __init__(self, rng: random.Random, lang: str, brand: str) -> None:
        self.r = rng
        self.lang = lang
        self.brand = brand
        self.mod = boilerplate_ru if lang == "ru" else boilerplate_en

    def number(self, low: int, high: int) -> str:
        """A reader count, with thousands separators in English."""
        value = self.r.randrange(low, high, 7)
        return f"{value:,}" if self.lang == "en" else str(value)

    def pick(self, pool: str) -> str:
        """A random template from a pool with its placeholders filled."""
        template = self.r.choice(self.mod.POOLS[pool])
        if "{" not in template:
            return template
        values = dict(
            brand=self.brand,
            n=self.number(1200, 90000),
            m=self.number(90000, 200000),
            pct=self.r.randint(18, 71),
            month=self.r.choice(self.mod.MONTHS),
            region=self.r.choice(self.mod.REGIONS),
            day=self.r.choice(self.mod.DAYS),
            amount=self.r.choice(_AMOUNTS[self.lang]),
            newsletter=self.r.choice(self.mod.POOLS["newsletter_name"]),
            k=self.r.randint(2, 240),
        )
        return template.format(**values)

    def appeal(self, role: str, short: bool, widget: bool) -> Box:
        """A donation appeal, optionally with a payment-frequency widget."""
        texts = (self.pick("appeal_short"),) if short else self._distinct("appeal_text", 2)
        buttons = [self.pick("appeal_button")]
        choices: tuple[str, ...] = ()
        if widget:
            texts = (*texts, self.pick("widget_prompt"))
            choices = self.mod.POOLS["widget_choice"]
            buttons.append(self.pick("remind"))
        return Box(role, self.pick("appeal_heading"), texts, tuple(buttons), choices)

    def _distinct(self, pool: str, count: int) -> tuple[str, ...]:
        texts: list[str] = []
        for _ in range(count * 3):
            text = self.pick(pool)
            if text not in texts:
                texts.append(text)
            if len(texts) == count:
                break
        return tuple(texts)

    def box(self, role: str, prefix: str, small: bool = True) -> Box:
        """A newsletter, cookie or paywall box from its pools."""
        texts = [self.pick(f"{prefix}_text")]
        if small and f"{prefix}_small" in self.mod.POOLS:
            texts.append(self.pick(f"{prefix}_small"))
        return Box(
            role, self.pick(f"{prefix}_heading"), tuple(texts), (self.pick(f"{prefix}_button"),)
        )


def make_extras(
    rng: random.Random,
    writer: Writer,
    meta: PageMeta,
    brand: str,
    related: Sequence[PageMeta],
    paywalled: bool,
) -> Extras:
    """All boilerplate for one page, drawn from `rng` so it is fixed by the seed."""
    odds = _ODDS["opinion" if meta.kind == "opinion" else "other"]
    fill = Filler(rng, meta.lang, brand)
    hit = {name: rng.random() < chance for name, chance in odds.items()}
    widget_on_end = rng.random() < 0.5
    ex = Extras()
    if hit["cookie"]:
        ex.cookie = Box("cookie", fill.pick("cookie_text"), (), (fill.pick("cookie_button"),))
    if hit["banner"]:
        ex.banner = fill.appeal("banner", short=True, widget=not widget_on_end)
    if hit["mid"] and not paywalled:
        ex.mid = fill.appeal("mid", short=True, widget=False)
    if hit["end"] and not paywalled:
        ex.end = fill.appeal("end", short=False, widget=widget_on_end)
    if hit["newsletter"]:
        ex.newsletter = fill.box("newsletter", "newsletter")
    if paywalled:
        ex.paywall = fill.box("paywall", "paywall", small=False)
    ex.disclaimer = fill.pick("disclaimer") if hit["disclaimer"] else None
    ex.caption = f"{writer.caption()} {writer.credit()}" if hit["caption"] else None
    ex.share = fill.pick("share") if hit["share"] else None
    _add_links(ex, rng, fill, related, hit["teasers"] and not paywalled, hit["related"])
    _add_comments(ex, rng, fill, writer, hit["count"], hit["comments"] and not paywalled)
    return ex


def _add_links(
    ex: Extras,
    rng: random.Random,
    fill: Filler,
    related: Sequence[PageMeta],
    teasers: bool,
    listed: bool,
) -> None:
    """ "Read more" teasers inside the body and a related-articles list outside it."""
    if not related:
        return
    if teasers:
        picks = rng.sample(list(related), k=min(len(related), rng.choice((1, 1, 2))))
        ex.teasers = tuple((fill.pick("teaser_label"), m) for m in picks)
    if listed:
        ex.related_heading = fill.pick("related_heading")
        ex.related = tuple(rng.sample(list(related), k=min(len(related), rng.randint(3, 5))))


def _add_comments(
    ex: Extras, rng: random.Random, fill: Filler, writer: Writer, count: bool, shown: bool
) -> None:
    """A comment-count line and a few reader comments."""
    if count:
        ex.comment_count = fill.pick("comment_count")
    if shown:
        ex.comments_heading = fill.pick("comments_heading")
        ex.comments = tuple(
            Comment(
                writer.person(),
                _ago(rng.randint(1, 23), fill.lang),
                writer.paragraph(rng.randint(1, 2)),
            )
            for _ in range(rng.randint(2, 5))
        )


def _ago(hours: int, lang: str) -> str:
    """A relative comment time."""
    return f"{hours} ч. назад" if lang == "ru" else f"{hours}h ago"
