"""Extraction fields and stage queries (issue 19): what they add to a review's hot paths.

Cases, each beside its baseline measured in the same run on the same review:
``review.papers`` with three fields defined and 10% of the papers filled, against the same
table before any field was defined; recording one field for 10k papers in one call against
annotating a note on them; ``field:sample_size:100..`` against the same range on a column
the table always has (``rating:>=3``); ``stage:fulltext`` (which first builds
``search_table``: the review's decision per paper) against ``decision:include``.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from common import Row, listing, timed

import litreview


def rows(quick: bool) -> list[Row]:
    n = 2_000 if quick else 100_000
    k = n // 10
    out: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        review = litreview.Review.open(Path(tmp) / "bench.litreview", reviewer="bench")
        review.add(listing(n))
        ids = review.papers["paper_id"].tolist()
        review.annotate(ids[:k], decision="include", rating=3)
        note_s, _ = timed(lambda: review.annotate(ids[:k], note="read later"))
        base_s, _ = timed(lambda: review.papers, repeat=3)  # the same rows, no fields yet
        review.define_field("sample_size", "number")
        review.define_field("design", "choice", options=["RCT", "cohort", "case series"])
        review.define_field("setting", "text")
        set_s, _ = timed(lambda: review.set_field(ids[:k], "sample_size", 120))
        out.append(
            Row("fields", f"set_field on {k:,} papers (one step)", n, set_s,
                f"annotate note on the {k:,}", note_s, notes="validation, diff, history rows")
        )  # fmt: skip
        review.annotate(ids[:k], fields={"design": "RCT", "setting": "clinic"})
        papers_s, papers = timed(lambda: review.papers, repeat=3)
        out.append(
            Row("fields", f"papers, 3 fields, {k:,} filled", n, papers_s,
                "papers, no fields", base_s, notes="decodes the filled rows' JSON")
        )  # fmt: skip
        index = review.search_index(papers)
        q_base, _ = timed(lambda: litreview.search(papers, "rating:>=3", index=index), repeat=3)
        q_field, hits = timed(
            lambda: litreview.search(papers, "field:sample_size:100..", index=index), repeat=3
        )
        assert len(hits) == k
        out.append(Row("fields", "search field:sample_size:100..", n, q_field,
                       "search rating:>=3", q_base))  # fmt: skip
        s_base, _ = timed(lambda: review.search("decision:include"), repeat=3)
        s_stage, hits = timed(lambda: review.search("stage:fulltext"), repeat=3)
        assert len(hits) == k
        out.append(
            Row("fields", "review.search stage:fulltext", n, s_stage,
                "review.search decision:include", s_base,
                notes="builds search_table: final decisions of every paper")
        )  # fmt: skip
        review.close()
    return out
