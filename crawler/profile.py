"""Site profiles: one TOML file per site, validated on load."""

from __future__ import annotations

import difflib
import importlib.resources
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from crawler.dataset.identity import clean_url
from crawler.profile_checks import ascii_host, check_domain
from crawler.urlpattern import PatternError, UrlPattern

__all__ = [
    "BUNDLED_PROFILES",
    "MorePages",
    "ProfileError",
    "SiteProfile",
    "load_profile",
    "load_profiles",
    "profile_for_url",
    "select_profiles",
]

BUNDLED_PROFILES = Path(__file__).parent / "profiles"


class ProfileError(ValueError):
    """A site profile is missing, malformed or names an unknown site."""

    def __init__(self, source: Path | str, field_name: str, message: str) -> None:
        super().__init__(f"{source}: field '{field_name}': {message}")
        self.source = str(source)
        self.field = field_name


@dataclass(frozen=True, slots=True)
class MorePages:
    """Listing pages a "load more" button fetches: `template` with {offset} = first + k*step."""

    template: str
    first: int = 2
    step: int = 1
    max_pages: int = 5

    def url(self, index: int) -> str:
        """The URL of the index-th further page (0 is the first one the button loads)."""
        return self.template.replace("{offset}", str(self.first + index * self.step))


_VERDICTS_KEPT = 20_000  # URLs whose verdicts a profile remembers (~4 MB at most)


@dataclass(frozen=True, slots=True)
class SiteProfile:
    """What the crawler knows about one site: where to look, what to take, what to strip."""

    name: str
    domains: tuple[str, ...]
    article_allow: tuple[UrlPattern, ...]
    article_deny: tuple[UrlPattern, ...] = ()
    start_urls: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    listing_allow: tuple[UrlPattern, ...] = ()
    listing_areas: tuple[str, ...] = ()
    max_listing_pages: int = 100
    more_pages: MorePages | None = None
    # Child sitemaps of an index worth reading: matching one of these, or changed recently.
    sitemap_follow: tuple[UrlPattern, ...] = ()
    sitemap_max_age_days: float | None = None
    # The page sections wanted (its own JSON-LD, meta, breadcrumb or `section_selector`
    # decide) when news and opinion share one URL form; empty: no check.
    sections: tuple[str, ...] = ()
    section_selector: str | None = None
    strip_selectors: tuple[str, ...] = ()
    strip_patterns: tuple[str, ...] = ()
    section: str = "opinion"
    language: str | None = None
    timezone: str | None = None  # IANA name: where the site's offset-less times are local
    enabled: bool = True
    description: str = ""
    download_delay: float | None = None
    concurrency: int | None = None
    memory_enabled: bool = True  # [memory] enabled: the site memory strips repeated blocks
    memory_body: tuple[str, ...] = ()  # [memory] body: repeated blocks that are article text
    source: str = field(default="", compare=False)
    # URL -> (is an article, is a listing): listing pages repeat their menus' hundreds of
    # links, and a sitemap's URLs are judged when counted and again when followed
    _verdicts: dict[str, tuple[bool, bool]] = field(
        default_factory=dict, init=False, compare=False, repr=False
    )

    def on_domain(self, url: str) -> bool:
        """True for http(s) URLs on one of the profile's domains or their subdomains."""
        return self.domain_of(url) is not None

    def domain_of(self, url: str) -> str | None:
        """The profile domain a URL's host is on (the most specific), or None."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return None
        host = ascii_host(parts.hostname)
        matches = [d for d in self.domains if host == d or host.endswith("." + d)]
        return max(matches, key=len, default=None)

    def is_article(self, url: str) -> bool:
        """True when the URL is an opinion article this profile collects."""
        return self._verdict(url)[0]

    def is_listing(self, url: str) -> bool:
        """True when the URL is a further listing page (pagination) worth following."""
        return self._verdict(url)[1]

    def _verdict(self, url: str) -> tuple[bool, bool]:
        verdict = self._verdicts.get(url)
        if verdict is not None:
            return verdict
        # Patterns see the clean URL: a feed's `?utm_source=rss` never hides an article.
        clean = clean_url(url)
        if not self.on_domain(clean):
            verdict = (False, False)
        else:
            article = any(p.search(clean) for p in self.article_allow) and not any(
                p.search(clean) for p in self.article_deny
            )
            verdict = (article, any(p.search(clean) for p in self.listing_allow))
        if len(self._verdicts) >= _VERDICTS_KEPT:  # a long crawl's URLs never end
            self._verdicts.clear()
        self._verdicts[url] = verdict
        return verdict


_KNOWN_KEYS: dict[str, set[str]] = {
    "": {"name", "enabled", "description", "domains", "language", "section", "timezone",
         "start_urls", "feeds", "sitemaps", "articles", "listings", "strip", "politeness",
         "pagination", "sitemap_index", "sections", "memory"},
    "articles": {"allow", "deny"},
    "listings": {"allow", "restrict_css", "max_pages"},
    "pagination": {"template", "first", "step", "max_pages"},
    "sitemap_index": {"follow", "max_age_days"},
    "sections": {"want", "selector"},
    "strip": {"selectors", "patterns"},
    "politeness": {"download_delay", "concurrency"},
    "memory": {"enabled", "body"},
}  # fmt: skip


def load_profile(path: Path) -> SiteProfile:
    """Read and validate one profile file; errors name the file and the field."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ProfileError(path, "<file>", f"cannot be read as TOML: {exc}") from exc
    return _ProfileReader(path, data).profile()


class _ProfileReader:
    """Typed access to a parsed profile that reports errors against the file."""

    def __init__(self, path: Path, data: dict[str, Any]) -> None:
        self.path = path
        self.data = data

    def fail(self, name: str, message: str) -> ProfileError:
        return ProfileError(self.path, name, message)

    def get(self, name: str, kind: type, default: Any = ..., table: str = "") -> Any:
        scope = self.data.get(table, {}) if table else self.data
        label = f"{table}.{name}" if table else name
        if not isinstance(scope, dict):
            raise self.fail(table, "must be a table")
        if name not in scope:
            if default is ...:
                raise self.fail(label, "is required")
            return default
        value = scope[name]
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise self.fail(label, f"must be {kind.__name__}, got {type(value).__name__}")
        return value

    def strings(self, name: str, table: str = "", required: bool = False) -> tuple[str, ...]:
        label = f"{table}.{name}" if table else name
        values = self.get(name, list, ... if required else [], table)
        if not all(isinstance(v, str) and v for v in values):
            raise self.fail(label, "must be a list of non-empty strings")
        if required and not values:
            raise self.fail(label, "must not be empty")
        return tuple(values)

    def urls(self, name: str) -> tuple[str, ...]:
        values = self.strings(name)
        for url in values:
            if urlsplit(url).scheme not in ("http", "https"):
                raise self.fail(name, f"{url!r} is not an http(s) URL")
        return values

    def regexes(self, name: str, table: str, required: bool = False) -> tuple[UrlPattern, ...]:
        compiled = []
        for pattern in self.strings(name, table, required):
            try:
                compiled.append(UrlPattern(pattern))
            except PatternError as exc:
                raise self.fail(f"{table}.{name}", str(exc)) from exc
        return tuple(compiled)

    def text_regexes(self, name: str, table: str) -> tuple[str, ...]:
        for pattern in (patterns := self.strings(name, table)):
            try:
                re.compile(pattern)
            except re.error as exc:
                raise self.fail(f"{table}.{name}", f"bad regex {pattern!r}: {exc}") from exc
        return patterns

    def domains(self) -> tuple[str, ...]:
        checked = []
        for domain in self.strings("domains", required=True):
            try:
                checked.append(check_domain(domain))
            except ValueError as exc:
                raise self.fail("domains", str(exc)) from exc
        return tuple(checked)

    def more_pages(self) -> MorePages | None:
        if "pagination" not in self.data:
            return None
        template = self.get("template", str, ..., "pagination")
        if "{offset}" not in template or urlsplit(template).scheme not in ("http", "https"):
            raise self.fail("pagination.template", "must be an http(s) URL holding {offset}")
        more = MorePages(
            template=template,
            first=self.get("first", int, 2, "pagination"),
            step=self.get("step", int, 1, "pagination"),
            max_pages=self.get("max_pages", int, 5, "pagination"),
        )
        if more.step < 1 or more.first < 0 or more.max_pages < 0:
            raise self.fail("pagination", "first must be >= 0, step >= 1, max_pages >= 0")
        return more

    def positive(self, name: str, kind: type, table: str) -> Any:
        value = self.get(name, kind, None, table)
        if value is not None and value <= 0:
            raise self.fail(f"{table}.{name}", f"must be > 0, got {value}")
        return value

    def timezone(self) -> str | None:
        name: str | None = self.get("timezone", str, None)
        try:
            ZoneInfo(name) if name is not None else None
        except (ZoneInfoNotFoundError, ValueError):
            raise self.fail("timezone", f"{name!r} is no IANA name (e.g. Europe/Moscow)") from None
        return name

    def profile(self) -> SiteProfile:
        self.check_known_keys()
        name = self.get("name", str)
        if name != self.path.stem:
            raise self.fail("name", f"{name!r} must equal the file name {self.path.stem!r}")
        if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", name):
            raise self.fail("name", "use lowercase letters, digits, '-' and '_'")
        profile = SiteProfile(
            name=name,
            enabled=self.get("enabled", bool, True),
            description=self.get("description", str, ""),
            domains=self.domains(),
            language=self.get("language", str, None),
            timezone=self.timezone(),
            section=self.get("section", str, "opinion"),
            start_urls=self.urls("start_urls"),
            feeds=self.urls("feeds"),
            sitemaps=self.urls("sitemaps"),
            article_allow=self.regexes("allow", "articles", required=True),
            article_deny=self.regexes("deny", "articles"),
            listing_allow=self.regexes("allow", "listings"),
            listing_areas=self.strings("restrict_css", "listings"),
            max_listing_pages=self.get("max_pages", int, 100, "listings"),
            more_pages=self.more_pages(),
            sitemap_follow=self.regexes("follow", "sitemap_index"),
            sitemap_max_age_days=self.positive("max_age_days", float, "sitemap_index"),
            sections=tuple(s.lower() for s in self.strings("want", "sections")),
            section_selector=self.get("selector", str, None, "sections"),
            strip_selectors=self.strings("selectors", "strip"),
            strip_patterns=self.text_regexes("patterns", "strip"),
            download_delay=self.get("download_delay", float, None, "politeness"),
            concurrency=self.positive("concurrency", int, "politeness"),
            memory_enabled=self.get("enabled", bool, True, "memory"),
            memory_body=self.strings("body", "memory"),
            source=str(self.path),
        )
        self.check_coherent(profile)
        return profile

    def check_known_keys(self) -> None:
        for table, known in _KNOWN_KEYS.items():
            scope = self.data.get(table, {}) if table else self.data
            if not isinstance(scope, dict):
                raise self.fail(table, "must be a table")
            for key in sorted(set(scope) - known):
                close = difflib.get_close_matches(key, sorted(known), n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                raise self.fail(f"{table}.{key}" if table else key, f"unknown field{hint}")

    def check_coherent(self, profile: SiteProfile) -> None:
        if not (profile.start_urls or profile.feeds or profile.sitemaps):
            raise self.fail("start_urls", "give at least one of start_urls, feeds, sitemaps")
        for label, urls in (("start_urls", profile.start_urls), ("feeds", profile.feeds),
                            ("sitemaps", profile.sitemaps)):  # fmt: skip
            for url in urls:
                if not profile.on_domain(url):
                    raise self.fail(label, f"{url!r} is not on the profile's domains")
        if profile.more_pages and not profile.on_domain(profile.more_pages.url(0)):
            raise self.fail("pagination.template", "is not on the profile's domains")
        if profile.max_listing_pages < 0:
            raise self.fail("listings.max_pages", "must be >= 0")
        if profile.download_delay is not None and profile.download_delay < 0:
            raise self.fail("politeness.download_delay", "must be >= 0")
        _check_selectors(self, "strip.selectors", profile.strip_selectors)
        _check_selectors(self, "listings.restrict_css", profile.listing_areas)
        selector = (profile.section_selector,) if profile.section_selector else ()
        _check_selectors(self, "sections.selector", selector)


def _check_selectors(reader: _ProfileReader, label: str, selectors: tuple[str, ...]) -> None:
    from cssselect import GenericTranslator, SelectorError

    for selector in selectors:
        try:
            GenericTranslator().css_to_xpath(selector)
        except SelectorError as exc:
            raise reader.fail(label, f"bad CSS selector {selector!r}: {exc}") from exc


def load_profiles(directory: Path = BUNDLED_PROFILES) -> dict[str, SiteProfile]:
    """Every profile in a directory, by name."""
    if directory.is_dir():
        files = sorted(directory.glob("*.toml"))
    elif directory == BUNDLED_PROFILES:
        # Deployed as a zipped egg (scrapyd), the package's files are no directory on disk:
        # read the bundled profiles as package resources (zipfile.Path has what we use).
        bundled = importlib.resources.files("crawler").joinpath("profiles")
        found = (f for f in bundled.iterdir() if f.name.endswith(".toml"))
        files = [cast(Path, f) for f in sorted(found, key=lambda f: f.name)]
    else:
        raise ProfileError(directory, "<directory>", "profile directory does not exist")
    profiles = [load_profile(p) for p in files]
    return {p.name: p for p in profiles}


def select_profiles(
    profiles: dict[str, SiteProfile], selection: str | None, source: Path | str = ""
) -> list[SiteProfile]:
    """Resolve `-a site=...`: a name, a comma-separated list, or `all` (enabled profiles)."""
    if not selection or selection == "all":
        return [p for p in profiles.values() if p.enabled]
    chosen = []
    for name in (n.strip() for n in selection.split(",")):
        if name not in profiles:
            known = ", ".join(sorted(profiles)) or "none"
            raise ProfileError(
                source or "-a site", "site", f"unknown site {name!r}; known: {known}"
            )
        chosen.append(profiles[name])
    return chosen


def profile_for_url(profiles: Iterable[SiteProfile], url: str) -> SiteProfile | None:
    """The profile whose domain holds the URL most specifically (blog.x.com over x.com)."""
    best: tuple[int, SiteProfile] | None = None
    for profile in profiles:
        domain = profile.domain_of(url)
        if domain is not None and (best is None or len(domain) > best[0]):
            best = (len(domain), profile)
    return best[1] if best else None
