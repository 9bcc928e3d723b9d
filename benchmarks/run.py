"""Run every benchmark and print one table: litreview side by side with its baseline.

    make bench                    # all sizes
    python benchmarks/run.py --quick   # small sizes only, for a smoke run

Each ``bench_*.py`` module beside this file has ``rows(quick: bool) -> list[Row]``.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

from common import Row  # noqa: E402

#: Groups run only when named with --group (e.g. scale: 1M papers, 15-30 minutes).
ON_DEMAND = ("scale",)


def format_table(rows: list[Row]) -> str:
    """A Markdown table of the rows."""
    names = ["area", "case", "papers", "litreview s", "baseline", "baseline s", "ratio"]
    names += ["target", "ok", "notes"]
    lines = ["| " + " | ".join(names) + " |", "|" + "---|" * len(names)]
    for r in rows:
        base = f"{r.baseline_s:.3f}" if r.baseline_s is not None else ""
        ratio = f"{r.ratio:.2f}" if r.ratio is not None else ""
        ok = "" if r.ok is None else ("yes" if r.ok else "NO")
        lines.append(
            f"| {r.area} | {r.case} | {r.papers:,} | {r.litreview_s:.4f} | {r.baseline} "
            f"| {base} | {ratio} | {r.target} | {ok} | {r.notes} |"
        )
    return "\n".join(lines)


def selected(only: list[str], groups: list[str]) -> list[str]:
    """The bench_* modules to run: ``only`` and ``groups`` if given, else all but on-demand ones."""
    names = sorted(p.stem for p in HERE.glob("bench_*.py"))
    wanted = [*only, *groups]
    if wanted:
        return [n for n in names if n.removeprefix("bench_") in wanted]
    return [n for n in names if n.removeprefix("bench_") not in ON_DEMAND]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes only")
    parser.add_argument("only", nargs="*", help="benchmark modules to run (e.g. read store)")
    group_help = "run an on-demand group (scale: issue 21's table, 100k and 1M)"
    parser.add_argument("--group", action="append", default=[], choices=ON_DEMAND, help=group_help)
    args = parser.parse_args(argv)
    names = selected(args.only, args.group)
    rows: list[Row] = []
    for name in names:
        module = importlib.import_module(name)
        new_rows = module.rows(quick=args.quick)
        rows.extend(new_rows)
        print(format_table(new_rows), file=sys.stderr, flush=True)
    print(format_table(rows))
    return 0 if all(r.ok is not False for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
