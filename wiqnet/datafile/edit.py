"""The one place that edits the data file: comment-preserving, validated, locked and atomic."""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import yaml
from filelock import FileLock, Timeout
from ruamel.yaml import YAML
from ruamel.yaml.scalarstring import ScalarString, SingleQuotedScalarString

from ..errors import ConflictError, ValidationFailed
from .store import atomic_write_bytes, digest_bytes, parse_yaml

T = TypeVar("T")


def round_trip_yaml() -> YAML:
    """Return a ruamel YAML instance configured for the data file's layout."""
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


_RESOLVE: Any = yaml.SafeLoader("").resolve  # how PyYAML (YAML 1.1) reads a plain scalar
_STR_TAG = "tag:yaml.org,2002:str"


def _quote_ambiguous(node: Any) -> None:
    """Quote strings that PyYAML would read as something else (e.g. '1:0' as 60, 'yes')."""
    items = node.items() if isinstance(node, dict) else enumerate(node)
    for key, value in list(items):
        if isinstance(value, (dict, list)):
            _quote_ambiguous(value)
        elif (isinstance(value, str) and not isinstance(value, ScalarString)
              and _RESOLVE(yaml.ScalarNode, value, (True, False)) != _STR_TAG):
            node[key] = SingleQuotedScalarString(value)


def dump_text(data: Any) -> str:
    """Serialise round-trip data to YAML text that PyYAML reads back the same."""
    _quote_ambiguous(data)
    buffer = io.StringIO()
    round_trip_yaml().dump(data, buffer)
    return buffer.getvalue()


def lock_for(path: str | os.PathLike[str]) -> FileLock:
    """Return the inter-process lock that guards writes to the file."""
    return FileLock(str(path) + ".lock", timeout=10)


def edit_data_file(
    path: str | os.PathLike[str],
    mutate: Callable[[Any], T],
    *,
    expected_digest: str | None = None,
    dry_run: bool = False,
) -> tuple[T, str]:
    """Apply mutate() to the file's round-trip data, validate, and write it atomically.

    Returns mutate's result and the new text. Raises ConflictError when the file's
    digest is not expected_digest, or when it changes while we edit it.
    """
    target = Path(path)
    try:
        with lock_for(target):
            return _edit(target, mutate, expected_digest, dry_run)
    except Timeout:
        raise ConflictError(
            f"{target}: another wiqnet process is writing the file; try again in a moment"
        ) from None


def _edit(target: Path, mutate: Callable[[Any], T], expected_digest: str | None,
          dry_run: bool) -> tuple[T, str]:
    """Do the edit under the lock (see edit_data_file)."""
    from .validate import validate_document

    raw = target.read_bytes()
    before = digest_bytes(raw)
    if expected_digest is not None and before != expected_digest:
        raise ConflictError(
            f"{target}: the file was changed by someone else since you opened it; "
            "reload and make your change again"
        )
    parse_yaml(raw, str(target))  # a located DataFileError if the file is broken
    data = round_trip_yaml().load(raw.decode("utf-8"))
    result = mutate(data)
    text = dump_text(data)
    problems = validate_document(parse_yaml(text.encode("utf-8"), str(target)))
    if any(p.severity == "error" for p in problems):
        raise ValidationFailed(problems)
    if dry_run or text.encode("utf-8") == raw:
        return result, text
    if digest_bytes(target.read_bytes()) != before:
        raise ConflictError(
            f"{target}: the file was changed in an editor while wiqnet was writing; "
            "nothing was written, run the command again"
        )
    atomic_write_bytes(target, text.encode("utf-8"))
    return result, text
