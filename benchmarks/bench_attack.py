"""Normal search throughput under gunicorn while clients attack the expensive routes.

Starts `wiqnet serve --production` on 127.0.0.1 with the shipped data, a deliberately slow
fake geocoder on 127.0.0.1 (GEOCODER_URL; nothing leaves the machine) and no map tiles.
Normal searches are measured alone and while N clients search near unknown places (every one a
geocoder lookup) and N clients ask for flyers with new parameters each time (every one a
Chromium print unless refused), in turns (calm, attacked, ..., calm), so that other load on the
machine, which drifts, weighs on both figures alike. Prints the mean of each kind of phase and
the share kept. Target: the attacked throughput stays above 70 % with 10 attackers each.

Example: python benchmarks/bench_attack.py --attackers 10 --seconds 6 --rounds 3
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import multiprocessing
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from statistics import fmean
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
TARGET = 0.70
QUERIES = ("kita", "schulden", "deutschkurs", "beratung", "hebamme", "jobcenter", "sport")


class SlowGeocoder(BaseHTTPRequestHandler):
    """A Nominatim that takes GEOCODER_DELAY seconds and then knows no such place."""

    delay = 5.0

    def do_GET(self) -> None:
        """Answer an empty result list after the delay."""
        time.sleep(self.delay)
        body = b"[]"
        try:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except OSError:
            pass  # the client gave up: that is the point

    def log_message(self, format: str, *args: object) -> None:
        """Stay quiet."""


def free_port() -> int:
    """Return a free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def get(conn: http.client.HTTPConnection, path: str) -> int:
    """Send one GET on a kept-alive connection; return the status."""
    conn.request("GET", path)
    response = conn.getresponse()
    response.read()
    return response.status


class Client(threading.Thread):
    """One client in a loop until stop is set; counts answers by status."""

    def __init__(
        self,
        port: int,
        paths: itertools.cycle[str] | None,
        make_path: object,
        stop: threading.Event,
    ) -> None:
        """Ask the paths (or make_path()) in turn."""
        super().__init__(daemon=True)
        self.port, self.paths, self.make_path, self.stop = port, paths, make_path, stop
        self.statuses: dict[int, int] = {}

    def run(self) -> None:
        """Send requests until stopped, reconnecting after errors."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        while not self.stop.is_set():
            path = next(self.paths) if self.paths else self.make_path()  # type: ignore[operator]
            try:
                status = get(conn, path)
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                status = 0
            self.statuses[status] = self.statuses.get(status, 0) + 1
        conn.close()


def near_path(counter: itertools.count[int]) -> str:
    """Return a search near a place no geocoder knows (a new one each time)."""
    return f"/api/search?q=kita&near={quote(f'Unbekannte Gasse {next(counter)}')}"


def flyer_path(counter: itertools.count[int]) -> str:
    """Return a flyer request with parameters never asked before."""
    return f"/flyer.pdf?need=kinderbetreuung&title=F{next(counter)}"


def merged(group: list[Client]) -> dict[int, int]:
    """Add up the statuses of a group of clients."""
    total: dict[int, int] = {}
    for client in group:
        for status, count in client.statuses.items():
            total[status] = total.get(status, 0) + count
    return total


def attack(port: int, attackers: int, seconds: float, out: Any, kinds: str) -> None:
    """Run the attackers (in their own process, so they do not take the measuring GIL)."""
    stop = threading.Event()
    counter = itertools.count()
    near = [
        Client(port, None, lambda: near_path(counter), stop)
        for _ in range(attackers if "near" in kinds else 0)
    ]
    flyers = [
        Client(port, None, lambda: flyer_path(counter), stop)
        for _ in range(attackers if "flyer" in kinds else 0)
    ]
    for client in near + flyers:
        client.start()
    time.sleep(seconds)
    stop.set()
    for client in near + flyers:
        client.join(40)
    out.put({"near": merged(near), "flyer": merged(flyers)})


def run_phase(
    port: int, normal: int, attackers: int, seconds: float, kinds: str = "near,flyer"
) -> tuple[float, dict[str, dict[int, int]]]:
    """Run normal clients (and attackers) for seconds; return normal req/s and all statuses."""
    stop = threading.Event()
    searches = [f"/api/search?q={q}" for q in QUERIES]
    normals = [
        Client(port, itertools.cycle(searches[i:] + searches[:i]), None, stop)
        for i in range(normal)
    ]
    results: Any = multiprocessing.Queue()
    attacker = None
    if attackers:
        attacker = multiprocessing.Process(
            target=attack, args=(port, attackers, seconds + 2, results, kinds)
        )
        attacker.start()
        time.sleep(2)  # let the attack reach full strength before measuring
    for client in normals:
        client.start()
    time.sleep(seconds)
    stop.set()
    for client in normals:
        client.join(40)
    statuses = {"normal": merged(normals)}
    if attacker is not None:
        statuses.update(results.get(timeout=60))
        attacker.join(60)
    return sum(c.statuses.get(200, 0) for c in normals) / seconds, statuses


def main(argv: list[str] | None = None) -> int:
    """Start the fake geocoder and gunicorn, run both phases, print the result."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attackers", type=int, default=10, help="clients per attack kind")
    parser.add_argument("--normal", type=int, default=4, help="normal search clients")
    parser.add_argument("--seconds", type=float, default=6.0, help="length of each phase")
    parser.add_argument("--rounds", type=int, default=3, help="calm and attacked phases")
    parser.add_argument("--geocoder-delay", type=float, default=5.0)
    parser.add_argument("--kinds", default="near,flyer", help="attacks to run: near, flyer")
    args = parser.parse_args(argv)

    SlowGeocoder.delay = args.geocoder_delay
    geocoder = ThreadingHTTPServer(("127.0.0.1", 0), SlowGeocoder)
    geocoder.daemon_threads = True
    threading.Thread(target=geocoder.serve_forever, daemon=True).start()
    port = free_port()
    with tempfile.TemporaryDirectory() as cache:
        env = {
            **os.environ,
            "WIQNET_GEOCODER_URL": f"http://127.0.0.1:{geocoder.server_port}",
            "WIQNET_TILES": "none",
            # A public address, or every flyer is refused (409) before Chromium starts.
            "WIQNET_PUBLIC_URL": "https://wiq.example.org/",
            "WIQNET_CACHE_DIR": cache,
            # Its own server state: the print lock and the printed flyers start empty.
            "WIQNET_INSTANCE_DIR": str(Path(cache) / "instance"),
            "WIQNET_DATA": str(ROOT / "data" / "institutions.yaml"),
        }
        server = subprocess.Popen(
            [sys.executable, "-m", "wiqnet", "serve", "--production", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd=ROOT,
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                    if get(conn, "/api/search?q=kita") == 200:
                        break
                except OSError:
                    if time.monotonic() > deadline:
                        raise SystemExit("the server did not start") from None
                    time.sleep(0.2)
            run_phase(port, args.normal, 0, 2.0)  # warm-up: indexes, caches
            calm: list[float] = []
            attacked: list[float] = []
            statuses: dict[str, dict[int, int]] = {}
            for _ in range(args.rounds):
                calm.append(run_phase(port, args.normal, 0, args.seconds)[0])
                rate, seen = run_phase(port, args.normal, args.attackers, args.seconds, args.kinds)
                attacked.append(rate)
                for kind, counts in seen.items():
                    for status, count in counts.items():
                        mine = statuses.setdefault(kind, {})
                        mine[status] = mine.get(status, 0) + count
                time.sleep(3)  # let the last prints end
            calm.append(run_phase(port, args.normal, 0, args.seconds)[0])
        finally:
            server.terminate()
            server.wait(30)
            geocoder.shutdown()
    share = fmean(attacked) / fmean(calm) if fmean(calm) else 0.0
    print(
        f"normal search alone:        {fmean(calm):8.1f} req/s ({args.normal} clients; "
        f"phases: {', '.join(f'{r:.0f}' for r in calm)})"
    )
    print(
        f"with {args.attackers} near + {args.attackers} flyer attackers: {fmean(attacked):8.1f} "
        f"req/s (phases: {', '.join(f'{r:.0f}' for r in attacked)})"
    )
    print(
        f"kept: {share:.0%} (target > {TARGET:.0%})  {'ok' if share > TARGET else 'BELOW TARGET'}"
    )
    for kind, counts in statuses.items():
        print(f"  {kind:<7} answers by status: {dict(sorted(counts.items()))}")
    return 0 if share > TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
