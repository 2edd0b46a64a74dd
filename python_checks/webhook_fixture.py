"""A local webhook for the alert tests: a threaded HTTP server on 127.0.0.1, ephemeral port.

It answers each POST as told (``ok``, ``fail`` with HTTP 500, or ``hang``: no answer until the
client has given up), records what it received, and is bounded: it answers at most
``max_requests`` requests (503 after that) and shuts itself down after ``lifetime`` seconds.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Literal

Mode = Literal["ok", "fail", "hang"]


@dataclass(frozen=True)
class Received:
    path: str
    content_type: str
    payload: dict[str, Any]


class WebhookServer:
    def __init__(
        self,
        mode: Mode = "ok",
        *,
        max_requests: int = 50,
        lifetime: float = 60.0,
        hang_seconds: float = 5.0,
    ) -> None:
        self.mode = mode
        self.max_requests = max_requests
        self.hang_seconds = hang_seconds
        self.received: list[Received] = []
        self.requests = 0
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._timer = threading.Timer(lifetime, self.stop)
        self._timer.daemon = True

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/services/T000/B000/secret-token"

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                with server._lock:
                    server.requests += 1
                    over = server.requests > server.max_requests
                if over:
                    self._answer(503, b"too many requests for this test server")
                    return
                if server.mode == "hang":
                    # No answer until the client has timed out (or the server stops).
                    server._stopping.wait(server.hang_seconds)
                    self._answer(200, b"ok, too late")
                    return
                if server.mode == "fail":
                    self._answer(500, b"internal error")
                    return
                with server._lock:
                    server.received.append(
                        Received(
                            self.path,
                            self.headers.get("Content-Type", ""),
                            json.loads(body.decode("utf-8")),
                        )
                    )
                self._answer(200, b"ok")

            def _answer(self, status: int, body: bytes) -> None:
                try:
                    self.send_response(status)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:
                    pass  # the client gave up (a time-out test)

            def log_message(self, format: str, *args: Any) -> None:
                return

        return Handler

    def start(self) -> WebhookServer:
        self._thread.start()
        self._timer.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._timer.cancel()
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> WebhookServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
