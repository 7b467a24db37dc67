"""Edit one institution by round-tripping only its block of the file's text.

ruamel's comment-keeping round trip is pure Python and costs seconds for the whole data
file; an edit of one institution needs only that institution's lines. `cut` finds the
block of the top-level `institutions:` item with the id and returns its text wrapped as a
small document of its own (`institutions:` + the block), so the block keeps its context
and indentation; `Block.join` puts the edited block back between the untouched text.

`cut` refuses (returns None) whenever it cannot be sure: no block or two blocks with the
id, ids it cannot read, or a block whose own round trip does not reproduce it byte for
byte. The caller then edits the whole file; either way the result is validated whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

HEAD = "institutions:\n"
_SECTION = re.compile(r"^institutions:[ \t]*(?:#.*)?\n", re.MULTILINE)
_TOP_LEVEL = re.compile(r"^[^\s#-]", re.MULTILINE)
_ITEM = re.compile(r"^( *)-(?: +|$)", re.MULTILINE)
_ID = re.compile(r"""^ *(?:- +)?id: *(?:'([^'\n]*)'|"([^"\\\n]*)"|([^\s#'"][^\s#]*)) *(?:#.*)?$""")


@dataclass(frozen=True, slots=True)
class Block:
    """One institution's lines, cut out of the file's text."""

    before: str
    text: str
    after: str
    ids: tuple[str, ...]  # every institution's id in file order (to check the result)

    @property
    def document(self) -> str:
        """Return the block as a document of its own: `institutions:` and the one item."""
        return HEAD + self.text

    def join(self, edited: str) -> str | None:
        """Return the whole file with the edited document's block, or None if it is not one."""
        if not edited.startswith(HEAD):
            return None
        return self.before + edited[len(HEAD) :] + self.after


def _item_id(block: str, indent: int) -> str | None:
    """Return the id of the item block (its `id:` key at the item's own level), or None."""
    for number, line in enumerate(block.split("\n")):
        found = _ID.match(line)
        if not found:
            continue
        lead = len(line) - len(line.lstrip(" "))
        own = lead == indent if number == 0 else lead == indent + 2
        if own and (number == 0 or not line.lstrip().startswith("-")):
            return next(g for g in found.groups() if g is not None)
    return None


def cut(text: str, inst_id: str) -> Block | None:
    """Return the block of the institution with the id, or None when it is not certain."""
    if "\r" in text:
        return None  # CRLF line ends: leave them to the whole-file edit
    head = _SECTION.search(text)
    if head is None:
        return None
    end_match = _TOP_LEVEL.search(text, head.end())
    end = end_match.start() if end_match else len(text)
    starts: list[int] = []
    indent = -1
    for match in _ITEM.finditer(text, head.end(), end):
        if indent == -1:
            indent = len(match.group(1))
        if len(match.group(1)) == indent:
            starts.append(match.start())
    lead = text[head.end() : starts[0]] if starts else "x"
    if any(line.strip() and not line.lstrip().startswith("#") for line in lead.split("\n")):
        return None
    bounds = [*starts, end]
    ids = [_item_id(text[a:b], indent) for a, b in zip(bounds, bounds[1:], strict=False)]
    if None in ids or ids.count(inst_id) != 1:
        return None
    index = ids.index(inst_id)
    start, stop = bounds[index], bounds[index + 1]
    return Block(text[:start], text[start:stop], text[stop:], tuple(i for i in ids if i))
