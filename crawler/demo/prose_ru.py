"""Deterministic Russian prose: a small random grammar with case and gender agreement."""
# ruff: noqa: RUF001, RUF002

from __future__ import annotations

import random

from crawler.demo import words_ru as w
from crawler.demo.chance import Chance
from crawler.demo.model import Cast
from crawler.demo.prose_en import cap

_VOWEL_STARTS = tuple("аоуэиыАОУЭИЫ")
_SPEND = {"m": "обошёлся", "f": "обошлась", "n": "обошлось", "p": "обошлись"}
_NEEDED = {"m": "нужен", "f": "нужна", "n": "нужно", "p": "нужны"}
_SAYS = ("считает", "напоминает", "признаёт", "подчёркивает", "замечает", "уверяет")
_TEAM_HEADS = ("Металлург", "Химик", "Речник", "Лесник", "Строитель", "Текстильщик")


def about(phrase: str) -> str:
    """The preposition "о" (or "об" before a vowel) followed by a phrase."""
    return ("об " if phrase.startswith(_VOWEL_STARTS) else "о ") + phrase


def plural(n: int, one: str, few: str, many: str) -> str:
    """Pick the noun form that agrees with a number."""
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def gender_of(name: str) -> str:
    """Grammatical gender of a person from the first word of the name."""
    return "f" if name.split()[0][-1] in "ая" else "m"


def full_name(rng: random.Random) -> str:
    """An invented Russian full name with a surname matching the gender."""
    surname = rng.choice(w.SURNAMES)
    if rng.random() < 0.5:
        return f"{rng.choice(w.FEMALE_NAMES)} {surname}а"
    return f"{rng.choice(w.MALE_NAMES)} {surname}"


def make_cast(rng: random.Random, topic: str, year: int) -> Cast:
    """Pick the towns and people a Russian article will keep returning to."""
    places = {rng.choice(w.PLACE_HEADS) + rng.choice(w.PLACE_TAILS) for _ in range(3)}
    people = {full_name(rng) for _ in range(3)}
    return Cast("ru", topic, tuple(sorted(places)), tuple(sorted(people)), year)


class RussianWriter(Chance):
    """Writes headlines, paragraphs and captions for one Russian article."""

    lang = "ru"

    def __init__(self, rng: random.Random, cast: Cast) -> None:
        super().__init__(rng)
        self.cast = cast
        self.used: set[str] = set()
        self.topic_nouns = w.TOPIC_NOUNS[cast.topic]

    def place(self) -> str:
        """One of the article's towns, now and then a new one."""
        if self.rand() < 0.15:
            return self.pick(w.PLACE_HEADS) + self.pick(w.PLACE_TAILS)
        return self.pick(self.cast.places)

    def person(self) -> str:
        """A newly invented full name."""
        return full_name(self.r)

    def noun(self) -> w.Noun:
        """A topic noun or a general one."""
        return self.pick(self.topic_nouns if self.rand() < 0.5 else w.NOUNS)

    def adj(self, case: str, gender: str) -> str:
        """A random adjective agreeing in case and gender."""
        return self.pick(w.ADJ_STEMS) + w.ADJ_ENDINGS[case][gender]

    def np(self, case: str) -> tuple[str, str]:
        """A noun phrase in the given case, with its gender."""
        noun = self.noun()
        word, gender, x = noun[w.CASES[case]], noun[4], self.rand()
        if x < 0.5:
            return f"{self.adj(case, gender)} {word}", gender
        if x < 0.62:
            return f"{word} города {self.place()}", gender
        if x < 0.8:
            other = self.noun()
            return f"{word} {self.adj('gen', other[4])} {other[1]}", gender
        return word, gender

    def subject(self) -> tuple[str, str]:
        """A subject with its gender ("p" for plural)."""
        x = self.rand()
        if x < 0.5:
            return self.np("nom")
        if x < 0.7:
            return self.pick(w.GROUPS)[0], "p"
        if x < 0.85:
            name = self.pick(self.cast.people)
            return name, gender_of(name)
        inst, gender = self.pick(w.INSTITUTIONS)
        return f"{inst} города {self.place()}", gender

    def when(self) -> str:
        """A time phrase."""
        return self.pick(w.TIMES).format(
            year=self.cast.year + self.between(1, 4), k=self.between(5, 15)
        )

    def clause(self, depth: int = 0) -> str:
        """An independent clause with agreeing subject and verb."""
        past, inf = self.pick(w.VERBS)
        subj, g = self.subject()
        obj = self.np("acc")[0]
        x = self.rand()
        if x < 0.3:
            adv = f"{self.pick(w.ADVERBS)} " if self.rand() < 0.35 else ""
            return f"{subj} {adv}{past}{w.PAST_ENDINGS[g]} {obj}"
        if x < 0.45:
            return f"{subj} {w.MUST[g]} {inf} {obj} {self.when()}"
        if x < 0.53:
            pct = self.between(3, 97)
            share = plural(pct, "процент", "процента", "процентов")
            return f"{pct} {share} {self.pick(w.GROUPS)[1]} {past}и {obj}"
        if x < 0.6:
            return f"в городе {self.place()} никто не {past} {obj}"
        if x < 0.68:
            return f"{self.np('nom')[0]} \u2014 это {self.np('nom')[0]}"
        if x < 0.78 and depth == 0:
            return f"{self.pick(self.cast.people)} {self.pick(_SAYS)}, что {self.clause(1)}"
        if x < 0.88:
            neg = "не " if self.rand() < 0.4 else ""
            return f"{self.pick(w.GROUPS)[0]} {neg}{self.pick(w.PRESENT_PL)} {obj}"
        if x < 0.94:
            head, g2 = self.np("nom")
            k = self.between(2, 900)
            return (
                f"{head} {_SPEND[g2]} в {k} {plural(k, 'миллион', 'миллиона', 'миллионов')} рублей"
            )
        return f"разговоры {about(self.np('prep')[0])} идут уже {self.between(5, 20)} лет"

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
            return meta.format(
                group=self.pick(w.GROUPS)[0], place=self.place(), pct=self.between(5, 60)
            )
        if x < 0.28:
            return cap(self.clause()) + "."
        if x < 0.45:
            return f"{self.pick(w.OPENERS)}, {self.clause()}."
        if x < 0.58:
            return f"{self.pick(w.SUBORDINATORS)} {self.clause(1)}, {self.clause(1)}."
        if x < 0.72:
            return f"{cap(self.clause())}, {self.pick(w.COORDINATORS)} {self.clause(1)}."
        if x < 0.79:
            subj, g = self.np("nom")
            past = self.pick(w.VERBS)[0]
            return f"Почему {subj} {past}{w.PAST_ENDINGS[g]} {self.np('acc')[0]}?"
        if x < 0.87:
            return (
                f"\u00ab{cap(self.clause(1))}\u00bb, \u2014 говорит {self.person()}, "
                f"{self.pick(w.ROLES)}."
            )
        if x < 0.93:
            first, second = self.np("prep")[0], self.np("prep")[0]
            return f"Речь идёт не {about(first)}, а {about(second)}."
        return f"{cap(self.clause())} \u2014 и {self.clause(1)}."

    def paragraph(self, sentences: int) -> str:
        """A paragraph of the given number of sentences."""
        return " ".join(self.sentence() for _ in range(sentences))

    def heading(self) -> str:
        """A short body sub-heading."""
        options = (
            cap(self.np("nom")[0]),
            f"Кто заплатит за {self.np('acc')[0]}",
            f"{self.place()} и {self.np('nom')[0]}",
            f"Цена {self.np('gen')[0]}",
            f"Зачем городу {self.np('nom')[0]}",
        )
        return self.pick(options)

    def list_item(self) -> str:
        """One bullet point."""
        inf = self.pick(w.VERBS)[1]
        if self.rand() < 0.5:
            return f"{cap(inf)} {self.np('acc')[0]} в городе {self.place()}."
        subj, g = self.np("nom")
        return f"{cap(subj)} {w.MUST[g]} {inf} {self.np('acc')[0]}."

    def standfirst(self) -> str:
        """A one-sentence summary shown under the headline."""
        return cap(self.clause()) + "."

    def caption(self) -> str:
        """A photo caption without its credit."""
        return f"{cap(self.np('nom')[0])} в городе {self.place()}."

    def credit(self) -> str:
        """A photo credit line."""
        return f"Фото: {self.person()} / {self.pick(w.AGENCIES)}"

    def team(self) -> str:
        """An invented football club."""
        return f"\u00ab{self.pick(_TEAM_HEADS)} {self.place()}\u00bb"

    def headline(self, kind: str) -> str:
        """A headline suited to the page kind."""
        place = self.cast.places[0]
        past, inf = self.pick(w.VERBS)
        subj, g = self.np("nom")
        obj = self.np("acc")[0]
        if kind == "sports":
            home, away, a, b = self.team(), self.team(), self.between(1, 5), self.between(0, 3)
            options: tuple[str, ...] = (
                f"{home} обыграл {away} со счётом {max(a, b) + 1}:{min(a, b)}",
                f"{home} и {away} сыграли вничью \u2014 {b}:{b}",
            )
            return self.pick(options)
        if kind == "news":
            inst, ig = self.pick(w.INSTITUTIONS)
            return cap(f"{inst} города {place} {past}{w.PAST_ENDINGS[ig]} {obj}")
        options = (
            f"{cap(subj)} \u2014 это {self.adj('nom', 'f')} ошибка",
            f"Почему {subj} не спасёт {place}",
            f"Хватит делать вид, что {subj} {past}{w.PAST_ENDINGS[g]} {obj}",
            f"Кому {_NEEDED[g]} {subj} в городе {place}?",
            f"{self.cast.people[0]} ошибается насчёт {self.np('gen')[0]}",
            f"Пора {inf} {obj} в городе {place}",
        )
        return self.pick(options)
