"""Evaluate a query AST to a boolean mask over the rows of a DataFrame.

Paper text (title, abstract, organization, authors) is looked up in a
:class:`~litreview.query.index.SearchIndex`; everything else (decision,
tags, note, reason, rating, counts, dates, links, the review's ``stage``,
``fulltext_decision``/``not_retrieved`` and extraction field columns) is read from
the DataFrame at query time, so annotation changes never need a new index.

A table without a ``stage`` or full-text column is read like a plain listing with
``decision:``: every paper at ``stage:title``, nothing at ``stage:fulltext`` or
``fulltext:...``. ``field:NAME:...`` on a table without column ``NAME`` raises
:class:`~litreview.errors.QueryError` (a misspelt field must not silently match
nothing); so does a value the column cannot hold (a word for a number field).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from litreview._text import fold
from litreview.errors import QueryError
from litreview.query.index import SearchIndex
from litreview.query.language import (
    NUMBER_FIELDS,
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
    field_number,
    text_node,
)

#: Text fields read from the DataFrame -> their column.
META_COLUMNS = {"org": "organization", "author": "authors", "reason": "reason", "note": "note"}


@dataclass
class Evaluation:
    """The rows a query matches and the term ranges that score them."""

    mask: np.ndarray
    score_ranges: list[tuple[int, int]] = field(default_factory=list)
    #: index position of each row (None: the rows are the indexed papers, in order)
    where: np.ndarray | None = None


def evaluate(node: Node, df: pd.DataFrame, index: SearchIndex, query: str = "") -> Evaluation:
    """Rows of ``df`` matching ``node`` (``index`` must hold every paper of ``df``);
    ``query`` (the text parsed) is quoted in a QueryError about a field's column."""
    ev = _Evaluator(df, index, query)
    return Evaluation(ev.eval(node, negated=False), ev.score_ranges, ev.where)


class _Evaluator:
    def __init__(self, df: pd.DataFrame, index: SearchIndex, query: str = "") -> None:
        self.query = query
        self.df = df
        self.index = index
        self.where = index.align(df)
        self.n = len(df)
        self.score_ranges: list[tuple[int, int]] = []
        self._cache: dict[str, Any] = {}

    def eval(self, node: Node, negated: bool) -> np.ndarray:
        if isinstance(node, And):
            out = self.eval(node.children[0], negated)
            for child in node.children[1:]:
                out = out & self.eval(child, negated)  # never in place: leaves may be views
            return out
        if isinstance(node, Or):
            out = self.eval(node.children[0], negated)
            for child in node.children[1:]:
                out = out | self.eval(child, negated)
            return out
        if isinstance(node, Not):
            return ~self.eval(node.child, not negated)
        if isinstance(node, All):
            return np.ones(self.n, dtype=bool)
        if isinstance(node, Word | Phrase):
            return self.text(node, negated)
        if isinstance(node, Range):
            return self.range(node)
        if isinstance(node, DecisionIs):
            return self.decision(node.value)
        if isinstance(node, Tag):
            return self.tags(node.value)
        if isinstance(node, Has):
            return self.has(node.what)
        if isinstance(node, StageIs):
            return self.stage(node.value)
        if isinstance(node, FulltextIs):
            return self.fulltext(node.value)
        if isinstance(node, FieldIs):
            return self.field(node)
        raise TypeError(f"not a query node: {node!r}")

    # ------------------------------------------------------------ text

    def _to_rows(self, docs: np.ndarray) -> np.ndarray:
        hit = np.zeros(len(self.index), dtype=bool)
        hit[docs] = True
        return hit if self.where is None else hit[self.where]

    def text(self, node: Word | Phrase, negated: bool) -> np.ndarray:
        if node.field not in (None, "title", "abstract"):
            return self.meta_text(node)
        idx = self.index
        if isinstance(node, Word):
            ranges = [idx.term_range(p, exact=node.exact) for p in node.prefixes]
            docs = np.concatenate([idx.docs(lo, hi, node.field) for lo, hi in ranges])
        else:
            ranges = [idx.term_range(w, exact=True) for w in node.words]
            docs = idx.phrase_docs(ranges, node.field)
        if not negated:
            self.score_ranges.extend(ranges)
        return self._to_rows(docs)

    def meta_text(self, node: Word | Phrase) -> np.ndarray:
        column = META_COLUMNS[str(node.field)]
        if column not in self.df:
            return np.zeros(self.n, dtype=bool)
        values = self.index.folded(column, self.df[column].tolist())
        return _regex_mask(values, text_regex(node))

    # ------------------------------------------------------------ other fields

    def range(self, node: Range) -> np.ndarray:
        lo, hi = node.lo, node.hi
        if node.field in ("published", "year"):
            values, valid = self._dates()
            if node.field == "year":  # compare dates with 1 January (no calendar math per row)
                lo = None if lo is None else _year_start_us(int(lo))
                hi = None if hi is None else _year_start_us(int(hi))
        else:
            values, valid = self._numbers(NUMBER_FIELDS[node.field])
        out = valid
        if lo is not None:
            out = out & (values >= lo)
        if hi is not None:
            out = out & (values < hi)
        return out

    def _dates(self) -> tuple[np.ndarray, np.ndarray]:
        if "dates" not in self._cache:
            if "published" in self.df:
                raw = pd.to_datetime(self.df["published"]).to_numpy(dtype="datetime64[us]")
                valid = ~np.isnat(raw)
                self._cache["dates"] = (raw.astype(np.int64), valid)
            else:
                self._cache["dates"] = (np.zeros(self.n, np.int64), np.zeros(self.n, bool))
        result: tuple[np.ndarray, np.ndarray] = self._cache["dates"]
        return result

    def _numbers(self, column: str) -> tuple[np.ndarray, np.ndarray]:
        if column not in self.df:
            return np.zeros(self.n), np.zeros(self.n, dtype=bool)
        values = pd.to_numeric(self.df[column], errors="coerce").to_numpy(
            dtype="float64", na_value=np.nan
        )
        return values, ~np.isnan(values)

    def decision(self, value: str) -> np.ndarray:
        if "decision" not in self.df:
            return np.full(self.n, value == "unscreened")
        col = self.df["decision"]
        if isinstance(col.dtype, pd.CategoricalDtype):
            codes = col.cat.codes.to_numpy()
            cats = [str(c) for c in col.cat.categories]
            out = codes == cats.index(value) if value in cats else np.zeros(self.n, dtype=bool)
            return out | (codes == -1) if value == "unscreened" else out
        values = col.astype(object).where(col.notna(), "unscreened").to_numpy()
        return np.asarray(values == value, dtype=bool)

    def _lists(self, column: str) -> list[Any]:
        if column not in self.df:
            return [()] * self.n
        return self.df[column].tolist()

    def tags(self, value: str) -> np.ndarray:
        return np.fromiter(
            (
                bool(t) and any(fold(str(x)).strip() == value for x in t)
                for t in self._lists("tags")
            ),
            dtype=bool,
            count=self.n,
        )

    def has(self, what: str) -> np.ndarray:
        if what in ("code", "tags"):
            lists = self._lists("code_urls" if what == "code" else "tags")
            try:  # the schema keeps a list in every cell: len() is enough
                return np.fromiter(map(len, lists), dtype=np.int64, count=self.n) > 0
            except TypeError:
                return np.fromiter(map(_nonempty_list, lists), dtype=bool, count=self.n)
        column = {"arxiv": "arxiv_id", "org": "organization"}.get(what, what)
        if column not in self.df:
            return np.zeros(self.n, dtype=bool)
        col = self.df[column]
        out = col.notna().to_numpy(dtype=bool)
        if col.dtype == object or isinstance(col.dtype, pd.StringDtype):
            return out & col.astype("string").str.strip().ne("").fillna(False).to_numpy(dtype=bool)
        return out

    # ------------------------------------------------------------ the review's stages

    def _at_fulltext(self) -> np.ndarray:
        if "stage" in self.df:
            return self.df["stage"].astype("string").eq("fulltext").fillna(False).to_numpy(bool)
        if "fulltext_decision" in self.df:
            return self.df["fulltext_decision"].notna().to_numpy(dtype=bool)
        return np.zeros(self.n, dtype=bool)

    def stage(self, value: str) -> np.ndarray:
        at_fulltext = self._at_fulltext()
        return at_fulltext if value == "fulltext" else ~at_fulltext

    def fulltext(self, value: str) -> np.ndarray:
        at = self._at_fulltext()
        missing = self._flag("not_retrieved")
        if value == "not-retrieved":
            return at & missing
        if value == "retrieved":
            location = self.df.get("fulltext_location")
            found = np.zeros(self.n, bool) if location is None else location.notna().to_numpy(bool)
            return at & found & ~missing
        if "fulltext_decision" not in self.df:
            decided = np.full(self.n, "unscreened", dtype=object)
        else:
            col = self.df["fulltext_decision"].astype(object)
            decided = col.where(col.notna(), "unscreened").to_numpy()
        if value == "awaiting":
            return at & ~missing & np.isin(decided, ["unscreened", "maybe"])
        return at & np.asarray(decided == value, dtype=bool)

    def _flag(self, column: str) -> np.ndarray:
        if column not in self.df:
            return np.zeros(self.n, dtype=bool)
        return self.df[column].astype("boolean").fillna(False).to_numpy(dtype=bool)

    # ------------------------------------------------------------ extraction fields

    def field(self, node: FieldIs) -> np.ndarray:
        if node.name not in self.df:
            raise QueryError(
                f"no extraction field {node.name!r} in this table (a review's fields are "
                "columns of review.papers; define one with review.define_field)",
                self.query,
                node.pos,
            )
        col = self.df[node.name]
        if node.text.strip() == "*" and not node.quoted:  # any value (blank text is none)
            blank = col.astype("string").str.strip().eq("") if col.dtype.kind == "O" else False
            return (col.notna() & ~blank).fillna(False).to_numpy(dtype=bool)
        kind = col.dtype.kind if not isinstance(col.dtype, pd.CategoricalDtype) else "O"
        if col.dtype == "boolean" or kind == "b":
            wanted = node.text.strip().lower()
            if wanted not in ("yes", "no", "true", "false"):
                raise self._wrong(node, "yes or no")
            return col.astype("boolean").eq(wanted in ("yes", "true")).fillna(False).to_numpy(bool)
        if kind in "iuf":
            bounds = field_number(node.text)
            if bounds is None or node.quoted:
                raise self._wrong(node, f"a number or a range like field:{node.name}:10..20")
            values = pd.to_numeric(col, errors="coerce").to_numpy("float64", na_value=np.nan)
            lo, hi, lo_in, hi_in = bounds
            out = ~np.isnan(values)
            if lo is not None:
                out &= (values >= lo) if lo_in else (values > lo)
            if hi is not None:
                out &= (values <= hi) if hi_in else (values < hi)
            return out
        if isinstance(col.dtype, pd.CategoricalDtype):
            options = {fold(str(c)): c for c in col.cat.categories}
            wanted_option = options.get(fold(node.text.strip()))
            if wanted_option is None:
                raise self._wrong(node, "one of " + ", ".join(map(str, col.cat.categories)))
            return col.eq(wanted_option).fillna(False).to_numpy(dtype=bool)
        words = text_node(None, node.text, node.vpos, quoted=node.quoted, query=self.query)
        assert isinstance(words, Word | Phrase)
        pattern = text_regex(words)
        values = np.array(
            [fold(v) if isinstance(v, str) else "" for v in col.tolist()], dtype=object
        )
        return _regex_mask(values, pattern)

    def _wrong(self, node: FieldIs, expected: str) -> QueryError:
        return QueryError(
            f"field {node.name!r} holds {expected}; got {node.text!r}", self.query, node.vpos
        )


def _year_start_us(year: int) -> int:
    """1 January of ``year`` in µs since the epoch (the unit of ``published``), clamped to
    the years 1-9999 (a date outside is never stored).

    >>> _year_start_us(1970), _year_start_us(1500) < 0, _year_start_us(10**6) == 2**63 - 1
    (0, True, True)
    """
    if year < 1:
        return int(np.iinfo(np.int64).min)
    if year > 9999:
        return int(np.iinfo(np.int64).max)
    return int(np.datetime64(f"{year:04d}-01-01", "us").astype(np.int64))


def _nonempty_list(value: Any) -> bool:
    return (type(value) is list and len(value) > 0) or (
        isinstance(value, tuple | np.ndarray) and len(value) > 0
    )


def text_regex(node: Word | Phrase) -> re.Pattern[str]:
    """The regular expression over folded text equivalent to a Word or Phrase."""
    if isinstance(node, Phrase):
        body = r"\W+".join(re.escape(w) for w in node.words) + r"(?!\w)"
    elif node.exact:
        body = re.escape(node.prefixes[0]) + r"(?!\w)"
    else:
        body = "(?:" + "|".join(re.escape(p) for p in node.prefixes) + ")"
    return re.compile(r"(?<!\w)" + body)


def _regex_mask(values: np.ndarray, pattern: re.Pattern[str]) -> np.ndarray:
    search = pattern.search
    return np.fromiter(
        (bool(v) and search(v) is not None for v in values), dtype=bool, count=len(values)
    )
