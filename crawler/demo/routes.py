"""The route table: which bytes, status and headers the demo server sends for host + path."""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from crawler.demo.publisher import SiteFile

ROUTES_FILE = "routes.json"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


@dataclass(frozen=True, slots=True)
class Route:
    """How to answer one URL."""

    status: int
    content_type: str
    file: str  # relative to the site root
    etag: str | None
    modified: int  # Unix time for Last-Modified

    def to_json(self) -> dict[str, object]:
        """JSON-ready form."""
        return {
            "status": self.status,
            "type": self.content_type,
            "file": self.file,
            "etag": self.etag,
            "modified": self.modified,
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Route:
        """Inverse of `to_json`."""
        etag = data["etag"]
        return cls(
            int(str(data["status"])),
            str(data["type"]),
            str(data["file"]),
            None if etag is None else str(etag),
            int(str(data["modified"])),
        )


def file_name(host: str, path: str) -> str:
    """A safe relative file name: `host/first-segment/rest__of__path[@query]`."""
    path, _, query = path.partition("?")
    parts = [_UNSAFE.sub("_", part) for part in path.strip("/").split("/") if part]
    if not parts or path.endswith("/"):
        parts.append("index.html")
    if query:
        parts[-1] += "@" + _UNSAFE.sub("_", query)
    # One directory level per host section: creating a directory per article was a third of
    # the generation time on large sites.
    if len(parts) == 1:
        return f"{host}/{parts[0]}"
    return f"{host}/{parts[0]}/{'__'.join(parts[1:])}"


class RouteWriter:
    """Writes response bodies under the site root and collects their routes."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.routes: dict[str, dict[str, Route]] = {}
        self._dirs: set[Path] = set()

    def add(self, host: str, site_file: SiteFile) -> Route:
        """Store one response (or alias an existing one) and return its route."""
        table = self.routes.setdefault(host, {})
        if site_file.alias_of is not None:
            route = table[site_file.alias_of]
        else:
            name = file_name(host, site_file.path)
            target = self.root / name
            if target.parent not in self._dirs:
                target.parent.mkdir(parents=True, exist_ok=True)
                self._dirs.add(target.parent)
            target.write_bytes(site_file.body)
            etag = None
            if site_file.status == 200:
                etag = hashlib.blake2b(site_file.body, digest_size=10).hexdigest()
            modified = int(site_file.last_modified.timestamp())
            route = Route(site_file.status, site_file.content_type, name, etag, modified)
        table[site_file.path] = route
        return route

    def save(self) -> Path:
        """Write `routes.json` with hosts and paths in sorted order."""
        data = {
            host: {path: route.to_json() for path, route in sorted(table.items())}
            for host, table in sorted(self.routes.items())
        }
        target = self.root / ROUTES_FILE
        target.write_text(json.dumps(data, ensure_ascii=False, indent=0), encoding="utf-8")
        return target


def load_routes(root: Path) -> dict[str, dict[str, Route]]:
    """Read `routes.json` written by the generator."""
    data = json.loads((root / ROUTES_FILE).read_text(encoding="utf-8"))
    return {
        host: {path: Route.from_json(r) for path, r in table.items()}
        for host, table in data.items()
    }


def read_body(root: Path, route: Route) -> bytes:
    """The bytes a route sends; a `.gz` file (a page borrowed from an eval set) is inflated."""
    body = (root / route.file).read_bytes()
    return gzip.decompress(body) if route.file.endswith(".gz") else body


def lookup(routes: dict[str, dict[str, Route]], url: str) -> Route | None:
    """The route serving an absolute URL, if any."""
    parts = urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return routes.get((parts.hostname or "").lower(), {}).get(path)
