"""Generic text rules: the literal screen never changes a count; promo and consent rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.fixtures.cases import discover, load_case
from pipelines.extraction.textfilter import filter_blocks
from pipelines.extraction.textrule import Screen, _needed_strings, rule
from pipelines.extraction.textrules import GENERIC_RULES

FIXTURES = Path(__file__).parent / "fixtures"


def _unscreened(rule_parts: tuple, text: str) -> int:
    return sum(len(part.findall(text)) for part in rule_parts)


def _corpus() -> list[str]:
    """Every block of every fixture page's text, expected text and removed-snippet list."""
    texts: list[str] = []
    for path in discover(FIXTURES):
        case = load_case(path)
        page = (path.parent / "page.html").read_bytes().decode("utf-8", errors="replace")
        texts += page.split("<")  # markup fragments hold every appeal the page carries
        texts += str(case.get("text", "")).split("\n\n")
        texts += [str(s) for s in case.get("must_not_contain", [])]
    return [t.lower() for t in texts if t.strip()]


def test_screened_count_equals_a_full_scan_on_every_fixture_block() -> None:
    hits = 0
    for text in _corpus():
        for r in GENERIC_RULES:
            full = _unscreened(r.parts, text)
            assert r.count(text) == full, (r.kind, r.pattern.pattern[:60], text[:80])
            hits += full
    assert hits > 100, "the corpus should exercise the rules"


def test_the_screen_names_every_rule_that_can_count_a_hit() -> None:
    screen = Screen(GENERIC_RULES)
    skipped = 0
    for text in _corpus():
        present = screen.present(text)
        candidates = screen.candidates(present)
        for r in GENERIC_RULES:
            if r not in candidates:
                assert _unscreened(r.parts, text) == 0, (r.pattern.pattern[:60], text[:80])
                skipped += 1
    assert skipped > 1000, "most rules should be ruled out on most blocks"


@pytest.mark.parametrize(
    ("pattern", "needed"),
    [
        (r"\bsupport (our|us) work\b", ("support ",)),
        (r"^(donate|give) now\W*$", ("donate", "give")),  # a tie keeps the first
        (r"(once|monthly)+ gift", (" gift",)),
        (r"(subscribe|sign up)", ("ign up", "ubscribe")),  # the parser factors out the "s"
        (r"[$€£]\s?\d+", None),
        (r"\bread( more)?\b", ("read",)),
    ],
)
def test_needed_strings(pattern: str, needed: tuple[str, ...] | None) -> None:
    import re._parser as sre_parse

    assert _needed_strings(sre_parse.parse(pattern)) == needed


def test_a_rule_without_needed_strings_still_counts() -> None:
    r = rule("appeal", 6, r"^[$€£]\s?\d+([\s,]+[$€£]\s?\d+)+\W*$")
    assert r.needs == (None,)
    assert r.count("$5 $10 $25") == 1


BODY = (
    "The council spent the autumn arguing about the bus depot, and the argument is not over. "
    "What matters now is whether the new timetable survives the winter."
)


@pytest.mark.parametrize(
    ("block", "kind"),
    [
        ("Get $10 off your first order with code: SPRING24.", "ad"),
        ("Want to advertise in The Weekly Wire?", "ad"),
        ("Cloud costs explained for small teams (Sponsored)", "ad"),
        ("By entering your email, you agree to receive marketing emails from us,", "newsletter"),
        ("By continuing, you agree to the Terms of Sale and Privacy Policy.", "newsletter"),
        (
            "We may be compensated when you click on links from our advertising partners.",
            "disclaimer",
        ),
        ("If you liked this article, please consider a one-off donation.", "appeal"),
        ("You may also be interested in:", "related"),
        ("Fehler gefunden? Jetzt melden.", "share"),
        ("Auch interessant", "related"),
        ("Jetzt unterstützen", "appeal"),
        (
            "Guter Lokaljournalismus braucht Ihre Unterstützung. Danke, dass Sie dabei sind.",
            "appeal",
        ),
        (
            "Wenn Ihnen die Kolumne gefällt, unterstützen Sie unsere Redaktion mit einem Abo.",
            "appeal",
        ),
        ("Читайте также", "related"),
        ("Article content", "navigation"),
        ("Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod.", "placeholder"),
    ],
)
def test_promotions_and_consent_lines_are_removed(block: str, kind: str) -> None:
    kept, removed = filter_blocks([BODY, block], [])
    assert kept == [BODY]
    assert [r.kind for r in removed] == [kind]


@pytest.mark.parametrize(
    "block",
    [
        "Russia has long opposed the idea of the country becoming a member of the alliance.",
        "Plotting the data with code: the notebook shows how the fares changed.",
        "Crush took a minute to come up with the code below:",
        "To measure the campaigns, the shop tied exclusive discount codes to each partner.",
    ],
)
def test_body_sentences_that_resemble_promotions_are_kept(block: str) -> None:
    kept, removed = filter_blocks([BODY, block], [])
    assert kept == [BODY, block], removed
