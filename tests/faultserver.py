"""A misbehaving local web server for fault tests: every route is one failure mode.

Reached like the demo site: it answers as a forward HTTP proxy on 127.0.0.1 for the
`.test` hosts, so the crawler sees ordinary URLs such as `http://faults.test/opinion/x`.
It logs every request with its headers, start and end time, so tests can assert what was
requested, how often, how fast and with which User-Agent.
"""

from __future__ import annotations

import contextlib
import gzip
import socket
import struct
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit

__all__ = ["FaultServer", "Reply", "article_html", "gzip_bomb"]

WORDS = (
    "council", "budget", "housing", "river", "transport", "school", "library", "market",
    "harbour", "bridge", "tram", "clinic", "museum", "park", "street", "district",
    "election", "vote", "tax", "rent", "wages", "winter", "summer",
)  # fmt: skip


def article_html(title: str, paragraphs: int = 8, seed: int = 0, charset: str = "utf-8") -> str:
    """A plain, well-formed opinion article page with `paragraphs` distinct paragraphs."""
    body = []
    for i in range(paragraphs):
        words = [WORDS[(seed * 7 + i * 3 + j * j) % len(WORDS)] for j in range(28)]
        body.append(f"<p>Paragraph {i} of {title.lower()}: " + " ".join(words) + ".</p>")
    return (
        f'<!doctype html><html lang="en"><head><meta charset="{charset}">'
        f'<title>{title}</title><meta property="og:title" content="{title}">'
        '<meta name="author" content="Test Author">'
        '<meta property="article:published_time" content="2026-03-01T10:00:00+00:00">'
        f'</head><body><nav><a href="/">Home</a></nav><article><h1>{title}</h1>'
        + "".join(body)
        + "</article><footer>Fault Gazette</footer></body></html>"
    )


@dataclass
class Reply:
    """How the server answers one path: a status, headers and body, or a misbehaviour."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "text/html"})
    action: str = ""  # "" | "reset" | "hang" | "slow"
    delay: float = 0.0  # seconds to wait before answering ("slow", "hang")
    then: Reply | None = None  # the answer after `times` answers like this one
    times: int = 0
    content_length: int | None = None  # announced instead of the body's length (a short read)


@dataclass
class Logged:
    """One request as the server saw it."""

    host: str
    path: str
    headers: dict[str, str]
    started: float
    ended: float = 0.0
    status: int = 0
    target: str = ""  # the request target exactly as received (credentials included)


class FaultServer:
    """Serves a route table {(host, path): Reply}; unknown routes are 404."""

    def __init__(self, routes: dict[tuple[str, str], Reply]) -> None:
        self.routes = routes
        self.log: list[Logged] = []
        self.hits: dict[tuple[str, str], int] = {}
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def proxy_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> FaultServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def requested(self, host: str, path: str) -> int:
        """How many times a URL was requested."""
        return sum(1 for r in self.log if (r.host, r.path) == (host, path))

    def _reply_for(self, host: str, path: str) -> Reply:
        with self._lock:
            key = (host, path)
            count = self.hits.get(key, 0)
            self.hits[key] = count + 1
        # As a real server: `%32` is `2`, and an unknown query (`?utm_source=x`) is ignored.
        reply = self.routes.get(key) or self.routes.get(
            (host, unquote(path.split("?", 1)[0])), Reply(404, b"not here")
        )
        while reply.then is not None and count >= reply.times:
            count -= reply.times
            reply = reply.then
        return reply

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:  # quiet
                pass

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                host = parts.hostname or self.headers.get("Host", "").split(":")[0]
                path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
                entry = Logged(
                    host, path, dict(self.headers.items()), time.monotonic(), target=self.path
                )
                with server._lock:
                    server.log.append(entry)
                reply = server._reply_for(host, path)
                entry.status = reply.status
                server._answer(self, reply)
                entry.ended = time.monotonic()

        return Handler

    def _answer(self, handler: BaseHTTPRequestHandler, reply: Reply) -> None:
        if reply.action == "reset":
            # SO_LINGER 0: close() sends RST, the client sees "connection reset".
            handler.connection.setsockopt(
                socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
            )
            handler.close_connection = True
            return
        if reply.delay:
            time.sleep(reply.delay)
        if reply.action == "hang":
            handler.close_connection = True
            return
        handler.send_response(reply.status)
        for name, value in reply.headers.items():
            handler.send_header(name, value)
        announced = len(reply.body) if reply.content_length is None else reply.content_length
        handler.send_header("Content-Length", str(announced))
        handler.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            handler.wfile.write(reply.body)
        if announced != len(reply.body):
            handler.close_connection = True  # the rest never comes


def gzip_bomb(size: int) -> bytes:
    """`size` zero bytes, gzipped: a few KB on the wire."""
    return gzip.compress(b"\0" * size, compresslevel=9)
