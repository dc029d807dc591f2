"""A quiet threaded HTTP server that serves the generated site, also as a forward proxy."""

from __future__ import annotations

import threading
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from urllib.parse import urlsplit

from crawler.demo.routes import Route, load_routes, read_body

RequestRecord = tuple[str, str, str, int]  # method, host, path with query, status
_NOT_FOUND = b"<html><body><h1>404 Not Found</h1></body></html>"
# A paused server answers anyway after this long: a test that forgot to resume it fails on
# its own assertions rather than hanging on every client's download timeout.
_LONGEST_PAUSE = 120.0


class _Server(ThreadingHTTPServer):
    """Holds the route table and request log for the handler threads."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256

    def __init__(self, address: tuple[str, int], root: Path, log: _Log) -> None:
        super().__init__(address, _Handler)
        self.root = root
        self.routes = load_routes(root)
        self.log = log
        self.serving = threading.Event()
        self.serving.set()

    def handle_error(self, request: object, client_address: object) -> None:
        """Stay silent when a client hangs up mid-response."""


class _Log:
    """Append-only, lock-protected record of answered requests."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: list[RequestRecord] = []

    def add(self, item: RequestRecord) -> None:
        """Record one answered request."""
        with self._lock:
            self._items.append(item)

    def snapshot(self) -> list[RequestRecord]:
        """A copy of the records so far."""
        with self._lock:
            return list(self._items)

    def clear(self) -> None:
        """Forget all records."""
        with self._lock:
            self._items.clear()


class _Handler(BaseHTTPRequestHandler):
    """Answers GET/HEAD from the route table, for absolute-form and origin-form targets."""

    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes: with Nagle's algorithm on, the body waits for
    # the client's delayed ACK of the headers (40 ms on Linux) on every keep-alive request,
    # and a crawl of this server measured that wait instead of the crawler.
    disable_nagle_algorithm = True
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        """No per-request logging."""

    def do_GET(self) -> None:
        """Serve a page."""
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        """Serve headers only."""
        self._answer(send_body=False)

    def _target(self) -> tuple[str, str]:
        if self.path.startswith(("http://", "https://")):
            parts = urlsplit(self.path)
            host, path, query = parts.hostname or "", parts.path or "/", parts.query
        else:
            host = (self.headers.get("Host") or "").rsplit(":", 1)[0]
            path, _, query = self.path.partition("?")
        return host.lower(), path + (f"?{query}" if query else "")

    def _answer(self, send_body: bool) -> None:
        self.server.serving.wait(timeout=_LONGEST_PAUSE)
        self._drain_body()
        host, path = self._target()
        route = self.server.routes.get(host, {}).get(path)
        not_modified = route is not None and self._not_modified(route)
        status = 404 if route is None else 304 if not_modified else route.status
        # Logged before answering, so a client that got its response always finds it logged.
        self.server.log.add((self.command, host, path, status))
        if route is None:
            self._send(404, "text/html; charset=utf-8", _NOT_FOUND, send_body)
        elif not_modified:
            self.send_response(304)
            self._validators(route)
            self.end_headers()
        else:
            body = read_body(self.server.root, route)
            self._send(route.status, route.content_type, body, send_body, route)

    def _drain_body(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)

    def _not_modified(self, route: Route) -> bool:
        if route.etag is None:
            return False
        tags = self.headers.get("If-None-Match")
        if tags is not None:
            wanted = {t.strip().removeprefix("W/") for t in tags.split(",")}
            return "*" in wanted or f'"{route.etag}"' in wanted
        since = self.headers.get("If-Modified-Since")
        if not since:
            return False
        try:
            return route.modified <= parsedate_to_datetime(since).timestamp()
        except (TypeError, ValueError):
            return False

    def _validators(self, route: Route) -> None:
        self.send_header("ETag", f'"{route.etag}"')
        self.send_header("Last-Modified", formatdate(route.modified, usegmt=True))

    def _send(
        self, status: int, ctype: str, body: bytes, send_body: bool, route: Route | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        if route is not None and route.etag is not None:
            self._validators(route)
        self.end_headers()
        if send_body:
            self.wfile.write(body)


class DemoServer:
    """A running demo-site server; use as a context manager or call `stop()`."""

    def __init__(self, root: Path, host: str = "127.0.0.1", port: int = 0) -> None:
        self._log = _Log()
        self._httpd = _Server((host, port), Path(root), self._log)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    @property
    def host(self) -> str:
        """Address the server listens on."""
        return str(self._httpd.server_address[0])

    @property
    def port(self) -> int:
        """Port the server listens on."""
        return int(self._httpd.server_address[1])

    @property
    def proxy_url(self) -> str:
        """Value for `http_proxy`: every demo host is reached through this address."""
        return f"http://{self.host}:{self.port}"

    @property
    def requests(self) -> list[RequestRecord]:
        """Answered requests so far, in order, as (method, host, path_with_query, status)."""
        return self._log.snapshot()

    def clear_requests(self) -> None:
        """Forget the requests recorded so far."""
        self._log.clear()

    def pause(self) -> None:
        """Hold every request from now until `resume()`, e.g. until all clients have started."""
        self._httpd.serving.clear()

    def resume(self) -> None:
        """Answer held and new requests again."""
        self._httpd.serving.set()

    def wait(self, timeout: float | None = None) -> None:
        """Block until the server stops (or the timeout passes)."""
        self._thread.join(timeout)

    def stop(self) -> None:
        """Shut the server down and release the port."""
        self.resume()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()

    def __enter__(self) -> DemoServer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def serve(root: Path, host: str = "127.0.0.1", port: int = 0) -> DemoServer:
    """Start serving a generated site in a daemon thread and return at once."""
    return DemoServer(root, host, port)
