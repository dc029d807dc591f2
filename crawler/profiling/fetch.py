"""A small blocking fetcher for the profile tools: our User-Agent, robots.txt, host map, limits."""

from __future__ import annotations

import urllib.error
import urllib.request
import zlib
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from protego import Protego

from crawler.discovery import gunzip_bounded
from crawler.rehost import rehost

__all__ = ["Fetched", "Fetcher"]


@dataclass(frozen=True, slots=True)
class Fetched:
    """One answer: status 0 with `error` when there was none."""

    url: str
    status: int
    body: bytes = b""
    content_type: str = ""
    error: str = ""

    @property
    def ok(self) -> bool:
        """A 2xx answer with a body."""
        return 200 <= self.status < 300 and not self.error


@dataclass
class Fetcher:
    """GETs URLs one at a time, as the crawl would see them (http_proxy honoured)."""

    user_agent: str
    timeout: float = 30.0
    max_bytes: int = 20 * 1024 * 1024
    host_map: dict[str, str] = field(default_factory=dict)
    obey_robots: bool = True
    _robots: dict[str, Protego | None] = field(default_factory=dict)

    def get(self, url: str) -> Fetched:
        """The page at `url`, or why there is none (robots.txt included)."""
        if self.obey_robots and not self.allowed(url):
            return Fetched(url, 0, error="forbidden by robots.txt")
        return self._get(url)

    def robots(self, url: str) -> tuple[Fetched, Protego | None]:
        """The robots.txt of a URL's origin, fetched and parsed."""
        parts = urlsplit(url)
        fetched = self._get(f"{parts.scheme}://{parts.netloc}/robots.txt")
        parsed = Protego.parse(fetched.body.decode("utf-8", "replace")) if fetched.ok else None
        return fetched, parsed

    def allowed(self, url: str) -> bool:
        """True unless the origin's robots.txt forbids `url` to our User-Agent."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._robots:
            self._robots[origin] = self.robots(url)[1]
        rules = self._robots[origin]
        return rules is None or rules.can_fetch(url, self.user_agent)

    def _get(self, url: str) -> Fetched:
        request = urllib.request.Request(
            rehost(url, self.host_map),
            headers={"User-Agent": self.user_agent, "Accept-Encoding": "gzip, deflate"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:
                return self._answer(url, answer.status, answer.read(self.max_bytes + 1), answer)
        except urllib.error.HTTPError as exc:
            return Fetched(url, exc.code, error=f"HTTP {exc.code}")
        except (OSError, ValueError) as exc:
            return Fetched(url, 0, error=f"{type(exc).__name__}: {exc}")

    def _answer(self, url: str, status: int, body: bytes, answer: object) -> Fetched:
        headers = getattr(answer, "headers", {})
        if len(body) > self.max_bytes:
            return Fetched(url, status, error=f"larger than {self.max_bytes} bytes")
        encoding = (headers.get("Content-Encoding") or "").lower()
        if encoding == "gzip":
            unpacked = gunzip_bounded(body, self.max_bytes)
            if unpacked is None:
                return Fetched(url, status, error="gzip body corrupt or too large")
            body = unpacked
        elif encoding == "deflate":
            try:
                body = zlib.decompressobj().decompress(body, self.max_bytes)
            except zlib.error as exc:
                return Fetched(url, status, error=f"bad deflate body: {exc}")
        return Fetched(url, status, body, headers.get("Content-Type") or "")
