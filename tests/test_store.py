"""Reading YAML with positions and clean errors; atomic writes that survive a kill."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from wiqnet import store
from wiqnet.errors import DataFileError
from wiqnet.store import atomic_write, atomic_write_bytes, digest_bytes, load_yaml, parse_yaml

ROOT = Path(__file__).resolve().parents[1]


def parse_error(text: str | bytes) -> str:
    """Parse text that must fail and return the message."""
    raw = text if isinstance(text, bytes) else text.encode("utf-8")
    with pytest.raises(DataFileError) as info:
        parse_yaml(raw, "f.yaml")
    return str(info.value)


def test_positions_of_keys_and_values() -> None:
    """Every node, and every key, has its 1-based line and column."""
    doc = parse_yaml(b"institutions:\n  - id: a\n    needs: [x, y]\n", "f.yaml")
    assert doc.data == {"institutions": [{"id": "a", "needs": ["x", "y"]}]}
    assert doc.positions[("institutions", 0)] == (2, 5)
    assert doc.positions[("institutions", 0, "id")] == (2, 9)
    assert doc.positions[("institutions", 0, "needs", "#key")] == (3, 5)
    assert doc.positions[("institutions", 0, "needs", 1)] == (3, 16)
    assert doc.position(("institutions", 0, "missing", 3)) == (2, 5)
    assert doc.digest == digest_bytes(b"institutions:\n  - id: a\n    needs: [x, y]\n")


@pytest.mark.parametrize(("text", "message"), [
    ("a:\n\t- b\n", ("f.yaml:2:1: YAML syntax error: found a tab character; indent with spaces, "
                    "not tabs")),
    ("a: 1\nb: 2\na: 3\n", ("f.yaml:3:1: duplicate key 'a'; each key may appear only once in "
                           "a block")),
    ("", "f.yaml:1:1: the file is empty; it needs at least 'institutions:'"),
    ("  \n# only a comment\n", "f.yaml:1:1: the file is empty; it needs at least 'institutions:'"),
    ("a: &x [1]\nb: *x\n", ("f.yaml:1:4: anchors and aliases (&, *) are not supported here; "
                           "write the value out in full")),
    ("? [a]\n: b\n", "f.yaml:1:3: a key must be plain text"),
    ("a: !!python/name:os.system x\n", ("f.yaml:1:4: YAML error: unsupported tag "
                                       "'tag:yaml.org,2002:python/name:os.system'; remove it")),
    ("a: [1, 2\n", "f.yaml:2:1: YAML syntax error: a '[' is not closed with ']'"),
    ("a: 1\n---\nb: 2\n", ("f.yaml:2:1: YAML syntax error: the file holds more than one "
                          "document ('---'); keep one")),
    (b"name: Stra\xdfe\n", ("f.yaml:1:11: the file is not valid UTF-8 (byte 0xdf); save it as "
                           "UTF-8 in your editor")),
])
def test_parse_errors_are_located_and_explained(text: str | bytes, message: str) -> None:
    """Bad YAML gives one located message with a fix."""
    assert parse_error(text) == message


def test_billion_laughs_is_refused_quickly() -> None:
    """An alias bomb is refused at the first reused anchor, without expanding it."""
    levels = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for n in range(1, 12):
        prev, cur = chr(96 + n), chr(97 + n)
        levels.append(f"{cur}: &{cur} [" + ", ".join([f"*{prev}"] * 9) + "]")
    assert parse_error("\n".join(levels) + "\n").endswith(
        "anchors and aliases (&, *) are not supported here; write the value out in full")


def test_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Files over MAX_BYTES are refused with their size."""
    monkeypatch.setattr(store, "MAX_BYTES", 1024 * 1024)
    path = tmp_path / "big.yaml"
    path.write_bytes(b"#" * (2 * 1024 * 1024))
    with pytest.raises(DataFileError) as info:
        load_yaml(path, display="big.yaml")
    assert str(info.value) == ("big.yaml:1:1: the file is 2.1 MB; the limit is 1 MB. "
                               "Split it or remove generated content")


def test_atomic_write_keeps_a_backup(tmp_path: Path) -> None:
    """Each write keeps the previous version as .bak."""
    target = tmp_path / "data.yaml"
    atomic_write_bytes(target, b"v1")
    assert not (tmp_path / "data.yaml.bak").exists()
    atomic_write_bytes(target, b"v2")
    assert (target.read_bytes(), (tmp_path / "data.yaml.bak").read_bytes()) == (b"v2", b"v1")
    with atomic_write(target) as handle:
        handle.write("v3 ä")
    assert target.read_text(encoding="utf-8") == "v3 ä"
    assert (tmp_path / "data.yaml.bak").read_bytes() == b"v2"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data.yaml", "data.yaml.bak"]


def test_atomic_write_failure_leaves_target_alone(tmp_path: Path) -> None:
    """An exception inside the writer leaves the target and backup untouched."""
    target = tmp_path / "data.yaml"
    atomic_write_bytes(target, b"v1")
    with pytest.raises(RuntimeError), atomic_write(target) as handle:
        handle.write("half")
        raise RuntimeError("boom")
    assert target.read_bytes() == b"v1"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data.yaml"]


WRITER = textwrap.dedent("""
    import os, sys, time
    sys.path.insert(0, {root!r})
    from wiqnet import store
    mode, target = sys.argv[1], sys.argv[2]
    if mode == "text":
        with store.atomic_write(target) as handle:
            handle.write("institutions:\\n" + "  - id: new\\n" * 100000)
            handle.flush()
            print("half written", flush=True)
            time.sleep(60)
            handle.write("never\\n")
    else:
        def stuck_fsync(fd):
            print("half written", flush=True)
            time.sleep(60)
        os.fsync = stuck_fsync
        store.atomic_write_bytes(target, b"x" * (20 * 1024 * 1024))
""")


@pytest.mark.parametrize("mode", ["text", "bytes"])
def test_killed_writer_leaves_the_data_file_intact(tmp_path: Path, mode: str) -> None:
    """SIGKILL halfway through a write: the data file and its backup are unchanged."""
    target = tmp_path / "institutions.yaml"
    atomic_write_bytes(target, b"institutions: []  # v1\n")
    atomic_write_bytes(target, b"institutions: []  # v2\n")
    script = tmp_path / "writer.py"
    script.write_text(WRITER.format(root=str(ROOT)), encoding="utf-8")
    proc = subprocess.Popen([sys.executable, str(script), mode, str(target)],
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline() == "half written\n"
        temps = [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
        assert len(temps) == 1 and temps[0].stat().st_size > 1000
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert target.read_bytes() == b"institutions: []  # v2\n"
    assert (tmp_path / "institutions.yaml.bak").read_bytes() == b"institutions: []  # v1\n"
    assert load_yaml(target).data == {"institutions": []}
    atomic_write_bytes(target, b"institutions: []  # v3\n")
    assert (tmp_path / "institutions.yaml.bak").read_bytes() == b"institutions: []  # v2\n"
