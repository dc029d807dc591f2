"""Truncated bodies: a short read or a cut compressed stream becomes an error, never an article."""

from __future__ import annotations

import logging
import sys
import zlib
from collections.abc import Callable
from itertools import chain

import brotli
from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, ResponseDataLossError
from scrapy.http import Response

if sys.version_info >= (3, 14):
    from compression import zstd
else:
    from backports import zstd

__all__ = ["TruncatedBody", "TruncatedBodyMiddleware", "is_truncation", "stream_problem"]

logger = logging.getLogger(__name__)

CHUNK = 65536


class TruncatedBody(IgnoreRequest):
    """The response's body is incomplete: fewer bytes than announced, or a cut stream."""


def is_truncation(error: BaseException | None) -> bool:
    """Whether a download failure means the body was cut short (after Scrapy's retries)."""
    return isinstance(error, TruncatedBody | ResponseDataLossError)


def _zlib_problem(body: bytes, wbits: int, limit: int) -> str | None:
    data, produced = body, 0
    while True:  # a gzip body may hold several members, one after another
        inflater = zlib.decompressobj(wbits)
        chunk = inflater.decompress(data, CHUNK)
        produced += len(chunk)
        while inflater.unconsumed_tail and not inflater.eof and produced <= limit:
            produced += len(inflater.decompress(inflater.unconsumed_tail, CHUNK))
        if produced > limit:
            return None  # too large: HttpCompressionMiddleware says so
        if not inflater.eof:
            return "the compressed stream ends before its end marker"
        data = inflater.unused_data
        if wbits != 47 or not data.startswith(b"\x1f\x8b"):
            return None


def _deflate_problem(body: bytes, limit: int) -> str | None:
    try:
        return _zlib_problem(body, 15, limit)
    except zlib.error:  # raw deflate, as some servers send it
        return _zlib_problem(body, -15, limit)


def _brotli_problem(body: bytes, limit: int) -> str | None:
    decompressor = brotli.Decompressor()
    produced = len(decompressor.process(body, output_buffer_limit=CHUNK))
    while not decompressor.is_finished() and produced <= limit:
        chunk = decompressor.process(b"", output_buffer_limit=CHUNK)
        if not chunk:
            break
        produced += len(chunk)
    if produced <= limit and not decompressor.is_finished():
        return "the brotli stream ends before its last block"
    return None


def _zstd_problem(body: bytes, limit: int) -> str | None:
    decompressor = zstd.ZstdDecompressor()
    produced = len(decompressor.decompress(body, CHUNK))
    while not decompressor.eof and not decompressor.needs_input and produced <= limit:
        produced += len(decompressor.decompress(b"", CHUNK))
    if produced <= limit and not decompressor.eof:
        return "the zstd stream ends before its last frame"
    return None


CHECKS: dict[bytes, Callable[[bytes, int], str | None]] = {
    b"gzip": lambda body, limit: _zlib_problem(body, 47, limit),
    b"x-gzip": lambda body, limit: _zlib_problem(body, 47, limit),
    b"deflate": _deflate_problem,
    b"br": _brotli_problem,
    b"zstd": _zstd_problem,
}


def stream_problem(body: bytes, encodings: list[bytes], limit: int) -> str | None:
    """Why a compressed body is incomplete or corrupt, or None when it is whole.

    Only the outermost encoding is checked: Scrapy decodes the others only if it is whole.
    A stream that decompresses past `limit` bytes is left to DOWNLOAD_MAXSIZE.
    """
    names = [e.strip().lower() for e in chain.from_iterable(v.split(b",") for v in encodings)]
    check = CHECKS.get(names[-1]) if names else None
    if check is None or not body:
        return None
    try:
        return check(body, limit or sys.maxsize)
    except (zlib.error, brotli.error, zstd.ZstdError) as exc:
        return f"corrupt {names[-1].decode()} stream: {exc}"


class TruncatedBodyMiddleware:
    """Refuses incomplete responses before HttpCompressionMiddleware (590) decodes them.

    Scrapy's decompression returns what it could inflate from a cut gzip, deflate or zstd
    stream, so a page cut mid-word looked whole. A short read (fewer bytes than
    Content-Length) fails in the download handler (DOWNLOAD_FAIL_ON_DATALOSS), is retried,
    and is named by `is_truncation`; with that setting off its `dataloss` flag is caught here.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats
        self.max_size = crawler.settings.getint("DOWNLOAD_MAXSIZE")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> TruncatedBodyMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        if request.method == "HEAD" or response.status in (204, 304):
            return response
        problem = self._problem(request, response)
        if problem is None:
            return response
        assert self.stats is not None
        self.stats.inc_value("downloader/truncated_body")
        logger.warning("truncated body from %s: %s", response.url, problem)
        raise TruncatedBody(f"Truncated body: {problem}")

    def _problem(self, request: Request, response: Response) -> str | None:
        if "dataloss" in response.flags:
            return f"{len(response.body)} bytes received, fewer than announced"
        encodings = response.headers.getlist("Content-Encoding")
        limit = request.meta.get("download_maxsize", self.max_size)
        return stream_problem(response.body, encodings, limit) if encodings else None
