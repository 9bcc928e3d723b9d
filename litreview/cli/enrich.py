"""``litreview enrich``: complete the papers of a review from the web (authors, arXiv id,
DOI, venue, URL), as one undoable change; uncertain title matches are listed for you
to confirm, never applied."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from litreview.cli._parser import REVIEWER, add_command
from litreview.cli.commands import UsageError, err, existing_review

if TYPE_CHECKING:
    from litreview.cli._parser import Subparsers
    from litreview.review.enrichment import EnrichReport

NAME = "enrich"
SUMMARY = "complete papers' metadata from arXiv, Hugging Face and OpenAlex"
EXAMPLES = (
    "  litreview enrich review.litreview --dry-run\n"
    "  litreview enrich review.litreview --query 'year:2024..'\n"
    "  litreview enrich review.litreview --confirm 3f2a9c1d0b7e=2401.01234"
)
AFTER = (
    "'litreview undo REVIEW' takes the whole enrichment back. environment: LITREVIEW_OFFLINE=1 "
    "(cache only), LITREVIEW_CACHE_DIR, LITREVIEW_MAILTO; see docs/web.md"
)
SHOWN = 20


def register(subs: Subparsers) -> None:
    """The ``enrich`` subcommand and its options."""
    e = add_command(subs, NAME, SUMMARY, EXAMPLES)
    e.epilog = f"{e.epilog}\n\n{AFTER}"
    e.add_argument("review", metavar="REVIEW", help="review file (.litreview)")
    e.add_argument("--query", "-q", metavar="Q", help="only the papers this query finds")
    e.add_argument("--dry-run", action="store_true", help="show what would change, change nothing")
    e.add_argument(
        "--confirm",
        nargs="+",
        metavar="PAPER_ID=ARXIV_ID",
        default=[],
        help="accept a match listed as uncertain (PAPER_ID alone takes the candidate shown)",
    )
    e.add_argument("--reviewer", **REVIEWER)


def confirmations(items: list[str]) -> dict[str, str] | list[str]:
    """``PID=ARXIV`` pairs as a mapping; bare ids as a list (take the candidate shown).

    >>> confirmations(["a=2401.00001"]), confirmations(["a"])
    ({'a': '2401.00001'}, ['a'])
    """
    pairs = [i.split("=", 1) for i in items]
    if all(len(p) == 2 for p in pairs):
        return {p[0].strip(): p[1].strip() for p in pairs}
    if any(len(p) == 2 for p in pairs):
        raise UsageError("--confirm takes all PAPER_ID=ARXIV_ID or all bare PAPER_IDs")
    return [p[0].strip() for p in pairs]


def handle(args: argparse.Namespace) -> int:
    """Enrich the review and print what changed and what needs confirming."""
    from litreview.review.core import Review
    from litreview.web.progress import terminal_progress

    path = existing_review(args.review)
    confirm = confirmations(args.confirm) if args.confirm else None
    with Review.open(path, reviewer=args.reviewer) as review, terminal_progress("enrich") as bar:
        report = review.enrich(
            query=args.query, confirm=confirm, dry_run=args.dry_run, progress=bar
        )
    show(report)
    return 0


def show(report: EnrichReport) -> None:
    """The report: one line, the fields changed, the matches to confirm."""
    print(report)
    changes = report.changes
    if len(changes):
        counts = changes["field"].value_counts()
        print("fields: " + ", ".join(f"{name} {n}" for name, n in counts.items()))
        for row in changes.head(SHOWN).itertuples(index=False):
            print(f"  {row.paper_id}  {row.field}: {_short(row.new_value)}  ({row.source})")
        if len(changes) > SHOWN:
            print(f"  … and {len(changes) - SHOWN} more")
    for item in report.to_confirm.to_dict("records"):
        title, candidate = str(item["title"])[:50], str(item["candidate_title"])[:50]
        print(
            f"to confirm: {item['paper_id']} {title!r} ~ {candidate!r} "
            f"(arXiv {item['candidate_arxiv_id']}; {item['reason']})"
        )
    if len(report.to_confirm):
        err("accept one with --confirm PAPER_ID=ARXIV_ID")


def _short(value: object) -> str:
    text = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    return text if len(text) <= 70 else text[:69] + "…"
