"""Citation key formulas in Better BibTeX's language (a small, documented subset).

A formula is alternatives separated by ``|`` (the first that gives a non-empty key
wins); an alternative is terms joined by ``+``; a term is a function (``auth``,
``year``, ``shorttitle(3, 3)``, a quoted literal) followed by filters
(``.lower``, ``.substring(1, 4)``)::

    >>> import pandas as pd
    >>> formula = KeyFormula.parse(DEFAULT_FORMULA)
    >>> row = {"authors": ["Ashish Vaswani"], "title": "Attention Is All You Need",
    ...        "published": pd.Timestamp("2017-06-12")}
    >>> formula.base(row)
    'vaswaniAttentionAllYou2017'
    >>> KeyFormula.parse("auth.lower + year + veryshorttitle.lower").base(row)
    'vaswani2017attention'

As in Better BibTeX, every function's text is *cleaned* (folded to ASCII, the
characters ``\\"#%'(),={}~`` removed) and the finished key loses its spaces.
Clashes get a postfix, by default ``a``, ``b``, … (``postfix('-%(n)s')`` in a
formula changes it). Functions: :data:`FUNCTIONS`; filters: :data:`FILTERS`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from itertools import count
from string import ascii_lowercase
from typing import Any

from litreview.writers._fields import Row
from litreview.writers._key_parts import FILTERS, FUNCTIONS, UNSAFE, clean, finish

#: Better BibTeX's default formula (its ``citekeyFormat`` preference), written as BBT writes it.
DEFAULT_FORMULA = "auth.lower + shorttitle(3, 3) + year"
_UNSAFE = re.compile("[" + re.escape(UNSAFE) + r"\s]")
_TOKEN = re.compile(
    r"\s*(?:(?P<num>-?\d+)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<str>'(?:[^'\\]|\\.)*'"
    r'|"(?:[^"\\]|\\.)*")|(?P<op>[|+.(),=]))'
)


class FormulaError(ValueError):
    """A formula that does not parse, naming the position and what was expected."""


#: Filters that decide whether the alternative is used (the text is unchanged).
_LENGTH = {
    "<": lambda a, b: a < b, "<=": lambda a, b: a <= b, "=": lambda a, b: a == b,
    "!=": lambda a, b: a != b, ">": lambda a, b: a > b, ">=": lambda a, b: a >= b,
}  # fmt: skip


@dataclass(frozen=True)
class _Call:
    name: str
    args: tuple[Any, ...] = ()
    kwargs: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True)
class _Term:
    head: _Call | str  # a function, or a literal
    filters: tuple[_Call, ...] = ()


@dataclass(frozen=True)
class Postfix:
    """How a clashing key is told apart: ``%(a)s`` (a, b, … z, aa, …), ``%(A)s`` or
    ``%(n)s`` (1, 2, …) in ``template``; ``start=1`` adds it even without a clash."""

    template: str = "%(a)s"
    start: int = 0

    def suffixes(self) -> Iterator[str]:
        """The postfixes in the order clashing keys get them ('' first unless ``start=1``)."""
        if self.start == 0:
            yield ""
        for n in count(1):
            yield self.suffix(n)

    def suffix(self, n: int) -> str:
        """The ``n``-th postfix (1-based) after the bare key."""
        alpha = _alpha(n)
        return (
            self.template.replace("%(a)s", alpha)
            .replace("%(A)s", alpha.upper())
            .replace("%(n)s", str(n))
        )


def _alpha(n: int) -> str:
    """1 -> a, 26 -> z, 27 -> aa (spreadsheet columns)."""
    out = ""
    while n > 0:
        n, rest = divmod(n - 1, 26)
        out = ascii_lowercase[rest] + out
    return out


@dataclass(frozen=True)
class KeyFormula:
    """A parsed formula: :meth:`base` gives a paper's key before clash postfixes."""

    text: str
    alternatives: tuple[tuple[_Term, ...], ...]
    postfix: Postfix = field(default_factory=Postfix)

    @classmethod
    def parse(cls, text: str | None = None) -> KeyFormula:
        """Parse ``text`` (default :data:`DEFAULT_FORMULA`); :class:`FormulaError` names
        the position and what was expected.

        >>> KeyFormula.parse("auth.lower + yeer")
        Traceback (most recent call last):
        litreview.writers.key_formula.FormulaError: key formula 'auth.lower + yeer', at 13: unknown function 'yeer'; known: auth, authEtAl, authEtal2, authIni, authorLast, authorsAlpha, authshort, journal, month, postfix, shorttitle, shortyear, title, type, veryshorttitle, year
        """  # noqa: E501
        text = DEFAULT_FORMULA if text is None else text
        if not isinstance(text, str) or not text.strip():
            raise FormulaError(f"a key formula must be non-empty text, got {text!r}")
        return _Parser(text).formula()

    def __post_init__(self) -> None:
        compiled = tuple(tuple(_compile(t) for t in terms) for terms in self.alternatives)
        object.__setattr__(self, "_compiled", compiled)

    def base(self, row: Row) -> str:
        """The key the first alternative that gives one makes ('' when none does)."""
        for terms in self._compiled:  # type: ignore[attr-defined]
            parts = []
            skip = False
            for term in terms:
                text, skip = term(row)
                if skip:
                    break
                parts.append(text)
            if skip:
                continue
            key = finish("".join(parts))
            if key:
                return key
        return ""


_Compiled = Callable[[Row], tuple[str, bool]]


def _compile(term: _Term) -> _Compiled:
    """``term`` as one function of a row: (its text, whether to skip the alternative)."""
    head = term.head
    if isinstance(head, str):
        literal = head

        def start(row: Row) -> str:
            return literal
    elif head.name == "postfix":

        def start(row: Row) -> str:
            return ""
    else:
        fn = partial(FUNCTIONS[head.name], *(), **dict(head.kwargs))
        args = head.args

        def start(row: Row) -> str:
            return clean(fn(row, *args))

    steps: list[Callable[[str], tuple[str, bool]]] = []
    for f in term.filters:
        if f.name == "len":
            relation, n = (list(f.args) + [">", 0][len(f.args) :])[:2]
            test = _LENGTH[relation]
            steps.append(partial(_length, test, n))
        else:
            apply = partial(_filter, FILTERS[f.name], f.args, dict(f.kwargs))
            steps.append(apply)
    if not steps:
        return lambda row: (start(row), False)

    def run(row: Row) -> tuple[str, bool]:
        text, skip = start(row), False
        for step in steps:
            text, skipped = step(text)
            skip = skip or skipped
        return text, skip

    return run


def _length(test: Callable[[int, int], bool], n: int, text: str) -> tuple[str, bool]:
    return text, not test(len("".join(text.split())), n)


def _filter(
    fn: Callable[..., str], args: tuple[Any, ...], kwargs: dict[str, Any], text: str
) -> tuple[str, bool]:
    return fn(text, *args, **kwargs), False


class _Parser:
    """A recursive-descent parser over :data:`_TOKEN`'s tokens."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens: list[tuple[str, str, int]] = []
        pos = 0
        while pos < len(text):
            if text[pos:].strip() == "":
                break
            match = _TOKEN.match(text, pos)
            if match is None:
                self.fail(pos, f"unexpected character {text[pos:].lstrip()[:1]!r}")
            assert match is not None
            kind = match.lastgroup or ""
            self.tokens.append((kind, match.group(kind), match.start(kind)))
            pos = match.end()
        self.i = 0
        self.postfix = Postfix()

    def fail(self, pos: int, message: str) -> None:
        raise FormulaError(f"key formula {self.text!r}, at {pos}: {message}")

    def peek(self) -> tuple[str, str, int]:
        return self.tokens[self.i] if self.i < len(self.tokens) else ("end", "", len(self.text))

    def take(self, value: str | None = None, kind: str | None = None) -> tuple[str, str, int]:
        token = self.peek()
        if (value is not None and token[1] != value) or (kind is not None and token[0] != kind):
            wanted = repr(value) if value is not None else f"a {kind}"
            self.fail(token[2], f"expected {wanted}, found {token[1] or 'the end'!r}")
        self.i += 1
        return token

    def formula(self) -> KeyFormula:
        alternatives = [self.alternative()]
        while self.peek()[1] == "|":
            self.take("|")
            alternatives.append(self.alternative())
        if self.peek()[0] != "end":
            self.fail(self.peek()[2], f"expected '+', '|' or '.', found {self.peek()[1]!r}")
        return KeyFormula(self.text, tuple(alternatives), self.postfix)

    def alternative(self) -> tuple[_Term, ...]:
        terms = [self.term()]
        while self.peek()[1] == "+":
            self.take("+")
            terms.append(self.term())
        return tuple(terms)

    def term(self) -> _Term:
        kind, value, pos = self.peek()
        head: _Call | str
        if kind == "str":
            self.take()
            head = _unquote(value)
        elif kind == "name":
            head = self.call(FUNCTIONS.keys() | {"postfix"}, "function")
            if head.name == "postfix":
                self.postfix = self._postfix(head, pos)
        else:
            self.fail(pos, f"expected a function or a quoted text, found {value or 'the end'!r}")
            raise AssertionError  # unreachable
        filters = []
        while self.peek()[1] == ".":
            self.take(".")
            filters.append(self.call(FILTERS.keys() | {"len"}, "filter"))
        return _Term(head, tuple(filters))

    def call(self, known: Any, what: str) -> _Call:
        _, name, pos = self.take(kind="name")
        if name not in known:
            self.fail(pos, f"unknown {what} {name!r}; known: {', '.join(sorted(known))}")
        args: list[Any] = []
        kwargs: list[tuple[str, Any]] = []
        if self.peek()[1] == "(":
            self.take("(")
            while self.peek()[1] != ")":
                kind, value, at = self.take()
                if kind == "name" and self.peek()[1] == "=":
                    self.take("=")
                    kwargs.append((value, self.value(*self.take())))
                else:
                    args.append(self.value(kind, value, at))
                if self.peek()[1] != ")":
                    self.take(",")
            self.take(")")
        call = _Call(name, tuple(args), tuple(kwargs))
        self._check_arity(call, pos, what == "function")
        return call

    def value(self, kind: str, value: str, pos: int) -> Any:
        if kind == "num":
            return int(value)
        if kind == "str":
            return _unquote(value)
        if kind == "name" and value in ("true", "false"):
            return value == "true"
        self.fail(pos, f"expected a number or a quoted text, found {value or 'the end'!r}")
        return None

    def _check_arity(self, call: _Call, pos: int, head: bool) -> None:
        if call.name in ("postfix", "len") and (head or call.name == "len"):
            if call.name == "len" and (
                (call.args[:1] and call.args[0] not in _LENGTH) or call.kwargs or len(call.args) > 2
            ):
                self.fail(pos, f"len takes a relation ({', '.join(_LENGTH)}) and a number")
            return
        try:  # a dry run on an empty paper tells a wrong argument list
            if head:
                FUNCTIONS[call.name]({}, *call.args, **dict(call.kwargs))
            else:
                FILTERS[call.name]("a b", *call.args, **dict(call.kwargs))
        except (TypeError, ValueError) as exc:
            self.fail(pos, f"{call.name}: {exc}")

    def _postfix(self, call: _Call, pos: int) -> Postfix:
        values = dict(zip(("template", "start"), call.args, strict=False)) | dict(call.kwargs)
        template, start = values.get("template", "%(a)s"), values.get("start", 0)
        marks = sum(str(template).count(m) for m in ("%(a)s", "%(A)s", "%(n)s"))
        if not isinstance(template, str) or marks != 1 or start not in (0, 1):
            self.fail(pos, "postfix needs exactly one of %(a)s, %(A)s, %(n)s and start 0 or 1")
        if _UNSAFE.search(template.replace("%(a)s", "").replace("%(A)s", "").replace("%(n)s", "")):
            self.fail(pos, f"postfix {template!r} holds a character keys cannot have")
        return Postfix(template, int(start))


def _unquote(token: str) -> str:
    return re.sub(r"\\(.)", r"\1", token[1:-1])
