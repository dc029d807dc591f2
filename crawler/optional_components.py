"""Scrapy components our settings turn off, imported only by a run that turns them on.

Scrapy imports every component of its lists before the component reads its setting and
declines. Two of them cost the crawl's process memory for nothing when off: the remote control
(Scrapy 2.19+: aiohttp's web server, ~10 MB) and the cookies middleware (tldextract and
requests, ~3 MB). In their place the lists name these stand-ins, which check the setting first.
"""

from __future__ import annotations

from typing import Any, ClassVar

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.utils.misc import build_from_crawler, load_object

__all__ = ["CookiesWhenEnabled", "RemoteControlWhenEnabled", "WhenEnabled"]


class WhenEnabled:
    """Builds the component at `path` if the boolean setting `setting` is on."""

    setting: ClassVar[str]
    path: ClassVar[str]

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Any:
        if not crawler.settings.getbool(cls.setting):
            raise NotConfigured  # quietly, as the component itself does
        return build_from_crawler(load_object(cls.path), crawler)


class RemoteControlWhenEnabled(WhenEnabled):
    setting = "REMOTE_CONTROL_ENABLED"
    path = "scrapy.extensions.remote_control.RemoteControl"


class CookiesWhenEnabled(WhenEnabled):
    setting = "COOKIES_ENABLED"
    path = "scrapy.downloadermiddlewares.cookies.CookiesMiddleware"
