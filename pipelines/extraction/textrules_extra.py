"""More generic text rules, measured on the development set: multilingual phrases, interface
labels and the wording of payment widgets."""
# ruff: noqa: RUF001 -- Cyrillic letters and typographic quotes in patterns are meant

from __future__ import annotations

from .textrule import TextRule, rule

__all__ = ["EXTRA_RULES"]

EXTRA_RULES: tuple[TextRule, ...] = (
    rule(
        "appeal",
        40,
        r"\breaders (have )?supported (us|the)\b|\bwill you help( us)?\b"
        r"|\bjoin them\b|\b(give|donate) (monthly|once|annually)\b|\bchoose how often\b"
        r"|\bjournalism needs you\b|\bsupport the writers\b|\bwas free to read\b"
        r"|\bwho chip in\b|\bfrom just [$€£]\s?\d+ a (month|year)\b|^remind me in \w+\W*$"
        r"|нас поддержали \d+ читател|поможете\?|вы дочитали до конца",
    ),
    rule("newsletter", 30, r"бесплатное письмо|присыла\w+ (их )?подписчикам"),
    rule(
        "share",
        12,
        r"^(send (this|it) to a friend|share with (friends|a friend)|print (version|this))\b",
    ),
    rule("related", 6, r"^(другие мнения|other opinions|more opinion)\W*$"),
    rule(
        "appeal",
        60,
        r"\b(funded|supported) by (our )?readers\b|\bif you value (our |this |"
        r"independent |local )?(journalism|reporting|work)\b|\bplease consider (a gift|giving"
        r"|supporting|a donation|a contribution)\b|\bbecome a (member|supporter) today\b"
        r"|\bnot (billionaires|shareholders)\b|\bno billionaire\b",
    ),
    rule(
        "appeal",
        4,
        r"^(give now|give today|donate now|support us|become a member|join now"
        r"|faites un don|jetzt spenden|jetzt unterstützen|поддержать)\W*$",
    ),
    rule(
        "paywall",
        40,
        r"\bget unlimited"
        r" access\b|\b[$€£]\s?\d+(\.\d+)? (a|per) (week|month)\b|\bfor your first (year|month)\b"
        r"|\bcancel any ?time\b|\bavailable to (registered|signed-in) (readers|users)\b"
        r"|\b(create|register for) a free account\b|^subscribe now\W*$",
    ),
    rule(
        "newsletter",
        40,
        r"\byou (may|can) (opt out|unsubscribe) at any time\b|\bsee our privacy"
        r" policy\b|\bevery (monday|tuesday|wednesday|thursday|friday|saturday|sunday|week|"
        r"morning|day)\b.{0,40}\b(inbox|newsletter|e-?mail)\b",
    ),
    rule(
        "disclaimer",
        60,
        r"\bnot necessarily those of\b|\bopinion pieces reflect\b"
        r"|\bthis (article|story|essay) (appears|appeared) in the\b|\bsubmit a letter\b"
        r"|\b(we welcome|submit|send us) (your )?letters\b|\bletters (must|should) (include|be)\b"
        r"|^letters to the editor\s*:",
    ),
    rule(
        "credit",
        30,
        r"\((\w+ )?(photo|photograph|image|video|illustration)s? (by|courtesy)\b"
        r"|^(video|watch)\s*:",
    ),
    # French and German generic phrases
    rule(
        "appeal",
        50,
        r"\bfaites un don\b|\bsoutenez (une|la|notre|le) (presse|journalisme|"
        r"rédaction|information)\b|\bunterstützen sie (unabhängigen|unsere[nm]?|uns)\b"
        r"|journalismus braucht (ihre|deine|eure) unterstützung\b",  # "Lokaljournalismus"
    ),
    rule(
        "newsletter",
        40,
        r"\babonnez-vous à (notre|la|nos) (newsletter|lettre)|^la lettre d"
        r"|\bnewsletter abonnieren\b|\binscrivez-vous à (notre|la) newsletter",
    ),
    rule("disclaimer", 50, r"\bn[’']engagent que (leur|son) auteur|\bles opinions exprimées\b"),
    rule("related", 12, r"^(lire aussi|à lire aussi|lesen sie auch|mehr zum thema)\b"),
    rule("comments", 12, r"^connectez-vous pour réagir\b|^(réagir|kommentare)\W*$"),
    rule("paywall", 40, r"\bréservé aux abonnés\b|\bnur für abonnenten\b"),
    rule("appeal", 30, r"\byou('ve| have) read \d+ (free )?(articles|stories)\b"),
    rule(
        "newsletter",
        15,
        r"на (вашу )?(электронную )?почту\b|на ваш (e-?mail|имейл|почтовый ящик)"
        r"|\b(straight |right )?(to|in) your inbox\b",
    ),
    rule(
        "appeal",
        6,
        r"^(разово|единоразово|ежемесячно|ежегодно|раз в месяц)([\s/|·,]+(разово|"
        r"единоразово|ежемесячно|ежегодно|раз в месяц|раз в год))+\W*$",
    ),
    rule(
        "appeal",
        50,
        r"\b(contribution|donation|gift) of any (size|amount)\b|\bcosts money\b"
        r"|\b(per ?cent|%) of our (costs|budget|funding)\b|\bfrom just \S+ (a|per) (month|week"
        r"|year)\b|\bmake a (contribution|donation)\b|\b(pick|choose) an amount\b|\bremind me "
        r"(later|in|next)\b|^maybe later\b|\bopen to everyone\b|\ba small favou?r to ask\b"
        r"|\byou made it to the end\b|^before you go\W*$|\bcancel (at )?any ?time\b"
        r"|стоя?т денег|(любой|любую) сумм|ваш[еаи] (пожертвовани|поддержк|помощь|взнос)"
        r"|спасибо всем,? кто (уже )?(поддерж|помога)",
    ),
    rule(
        "appeal",
        2,
        r"^(once|monthly|annual|annually|yearly|one-time|one-off|разово|ежемесячно"
        r"|ежегодно)\W*$",
    ),
    rule(
        "newsletter",
        30,
        r"\bsign me up\b|\bsend me the newsletter\b|\bnever miss an? "
        r"(column|story|thing|issue|update)\b|\bdelivered (each|every) \w+\b|\ba free e-?mail\b"
        r"|\bsends? them (to you )?every\b|^sign up for\b|\bin your inbox\b|\bonce a week\b",
    ),
    rule(
        "cookie",
        40,
        r"\bstores? cookies\b|\bcookies to (improve|measure|personalise|"
        r"personalize)\b|\bmanage preferences\b|\breject non-essential\b|\baccept and close\b"
        r"|принять и закрыть|настроить cookie|продолжая пользоваться сайтом|файлы cookie",
    ),
    rule("share", 6, r"^share on\b|^stay connected with (me|us)\b"),
    rule("bio", 5, r"^(about the (author|authors|writer|contributor)|об авторе|об авторах)\W*$"),
    # The call that closes a newsletter promo, and the German wording of one.
    rule(
        "newsletter",
        50,
        r"\bsign up (now|today|here)\b|\bsubscribe (now|here)\b"
        r"|\b(delivered|sent) (right |straight |directly )?to your inbox\b"
        r"|\bzur anmeldung\b|\bnewsletter\b.{0,100}\b(postfach|anmelden|abonnieren)\b",
    ),
    # Only the publisher's own promo asks readers to sign up for "our" newsletter.
    rule(
        "newsletter",
        50,
        r"\b(sign up|subscribe|register) (now |today |here )?(for|to) our ([\w'’-]+ ){0,4}"
        r"(newsletters?|briefing|digest)\b",
    ),
    # An app promo: "Download the new ... app".
    rule("ad", 50, r"\bdownload (and subscribe to )?(the|our) ([\w'’-]+ ){0,4}app\b"),
    # A newsletter's referral programme: readers recruit readers for rewards.
    rule(
        "share",
        40,
        r"\btell your friends and (get|earn) (rewards|perks)\b|\brefer (a friend|friends)\b"
        r"|\bshare it with your friends\b",
    ),
    rule(
        "comments",
        10,
        r"\bjoin the conversation\b|\b\d+ readers have commented\b"
        r"|^\d+ thoughts on\b|^комментариев:? \d+|^обсуждение:",
    ),
    rule(
        "paywall",
        40,
        r"\bis for subscribers\b|\bkeep reading with a subscription\b|\bfree "
        r"articles\b.{0,40}\bused up\b|\bsubscription options\b|\bstart your free trial\b"
        r"|оформить подписку|уже подписаны|бесплатный фрагмент|подписка открывает",
    ),
    # Interface labels that trafilatura keeps as one-line blocks.
    rule("ad", 3, r"^(advertisement|advertising|sponsored( content)?|ad|реклама)\W*$"),
    rule("newsletter", 3, r"^(sign up|subscribe|newsletters?|register|подписаться)\W*$"),
    rule("share", 3, r"^(share|follow us|tweet|email|print|поделиться)\W*$"),
    rule(
        "navigation",
        4,
        r"^(back to (blogs?|top|home|articles?)|privacy policy|terms (&|and) "
        r"conditions|terms of (use|service)|copyright|search\W*|home|skip to (main )?content"
        r"|next article|previous article|jump to (the )?(list|recipe)|blog index)\W*$",
    ),
    # Commerce that blogs and trade sites place in the body: discount codes, sponsor slots.
    rule(
        "ad",
        60,
        r"\buse (the |promo |coupon |discount )*code:? [a-z0-9]{4,}\b"
        r"|\bwith code:? [a-z0-9]{4,}\W*$"
        r"|\bget [$€£]?\d+%? off\b|\bup to \d+% off\b|\bterms apply\b"
        r"|\bget started with (one of )?our (plans|free trial)\b|\(sponsored\)"
        r"|\b(explore|view) (our )?sponsorship (opportunities|options)\b"
        r"|\bwant to advertise (in|with|on)\b|\badvertis(e|ing) with us\b",
    ),
    rule(
        "disclaimer",
        80,
        r"\bwe may (be compensated|earn (a )?(commission|compensation))\b"
        r"|\b(from|of) our advertising partners\b",
    ),
    # The consent small print under a sign-up form.
    rule(
        "newsletter",
        80,
        r"\bby (entering|submitting|providing) your (e-?mail|phone)|\bagree to receive\b"
        r"|\bagree to our (terms|privacy)|\bmessage and data rates may apply\b"
        r"|\bmay contact me\b|\bterms of submitting this form\b|^get the latest (news|updates)\b"
        r"|^by (continuing|signing up|subscribing|registering),? you agree\b",
    ),
    rule(
        "appeal",
        60,
        r"\bif you (liked|enjoyed) (this|the) (article|post|piece|story)\b"
        r"|\bconsider (a |making a )?(one-off |one-time |small |regular )?(donation|contribution)\b"
        r"|\bbecoming a (regular|monthly|paying) (supporter|patron|member)\b",
    ),
    rule("related", 15, r"\byou (may|might) (also )?be interested in\b"),
    # Publication legal lines: a copyright notice or a licence, never the article's words.
    rule(
        "disclaimer",
        60,
        r"\ball rights reserved\b|^(copyright )?(©|\(c\)) ?\d{4}|^copyright \d{4}|\bcopyright ©"
        r"|\blicensed under (a |the )?creative commons\b"
        r"|\b(are |is )?(a )?registered trademarks? (of|owned by)\b",
    ),
    rule("placeholder", 500, r"^lorem ipsum( dolor sit amet\b|\W*\d*\W*$)"),
    # Labels and prompts of German, French, Spanish and Russian templates.
    rule(
        "related",
        6,
        r"^(auch interessant|das könnte sie auch interessieren|weitere artikel|meistgelesen"
        r"|lire la suite|sur le même sujet|te puede interesar|lee también|leer más"
        r"|читайте также|по теме|ещё по теме|еще по теме)\W*$",
    ),
    rule(
        "share",
        20,
        r"^fehler gefunden\b|\bjetzt melden\W*$|^folgst du schon\b|\bwhatsapp-kanal\b"
        r"|^(folgen sie|folge) (uns|\w+) (auf|bei)\b|^suivez-nous\b|^síguenos\b"
        r"|^подписывайтесь на (наш|нас)",
    ),
    rule("navigation", 3, r"^(article content|story continues below|advertisement content)\W*$"),
    # the label of a table of contents whose links went as a link list
    rule(
        "navigation",
        4,
        r"^(table of contents|contents|in this (article|post|guide|story)|on this page"
        r"|содержание|оглавление|inhaltsverzeichnis)\W*$",
    ),
    rule(
        "cookie",
        60,
        r"\b(we|this (site|website)) uses? cookies\b|\baccept (all )?cookies\b"
        r"|\bcookie (policy|settings|preferences)\b|\bmanage (your )?(consent|cookies)\b"
        r"|используем (файлы )?cookie",
    ),
)
