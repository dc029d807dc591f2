"""Article identity: the one URL normalization for keys, dedupe, incremental runs and claims."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

__all__ = ["normalize_url"]

_TRACKING = re.compile(
    r"^(utm_\w*|fbclid|gclid|dclid|gclsrc|msclkid|yclid|igshid|mc_cid|mc_eid|_ga|_gl|ref|ref_src"
    r"|ref_url|referrer|cmpid|ito|itm_\w*|ocid|smid|sr_share|ncid|__twitter_impression"
    r"|wt_mc|wt\.\w*)$",
    re.IGNORECASE,
)
_DEFAULT_PORTS = {"http": 80, "https": 443}


def normalize_url(url: str) -> str:
    """Lowercase scheme and host, drop fragment, tracking params and default port, sort query."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    port = parts.port if parts.port and parts.port != _DEFAULT_PORTS.get(scheme) else None
    netloc = f"{host}:{port}" if port else host
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    query = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)
    ]
    path = parts.path or ("/" if host else "")
    return urlunsplit((scheme, netloc, path, urlencode(sorted(query)), ""))
