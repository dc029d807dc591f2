"""The generic text rules: phrases that mark a block as boilerplate, by kind and language."""
# ruff: noqa: RUF001 -- Cyrillic letters and typographic quotes in patterns are meant

from __future__ import annotations

from .textrule import TextRule, rule
from .textrules_extra import EXTRA_RULES

__all__ = ["GENERIC_RULES", "TextRule"]


# The word limits keep long paragraphs that merely discuss donations or paywalls.
# Each rule was measured on the development set; see evaluate.py --ablate.
_FIRST_RULES: tuple[TextRule, ...] = (
    rule(
        "appeal",
        60,
        r"\b(please |consider )?(donate|make a (one-time |monthly )?(donation|"
        r"contribution|gift))\b( now| today| here| to us| to (the|our) \w+ (journalism|newsroom"
        r"|reporting))|\bsupport (our|us|independent|quality) "
        r"(journalism|reporting|newsroom|work)\b|\bbecome a (member|supporter|patron|"
        r"friend of)\b|\b(reader|member)[- ](funded|supported)\b|\bchip in\b|"
        r"\byour (support|donation|contribution|gift) (helps|makes|keeps|will|is|means)\b",
    ),
    rule(
        "appeal",
        6,
        r"^(remind me (later|in)|(once|one[- ]time|monthly|annual(ly)?|yearly)"
        r"([\s/|·,]+(once|one[- ]time|monthly|annual(ly)?|yearly))+|donate|support us"
        r"|[$€£]\s?\d+([\s,]+[$€£]\s?\d+)+([\s,]+other)?)\W*$",
    ),
    rule(
        "appeal",
        50,
        r"поддерж(ите|ать|и) (нас|редакци|издани|независим|проект|журналист)"
        r"|(сделать|сделайте|оформить|оформите) (пожертвование|донат|регулярн)",
    ),
    rule(
        "newsletter",
        40,
        r"\b(sign up|subscribe|register) (now |today |here )?(for|to) "
        r"(our|the|my|this|a) ([\w'’-]+ ){0,4}(newsletter|briefing|e-?mail|digest|updates)"
        r"|\bnewsletter\b.{0,80}\b(sign up|subscribe|inbox|e-?mail)|\benter your e-?mail\b"
        r"|\b(delivered|straight|directly) (straight )?to your inbox\b",
    ),
    rule(
        "newsletter",
        40,
        r"подпис(ывайтесь|аться|ка|ывайся) на (наш|нашу|рассылк|канал|"
        r"telegram|телеграм)",
    ),
    rule(
        "paywall",
        50,
        r"\b(subscribe|sign in|log in|register|subscribers?) (now )?to "
        r"(continue|keep) reading\b|\balready (a subscriber|a member|have an account)\b"
        r"|\b(this|the) (article|story|content) is (only )?(available|reserved|exclusive) "
        r"(to|for) (\w+ )?(subscribers|members)\b|\byou('ve| have) (reached|read|used) "
        r"(your|all|the) .{0,30}\b(free|limit)|\bunlock (this|the full|full) (article|story|"
        r"access)\b|\bto continue reading\b|\bthe rest of this (article|story) is\b",
    ),
    rule("paywall", 12, r"\bsubscribers? only\b|\bsubscribe now\b|\bsubscribe (today|for)\b"),
    rule(
        "paywall",
        50,
        r"(продолжение|полный текст|материал|статья) доступ\w* (только )?"
        r"(по подписке|подписчикам)|оформите подписку",
    ),
    rule(
        "disclaimer",
        70,
        r"\b(the )?(views|opinions) expressed\b|\b(views|opinions) "
        r"(are|is) (the author'?s?|their|his|her|my) own\b|\bdo(es)? not necessarily "
        r"(reflect|represent)\b",
    ),
    rule(
        "disclaimer",
        50,
        r"мнение (автора|редакции) (может не совпадать|не обязательно "
        r"совпадает)|точка зрения автора (может не совпадать|не обязательно)",
    ),
    rule(
        "credit",
        20,
        r"^(photo(graph)?|image|picture|illustration|credit|фото|иллюстрация)s?"
        r"( by)?\s*[:©]|^©|\((ap|afp|reuters|getty)? ?(photo|image)s?\b[^)]*\)$"
        r"|\b(getty images|ap photo|shutterstock|afp via getty)\b",
    ),
    rule(
        "related",
        25,
        r"^(read more|read also|also read|more from|related( articles| stories"
        r"| coverage)?|see also|recommended( for you)?|you (may|might) also like|more on this"
        r"( story| topic)?|further reading|most (read|popular)|читайте (также|еще|ещё)|"
        r"смотрите также|по теме|ещё по теме)\b(\W|$)",
    ),
    rule(
        "share",
        12,
        r"^(share( this)?( article| story| post| interview| column)?( on| via)?"
        r"( social( media| networks)?)?"
        r"(\W*$|\s*:| (facebook|"
        r"twitter|x|bluesky|linkedin|whatsapp|email|mastodon)\b)|tweet( this)?$"
        r"|follow us on|click to share|copy link|email this|поделиться)",
    ),
    rule(
        "comments",
        8,
        r"^(\d+ comments?|(view|show|read|add|leave|post|join) (a |all |the )?"
        r"(\d+ )?(comments?|conversation)|comments?( \(\d+\))?|комментари\w*( \(\d+\))?)\W*$",
    ),
    rule(
        "disclaimer",
        50,
        r"\baffiliate (links?|commission|partner)|\bearn (a |an )?(small )?"
        r"(affiliate )?commission\b|\bamazon associate\b|\bqualifying purchases\b"
        r"|\bchosen independently by our editors\b|^advertiser disclosure\W*$",
    ),
    rule(
        "newsletter",
        20,
        r"\b(join|get|sign up for|subscribe to) (our|the|my) ([\w'’+-]+ )"
        r"{0,3}newsletters?\b",
    ),
    rule("paywall", 20, r"\b(exclusive|available) (only )?to .{0,25}\b(subscribers|members)\b"),
    rule(
        "share",
        30,
        r"\bplease consider (liking|sharing|subscribing|supporting)\b|^follow "
        r"([\w.]+ ){1,3}on (twitter|facebook|instagram|x|linkedin|tiktok|youtube)\b",
    ),
    rule("related", 25, r"^(more|next|previous) (article|story|post)?\s*:|^more\s*:\s*\w"),
    rule(
        "appeal",
        40,
        r"\bwe need your (help|support)\b|\bchoose (an |your )?amount\b"
        r"|\bhow would you like to (support|give|contribute)\b|\breaders like you\b"
        r"|нам нужна ваша (помощь|поддержка)|помоги(те)? (нам|нашей|редакции|газете|изданию|"
        r"проекту)|помочь сейчас|как вы хотите (нас )?поддержать|читател\w+ поддержали нас"
        r"|пожертвовани\w+ читателей|оплачивают читатели|выберите сумму|напомнить (позже|"
        r"через)|присоединяйтесь|возможно только благодаря вам",
    ),
    rule(
        "newsletter",
        40,
        r"\bunsubscribe at any time\b|\bby (clicking|signing up|"
        r"subscribing)\b.{0,40}\byou agree\b|\bwe (will )?never share your (e-?mail|address)"
        r"|подпишитесь на (нашу |наши )?рассылк|^рассылка\b|хочу получать (письма|рассылку)"
        r"|отписаться можно в любой момент|не переда\w+ адрес\w* третьим лицам"
        r"|нажимая (на )?кнопку,? вы соглашаетесь",
    ),
    rule(
        "disclaimer",
        40,
        r"\brepresents? the (views|opinions) of (its|their|the) authors?\b"
        r"|\bnot (necessarily )?(the|our) (editorial )?(position|view|stance)s?\b"
        r"|не (разделять|разделяет) точку зрения|отража\w+ (личную )?(позицию|точку зрения|мнение) "
        r"автора",
    ),
    rule(
        "credit",
        25,
        r"\b(фото|photo(graph)?|foto|image|picture|illustration)s?\s*:\s*[^/\n]{2,60}/\s*\S",
    ),
    rule(
        "comments",
        6,
        r"^(что думают читатели|комментарии читателей|what readers (think|say)"
        r"|reader comments|join the discussion)\W*$",
    ),
    rule(
        "comments",
        80,
        r"^[^\W\d][\w .'-]{2,40},\s+\d+\s*(ч|час\w*|мин\w*|дн\w*|h|hours?|"
        r"minutes?|mins?|days?)\.?\s+(назад|ago)\b",
    ),
    rule(
        "related",
        6,
        r"^(материалы по теме|самое читаемое|другие колонки|more in \w+|"
        r"most read|related articles|more stories)\W*$",
    ),
    rule(
        "share",
        8,
        r"^(отправить ссылку (другу|друзьям)|send (a |this )?link to a friend"
        r"|поделиться с друзьями)",
    ),
)
GENERIC_RULES: tuple[TextRule, ...] = (*_FIRST_RULES, *EXTRA_RULES)
