"""English boilerplate texts (appeals, sign-ups, notices), written for the demo site."""

from __future__ import annotations

POOLS: dict[str, tuple[str, ...]] = {
    "appeal_heading": (
        "Before you go", "A small favour to ask", "Independent journalism needs you",
        "This column was free to read", "Can you chip in today?", "Keep {brand} open to everyone",
        "You made it to the end", "Support the writers you read",
    ),
    "appeal_text": (
        "{brand} is funded by {n} readers who chip in every month. No billionaire owner and no "
        "shareholders: just people who think local reporting matters.",
        "If you value our opinion pages, please consider a contribution today. Every gift, however "
        "small, keeps our journalism free for everyone in {region}.",
        "We keep our journalism open to all because everyone deserves reliable information. That "
        "choice depends on readers like you.",
        "Support from readers like you pays for our reporters, editors and fact-checkers. It takes "
        "less than a minute and you can cancel at any time.",
        "Last year {n} readers supported {brand}. This year we hope to reach {m}. Will you help us "
        "get there?",
        "Our newsroom in {region} has shrunk by half in a decade. Your support is the only reason "
        "it still exists.",
        "Reader contributions covered {pct} per cent of our costs last year. Help us close the gap "
        "before {month}.",
    ),
    "appeal_short": (
        "Support {brand}'s independent journalism from just {amount} a month.",
        "Enjoying this column? Readers like you keep it free. Give once or every month.",
        "{n} readers have supported us this month. Join them before {month}.",
        "Journalism in {region} costs money. A contribution of any size helps.",
    ),
    "appeal_button": ("Support us", "Make a contribution", "Donate now", "Give monthly",
                      "Become a supporter"),
    "widget_prompt": ("Choose how often you would like to give", "Pick an amount and a frequency",
                      "How would you like to support us?"),
    "widget_choice": ("Once", "Monthly", "Annual"),
    "remind": ("Remind me later", "Maybe later, remind me", "Remind me in {month}"),
    "newsletter_heading": ("Sign up for {newsletter}", "Get {newsletter} in your inbox",
                           "Never miss a column", "The best opinion writing, once a week"),
    "newsletter_text": (
        "Our editors pick the sharpest arguments of the week and send them every {day} morning.",
        "A free email with the columns everyone in {region} is talking about, every {day}.",
        "Five opinion pieces worth your time, delivered each {day} at 7am.",
    ),
    "newsletter_small": (
        "We will never share your email address. You can unsubscribe at any time.",
        "By signing up you agree to our privacy policy. Unsubscribe with one click.",
    ),
    "newsletter_button": ("Sign me up", "Subscribe for free", "Send me the newsletter"),
    "newsletter_name": ("Opinion Weekly", "The Argument", "Second Thoughts", "The Op-Ed Letter"),
    "disclaimer": (
        "The views expressed in this column are the author's own and do not necessarily reflect "
        "those of {brand}.",
        "Opinion pieces represent the views of their authors, not the editorial position of "
        "{brand}.",
        "This is an opinion column. The views expressed are the author's own.",
    ),
    "teaser_label": ("Read more:", "Related:", "See also:", "Also read:"),
    "related_heading": ("More from Opinion", "Most read this week", "Related columns",
                        "You might also like"),
    "cookie_text": (
        "We use cookies to improve your experience and to measure how our site is used. By "
        "continuing to browse you agree to our use of cookies.",
        "This site uses cookies for analytics and personalised content. You can change your "
        "preferences at any time.",
        "{brand} and its partners store cookies on your device. Some are essential, others help "
        "us understand what you read.",
    ),
    "cookie_button": ("Accept all cookies", "Manage preferences", "Reject non-essential"),
    "share": ("Share this article", "Share this column", "Share on social media",
              "Send this to a friend"),
    "comment_count": ("{k} comments", "Join the conversation: {k} comments",
                      "{k} readers have commented"),
    "comments_heading": ("Comments ({k})", "{k} thoughts on this column", "Reader comments"),
    "paywall_heading": ("Subscribe to continue reading", "This column is for subscribers",
                        "Keep reading with a subscription"),
    "paywall_text": (
        "You have reached the end of your free preview. Subscribers get unlimited access to every "
        "column, the daily newsletter and our full archive.",
        "Subscribe to continue reading this column and everything else on {brand} for {amount} "
        "a month.",
        "Your free articles for this month are used up. Subscribe now and read without limits.",
    ),
    "paywall_button": ("See subscription options", "Already a subscriber? Log in",
                       "Start your free trial"),
}  # fmt: skip

REGIONS = ("the valley", "the northern towns", "the county", "the coast", "our region")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip
