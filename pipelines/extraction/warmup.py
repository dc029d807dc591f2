"""Built-in pages whose extraction loads everything extraction otherwise loads on first use.

The language model, the public-suffix list, the date parser's locale data and the parts of
trafilatura's cascade that only the full run touches cost a fresh process about a second
of CPU on its first pages. The extraction pool's forkserver runs `warm_up` (see
`preload`), and `scrapy evaluate` warms every extractor it times on these pages, so one-time
loading is not counted as the cost of the first pages.
"""

from __future__ import annotations

from .core import extract
from .dates import UTC_POLICY
from .language import _identifier
from .page import Page

__all__ = ["WARM_UP_DATES", "WARM_UP_PAGES", "load_date_locales", "warm_up"]

_URL = "https://www.example.co.uk/opinion/ferry"

_PARAGRAPH = (
    "<p>The committee met on a wet Tuesday to argue, once more, about the ferry timetable, "
    "and the argument went the way these arguments always go: the operator spoke of costs, "
    "the islanders spoke of winter, and nobody spoke of the school run at all.</p>"
)
_GERMAN = (
    "<p>Der Ausschuss traf sich an einem nassen Dienstag, um noch einmal über den Fahrplan "
    "der Fähre zu streiten, und der Streit verlief wie immer: der Betreiber sprach von "
    "Kosten, die Inselbewohner vom Winter.</p>"
)


def _page(lang: str, byline: str, body: str) -> Page:
    html = (
        f"<!DOCTYPE html><html{lang}><head><meta charset='utf-8'><title>Ferry timetable</title>"
        f"<link rel='canonical' href='{_URL}'></head><body>"
        "<header><nav><a href='/'>Home</a></nav></header><article><h1>Ferry timetable</h1>"
        f"<p class='byline'>{byline}</p>{body}<p>Support our journalism: donate today.</p>"
        "</article><footer>Cookie settings</footer></body></html>"
    )
    return Page(url=_URL, body=html.encode(), content_type=None)


WARM_UP_PAGES = (
    # a long English page: fast mode, header date, canonical host and text rules
    _page(" lang='en'", "By A. Writer, 3 March 2024", _PARAGRAPH * 8),
    # short, undeclared, not English: the full cascade, the language model, dateparser
    _page("", "Von A. Autorin, 3. März 2024", _GERMAN * 3),
)


# Written dates only the date parser reads, one per language the text rules cover: its first
# call costs ~130 ms and each language's first ~25 ms, which the pages above do not reach
# (their bylines' dates are exact formats).
WARM_UP_DATES = (
    ("Friday 3 March 2024 at 4:45pm", "en"),
    ("пятница, 3 марта 2024, 16:45", "ru"),
    ("Freitag, 3. März 2024 um 16:45 Uhr", "de"),
    ("vendredi 3 mars 2024 à 16h45", "fr"),
)


def warm_up() -> None:
    """Extract the built-in pages once and read the dates, loading the lazy parts on the way."""
    _identifier()
    for page in WARM_UP_PAGES:
        extract(page)
    load_date_locales()


def load_date_locales() -> None:
    """Read the built-in written dates: the date parser's locales load now, not on a page."""
    for written, language in WARM_UP_DATES:
        UTC_POLICY.read(written, [language])
