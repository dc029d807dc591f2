"""Which child sitemaps of a sitemap index a run reads: never a whole archive every night."""

from __future__ import annotations

import re
from calendar import monthrange
from datetime import UTC, datetime, timedelta

from crawler.discovery import Link
from crawler.profile import SiteProfile

__all__ = ["child_date", "follow_child"]

# Dates sites put in child sitemap names: 2024-05-14, 14-05-2024, 2024/05/14, 2024/05, 2024-05.
_DAY_FIRST = re.compile(r"(?<!\d)(\d{2})-(\d{2})-(\d{4})(?!\d)")
_YEAR_FIRST = re.compile(r"(?<!\d)(\d{4})[-/_](\d{2})(?:[-/_](\d{2}))?(?!\d)")


def child_date(link: Link) -> datetime | None:
    """When a child sitemap last changed: its lastmod, else the latest day its name covers."""
    if link.changed_at is not None:
        return link.changed_at
    if match := _DAY_FIRST.search(link.url):
        day, month, year = (int(g) for g in match.groups())
        return _date(year, month, day)
    if match := _YEAR_FIRST.search(link.url):
        year, month = int(match[1]), int(match[2])
        if match[3]:
            return _date(year, month, int(match[3]))
        if 1 <= month <= 12:  # a monthly child covers up to its month's last day
            return _date(year, month, monthrange(year, month)[1])
    return None


def follow_child(
    link: Link, profile: SiteProfile, default_max_age_days: float, now: datetime | None = None
) -> bool:
    """True when the child matches a follow pattern or changed within the allowed age.

    With no age limit (profile and setting both unset or 0) every child is read, as before.
    """
    if any(p.search(link.url) for p in profile.sitemap_follow):
        return True
    max_age = profile.sitemap_max_age_days or default_max_age_days
    if not max_age:
        return not profile.sitemap_follow
    changed = child_date(link)
    if changed is None:
        return False
    return changed >= (now or datetime.now(UTC)) - timedelta(days=max_age)


def _date(year: int, month: int, day: int) -> datetime | None:
    try:
        return datetime(year, month, day, 23, 59, 59, tzinfo=UTC)
    except ValueError:
        return None
