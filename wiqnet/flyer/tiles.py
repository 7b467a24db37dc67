"""The flyer's basemap: Web Mercator view fitting, polite tile fetching with a disk cache, composing.

Tiles are drawn at 100-200 tile pixels per inch (TILE_DPI/2..TILE_DPI; a screen shows about 96), so
the map has one or two zoom levels more detail than a screen map of the same size while its labels
stay readable on paper; the image is then resampled to PRINT_DPI, 300 dpi at its printed size.
"""

from __future__ import annotations

import hashlib
import io
import math
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from PIL import Image

from ..datafile.store import atomic_write_bytes
from ..errors import TileError

TILE = 256
TILE_DPI = 200
PRINT_DPI = 300
MAX_TILES = 64
MAX_ZOOM = 18
MAX_AGE_S = 30 * 24 * 3600
TIMEOUT_S = 15
CONNECTIONS = 2  # the OSM tile usage policy allows at most two parallel connections
EARTH_M = 40075016.686


def world_px(lat: float, lon: float, zoom: float) -> tuple[float, float]:
    """Return the Web Mercator pixel position of a point at a zoom level."""
    scale = TILE * 2.0**zoom
    lat = max(min(lat, 85.0511), -85.0511)
    x = (lon + 180.0) / 360.0 * scale
    sin = math.sin(math.radians(lat))
    y = (0.5 - math.log((1 + sin) / (1 - sin)) / (4 * math.pi)) * scale
    return x, y


@dataclass(frozen=True, slots=True)
class View:
    """A map window: zoom, top-left world pixel, size in tile pixels, printed size in mm."""

    zoom: int
    left: float
    top: float
    width_px: float
    height_px: float
    width_mm: float
    height_mm: float
    centre_lat: float

    def to_mm(self, lat: float, lon: float) -> tuple[float, float]:
        """Return the position of a point on the printed map, in mm from its top-left corner."""
        x, y = world_px(lat, lon, self.zoom)
        per_mm = self.width_px / self.width_mm
        return (x - self.left) / per_mm, (y - self.top) / per_mm

    def metres_per_mm(self) -> float:
        """Return the ground distance that one printed millimetre shows at the centre."""
        per_px = EARTH_M * math.cos(math.radians(self.centre_lat)) / (TILE * 2.0**self.zoom)
        return per_px * self.width_px / self.width_mm


def fit_view(
    points: list[tuple[float, float]], width_mm: float, height_mm: float, margin_mm: float = 8.0
) -> View:
    """Return the most detailed view that shows all (lat, lon) points with a margin.

    The zoom is the one at which the points fill the map with at most TILE_DPI tile pixels
    per inch; the view then shrinks or grows the tiles to fill it exactly (TILE_DPI/2..TILE_DPI).
    """
    inner_w, inner_h = (width_mm - 2 * margin_mm) / 25.4, (height_mm - 2 * margin_mm) / 25.4
    lats = [p[0] for p in points]
    lons = [p[1] for p in points]
    zoom = MAX_ZOOM
    while True:
        x0, y0 = world_px(max(lats), min(lons), zoom)
        x1, y1 = world_px(min(lats), max(lons), zoom)
        dpi = max((x1 - x0) / inner_w, (y1 - y0) / inner_h, TILE_DPI / 2)
        if dpi <= TILE_DPI or zoom == 0:
            break
        zoom -= 1
    width_px, height_px = width_mm / 25.4 * dpi, height_mm / 25.4 * dpi
    centre_lat = (max(lats) + min(lats)) / 2
    return View(
        zoom,
        (x0 + x1 - width_px) / 2,
        (y0 + y1 - height_px) / 2,
        width_px,
        height_px,
        width_mm,
        height_mm,
        centre_lat,
    )


def tile_range(view: View) -> list[tuple[int, int]]:
    """Return the (x, y) tiles that the view covers."""
    first_x, first_y = math.floor(view.left / TILE), math.floor(view.top / TILE)
    last_x = math.floor((view.left + view.width_px - 1e-9) / TILE)
    last_y = math.floor((view.top + view.height_px - 1e-9) / TILE)
    return [(x, y) for y in range(first_y, last_y + 1) for x in range(first_x, last_x + 1)]


class TileCache:
    """Fetch tiles from one URL template, politely, keeping them under cache_dir/tiles/."""

    def __init__(self, template: str, user_agent: str, cache_dir: str | Path) -> None:
        """Remember the server template, the User-Agent and where to cache."""
        self.template = template
        self.user_agent = user_agent
        key = hashlib.sha256(template.encode("utf-8")).hexdigest()[:12]
        self.folder = Path(cache_dir) / "tiles" / key
        self.fetched = 0

    def url(self, zoom: int, x: int, y: int) -> str:
        """Return the URL of one tile."""
        return (
            self.template.replace("{s}", "a")
            .replace("{z}", str(zoom))
            .replace("{x}", str(x))
            .replace("{y}", str(y))
        )

    def tile(self, zoom: int, x: int, y: int) -> bytes:
        """Return one tile's image bytes, from the cache while it is fresh, else from the server."""
        path = self.folder / str(zoom) / str(x) / f"{y}.png"
        if path.exists() and time.time() - path.stat().st_mtime < MAX_AGE_S:
            return path.read_bytes()
        try:
            data = self._download(zoom, x, y)
        except TileError:
            if path.exists():
                return path.read_bytes()
            raise
        atomic_write_bytes(path, data)
        return data

    def _download(self, zoom: int, x: int, y: int) -> bytes:
        """Fetch one tile from the server with the identifying User-Agent."""
        url = self.url(zoom, x, y)
        host = urlsplit(url).netloc or url
        request = urllib.request.Request(url, headers={"User-Agent": self.user_agent})
        hint = "check TILES, or print without a basemap with --offline (TILES=none)"
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
                data: bytes = response.read()
        except urllib.error.HTTPError as exc:
            raise TileError(
                f"tile server {host} answered {exc.code} for tile {zoom}/{x}/{y}; {hint}"
            ) from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise TileError(f"cannot reach tile server {host} ({reason}); {hint}") from None
        self.fetched += 1
        return data


def basemap(view: View, cache: TileCache) -> bytes:
    """Return the view's basemap as a JPEG at PRINT_DPI; refuse views needing over MAX_TILES."""
    tiles = tile_range(view)
    if len(tiles) > MAX_TILES:
        raise TileError(
            f"this map needs {len(tiles)} tiles; the limit per flyer is {MAX_TILES} "
            "(no bulk downloads). Choose a smaller paper size or fewer places"
        )
    count = 2**view.zoom
    wanted = [(x % count, y) for x, y in tiles if 0 <= y < count]
    with ThreadPoolExecutor(max_workers=CONNECTIONS) as pool:
        images = dict(
            zip(wanted, pool.map(lambda t: cache.tile(view.zoom, *t), wanted), strict=True)
        )
    first_x, first_y = tiles[0]
    columns = tiles[-1][0] - first_x + 1
    rows = tiles[-1][1] - first_y + 1
    canvas = Image.new("RGB", (columns * TILE, rows * TILE), (242, 239, 233))
    for x, y in tiles:
        raw = images.get((x % count, y))
        if raw is None:
            continue
        try:
            with Image.open(io.BytesIO(raw)) as img:
                canvas.paste(
                    img.convert("RGB").resize((TILE, TILE)),
                    ((x - first_x) * TILE, (y - first_y) * TILE),
                )
        except OSError:
            raise TileError(
                f"tile {view.zoom}/{x % count}/{y} from {cache.url(view.zoom, x, y)} "
                "is not an image; check TILES"
            ) from None
    left, top = view.left - first_x * TILE, view.top - first_y * TILE
    box = (left, top, left + view.width_px, top + view.height_px)
    size = (round(view.width_mm / 25.4 * PRINT_DPI), round(view.height_mm / 25.4 * PRINT_DPI))
    out = canvas.resize(size, Image.Resampling.LANCZOS, box=box)
    buffer = io.BytesIO()
    out.save(buffer, "JPEG", quality=85, dpi=(PRINT_DPI, PRINT_DPI), optimize=True)
    return buffer.getvalue()
