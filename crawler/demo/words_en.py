"""English word lists for the demo prose generator (all invented for this project)."""

from __future__ import annotations


def _words(text: str) -> tuple[str, ...]:
    """Whitespace-separated words of a block of text."""
    return tuple(text.split())


ADJECTIVES = _words("""
stubborn fragile reckless overdue timid ambitious costly quiet patient clumsy generous narrow
hollow brittle sensible awkward hasty crowded neglected forgotten cautious bold modest lavish
shabby sturdy restless weary bright gloomy tidy messy stale fresh rigid flexible vague precise
noisy polite eager reluctant humble grand petty vital minor urgent lazy tireless honest cynical
naive shrewd muddled coherent lopsided uneven steady shaky hidden visible obscure familiar
peculiar ordinary curious anxious confident fearful hopeful bitter gentle harsh brutal loose
shallow sharp blunt silent vocal distant regional national expensive cheap wasteful frugal
prudent careless careful slow rapid sudden gradual permanent temporary ragged polished clever
foolish wise unpopular overcrowded underfunded half-built long-promised ramshackle threadbare
unloved celebrated contested lukewarm cosy chilly sprawling compact fashionable outdated
""")

JUDGEMENTS = _words("""
absurd predictable overdue welcome troubling revealing misguided defensible baffling sensible
shortsighted inevitable dishonest encouraging alarming unremarkable remarkable tiresome naive
""")

NOUNS = _words("""
plan budget policy promise reform scheme strategy debate decision proposal compromise deadline
report review inquiry survey vote election campaign council committee ministry agency board
coalition government cabinet tribunal regulator watchdog argument principle habit instinct
assumption consensus excuse priority ambition failure mistake gamble bargain trade-off loophole
shortcut detour backlog shortfall surplus deficit subsidy levy fee grant loan contract tender
audit forecast target quota benchmark ceiling threshold timetable roadmap blueprint pledge
manifesto consultation petition protest boycott rebellion scandal crisis recovery slump bubble
rumour narrative silence backlash memo spreadsheet rulebook hearing
""")

TOPIC_NOUNS: dict[str, tuple[str, ...]] = {
    "housing": ("rent", "tenancy", "mortgage", "estate", "tower block", "planning permit",
                "housing list", "eviction", "deposit", "building site", "council flat",
                "rent cap", "loft conversion", "damp problem"),
    "transport": ("bus route", "tram line", "ring road", "cycle lane", "railway station",
                  "fare", "ticket machine", "bypass", "bridge", "ferry service",
                  "parking charge", "junction", "night bus", "depot"),
    "schools": ("classroom", "curriculum", "exam", "school meal", "playground",
                "catchment area", "tuition fee", "reading scheme", "teaching assistant",
                "homework policy", "school run", "inspection", "lunch queue", "sixth form"),
    "health": ("clinic", "waiting list", "ward", "ambulance service", "prescription",
               "hospital trust", "care home", "vaccine programme", "night shift",
               "health visitor", "pharmacy", "dental practice", "surgery", "mental health service"),
    "climate": ("flood barrier", "heat pump", "solar farm", "wind turbine", "carbon target",
                "river bank", "tree canopy", "drought plan", "insulation grant",
                "recycling centre", "emissions cap", "seawall", "peat bog", "energy bill"),
    "budget": ("spending review", "council tax", "pension fund", "reserve", "bond issue",
               "tax rebate", "public purse", "payroll", "balance sheet", "procurement rule",
               "pay freeze", "hiring freeze", "cash buffer", "savings target"),
    "culture": ("theatre", "library", "museum", "festival", "concert hall", "arts grant",
                "bookshop", "gallery", "cinema", "choir", "brass band", "community centre",
                "heritage site", "public mural"),
    "technology": ("app", "algorithm", "data centre", "broadband rollout", "chatbot",
                   "software contract", "digital ID", "phone mast", "search engine",
                   "smart meter", "online portal", "cyber attack", "data breach",
                   "privacy setting"),
    "donations": ("donation", "membership scheme", "reader revenue model", "fundraising drive",
                  "donor", "appeal", "pledge drive", "crowdfunding page",
                  "monthly contribution", "support button", "one-off gift"),
    "paywalls": ("paywall", "subscription", "metered model", "free article", "trial offer",
                 "premium tier", "login wall", "archive access", "subscriber count",
                 "digital bundle", "cancellation page"),
    "newsletters": ("newsletter", "inbox", "mailing list", "sign-up form", "subscriber list",
                    "open rate", "weekly digest", "morning briefing", "unsubscribe link",
                    "email edition", "welcome email"),
    "sports": ("match", "season", "derby", "striker", "goalkeeper", "coach", "league table",
               "transfer", "penalty", "stadium", "half-time talk", "title race",
               "relegation fight", "youth academy", "away end", "back four"),
}  # fmt: skip

TOPIC_LABELS = {
    "housing": "Housing", "transport": "Transport", "schools": "Education",
    "health": "Health", "climate": "Climate", "budget": "Public finances",
    "culture": "Culture", "technology": "Technology", "donations": "Media",
    "paywalls": "Media", "newsletters": "Media", "sports": "Football",
}  # fmt: skip

# Extra sentences for articles whose subject is reader revenue itself; the body keeps them.
META_SENTENCES = {
    "donations": (
        "Asking readers to donate is not begging; it is {a} {adj} bargain struck in public.",
        "A small monthly donation from {group} in {place} now pays for more reporting than "
        "the old advertising model ever did.",
        "The request to support independent journalism appears at the foot of every page, "
        "and {group} have learned to read past it.",
        "Donations rose by {pct} per cent after the {noun} was explained honestly.",
    ),
    "paywalls": (
        "A paywall is a promise that the next paragraph is worth paying for.",
        "When {group} in {place} hit the subscription page, {pct} per cent close the tab.",
        "Nobody enjoys the notice telling them to subscribe to continue reading, "
        "least of all the reporter whose work sits behind it.",
        "The metered paywall was sold as a compromise between {group} and accountants.",
    ),
    "newsletters": (
        "A newsletter lands in the inbox like a letter from a friend who reads too much.",
        "Signing up for a newsletter takes ten seconds; unsubscribing takes courage.",
        "Editors in {place} now measure the open rate of every newsletter before breakfast.",
        "The weekly digest earned {pct} per cent more readers than the front page.",
    ),
}

VERBS = (
    ("ignore", "ignored"), ("delay", "delayed"), ("rescue", "rescued"), ("abandon", "abandoned"),
    ("defend", "defended"), ("question", "questioned"), ("reshape", "reshaped"),
    ("overhaul", "overhauled"), ("scrap", "scrapped"), ("fund", "funded"), ("cut", "cut"),
    ("protect", "protected"), ("expose", "exposed"), ("rethink", "rethought"),
    ("approve", "approved"), ("block", "blocked"), ("revive", "revived"), ("weaken", "weakened"),
    ("strengthen", "strengthened"), ("postpone", "postponed"), ("undermine", "undermined"),
    ("inherit", "inherited"), ("mishandle", "mishandled"), ("celebrate", "celebrated"),
    ("mock", "mocked"), ("copy", "copied"), ("tolerate", "tolerated"),
    ("underestimate", "underestimated"), ("overlook", "overlooked"), ("simplify", "simplified"),
    ("complicate", "complicated"), ("dismantle", "dismantled"), ("rebuild", "rebuilt"),
    ("sell off", "sold off"), ("buy back", "bought back"), ("shelve", "shelved"),
    ("revisit", "revisited"), ("embrace", "embraced"), ("resist", "resisted"),
    ("demand", "demanded"), ("deliver", "delivered"), ("measure", "measured"),
    ("praise", "praised"), ("blame", "blamed"), ("waste", "wasted"), ("squeeze", "squeezed"),
    ("stretch", "stretched"), ("pause", "paused"), ("extend", "extended"), ("double", "doubled"),
    ("halve", "halved"), ("trim", "trimmed"), ("challenge", "challenged"), ("accept", "accepted"),
    ("reject", "rejected"), ("explain", "explained"), ("hide", "hid"), ("publish", "published"),
    ("repair", "repaired"), ("neglect", "neglected"), ("bury", "buried"), ("tame", "tamed"),
    ("rename", "renamed"), ("outsource", "outsourced"), ("subsidise", "subsidised"),
)  # fmt: skip

SPEECH = _words(
    """argued insisted warned admitted noted conceded suggested claimed complained joked"""
)

ADVERBS = _words("""
quietly openly suddenly gradually reluctantly eagerly carefully carelessly repeatedly rarely
finally predictably wisely foolishly stubbornly cheerfully nervously deliberately accidentally
briefly formally loudly patiently bluntly politely half-heartedly proudly routinely largely
""")

OPENERS = (
    "Frankly", "In truth", "To be fair", "For years", "Put simply", "At first glance",
    "Time and again", "Meanwhile", "Even so", "Of course", "In fairness", "Looking back",
    "On paper", "In practice", "Worse still", "Better still", "Curiously", "Predictably",
    "Admittedly", "Oddly enough", "Until recently", "For now", "Last winter", "This spring",
    "By any measure", "In the end", "Nonetheless", "Strangely", "To my mind", "As it happens",
)  # fmt: skip

SUBORDINATORS = ("When", "Because", "Although", "If", "Unless", "Until", "While",
                 "Even though", "As soon as", "Since")  # fmt: skip
COORDINATORS = ("but", "and", "yet", "so", "while")
MODALS = ("should", "must", "could", "will", "might", "cannot", "would", "ought to")

GROUPS = _words("""
commuters tenants parents pensioners students landlords nurses drivers shopkeepers volunteers
taxpayers residents voters farmers teachers carers cyclists pupils fans clinicians builders
engineers neighbours councillors ministers officials economists historians critics readers
""")

ROLES = (
    "retired teacher", "bus driver", "council officer", "nurse", "shop owner", "local historian",
    "school governor", "community organiser", "housing campaigner", "economist",
    "planning consultant", "parish councillor", "small-business owner", "paramedic",
    "librarian", "union steward", "youth worker", "site manager", "food-bank volunteer",
    "taxi driver", "season-ticket holder", "former coach",
)  # fmt: skip

TIMES = (
    "before the next election", "by the end of {year}", "within {k} months", "this winter",
    "next spring", "for another decade", "before the summer recess", "by the autumn",
    "within a year", "in the coming weeks", "over the next {k} years", "by {month}",
)  # fmt: skip

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip

FIRST_NAMES = _words("""
Mara Tobias Ingrid Callum Priya Desmond Hollis Juniper Oren Saskia Felix Odette Rupert Nadia
Ellis Wren Matthias Cora Idris Lena Jasper Maeve Anton Beatrix Cyrus Delphine Emrys Flora Gideon
Harriet Ivo Josie Kit Lorcan Mirela Neve Otis Petra Quentin Rosalind Silas Tamsin Ulric Vesna
Wendell Xanthe Yusuf Zelda
""")

SURNAMES = _words("""
Ellison Marchetti Okafor Thornby Halloway Brightwater Kessler Vance Aldridge Penhale Quigley
Rasmussen Sallow Tremayne Underhill Voss Whitcombe Yardley Ashgrove Blackmore Carrow Enfield
Farrant Greaves Hawthorn Ibbotson Jarrow Kinsella Lockhart Mabry Nettleship Oakes Pellow
Rookwood Stallard Tolland Upshaw Varley Winstanley Ferrier Gaskell Merriman Coldwell Pennock
Strand Dunmore Fairweather Kettering
""")

PLACE_HEADS = _words("""
Ash Bram Carr Dun Elm Fen Glen Hart Kel Lark Mor Nor Oak Pen Quar Rook Sal Thorn Wick Yar
Brack Cold Har Lin Stow
""")
PLACE_TAILS = _words("""bury ford mouth wick stead ton ley field gate haven brook combe minster""")
TEAM_TAILS = ("Rovers", "United", "Athletic", "Wanderers", "Town", "City", "Harriers", "Albion")
AGENCIES = ("Northlight Pictures", "Harbour Press Photo", "Fieldglass Images", "Lantern Agency",
            "Tidewater Photos")  # fmt: skip
