"""The shortcuts that make extraction cheaper must not change what it finds."""

from __future__ import annotations

import pytest
import trafilatura
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree
from lxml.html import HtmlElement

from crawler.dataset.schema import ArticleRecord
from pipelines.extraction.core import extract
from pipelines.extraction.inert import strip_inert
from pipelines.extraction.markup import PHRASE_KINDS, TOKEN_KINDS, _may_name, _named_kind
from pipelines.extraction.page import Page
from pipelines.extraction.parse import parse_html

_PARAGRAPHS = "".join(
    f"<p>Paragraph {n} of the column weighs the council's budget line by line, and asks who "
    f"will pay for the new depot once the grant runs out in the spring of next year.</p>"
    for n in range(6)
)

_PAGES = [
    f"<!DOCTYPE html><html><head><title>T</title></head><body><article>{_PARAGRAPHS}"
    "</article></body></html>",
    # a doctype with a slash and a self-closing <html/>: libxml2 needs both repaired
    f'<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0//EN" "x.dtd/">\n<html lang="en"/>\n'
    f"<body><div>{_PARAGRAPHS}</div></body>",
    # an XML declaration with an encoding: lxml refuses it in a str, the bytes parse takes over
    f'<?xml version="1.0" encoding="utf-8"?>\n<html><body>{_PARAGRAPHS}</body></html>',
    # control characters that libxml2 rejects
    f"<html><body><p>Bell\x07 and form feed\x0c inside</p>{_PARAGRAPHS}</body></html>",
    # no <html> and a single block: not a page
    "<p>just one fragment</p>",
    f"<div>{_PARAGRAPHS}</div><div>second block</div>",
    "<form action='/s'><input type='email' name='e'><label>Mail</label></form>"
    f"<html><body>{_PARAGRAPHS}</body></html>",
]


def test_the_tree_is_the_one_trafilatura_builds() -> None:
    for page in _PAGES:
        ours, theirs = parse_html(page), trafilatura.load_html(page)
        assert (ours is None) == (theirs is None), page[:60]
        if ours is not None and theirs is not None:
            assert etree.tostring(ours) == etree.tostring(theirs), page[:60]


def test_utf8_bytes_parse_into_the_same_tree() -> None:
    """Valid UTF-8 pages are parsed from their bytes: same repairs, same tree, whatever charset
    a stale <meta> declares."""
    from pipelines.extraction.parse import parse_utf8

    cyrillic = (
        "<html><head><meta charset='windows-1251'></head><body><p>Привет, ёжик\x07</p>"
        f"{_PARAGRAPHS}</body></html>"
    )
    repairs = [
        _PAGES[0].replace("T<", "\ufffeT<"),
        _PAGES[0].replace("T<", "T\uffff<"),
        _PAGES[0].replace("T<", "T \u2764\ufe0f<"),  # the noncharacters' lead byte, no noncharacter
        _PAGES[0].replace("<html>", "\n<html>", 1),  # a doctype line without the slash
        _PAGES[1].replace("\n", " ", 1),  # the doctype with the slash on the only line
    ]
    for page in [*_PAGES, cyrillic, "\ufeff" + _PAGES[0], *repairs]:
        ours, reference = parse_utf8(page.encode()), parse_html(page)
        assert (ours is None) == (reference is None), page[:60]
        if ours is not None and reference is not None:
            assert etree.tostring(ours) == etree.tostring(reference), page[:60]


def test_only_exact_utf8_is_parsed_from_bytes() -> None:
    from pipelines.extraction.decode import decode

    good = f"<html><body><p>naïve café</p>{_PARAGRAPHS}</body></html>".encode()
    assert decode(good, "text/html; charset=utf-8").utf8 == good  # type: ignore[union-attr]
    assert decode(good, None).utf8 == good  # type: ignore[union-attr]
    broken = good.replace("ï".encode(), b"\xef")  # one bad byte: decoded with a replacement
    assert decode(broken, "text/html; charset=utf-8").utf8 is None  # type: ignore[union-attr]
    legacy = "<html><body><p>Привет</p></body></html>".encode("cp1251")
    assert decode(legacy, "text/html; charset=windows-1251").utf8 is None  # type: ignore[union-attr]
    bom = b"\xef\xbb\xbf" + good
    assert decode(bom, None).utf8 is None  # type: ignore[union-attr]


def test_every_element_is_a_plain_html_element() -> None:
    """lxml.html's Python-level class lookup (FormElement, InputElement ...) is not used:
    every element proxy is created by lxml's C lookup."""
    tree = parse_html(_PAGES[-1])
    assert tree is not None
    assert {type(node) for node in tree.iter()} == {HtmlElement}


def test_inert_elements_go_and_json_ld_and_tails_stay() -> None:
    tree = parse_html(
        '<html><head><script type=\'application/ld+json\'>{"@type": "NewsArticle"}</script>'
        "<script>window.state = {}</script><style>p {}</style></head><body>"
        "<p>Before <svg><title>Share icon</title><path d='M0'/></svg>after the icon.</p>"
        "<video><source src='v.mp4'>Your browser cannot play this video.</video>"
        "<script>track()</script>Tail text stays."
        "<map name='m'><area href='/x' alt='Region'></map><canvas>Chart</canvas></body></html>"
    )
    assert tree is not None
    strip_inert(tree)
    text = tree.text_content()
    assert "Share icon" not in text and "cannot play" not in text and "Chart" not in text
    assert "window.state" not in text and "track()" not in text and "p {}" not in text
    assert "Before after the icon." in text and "Tail text stays." in text
    assert len(tree.xpath("//script[@type='application/ld+json']")) == 1


def test_articles_with_icons_and_players_read_the_same() -> None:
    body = (
        "<html><body><article><h1>Depot</h1>"
        + _PARAGRAPHS.replace("line by line", "line by <svg><path d='M1'/></svg>line")
        + "<video>Your browser cannot play this video.</video></article></body></html>"
    )
    record = extract(Page(url="https://example.org/a", body=body.encode()))
    assert not isinstance(record, type(None))
    assert "cannot play" not in getattr(record, "text", "")
    assert getattr(record, "text", "").count("line by line") == 6


_WORDS = sorted({*TOKEN_KINDS, *(w for pair in PHRASE_KINDS for w in pair)})
_FILLER = ["menu", "item", "x1", "n1AuAdJlVL", "Grid", "head", "load", "badge", "col"]


def _styled(word: str, style: int) -> str:
    return (word, word.upper(), word.capitalize())[style]


@given(
    st.lists(
        st.tuples(st.sampled_from(_WORDS + _FILLER), st.integers(0, 2)), min_size=1, max_size=4
    ),
    st.sampled_from(["-", "_", " ", "__", "--", ""]),
)
def test_the_cheap_screen_never_hides_a_named_kind(parts: list[tuple[str, int]], sep: str) -> None:
    value = sep.join(_styled(word, style) for word, style in parts)
    if _named_kind(value):
        assert _may_name(value), value


def test_the_cheap_screen_keeps_every_camel_case_and_compound_name() -> None:
    words = _WORDS + _FILLER
    values = [
        f"{a}{b.capitalize()}" if i == 0 else f"{a.capitalize()}{b.capitalize()}"
        for a in words
        for b in words
        for i in (0, 1)
    ] + [f"{a}__{b}--x" for a in words for b in words]
    missed = [v for v in values if _named_kind(v) and not _may_name(v)]
    assert not missed


def _scoped_page(standfirst_in_main: bool) -> str:
    menu = "".join(f"<li><a href='/s{n}'>Section {n}</a></li>" for n in range(40))
    lead = (
        "<p class='lead'>The depot was promised twice, and twice the money went elsewhere; "
        "this time the council says the grant is ring-fenced.</p>"
    )
    header = f"<div class='article-top'><h1>Depot</h1>{lead}</div>"
    return (
        "<html><head><title>Depot</title><meta name='description' content='On the depot.'>"
        f"</head><body><header><nav><ul>{menu}</ul></nav></header>"
        f"<main>{header if standfirst_in_main else ''}<article>{_PARAGRAPHS}</article></main>"
        f"<footer><ul>{menu}</ul><p>Copyright line of the paper.</p></footer></body></html>"
    )


def test_the_finder_reads_the_article_element_that_holds_the_text() -> None:
    from lxml.html import tostring

    from pipelines.extraction.scope import article_container, as_document, paragraph_chars

    tree = parse_html(_scoped_page(standfirst_in_main=True))
    assert tree is not None
    before = tostring(tree)
    container = article_container(tree, paragraph_chars(tree))
    assert container is not None and container.tag == "main"  # the outermost, with its header
    with as_document(container) as scope:
        assert [child.tag for child in scope[0]] == ["main"]
        assert "Section 3" not in scope.text_content()
    assert tostring(tree) == before  # the page is whole again, the article where it was
    with pytest.raises(RuntimeError), as_document(container):
        raise RuntimeError("trafilatura failed")
    assert tostring(tree) == before


def test_a_page_whose_text_is_outside_any_article_element_is_read_whole() -> None:
    from pipelines.extraction.scope import article_container, paragraph_chars

    page = _scoped_page(standfirst_in_main=False).replace("<main>", "<main><p>" + "x " * 400)
    tree = parse_html(page.replace("</main>", "</p></main>" + _PARAGRAPHS * 2))
    assert tree is not None
    assert article_container(tree, paragraph_chars(tree)) is None


def test_a_subscribe_link_in_the_site_footer_does_not_flag_a_whole_article_paywalled() -> None:
    # the footer's menu reads like a paywall notice ("Subscribe now"); it is no part of the
    # article, which the page shows whole
    footer = (
        "<footer><div class='site-footer__subscribe'><a href='/about'>About us</a> "
        "<a href='/subscribe'>Subscribe now</a> <a href='/privacy'>Privacy policy</a> "
        "<a href='/terms'>Terms &amp; conditions</a></div></footer>"
    )
    page = _scoped_page(standfirst_in_main=True).replace("<footer>", footer + "<footer>")
    record = extract(Page(url="https://example.org/opinion/depot", body=page.encode()))
    assert isinstance(record, ArticleRecord)
    assert "Paragraph 5 of the column" in record.text
    assert record.paywalled is False


def test_a_long_removed_box_is_read_only_as_far_as_it_is_recorded() -> None:
    from pipelines.extraction.nodetext import spaced_text

    items = "".join(f"<li><a href='/t{n}'>Topic   number {n}</a></li>" for n in range(2000))
    menu = parse_html(f"<html><body><ul>{items}</ul><p>x</p></body></html>")
    assert menu is not None
    whole = spaced_text(menu)
    cut = spaced_text(menu, limit=1000)
    assert 1000 < len(cut) < len(whole) and whole.startswith(cut)
    short = parse_html("<html><body><div><p>Two</p><p>words</p></div><p>x</p></body></html>")
    assert short is not None
    assert spaced_text(short, limit=1000) == spaced_text(short) == "Two words x"


def test_a_kind_added_at_run_time_is_seen_after_forget_kinds() -> None:
    from pipelines.extraction import markup

    assert markup.kind_of("promo-sidecar") == "ad"
    assert markup.kind_of("zzwidget-box") is None
    markup.TOKEN_KINDS["zzwidget"] = "ad"
    try:
        markup.forget_kinds()
        assert markup.kind_of("zzwidget-box") == "ad"
    finally:
        del markup.TOKEN_KINDS["zzwidget"]
        markup.forget_kinds()
    assert markup.kind_of("zzwidget-box") is None


_GROWERS = [
    "Every spring the allotment society sends its members a letter about water, and every "
    "spring the letter says the same thing in fewer words than the year before.",
    "This year we asked the growers themselves what they wanted to know before the first "
    "sowing, and their questions filled most of a notebook kept in the shed.",
    "Here are the answers our oldest members gave, lightly edited, with their own advice on "
    "the beds, the butts and the long dry weeks of July.",
]
_ANSWERS = [
    ("How often should a new bed be watered?", "A new bed wants a long soak twice a week "
     "rather than a sprinkle every evening, because shallow watering keeps the roots near the "
     "surface where the summer heat finds them first."),
    ("Is rainwater better than tap water?", "Rainwater is softer and free, and the butts fill "
     "quickly in April, but tap water does the crops no harm if it stands for a day before it "
     "goes on the beds."),
    ("What about the greenhouse?", "Plants under glass dry out far faster than those outside, "
     "so the greenhouse crops need a check every morning and a drink whenever the top of the "
     "soil looks pale and cracked."),
    ("Can mulch replace watering?", "Mulch keeps the moisture in but cannot put it there: a "
     "layer of straw or compost goes down after a thorough soaking, never onto dry soil, and "
     "it is topped up in June."),
    ("Should seedlings be watered from above?", "Seedlings in trays drink best from below: "
     "stand the tray in a shallow bath for ten minutes, then let it drain, so the compost is "
     "wet through and the stems stay dry."),
    ("What if the plot floods?", "A plot that floods in winter needs raised beds and a trench "
     "along the lowest edge; dig it before the autumn rains, and line it with the stones that "
     "every spade turns up."),
]  # fmt: skip


def _faq_page(box_class: str) -> bytes:
    """A column whose middle is a questions-and-answers accordion, one <details> per answer."""
    faq = "".join(
        f"<details class='{box_class}'><summary>{q}</summary><p>{a}</p></details>"
        for q, a in _ANSWERS
    )
    intro = "".join(f"<p>{t}</p>" for t in _GROWERS)
    return (
        "<html><head><title>Watering</title></head><body><article><h1>Watering questions</h1>"
        f"{intro}<h2>From the plots</h2><div>{faq}</div>"
        "<p>The notebook stays in the shed for anyone with a question we have not answered "
        "yet, and the next letter will print the best of them.</p></article></body></html>"
    ).encode()


def test_an_accordion_pruned_for_its_class_is_not_lost_by_the_fast_path() -> None:
    """trafilatura's fast mode prunes a box whose class reads as a widget ("expandable"): most
    of the column's paragraphs, between text it kept. The full cascade must run and keep them."""
    for box_class in ("expandable qa-item", "qa-item"):
        record = extract(Page(url="https://example.org/water", body=_faq_page(box_class)))
        text = getattr(record, "text", "")
        assert all(answer[:40] in text for _, answer in _ANSWERS), box_class
        assert _GROWERS[0][:40] in text and "notebook stays in the shed" in text


def test_the_rest_of_an_article_inside_a_box_trafilatura_prunes_is_read_again() -> None:
    """A page builder's embed box (class "w-embed") holding most of the column, as broken
    markup leaves it: trafilatura prunes the box for its class and the full cascade does not
    bring it back; the box loses its class and the finder reads the page again."""
    rest = "".join(f"<h3>{q}</h3><p>{a}</p>" for q, a in _ANSWERS)
    intro = "".join(f"<p>{t}</p>" for t in _GROWERS)
    html = (
        "<html><head><title>Watering</title></head><body><article><h1>Watering questions</h1>"
        f"{intro}<div class='html-embed-7 w-embed'><style>table {{ width: 100% }}</style>"
        f"<div class='responsive'>{rest}</div></div></article></body></html>"
    )
    record = extract(Page(url="https://example.org/water", body=html.encode()))
    text = getattr(record, "text", "")
    assert all(answer[:40] in text for _, answer in _ANSWERS)
    assert _GROWERS[0][:40] in text


def _reference_lines(tree: HtmlElement) -> list[str]:
    """The header lines as the walk defines them, read whole: every text of the first nodes
    a reader sees, a <br> or block element starting a new line, whitespace collapsed, short
    lines only. What readers do not see (navigation, hidden elements, scripts) is emptied
    first, on a copy: an emptied block still ends a line."""
    from copy import deepcopy

    from pipelines.extraction.textmeta import _BLOCK_TAGS, _MAX_NODES, _UNSEEN_TAGS

    tree = deepcopy(tree)
    for node in list(tree.iter()):
        unseen = node.tag in _UNSEEN_TAGS or node.get("hidden") is not None
        if unseen and not any(a.tag == "emptied" for a in node.iterancestors()):
            block = node.tag in _BLOCK_TAGS
            node.clear(keep_tail=True)
            node.tag = "emptied"
            node.set("block", "1" if block else "")
    body = tree.find("body")
    pieces = []
    walk = etree.iterwalk(body if body is not None else tree, events=("start", "end"))
    for count, (event, node) in enumerate(walk):
        if count >= _MAX_NODES:
            break
        if event == "end":
            pieces.append(node.tail or "")
        elif node.tag == "emptied":
            pieces.append("\n" if node.get("block") else "")
        elif node.tag == "br" or node.tag in _BLOCK_TAGS:
            pieces.append("\n" + (node.text or ""))
        else:
            pieces.append(node.text or "")
    lines = (" ".join(line.split()) for line in "".join(pieces).split("\n"))
    return [line for line in lines if 4 <= len(line) <= 200]


@given(st.lists(st.sampled_from(["<br>", "<p>", "</p>", "<b>", "</b>", " ", "\n", "By Ann",
                                 "e Lee", "3 March 2024", "<div>", "</div>", "<nav>", "</nav>",
                                 "<span hidden>", "</span>", "<div hidden>", "<svg>x</svg>"]),
                min_size=0, max_size=400))  # fmt: skip
def test_header_lines_are_the_same_whatever_batch_they_fall_in(parts: list[str]) -> None:
    """Lines are split a batch of nodes at a time: a line across a batch's end stays whole."""
    from pipelines.extraction.textmeta import _chunks

    tree = parse_html(f"<html><body><div>{''.join(parts)}</div><p>end</p></body></html>")
    assert tree is not None
    assert list(_chunks(tree)) == _reference_lines(tree)


def test_a_byline_across_the_end_of_a_batch_of_nodes_is_read_whole() -> None:
    from pipelines.extraction.textmeta import _BATCH_NODES, text_byline

    # each menu item is four walk events: one of these menus ends a batch inside the byline
    for items in range(_BATCH_NODES // 4 - 2, _BATCH_NODES // 4 + 2):
        menu = "".join(f"<li><a href='/s{n}'>Section {n}</a></li>" for n in range(items))
        page = f"<html><body><ul>{menu}</ul><p>By <b>Ann</b> Lee</p>{_PARAGRAPHS}</body></html>"
        tree = parse_html(page)
        assert tree is not None
        assert text_byline(tree) == ["Ann Lee"], items


def test_a_byline_and_date_after_a_menu_longer_than_the_walk_are_found() -> None:
    # a mega-menu, and its hidden panels, before the headline: more nodes than the walk reads
    from pipelines.extraction.textmeta import _MAX_NODES, text_byline, text_dates

    items = "".join(f"<li><a href='/s{n}'>Section {n}</a></li>" for n in range(_MAX_NODES))
    panel = f"<div class='panel' hidden><ul>{items}</ul></div>"
    for menu in (f"<nav><ul>{items}</ul></nav>", f"<div class='menu'>{panel}</div>"):
        page = (f"<html><body>{menu}<h1>On bridges</h1><p>By Ann Lee</p><p>3 March 2024</p>"
                f"{_PARAGRAPHS}</body></html>")  # fmt: skip
        tree = parse_html(page)
        assert tree is not None
        assert text_byline(tree) == ["Ann Lee"]
        assert text_dates(tree)[0] is not None


def test_a_by_line_no_reader_sees_is_no_byline() -> None:
    # a hidden filter panel's "By ..." label, and a hidden span inside the real byline
    from pipelines.extraction.textmeta import text_byline

    page = (
        "<html><body><div class='filters' hidden><p>By Event Type</p></div><h1>On bridges</h1>"
        f"<p>By <span hidden>staff</span>Ann Lee</p>{_PARAGRAPHS}</body></html>"
    )
    tree = parse_html(page)
    assert tree is not None
    assert text_byline(tree) == ["Ann Lee"]


@given(st.lists(st.sampled_from(["word", "two words", " ", "\n\t", "\xa0", "<b>", "</b>",
                                 "<span>x</span>", "<i> y </i>", "z<br>z"]),
                min_size=0, max_size=200),
       st.integers(0, 40))  # fmt: skip
def test_capped_word_counts_agree_with_the_whole_text(parts: list[str], limit: int) -> None:
    """Words that run across element boundaries count once; past the limit any larger count."""
    from pipelines.extraction.widgets import _words_up_to

    tree = parse_html(f"<html><body><div>{''.join(parts)}</div><p>x</p></body></html>")
    assert tree is not None
    box = tree.find(".//div")
    assert box is not None
    words = len(box.text_content().split())
    counted = _words_up_to(box, limit)
    assert counted == words if words <= limit else counted > limit


def test_a_hidden_panel_keeps_a_long_item_however_its_words_are_spaced() -> None:
    from pipelines.extraction.hidden import strip_hidden

    long_item = "\xa0".join(f"w{n}" for n in range(13)) + "\n\t " + " ".join("v" * 12)
    page = (
        "<html><body><div hidden><ul><li>Home</li><li>News</li></ul></div>"
        f"<div style='display:none'><ul><li>Home</li><li>{long_item}</li></ul></div>"
        f"{_PARAGRAPHS}</body></html>"
    )
    tree = parse_html(page)
    assert tree is not None
    removed = strip_hidden(tree)
    assert [r.text for r in removed] == ["Home News"]
    assert "w12" in tree.text_content()


def test_meta_links_and_json_ld_in_the_body_are_read() -> None:
    from pipelines.extraction.metadata import read_metadata

    page = (
        "<html><head><title>Depot budget</title></head><body>"
        "<link rel='canonical' href='https://example.org/depot'>"
        "<meta property='article:author' content='Ann Lee'>"
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Depot"}'
        f"</script><article>{_PARAGRAPHS}</article></body></html>"
    )
    tree = parse_html(page)
    assert tree is not None
    meta = read_metadata(tree)
    assert meta.canonical == ["https://example.org/depot"]
    assert meta.authors == ["Ann Lee"] and meta.title == "Depot"


@given(
    st.lists(st.sampled_from(["a", "é", "\x00", "\x07", "\x0b", "\x0c", "\t", "\n", "\x7f", "\x85",
                              "\x9f", "\xa0", "\ufffd", "\u2019", "Ж"]), max_size=80),
    st.booleans(),
)  # fmt: skip
def test_the_garbage_screen_rejects_exactly_what_the_count_rejects(
    chars: list[str], with_bytes: bool
) -> None:
    """The byte-level bound decides alone only when the exact count could not reject."""
    from pipelines.extraction import decode

    text = "".join(chars)
    decoded = decode.Decoded(text, "utf-8", "http", text.encode() if with_bytes else None)
    sample = text[:40]  # a short sample, as a long page's first 200,000 characters are one
    garbage = len(decode._GARBAGE.findall(sample))
    rejected = bool(sample) and garbage / len(sample) > decode._MAX_GARBAGE_SHARE
    original = decode._SAMPLE_CHARS
    decode._SAMPLE_CHARS = 40
    try:
        result = decode._checked(decoded)
    finally:
        decode._SAMPLE_CHARS = original
    assert isinstance(result, decode.Decoded) != rejected


def _spaced_text_reference(node: HtmlElement, limit: int | None = None) -> str:
    """spaced_text as it was written over itertext(), piece by piece."""
    from pipelines.extraction.nodetext import clean_text

    if limit is None:
        return clean_text(" ".join(node.itertext()))
    pieces: list[str] = []
    read, check_at = 0, 2 * limit
    for piece in node.itertext():
        pieces.append(piece)
        read += len(piece) + 1
        if read > check_at:
            text = clean_text(" ".join(pieces))
            if len(text) > limit:
                return text
            check_at = 2 * read
    return clean_text(" ".join(pieces))


@pytest.mark.parametrize("limit", [None, 20, 500])
def test_spaced_text_reads_the_same_pieces_as_itertext(limit: int | None) -> None:
    from pipelines.extraction.nodetext import spaced_text

    html = (
        "<html><body><div id='box'>Lead <b>bold</b>tail<!-- a comment -->after comment"
        "<?php echo 1 ?>after pi<script>var state = {a: 1};</script><ul>"
        + "".join(f"<li><a href='/t{n}'>Topic&nbsp;{n}</a>&#8203;sep{n}</li>" for n in range(60))
        + "</ul><p>Brenn\u00adpunkt &amp; more<br>line two</p><template><p>kept?</p></template>"
        "<svg><text>drawn</text></svg></div>outer tail<p>x</p></body></html>"
    )
    tree = parse_html(html)
    assert tree is not None
    for node in tree.iter():
        if isinstance(node.tag, str):
            assert spaced_text(node, limit) == _spaced_text_reference(node, limit), node.tag
