r"""A BibTeX file as entries of raw field values: a small, fast, forgiving parser.

Each entry starts at an ``@type{`` or ``@type(`` at the start of a line; a broken
entry (a brace never closed, a missing comma) is reported and ends at the next
such line, so it never takes the entries around it with it. Values keep their
LaTeX as written (only the outer ``{}``/``""`` go, ``#`` concatenations are
joined and ``@string`` macros resolved; ``month = jun`` is ``jun``).

>>> text = '@string{j = "J. of X"}\n@article{k1, title = {A {B}}, journal = j, year = 2020}'
>>> blocks = parse_blocks(text)
>>> [(b.entry_type, b.key, b.fields) for b in blocks.entries]
[('article', 'k1', {'title': 'A {B}', 'journal': 'J. of X', 'year': '2020'})]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

#: An entry's start: ``@type{`` or ``@type(`` at the start of a line (spaces allowed).
_START = re.compile(r"^[ \t]*@[ \t]*([A-Za-z][\w-]*)[ \t]*([{(])", re.MULTILINE)
_ANY_START = re.compile(r"@[ \t]*([A-Za-z][\w-]*)[ \t]*([{(])")
_NAME = re.compile(r"\s*([^\s=,{}()\"#%]+)\s*")
_SPACE = re.compile(r"\s*")
_BRACE = re.compile(r"[{}]")
_QUOTE_OR_BRACE = re.compile(r'["{}]')
_BARE = re.compile(r"[^\s,#{}()\"=]+")
_KEY = re.compile(r"\s*([^\s,={}()]*)\s*")
MONTH_MACROS = {
    m: m
    for m in ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
}


class BlockError(ValueError):
    """An entry that does not parse: what was expected, at which offset of the text."""

    def __init__(self, expected: str, at: int) -> None:
        super().__init__(expected)
        self.expected = expected
        self.at = at


@dataclass
class RawEntry:
    """One entry: its type (lower case), key, fields (lower-case name -> raw value, in
    the file's order; a repeated field keeps its first value, the later ones under
    ``name_2`` …), the line it starts on and its text."""

    entry_type: str
    key: str
    fields: dict[str, str]
    line: int
    raw: str


@dataclass
class Broken:
    """A block that is no entry: the line it starts on, its first text, what was expected."""

    line: int
    raw: str
    expected: str


@dataclass
class Blocks:
    """What :func:`parse_blocks` found: the entries, the broken blocks, the @string macros."""

    entries: list[RawEntry] = field(default_factory=list)
    broken: list[Broken] = field(default_factory=list)
    strings: dict[str, str] = field(default_factory=dict)


def parse_blocks(text: str) -> Blocks:
    """Every block of a BibTeX text, in file order (see the module docstring)."""
    out = Blocks()
    macros = dict(MONTH_MACROS)
    starts = [m.start() for m in _START.finditer(text)]
    line = 1
    last = 0
    for i, start in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else len(text)
        line += text.count("\n", last, start)
        last = start
        _parse_chunk(text, start, end, line, macros, out)
    out.strings = {k: v for k, v in macros.items() if k not in MONTH_MACROS or v != k}
    return out


def _parse_chunk(
    text: str, start: int, end: int, line: int, macros: dict[str, str], out: Blocks
) -> None:
    """The blocks of ``text[start:end]`` (one, or more written on one line)."""
    pos = start
    while pos < end:
        match = _ANY_START.search(text, pos, end)
        if match is None:
            return
        at_line = line + text.count("\n", start, match.start())
        kind = match.group(1).lower()
        close = "}" if match.group(2) == "{" else ")"
        try:
            if kind == "comment":
                pos = _skip_group(text, match.end(), end, close)
                continue
            if kind == "preamble":
                pos = _skip_group(text, match.end(), end, close)
                continue
            if kind == "string":
                pos = _parse_string(text, match.end(), end, close, macros)
                continue
            entry, pos = _parse_entry(text, match.end(), end, close, kind, macros)
        except BlockError as exc:
            raw = text[match.start() : min(end, match.start() + 200)].strip()
            out.broken.append(Broken(at_line, raw, exc.expected))
            return
        entry.line = at_line
        entry.raw = text[match.start() : pos]
        out.entries.append(entry)


def _skip_group(text: str, pos: int, end: int, close: str) -> int:
    """The offset after the group that opened just before ``pos``."""
    if close == ")":
        found = text.find(")", pos, end)
        if found < 0:
            raise BlockError("a ')' closing the block", pos)
        return found + 1
    return _braced_end(text, pos, end) + 1


def _braced_end(text: str, pos: int, end: int) -> int:
    """The offset of the ``}`` closing a group whose ``{`` is just before ``pos``."""
    depth = 1
    for m in _BRACE.finditer(text, pos, end):
        if m.group() == "{":
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                return m.start()
    raise BlockError("a '}' closing every '{' (braces must balance)", pos)


def _parse_string(text: str, pos: int, end: int, close: str, macros: dict[str, str]) -> int:
    name = _NAME.match(text, pos, end)
    if name is None or text[name.end() : name.end() + 1] != "=":
        raise BlockError('@string{name = "value"}', pos)
    value, pos = _value(text, name.end() + 1, end, macros)
    macros[name.group(1).lower()] = value
    pos = _SPACE.match(text, pos, end).end()  # type: ignore[union-attr]
    if text[pos : pos + 1] != close:
        raise BlockError(f"a {close!r} closing @string", pos)
    return pos + 1


def _parse_entry(
    text: str, pos: int, end: int, close: str, kind: str, macros: dict[str, str]
) -> tuple[RawEntry, int]:
    key_match = _KEY.match(text, pos, end)
    assert key_match is not None  # the pattern matches the empty string
    key, pos = key_match.group(1), key_match.end()
    fields: dict[str, str] = {}
    nxt = text[pos : pos + 1]
    if nxt == close:
        return RawEntry(kind, key, fields, 0, ""), pos + 1
    if nxt != ",":
        raise BlockError("a ',' after the citation key", pos)
    pos += 1
    while True:
        pos = _SPACE.match(text, pos, end).end()  # type: ignore[union-attr]
        nxt = text[pos : pos + 1]
        if nxt == close:
            return RawEntry(kind, key, fields, 0, ""), pos + 1
        name = _NAME.match(text, pos, end)
        if name is None or text[name.end() : name.end() + 1] != "=":
            expected = f"a field like 'title = {{...}}' or the {close!r} closing the entry"
            raise BlockError(expected, pos)
        value, pos = _value(text, name.end() + 1, end, macros)
        _add(fields, name.group(1).lower(), value)
        pos = _SPACE.match(text, pos, end).end()  # type: ignore[union-attr]
        nxt = text[pos : pos + 1]
        if nxt == ",":
            pos += 1
        elif nxt != close:
            raise BlockError(f"a ',' or the {close!r} closing the entry after a field", pos)


def _add(fields: dict[str, str], name: str, value: str) -> None:
    """Add a field; a repeated name keeps every value (``name_2`` …), none is lost."""
    if name not in fields:
        fields[name] = value
        return
    n = 2
    while f"{name}_{n}" in fields:
        n += 1
    fields[f"{name}_{n}"] = value


def _value(text: str, pos: int, end: int, macros: dict[str, str]) -> tuple[str, int]:
    """A field value (parts joined by ``#``) and the offset after it."""
    parts: list[str] = []
    while True:
        pos = _SPACE.match(text, pos, end).end()  # type: ignore[union-attr]
        first = text[pos : pos + 1]
        if first == "{":
            close = _braced_end(text, pos + 1, end)
            parts.append(text[pos + 1 : close])
            pos = close + 1
        elif first == '"':
            close = _quoted_end(text, pos + 1, end)
            parts.append(text[pos + 1 : close])
            pos = close + 1
        else:
            bare = _BARE.match(text, pos, end)
            if bare is None:
                raise BlockError("a value in braces, quotes, a number or a @string name", pos)
            word = bare.group()
            parts.append(word if word.isdigit() else macros.get(word.lower(), word))
            pos = bare.end()
        pos = _SPACE.match(text, pos, end).end()  # type: ignore[union-attr]
        if text[pos : pos + 1] != "#":
            return "".join(parts) if len(parts) > 1 else parts[0], pos
        pos += 1


def _quoted_end(text: str, pos: int, end: int) -> int:
    """The offset of the ``"`` closing a quoted value (a ``"`` inside braces is text)."""
    depth = 0
    for m in _QUOTE_OR_BRACE.finditer(text, pos, end):
        c = m.group()
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth < 0:
                break
        elif depth == 0:
            return m.start()
    raise BlockError("a '\"' closing the quoted value", pos)
