"""BibTeX export of n papers against bibtexparser's own ``write_string``.

The baseline gets the very entries litreview builds (same keys, fields and
escaped values, built before the clock starts) and writes them with
bibtexparser's default settings; litreview's time includes building those
entries from the DataFrame. The CSV and RIS rows are informative (no target).
"""

from __future__ import annotations

import bibtexparser
from bibtexparser.library import Library
from common import Row, listing, timed

import litreview
from litreview.writers._fields import paper_rows
from litreview.writers.bibtex import bibtex_entry, citation_keys

SIZES = (1_000, 10_000)
TARGET_SIZE = 10_000  # the target: 10k papers
QUICK_SIZES = (1_000,)


def _baseline_library(df: object) -> Library:
    rows = paper_rows(df)  # type: ignore[arg-type]
    keys = citation_keys(rows)
    return Library([bibtex_entry(r, k, False) for r, k in zip(rows, keys, strict=True)])


def rows(quick: bool = False) -> list[Row]:
    out: list[Row] = []
    for n in QUICK_SIZES if quick else SIZES:
        df = litreview.read_listing(listing(n))
        ours, text = timed(lambda df=df: litreview.to_bibtex(df), repeat=3)
        library = _baseline_library(df)
        base, base_text = timed(
            lambda library=library: bibtexparser.write_string(library), repeat=3
        )
        assert text.count("@misc{") == base_text.count("@misc{") == len(df)
        out.append(
            Row(
                "export",
                "to_bibtex",
                n,
                ours,
                "bibtexparser.write_string (default)",
                base,
                "not slower (ratio <= 1)" if n == TARGET_SIZE else "",
                ours <= base if n == TARGET_SIZE else None,
            )
        )
        csv_s, _ = timed(lambda df=df: litreview.to_csv(df), repeat=3)
        pandas_s, _ = timed(lambda df=df: df.to_csv(index=False), repeat=3)
        out.append(Row("export", "to_csv", n, csv_s, "DataFrame.to_csv", pandas_s))
        ris_s, _ = timed(lambda df=df: litreview.to_ris(df), repeat=1)
        out.append(Row("export", "to_ris", n, ris_s))
    return out
