"""Deterministic English prose: a small random grammar over invented word lists."""

from __future__ import annotations

import random

from crawler.demo import words_en as w
from crawler.demo.chance import Chance
from crawler.demo.model import Cast

_AN_EXCEPTIONS = ("honest", "hour")
_A_EXCEPTIONS = ("uni", "use", "usu", "eu", "one")


def indefinite(word: str) -> str:
    """The indefinite article for a word ("a" or "an")."""
    lower = word.lower()
    if lower.startswith(_AN_EXCEPTIONS):
        return "an"
    if lower.startswith(_A_EXCEPTIONS) or lower[0] not in "aeiou":
        return "a"
    return "an"


def cap(text: str) -> str:
    """Upper-case the first character only (names inside stay as they are)."""
    return text[:1].upper() + text[1:]


def full_name(rng: random.Random) -> str:
    """An invented English full name."""
    return f"{rng.choice(w.FIRST_NAMES)} {rng.choice(w.SURNAMES)}"


def make_cast(rng: random.Random, topic: str, year: int) -> Cast:
    """Pick the places and people an English article will keep returning to."""
    places = {rng.choice(w.PLACE_HEADS) + rng.choice(w.PLACE_TAILS) for _ in range(3)}
    people = {full_name(rng) for _ in range(3)}
    return Cast("en", topic, tuple(sorted(places)), tuple(sorted(people)), year)


class EnglishWriter(Chance):
    """Writes headlines, paragraphs and captions for one English article."""

    lang = "en"

    def __init__(self, rng: random.Random, cast: Cast) -> None:
        super().__init__(rng)
        self.cast = cast
        self.used: set[str] = set()
        self.topic_nouns = w.TOPIC_NOUNS[cast.topic]

    def place(self) -> str:
        """One of the article's places, now and then a brand-new one."""
        if self.rand() < 0.15:
            return self.pick(w.PLACE_HEADS) + self.pick(w.PLACE_TAILS)
        return self.pick(self.cast.places)

    def person(self) -> str:
        """A newly invented full name."""
        return full_name(self.r)

    def _cast_person(self) -> str:
        name = self.pick(self.cast.people)
        return name if self.rand() < 0.5 else name.split()[-1]

    def noun(self) -> str:
        """A topic noun or a general one."""
        return self.pick(self.topic_nouns if self.rand() < 0.5 else w.NOUNS)

    def np(self) -> str:
        """A singular noun phrase."""
        noun, x = self.noun(), self.rand()
        if x < 0.3:
            return f"the {self.pick(w.ADJECTIVES)} {noun}"
        if x < 0.45:
            return f"{self.place()}'s {noun}"
        if x < 0.6:
            return f"the {noun} in {self.place()}"
        if x < 0.72:
            adj = self.pick(w.ADJECTIVES)
            return f"{indefinite(adj)} {adj} {noun}"
        if x < 0.82:
            return f"{self.pick(('our', 'their', 'this', 'that', 'every'))} {noun}"
        if x < 0.92:
            return f"the {noun} for {self.pick(w.GROUPS)}"
        return f"the {noun}"

    def subject(self) -> str:
        """Any subject that works with a past-tense or modal verb."""
        x = self.rand()
        if x < 0.5:
            return self.np()
        if x < 0.7:
            return self.pick(w.GROUPS) if self.rand() < 0.6 else self.group_in()
        if x < 0.85:
            return self._cast_person()
        return f"the {self.pick(('council', 'ministry', 'board', 'agency'))} in {self.place()}"

    def group_in(self) -> str:
        """A group of people tied to a place."""
        return f"{self.pick(w.ADJECTIVES)} {self.pick(w.GROUPS)} in {self.place()}"

    def when(self) -> str:
        """A time phrase."""
        phrase = self.pick(w.TIMES)
        return phrase.format(
            year=self.cast.year + self.between(0, 4),
            k=self.between(2, 18),
            month=self.pick(w.MONTHS),
        )

    def clause(self, depth: int = 0) -> str:
        """An independent clause."""
        verb, past = self.pick(w.VERBS)
        x = self.rand()
        if x < 0.3:
            adv = f"{self.pick(w.ADVERBS)} " if self.rand() < 0.4 else ""
            tail = f" {self.when()}" if self.rand() < 0.25 else ""
            return f"{self.subject()} {adv}{past} {self.np()}{tail}"
        if x < 0.5:
            return f"{self.subject()} {self.pick(w.MODALS)} {verb} {self.np()}"
        if x < 0.58:
            return f"{self.between(3, 97)} per cent of {self.pick(w.GROUPS)} {past} {self.np()}"
        if x < 0.64:
            return f"nobody in {self.place()} {past} {self.np()}"
        if x < 0.74:
            return f"{self.np()} was {self.pick(w.JUDGEMENTS)} {self._compare()}"
        if x < 0.84 and depth == 0:
            return f"{self._cast_person()} {self.pick(w.SPEECH)} that {self.clause(1)}"
        if x < 0.92:
            modal = self.pick(("should", "will", "must", "could"))
            return f"{self.pick(w.GROUPS)} {modal} not {verb} {self.np()} {self.when()}"
        return f"{self.np()} cost {self.between(2, 900)} million and {past} {self.np()}"

    def _compare(self) -> str:
        options = (
            "from the start",
            f"in {self.place()}",
            f"for {self.pick(w.GROUPS)}",
            f"by {self.cast.year}",
            "at best",
            f"compared with {self.place()}",
        )
        return self.pick(options)

    def _fresh_meta(self) -> str | None:
        """A not yet used sentence about the article's media subject, if it has one."""
        options = w.META_SENTENCES.get(self.cast.topic, ())
        choice = self.pick(options) if options else None
        if choice is None or choice in self.used:
            return None
        self.used.add(choice)
        return choice

    def sentence(self) -> str:
        """One sentence in one of several shapes."""
        x = self.rand()
        meta = self._fresh_meta() if x < 0.08 else None
        if meta:
            adj = self.pick(w.ADJECTIVES)
            return meta.format(
                a=indefinite(adj),
                adj=adj,
                group=self.pick(w.GROUPS),
                place=self.place(),
                pct=self.between(4, 60),
                noun=self.noun(),
            )
        if x < 0.3:
            return cap(self.clause()) + "."
        if x < 0.48:
            return f"{self.pick(w.OPENERS)}, {self.clause()}."
        if x < 0.62:
            return f"{self.pick(w.SUBORDINATORS)} {self.clause(1)}, {self.clause(1)}."
        if x < 0.78:
            return f"{cap(self.clause())}, {self.pick(w.COORDINATORS)} {self.clause(1)}."
        if x < 0.85:
            verb = self.pick(w.VERBS)[0]
            modal = self.pick(("should", "would", "must"))
            return f"Why {modal} {self.pick(w.GROUPS)} {verb} {self.np()}?"
        if x < 0.93:
            role = self.pick(w.ROLES)
            return (
                f"\u201c{cap(self.clause(1))},\u201d says {self.person()}, "
                f"{indefinite(role)} {role} from {self.place()}."
            )
        return f"{cap(self.clause())} \u2014 and {self.clause(1)}."

    def paragraph(self, sentences: int) -> str:
        """A paragraph of the given number of sentences."""
        return " ".join(self.sentence() for _ in range(sentences))

    def heading(self) -> str:
        """A short body sub-heading."""
        noun = self.noun()
        adj = self.pick(w.ADJECTIVES)
        options = (
            f"The {adj} {noun}",
            f"What {self.pick(w.GROUPS)} in {self.place()} want",
            f"Where {self.place()} goes from here",
            f"Who pays for the {noun}?",
            f"The case for {indefinite(adj)} {adj} {noun}",
            f"{self.place()} and the {noun}",
        )
        return self.pick(options)

    def list_item(self) -> str:
        """One bullet point."""
        verb = self.pick(w.VERBS)[0]
        if self.rand() < 0.5:
            return f"{cap(verb)} the {self.pick(w.ADJECTIVES)} {self.noun()} in {self.place()}."
        return f"{cap(self.np())} {self.pick(w.MODALS)} {verb} {self.np()}."

    def standfirst(self) -> str:
        """A one-sentence summary shown under the headline."""
        return cap(self.clause()) + "."

    def caption(self) -> str:
        """A photo caption without its credit."""
        return f"{cap(self.pick(w.GROUPS))} outside the {self.noun()} in {self.place()}."

    def credit(self) -> str:
        """A photo credit line."""
        return f"Photograph: {self.person()}/{self.pick(w.AGENCIES)}"

    def team(self) -> str:
        """An invented football club."""
        return f"{self.place()} {self.pick(w.TEAM_TAILS)}"

    def headline(self, kind: str) -> str:
        """A headline suited to the page kind."""
        if kind == "sports":
            return self._sports_headline()
        noun, place = self.noun(), self.cast.places[0]
        adj, verb = self.pick(w.ADJECTIVES), self.pick(w.VERBS)
        if kind == "news":
            options: tuple[str, ...] = (
                f"{place} council {verb[1]} {noun} plan after {adj} vote",
                f"Officials in {place} {verb[1]} {noun} after {self.between(3, 14)}-hour meeting",
                f"{cap(noun)} in {place} {self.pick(w.JUDGEMENTS)}, report finds",
            )
            return cap(self.pick(options))
        options = (
            f"{place} cannot afford another {adj} {noun}",
            f"The {noun} in {place} is {self.pick(w.JUDGEMENTS)}, and everyone knows it",
            f"Why {self.pick(w.GROUPS)} in {place} deserve a better {noun}",
            f"Stop pretending the {noun} in {place} will fix itself",
            f"{self.cast.people[0]} is wrong about the {adj} {noun}",
            f"What {place} gets wrong about the {noun}",
            f"It is time to {verb[0]} the {adj} {noun} in {place}",
            f"{cap(indefinite(adj))} {adj} {noun} will not save {place}",
            f"Let {self.pick(w.GROUPS)} in {place} {verb[0]} the {noun}",
        )
        return cap(self.pick(options))

    def _sports_headline(self) -> str:
        home, away = self.team(), self.team()
        a = self.between(1, 5)
        b = self.between(0, a - 1)
        verb = self.pick(("beat", "edge past", "sweep aside", "outlast"))
        options = (
            f"{home} {verb} {away} {a}-{b} in {self.pick(w.ADJECTIVES)} contest",
            f"{self.cast.people[0]} scores twice as {home} climb the table",
            f"{home} and {away} draw {b}-{b} after {self.pick(w.ADJECTIVES)} second half",
        )
        return self.pick(options)
