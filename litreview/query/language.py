"""The search query language: text -> tokens -> AST (pure, no data needed).

    >>> [type(n).__name__ for n in parse('vision "linear attention" -survey year:>=2023').children]
    ['Word', 'Phrase', 'Not', 'Range']

Grammar (operators are upper-case; lower-case ``or``/``not`` are plain words)::

    query   := or? EOF                       empty query matches everything
    or      := and ("OR" and)*
    and     := unary ("AND"? unary)*
    unary   := ("NOT" | "-") unary | primary
    primary := "(" or ")" | WORD | "PHRASE" | FIELD ":" value | "field:" NAME ":" value

A malformed query raises :class:`~litreview.errors.QueryError` with the
0-based position and what was expected there. :mod:`litreview.query.filters`
evaluates the AST.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from litreview._text import fold, words
from litreview.errors import QueryError
from litreview.query.ast import (
    All,
    And,
    DecisionIs,
    FieldIs,
    FulltextIs,
    Has,
    Node,
    Not,
    Or,
    Phrase,
    Range,
    StageIs,
    Tag,
    Word,
)
from litreview.query.ranges import date_range, number_range
from litreview.schema import DECISIONS

__all__ = [
    "FIELDS",
    "All",
    "And",
    "DecisionIs",
    "FieldIs",
    "FulltextIs",
    "Has",
    "Node",
    "Not",
    "Or",
    "Phrase",
    "QueryError",
    "Range",
    "StageIs",
    "Tag",
    "Word",
    "field_number",
    "parse",
    "tokenize",
    "uses",
    "word_prefixes",
]

#: Fields matched as words in paper text (indexed).
TEXT_FIELDS = ("title", "abstract")
#: Fields matched as words in other text (evaluated on the DataFrame at query time).
META_TEXT_FIELDS = ("org", "author", "reason", "note")
#: Numeric range fields -> the column they read.
NUMBER_FIELDS = {"year": "published", "authors": "n_authors", "comments": "comments",
                 "upvotes": "upvotes", "rating": "rating"}  # fmt: skip
DATE_FIELDS = ("published",)
HAS_VALUES = ("code", "arxiv", "note", "tags", "reason", "rating", "org", "url", "upvotes")
#: The review's team fields: ``stage:``, ``fulltext:`` and ``field:NAME:VALUE``.
STAGE_VALUES = ("title", "fulltext")
FULLTEXT_VALUES = (*DECISIONS, "retrieved", "not-retrieved", "awaiting")
TEAM_FIELDS = ("stage", "fulltext", "field")
FIELDS = (*TEXT_FIELDS, *META_TEXT_FIELDS, "tag", "decision", *NUMBER_FIELDS, *DATE_FIELDS, "has",
          *TEAM_FIELDS)  # fmt: skip
#: Accepted spellings of field names.
FIELD_ALIASES = {"tags": "tag", "organization": "org", "date": "published", "n_authors": "authors",
                 "full-text": "fulltext", "full_text": "fulltext", "fields": "field"}  # fmt: skip
_VALUE_ALIASES = {"full-text": "fulltext", "full_text": "fulltext", "title-abstract": "title",
                  "abstract": "title", "not_retrieved": "not-retrieved",
                  "notretrieved": "not-retrieved"}  # fmt: skip
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
#: Query words shorter than this match whole words only ("ai", "3d"); longer ones are prefixes.
MIN_PREFIX = 3

_EXPECT_TERM = 'a word, a "phrase", a field like title:..., NOT, - or ('
_SPECIAL = '()"'


# ---------------------------------------------------------------- words


def word_prefixes(word: str) -> tuple[str, ...]:
    """The prefixes a folded query word matches: the word with English plural
    endings folded, so "transformers" and "transformer" both find "Transformer-based".

    >>> word_prefixes("transformers"), word_prefixes("studies"), word_prefixes("processes")
    (('transformer',), ('study', 'studie'), ('process',))
    """
    if len(word) <= MIN_PREFIX or not word.isalpha():
        return (word,)
    if word.endswith("ies") and len(word) > 4:
        return (word[:-3] + "y", word[:-3] + "ie")
    if word.endswith(("sses", "xes", "ches", "shes", "zes")):
        return (word[:-2],)
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return (word[:-1],)
    return (word,)


def text_node(field: str | None, text: str, pos: int, *, quoted: bool, query: str) -> Node:
    """A Word (one bare word) or Phrase (quoted, or a word with inner punctuation)."""
    pieces = tuple(words(text))
    if not pieces:
        what = "words inside the quotes" if quoted else "a word with letters or digits"
        raise QueryError(f"expected {what}, found {text!r}", query, pos)
    if quoted or len(pieces) > 1:
        return Phrase(field, text, pieces, pos)
    word = pieces[0]
    exact = len(word) < MIN_PREFIX
    return Word(field, text, (word,) if exact else word_prefixes(word), exact, pos)


# ---------------------------------------------------------------- lexer


@dataclass(frozen=True)
class Token:
    kind: str  # WORD PHRASE FIELD LPAREN RPAREN OR AND NOT MINUS EOF
    text: str
    pos: int
    field: str = ""  # FIELD: the canonical field name; text is the raw value


def tokenize(query: str) -> list[Token]:
    """Split a query into tokens; raises QueryError on an unclosed quote or unknown field."""
    tokens: list[Token] = []
    i, n = 0, len(query)
    while i < n:
        ch = query[i]
        if ch.isspace():
            i += 1
        elif ch == "(":
            tokens.append(Token("LPAREN", ch, i))
            i += 1
        elif ch == ")":
            tokens.append(Token("RPAREN", ch, i))
            i += 1
        elif ch == '"':
            text, i = _quoted(query, i)
            tokens.append(Token("PHRASE", text, i - len(text) - 2))
        elif ch == "-" and i + 1 < n and not query[i + 1].isspace():
            tokens.append(Token("MINUS", ch, i))
            i += 1
        else:
            start = i
            while i < n and not query[i].isspace() and query[i] not in _SPECIAL:
                i += 1
            raw = query[start:i]
            if raw in ("OR", "AND", "NOT"):
                tokens.append(Token(raw, raw, start))
            elif ":" in raw:
                i = _field(query, tokens, raw, start, i)
            else:
                tokens.append(Token("WORD", raw, start))
    tokens.append(Token("EOF", "", n))
    return tokens


def _quoted(query: str, start: int) -> tuple[str, int]:
    end = query.find('"', start + 1)
    if end < 0:
        raise QueryError('unclosed quote: expected a closing "', query, start)
    return query[start + 1 : end], end + 1


def _field(query: str, tokens: list[Token], raw: str, start: int, i: int) -> int:
    name, _, value = raw.partition(":")
    field = FIELD_ALIASES.get(name.lower(), name.lower())
    if field not in FIELDS:
        raise QueryError(
            f"unknown field {name!r}: expected one of {', '.join(FIELDS)} "
            '(put words containing ":" in quotes)',
            query,
            start,
        )
    if field == "field" and value.endswith(":") and i < len(query) and query[i] == '"':
        quoted, i = _quoted(query, i)  # field:NAME:"several words"
        tokens.append(Token("FIELD", value + quoted, start, field))
    elif not value and i < len(query) and query[i] == '"':
        value, i = _quoted(query, i)
        tokens.append(Token("FIELD", value, start, field))
    elif not value and i < len(query) and query[i] == "(":
        tokens.append(Token("FIELD", "", start, field))  # field:(group)
    elif not value:
        raise QueryError(f"expected a value after {name}:", query, start + len(name) + 1)
    else:
        tokens.append(Token("FIELD", value, start, field))
    return i


# ---------------------------------------------------------------- parser


def parse(query: str) -> Node:
    """Parse ``query`` into an AST; raise QueryError (position, expected) when malformed.

    >>> parse("")
    All()
    >>> parse("vit OR deit").__class__.__name__
    'Or'
    """
    return _Parser(query).parse()


class _Parser:
    def __init__(self, query: str) -> None:
        self.query = query
        self.tokens = tokenize(query)
        self.i = 0
        self.field: str | None = None  # set inside title:( ... )

    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def error(self, expected: str, tok: Token | None = None) -> QueryError:
        tok = tok or self.tok
        found = "the end of the query" if tok.kind == "EOF" else repr(tok.text)
        return QueryError(f"expected {expected}, found {found}", self.query, tok.pos)

    def parse(self) -> Node:
        if self.tok.kind == "EOF":
            return All()
        node = self.or_()
        if self.tok.kind == "RPAREN":
            raise self.error("an operator or a term (this ')' has no matching '(')")
        return node

    def or_(self) -> Node:
        children = [self.and_()]
        while self.tok.kind == "OR":
            self.i += 1
            children.append(self.and_())
        return children[0] if len(children) == 1 else Or(tuple(children))

    def and_(self) -> Node:
        children = [self.unary()]
        while self.tok.kind not in ("OR", "RPAREN", "EOF"):
            if self.tok.kind == "AND":
                self.i += 1
            children.append(self.unary())
        return children[0] if len(children) == 1 else And(tuple(children))

    def unary(self) -> Node:
        if self.tok.kind in ("NOT", "MINUS"):
            self.i += 1
            return Not(self.unary())
        return self.primary()

    def primary(self) -> Node:
        tok = self.tok
        if tok.kind == "LPAREN":
            return self.group(tok)
        self.i += 1
        if tok.kind == "WORD":
            return text_node(self.field, tok.text, tok.pos, quoted=False, query=self.query)
        if tok.kind == "PHRASE":
            return text_node(self.field, tok.text, tok.pos, quoted=True, query=self.query)
        if tok.kind == "FIELD":
            return self.field_value(tok)
        self.i -= 1
        raise self.error(_EXPECT_TERM)

    def group(self, open_tok: Token) -> Node:
        self.i += 1
        if self.tok.kind == "RPAREN":
            raise self.error("a term inside the parentheses")
        node = self.or_()
        if self.tok.kind != "RPAREN":
            raise self.error(f"')' to close the '(' at position {open_tok.pos}")
        self.i += 1
        return node

    def field_value(self, tok: Token) -> Node:
        field, value, q = tok.field, tok.text, self.query
        if not value:  # title:( ... )
            if field not in TEXT_FIELDS + META_TEXT_FIELDS:
                raise QueryError(f"expected a value after {field}:", q, tok.pos)
            outer, self.field = self.field, field
            try:
                return self.group(self.tok)
            finally:
                self.field = outer
        vpos = tok.pos + q[tok.pos :].index(":") + 1
        quoted = vpos < len(q) and q[vpos] == '"'
        if field in TEXT_FIELDS + META_TEXT_FIELDS:
            return text_node(field, value, vpos + quoted, quoted=quoted, query=q)
        if field == "tag":
            return Tag(fold(value.strip()), vpos)
        if field == "decision":
            if value.lower() not in DECISIONS:
                raise QueryError(f"expected a decision ({', '.join(DECISIONS)})", q, vpos)
            return DecisionIs(value.lower(), vpos)
        if field == "stage":
            stage = _VALUE_ALIASES.get(value.lower(), value.lower())
            if stage not in STAGE_VALUES:
                raise QueryError(f"expected stage:{' or stage:'.join(STAGE_VALUES)}", q, vpos)
            return StageIs(stage, vpos)
        if field == "fulltext":
            state = _VALUE_ALIASES.get(value.lower(), value.lower())
            if state not in FULLTEXT_VALUES:
                raise QueryError(
                    f"expected fulltext:{' / fulltext:'.join(FULLTEXT_VALUES)}", q, vpos
                )
            return FulltextIs(state, vpos)
        if field == "field":
            return _field_is(tok, value, vpos, q)
        if field == "has":
            what = FIELD_ALIASES.get(value.lower(), value.lower())
            what = "tags" if what == "tag" else what
            if what not in HAS_VALUES:
                raise QueryError(f"expected has:{' / has:'.join(HAS_VALUES)}", q, vpos)
            return Has(what, vpos)
        if field == "published":
            return date_range(field, value, q, vpos)
        if field == "authors" and value[:1].isalpha():
            raise QueryError(
                "expected an author count like authors:>10 (author:NAME searches the names)",
                q,
                vpos,
            )
        return number_range(field, value, q, vpos)


def _field_is(tok: Token, value: str, vpos: int, query: str) -> FieldIs:
    """``field:NAME:VALUE`` (the value may be quoted: ``field:setting:"rural clinic"``)."""
    name, colon, rest = value.partition(":")
    if not colon or not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", name):
        raise QueryError(
            "expected field:NAME:VALUE, like field:sample_size:100.. or field:design:RCT",
            query,
            vpos,
        )
    rpos = vpos + len(name) + 1
    quoted = rpos < len(query) and query[rpos] == '"'
    if not rest.strip():
        raise QueryError(f"expected a value after field:{name}:", query, rpos)
    return FieldIs(name.lower(), rest, quoted, rpos + quoted, tok.pos)


def field_number(text: str) -> tuple[float | None, float | None, bool, bool] | None:
    """``(lo, hi, lo_inclusive, hi_inclusive)`` of a number or range in a field value
    (``100``, ``>=100``, ``<0.5``, ``10..20``, ``100..``, ``..20``: both ends of ``..``
    included), or None when the text is not one.

    >>> field_number("100.."), field_number(">2.5"), field_number("RCT")
    ((100.0, None, True, True), (2.5, None, False, True), None)
    """
    value = text.strip()
    if ".." in value:
        a, _, b = value.partition("..")
        if (a and not _NUMBER.fullmatch(a)) or (b and not _NUMBER.fullmatch(b)) or not (a or b):
            return None
        return (float(a) if a else None, float(b) if b else None, True, True)
    m = re.fullmatch(r"(>=|<=|>|<|=)?(.+)", value)
    if m is None or not _NUMBER.fullmatch(m.group(2)):
        return None
    v, op = float(m.group(2)), m.group(1) or "="
    return {"=": (v, v, True, True), ">": (v, None, False, True), ">=": (v, None, True, True),
            "<": (None, v, True, False), "<=": (None, v, True, True)}[op]  # fmt: skip


def uses(node: Node) -> set[str]:
    """The team fields a query tree uses (``stage``, ``fulltext``, ``field``): what a
    review adds to its table before searching.

    >>> sorted(uses(parse("vision (stage:fulltext OR -field:n:3)")))
    ['field', 'stage']
    """
    if isinstance(node, StageIs):
        return {"stage"}
    if isinstance(node, FulltextIs):
        return {"fulltext"}
    if isinstance(node, FieldIs):
        return {"field"}
    if isinstance(node, Not):
        return uses(node.child)
    if isinstance(node, And | Or):
        return set().union(*(uses(c) for c in node.children))
    return set()
