"""The hashed all-language stoplist answers as justext's own, at a fraction of the memory."""

from __future__ import annotations

import subprocess
import sys

from hypothesis import given
from hypothesis import strategies as st
from justext.utils import get_stoplist

from pipelines.extraction.stoplist import HashedStoplist
from tests.crawling import REPO

WORDS = sorted(get_stoplist("English") | get_stoplist("German") | get_stoplist("Russian"))
HASHED = HashedStoplist(WORDS)
LOWER = frozenset(w.lower() for w in WORDS)


@given(st.one_of(st.sampled_from(WORDS), st.text(max_size=12)))
def test_membership_is_justext_s(word: str):
    assert (word.lower() in HASHED) == (word.lower() in LOWER)


def test_every_stopword_is_in_and_other_things_are_not():
    assert all(w.lower() in HASHED for w in WORDS)
    assert "ferry" not in HASHED and "" not in HASHED and None not in HASHED
    assert len(HashedStoplist(["The", "the", "und"])) == 2


SAME_CLASSIFICATION = """
from lxml import html
from trafilatura import external
from trafilatura.external import try_justext
from justext import core

PAGE = '''<html><body><div class="menu"><a href="/a">Home</a> <a href="/b">World</a></div>
<p>The council said on Monday that the bridge would stay closed for at least another month,
and that the people who cross it every day should plan for the detour until the repairs on
the old piers are finished and an engineer has signed them off.</p>
<p>Der Rat sagte am Montag, dass die Brücke noch mindestens einen Monat gesperrt bleibe und
dass alle, die sie täglich überqueren, mit der Umleitung rechnen sollten, bis die Arbeiten
an den alten Pfeilern abgeschlossen sind.</p>
<p>Subscribe now</p><p>Copyright 2026 Example Media</p>
<p>Совет заявил в понедельник, что мост останется закрытым ещё как минимум месяц, и что тем,
кто пересекает его каждый день, стоит заранее планировать объезд до конца работ.</p>
</body></html>'''

def text():
    body = try_justext(html.fromstring(PAGE), None, None)
    return [p.text for p in body]

before = text()
from pipelines.extraction.stoplist import share_hashed_stoplist
shared = share_hashed_stoplist()
after = text()
assert external.JT_STOPLIST is shared, "trafilatura does not use the hashed stoplist"
assert core.define_stoplist(shared) is shared
assert len(before) >= 3, before
print(before == after, len(shared))
"""


def test_trafilatura_s_justext_fallback_keeps_the_same_paragraphs():
    # in a fresh interpreter: sharing the stoplist changes trafilatura's and justext's globals
    result = subprocess.run([sys.executable, "-c", SAME_CLASSIFICATION], cwd=REPO,
                            capture_output=True, text=True, timeout=120)  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    same, words = result.stdout.split()
    assert same == "True" and int(words) > 100_000
