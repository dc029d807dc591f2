"""Appeal and sign-up boxes judged whole: a container dominated by appeal language goes entire.

A donation box inside the article's own container holds a heading, a salutation, several long
paragraphs asking for money and a payment widget. Judged paragraph by paragraph, the long ones
read like body text; judged as a box (its long paragraphs mostly ask for money, sign-ups or
subscriptions) it is plainly one block of boilerplate. The box grows from a seed (a control, or
an element whose class names an appeal) while what each step adds is itself appeal text or
short labels, so it stops at the body paragraphs around it, however few or many they are.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from lxml.html import HtmlElement

__all__ = ["AppealJudge", "appeal_box"]

_PIECES = ("p", "li", "blockquote", "dd")  # not td: a layout cell holds a whole article
_LONG = 25  # words: a shorter piece is a heading, a salutation, a button or a label
_LOOSE = 40  # words of text outside any piece that make a step "body-like" (legacy <br> pages)
_SHARE = 0.5  # of long-piece words that must ask for something for a box to be an appeal
_WIDGET_SHARE = 0.25  # the same, for a box that holds a payment or sign-up widget
_WIDGET_LABELS = 2  # control labels asking for money or a sign-up that make a widget
_CONTROLS = ("button", "label", "option", "select", "input")
_NOT_BOX = frozenset(("html", "body", "main", "article"))
_KINDS = frozenset(("appeal", "newsletter"))


class AppealJudge:
    """Judges texts and elements once per page: boxes share their pieces and ancestors."""

    def __init__(
        self, kind_of_text: Callable[[str], str | None], kind_of_label: Callable[[str], str | None]
    ) -> None:
        self._kind_of_text = kind_of_text
        self._kind_of_label = kind_of_label
        self._kinds: dict[HtmlElement, str | None] = {}
        self._words: dict[HtmlElement, int] = {}  # seeds grow through the same ancestors

    def has_widget(self, nodes: Iterable[HtmlElement]) -> bool:
        """Whether the nodes hold controls labelled with amounts, frequencies or appeals."""
        labels = 0
        for node in nodes:
            if not isinstance(node.tag, str):
                continue
            for control in node.iter(*_CONTROLS):
                text = _text(control) or control.get("value") or ""
                if text and len(text) < 60 and self._kind_of_label(text) in _KINDS:
                    labels += 1
                    if labels >= _WIDGET_LABELS:
                        return True
        return False

    def kind(self, piece: HtmlElement) -> str | None:
        """The appeal kind of one piece's text, or None."""
        if piece not in self._kinds:
            self._kinds[piece] = self._kind_of_text(_text(piece))
        return self._kinds[piece]

    def appeal_words(self, nodes: Iterable[HtmlElement]) -> tuple[int, int, int]:
        """(asking, long, loose) words of the nodes: long pieces that ask for something,
        all long pieces, and text outside any piece."""
        asking = long = loose = 0
        for node in nodes:
            if not isinstance(node.tag, str):
                continue
            pieces = _outer_pieces(node)
            inside = 0
            for piece in pieces:
                words = self.words(piece)
                inside += words
                if words >= _LONG:
                    long += words
                    if self.kind(piece) in _KINDS:
                        asking += words
            loose += max(0, self.words(node) - inside)
        return asking, long, loose

    def words(self, node: HtmlElement) -> int:
        """The words of a node's text, counted once per page."""
        if node not in self._words:
            self._words[node] = len(node.text_content().split())
        return self._words[node]


def appeal_box(
    seed: HtmlElement, judge: AppealJudge, max_loose: int = _LOOSE
) -> HtmlElement | None:
    """The largest container around `seed` that is an appeal box, or None when even the seed's
    own long text is mostly no appeal."""
    asking, long, loose = judge.appeal_words([seed])
    widget: bool | None = None  # looked for only when the share needs it: the costly part
    if long and asking < _SHARE * long:
        widget = judge.has_widget([seed])
        if not widget or asking < _WIDGET_SHARE * long:
            return None
    if not long and loose > max_loose:
        return None
    box = seed
    for ancestor in seed.iterancestors():
        if ancestor.tag in _NOT_BOX:
            break
        added = [child for child in ancestor if child is not box]
        if any(child.tag == "h1" or child.find(".//h1") is not None for child in added):
            break  # an appeal box never holds the article's headline
        step_asking, step_long, step_loose = judge.appeal_words(added)
        if step_loose > max_loose:
            break  # the step adds body text: the box ends here
        if step_long and step_asking < _SHARE * step_long:
            if widget is None:
                widget = judge.has_widget([box])
            widget = widget or judge.has_widget(added)
            if not widget or step_asking < _WIDGET_SHARE * step_long:
                break
        asking, long = asking + step_asking, long + step_long
        box = ancestor
    return box if asking else None


def _outer_pieces(node: HtmlElement) -> list[HtmlElement]:
    """The paragraph-like elements of a node that are not inside another one."""
    if node.tag in _PIECES:
        return [node]
    return [piece for piece in node.iter(*_PIECES) if _is_outer(piece, node)]


def _is_outer(piece: HtmlElement, node: HtmlElement) -> bool:
    for ancestor in piece.iterancestors():
        if ancestor is node:
            return True
        if ancestor.tag in _PIECES:
            return False
    return True


def _text(node: HtmlElement) -> str:
    return " ".join(" ".join(node.itertext()).split())
