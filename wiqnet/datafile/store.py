"""Read the YAML data file with positions, and write files atomically with a backup."""

from __future__ import annotations

import contextlib
import errno
import glob
import hashlib
import os
import re
import stat
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import yaml

from ..errors import DataFileError, Problem, WriteError
from .fastyaml import fast_data, item_starts

try:
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

# Scalars (str, int, float, bool, date) are built by PyYAML's safe constructor.
_SCALARS = yaml.SafeLoader("")
_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
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


def _build(
    path: str,
    positions: dict[PathKey, tuple[int, int]],
    node: yaml.Node,
    key: PathKey,
    seen: set[int],
) -> Any:
    """Turn a YAML node into plain data, recording positions; refuse aliases and duplicates."""
    if id(node) in seen:
        raise _located(
            path,
            node.start_mark,
            "anchors and aliases (&, *) are not supported here; write the value out in full",
        )
    seen.add(id(node))
    if len(key) > MAX_DEPTH:
        raise _located(
            path,
            node.start_mark,
            f"the data is nested more than {MAX_DEPTH} levels deep; this is not a directory file",
        )
    positions[key] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for k_node, v_node in node.value:
            if not isinstance(k_node, yaml.ScalarNode):
                raise _located(path, k_node.start_mark, "a key must be plain text")
            name = k_node.value
            if name in result:
                raise _located(
                    path,
                    k_node.start_mark,
                    f"duplicate key '{name}'; each key may appear only once in a block",
                )
            positions[(*key, name, "#key")] = (
                k_node.start_mark.line + 1,
                k_node.start_mark.column + 1,
            )
            result[name] = _build(path, positions, v_node, (*key, name), seen)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_build(path, positions, item, (*key, i), seen) for i, item in enumerate(node.value)]
    if node.tag == _STR:
        return node.value
    if node.tag in _SPECIAL:
        raise _located(path, node.start_mark, f"put '{node.value}' in quotes")
    try:
        return _SCALARS.construct_object(node, deep=True)
    except ValueError as exc:  # timestamps, and numbers with more digits than Python reads
        if node.tag == _INT:
            raise _located(
                path,
                node.start_mark,
                f"a number with {len(node.value):,} digits is "
                "too long; put it in quotes if it is text",
            ) from None
        raise _located(
            path,
            node.start_mark,
            f"'{shorten(node.value)}' is not a valid date "
            f"({exc}); write it as YYYY-MM-DD, e.g. 2021-04-13",
        ) from None


# The document each edit in this process wrote, already parsed and validated: loading the file
# right after the edit (the web's reload) reuses it instead of parsing and validating again.
_checked: dict[str, tuple[Document, list[Problem]]] = {}


def remember_checked(path: str | os.PathLike[str], doc: Document, problems: list[Problem]) -> None:
    """Remember the validated document just written to path."""
    _checked[os.path.realpath(path)] = (doc, problems)


def checked_document(path: str | os.PathLike[str]) -> tuple[Document, list[Problem]] | None:
    """Return the validated document an edit wrote to path, if the file still holds it."""
    known = _checked.get(os.path.realpath(path))
    if known is None:
        return None
    try:
        still = digest_bytes(read_regular(path, str(path))) == known[0].digest
    except DataFileError:
        return None
    return known if still else None


def shorten(text: str, limit: int = 60) -> str:
    """Return text cut to limit characters (with …), for echoing values in messages."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


_KINDS = (
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a directory"),
)


def read_regular(path: str | os.PathLike[str], shown: str, limit: int | None = None) -> bytes:
    """Return the bytes of a regular file; raise DataFileError for anything else or too big.

    Opening never blocks (a named pipe without writer), and nothing but a regular file
    is read, so a FIFO, /dev/zero or a symlink loop gives a clear error, never a hang.
    The limit defaults to MAX_BYTES.
    """
    limit = MAX_BYTES if limit is None else limit
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise DataFileError(f"{shown}: no such file; check the path or set --data") from None
    except IsADirectoryError:
        raise DataFileError(f"{shown}: is a directory, not a YAML file") from None
    except PermissionError:
        raise DataFileError(f"{shown}: permission denied; check the file's permissions") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise DataFileError(
                f"{shown}: the symbolic link points in a loop; check where it leads"
            ) from None
        raise DataFileError(f"{shown}: cannot be opened ({exc.strerror}); check the path") from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
        hint = (
            "is a directory, not a YAML file"
            if kind == "a directory"
            else (f"is {kind}, not a regular file; point to the YAML file itself")
        )
        raise DataFileError(f"{shown}: {hint}")
    with os.fdopen(fd, "rb") as handle:
        os.set_blocking(fd, True)
        size = os.fstat(fd).st_size
        if size > limit:
            raise _too_big(shown, size, limit)
        try:
            raw = handle.read(limit + 1)
        except OSError as exc:
            raise DataFileError(f"{shown}: cannot be read ({exc.strerror})") from None
    if len(raw) > limit:
        raise _too_big(shown, len(raw), limit)
    return raw


def _too_big(shown: str, size: int, limit: int) -> DataFileError:
    return DataFileError(
        f"{shown}:1:1: the file is {size / 1e6:.1f} MB; the limit is "
        f"{limit // (1024 * 1024)} MB. Split it or remove generated content"
    )


def load_yaml(path: str | os.PathLike[str], display: str | None = None) -> Document:
    """Parse a YAML file into plain data with node positions; raise DataFileError if unreadable."""
    shown = display or str(path)
    return parse_yaml(read_regular(path, shown), shown)


_read: dict[str, Document] = {}  # the last document read per file, for load_yaml_cached


def load_yaml_cached(path: str | os.PathLike[str]) -> Document:
    """Return the file's document, parsed again only when its content changed (by digest).

    The document is shared: callers must not change its data. Reads the file and hashes
    it on every call, so a hand edit is seen at once.
    """
    raw = read_regular(path, str(path))
    digest, key = digest_bytes(raw), os.path.realpath(path)
    for known in (_checked.get(key, (None,))[0], _read.get(key)):
        if known is not None and known.digest == digest:
            return known
    doc = parse_yaml(raw, str(path))
    _read[key] = doc
    return doc


_HINTS = (
    (
        "mapping values are not allowed",
        (
            "a ':' where none is expected; put a value that "
            "contains ': ' in quotes, or check the indentation"
        ),
    ),
    (
        "did not find expected '-' indicator",
        ("check the indentation: the entries of one list start in the same column"),
    ),
    (
        "did not find expected key",
        ("check the indentation: the keys of one block start in the same column"),
    ),
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
        raise DataFileError(
            f"{shown}:1:1: the data is nested too deeply; this is not a directory file"
        ) from None
    except yaml.reader.ReaderError as exc:
        before = text[: exc.position]
        line, col = before.count("\n") + 1, exc.position - (before.rfind("\n") + 1) + 1
        raise DataFileError(
            f"{shown}:{line}:{col}: the control character U+{exc.character:04X} "
            "is not allowed in YAML; remove it"
        ) from None
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
        raise DataFileError(
            f"{shown}:1:1: the data is nested too deeply; this is not a directory file"
        ) from None
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
    if not _CONTENT.search(text if "\r" not in text else text.replace("\r", "\n")):
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
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _remove_stray_temps(target)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise _write_error(target, exc) from None
    try:
        with os.fdopen(fd, mode, encoding=encoding, newline="" if encoding else None) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        _install(Path(tmp), target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise _write_error(target, exc) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# Temp files of a write older than this were left by a killed process.
STRAY_TEMP_SECONDS = 3600


def _remove_stray_temps(target: Path) -> None:
    """Delete temp files that killed writes left beside target (only old ones: a live write
    of another process is never touched)."""
    limit = time.time() - STRAY_TEMP_SECONDS
    for stray in (
        *target.parent.glob(f".{glob.escape(target.name)}.*.tmp"),
        target.with_name(target.name + ".bak.tmp"),
    ):
        try:
            if stray.lstat().st_mtime < limit:
                stray.unlink()
        except OSError:
            pass  # gone meanwhile, or not ours to delete


def _write_error(target: Path, exc: OSError) -> WriteError:
    """Explain a failed write; the file itself is unchanged."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        reason = "the disk is full; free some space"
    elif isinstance(exc, (FileExistsError, NotADirectoryError)):
        reason = "a part of the path is a file, not a folder"
    else:
        reason = f"{exc.strerror or exc}; check the folder's permissions and free space"
    return WriteError(f"{target}: cannot be written ({reason}); nothing was changed")


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
    try:
        with tmp.open("wb") as handle:
            handle.write(src.read_bytes())
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    os.replace(tmp, dst)


def atomic_write_bytes(path: str | os.PathLike[str], content: bytes) -> None:
    """Write bytes atomically, keeping the previous version as `<name>.bak`."""
    with _atomic(path, "wb", None) as handle:
        handle.write(content)
