"""A real tile server on 127.0.0.1 serving generated PNG tiles; it records every request."""

from __future__ import annotations

import io
import random
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from PIL import Image, ImageDraw


@dataclass
class FakeTiles:
    """Serves /{z}/{x}/{y}.png (or a fixed HTTP status); records path and User-Agent."""

    status: int = 200
    requests: list[tuple[str, str]] = field(default_factory=list)
    url: str = ""

    @property
    def template(self) -> str:
        """Return the tile URL template for the TILES setting."""
        return f"{self.url}/{{z}}/{{x}}/{{y}}.png"


def tile_png(z: int, x: int, y: int) -> bytes:
    """Return a 256x256 PNG with street-like lines, labels and its own coordinates on it."""
    image = Image.new("RGB", (256, 256), (200 + (x * 7) % 50, 220, 200 + (y * 11) % 50))
    draw = ImageDraw.Draw(image)
    rng = random.Random(z * 1_000_003 + x * 1009 + y)
    for _ in range(120):  # street-like detail, so image sizes resemble real map tiles
        x0, y0 = rng.randrange(256), rng.randrange(256)
        colour = (rng.randrange(120, 255), rng.randrange(120, 255), rng.randrange(120, 255))
        draw.line(
            (x0, y0, x0 + rng.randrange(-60, 60), y0 + rng.randrange(-60, 60)),
            fill=colour,
            width=rng.randrange(1, 5),
        )
    for _ in range(8):
        draw.text((rng.randrange(200), rng.randrange(245)), "Straße", fill=(60, 60, 60))
    draw.rectangle((0, 0, 255, 255), outline=(120, 120, 120))
    draw.text((10, 10), f"{z}/{x}/{y}", fill=(40, 40, 40))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _handler(fake: FakeTiles) -> type[BaseHTTPRequestHandler]:
    """Return a request handler class bound to fake."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            """Record the request and answer with a tile or the scripted status."""
            fake.requests.append((self.path, self.headers.get("User-Agent", "")))
            parts = self.path.strip("/").removesuffix(".png").split("/")
            if fake.status != 200 or len(parts) != 3:
                self.send_response(fake.status if fake.status != 200 else 404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            body = tile_png(*(int(p) for p in parts))
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            """Stay quiet."""

    return Handler


@contextmanager
def serve_tiles() -> Iterator[FakeTiles]:
    """Run a fake tile server on a free port of 127.0.0.1 for the duration of the block."""
    fake = FakeTiles()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
