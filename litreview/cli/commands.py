"""The commands behind :mod:`litreview.cli`: each takes the parsed arguments, calls the
library and prints; errors are raised and turned into one line by ``cli.main``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd

from litreview._files import write_atomic
from litreview.report.loading import Loaded, is_review_file, load
from litreview.review.store.connection import SUFFIX
from litreview.schema import DECISIONS

READ_FORMATS = ("table", "csv", "json")
DECISION_CHOICES = DECISIONS
TITLE_WIDTH = 90
T = TypeVar("T")


class UsageError(ValueError):
    """Arguments that make no sense together (exit status 2)."""


def progress(items: Iterable[T], desc: str, total: int | None = None) -> Iterable[T]:
    """A tqdm bar on stderr when it is a terminal; the plain iterable otherwise."""
    if not sys.stderr.isatty():
        return items
    from tqdm import tqdm

    return tqdm(items, desc=desc, total=total, unit="file", leave=False, file=sys.stderr)


def _err(text: str) -> None:
    print(text, file=sys.stderr)


def _load(args: argparse.Namespace) -> Loaded:
    """The ``source`` (or ``sources``) of a command that reads."""
    return load(
        getattr(args, "sources", None) or args.source,
        reviewer=getattr(args, "reviewer", None),
        progress=lambda items: progress(items, "reading"),
    )


def _existing_review(path_text: str) -> Path:
    path = Path(path_text)
    if not path.exists():
        raise FileNotFoundError(
            f"{path}: no such review; create it with `litreview add {path} LISTING`"
        )
    if not is_review_file(path):
        raise ValueError(f"{path}: not a review file (expected a {SUFFIX} file)")
    return path


# ------------------------------------------------------------------------ read


def cmd_read(args: argparse.Namespace) -> int:
    out = Path(args.output) if args.output else None
    fmt = args.format or _format_of(out)
    if out is not None and not args.overwrite and out.exists():
        raise FileExistsError(f"{out} already exists; pass --overwrite to replace it")
    for name in args.listings:
        if is_review_file(name):
            raise UsageError(f"{name} is a review file; `read` takes listings (try `stats`)")
    papers = load(args.listings, progress=lambda items: progress(items, "reading")).papers
    papers = papers.drop(columns=[c for c in papers.columns if c in REVIEW_ONLY])
    text = _format_papers(papers, fmt)
    if out is None:
        sys.stdout.write(text)
    else:
        write_atomic(out, text, overwrite=args.overwrite)
        _err(f"wrote {len(papers):,} papers to {out}")
    return 0


REVIEW_ONLY = ("decision", "reason", "tags", "note", "rating", "decided_by", "decided_at")


def _format_of(out: Path | None) -> str:
    if out is None:
        return "table"
    suffix = out.suffix.lower()
    if suffix in (".csv", ".json"):
        return suffix[1:]
    if suffix in (".txt", ""):
        return "table"
    raise UsageError(
        f"cannot tell the format of {out} from its suffix; give --format csv, json or table "
        "(for .bib, .ris or .md use `litreview export`)"
    )


def _format_papers(papers: pd.DataFrame, fmt: str) -> str:
    if fmt == "csv":
        from litreview.writers import to_csv

        return to_csv(papers)
    if fmt == "json":
        return papers.to_json(orient="records", date_format="iso", force_ascii=False, indent=2)
    return _table(papers, ["paper_id", "published", "upvotes", "title"])


def _table(df: pd.DataFrame, columns: list[str]) -> str:
    """A plain-text table, titles shortened to fit; empty tables say so."""
    if df.empty:
        return "(no papers)\n"
    view = pd.DataFrame(index=df.index)
    for col in columns:
        values: pd.Series = df[col] if col in df else pd.Series("", index=df.index)
        if col == "published":
            values = pd.to_datetime(values).dt.strftime("%Y-%m-%d")
        elif col == "score":
            values = values.map(lambda s: f"{s:.3f}")
        elif col == "title":
            values = values.fillna("").map(_short)
        view[col] = values.astype(object).where(values.notna(), "")
    cells = {c: [str(v) for v in view[c]] for c in columns}
    width = {c: max([len(c), *map(len, cells[c])]) for c in columns}
    right = {c for c in columns if c in NUMERIC}

    def line(values: list[str]) -> str:
        parts = [
            v.rjust(width[c]) if c in right else v.ljust(width[c])
            for c, v in zip(columns, values, strict=True)
        ]
        return "  ".join(parts).rstrip()

    rows = [line(list(columns))] + [line([cells[c][i] for c in columns]) for i in range(len(view))]
    return "\n".join(rows) + "\n"


NUMERIC = ("rank", "score", "upvotes", "comments", "n_authors")


# ------------------------------------------------------------------------ search


def cmd_search(args: argparse.Namespace) -> int:
    from litreview.query.filters import search

    loaded = _load(args)
    hits = search(loaded.papers, args.query, limit=args.limit)
    hits.insert(0, "rank", range(1, len(hits) + 1))
    columns = ["rank", "score", "paper_id", "published", "title"]
    if loaded.is_review:
        columns.insert(4, "decision")
    sys.stdout.write(_table(hits, columns))
    return 0


# ------------------------------------------------------------------------ add / annotate


def cmd_add(args: argparse.Namespace) -> int:
    from litreview.review.core import Review

    path = Path(args.review)
    if not path.exists() and path.suffix.lower() != SUFFIX:
        raise UsageError(f"a new review file must end in {SUFFIX}, got {path}")
    missing = [name for name in args.listings if not Path(name).is_file()]
    if missing:
        raise FileNotFoundError(f"{missing[0]}: no such listing")
    for name in args.listings:
        if is_review_file(name):
            raise UsageError(f"{name} is a review file; give listings after REVIEW")
    with Review.open(path, reviewer=args.reviewer) as review:
        for name in progress(args.listings, "adding"):
            print(review.add(name))
        print(f"{path}: {len(review):,} papers")
    return 0


def cmd_annotate(args: argparse.Namespace) -> int:
    from litreview.review.core import Review

    fields: dict[str, Any] = {
        "decision": args.decision,
        "reason": args.reason,
        "add_tags": args.tag,
        "remove_tags": args.untag,
        "note": args.note,
        "rating": args.rating,
    }
    given = {k: v for k, v in fields.items() if v is not None}
    if not given:
        raise UsageError(
            "nothing to change: give --decision, --reason, --tag, --untag, --note or --rating"
        )
    path = _existing_review(args.review)
    with Review.open(path, reviewer=args.reviewer) as review:
        review.annotate(args.paper_ids, **given)
        who = review.reviewer
    what = ", ".join(f"{k}={v!r}" for k, v in given.items())
    n = len(args.paper_ids)
    print(f"annotated {n} paper{'s' if n != 1 else ''} as {who}: {what}")
    return 0


# ------------------------------------------------------------------------ export / stats


def cmd_export(args: argparse.Namespace) -> int:
    from litreview.query.filters import search
    from litreview.writers import export

    loaded = _load(args)
    if args.decision and not loaded.is_review:
        raise UsageError(
            f"{args.source} is a listing: it has no decisions; --decision needs a review file "
            f"(create one with `litreview add REVIEW{SUFFIX} {args.source}`)"
        )
    papers = loaded.papers
    if args.query or args.decision:
        papers = search(papers, args.query, decision=args.decision).drop(columns="score")
    if not loaded.is_review:
        papers = papers.drop(columns=[c for c in papers.columns if c in REVIEW_ONLY])
    options = {"format": "excel"} if args.excel else {}
    if args.excel and Path(args.output).suffix.lower() != ".csv":
        raise UsageError(
            f"--excel writes CSV: give an output file ending in .csv, not {args.output}"
        )
    written = export(papers, args.output, overwrite=args.overwrite, **options)
    _err(f"wrote {len(papers):,} papers to {written}")
    return 0


def cmd_duplicates(args: argparse.Namespace) -> int:
    from litreview.readers.fuzzy_merge import near_duplicates

    loaded = _load(args)
    pairs = near_duplicates(loaded.papers, threshold=args.threshold)
    if pairs.empty:
        print(f"no near-duplicate titles at {args.threshold:g}% ({len(loaded.papers):,} papers)")
        return 0
    lines = []
    for pair in pairs.head(args.limit).to_dict("records"):
        lines += [
            f"{pair['score']:5.1f}  {pair['why']}",
            f"       {pair['paper_id']}  {_short(str(pair['title']))}",
            f"       {pair['other_id']}  {_short(str(pair['other_title']))}",
        ]
    shown = min(len(pairs), args.limit)
    lines.append(
        f"{len(pairs):,} pair{'s' if len(pairs) != 1 else ''} at {args.threshold:g}%"
        + (f", {shown} shown (--limit)" if shown < len(pairs) else "")
        + "; merge the ones you confirm with litreview.merge_near_duplicates(papers, pairs)"
    )
    print("\n".join(lines))
    return 0


def _short(title: str) -> str:
    return title if len(title) <= TITLE_WIDTH else title[: TITLE_WIDTH - 1] + "…"


def cmd_stats(args: argparse.Namespace) -> int:
    from litreview.charts import term_weights

    loaded = _load(args)
    papers = loaded.papers
    dates = papers["published"].dropna()
    lines = [
        f"source:      {loaded.name}{' (review)' if loaded.is_review else ''}",
        f"papers:      {len(papers):,}",
        "published:   "
        + (f"{dates.min():%Y-%m-%d} to {dates.max():%Y-%m-%d}" if len(dates) else "no dates")
        + (f" ({len(papers) - len(dates):,} without a date)" if len(dates) < len(papers) else ""),
        f"with code:   {int(papers['code_urls'].map(len).gt(0).sum()):,}",
        f"with arXiv:  {int(papers['arxiv_id'].notna().sum()):,}",
        "",
        "imports:" if loaded.is_review else "listings:",
    ]
    for source, n in zip(loaded.imports["source"], loaded.imports["n_records"], strict=True):
        lines.append(f"  {source}: {int(n):,} records")
    counts = papers["decision"].astype(str).value_counts().reindex(list(DECISIONS), fill_value=0)
    lines += ["", "decisions:"] + [f"  {d:<11}{int(n):,}" for d, n in counts.items()]
    tags = papers["tags"].explode().dropna()
    if len(tags):
        top = tags.value_counts().head(10)
        lines += ["", "tags:"] + [f"  {t}: {int(n):,}" for t, n in top.items()]
    if len(papers):
        terms = term_weights(papers, args.terms)
        lines += ["", f"top terms (of {len(papers):,} titles and abstracts):"]
        lines += [
            f"  {term:<24}{int(k):>6,} papers"
            for term, k in zip(terms["term"], terms["papers"], strict=True)
        ]
    print("\n".join(lines))
    return 0


# ------------------------------------------------------------------------ render (app: cli_app)


def cmd_render(args: argparse.Namespace) -> int:
    from litreview.report.html import render

    source = Path(args.source)
    if not source.exists():
        raise FileNotFoundError(f"{source}: no such file")
    bar = None
    on_cell = None
    if source.suffix.lower() == ".ipynb" and sys.stderr.isatty():
        from tqdm import tqdm

        bar = tqdm(desc="executing", unit="cell", leave=False, file=sys.stderr)

        def on_cell(done: int, total: int) -> None:
            assert bar is not None
            bar.total = total
            bar.update(done - bar.n)

    try:
        out = render(
            source,
            args.output,
            overwrite=args.overwrite,
            title=args.title,
            reviewer=args.reviewer,
            timeout=args.timeout,
            on_cell=on_cell,
            allow_errors=args.allow_errors,
        )
    finally:
        if bar is not None:
            bar.close()
    size = out.stat().st_size
    print(f"wrote {out} ({size / 1e6:.1f} MB, works offline)")
    return 0
