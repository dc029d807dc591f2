"""Checks of a profile's domains: registrable names only, stored in their ASCII (punycode) form."""

from __future__ import annotations

import ipaddress
import re
from functools import lru_cache

from tld import is_tld

__all__ = ["ascii_host", "check_domain"]

_LABEL = re.compile(r"[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?")


@lru_cache(maxsize=4096)
def ascii_host(host: str) -> str:
    """A host name in the form requests carry: lowercase, internationalized labels as punycode."""
    host = host.strip().rstrip(".").lower()
    if host.isascii():
        return host
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host


def check_domain(domain: str) -> str:
    """The ASCII form of a profile domain; ValueError for a public suffix or a malformed name.

    A public suffix (`com`, `co.uk`) as a domain would put every site under it on the
    profile: a redirect to any `.co.uk` page was stored as the site's article. An
    internationalized name is accepted in either form and stored as punycode, the form
    Scrapy puts in request URLs (stored as Unicode, every request was "offsite").
    """
    if "/" in domain or ":" in domain or domain.strip() != domain:
        raise ValueError(f"{domain!r} must be a bare host name (no scheme, port, path or spaces)")
    host = ascii_host(domain)
    if _is_ip(host) or host == "localhost":
        return host
    if not host.isascii() or not all(_LABEL.fullmatch(label) for label in host.split(".")):
        raise ValueError(f"{domain!r} is not a valid host name")
    if is_tld(host) or is_tld(domain.lower()):
        raise ValueError(
            f"{domain!r} is a public suffix: it would admit every site under it; "
            "give the site's own domain"
        )
    return host


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True
