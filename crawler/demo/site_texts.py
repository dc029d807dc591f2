"""House texts no rule knows: per publisher and seed, fresh appeal, newsletter, disclaimer and
bio wording, slotted between body paragraphs (`generate(..., site_texts=True)`)."""
# ruff: noqa: RUF001 -- Cyrillic text is meant

from __future__ import annotations

import random
from dataclasses import dataclass

from crawler.demo.model import Block

__all__ = ["HouseTexts", "house_texts", "place_house_texts"]

# Each text is built from one choice per slot: wording changes with the seed, and no slot uses
# the words generic rules look for (donate, support, subscribe, newsletter, member ...).
_GRAMMAR: dict[str, dict[str, tuple[tuple[str, ...], ...]]] = {
    "en": {
        "appeal": (
            (
                "Every column on these pages exists",
                "Nothing you read here would be printed",
                "These columns reach every household",
                "Our reporters keep digging",
            ),
            (
                "only because a few people pitch in",
                "thanks to a few thousand patrons of {brand}",
                "because readers pay what they can spare",
                "on the kindness of our backers",
            ),
            (
                "every month; a coffee's worth keeps the presses of {brand} turning.",
                "each season; add your name to the roll of patrons before the quarter ends.",
                "so that the archive stays open; put a coin in the jar today.",
            ),
        ),
        "newsletter": (
            (
                "Get the morning digest of {brand}",
                "Want our Friday letter in your mailbox?",
                "Join the early briefing from {brand}",
            ),
            (
                "with five stories picked by our editors",
                "with the best arguments of the week",
                "with the columns everyone is talking about",
            ),
            (
                "before your commute; enter your address in the box below.",
                "every weekday at seven; type your address below and press go.",
                "and nothing else, we promise; leave your address in the field below.",
            ),
        ),
        "disclaimer": (
            (
                "Pieces in this section reflect the writer's judgment",
                "Columns published here speak",
                "Arguments on this page belong to their authors",
            ),
            (
                "rather than any house line of {brand},",
                "for the columnist alone,",
                "rather than to {brand} as an institution,",
            ),
            (
                "which invites rebuttals of any length.",
                "and replies go to the letters desk.",
                "and a right of reply is always open.",
            ),
        ),
        "bio": (
            (
                "The author teaches regional economics",
                "The author spent twenty years as a judge",
                "The author ran a hospital ward",
                "The author is a former city planner",
            ),
            (
                "and writes a column for {brand}",
                "and contributes to {brand} monthly",
                "and joined the opinion pages of {brand} last spring",
            ),
            (
                "from a farmhouse outside the capital.",
                "while finishing a book on local councils.",
                "alongside a podcast about public money.",
                "between shifts as a volunteer medic.",
            ),
        ),
    },
    "ru": {
        "appeal": (
            (
                "Каждая колонка на этих страницах выходит",
                "Ничего из того, что вы здесь читаете,",
                "Эта страница открыта всем",
                "Наши корреспонденты продолжают работу",
            ),
            (
                "только потому, что читатели скидываются",
                "благодаря нескольким тысячам меценатов",
                "потому что люди платят сколько могут",
                "на щедрость наших друзей",
            ),
            (
                "каждый месяц; стоимость чашки кофе сохраняет газету «{brand}» живой.",
                "каждый квартал; впишите своё имя в список меценатов до конца сезона.",
                "чтобы никому не пришлось сидеть за стеной; скиньтесь сегодня.",
            ),
        ),
        "newsletter": (
            (
                "Получайте утренний дайджест «{brand}»",
                "Хотите пятничное письмо в свой ящик?",
                "Читайте ранний брифинг «{brand}»",
            ),
            (
                "с пятью текстами, отобранными редакторами",
                "с лучшими аргументами недели",
                "с колонками, о которых все говорят",
            ),
            (
                "до начала рабочего дня; введите адрес в поле ниже.",
                "по будням в семь утра; укажите адрес ниже и нажмите кнопку.",
                "и больше ничего, обещаем; оставьте адрес в форме ниже.",
            ),
        ),
        "disclaimer": (
            (
                "Тексты этого раздела отражают суждения автора",
                "Колонки, опубликованные здесь,",
                "Аргументы на этой странице принадлежат авторам",
            ),
            (
                "а не позицию редакционного совета «{brand}»,",
                "и говорят только за колумниста,",
                "а не газете «{brand}» как институции,",
            ),
            (
                "и редакция открыта для ответов любой длины.",
                "а ответы принимает отдел писем.",
                "и право на ответ всегда открыто.",
            ),
        ),
        "bio": (
            (
                "Автор преподаёт региональную экономику",
                "Автор двадцать лет проработал судьёй",
                "Автор руководил отделением больницы",
                "Автор в прошлом градостроитель",
            ),
            (
                "и ведёт колонку в «{brand}»",
                "и пишет для «{brand}» ежемесячно",
                "и пришёл в раздел мнений «{brand}» прошлой весной",
            ),
            (
                "из деревенского дома под столицей.",
                "заканчивая книгу о местных советах.",
                "параллельно с подкастом о государственных деньгах.",
                "между сменами волонтёром.",
            ),
        ),
    },
}
# A column's sign-off (too short for the memory) and a quotation some columns share: body.
_SIGN_OFF = {
    "en": ("Until next week, then.", "More on this soon.", "Write back, as always."),
    "ru": ("До следующей недели.", "Продолжение следует.", "Пишите, как всегда."),
}
_QUOTE = {
    "en": ("A city is not its buildings but the habits of the people who argue inside them, "
           "and {brand} has always taken that argument seriously."),
    "ru": ("Город — это не здания, а привычки людей, которые спорят внутри них, и газета "
           "«{brand}» всегда относилась к этому спору всерьёз."),
}  # fmt: skip
BIOS = 4  # bios per publisher and language: each columnist's articles carry one of them


@dataclass(frozen=True, slots=True)
class HouseTexts:
    """One publisher's house texts in one language."""

    appeals: tuple[str, ...]  # two campaigns
    newsletter: str
    disclaimer: str
    bios: tuple[str, ...]
    sign_off: str
    quote: str


def _compose(rng: random.Random, slots: tuple[tuple[str, ...], ...], brand: str) -> str:
    return " ".join(rng.choice(options) for options in slots).format(brand=brand)


def house_texts(seed: int, short: str, lang: str, brand: str) -> HouseTexts:
    """The publisher's texts for a seed: the same on every page, different for another seed."""
    rng = random.Random(f"{seed}:{short}:{lang}:house")
    grammar = _GRAMMAR[lang]
    appeals: list[str] = []
    while len(appeals) < 2:
        text = _compose(rng, grammar["appeal"], brand)
        appeals += [text] if text not in appeals else []
    bios = tuple(dict.fromkeys(_compose(rng, grammar["bio"], brand) for _ in range(BIOS * 3)))
    return HouseTexts(tuple(appeals), _compose(rng, grammar["newsletter"], brand),
                      _compose(rng, grammar["disclaimer"], brand), bios[:BIOS],
                      rng.choice(_SIGN_OFF[lang]), _QUOTE[lang].format(brand=brand))  # fmt: skip


def place_house_texts(
    rng: random.Random, house: HouseTexts, blocks: list[Block], author: str, opinion: bool
) -> tuple[list[Block], dict[int, tuple[str, ...]]]:
    """The body with its shared sign-off or quote, and the house texts after body block i."""
    body = list(blocks)
    if opinion and rng.random() < 0.25:
        body.append(Block("p", (house.sign_off,)))
    if opinion and len(body) > 3 and rng.random() < 0.03:
        body.insert(2, Block("quote", (house.quote,)))
    inner = [i for i, b in enumerate(body[:-1]) if b.kind == "p"] or [0]
    inserts: dict[int, list[str]] = {}
    if rng.random() < 0.7:
        inserts.setdefault(rng.choice(inner), []).append(rng.choice(house.appeals))
    if rng.random() < 0.5:
        inserts.setdefault(rng.choice(inner), []).append(house.newsletter)
    last = len(body) - 1
    if opinion and rng.random() < 0.8:
        inserts.setdefault(last, []).append(house.disclaimer)
    if opinion and rng.random() < 0.9:
        inserts.setdefault(last, []).append(house.bios[hash_name(author) % len(house.bios)])
    return body, {i: tuple(texts) for i, texts in inserts.items()}


def hash_name(name: str) -> int:
    """A stable small number for a name (Python's hash() changes between processes)."""
    return sum(name.encode("utf-8")) % 97
