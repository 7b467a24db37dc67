"""A real HTTP server on 127.0.0.1 that answers like Nominatim's /search, failures included."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

# An answer is ("ok", lat, lon), ("sleep", seconds), or one of the names in _FIXED.
Answer = tuple[Any, ...] | str

_FIXED: dict[str, tuple[int, str, bytes]] = {
    "empty": (200, "application/json", b"[]"),
    "429": (429, "text/html", b"<html><body>Too Many Requests</body></html>"),
    "500": (500, "text/html", b"<html><body>Internal Server Error</body></html>"),
    "garbage": (200, "text/html", b"<html><body>Bad Gateway? Not JSON \x00\xff</body></html>"),
    "no-coordinates": (200, "application/json", b'[{"display_name": "somewhere"}]'),
}


@dataclass
class Request:
    """One request as the server saw it."""

    at: float
    path: str
    query: dict[str, str]
    user_agent: str


@dataclass
class FakeNominatim:
    """Answers per query text (`answers`, falling back to `default`); records every request."""

    answers: dict[str, Answer] = field(default_factory=dict)
    default: Answer = "empty"
    requests: list[Request] = field(default_factory=list)
    url: str = ""

    def answer_for(self, q: str) -> Answer:
        """Return the scripted answer for a query text."""
        return self.answers.get(q, self.default)

    def queries(self) -> list[str]:
        """Return the q parameter of every request, in order."""
        return [r.query.get("q", "") for r in self.requests]


def _handler(fake: FakeNominatim) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            arrived = time.monotonic()
            parts = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            fake.requests.append(
                Request(arrived, parts.path, query, self.headers.get("User-Agent", ""))
            )
            search = parts.path.endswith("/search")
            answer = fake.answer_for(query.get("q", "")) if search else "500"
            if isinstance(answer, tuple) and answer[0] == "sleep":
                time.sleep(answer[1])
                answer = ("ok", 51.3, 6.5)
            if isinstance(answer, tuple):
                _, lat, lon = answer
                body = json.dumps(
                    [
                        {
                            "place_id": 1,
                            "lat": str(lat),
                            "lon": str(lon),
                            "display_name": f"{query.get('q')}, Deutschland",
                        }
                    ]
                )
                status, ctype, raw = 200, "application/json", body.encode()
            else:
                status, ctype, raw = _FIXED[answer]
            try:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout test)

        def log_message(self, format: str, *args: Any) -> None:
            """Keep the test output quiet."""

    return Handler


def serve(fake: FakeNominatim) -> ThreadingHTTPServer:
    """Start the server in a daemon thread; set fake.url; return it for shutdown."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    server.daemon_threads = True
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    return server
