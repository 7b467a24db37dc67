"""Read the YAML data file with positions, and write files atomically with a backup."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import yaml

from ..errors import DataFileError, Problem
from .fastyaml import fast_data, item_starts

try:
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

# Scalars (str, int, float, bool, date) are built by PyYAML's safe constructor.
_SCALARS = yaml.SafeLoader("")
_STR = "tag:yaml.org,2002:str"
_SPECIAL = ("tag:yaml.org,2002:value", "tag:yaml.org,2002:merge")  # plain = and << in YAML 1.1
_CONTENT = re.compile(r"^[ \t\ufeff]*[^\s#]", re.MULTILINE)  # a line that is not a comment
MAX_BYTES = 64 * 1024 * 1024
MAX_DEPTH = 50
PathKey = tuple[str | int, ...]


@dataclass
class Document:
    """A parsed YAML file: plain data plus the 1-based line/col of every node.

    Positions of big files read by the fast path are computed on first use (with PyYAML);
    the line of each institution comes from a cheap scan of the text.
    """

    path: str
    data: Any
    digest: str = ""
    _positions: dict[PathKey, tuple[int, int]] | None = field(default=None, repr=False)
    _text: str | None = field(default=None, repr=False)
    _items: list[tuple[int, int]] | None = field(default=None, repr=False)

    @property
    def positions(self) -> dict[PathKey, tuple[int, int]]:
        """Return the position of every node, keyed by its path."""
        if self._positions is None:
            self._positions = {}
            # The fast parser accepted what PyYAML refuses: positions stay unknown.
            with contextlib.suppress(DataFileError):
                _compose(self.path, self._text or "", self._positions)
        return self._positions

    def position(self, key: PathKey) -> tuple[int, int]:
        """Return the position of the node at key, or of its nearest located parent."""
        if self._positions is None and len(key) == 2 and key[0] == "institutions":
            if self._items is None:
                self._items = item_starts(self._text or "", self.data) or []
            if isinstance(key[1], int) and 0 <= key[1] < len(self._items):
                return self._items[key[1]]
        positions = self.positions
        while key not in positions and key:
            key = key[:-1]
        return positions.get(key, (1, 1))


def digest_bytes(raw: bytes) -> str:
    """Return the sha256 hex digest of raw file content."""
    return hashlib.sha256(raw).hexdigest()


def _located(path: str, mark: Any, message: str) -> DataFileError:
    """Return a DataFileError located at a YAML mark."""
    line = (mark.line + 1) if mark is not None else 1
    col = (mark.column + 1) if mark is not None else 1
    return DataFileError(f"{path}:{line}:{col}: {message}")


def _decode(path: str, raw: bytes) -> str:
    """Decode UTF-8, or raise a located error at the first bad byte."""
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


def _build(path: str, positions: dict[PathKey, tuple[int, int]], node: yaml.Node, key: PathKey,
           seen: set[int]) -> Any:
    """Turn a YAML node into plain data, recording positions; refuse aliases and duplicates."""
    if id(node) in seen:
        raise _located(
            path, node.start_mark,
            "anchors and aliases (&, *) are not supported here; write the value out in full",
        )
    seen.add(id(node))
    if len(key) > MAX_DEPTH:
        raise _located(path, node.start_mark, f"the data is nested more than {MAX_DEPTH} levels "
                       "deep; this is not a directory file")
    positions[key] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for k_node, v_node in node.value:
            if not isinstance(k_node, yaml.ScalarNode):
                raise _located(path, k_node.start_mark, "a key must be plain text")
            name = k_node.value
            if name in result:
                raise _located(
                    path, k_node.start_mark,
                    f"duplicate key '{name}'; each key may appear only once in a block",
                )
            positions[(*key, name, "#key")] = (
                k_node.start_mark.line + 1, k_node.start_mark.column + 1,
            )
            result[name] = _build(path, positions, v_node, (*key, name), seen)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_build(path, positions, item, (*key, i), seen)
                for i, item in enumerate(node.value)]
    if node.tag == _STR:
        return node.value
    if node.tag in _SPECIAL:
        raise _located(path, node.start_mark, f"put '{node.value}' in quotes")
    try:
        return _SCALARS.construct_object(node, deep=True)
    except ValueError as exc:  # only timestamps can fail here
        raise _located(path, node.start_mark, f"'{node.value}' is not a valid date ({exc}); "
                       "write it as YYYY-MM-DD, e.g. 2021-04-13") from None


# The document each edit in this process wrote, already parsed and validated: loading the file
# right after the edit (the web's reload) reuses it instead of parsing and validating again.
_checked: dict[str, tuple[Document, list[Problem]]] = {}


def remember_checked(path: str | os.PathLike[str], doc: Document,
                     problems: list[Problem]) -> None:
    """Remember the validated document just written to path."""
    _checked[os.path.realpath(path)] = (doc, problems)


def checked_document(path: str | os.PathLike[str]) -> tuple[Document, list[Problem]] | None:
    """Return the validated document an edit wrote to path, if the file still holds it."""
    known = _checked.get(os.path.realpath(path))
    if known is None:
        return None
    try:
        still = digest_bytes(Path(path).read_bytes()) == known[0].digest
    except OSError:
        return None
    return known if still else None


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


_BRACKETS = re.compile(r"[\[\]{}]")
_DEEP_BLOCK = re.compile(r"^ {100}|(?:[-?][ \t]+){30}", re.MULTILINE)


def _maybe_deep(text: str, limit: int = 100) -> bool:
    """Tell whether the text might nest deeper than limit (libyaml's C composer would crash).

    An over-estimate (brackets inside quotes count too): such files take PyYAML's pure
    Python loader, which stops cleanly with a RecursionError.
    """
    if _DEEP_BLOCK.search(text):
        return True
    depth = 0
    for match in _BRACKETS.finditer(text):
        depth = depth + 1 if match.group() in "[{" else max(depth - 1, 0)
        if depth > limit:
            return True
    return False


def _compose(shown: str, text: str, positions: dict[PathKey, tuple[int, int]]) -> Any:
    """Parse text with PyYAML (the reference), filling positions; raise DataFileError."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader if _maybe_deep(text) else _Loader)
    except RecursionError:
        raise DataFileError(f"{shown}:1:1: the data is nested too deeply; "
                            "this is not a directory file") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise _located(shown, mark, f"YAML syntax error: {_syntax_hint(text, exc)}") from None
    except yaml.YAMLError as exc:
        raise DataFileError(f"{shown}:1:1: YAML syntax error: {exc}") from None
    if node is None:
        raise DataFileError(f"{shown}:1:1: the file is empty; it needs at least 'institutions:'")
    try:
        return _build(shown, positions, node, (), set())
    except RecursionError:
        raise DataFileError(f"{shown}:1:1: the data is nested too deeply; "
                            "this is not a directory file") from None
    except yaml.constructor.ConstructorError as exc:
        problem = str(exc.problem)
        if "could not determine a constructor" in problem:
            problem = f"unsupported tag {problem.split('tag', 1)[-1].strip()}; remove it"
        raise _located(shown, exc.problem_mark, f"YAML error: {problem}") from None


# Files of this size or more try the fast parser first (see wiqnet/fastyaml.py).
FAST_MIN_BYTES = 1024 * 1024


def parse_yaml(raw: bytes, shown: str) -> Document:
    """Parse YAML bytes into plain data with node positions; raise DataFileError if invalid."""
    text = _decode(shown, raw)
    if not _CONTENT.search(text):
        raise DataFileError(f"{shown}:1:1: the file is empty; it needs at least 'institutions:'")
    if len(raw) >= FAST_MIN_BYTES:
        data = fast_data(text, MAX_DEPTH)
        if data is not None:
            return Document(path=shown, data=data, digest=digest_bytes(raw), _text=text)
    positions: dict[PathKey, tuple[int, int]] = {}
    data = _compose(shown, text, positions)
    return Document(path=shown, data=data, digest=digest_bytes(raw), _positions=positions)


@contextmanager
def _atomic(path: str | os.PathLike[str], mode: str, encoding: str | None) -> Iterator[IO[Any]]:
    """Yield a temp file beside path; on success fsync it, keep `<name>.bak`, rename it over."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, mode, encoding=encoding, newline="" if encoding else None) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        _install(Path(tmp), target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _install(tmp: Path, target: Path) -> None:
    """Give tmp the target's permissions (or the umask default), back up target, rename."""
    if target.exists():
        os.chmod(tmp, target.stat().st_mode & 0o777)
        _copy(target, target.with_name(target.name + ".bak"))
    else:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
    os.replace(tmp, target)


def _copy(src: Path, dst: Path) -> None:
    """Copy src to dst atomically (temp file, then rename)."""
    tmp = dst.with_name(dst.name + ".tmp")
    tmp.write_bytes(src.read_bytes())
    os.replace(tmp, dst)


def atomic_write_bytes(path: str | os.PathLike[str], content: bytes) -> None:
    """Write bytes atomically, keeping the previous version as `<name>.bak`."""
    with _atomic(path, "wb", None) as handle:
        handle.write(content)
