"""Turn response bytes into text honestly, or name why they are no HTML page at all."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from charset_normalizer import from_bytes

from crawler.dataset.schema import RejectReason

from .page import Rejection

__all__ = ["Decoded", "decode", "sniff"]

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_MAGIC = (
    (b"%PDF", "pdf"),
    (b"\x89PNG", "png image"),
    (b"\xff\xd8\xff", "jpeg image"),
    (b"GIF8", "gif image"),
    (b"PK\x03\x04", "zip archive"),
    (b"\x1f\x8b", "gzip data"),
    (b"\x00\x00\x01\x00", "icon"),
)
_NOT_HTML_TYPES = re.compile(
    r"^(application/(pdf|json|[\w.+-]*\+json|rss\+xml|atom\+xml|zip|gzip|x-gzip|javascript"
    r"|msword|vnd\.[\w.+-]+)|image/.*|audio/.*|video/.*|font/.*|text/(css|javascript|json|csv))$"
)
_XML_TYPES = ("text/xml", "application/xml")
_CHARSET = re.compile(rb"""charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
# WHATWG decodes these labels with a superset; the strict label fails on real pages.
_SUPERSETS = {
    "latin-1": "cp1252",
    "iso8859-1": "cp1252",
    "ascii": "cp1252",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "euc_kr": "cp949",
    "shift_jis": "cp932",
}
# WHATWG labels Python does not know, and the codec Python decodes them with.
_WEB_ALIASES = {
    "x-user-defined": "cp1252",  # HTML's prescan reads it as windows-1252
    "x-mac-cyrillic": "mac-cyrillic",
    "x-mac-ukrainian": "mac-cyrillic",
    "iso-8859-8-i": "iso8859-8",
    "windows-874": "cp874",
    "dos-874": "cp874",
    "unicode-1-1-utf-8": "utf-8",
    "x-sjis": "cp932",
    "x-cp1250": "cp1250",
    "x-cp1251": "cp1251",
}
# The encodings of the WHATWG Encoding standard as Python names them (after _SUPERSETS). Any
# other label (utf-7, idna, undefined, rot13, base64 ...) is no web page's charset: ignored.
_WEB_CODECS = frozenset(
    ("utf-8", "utf-8-sig", "cp866", "koi8-r", "koi8-u", "mac-roman", "mac-cyrillic", "cp874",
     "tis-620", "gb18030", "big5", "big5hkscs", "euc_jp", "iso2022_jp", "cp932", "cp949",
     *(f"iso8859-{n}" for n in range(2, 17)), *(f"cp{n}" for n in range(1250, 1259)))
)  # fmt: skip
_UTF16 = frozenset(("utf-16", "utf-16-le", "utf-16-be"))
_GARBAGE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd]")
_MAX_GARBAGE_SHARE = 0.02
_SAMPLE_CHARS = 200_000  # of the text, checked for garbage
_CONTROL_BYTES = bytes((*range(0x00, 0x09), 0x0B, *range(0x0E, 0x20), 0x7F))  # as in _GARBAGE
_CONTROL_BYTES_AND_C2 = _CONTROL_BYTES + b"\xc2"  # counted in one pass


@dataclass(frozen=True, slots=True)
class Decoded:
    """Decoded page text and the encoding that produced it (with where it came from)."""

    text: str
    encoding: str
    source: str  # "bom", "http", "meta", "utf-8", "detected"
    # the page bytes when they are exactly `text` in UTF-8 without a BOM: the parser reads
    # them as they are (libxml2 works in UTF-8; a str it would convert back)
    utf8: bytes | None = None


def sniff(body: bytes, content_type: str | None) -> Rejection | None:
    """A Rejection when the content type or the first bytes say this is no HTML page."""
    mime = (content_type or "").split(";", 1)[0].strip().lower()
    if _NOT_HTML_TYPES.match(mime):
        return Rejection(RejectReason.NOT_HTML, f"content-type {mime}")
    head = body[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    for magic, label in _MAGIC:
        if head.startswith(magic):
            return Rejection(RejectReason.NOT_HTML, f"bytes look like {label}")
    lowered = head.lower()
    looks_html = any(tag in lowered for tag in (b"<html", b"<body", b"<head", b"<!doctype html"))
    if head[:1] in (b"{", b"[") and not looks_html:
        return Rejection(RejectReason.NOT_HTML, "bytes look like json")
    feed = any(tag in lowered for tag in (b"<rss", b"<feed", b"<urlset", b"<sitemapindex"))
    if feed and not looks_html:
        return Rejection(RejectReason.NOT_HTML, "bytes look like an xml feed or sitemap")
    if mime in _XML_TYPES and not looks_html:
        return Rejection(RejectReason.NOT_HTML, f"content-type {mime}")
    return None


def decode(body: bytes, content_type: str | None) -> Decoded | Rejection:
    """Decode by BOM > HTTP charset > meta charset > detection, checking each declared label."""
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            return _checked(Decoded(body.decode(encoding, errors="replace"), encoding, "bom"))
    declared: list[tuple[str | None, str]] = []
    if content_type:
        declared.append((_label(content_type.encode("latin-1", "replace")), "http"))
    declared.append((_label(body[:4096], meta=True), "meta"))
    for label, source in declared:
        if label:
            text = _try_declared(body, label)
            if text is not None:
                return _checked(Decoded(text, label, source, _exact_utf8(body, text, label)))
    try:
        return _checked(Decoded(body.decode("utf-8"), "utf-8", "utf-8", body))
    except UnicodeDecodeError:
        return _checked(_detect(body))


def _exact_utf8(body: bytes, text: str, label: str) -> bytes | None:
    """The body, when `text` is its UTF-8 decoding with nothing replaced."""
    if label != "utf-8" or ("\ufffd" in text and not _is_utf8(body)):
        return None
    return body


def _label(data: bytes, meta: bool = False) -> str | None:
    """The codec of a charset label (HTML's rules), or None when absent or no web encoding.

    A meta-declared UTF-16 means UTF-8: the meta was just read as ASCII, so the bytes are not
    UTF-16 (HTML's prescan rule).
    """
    match = (_META_CHARSET if meta else _CHARSET).search(data)
    if not match:
        return None
    label = match.group(1).decode("ascii", "ignore").strip().lower()
    try:
        name = _WEB_ALIASES.get(label) or codecs.lookup(label).name
    except LookupError:
        return None
    name = _SUPERSETS.get(name, name)
    if name in _UTF16:
        return "utf-8" if meta else name
    return name if name in _WEB_CODECS else None


def _try_declared(body: bytes, encoding: str) -> str | None:
    """The body decoded with a declared charset, or None when the label is evidently wrong."""
    if encoding in ("utf-8", "utf-8-sig"):
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError:
            # a stray bad byte in a real UTF-8 page is common; a legacy-charset page is not
            text = body.decode("utf-8", errors="replace")
            return text if text.count("\ufffd") <= max(2, len(text) // 2000) else None
    if encoding in _UTF16 and b"\x00" not in body[:4096]:
        return None  # UTF-16 markup is half NUL bytes: a page without any is not UTF-16
    if not body.isascii() and _is_utf8(body):
        return None  # valid multi-byte UTF-8 under a legacy label is mislabelled UTF-8
    try:
        return body.decode(encoding)
    except (UnicodeError, LookupError):
        return None


def _is_utf8(body: bytes) -> bool:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _detect(body: bytes) -> Decoded:
    """Let charset-normalizer guess; fall back to UTF-8 with replacement characters."""
    best = from_bytes(body[:200_000]).best()
    if best is not None and best.encoding:
        return Decoded(body.decode(best.encoding, errors="replace"), best.encoding, "detected")
    return Decoded(body.decode("utf-8", errors="replace"), "utf-8", "detected")


def _checked(decoded: Decoded) -> Decoded | Rejection:
    """Reject text that is mostly control characters or replacement characters."""
    sample = decoded.text[:_SAMPLE_CHARS]
    if _garbage_at_most(decoded, sample) <= _MAX_GARBAGE_SHARE * len(sample):
        return decoded  # most pages: their bytes show there is too little garbage to count
    garbage = len(_GARBAGE.findall(sample))
    if sample and garbage / len(sample) > _MAX_GARBAGE_SHARE:
        detail = f"{garbage / len(sample):.0%} control/replacement characters as {decoded.encoding}"
        return Rejection(RejectReason.UNDECODABLE, detail)
    return decoded


def _garbage_at_most(decoded: Decoded, sample: str) -> int:
    """At least the number of garbage characters in the sample, read from its UTF-8 bytes at a
    third of the regex's cost: a C0 control or DEL is its own byte, a C1 control starts with
    0xC2 (as do a few printable characters) and U+FFFD is EF BF BD.

    A page longer than the sample is counted whole when its bytes are at hand: more bytes
    only count more, and encoding the sample again took longer than counting (~0.2 ms).
    """
    data = decoded.utf8
    if data is None:
        data = sample.encode("utf-8", "surrogatepass")
    controls_and_c2 = len(data) - len(data.translate(None, _CONTROL_BYTES_AND_C2))
    return controls_and_c2 + data.count("\ufffd".encode())
