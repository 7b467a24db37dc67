"""Benchmark the upkeep pages per request: edit form, save, suggestion queue, check, history.

Runs on a copy of the shipped data in a temp folder with the Flask test client (no network),
logged in as an editor, with 1,000 open suggestions in the temp instance's state database;
prints the median wall and CPU milliseconds per request. A save goes through the one writer
(lock, digest check, round trip of the institution's block, one validation of the whole
file, atomic write with backup, one line in the change log); so does recording a check.
The history page reads the change log.

Example: python benchmarks/bench_upkeep.py --rounds 20
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from wiqnet.accounts import Accounts
from wiqnet.state import StateDB, add_suggestion
from wiqnet.web import create_app

DATA = ROOT / "data" / "institutions.yaml"
PASSWORD = "benchmark-passwort"


def _field(html: str, name: str) -> str:
    """Return a form field's value from the page."""
    found = re.search(rf'name="{re.escape(name)}"[^>]* value="([^"]*)"', html)
    return found.group(1) if found else ""


def _time(action: Callable[[], object], rounds: int) -> tuple[float, float]:
    """Return the median wall and CPU milliseconds of action()."""
    walls, cpus = [], []
    for _ in range(rounds):
        wall, cpu = time.perf_counter(), time.process_time()
        action()
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    """Time the edit form, a save and a page with the session lookup."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--suggestions", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "institutions.yaml"
        shutil.copy(DATA, data)
        Accounts(Path(tmp) / "instance").add("bench", "editor", PASSWORD)
        app = create_app(
            {"DATA": str(data), "TILES": "none", "INSTANCE_DIR": str(Path(tmp) / "instance")}
        )
        client = app.test_client()
        page = client.get("/anmelden").get_data(as_text=True)
        client.post(
            "/anmelden",
            data={"csrf_token": _field(page, "csrf_token"), "konto": "bench", "passwort": PASSWORD},
        )
        inst_id = re.search(r"^  - id: (\S+)", data.read_text(encoding="utf-8"), re.M).group(1)  # type: ignore[union-attr]
        state = StateDB(Path(tmp) / "instance")
        for number in range(args.suggestions):
            add_suggestion(
                state,
                inst_id,
                {
                    "changes": {"phone": f"02151 {number:06d}"},
                    "before": {"phone": ""},
                    "message": "Benchmark " * 20,
                },
                "info@example.org",
            )
        counter = iter(range(10**9))

        def form() -> None:
            assert client.get(f"/bearbeiten/{inst_id}").status_code == 200

        def save() -> None:
            html = client.get(f"/bearbeiten/{inst_id}").get_data(as_text=True)
            response = client.post(
                f"/bearbeiten/{inst_id}",
                data={
                    "csrf_token": _field(html, "csrf_token"),
                    "digest": _field(html, "digest"),
                    "notes": f"Benchmark {next(counter)}",
                },
            )
            assert response.status_code == 302, response.status_code

        def queue() -> None:
            assert client.get("/vorschlaege").status_code == 200

        def queue_last_page() -> None:
            assert client.get("/vorschlaege?seite=10").status_code == 200

        def suggestion() -> None:
            assert client.get("/vorschlaege/500").status_code == 200

        def login_page() -> None:
            assert client.get("/anmelden").status_code == 200

        def check() -> None:
            html = client.get("/pruefliste").get_data(as_text=True)
            response = client.post(
                f"/pruefen/{inst_id}",
                data={"csrf_token": _field(html, "csrf_token"), "art": "phone", "notiz": "Bench"},
            )
            assert response.status_code == 302, response.status_code

        def check_list() -> None:
            assert client.get("/pruefliste").status_code == 200

        def check_list_filtered() -> None:
            assert client.get("/pruefliste?status=alle&seite=2").status_code == 200

        def history_page() -> None:
            assert client.get(f"/verlauf/{inst_id}").status_code == 200

        form()
        print(
            f"data: {data.stat().st_size // 1024} KiB, rounds: {args.rounds}, "
            f"open suggestions: {args.suggestions}"
        )
        for label, action in (
            ("edit form (GET)", form),
            ("save (GET form + POST)", save),
            (f"queue, {args.suggestions} open (first 100)", queue),
            ("queue, page 10", queue_last_page),
            ("one suggestion with its diff", suggestion),
            ("login page, logged in (session lookup)", login_page),
            ("record a check (GET list + POST)", check),
            ("Prüfliste (first page of 50)", check_list),
            ("Prüfliste (all statuses, page 2)", check_list_filtered),
            ("history of one record (/verlauf)", history_page),
        ):
            wall, cpu = _time(action, args.rounds)
            print(f"{label:40} {wall:8.1f} ms wall {cpu:8.1f} ms CPU")


if __name__ == "__main__":
    main()
