"""The reject reason of a request that got no usable response (no Scrapy spider needed)."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from scrapy.exceptions import DownloadCancelledError, IgnoreRequest
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError

from crawler.dataset.identity import strip_credentials
from crawler.dataset.schema import RejectReason
from crawler.truncation import is_truncation

__all__ = ["failure_reason", "failure_status", "response_reason"]

_IGNORED_REASONS = {
    "Forbidden by robots.txt": RejectReason.BLOCKED,
    "Filtered offsite request": RejectReason.OFFSITE_REDIRECT,
    "max redirections reached": RejectReason.REDIRECT_LOOP,
}


def failure_reason(error: BaseException | None) -> str:
    """The reject reason for a request that got no usable response."""
    if is_truncation(error):
        return RejectReason.TRUNCATED_BODY
    if isinstance(error, HttpError) and error.response is not None:
        return response_reason(error.response)[0]
    if isinstance(error, IgnoreRequest):
        message = str(error)
        for prefix, reason in _IGNORED_REASONS.items():
            if message.startswith(prefix):
                return reason
        if "DOWNLOAD_MAXSIZE" in message or "max size" in message:
            return RejectReason.TOO_LARGE
        return RejectReason.DOWNLOAD_ERROR
    if isinstance(error, DownloadCancelledError) and "max size" in str(error):
        return RejectReason.TOO_LARGE
    return RejectReason.DOWNLOAD_ERROR


def failure_status(error: BaseException | None) -> int:
    """The HTTP status behind a failure, 0 when there was no response."""
    response = getattr(error, "response", None)
    return response.status if isinstance(response, Response) else 0


def response_reason(response: Response) -> tuple[str, str]:
    """(reason, detail) for a response that is neither an article nor followed."""
    status = response.status
    if not 100 <= status <= 599:
        return RejectReason.NONSTANDARD_STATUS, f"HTTP {status} is no HTTP status"
    if 300 <= status < 400:
        location = response.headers.get("Location")
        if not location:
            return RejectReason.REDIRECT_WITHOUT_LOCATION, f"HTTP {status} without a Location"
        target = urljoin(response.url, location.decode("latin-1").strip())
        scheme = urlsplit(target).scheme.lower()
        if scheme not in ("http", "https"):
            shown = strip_credentials(target)[:200]
            return RejectReason.UNSUPPORTED_REDIRECT, f"HTTP {status} redirect to {shown}"
    return RejectReason.HTTP_ERROR, f"HTTP {status}"
