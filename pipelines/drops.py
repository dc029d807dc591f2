"""Why an item is dropped: one DropItem subclass per reject reason, and the not-stored kinds."""

from __future__ import annotations

from typing import Any, ClassVar

from scrapy.exceptions import DropItem

from crawler.dataset.schema import RejectReason, RejectRecord

__all__ = ["REJECTIONS", "NotStored", "Rejected", "Unchanged", "reject_record", "rejected"]


class Rejected(DropItem):
    """An item that will not become an article; `reason` is from RejectReason."""

    reason: ClassVar[str] = ""

    def __init__(self, detail: str) -> None:
        super().__init__(f"{self.reason}: {detail}")
        self.detail = detail


class NotStored(DropItem):
    """An item deliberately not stored that is no reject of the page (counted, not written)."""


class Unchanged(NotStored):
    """A re-fetched article whose text is what the dataset already holds: no new row."""


def _class_name(reason: str) -> str:
    return "".join(part.title() for part in reason.split("_"))


# One subclass per reason, so Scrapy counts each in `item_dropped_reasons_count/<Name>`.
REJECTIONS: dict[str, type[Rejected]] = {
    reason: type(_class_name(reason), (Rejected,), {"reason": reason, "__module__": __name__})
    for reason in RejectReason.all()
}


def rejected(reason: str, detail: str) -> Rejected:
    """The exception to raise for a named reason."""
    return REJECTIONS[reason](detail)


def reject_record(item: Any, exc: Rejected, run_id: str) -> RejectRecord:
    """The rejects-dataset row for a dropped page item or article record."""
    status = getattr(item, "status", None)
    return RejectRecord(
        url=getattr(item, "url", ""),
        site=getattr(item, "site", ""),
        reason=exc.reason,
        detail=exc.detail[:2000],
        http_status=status if status is not None else getattr(item, "http_status", 0),
        fetched_at=getattr(item, "fetched_at", None),
        run_id=run_id,
    )
