"""Markup of demo-courier posts: a WordPress-like theme with block-editor classes."""

from __future__ import annotations

from crawler.demo.markup import esc, interleave, month_day_year
from crawler.demo.model import Article, Block, Box, Extras, PageMeta

CATEGORY = {
    "opinion": ("Columns", "columns"),
    "news": ("News", "news"),
    "sports": ("Sports", "sports"),
}


def group(box: Box | None, css: str) -> str:
    """A block-editor group holding an appeal, sign-up or paywall notice."""
    if box is None:
        return ""
    paras = "".join(f"<p>{esc(t)}</p>" for t in box.paragraphs)
    choices = "".join(
        f'<button class="freq-toggle" type="button">{esc(c)}</button>' for c in box.choices
    )
    if choices:
        choices = f'<div class="donation-frequency">{choices}</div>'
    form = ""
    if box.role == "newsletter":
        form = (
            '<form class="mc4wp-form" method="post"><input type="email" name="EMAIL" '
            'placeholder="Email address"></form>'
        )
    buttons = "".join(
        f'<div class="wp-block-button"><a class="wp-block-button__link" '
        f'href="/support/">{esc(b)}</a></div>'
        for b in box.buttons
    )
    return (
        f'<div class="wp-block-group {css} has-background"><div class="wp-block-group__'
        f'inner-container">\n<h3 class="wp-block-heading">{esc(box.heading)}</h3>{paras}'
        f'{form}{choices}<div class="wp-block-buttons">{buttons}</div>\n</div></div>'
    )


def body_block(block: Block) -> str:
    """One body element with block-editor classes."""
    if block.kind == "h":
        return f'<h2 class="wp-block-heading">{esc(block.texts[0])}</h2>'
    if block.kind == "ul":
        return (
            '<ul class="wp-block-list">'
            + "".join(f"<li>{esc(t)}</li>" for t in block.texts)
            + "</ul>"
        )
    if block.kind == "quote":
        return f'<blockquote class="wp-block-quote"><p>{esc(block.texts[0])}</p></blockquote>'
    return f"<p>{esc(block.texts[0])}</p>"


_MASTHEAD = """<header id="masthead" class="site-header"><div class="site-branding">
<p class="site-title"><a href="/" rel="home">The Courier</a></p>
<p class="site-description">Independent voices since 1987</p></div>
<nav id="site-navigation" class="main-navigation"><ul id="primary-menu" class="menu">
<li class="menu-item"><a href="/">Home</a></li>
<li class="menu-item"><a href="/category/news/">News</a></li>
<li class="menu-item"><a href="/category/columns/">Columns</a></li>
<li class="menu-item"><a href="/category/sports/">Sports</a></li></ul></nav>
</header>"""


def shell(title: str, head: str, main: str, sidebar: str, css: str) -> str:
    """The theme frame: masthead, menu, sidebar and colophon."""
    return f"""<!DOCTYPE html>
<html lang="en-US">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)} &#8211; The Courier</title>
<meta name="robots" content="max-image-preview:large">
{head}
<link rel="alternate" type="application/atom+xml" title="The Courier &raquo; Columns"
 href="/columns/feed/atom/">
<link rel="stylesheet" id="wp-block-library-css"
 href="/wp-includes/css/dist/block-library/style.min.css?ver=6.4.3" media="all">
</head>
<body class="{css}">
<div id="page" class="site">
<a class="skip-link screen-reader-text" href="#primary">Skip to content</a>
{_MASTHEAD}
<div id="content" class="site-content">
<div id="primary" class="content-area"><main id="main" class="site-main">
{main}
</main></div>
<aside id="secondary" class="widget-area">
{sidebar}
<section class="widget widget_meta"><h2 class="widget-title">Meta</h2><ul>
<li><a href="/wp-admin/">Log in</a></li><li><a href="/private/members/">Members area</a></li>
<li><a href="/columns/feed/atom/">Entries feed</a></li></ul></section>
</aside>
</div>
<footer id="colophon" class="site-footer">
<div class="site-info">The Courier &middot; Powered by a community of readers</div></footer>
</div>
</body>
</html>
"""


def head(m: PageMeta) -> str:
    """OpenGraph and article:* meta tags."""
    modified = (m.modified or m.published).isoformat()
    props = [
        ("og:locale", "en_US"),
        ("og:type", "article"),
        ("og:title", m.headline),
        ("og:description", m.standfirst),
        ("og:url", m.url),
        ("og:site_name", "The Courier"),
        ("article:published_time", m.published.isoformat()),
        ("article:modified_time", modified),
        ("article:section", m.section),
        *(("article:tag", t) for t in m.tags),
    ]
    lines = [f'<meta property="{k}" content="{esc(v)}">' for k, v in props]
    lines += [
        f'<meta name="description" content="{esc(m.standfirst)}">',
        f'<meta name="author" content="{esc(", ".join(m.authors))}">',
        f'<link rel="canonical" href="{m.url}">',
    ]
    return "\n".join(lines)


def entry_header(a: Article) -> str:
    """Entry title and the posted-on/byline meta line."""
    m = a.meta
    authors = ", ".join(f'<a class="url fn n" href="#">{esc(n)}</a>' for n in m.authors)
    count = a.extras.comment_count
    link = (
        f'<span class="comments-link"><a href="#comments">{esc(count)}</a></span>' if count else ""
    )
    return (
        f'<header class="entry-header"><h1 class="entry-title">{esc(m.headline)}</h1>\n'
        f'<div class="entry-meta"><span class="posted-on">Posted on <a href="{m.url}" '
        f'rel="bookmark"><time class="entry-date published" datetime="'
        f'{m.published.isoformat()}">{month_day_year(m.published)}</time></a></span> '
        f'<span class="byline">By <span class="author vcard">{authors}</span></span> '
        f"{link}</div></header>"
    )


def entry_content(a: Article) -> str:
    """The entry-content div with the body and everything plugins append to it."""
    ex = a.extras
    teasers = [
        f'<p class="read-more-inline"><strong>{esc(label)}</strong> <a href="{t.url}">'
        f"{esc(t.headline)}</a></p>"
        for label, t in ex.teasers
    ]
    parts = [interleave(a, body_block, group(ex.mid, "donation-inline"), teasers)]
    if ex.caption:
        parts.insert(
            0,
            f'<figure class="wp-block-image size-large"><img src="/wp-content/'
            f'uploads/{a.meta.n}.jpg" alt=""><figcaption class="wp-element-caption">'
            f"{esc(ex.caption)}</figcaption></figure>",
        )
    parts += [
        group(ex.paywall, "paywall-notice"),
        group(ex.end, "donation-epic"),
        group(ex.newsletter, "newsletter-signup"),
    ]
    if ex.disclaimer:
        parts.append(f'<p class="has-small-font-size disclaimer"><em>{esc(ex.disclaimer)}</em></p>')
    if ex.share:
        parts.append(
            f'<div class="sharedaddy sd-sharing-enabled"><div class="robots-nocontent '
            f'sd-block sd-social"><h3 class="sd-title">{esc(ex.share)}</h3><ul><li>'
            '<a class="share-twitter" href="#">Post</a></li></ul></div></div>'
        )
    if ex.related:
        items = "".join(f'<li><a href="{m.url}">{esc(m.headline)}</a></li>' for m in ex.related)
        parts.append(
            f'<div id="jp-relatedposts" class="jp-relatedposts"><h3 class="jp-'
            f'relatedposts-headline">{esc(ex.related_heading or "")}</h3><ul>{items}'
            "</ul></div>"
        )
    return '<div class="entry-content">\n' + "\n".join(p for p in parts if p) + "\n</div>"


def comments(ex: Extras) -> str:
    """The comments area with its reply form."""
    if not ex.comments:
        return ""
    rows = "".join(
        f'<li class="comment"><article class="comment-body"><footer class="comment-meta">'
        f'<div class="comment-author vcard"><b class="fn">{esc(c.author)}</b> <span '
        f'class="says">says:</span></div><div class="comment-metadata">{c.when}</div></footer>'
        f'<div class="comment-content"><p>{esc(c.text)}</p></div></article></li>'
        for c in ex.comments
    )
    return (
        f'<div id="comments" class="comments-area"><h2 class="comments-title">'
        f'{esc(ex.comments_heading or "")}</h2><ol class="comment-list">{rows}</ol>'
        '<div id="respond" class="comment-respond"><h3 class="comment-reply-title">Leave '
        'a Reply</h3><form class="comment-form"><textarea name="comment"></textarea>'
        "</form></div></div>"
    )
