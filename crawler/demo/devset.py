"""Export the opinion pages in the layout of the external extraction evaluation set."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path
from typing import Any

from crawler.demo.routes import load_routes, lookup
from crawler.demo.site import DemoSite
from crawler.demo.text import split_sentences

_CHARSET = re.compile(r"(charset=[\"']?)([\w-]+)", re.IGNORECASE)
SNIPPETS = 3


def as_utf8(raw: bytes, encoding: str) -> bytes:
    """Page bytes re-encoded as UTF-8, with the declared charset changed to match."""
    text = raw.decode(encoding)
    if encoding.lower() not in ("utf-8", "utf8"):
        text = _CHARSET.sub(lambda m: m.group(1) + "utf-8", text, count=1)
    return text.encode("utf-8")


def snippets(body: str, limit: int = SNIPPETS) -> list[str]:
    """A few whole sentences spread over the body (first, middle and last paragraphs)."""
    paragraphs = [p for p in body.split("\n\n") if len(p.split()) >= 8]
    if not paragraphs:
        return []
    picks = [paragraphs[0], paragraphs[len(paragraphs) // 2], paragraphs[-1]]
    found: list[str] = []
    for index, paragraph in enumerate(picks):
        sentences = [s for s in split_sentences(paragraph) if len(s.split()) >= 5]
        if sentences:
            found.append(sentences[0] if index < 2 else sentences[-1])
    return list(dict.fromkeys(found))[:limit]


def devset_record(record: dict[str, Any]) -> dict[str, Any]:
    """One line of the evaluation truth file."""
    return {
        "id": record["id"],
        "url": record["url"],
        "source": "demo",
        "title": record["title"],
        "body": record["body"],
        "lang": record["language"],
        "publisher": record["site"],
        "with_snippets": snippets(record["body"]),
        "without_snippets": record["boilerplate"],
        "encoding": "utf-8",
    }


def export_devset(site: DemoSite | Path, out_dir: Path) -> int:
    """Write `out_dir/pages/<id>.html.gz` (UTF-8) and `out_dir/truth.jsonl`; returns the count."""
    demo = site if isinstance(site, DemoSite) else DemoSite.load(Path(site))
    routes = load_routes(demo.root)
    pages = Path(out_dir) / "pages"
    pages.mkdir(parents=True, exist_ok=True)
    count = 0
    with (Path(out_dir) / "truth.jsonl").open("w", encoding="utf-8") as truth:
        for record in demo.truth():
            route = lookup(routes, record["url"])
            if record["kind"] != "opinion" or route is None:
                continue
            raw = (demo.root / route.file).read_bytes()
            # mtime=0 keeps the archive bytes identical from run to run.
            data = gzip.compress(as_utf8(raw, record["encoding"]), mtime=0)
            (pages / f"{record['id']}.html.gz").write_bytes(data)
            truth.write(json.dumps(devset_record(record), ensure_ascii=False) + "\n")
            count += 1
    return count
