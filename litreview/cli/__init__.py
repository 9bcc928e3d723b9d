"""The ``litreview`` command line (also ``python -m litreview``), thin over the library.

Each command parses its arguments, calls one library function and turns
library errors into one clear line (``litreview: error: …``): exit status 2
for a usage error, 1 for input that cannot be read; ``--debug`` shows the
traceback instead. Examples are in each command's ``--help``.

    >>> main(["--version"])
    litreview 0.1.0
    0
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import warnings
from collections.abc import Sequence
from typing import Any, NoReturn

from litreview.cli import app_server as cli_app
from litreview.cli import commands
from litreview.cli.commands import UsageError
from litreview.errors import ListingWarning, QueryError

PROG = "litreview"

COMMANDS: dict[str, tuple[str, str]] = {
    "read": (
        "parse listings and print or write the papers",
        "  litreview read papers.txt\n"
        "  litreview read papers.txt more.md --format csv -o exports/papers.csv\n"
        "  litreview read daily_papers.json --format json | jq '.[0].title'",
    ),
    "search": (
        "search a listing or a review and print the best matches",
        "  litreview search papers.txt 'vision transformer'\n"
        "  litreview search review.litreview 'title:efficient year:>=2023 has:code' --limit 5",
    ),
    "add": (
        "add listings to a review file (created if missing)",
        "  litreview add review.litreview papers.txt\n"
        "  litreview add review.litreview week1.txt week2.md refs.bib",
    ),
    "annotate": (
        "set the decision, reason, tags, note or rating of papers in a review",
        "  litreview annotate review.litreview 2401-12345-attention --decision include --tag core\n"
        "  litreview annotate review.litreview ID1 ID2 --decision exclude --reason 'off topic'\n"
        "  litreview annotate review.litreview ID1 --note 'read section 4' --rating 4",
    ),
    "export": (
        "write papers (all, or a query/decision selection) as BibTeX, CSV, RIS or Markdown",
        "  litreview export review.litreview --decision include -o exports/included.bib\n"
        "  litreview export papers.txt --query 'has:code' -o exports/with-code.csv --overwrite\n"
        "  litreview export review.litreview -o exports/for-excel.csv --excel",
    ),
    "duplicates": (
        "list papers whose titles are nearly the same (typos, a dropped subtitle, word order)",
        "  litreview duplicates week1.txt week2.md refs.bib\n"
        "  litreview duplicates review.litreview --threshold 85 --limit 50",
    ),
    "stats": (
        "print counts, date range, top terms and decisions",
        "  litreview stats papers.txt\n  litreview stats review.litreview",
    ),
    "render": (
        "write one offline HTML file: a notebook executed, or a report of a review/listing",
        "  litreview render review.litreview -o exports/review.html\n"
        "  litreview render notebooks/review.ipynb -o exports/notebook.html --overwrite",
    ),
    "app": (
        "start the screening app (Voila) on a review, on 127.0.0.1 behind a token",
        "  litreview app review.litreview          # prints http://127.0.0.1:8866/?token=...\n"
        "  litreview app review.litreview --port 8870 --no-browser  # token: $LITREVIEW_TOKEN\n"
        "  litreview app review.litreview --port 8870 --dry-run   # print the command only",
    ),
}


class Parser(argparse.ArgumentParser):
    """argparse with one-line errors under the ``litreview: error:`` prefix, exit 2."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        command = self.prog.removeprefix(PROG).strip()
        hint = f" (see '{self.prog} --help')"
        where = f"{command}: " if command else ""
        self.exit(2, f"{PROG}: error: {where}{message}{hint}\n")


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a number >= 1, got {value}")
    return value


def rating(text: str) -> int | str:
    """A rating from 1 to 5, or "" / "none" to clear it."""
    if text.strip().lower() in ("", "none"):
        return ""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a whole number from 1 to 5 (or '' to clear), got {text!r}"
        ) from None
    if not 1 <= value <= 5:
        raise argparse.ArgumentTypeError(f"expected a rating from 1 to 5, got {value}")
    return value


def percent(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number from 0 to 100, got {text!r}") from None
    if not 0 <= value <= 100:
        raise argparse.ArgumentTypeError(f"expected a number from 0 to 100, got {value:g}")
    return value


def port(text: str) -> int:
    value = positive_int(text)
    if value > 65535:
        raise argparse.ArgumentTypeError(f"expected a port from 1 to 65535, got {value}")
    return value


def build_parser() -> Parser:
    """The argument parser of every command."""
    parser = Parser(
        prog=PROG,
        description="Literature reviews from the command line: read listings, search, "
        "screen into a review file, export, chart and render.",
        epilog="Run 'litreview COMMAND --help' for the options and examples of a command.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    common = Parser(add_help=False)
    common.add_argument(
        "--debug", action="store_true", default=argparse.SUPPRESS, help="show tracebacks on errors"
    )
    subs = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    subs.required = True
    p: dict[str, argparse.ArgumentParser] = {}
    for name, (summary, examples) in COMMANDS.items():
        p[name] = subs.add_parser(
            name,
            help=summary,
            description=summary[0].upper() + summary[1:] + ".",
            epilog="examples:\n" + examples,
            formatter_class=argparse.RawDescriptionHelpFormatter,
            parents=[common],
        )
    source = "a review file (.litreview) or a listing (text, Markdown, JSON, BibTeX, RIS, CSV)"
    reviewer: dict[str, Any] = {
        "help": "whose annotations to use (default: $LITREVIEW_REVIEWER or your user)"
    }

    r = p["read"]
    r.add_argument("listings", nargs="+", metavar="LISTING", help="listing files (merged)")
    r.add_argument("--format", choices=commands.READ_FORMATS, help="default: from -o, else table")
    r.add_argument("-o", "--output", metavar="FILE", help="write here instead of printing")
    r.add_argument("--overwrite", action="store_true", help="replace an existing FILE")

    s = p["search"]
    s.add_argument("source", metavar="LISTING_OR_REVIEW", help=source)
    s.add_argument("query", metavar="QUERY", help='words, "phrases", field:value, -not, OR')
    s.add_argument("--limit", type=positive_int, default=20, help="rows to show (default 20)")
    s.add_argument("--reviewer", **reviewer)

    a = p["add"]
    a.add_argument("review", metavar="REVIEW", help="review file (.litreview), created if missing")
    a.add_argument("listings", nargs="+", metavar="LISTING", help="listing files to import")
    a.add_argument("--reviewer", **reviewer)

    n = p["annotate"]
    n.add_argument("review", metavar="REVIEW", help="an existing review file (.litreview)")
    n.add_argument("paper_ids", nargs="+", metavar="PAPER_ID", help="ids as shown by search")
    n.add_argument("--decision", choices=commands.DECISION_CHOICES)
    n.add_argument("--reason", help="exclusion reason ('' clears it)")
    n.add_argument("--tag", action="append", metavar="TAG", help="add a tag (repeatable)")
    n.add_argument("--untag", action="append", metavar="TAG", help="remove a tag (repeatable)")
    n.add_argument("--note", help="note text ('' clears it)")
    n.add_argument("--rating", type=rating, help="rating 1-5 ('' or none clears it)")
    n.add_argument("--reviewer", **reviewer)

    e = p["export"]
    e.add_argument("source", metavar="LISTING_OR_REVIEW", help=source)
    e.add_argument("-o", "--output", required=True, metavar="FILE",
                   help=".bib, .csv, .ris or .md; a bare name goes to exports/")  # fmt: skip
    e.add_argument("--query", default="", metavar="Q", help="keep papers matching this query")
    e.add_argument("--decision", action="append", choices=commands.DECISION_CHOICES,
                   help="keep papers with this decision (repeatable)")  # fmt: skip
    e.add_argument("--overwrite", action="store_true", help="replace an existing FILE")
    e.add_argument("--excel", action="store_true",
                   help="CSV for spreadsheet programs: cells starting with = + - @ get a "
                   "leading ' so they are never run as formulas; BOM and CRLF")  # fmt: skip
    e.add_argument("--reviewer", **reviewer)

    u = p["duplicates"]
    u.add_argument("sources", nargs="+", metavar="LISTING_OR_REVIEW",
                   help="listings (merged first) or one review file")  # fmt: skip
    u.add_argument("--threshold", type=percent, default=90.0,
                   help="lowest title similarity, 0-100 (default 90)")  # fmt: skip
    u.add_argument("--limit", type=positive_int, default=20, help="pairs to show (default 20)")
    u.add_argument("--reviewer", **reviewer)

    t = p["stats"]
    t.add_argument("source", metavar="LISTING_OR_REVIEW", help=source)
    t.add_argument("--terms", type=positive_int, default=10, help="top terms to show")
    t.add_argument("--reviewer", **reviewer)

    d = p["render"]
    d.add_argument("source", metavar="NOTEBOOK_OR_REVIEW",
                   help="a notebook (.ipynb, executed), a review file or a listing")  # fmt: skip
    d.add_argument("-o", "--output", required=True, metavar="FILE", help="the HTML file")
    d.add_argument("--overwrite", action="store_true", help="replace an existing FILE")
    d.add_argument("--title", help="report title (default: the file name)")
    d.add_argument("--timeout", type=positive_int, default=600, help="seconds per notebook cell")
    d.add_argument("--allow-errors", action="store_true",
                   help="write the notebook even if cells fail (errors shown in it)")  # fmt: skip
    d.add_argument("--reviewer", **reviewer)

    pa = p["app"]
    pa.add_argument("review", metavar="REVIEW", help="an existing review file (.litreview)")
    pa.add_argument("--port", type=port, help="port on 127.0.0.1 (default: first free from 8866)")
    pa.add_argument("--token", help="access token the URL carries (default: $LITREVIEW_TOKEN, "
                    "else a new random one; prefer the variable: flags show in ps)")  # fmt: skip
    pa.add_argument("--no-browser", action="store_true", help="do not open a browser")
    pa.add_argument("--dry-run", action="store_true", help="print the command, do not run it")
    pa.add_argument("--reviewer", help="who screens in the app (sets $LITREVIEW_REVIEWER)")
    return parser


def _version() -> str:
    from litreview import __version__

    return __version__


HANDLERS = {
    "read": commands.cmd_read,
    "search": commands.cmd_search,
    "add": commands.cmd_add,
    "annotate": commands.cmd_annotate,
    "export": commands.cmd_export,
    "duplicates": commands.cmd_duplicates,
    "stats": commands.cmd_stats,
    "render": commands.cmd_render,
    "app": cli_app.cmd_app,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default ``sys.argv[1:]``); return the exit status."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version and usage errors
        return int(exc.code or 0) if isinstance(exc.code, int) or exc.code is None else 2
    debug = bool(getattr(args, "debug", False))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("always", ListingWarning)
            warnings.showwarning = _show_warning
            return int(HANDLERS[args.command](args) or 0)
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `litreview read x | head`
        sys.stderr.close()
        return 0
    except UsageError as exc:
        if debug:
            raise
        print(f"{PROG}: error: {args.command}: {exc}", file=sys.stderr)
        return 2
    except (ValueError, KeyError, LookupError, OSError, sqlite3.Error, RuntimeError) as exc:
        if debug:
            raise
        print(f"{PROG}: error: {_message(exc)}", file=sys.stderr)
        return 1
    except Exception as exc:  # a bug, not bad input: still one line, the traceback on demand
        if debug:
            raise
        what = f"unexpected {type(exc).__name__}: {_message(exc)}"
        print(f"{PROG}: error: {what} (run again with --debug for the traceback)", file=sys.stderr)
        return 1


def _message(exc: BaseException) -> str:
    """One line saying what went wrong (the first line of the message, without repr quotes)."""
    if isinstance(exc, QueryError):
        return f"bad query {exc.query!r}: {exc.message} (at position {exc.position})"
    if isinstance(exc, KeyError) and exc.args:
        text = str(exc.args[0])
    elif isinstance(exc, OSError) and exc.strerror and exc.filename:
        text = f"{exc.filename}: {exc.strerror}"
    else:
        text = str(exc) or type(exc).__name__
    if isinstance(exc, FileExistsError):  # the library names its keyword; here it is a flag
        text = text.replace("overwrite=True", "--overwrite")
    lines = [line for line in text.strip().splitlines() if line.strip()]
    first = lines[0] if lines else type(exc).__name__
    more = len(lines) - 1
    return first + (f" (and {more} more lines; --debug shows all)" if more > 0 else "")


def _show_warning(message: Any, category: Any, *_: Any, **__: Any) -> None:
    print(f"{PROG}: warning: {message}", file=sys.stderr)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
