"""The generic text rules: phrases that mark a block as boilerplate, by kind and language."""
# ruff: noqa: RUF001 -- Cyrillic letters and typographic quotes in patterns are meant

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["GENERIC_RULES", "TextRule"]


@dataclass(frozen=True, slots=True)
class TextRule:
    """A block matching `pattern` (lowercase) with at most `max_words` words is of `kind`."""

    kind: str
    pattern: re.Pattern[str]
    max_words: int


def _rule(kind: str, max_words: int, pattern: str) -> TextRule:
    # lowercase patterns matched against lowercased text: a third faster than re.IGNORECASE
    return TextRule(kind, re.compile(pattern), max_words)


# The word limits keep long paragraphs that merely discuss donations or paywalls.
# Each rule was measured on the development set; see evaluate.py --ablate.
GENERIC_RULES: tuple[TextRule, ...] = (
    _rule(
        "appeal",
        60,
        r"\b(please |consider )?(donate|make a (one-time |monthly )?(donation|"
        r"contribution|gift))\b( now| today| here| to us| to (the|our) \w+ (journalism|newsroom"
        r"|reporting))|\bsupport (our|us|independent|quality) "
        r"(journalism|reporting|newsroom|work)\b|\bbecome a (member|supporter|patron|"
        r"friend of)\b|\b(reader|member)[- ](funded|supported)\b|\bchip in\b|"
        r"\byour (support|donation|contribution|gift) (helps|makes|keeps|will|is|means)\b",
    ),
    _rule(
        "appeal",
        6,
        r"^(remind me (later|in)|(once|one[- ]time|monthly|annual(ly)?|yearly)"
        r"([\s/|·,]+(once|one[- ]time|monthly|annual(ly)?|yearly))+|donate|support us"
        r"|[$€£]\s?\d+([\s,]+[$€£]\s?\d+)+([\s,]+other)?)\W*$",
    ),
    _rule(
        "appeal",
        50,
        r"поддерж(ите|ать|и) (нас|редакци|издани|независим|проект|журналист)"
        r"|(сделать|сделайте|оформить|оформите) (пожертвование|донат|регулярн)",
    ),
    _rule(
        "newsletter",
        40,
        r"\b(sign up|subscribe|register) (now |today |here )?(for|to) "
        r"(our|the|my|this|a) ([\w'’-]+ ){0,4}(newsletter|briefing|e-?mail|digest|updates)"
        r"|\bnewsletter\b.{0,80}\b(sign up|subscribe|inbox|e-?mail)|\benter your e-?mail\b"
        r"|\b(delivered|straight|directly) (straight )?to your inbox\b",
    ),
    _rule(
        "newsletter",
        40,
        r"подпис(ывайтесь|аться|ка|ывайся) на (наш|нашу|рассылк|канал|"
        r"telegram|телеграм)",
    ),
    _rule(
        "paywall",
        50,
        r"\b(subscribe|sign in|log in|register|subscribers?) (now )?to "
        r"(continue|keep) reading\b|\balready (a subscriber|a member|have an account)\b"
        r"|\b(this|the) (article|story|content) is (only )?(available|reserved|exclusive) "
        r"(to|for) (\w+ )?(subscribers|members)\b|\byou('ve| have) (reached|read|used) "
        r"(your|all|the) .{0,30}\b(free|limit)|\bunlock (this|the full|full) (article|story|"
        r"access)\b|\bto continue reading\b|\bthe rest of this (article|story) is\b",
    ),
    _rule("paywall", 12, r"\bsubscribers? only\b|\bsubscribe now\b|\bsubscribe (today|for)\b"),
    _rule(
        "paywall",
        50,
        r"(продолжение|полный текст|материал|статья) доступ\w* (только )?"
        r"(по подписке|подписчикам)|оформите подписку",
    ),
    _rule(
        "disclaimer",
        70,
        r"\b(the )?(views|opinions) expressed\b|\b(views|opinions) "
        r"(are|is) (the author'?s?|their|his|her|my) own\b|\bdo(es)? not necessarily "
        r"(reflect|represent)\b",
    ),
    _rule(
        "disclaimer",
        50,
        r"мнение (автора|редакции) (может не совпадать|не обязательно "
        r"совпадает)|точка зрения автора (может не совпадать|не обязательно)",
    ),
    _rule(
        "credit",
        20,
        r"^(photo(graph)?|image|picture|illustration|credit|фото|иллюстрация)s?"
        r"( by)?\s*[:©]|^©|\((ap|afp|reuters|getty)? ?(photo|image)s?\b[^)]*\)$"
        r"|\b(getty images|ap photo|shutterstock|afp via getty)\b",
    ),
    _rule(
        "related",
        25,
        r"^(read more|read also|also read|more from|related( articles| stories"
        r"| coverage)?|see also|recommended( for you)?|you (may|might) also like|more on this"
        r"( story| topic)?|further reading|most (read|popular)|читайте (также|еще|ещё)|"
        r"смотрите также|по теме|ещё по теме)\b(\W|$)",
    ),
    _rule(
        "share",
        12,
        r"^(share( this)?( article| story| post| interview| column)?( on| via)?"
        r"(\W*$|\s*:| (facebook|"
        r"twitter|x|bluesky|linkedin|whatsapp|email|mastodon)\b)|tweet( this)?$"
        r"|follow us on|click to share|copy link|email this|поделиться)",
    ),
    _rule(
        "comments",
        8,
        r"^(\d+ comments?|(view|show|read|add|leave|post|join) (a |all |the )?"
        r"(\d+ )?(comments?|conversation)|comments?( \(\d+\))?|комментари\w*( \(\d+\))?)\W*$",
    ),
    _rule(
        "disclaimer",
        50,
        r"\baffiliate (links?|commission|partner)|\bearn (a |an )?(small )?"
        r"(affiliate )?commission\b|\bamazon associate\b|\bqualifying purchases\b"
        r"|\bchosen independently by our editors\b|^advertiser disclosure\W*$",
    ),
    _rule(
        "newsletter",
        20,
        r"\b(join|get|sign up for|subscribe to) (our|the|my) ([\w'’+-]+ )"
        r"{0,3}newsletters?\b",
    ),
    _rule("paywall", 20, r"\b(exclusive|available) (only )?to .{0,25}\b(subscribers|members)\b"),
    _rule(
        "share",
        30,
        r"\bplease consider (liking|sharing|subscribing|supporting)\b|^follow "
        r"([\w.]+ ){1,3}on (twitter|facebook|instagram|x|linkedin|tiktok|youtube)\b",
    ),
    _rule("related", 25, r"^(more|next|previous) (article|story|post)?\s*:|^more\s*:\s*\w"),
    _rule(
        "appeal",
        40,
        r"\bwe need your (help|support)\b|\bchoose (an |your )?amount\b"
        r"|\bhow would you like to (support|give|contribute)\b|\breaders like you\b"
        r"|нам нужна ваша (помощь|поддержка)|помоги(те)? (нам|нашей|редакции|газете|изданию|"
        r"проекту)|помочь сейчас|как вы хотите (нас )?поддержать|читател\w+ поддержали нас"
        r"|пожертвовани\w+ читателей|оплачивают читатели|выберите сумму|напомнить (позже|"
        r"через)|присоединяйтесь|возможно только благодаря вам",
    ),
    _rule(
        "newsletter",
        40,
        r"\bunsubscribe at any time\b|\bby (clicking|signing up|"
        r"subscribing)\b.{0,40}\byou agree\b|\bwe (will )?never share your (e-?mail|address)"
        r"|подпишитесь на (нашу |наши )?рассылк|^рассылка\b|хочу получать (письма|рассылку)"
        r"|отписаться можно в любой момент|не переда\w+ адрес\w* третьим лицам"
        r"|нажимая (на )?кнопку,? вы соглашаетесь",
    ),
    _rule(
        "disclaimer",
        40,
        r"\brepresents? the (views|opinions) of (its|their|the) authors?\b"
        r"|\bnot (necessarily )?(the|our) (editorial )?(position|view|stance)s?\b"
        r"|не (разделять|разделяет) точку зрения|отража\w+ (личную )?(позицию|точку зрения|мнение) "
        r"автора",
    ),
    _rule(
        "credit",
        25,
        r"\b(фото|photo(graph)?|foto|image|picture|illustration)s?\s*:\s*[^/\n]{2,60}/\s*\S",
    ),
    _rule(
        "comments",
        6,
        r"^(что думают читатели|комментарии читателей|what readers (think|say)"
        r"|reader comments|join the discussion)\W*$",
    ),
    _rule(
        "comments",
        80,
        r"^[^\W\d][\w .'-]{2,40},\s+\d+\s+(ч|час\w*|мин\w*|дн\w*|h|hours?|"
        r"minutes?|mins?|days?)\.?\s+(назад|ago)\b",
    ),
    _rule(
        "related",
        6,
        r"^(материалы по теме|самое читаемое|другие колонки|more in \w+|"
        r"most read|related articles|more stories)\W*$",
    ),
    _rule(
        "share",
        8,
        r"^(отправить ссылку (другу|друзьям)|send (a |this )?link to a friend"
        r"|поделиться с друзьями)",
    ),
    _rule(
        "appeal",
        40,
        r"\breaders (have )?supported (us|the)\b|\bwill you help( us)?\b"
        r"|\bjoin them\b|\b(give|donate) (monthly|once|annually)\b|\bchoose how often\b"
        r"|\bjournalism needs you\b|\bsupport the writers\b|\bwas free to read\b"
        r"|\bwho chip in\b|\bfrom just [$€£]\s?\d+ a (month|year)\b|^remind me in \w+\W*$"
        r"|нас поддержали \d+ читател|поможете\?|вы дочитали до конца",
    ),
    _rule("newsletter", 30, r"бесплатное письмо|присыла\w+ (их )?подписчикам"),
    _rule(
        "share",
        12,
        r"^(send (this|it) to a friend|share with (friends|a friend)|print (version|this))\b",
    ),
    _rule("related", 6, r"^(другие мнения|other opinions|more opinion)\W*$"),
    _rule(
        "appeal",
        60,
        r"\b(funded|supported) by (our )?readers\b|\bif you value (our |this |"
        r"independent |local )?(journalism|reporting|work)\b|\bplease consider (a gift|giving"
        r"|supporting|a donation|a contribution)\b|\bbecome a (member|supporter) today\b"
        r"|\bnot (billionaires|shareholders)\b|\bno billionaire\b",
    ),
    _rule(
        "appeal",
        4,
        r"^(give now|give today|donate now|support us|become a member|join now"
        r"|faites un don|jetzt spenden|поддержать)\W*$",
    ),
    _rule(
        "paywall",
        40,
        r"\bget unlimited"
        r" access\b|\b[$€£]\s?\d+(\.\d+)? (a|per) (week|month)\b|\bfor your first (year|month)\b"
        r"|\bcancel any ?time\b|\bavailable to (registered|signed-in) (readers|users)\b"
        r"|\b(create|register for) a free account\b|^subscribe now\W*$",
    ),
    _rule(
        "newsletter",
        40,
        r"\byou (may|can) (opt out|unsubscribe) at any time\b|\bsee our privacy"
        r" policy\b|\bevery (monday|tuesday|wednesday|thursday|friday|saturday|sunday|week|"
        r"morning|day)\b.{0,40}\b(inbox|newsletter|e-?mail)\b",
    ),
    _rule(
        "disclaimer",
        60,
        r"\bnot necessarily those of\b|\bopinion pieces reflect\b"
        r"|\bthis (article|story|essay) (appears|appeared) in the\b|\bsubmit a letter\b",
    ),
    _rule(
        "credit",
        30,
        r"\((\w+ )?(photo|photograph|image|video|illustration)s? (by|courtesy)\b"
        r"|^(video|watch)\s*:",
    ),
    # French and German generic phrases
    _rule(
        "appeal",
        50,
        r"\bfaites un don\b|\bsoutenez (une|la|notre|le) (presse|journalisme|"
        r"rédaction|information)\b|\bunterstützen sie (unabhängigen|unseren|uns)\b",
    ),
    _rule(
        "newsletter",
        40,
        r"\babonnez-vous à (notre|la|nos) (newsletter|lettre)|^la lettre d"
        r"|\bnewsletter abonnieren\b|\binscrivez-vous à (notre|la) newsletter",
    ),
    _rule("disclaimer", 50, r"\bn[’']engagent que (leur|son) auteur|\bles opinions exprimées\b"),
    _rule("related", 12, r"^(lire aussi|à lire aussi|lesen sie auch|mehr zum thema)\b"),
    _rule("comments", 12, r"^connectez-vous pour réagir\b|^(réagir|kommentare)\W*$"),
    _rule("paywall", 40, r"\bréservé aux abonnés\b|\bnur für abonnenten\b"),
    _rule("appeal", 30, r"\byou('ve| have) read \d+ (free )?(articles|stories)\b"),
    _rule(
        "newsletter",
        15,
        r"на (вашу )?(электронную )?почту\b|на ваш (e-?mail|имейл|почтовый ящик)"
        r"|\b(straight |right )?(to|in) your inbox\b",
    ),
    _rule(
        "appeal",
        6,
        r"^(разово|единоразово|ежемесячно|ежегодно|раз в месяц)([\s/|·,]+(разово|"
        r"единоразово|ежемесячно|ежегодно|раз в месяц|раз в год))+\W*$",
    ),
    _rule(
        "appeal",
        50,
        r"\b(contribution|donation|gift) of any (size|amount)\b|\bcosts money\b"
        r"|\b(per ?cent|%) of our (costs|budget|funding)\b|\bfrom just \S+ (a|per) (month|week"
        r"|year)\b|\bmake a (contribution|donation)\b|\b(pick|choose) an amount\b|\bremind me "
        r"(later|in|next)\b|^maybe later\b|\bopen to everyone\b|\ba small favou?r to ask\b"
        r"|\byou made it to the end\b|^before you go\W*$|\bcancel (at )?any ?time\b",
    ),
    _rule(
        "appeal",
        2,
        r"^(once|monthly|annual|annually|yearly|one-time|разово|ежемесячно"
        r"|ежегодно)\W*$",
    ),
    _rule(
        "newsletter",
        30,
        r"\bsign me up\b|\bsend me the newsletter\b|\bnever miss an? "
        r"(column|story|thing|issue|update)\b|\bdelivered (each|every) \w+\b|\ba free e-?mail\b"
        r"|\bsends? them (to you )?every\b|^sign up for\b|\bin your inbox\b|\bonce a week\b",
    ),
    _rule(
        "cookie",
        40,
        r"\bstores? cookies\b|\bcookies to (improve|measure|personalise|"
        r"personalize)\b|\bmanage preferences\b|\breject non-essential\b|\baccept and close\b"
        r"|принять и закрыть|настроить cookie|продолжая пользоваться сайтом|файлы cookie",
    ),
    _rule("share", 6, r"^share on\b"),
    _rule(
        "comments",
        10,
        r"\bjoin the conversation\b|\b\d+ readers have commented\b"
        r"|^\d+ thoughts on\b|^комментариев:? \d+|^обсуждение:",
    ),
    _rule(
        "paywall",
        40,
        r"\bis for subscribers\b|\bkeep reading with a subscription\b|\bfree "
        r"articles\b.{0,40}\bused up\b|\bsubscription options\b|\bstart your free trial\b"
        r"|оформить подписку|уже подписаны|бесплатный фрагмент|подписка открывает",
    ),
    # Interface labels that trafilatura keeps as one-line blocks.
    _rule("ad", 3, r"^(advertisement|advertising|sponsored( content)?|ad|реклама)\W*$"),
    _rule("newsletter", 3, r"^(sign up|subscribe|newsletters?|register|подписаться)\W*$"),
    _rule("share", 3, r"^(share|follow us|tweet|email|print|поделиться)\W*$"),
    _rule(
        "navigation",
        4,
        r"^(back to (blogs?|top|home|articles?)|privacy policy|terms (&|and) "
        r"conditions|terms of (use|service)|copyright|search\W*|home|skip to (main )?content"
        r"|next article|previous article|jump to (the )?(list|recipe)|blog index)\W*$",
    ),
    _rule(
        "cookie",
        60,
        r"\b(we|this (site|website)) uses? cookies\b|\baccept (all )?cookies\b"
        r"|\bcookie (policy|settings|preferences)\b|\bmanage (your )?(consent|cookies)\b"
        r"|используем (файлы )?cookie",
    ),
)
