"""Plain data records shared by the demo-site generator, renderers and truth writer."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

CONTENT_KINDS = ("opinion", "news", "sports")
BROKEN_KINDS = ("empty", "not_found", "server_error", "not_html")
KINDS = CONTENT_KINDS + BROKEN_KINDS


@dataclass(frozen=True, slots=True)
class Cast:
    """The fixed people, places and subject one article is written around."""

    lang: str
    topic: str
    places: tuple[str, ...]
    people: tuple[str, ...]
    year: int


@dataclass(frozen=True, slots=True)
class Block:
    """One body element: a paragraph, sub-heading, list or quote."""

    kind: str  # "p" | "h" | "ul" | "quote"
    texts: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PageMeta:
    """Everything known about an article URL before its body is written."""

    site: str
    short: str
    n: int
    kind: str
    cast: Cast
    headline: str
    standfirst: str
    path: str
    url: str
    published: datetime
    modified: datetime | None
    authors: tuple[str, ...]
    section: str
    tags: tuple[str, ...]
    revision: int = 0

    @property
    def id(self) -> str:
        """Stable identifier such as `ledger-00012`."""
        return f"{self.short}-{self.n:05d}"

    @property
    def lang(self) -> str:
        """ISO 639-1 language of the article."""
        return self.cast.lang

    @property
    def broken(self) -> bool:
        """True for URLs that answer with an error or non-article content."""
        return self.kind in BROKEN_KINDS


@dataclass(frozen=True, slots=True)
class Box:
    """A boilerplate widget: heading, text, buttons and (unlisted) one-word choices."""

    role: str  # "banner" | "mid" | "end" | "newsletter" | "paywall" | "cookie"
    heading: str
    paragraphs: tuple[str, ...] = ()
    buttons: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()

    def texts(self) -> list[str]:
        """Texts an extractor must drop; single words are too ambiguous to list."""
        items = [self.heading, *self.paragraphs, *self.buttons]
        return [t for t in items if len(t.split()) >= 2]


@dataclass(frozen=True, slots=True)
class Comment:
    """A reader comment below an article."""

    author: str
    when: str
    text: str


@dataclass(slots=True)
class Extras:
    """All boilerplate placed on one article page."""

    cookie: Box | None = None
    banner: Box | None = None
    mid: Box | None = None
    end: Box | None = None
    newsletter: Box | None = None
    paywall: Box | None = None
    disclaimer: str | None = None
    caption: str | None = None
    share: str | None = None
    comment_count: str | None = None
    related_heading: str | None = None
    teasers: tuple[tuple[str, PageMeta], ...] = ()  # (label, linked page)
    related: tuple[PageMeta, ...] = ()
    comments_heading: str | None = None
    comments: tuple[Comment, ...] = ()
    house: tuple[str, ...] = ()  # the publisher's own texts no rule knows (site_texts.py)

    def texts(self) -> list[str]:
        """Every boilerplate text of the page, in a stable order, without duplicates."""
        items: list[str] = []
        for box in (self.cookie, self.banner, self.mid, self.end, self.newsletter, self.paywall):
            items.extend(box.texts() if box else ())
        singles = (
            self.disclaimer,
            self.caption,
            self.share,
            self.comment_count,
            self.related_heading,
            self.comments_heading,
        )
        items.extend(t for t in singles if t)
        items.extend(f"{label} {meta.headline}" for label, meta in self.teasers)
        items.extend(m.headline for m in self.related)
        items.extend(c.text for c in self.comments)
        items.extend(self.house)
        return list(dict.fromkeys(items))


@dataclass(slots=True)
class Article:
    """A fully written article page: visible body blocks plus its boilerplate."""

    meta: PageMeta
    blocks: list[Block]
    extras: Extras
    paywalled: bool = False
    full_words: int = 0
    mid_after: int | None = None
    teaser_after: int | None = None
    jsonld_teaser: str = ""
    inserts: dict[int, tuple[str, ...]] = field(default_factory=dict)  # house texts after block i

    def body(self) -> str:
        """The truth body: blocks and list items separated by blank lines."""
        parts: list[str] = []
        for block in self.blocks:
            parts.extend(block.texts)
        return "\n\n".join(parts)
