"""Read the YAML data file with positions, and write files atomically with a backup."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import yaml

from .errors import DataFileError

try:
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

# Scalars (str, int, float, bool, date) are built by PyYAML's safe constructor.
_SCALARS = yaml.SafeLoader("")
MAX_BYTES = 64 * 1024 * 1024
PathKey = tuple[str | int, ...]


@dataclass
class Document:
    """A parsed YAML file: plain data plus the 1-based line/col of every node."""

    path: str
    data: Any
    positions: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    digest: str = ""

    def position(self, key: PathKey) -> tuple[int, int]:
        """Return the position of the node at key, or of its nearest located parent."""
        while key not in self.positions and key:
            key = key[:-1]
        return self.positions.get(key, (1, 1))


def digest_bytes(raw: bytes) -> str:
    """Return the sha256 hex digest of raw file content."""
    return hashlib.sha256(raw).hexdigest()


def _located(path: str, mark: Any, message: str) -> DataFileError:
    line = (mark.line + 1) if mark is not None else 1
    col = (mark.column + 1) if mark is not None else 1
    return DataFileError(f"{path}:{line}:{col}: {message}")


def _decode(path: str, raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        raise DataFileError(
            f"{path}:{line}:{col}: the file is not valid UTF-8 (byte 0x{raw[exc.start]:02x}); "
            "save it as UTF-8 in your editor"
        ) from None


def _build(doc: Document, node: yaml.Node, key: PathKey, seen: set[int]) -> Any:
    if id(node) in seen:
        raise _located(
            doc.path, node.start_mark,
            "anchors and aliases (&, *) are not supported here; write the value out in full",
        )
    seen.add(id(node))
    doc.positions[key] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for k_node, v_node in node.value:
            if not isinstance(k_node, yaml.ScalarNode):
                raise _located(doc.path, k_node.start_mark, "a key must be plain text")
            name = k_node.value
            if name in result:
                raise _located(
                    doc.path, k_node.start_mark,
                    f"duplicate key '{name}'; each key may appear only once in a block",
                )
            doc.positions[(*key, name, "#key")] = (
                k_node.start_mark.line + 1, k_node.start_mark.column + 1,
            )
            result[name] = _build(doc, v_node, (*key, name), seen)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_build(doc, item, (*key, i), seen) for i, item in enumerate(node.value)]
    return _SCALARS.construct_object(node, deep=True)


def load_yaml(path: str | os.PathLike[str], display: str | None = None) -> Document:
    """Parse a YAML file into plain data with node positions; raise DataFileError if unreadable."""
    shown = display or str(path)
    try:
        size = os.path.getsize(path)
        if size > MAX_BYTES:
            raise DataFileError(
                f"{shown}:1:1: the file is {size / 1e6:.1f} MB; the limit is "
                f"{MAX_BYTES // (1024 * 1024)} MB. Split it or remove generated content"
            )
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise DataFileError(f"{shown}: no such file; check the path or set --data") from None
    except IsADirectoryError:
        raise DataFileError(f"{shown}: is a directory, not a YAML file") from None
    except PermissionError:
        raise DataFileError(f"{shown}: permission denied; check the file's permissions") from None
    return parse_yaml(raw, shown)


_HINTS = (
    ("mapping values are not allowed", ("a ':' where none is expected; put a value that "
     "contains ': ' in quotes, or check the indentation")),
    ("did not find expected '-' indicator", ("check the indentation: the entries of one list "
     "start in the same column")),
    ("did not find expected key", ("check the indentation: the keys of one block start in "
     "the same column")),
    ("could not find expected ':'", "a line has no 'key: value'; check the line above"),
    ("did not find expected ',' or '}'", "a '{' is not closed with '}'"),
    ("did not find expected ',' or ']'", "a '[' is not closed with ']'"),
    ("but found another document", "the file holds more than one document ('---'); keep one"),
)


def _unclosed_quote(text: str, line: int) -> int | None:
    """Return the 1-based line before `line` whose double quotes are unbalanced, if any."""
    lines = text.split("\n", line + 1)[:line]
    for number in range(len(lines) - 1, max(len(lines) - 20, 0) - 1, -1):
        if lines[number].replace('\\"', "").count('"') % 2:
            return number + 1
    return None


def _syntax_hint(text: str, exc: yaml.MarkedYAMLError) -> str:
    """Explain a YAML syntax error in plain words, with a fix."""
    problem = str(exc.problem or "invalid YAML")
    mark = exc.problem_mark
    if mark is not None:
        lines = text.split("\n", mark.line + 1)
        line = lines[mark.line] if mark.line < len(lines) else ""
        if "\t" in line[: mark.column + 1] or "tab" in problem:
            return "found a tab character; indent with spaces, not tabs"
    if "end of stream" in problem and "quoted" in str(exc.context):
        return "a quote is not closed; add the closing quote"
    if mark is not None and "did not find expected key" in problem:
        opened = _unclosed_quote(text, mark.line)
        if opened:
            return f"the quote opened on line {opened} is not closed; add the closing quote"
    for needle, hint in _HINTS:
        if needle in problem:
            return hint
    return problem


def parse_yaml(raw: bytes, shown: str) -> Document:
    """Parse YAML bytes into plain data with node positions; raise DataFileError if invalid."""
    text = _decode(shown, raw)
    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
    ):
        raise DataFileError(f"{shown}:1:1: the file is empty; it needs at least 'institutions:'")
    doc = Document(path=shown, data=None, digest=digest_bytes(raw))
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise _located(shown, mark, f"YAML syntax error: {_syntax_hint(text, exc)}") from None
    except yaml.YAMLError as exc:
        raise DataFileError(f"{shown}:1:1: YAML syntax error: {exc}") from None
    if node is None:
        raise DataFileError(f"{shown}:1:1: the file is empty; it needs at least 'institutions:'")
    try:
        doc.data = _build(doc, node, (), set())
    except yaml.constructor.ConstructorError as exc:
        problem = str(exc.problem)
        if "could not determine a constructor" in problem:
            problem = f"unsupported tag {problem.split('tag', 1)[-1].strip()}; remove it"
        raise _located(shown, exc.problem_mark, f"YAML error: {problem}") from None
    return doc


@contextmanager
def atomic_write(path: str | os.PathLike[str], encoding: str = "utf-8") -> Iterator[IO[str]]:
    """Write a text file atomically: temp file, fsync, keep `<name>.bak`, then rename."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline="") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        if target.exists():
            _copy(target, target.with_name(target.name + ".bak"))
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _copy(src: Path, dst: Path) -> None:
    tmp = dst.with_name(dst.name + ".tmp")
    tmp.write_bytes(src.read_bytes())
    os.replace(tmp, dst)


def atomic_write_bytes(path: str | os.PathLike[str], content: bytes) -> None:
    """Write bytes atomically, keeping the previous version as `<name>.bak`."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        if target.exists():
            _copy(target, target.with_name(target.name + ".bak"))
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
