"""`wiqnet serve`: development server and gunicorn, both as real processes on 127.0.0.1."""

from __future__ import annotations

import gc
import importlib
import logging
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from wiqnet.cli import main
from wiqnet.cli.serve import APP_FACTORY, gunicorn_command

Start = Callable[..., tuple[str, "subprocess.Popen[str]"]]


def free_port() -> int:
    """Return a TCP port that is free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def get(url: str) -> tuple[int, dict[str, str], str]:
    """GET a URL; return status, headers and body text."""
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, dict(response.headers), response.read().decode("utf-8")


def wait_until_up(url: str, process: subprocess.Popen[str], seconds: float = 30) -> None:
    """Poll until the server answers, or fail with its output."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            out, err = process.communicate()
            pytest.fail(f"server exited with {process.returncode}: {out}{err}")
        try:
            get(url)
            return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"server did not answer at {url}")


@pytest.fixture
def start(data_path: Path) -> Iterator[Start]:
    """Start `wiqnet serve` with extra arguments; stop it after the test."""
    processes: list[subprocess.Popen[str]] = []

    def run(*args: str) -> tuple[str, subprocess.Popen[str]]:
        port = free_port()
        env = {**os.environ, "WIQNET_TILES": "none"}
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "wiqnet",
                "--data",
                str(data_path),
                "serve",
                "--port",
                str(port),
                *args,
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        processes.append(process)
        base = f"http://127.0.0.1:{port}"
        wait_until_up(base + "/status", process)
        return base, process

    yield run
    for process in processes:
        process.terminate()
        try:
            process.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()


def test_help_has_an_example() -> None:
    result = CliRunner().invoke(main, ["serve", "--help"])
    assert result.exit_code == 0
    assert "Example: wiqnet serve --production --port 8000" in result.output


def test_broken_data_stops_before_serving(
    runner: CliRunner, directory_yaml: Callable[..., Path]
) -> None:
    path = directory_yaml("institutions:\n  - id: wiq\n   name: x\n")
    result = runner.invoke(main, ["--data", str(path), "serve", "--port", "1"])
    assert result.exit_code == 1
    assert f"{path}:3:" in result.output
    assert "YAML syntax error" in result.output


def test_gunicorn_command_serves_the_app_factory() -> None:
    command = gunicorn_command("127.0.0.1", 8000, 2, 4)
    assert command[:3] == [sys.executable, "-m", "gunicorn"]
    assert command[-1] == APP_FACTORY == "wiqnet.web:create_app()"
    assert "127.0.0.1:8000" in command


def test_production_server_freezes_the_preloaded_app_before_forking() -> None:
    command = gunicorn_command("127.0.0.1", 8000, 2, 4)
    config = command[command.index("--config") + 1]
    assert config == "python:wiqnet.cli.gunicorn_config"
    hooks = importlib.import_module(config.removeprefix("python:"))
    before = gc.get_freeze_count()
    try:
        hooks.when_ready(None)
        assert gc.get_freeze_count() > before
    finally:
        gc.unfreeze()


def test_development_server_serves_the_start_page(start: Start) -> None:
    base, _process = start()
    status, headers, body = get(base + "/")
    assert status == 200
    assert "Wobei braucht die Familie Hilfe?" in body
    assert "Werkzeug" in headers.get("Server", "")


def test_production_server_runs_gunicorn_on_the_data(start: Start, data_path: Path) -> None:
    base, _process = start("--production", "--workers", "1", "--threads", "2")
    status, headers, body = get(base + "/api/institutions")
    assert status == 200
    assert headers["Server"] == "gunicorn"
    assert '"count":5' in body.replace(" ", "")
    assert data_path.name in get(base + "/status")[2]


def test_malformed_request_lines_are_logged_without_the_search_text() -> None:
    from wiqnet.cli.serve import without_queries

    record = logging.LogRecord(
        "werkzeug",
        logging.ERROR,
        __file__,
        1,
        "code %d, message %s",
        (400, "Bad request version ('GET /suche?q=Mietschulden+Hilfe HTTP/9')"),
        None,
    )
    assert without_queries(record)
    assert record.getMessage() == "code 400, message Bad request version ('GET /suche?… HTTP/9')"
