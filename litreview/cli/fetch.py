"""``litreview fetch``: listings from the web (Hugging Face daily papers and search, arXiv),
written as the API's own answer (so any command reads them back), optionally added to
a review. Nothing is written until every page has arrived."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from litreview.cli._parser import REVIEWER, add_command, positive_int
from litreview.cli.commands import UsageError, err

if TYPE_CHECKING:
    from litreview.cli._parser import Subparsers

NAME = "fetch"
SUMMARY = "fetch a listing from Hugging Face or arXiv into a file (and a review)"
EXAMPLES = (
    "  litreview fetch hf-daily --since 2025-06-01 --until 2025-06-07 -o week.json\n"
    "  litreview fetch hf-daily --week 2025-W23 -o week.json --add review.litreview\n"
    '  litreview fetch hf-search "diffusion transformer" -o hits.json\n'
    "  litreview fetch arxiv 'ti:\"vision transformer\" AND cat:cs.CV' --max 200 -o vit.atom\n"
    "  litreview fetch arxiv --ids 2010.11929 2103.14030 -o two.atom"
)
ENVIRONMENT = (
    "environment: LITREVIEW_OFFLINE=1 (cache only), LITREVIEW_CACHE_DIR, LITREVIEW_HF_API, "
    "LITREVIEW_ARXIV_API, LITREVIEW_RATE_LIMIT=0 (a local server); see docs/web.md"
)


def register(subs: Subparsers) -> None:
    """The ``fetch`` subcommand and its three sources."""
    f = add_command(subs, NAME, SUMMARY, EXAMPLES)
    f.epilog = f"{f.epilog}\n\n{ENVIRONMENT}"
    sources = f.add_subparsers(dest="web_source", metavar="SOURCE", parser_class=type(f))
    sources.required = True
    daily = sources.add_parser(
        "hf-daily", help="Hugging Face daily papers of a day, week, month or range"
    )
    when = daily.add_mutually_exclusive_group(required=True)
    when.add_argument("--date", metavar="YYYY-MM-DD", help="one day")
    when.add_argument("--week", metavar="YYYY-Www", help="an ISO week, e.g. 2025-W23")
    when.add_argument("--month", metavar="YYYY-MM", help="a month, e.g. 2025-06")
    when.add_argument("--since", metavar="YYYY-MM-DD", help="first day of a range (with --until)")
    daily.add_argument(
        "--until", metavar="YYYY-MM-DD", help="last day of the range (default today)"
    )
    search = sources.add_parser("hf-search", help="Hugging Face papers search")
    search.add_argument("query", metavar="QUERY", help="what to search for")
    search.add_argument("--limit", type=positive_int, help="at most this many papers")
    arxiv = sources.add_parser("arxiv", help="an arXiv API search or a list of arXiv ids")
    arxiv.add_argument("query", metavar="QUERY", nargs="?", help="arXiv search_query syntax")
    arxiv.add_argument("--ids", nargs="+", metavar="ID", help="arXiv ids instead of a query")
    arxiv.add_argument("--max", type=positive_int, default=100, help="most results (default 100)")
    arxiv.add_argument(
        "--sort", choices=("relevance", "lastUpdatedDate", "submittedDate"), help="order"
    )
    for sub in (daily, search, arxiv):
        sub.add_argument("-o", "--output", metavar="FILE", help="write the API's answer here")
        sub.add_argument("--overwrite", action="store_true", help="replace an existing FILE")
        sub.add_argument("--add", metavar="REVIEW", help="also add the papers to this review")
        sub.add_argument("--reviewer", **REVIEWER)
        sub.add_argument(
            "--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS
        )


def handle(args: argparse.Namespace) -> int:
    """Fetch, write the file, add to the review if asked, and say what was done."""
    from litreview.web import fetch
    from litreview.web.fetch import hf_json_text
    from litreview.web.hf import daily_papers, search_papers
    from litreview.web.progress import terminal_progress

    if args.output is None and args.add is None:
        raise UsageError("say where the papers go: -o FILE, --add REVIEW, or both")
    if args.output is not None and Path(args.output).exists() and not args.overwrite:
        raise FileExistsError(f"{args.output} exists; pass overwrite=True to replace it")
    with terminal_progress(f"fetch {args.web_source}") as progress:
        if args.web_source == "hf-daily":
            if args.until and not args.since:
                raise UsageError("--until goes with --since")
            items = daily_papers(
                date=args.date, week=args.week, month=args.month, since=args.since,
                until=args.until, progress=progress,
            )  # fmt: skip
            text, fmt = hf_json_text(items), "hf-json"
        elif args.web_source == "hf-search":
            text, fmt = hf_json_text(search_papers(args.query, limit=args.limit)), "hf-json"
        else:
            if (args.query is None) == (args.ids is None):
                raise UsageError("give a QUERY or --ids (one of them)")
            text = fetch.arxiv_feed(
                args.query, ids=args.ids, max_results=args.max, sort_by=args.sort,
                progress=progress,
            )  # fmt: skip
            fmt = "arxiv-atom"
    df = fetch.listing(text, args.output, True, fmt)
    where = f" -> {args.output}" if args.output else ""
    print(f"{args.web_source}: {len(df):,} papers{where}")
    if args.add:
        _add(args, args.output or text)
    return 0


def _add(args: argparse.Namespace, listing: str) -> None:
    """Add the file (or, with no -o, the answer's text) to the review."""
    from litreview.review.core import Review
    from litreview.review.store.connection import SUFFIX

    path = Path(args.add)
    if not path.exists() and path.suffix.lower() != SUFFIX:
        raise UsageError(f"a new review file must end in {SUFFIX}, got {path}")
    with Review.open(path, reviewer=args.reviewer) as review:
        print(review.add(listing))
        err(f"{path}: {len(review):,} papers")
