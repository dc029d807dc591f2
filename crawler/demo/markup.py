# ruff: noqa: RUF001, RUF002
"""Small HTML and date-formatting helpers shared by the three publishers' templates."""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any

from crawler.demo.model import Article, Block

_EN_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_RU_MONTHS = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)


def esc(text: str) -> str:
    """Escape text for element content or a double-quoted attribute."""
    return html.escape(text, quote=False).replace('"', "&quot;")


def jsonld(data: dict[str, Any]) -> str:
    """A JSON-LD script element that cannot be closed early by its content."""
    payload = json.dumps(data, ensure_ascii=False, indent=1).replace("</", "<\\/")
    return f'<script type="application/ld+json">\n{payload}\n</script>'


def day_month_year(dt: datetime) -> str:
    """British style: 14 March 2026."""
    return f"{dt.day} {_EN_MONTHS[dt.month - 1]} {dt.year}"


def month_day_year(dt: datetime) -> str:
    """American style: March 14, 2026."""
    return f"{_EN_MONTHS[dt.month - 1]} {dt.day}, {dt.year}"


def russian_date(dt: datetime) -> str:
    """Russian style with time: 14 марта 2026 г., 15:42."""
    return f"{dt.day} {_RU_MONTHS[dt.month - 1]} {dt.year} г., {dt:%H:%M}"


def rfc822(dt: datetime) -> str:
    """RSS date: Sat, 14 Mar 2026 15:42:00 -0500."""
    return format_datetime(dt)


def http_date(dt: datetime) -> str:
    """HTTP header date in GMT."""
    return format_datetime(dt.astimezone(UTC), usegmt=True)


def interleave(
    article: Article, render: Callable[[Block], str], mid: str, teasers: list[str]
) -> str:
    """Body blocks with the mid-article appeal and "Read more" teasers slotted in."""
    out: list[str] = []
    pending = list(teasers)
    for index, block in enumerate(article.blocks):
        out.append(render(block))
        out.extend(render(Block("p", (text,))) for text in article.inserts.get(index, ()))
        if index == article.mid_after and mid:
            out.append(mid)
        if index == article.teaser_after and pending:
            out.append(pending.pop(0))
    out.extend(pending)
    return "\n".join(out)


def pdf_stub(title: str) -> bytes:
    """A tiny, structurally plausible PDF file naming the article it replaces."""
    safe = "".join(ch for ch in title if ch.isascii() and ch not in "()\\")[:60] or "document"
    stream = f"BT /F1 12 Tf 72 720 Td ({safe}) Tj ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
    ]
    body = "%PDF-1.4\n"
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(body))
        body += f"{number} 0 obj\n{obj}\nendobj\n"
    xref = len(body)
    body += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n"
    body += "".join(f"{offset:010d} 00000 n \n" for offset in offsets)
    body += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    return body.encode("ascii")
