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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes only")
    parser.add_argument("only", nargs="*", help="benchmark modules to run (e.g. read store)")
    args = parser.parse_args(argv)
    names = sorted(p.stem for p in HERE.glob("bench_*.py"))
    if args.only:
        names = [n for n in names if n.removeprefix("bench_") in args.only]
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
