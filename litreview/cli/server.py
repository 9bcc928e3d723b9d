"""``litreview server``: set up a review on a PostgreSQL server (docs/server.md):
``init`` creates its schema, roles, grants and row-level security; ``add-reviewer``
gives a person a login role on it."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from litreview.cli._parser import add_command
from litreview.cli.commands import UsageError

if TYPE_CHECKING:
    from litreview.cli._parser import Subparsers

NAME = "server"
SUMMARY = "set up a review on a PostgreSQL server: its schema, roles and reviewers"
EXAMPLES = (
    "  litreview server init 'postgresql://owner@db:5432/reviews?review=cancer'\n"
    "  litreview server add-reviewer 'postgresql://owner@db/reviews?review=cancer' ada\n"
    "  litreview server add-reviewer 'postgresql://owner@db/reviews?review=cancer' cy --resolver"
)
ACTIONS = ("init", "add-reviewer")


def register(subs: Subparsers) -> None:
    """The ``server`` subcommand and its options."""
    s = add_command(subs, NAME, SUMMARY, EXAMPLES)
    s.add_argument("action", choices=ACTIONS, help="init the review, or add a reviewer to it")
    s.add_argument("url", metavar="URL", help="postgresql://USER@HOST:PORT/DB?review=NAME")
    s.add_argument("name", nargs="?", metavar="NAME", help="add-reviewer: the reviewer's role")
    s.add_argument("--resolver", action="store_true", help="add-reviewer: may settle conflicts")


def handle(args: argparse.Namespace) -> int:
    """``init``: :func:`~litreview.review.store.pg_roles.init_review`; ``add-reviewer``:
    :func:`~litreview.review.store.pg_roles.add_reviewer`."""
    from litreview.review.store.base import is_url
    from litreview.review.store.pg_roles import add_reviewer, group_roles, init_review

    if not is_url(args.url):
        raise UsageError(f"{args.url}: expected a postgresql:// URL")
    if args.action == "init":
        if args.name is not None or args.resolver:
            raise UsageError("init takes the URL only")
        roles = init_review(args.url)
        print(f"review ready; group roles {', '.join(roles)}")
        print(f"next: litreview server add-reviewer '{args.url}' NAME")
        return 0
    if args.name is None:
        raise UsageError("add-reviewer needs the reviewer's NAME")
    name = add_reviewer(args.url, args.name, resolver=args.resolver)
    group = group_roles("")[1 if args.resolver else 0].lstrip(":")
    print(f"{name} is a {group[:-1]} of the review; they connect as {name} (set a password on "
          "the server, e.g. psql \\password, and keep it in their ~/.pgpass)")  # fmt: skip
    return 0
