"""The fast path for big data files: yaml-rs parses them when the result equals PyYAML's."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import yaml
import yaml_rs

_STR = "tag:yaml.org,2002:str"

# Big files are parsed by yaml-rs (about 15x faster than PyYAML) when the
# result provably equals PyYAML's. YAML 1.2 (yaml-rs) and 1.1 (PyYAML) differ on a few plain
# scalars; any text or value that could differ sends the file down PyYAML's path instead,
# which also words every error. Positions are then computed only when a problem needs them.
_NUMBER_FORMS = re.compile(r"[0-9][eE][-+]?[0-9]|[-+]\.[0-9]")  # 1e3, -.5: floats in 1.2 only
_TAG = re.compile(r"(?:^|[\s\[{,])!", re.MULTILINE)
_QUOTED_DATE = re.compile(r"""['"][0-9]{4}-[0-9]{1,2}-[0-9]{1,2}""")
_TIMESTAMP = re.compile(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:$|[Tt ])")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_NUMERIC_START = frozenset("0123456789+-.")
_YAML11_BREAKS = re.compile("[\x85\u2028\u2029]")  # line breaks in YAML 1.1, not in 1.2
_YAML11_WORDS = {
    "yes",
    "Yes",
    "YES",
    "no",
    "No",
    "NO",
    "on",
    "On",
    "ON",
    "off",
    "Off",
    "OFF",
    "=",
    "<<",
}
_NO_ALIASES = yaml_rs.AliasLimits(max_total_replayed_events=0)
_RESOLVE: Any = yaml.SafeLoader("").resolve  # PyYAML's own rule for what a plain scalar is


def fast_data(text: str, max_depth: int) -> Any:
    """Return the data parsed by yaml-rs, or None when PyYAML might read it differently."""
    if (
        "\t" in text
        or text.startswith("%")
        or "\n%" in text
        or _NUMBER_FORMS.search(text)
        or _YAML11_BREAKS.search(text)
        or ("!" in text and _TAG.search(text))
        or _QUOTED_DATE.search(text)
    ):
        return None
    try:
        data = yaml_rs.loads(
            text.removeprefix("\ufeff"),
            parse_datetime=False,
            alias_limits=_NO_ALIASES,
            duplicate_key_policy=yaml_rs.DuplicateKeyPolicy.Error,
        )
    except Exception:  # noqa: BLE001 - any refusal: PyYAML's path decides and explains
        return None
    return data if isinstance(data, dict) and _as_pyyaml(data, max_depth) else None


def _as_pyyaml(data: dict[str, Any], max_depth: int) -> bool:
    """Turn plain ISO dates into dates, as PyYAML does; False if any value might differ.

    Conservative: whole numbers (012 is octal in YAML 1.1), booleans, yes/no/on/off, text that
    YAML 1.1 reads as a number (10:30), and timestamps with a time all send the file to PyYAML.
    """
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        item, depth = stack.pop()
        if depth >= max_depth:
            return False
        pairs = item.items() if isinstance(item, dict) else enumerate(item)
        for key, value in pairs:
            if isinstance(item, dict) and not isinstance(key, str):
                return False
            if isinstance(value, str):
                if value in _YAML11_WORDS:
                    return False
                if value[:1].isdigit() and _TIMESTAMP.match(value):
                    if not _DATE.fullmatch(value):
                        return False
                    try:
                        item[key] = date.fromisoformat(value)
                    except ValueError:
                        return False
                elif (
                    value[:1] in _NUMERIC_START
                    and not value.isdigit()
                    and _RESOLVE(yaml.ScalarNode, value, (True, False)) != _STR
                ):
                    return False  # e.g. 10:30, a number in YAML 1.1 (digits alone: quoted)
            elif isinstance(value, (dict, list)):
                stack.append((value, depth + 1))
            elif not isinstance(value, (float, type(None))):
                return False  # whole numbers, booleans and anything else: let PyYAML decide
    return True


_ITEM = re.compile(r"^( *)-(?:[ ]+|\r?$)(.?)", re.MULTILINE)


def item_starts(text: str, data: Any) -> list[tuple[int, int]] | None:
    """Return line/col of each top-level institution by scanning the text, or None."""
    items = data.get("institutions") if isinstance(data, dict) else None
    head = re.search(r"^institutions:[ \t]*(?:#.*)?\r?$", text, re.MULTILINE)
    if not isinstance(items, list) or head is None:
        return None
    end_match = re.compile(r"^[^\s#-]", re.MULTILINE).search(text, head.end())
    end = end_match.start() if end_match else len(text)
    starts: list[tuple[int, int]] = []
    indent, line, last = -1, text.count("\n", 0, head.end()) + 1, head.end()
    for match in _ITEM.finditer(text, head.end(), end):
        if indent == -1:
            indent = len(match.group(1))
        if len(match.group(1)) != indent:
            continue
        if match.group(2) in ("", "#", "\r"):
            return None
        line += text.count("\n", last, match.start())
        last = match.start()
        starts.append((line, match.start(2) - match.start() + 1))
    return starts if len(starts) == len(items) else None
