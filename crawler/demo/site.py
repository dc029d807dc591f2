"""The generated site as a whole: where it lives, its hosts and its truth records."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crawler.demo.model import Article, PageMeta
from crawler.demo.publisher import Publisher

SITE_FILE = "site.json"
TRUTH_FILE = "truth.jsonl"


@dataclass(frozen=True)
class DemoSite:
    """A generated demo site: root directory, size, seed and host of each profile."""

    root: Path
    pages: int
    seed: int
    hosts: dict[str, str] = field(default_factory=dict)  # profile name -> host
    revisions: dict[str, int] = field(default_factory=dict)
    weight: str = "light"  # "real": article pages carry real-page weight (weight.py)

    @property
    def profiles(self) -> list[str]:
        """Names of the site profiles (`crawler/profiles/<name>.toml`) for the publishers."""
        return sorted(self.hosts)

    @property
    def truth_path(self) -> Path:
        """The truth file, one JSON object per article URL."""
        return self.root / TRUTH_FILE

    def truth(self) -> list[dict[str, Any]]:
        """All truth records (read from disk on each call)."""
        with self.truth_path.open(encoding="utf-8") as lines:
            return [json.loads(line) for line in lines if line.strip()]

    def truth_by_url(self) -> dict[str, dict[str, Any]]:
        """Truth records keyed by URL."""
        return {record["url"]: record for record in self.truth()}

    def save(self) -> Path:
        """Write `site.json` so the site can be reopened with `load`."""
        data = {
            "pages": self.pages,
            "seed": self.seed,
            "hosts": self.hosts,
            "revisions": self.revisions,
            "weight": self.weight,
        }
        target = self.root / SITE_FILE
        target.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        return target

    @classmethod
    def load(cls, root: Path) -> DemoSite:
        """Reopen a site written by `generate`."""
        data = json.loads((Path(root) / SITE_FILE).read_text(encoding="utf-8"))
        return cls(
            Path(root),
            data["pages"],
            data["seed"],
            data["hosts"],
            data.get("revisions", {}),
            data.get("weight", "light"),
        )


def truth_record(pub: Publisher, meta: PageMeta, article: Article | None) -> dict[str, Any]:
    """The truth about one article URL, as written to `truth.jsonl`."""
    record: dict[str, Any] = {
        "id": meta.id,
        "url": meta.url,
        "site": pub.name,
        "kind": meta.kind,
        "title": "",
        "description": "",
        "body": "",
        "authors": [],
        "published_at": None,
        "modified_at": None,
        "language": meta.lang,
        "section": "",
        "tags": [],
        "paywalled": False,
        "boilerplate": [],
        "house_texts": [],
        "encoding": None if meta.kind == "not_html" else pub.encoding,
        "word_count": 0,
    }
    if article is None:
        return record
    modified = pub.modified_at(meta)
    body = "\n\n".join(filter(None, (pub.shown_standfirst(meta), article.body())))
    record.update(
        title=meta.headline,
        description=pub.description(meta),
        body=body,
        authors=list(meta.authors),
        published_at=meta.published.isoformat(),
        modified_at=modified.isoformat() if modified else None,
        section=meta.section,
        tags=list(meta.tags),
        paywalled=article.paywalled,
        boilerplate=article.extras.texts(),
        house_texts=list(article.extras.house),
        word_count=len(body.split()),
    )
    return record
