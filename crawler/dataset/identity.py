"""Article identity: the one URL normalization for keys, dedupe, incremental runs and claims.

`clean_url` removes what never names a different page: credentials, fragment, default
port, tracking and session parameters, case and percent-encoding differences (RFC 3986
§6.2.2), dot segments; it sorts the query. Profile patterns are matched against it.
`normalize_url` is the identity: the clean URL without a trailing slash on a non-root
path (`/a/b/` and `/a/b` are one article; `/` stays `/`).
"""

from __future__ import annotations

import contextlib
import re
from functools import lru_cache
from urllib.parse import urlsplit, urlunsplit

__all__ = ["clean_url", "normalize_url", "strip_credentials"]

_TRACKING = re.compile(
    r"^(utm_\w*|fbclid|gclid|dclid|gclsrc|msclkid|yclid|igshid|mc_cid|mc_eid|_ga|_gl|ref|ref_src"
    r"|ref_url|referrer|cmpid|ito|itm_\w*|ocid|smid|sr_share|ncid|__twitter_impression"
    r"|wt_mc|wt\.\w*|traffic_source|trk|trkcampaign|_hsenc|_hsmi|mkt_tok|spm|share|at_\w+"
    r"|icid|int_source|int_medium|int_campaign|xtor)$",
    re.IGNORECASE,
)
_SESSION = re.compile(
    r"^(jsessionid|phpsessid|sid|sessionid|session_id|aspsessionid\w*|cfid|cftoken|zenid"
    r"|oscsid)$",
    re.IGNORECASE,
)
# `;jsessionid=...` style path parameters (Java servlets, old PHP and ColdFusion stacks).
_PATH_SESSION = re.compile(
    r";(?:jsessionid|phpsessid|sid|sessionid|session_id|aspsessionid\w*)=[^/;?]*", re.IGNORECASE
)
_DEFAULT_PORTS = {"http": 80, "https": 443}
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
# Characters that may stay literal in a path or a query component; everything else encoded.
_PATH_SAFE = _UNRESERVED | frozenset("!$&'()*+,;=:@/")
_QUERY_SAFE = (_PATH_SAFE | frozenset("?")) - frozenset("&=+")
_QUERY_VALUE_SAFE = _QUERY_SAFE | {"="}
_PERCENT = re.compile(r"%([0-9A-Fa-f]{2})")


def strip_credentials(url: str) -> str:
    """The URL without `user:password@` (everything else untouched)."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


@lru_cache(maxsize=8192)
def clean_url(url: str) -> str:
    """The URL with everything that never names a different page removed or made canonical."""
    try:
        parts = urlsplit(url.strip())
        netloc = _netloc(parts.scheme.lower(), parts.hostname, parts.port)
    except ValueError:  # a malformed port or IPv6 literal: identity is the URL as given
        return url
    path = _remove_dot_segments(_encode(_PATH_SESSION.sub("", parts.path), _PATH_SAFE))
    if not path and netloc:
        path = "/"
    return urlunsplit((parts.scheme.lower(), netloc, path, _query(parts.query), ""))


@lru_cache(maxsize=8192)
def normalize_url(url: str) -> str:
    """The identity of the page a URL names: `clean_url` without a non-root trailing slash."""
    cleaned = clean_url(url)
    try:
        parts = urlsplit(cleaned)
    except ValueError:  # clean_url kept a malformed URL as given
        return cleaned
    path = parts.path
    while len(path) > 1 and path.endswith("/"):
        path = path[:-1]
    return cleaned if path == parts.path else urlunsplit(parts._replace(path=path))


def _netloc(scheme: str, hostname: str | None, port: int | None) -> str:
    host = (hostname or "").rstrip(".")
    if host and not host.isascii():
        with contextlib.suppress(UnicodeError):  # not a valid IDN: keep the Unicode host
            host = host.encode("idna").decode("ascii")
    if ":" in host:
        host = f"[{host}]"  # an IPv6 literal
    return f"{host}:{port}" if port and port != _DEFAULT_PORTS.get(scheme) else host


def _encode(text: str, safe: frozenset[str]) -> str:
    """Percent-encoding made canonical: unreserved decoded, hex uppercase, the rest encoded."""
    if not _may_change(safe).search(text):
        return text  # the character loop below on every URL was most of URL identity's cost
    out = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "%" and _PERCENT.match(text, i):
            decoded = chr(int(text[i + 1 : i + 3], 16))
            out.append(decoded if decoded in _UNRESERVED else text[i : i + 3].upper())
            i += 3
            continue
        if char in safe:
            out.append(char)
        else:
            out.extend(f"%{b:02X}" for b in char.encode("utf-8", "surrogatepass"))
        i += 1
    return "".join(out)


@lru_cache(maxsize=8)
def _may_change(safe: frozenset[str]) -> re.Pattern[str]:
    """Finds a character `_encode` may change: a `%` or one not in `safe`."""
    return re.compile(f"[^{re.escape(''.join(sorted(safe)))}]")


def _query(query: str) -> str:
    kept = []
    for pair in query.split("&"):
        if not pair:
            continue
        key, eq, value = pair.partition("=")
        key = _encode(key, _QUERY_SAFE)
        name = _PERCENT.sub(lambda m: chr(int(m.group(1), 16)), key)
        if _TRACKING.match(name) or _SESSION.match(name):
            continue
        kept.append((key, eq + _encode(value, _QUERY_VALUE_SAFE)))
    return "&".join(k + v for k, v in sorted(kept))


def _remove_dot_segments(path: str) -> str:
    """RFC 3986 §5.2.4: `/a/./b/../c` is `/a/c`."""
    if "." not in path:
        return path
    segments = path.split("/")
    out: list[str] = []
    for segment in segments[1:] if path.startswith("/") else segments:
        if segment == "..":
            if out:
                out.pop()
        elif segment != ".":
            out.append(segment)
    if segments[-1] in (".", ".."):
        out.append("")
    return ("/" if path.startswith("/") else "") + "/".join(out)
