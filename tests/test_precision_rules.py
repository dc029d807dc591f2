"""Precision rules: repeated sections, template dummy text, legal lines, sales prompts and bios."""

from __future__ import annotations

from lxml.html import fromstring

from crawler.dataset.schema import ArticleRecord
from pipelines.extraction import Page, extract
from pipelines.extraction.edges import trim_bio
from pipelines.extraction.repeats import repeated_blocks
from pipelines.extraction.teasers import teaser_grids
from pipelines.extraction.textfilter import filter_blocks, kind_of_block

BODY = [
    "The county wants to close the small library on Mill Street and send its readers to the "
    "new hub by the ring road, two bus changes away for most of the people who use it.",
    "The building is cold in winter and the roof leaks over the local history shelves. It is "
    "also the only warm room on the street where anyone may sit all day without buying a thing.",
    "A hub would have longer hours, the council says. It would also have no one who knows "
    "which pensioner needs the large-print thrillers kept back for her every second Tuesday.",
    "Fix the roof, keep the doors open three days a week, and let the volunteers who already "
    "run the reading group take the keys on Saturdays. It would cost less than the move.",
]


def _kept(blocks: list[str]) -> list[str]:
    return filter_blocks(blocks, ())[0]


def test_a_section_shown_twice_is_kept_once() -> None:
    contact = ["Visit the studio", "14 Orchard Lane, Unit 3, Fairbridge", "Open Monday to Friday"]
    kept = _kept([*BODY[:2], *contact, *BODY[2:], *contact, *contact])
    assert kept == [*BODY[:2], *contact, *BODY[2:]]


def test_a_long_paragraph_shown_twice_is_kept_once_but_short_repeated_lines_stay() -> None:
    blocks = [BODY[0], "Pros", "Quiet", BODY[1], "Pros", "Quiet", BODY[2], BODY[0], BODY[3]]
    assert _kept(blocks) == [BODY[0], "Pros", "Quiet", BODY[1], "Pros", "Quiet", BODY[2], BODY[3]]


def test_repeated_blocks_compares_words_not_punctuation_or_case() -> None:
    assert repeated_blocks([BODY[3], BODY[1], BODY[3].upper().replace(",", "")]) == {2}


def test_template_dummy_text_goes_however_long_and_with_its_labels() -> None:
    dummy = (
        "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor "
        "incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud "
        "exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat."
    )
    assert kind_of_block(dummy) == "placeholder"
    assert kind_of_block("Lorem Ipsum") == "placeholder"
    assert kind_of_block("Lorem ipsum 2") == "placeholder"
    assert kind_of_block("Lorem ipsum is the filler text printers have used since 1500.") is None


def _record(body_html: str) -> ArticleRecord:
    html = (
        "<html lang='en'><head><title>Keep the Mill Street library</title></head><body>"
        f"<article><h1>Keep the Mill Street library</h1>{body_html}</article></body></html>"
    )
    result = extract(Page(url="https://county.test/opinion/library", body=html.encode()))
    assert isinstance(result, ArticleRecord), result
    return result


def test_a_page_rendering_its_article_twice_gives_it_once() -> None:
    body = "".join(f"<p>{t}</p>" for t in BODY)
    result = _record(f"<div class='desktop'>{body}</div><div class='mobile'>{body}</div>")
    assert result.text.count("Fix the roof") == 1
    assert any(r.kind == "repeat" for r in result.removed)


def test_an_author_box_and_a_legal_line_marked_by_their_class_go() -> None:
    body = "".join(f"<p>{t}</p>" for t in BODY)
    bio = (
        "<div class='post-author__bio'><p>Wren Halloway has covered county politics for "
        "eleven years and edits the weekend civic pages. Before that she taught history at "
        "the grammar school on the hill and ran its debating club for a decade.</p></div>"
    )
    legal = "<p class='articleCopyright'>Reproduction of this column in any form needs the "
    legal += "written consent of the Mill Street Gazette and its contributors.</p>"
    result = _record(body + bio + legal)
    assert "Fix the roof" in result.text
    assert "Wren Halloway" not in result.text and "Reproduction" not in result.text
    kinds = {r.kind for r in result.removed}
    assert {"bio", "disclaimer"} <= kinds


def test_copyright_and_licence_lines_go_but_prose_about_copyright_stays() -> None:
    notice = "Copyright © 2026 The Mill Street Gazette Ltd. All rights reserved."
    licence = "This column is licensed under a Creative Commons Attribution 4.0 licence."
    assert kind_of_block(notice) == "disclaimer"
    assert kind_of_block(licence) == "disclaimer"
    prose = (
        "The library's copyright collection, which the county wants to box up, holds every "
        "parish newsletter printed in the valley since the war."
    )
    assert kind_of_block(prose) is None


def test_a_list_of_teaser_cards_wrapping_their_excerpts_in_links_goes() -> None:
    body = "".join(f"<p>{t}</p>" for t in BODY)
    teasers = [
        ("Bus lanes by winter", "A councillor said the new lanes on the high street would be "
         "painted before the first frost, whatever the traders think of losing the parking "
         "bays outside their shops, and that the buses would run every ten minutes by spring."),
        ("Who closed the school kitchen?", "Parents asked why the kitchen at the primary school "
         "closed in the spring, who decided that the meals would come by van from the city, "
         "and why nobody told them until the first cold lunches arrived in plastic trays."),
    ]  # fmt: skip
    cards = "".join(
        f"<li><a href='/opinion/{n}'><div><img src='/t{n}.jpg'><h3>{title}</h3>"
        f"<div class='date'>2026-03-0{n + 1}</div><p>{text}</p></div></a></li>"
        for n, (title, text) in enumerate(teasers)
    )
    result = _record(f"<div class='story'>{body}<ul>{cards}</ul></div>")
    assert "Fix the roof" in result.text
    assert "high street" not in result.text and "plastic trays" not in result.text


def test_a_sub_heading_naming_copyright_is_no_notice() -> None:
    assert kind_of_block("Copyright and the parish archive") is None


def test_labels_dangling_at_the_end_go_but_sign_offs_and_sentences_stay() -> None:
    assert _kept([*BODY, "Proudly sponsoring", "Book a visit"]) == BODY
    assert _kept([*BODY, "Yours in reading,", "Wren"]) == [*BODY, "Yours in reading,", "Wren"]
    assert _kept([*BODY, "— W. H."]) == [*BODY, "— W. H."]
    assert _kept([*BODY, "See you there!"]) == [*BODY, "See you there!"]
    removed = filter_blocks([*BODY, "Visit our partners"], ())[1]
    assert [(r.kind, r.text) for r in removed] == [("navigation", "Visit our partners")]


def test_a_blog_name_above_a_headline_the_title_carries_with_its_site_name_goes() -> None:
    html = (
        "<html lang='en'><head><title>Keep the Mill Street library - Civic Notes</title>"
        "<meta property='og:title' content='Keep the Mill Street library - Civic Notes'>"
        "</head><body><main><div class='post'><h1 class='small'><a href='/'>Civic Notes</a></h1>"
        "<h1>Keep the Mill Street library</h1><p class='author'>Wren Halloway</p>"
        + "".join(f"<p>{t}</p>" for t in BODY)
        + "</div></main></body></html>"
    )
    result = extract(Page(url="https://notes.test/library", body=html.encode()))
    assert isinstance(result, ArticleRecord), result
    assert result.text.startswith("The county wants"), result.text[:80]


def test_follow_prompts_and_referral_programmes_are_share_boxes() -> None:
    assert kind_of_block("Stay connected with us!") == "share"
    assert kind_of_block("Enjoying Civic Notes? Tell your friends and earn rewards.") == "share"
    assert kind_of_block("Stay connected to the people who run your town.") is None


def _teaser_card(n: int, title: str, excerpt: str) -> str:
    return (
        f"<div class='rail-card'><a href='/opinion/story-{n}'><img src='/s{n}.jpg'></a>"
        f"<h3 class='rail-card__title'><a href='/opinion/story-{n}'>{title}</a></h3>"
        f"<span class='rail-card__date'>March {n + 3}, 2026</span><p>{excerpt}</p></div>"
    )


TEASERS = [
    ("The ferry timetable nobody asked for", "Commuters on the early boat say the new times "
     "miss the first train by four minutes, every single weekday morning since January."),
    ("A roundabout too far", "Residents of the lower town question why a junction that has "
     "never seen a crash needs a roundabout costing more than the library's roof."),
    ("Allotments in the balance", "Plot holders fear the council's housing plan will swallow "
     "the last allotments inside the ring road, waiting lists and all."),
]  # fmt: skip


MORE_BODY = [
    "The volunteers have asked for nothing but a key and a kettle. They already sort the "
    "donated books, mend the spines with tape and keep a list of who is waiting for what.",
    "The county's own survey found that two in three visitors walk to the library, and that "
    "most of them are over seventy or under twelve: the two groups least able to take a bus.",
    "Nobody disputes that the hub is a fine building. The question is whether a fine building "
    "three miles away serves a street better than a leaky one at the end of it.",
    "Councillors will vote on the closure next month. They should visit on a wet Tuesday "
    "first, and count the people who have nowhere else warm to sit with a newspaper.",
]


def test_a_rail_of_teaser_cards_after_the_body_goes() -> None:
    body = "".join(f"<p>{t}</p>" for t in [*BODY, *MORE_BODY])
    rail = "".join(_teaser_card(n, title, text) for n, (title, text) in enumerate(TEASERS))
    result = _record(f"<div class='story-body'>{body}<h2>Read this next</h2>"
                     f"<div class='rail'>{rail}</div></div>")  # fmt: skip
    assert "Fix the roof" in result.text
    assert "ferry timetable" not in result.text and "allotments inside" not in result.text


def test_body_sections_with_linked_headings_of_their_own_page_stay() -> None:
    sections = "".join(
        f"<section class='part'><h2><a href='#part-{n}'>Part {n}</a></h2><p>{text}</p></section>"
        for n, text in enumerate(BODY)
    )
    result = _record(sections)
    assert all(text in result.text for text in BODY)


def test_a_listing_page_made_of_cards_keeps_them() -> None:
    rail = "".join(_teaser_card(n, title, text) for n, (title, text) in enumerate(TEASERS))
    listing = fromstring(
        f"<html><body><h1>Opinion</h1><div class='rail'>{rail}</div></body></html>"
    )
    assert teaser_grids(listing) == []
    page = fromstring(
        "<html><body>" + "".join(f"<p>{t}</p>" for t in [*BODY, *MORE_BODY])
        + f"<div class='rail'>{rail}</div></body></html>"
    )  # fmt: skip
    assert [g.get("class") for g in teaser_grids(page)] == ["rail"]


def test_a_closing_bio_goes_though_the_page_declares_no_author() -> None:
    bio = (
        "Wren Halloway is a freelance writer and former librarian who has covered county "
        "politics for eleven years, mostly from the back row of planning committee meetings."
    )
    kept, removed = trim_bio([*BODY, bio], authors=[])
    assert kept == BODY and [r.kind for r in removed] == ["bio"]
    russian = "Ирина Соколова — журналист и редактор отдела культуры, пишет о библиотеках."
    assert trim_bio([*BODY, russian], authors=[])[0] == BODY
    assert trim_bio([*BODY, BODY[0]], authors=[])[0] == [*BODY, BODY[0]]
    assert kind_of_block("About the author") == "bio"


def test_the_shown_headline_goes_when_the_declared_title_words_it_otherwise() -> None:
    html = (
        "<html lang='en'><head><title>Why the county should not close a library</title>"
        "<meta property='og:title' content='Why the county should not close a library'>"
        "</head><body><div class='wrap'><div class='post'><h1>Keep the Mill Street library</h1>"
        + "".join(f"<p>{t}</p>" for t in BODY)
        + "</div></div></body></html>"
    )
    result = extract(Page(url="https://county.test/library", body=html.encode()))
    assert isinstance(result, ArticleRecord), result
    assert result.text.startswith("The county wants"), result.text[:60]


def test_an_embedded_social_post_is_no_article_text() -> None:
    body = "".join(f"<p>{t}</p>" for t in BODY[:2])
    post = (
        "<blockquote class='twitter-tweet'><p lang='en'>Queue outside the Mill Street library "
        "at nine this morning, in the rain, for a reading room that may close by summer.</p>"
        "&mdash; Mill Street Friends (@millstreetfriends) <a href='https://x.test/1'>May 2</a>"
        "</blockquote>"
    )
    result = _record(body + post + "".join(f"<p>{t}</p>" for t in BODY[2:]))
    assert "Queue outside" not in result.text and "Fix the roof" in result.text
    assert any(r.kind == "embed" for r in result.removed)


def test_a_jump_link_opening_the_first_paragraph_is_cut_from_it() -> None:
    first = f"<p><a href='#the-list'>JUMP TO THE LIST ⤵</a> {BODY[0]}</p>"
    result = _record(first + "".join(f"<p>{t}</p>" for t in BODY[1:]))
    assert result.text.startswith("The county wants"), result.text[:40]
    assert ("navigation", "JUMP TO THE LIST ⤵") in [(r.kind, r.text) for r in result.removed]


def test_a_table_of_contents_label_is_navigation() -> None:
    assert kind_of_block("Table of Contents") == "navigation"
    assert kind_of_block("In this article:") == "navigation"
    assert kind_of_block("Содержание") == "navigation"
    assert kind_of_block("The contents of the library's basement") is None


def test_a_newsletter_promo_that_ends_in_a_sign_up_call_goes() -> None:
    promo = (
        "Can't get enough of the county? The Mill Street Weekly newsletter gathers the best of "
        "the week, delivered right to your inbox. Sign up now and never miss a meeting."
    )
    assert kind_of_block(promo) == "newsletter"
    own = (
        "The Gazette is where the county reads its news, its letters and its arguments. "
        "Please sign up for our daily civic newsletter, Morning Notes, here."
    )
    assert kind_of_block(own) == "newsletter"
    prose = (
        "The library's own newsletter, a folded sheet left by the door, lists the reading "
        "group's books and the dates when the mobile van visits the outlying villages."
    )
    assert kind_of_block(prose) is None


def test_a_note_presenting_the_publisher_among_the_closing_calls_goes() -> None:
    note = (
        "The Mill Street Trust is a nonprofit newsroom covering the county's libraries, "
        "schools and parks, funded by its readers and two local foundations."
    )
    calls = ["Find a reading group near you", "More from the Trust"]
    kept, removed = trim_bio([*BODY, note, *calls], authors=[])
    assert note not in kept and [r.kind for r in removed] == ["bio"]
    mid = [BODY[0], note, *BODY[1:], MORE_BODY[0]]  # earlier on, the article says it itself
    assert trim_bio(mid, authors=[])[0] == mid


def test_a_closing_paragraph_that_is_one_link_goes_but_links_inside_sentences_stay() -> None:
    more = [
        "The reading group alone brings forty people through the door each month, most of them "
        "on foot, and the county has never once counted them in its figures for the branch.",
        "Closing the branch would save the price of a roof and lose the one place where the "
        "street's children do their homework with a librarian close enough to ask for help.",
    ]
    body = (
        f"<p>{BODY[0]}</p><p><a href='/archive/reading-group'>The reading group meets on "
        f"Tuesdays in the back room, and newcomers are always welcome</a></p>"
        + "".join(f"<p>{text}</p>" for text in [*BODY[1:], *more[:1]])
        + f"<p>{more[1]} <a href='/budget'>The budget papers</a> are public.</p>"
        "<p><a href='https://fair.example/book'>Meet the library volunteers at the county book "
        "fair in the market hall on 12 May</a></p>"
    )
    record = _record(body)
    assert "county book fair" not in record.text
    assert any(r.kind == "related" and "book fair" in r.text for r in record.removed)
    assert "reading group meets on Tuesdays" in record.text  # one link, but mid-article
    assert "The budget papers are public." in record.text


def test_a_bold_line_right_before_a_button_is_a_call_to_action() -> None:
    pitch = (
        "<p class='centered'><strong>Tired of waiting for the county? Talk to the friends of "
        "the library today</strong></p><div class='button-wrap'><a class='btn' "
        "href='/contact'>Get in touch</a></div>"
    )
    heading = (
        "<p><strong>What the volunteers found</strong></p><div class='photo'><a "
        "href='/img/shelves.jpg'><img src='/img/shelves.jpg' alt='Shelves'></a></div>"
    )
    body = (
        f"<p>{BODY[0]}</p><p>{BODY[1]}</p>{pitch}<p>{BODY[2]}</p>{heading}<p>{BODY[3]}</p>"
        "<p><strong>Signed, the reading group</strong></p><p>Cards and letters welcome.</p>"
    )
    record = _record(body)
    assert "Tired of waiting" not in record.text and "Get in touch" not in record.text
    assert any(r.kind == "ad" and "Tired of waiting" in r.text for r in record.removed)
    assert "What the volunteers found" in record.text  # a bold sub-heading before a photo
    assert "Signed, the reading group" in record.text  # bold, but no button follows
    assert all(paragraph in record.text for paragraph in BODY)


def test_a_teaser_line_of_a_label_and_one_link_goes_in_any_language() -> None:
    teasers = [
        "<p>Read also: <a href='/opinion/bus-depot'>Why the bus depot move will cost the "
        "county twice</a></p>",
        "<p>Les også: <a href='/meninger/bibliotek'>Biblioteket i sentrum stenger dørene for "
        "godt i sommer</a></p>",
        "<p>LEES OOK | <a href='/opinie/bieb'>De bibliotheek op de hoek verdient een nieuw "
        "dak</a></p>",
    ]
    body = (
        f"<p>{BODY[0]}</p>{teasers[0]}<p>{BODY[1]}</p>{teasers[1]}<p>{BODY[2]}</p>{teasers[2]}"
        f"<p>{BODY[3]} The figures are in <a href='/docs/branch'>the council's own report on "
        "the branch</a></p><p>Opening hours: <a href='/hours'>Tuesday, Thursday and Saturday "
        "mornings</a> until the roof is fixed.</p>"
    )
    record = _record(body)
    for gone in ("bus depot move", "Biblioteket i sentrum", "bibliotheek op de hoek"):
        assert gone not in record.text, gone
        assert any(r.kind == "related" and gone in r.text for r in record.removed), gone
    assert "the council's own report on the branch" in record.text  # a sentence's link
    assert "until the roof is fixed" in record.text  # the link does not end the paragraph
    assert all(paragraph in record.text for paragraph in BODY)


def test_the_headline_shown_with_a_section_name_after_it_goes() -> None:
    for title, shown in [
        ("Keep the Mill Street library", "Keep the Mill Street library | County Voices"),
        (
            "Keep the Mill Street library - The County Post",
            "Keep the Mill Street library – Opinion",
        ),
    ]:
        html = (
            f"<html lang='en'><head><title>{title}</title></head><body><div class='wrap'>"
            f"<div class='post'><p class='headline'>{shown}</p>"
            + "".join(f"<p>{t}</p>" for t in BODY)
            + "</div></div></body></html>"
        )
        result = extract(Page(url="https://county.test/library", body=html.encode()))
        assert isinstance(result, ArticleRecord), result
        assert result.text.startswith("The county wants"), (shown, result.text[:60])


_COLUMN = "".join(
    f"<p>Paragraph {i} of the column argues that the council should fund the night buses "
    "properly, and explains at length why the current timetable fails shift workers.</p>"
    for i in range(8)
)


def _thread(item: str, count: int = 30) -> str:
    return "".join(
        item.format(
            n=n,
            text=f"I think paragraph {n} misses the point entirely: the buses were never the "
            "problem, the routes were, and everyone who rides them at night knows it well.",
        )
        for n in range(count)
    )


def _column_text(html: str) -> str:
    record = extract(Page(url="https://example.org/opinion/buses", body=html.encode()))
    assert isinstance(record, ArticleRecord)
    return record.text


def test_a_long_comment_thread_after_the_column_is_no_part_of_it() -> None:
    # longer than the column itself: the guard that keeps a class-named element holding most
    # of the page's paragraphs (a body marked `paywall`) kept the whole thread as article text
    threads = [
        "<section id='post-comments'><h2>Comments</h2>"
        + _thread("<div class='thread-item'><b>Reader {n}</b><time>2 hours ago</time>"
                  "<p>{text}</p></div>")
        + "</section>",
        "<div class='user-comments'><ol>"
        + _thread("<li><span>Reader {n}</span> wrote:<p>{text}</p></li>")
        + "</ol></div>",
    ]  # fmt: skip
    for thread in threads:
        html = (
            "<html><head><title>Night buses</title></head><body><main><article>"
            f"<h1>Night buses</h1>{_COLUMN}</article>{thread}</main></body></html>"
        )
        text = _column_text(html)
        assert "Paragraph 7 of the column" in text
        assert "misses the point" not in text and "Reader 3" not in text


def test_a_column_whose_own_container_is_named_for_comments_keeps_its_text() -> None:
    html = (
        "<html><head><title>Night buses</title></head><body><article>"
        f"<h1>Night buses</h1><div class='article-body comments-enabled'>{_COLUMN}</div>"
        "</article></body></html>"
    )
    assert "Paragraph 7 of the column" in _column_text(html)
