"""The whole PRISMA 2020 flow of a review, every number traceable to its papers.

:func:`prisma_flow` is pure: the imports table and one row per paper with the
review's decisions (``decision``, ``reason`` at title/abstract; ``fulltext_decision``,
``fulltext_reason`` and ``not_retrieved`` at full text when that stage is used) in,
a :class:`Flow` out: ``counts`` (``stage, box, label, n``) and the paper ids behind
every box. :class:`PrismaViews` gives :class:`litreview.Review` ``prisma_table`` and
``prisma_records``.

>>> import pandas as pd
>>> imports = pd.DataFrame({"source": ["a.ris", "b.bib"], "n_records": [3, 2]})
>>> papers = pd.DataFrame({"paper_id": ["p", "q", "r", "s"],
...     "decision": ["include", "exclude", "include", "unscreened"],
...     "reason": [None, "off topic", None, None]})
>>> flow = prisma_flow(imports, papers)
>>> flow.n("identification", "duplicates"), flow.n("title", "screened"), flow.n("included")
(1, 3, 2)
>>> flow.records("excluded", stage="title")
['q']
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

__all__ = ["BOXES", "NO_REASON", "Flow", "PrismaViews", "prisma_flow"]

NO_REASON = "(no reason given)"
ADDED_DIRECTLY = "(added without an import record)"
COUNT_COLUMNS = ["stage", "box", "label", "n"]
#: stage -> the boxes of that stage, in the order of the flow.
BOXES: dict[str, tuple[str, ...]] = {
    "identification": ("identified", "import", "duplicates", "removed"),
    "title": ("screened", "unscreened", "excluded", "reason", "awaiting", "pending"),
    "fulltext": (
        "sought", "not_retrieved", "assessed", "unassessed", "excluded", "reason", "awaiting",
        "pending",
    ),
    "included": ("included",),
}  # fmt: skip
PENDING = ("maybe", "conflict")


@dataclass
class Flow:
    """The flow's numbers (``counts``) and the paper ids behind each box."""

    counts: pd.DataFrame
    members: dict[tuple[str, str, str], list[str]] = field(default_factory=dict)
    two_stage: bool = False

    def n(self, stage: str, box: str | None = None) -> int:
        """The number in a box (the first row of ``stage``/``box``; ``n("included")``)."""
        box = box or stage
        rows = self.counts[(self.counts["stage"] == stage) & (self.counts["box"] == box)]
        if rows.empty:
            raise KeyError(f"no box {box!r} at stage {stage!r}")
        return int(rows["n"].sum()) if box in ("identified", "import") else int(rows["n"].iloc[0])

    def records(self, box: str, stage: str | None = None, label: str | None = None) -> list[str]:
        """The ids of the papers behind ``box`` (at ``stage`` when the box name is used at
        several; ``label`` picks a reason or pending row). Identification boxes count
        import records, not papers: they raise ValueError."""
        stages = [s for s, boxes in BOXES.items() if box in boxes and (stage in (None, s))]
        if stage == "retrieval":
            stages = ["fulltext"] if box in BOXES["fulltext"] else []
        if not stages:
            known = sorted({b for boxes in BOXES.values() for b in boxes})
            raise KeyError(f"no box {box!r} at stage {stage!r}; boxes: {', '.join(known)}")
        if len(stages) > 1:
            raise ValueError(f"box {box!r} is at stages {', '.join(stages)}: pass stage=")
        if stages[0] == "identification":
            raise ValueError(
                f"{box!r} counts import records, not papers (see Review.imports()); records "
                "removed as duplicates were merged into the papers they duplicate"
            )
        if stages[0] == "fulltext" and not self.two_stage:
            raise KeyError("this review has no full-text stage yet (no full-text record)")
        if box in ("reason", "pending") and label is None:
            labels = [k[2] for k in self.members if k[:2] == (stages[0], box)]
            raise ValueError(f"pass label= for box {box!r}: one of {', '.join(labels)}")
        return list(self.members.get((stages[0], box, label or ""), []))


def _ids(papers: pd.DataFrame, mask: Any) -> list[str]:
    return papers.loc[pd.Series(mask, index=papers.index).to_numpy(dtype=bool), "paper_id"].tolist()


def prisma_flow(imports: pd.DataFrame, papers: pd.DataFrame) -> Flow:
    """The PRISMA 2020 flow of ``papers`` identified by ``imports`` (see the module).

    The same file imported twice (same ``content_hash``) identifies nothing new. The
    full-text stage is drawn when ``papers`` has a ``fulltext_decision`` column with any
    decision or a ``not_retrieved`` mark.
    """
    papers = papers.reset_index(drop=True)
    rows: list[tuple[str, str, str, int]] = []
    members: dict[tuple[str, str, str], list[str]] = {}

    def box(stage: str, name: str, label: str, ids: list[str]) -> None:
        rows.append((stage, name, label, len(ids)))
        members[(stage, name, label if name in ("reason", "pending") else "")] = ids

    _identification(imports, len(papers), rows)
    decision = papers["decision"].astype("string").fillna("unscreened")
    reason = _reasons(papers, "reason")
    _stage("title", papers, decision, reason, box, ("Records screened", "Records not screened yet"))
    included = decision.eq("include").to_numpy()
    two_stage = _uses_fulltext(papers)
    if two_stage:
        ft = papers["fulltext_decision"].astype("string").fillna("unscreened")
        missing = (
            papers["not_retrieved"].fillna(False).astype(bool).to_numpy()
            if "not_retrieved" in papers
            else pd.Series(False, index=papers.index).to_numpy()
        )
        box("fulltext", "sought", "Reports sought for retrieval", _ids(papers, included))
        box("fulltext", "not_retrieved", "Reports not retrieved", _ids(papers, included & missing))
        retrieved = papers[included & ~missing]
        _stage(
            "fulltext",
            retrieved,
            ft[included & ~missing],
            _reasons(papers, "fulltext_reason")[included & ~missing],
            box,
            ("Reports assessed for eligibility", "Reports not assessed yet"),
        )
        final = _ids(papers, included & ~missing & ft.eq("include").to_numpy())
    else:
        final = _ids(papers, included)
    box("included", "included", "Studies included in review", final)
    return Flow(pd.DataFrame(rows, columns=COUNT_COLUMNS), members, two_stage)


def _uses_fulltext(papers: pd.DataFrame) -> bool:
    used = False
    if "fulltext_decision" in papers:
        used = bool(papers["fulltext_decision"].astype("string").fillna("unscreened").ne(
            "unscreened").any())  # fmt: skip
    if "not_retrieved" in papers:
        used = used or bool(papers["not_retrieved"].fillna(False).astype(bool).any())
    return used


def _reasons(papers: pd.DataFrame, column: str) -> pd.Series:
    if column not in papers:
        return pd.Series(NO_REASON, index=papers.index, dtype="string")
    text = papers[column].astype("string").str.strip()
    return text.mask(text.isna() | text.eq(""), NO_REASON)


def _identification(imports: pd.DataFrame, n_papers: int, rows: list[Any]) -> None:
    """Records identified per source and per import, duplicates, removed for other reasons."""
    if "content_hash" in imports.columns:
        again = imports["content_hash"].notna() & imports["content_hash"].duplicated()
        imports = imports[~again]
    per_source = imports.groupby("source", sort=False)["n_records"].sum()
    for source, n in per_source.items():
        rows.append(("identification", "identified", str(source), int(n)))
    identified = int(per_source.sum())
    if identified < n_papers:  # papers that came in without an import row: say so
        rows.append(("identification", "identified", ADDED_DIRECTLY, n_papers - identified))
        identified = n_papers
    times = imports["imported_at"] if "imported_at" in imports else [None] * len(imports)
    listed = zip(imports["source"], imports["n_records"], times, strict=True)
    for i, (source, n, when) in enumerate(listed, start=1):
        stamp = f", {pd.Timestamp(when):%Y-%m-%d %H:%M}" if pd.notna(when) else ""
        rows.append(("identification", "import", f"#{i} {source}{stamp}", int(n)))
    rows.append(
        ("identification", "duplicates", "Duplicate records removed", identified - n_papers)
    )
    rows.append(("identification", "removed", "Records removed for other reasons", 0))


def _stage(
    stage: str,
    papers: pd.DataFrame,
    decision: pd.Series,
    reason: pd.Series,
    box: Any,
    labels: tuple[str, str],
) -> None:
    """One screening stage's boxes: with a decision, without, excluded (per reason),
    awaiting (maybe, or reviewers disagree)."""
    decision = decision.reset_index(drop=True)
    reason = reason.reset_index(drop=True)
    papers = papers.reset_index(drop=True)
    decided = decision.ne("unscreened").to_numpy()
    first = "screened" if stage == "title" else "assessed"
    rest = "unscreened" if stage == "title" else "unassessed"
    box(stage, first, labels[0], _ids(papers, decided))
    box(stage, rest, labels[1], _ids(papers, ~decided))
    excluded = decision.eq("exclude").to_numpy()
    noun = "Records" if stage == "title" else "Reports"
    box(stage, "excluded", f"{noun} excluded", _ids(papers, excluded))
    counts = reason[excluded].value_counts()
    order = sorted(counts.index, key=lambda r: (r == NO_REASON, -counts[r], r))
    for label in order:
        box(stage, "reason", str(label), _ids(papers, excluded & reason.eq(label).to_numpy()))
    pending = decision.isin(PENDING).to_numpy()
    box(stage, "awaiting", "Awaiting a decision", _ids(papers, pending))
    for label in PENDING:
        box(stage, "pending", label, _ids(papers, decision.eq(label).to_numpy()))


class PrismaViews:
    """Mixed into :class:`litreview.Review`: the flow of its final decisions (what this
    reviewer may see: in blind mode, their own)."""

    def prisma_frame(self) -> pd.DataFrame:
        """One row per paper: ``paper_id``, the review's ``decision``/``reason`` at
        title/abstract and ``fulltext_decision``/``fulltext_reason``/``not_retrieved``."""
        review: Any = self
        title = review.final("title")
        full = review.final("fulltext")
        marks = review.fulltext().set_index("paper_id")["not_retrieved"]
        return pd.DataFrame(
            {
                "paper_id": title["paper_id"],
                "decision": title["final_decision"],
                "reason": title["final_reason"],
                "fulltext_decision": full["final_decision"].to_numpy(),
                "fulltext_reason": full["final_reason"].to_numpy(),
                "not_retrieved": title["paper_id"].isin(marks[marks].index).to_numpy(),
            }
        )

    def prisma(self) -> Flow:
        """The review's :class:`Flow` (numbers and papers of every box)."""
        review: Any = self
        return prisma_flow(review.imports(), self.prisma_frame())

    def prisma_table(self) -> pd.DataFrame:
        """The PRISMA 2020 numbers: ``stage, box, label, n`` (stages ``identification``,
        ``title``, ``fulltext`` when used, ``included``)."""
        return self.prisma().counts

    def prisma_records(
        self, box: str, stage: str | None = None, label: str | None = None
    ) -> pd.DataFrame:
        """Exactly the papers behind a box of :meth:`prisma_table`, e.g.
        ``prisma_records("excluded", stage="fulltext")`` or
        ``prisma_records("reason", stage="title", label="off topic")``."""
        ids = self.prisma().records(box, stage, label)
        review: Any = self
        papers = review.papers
        return papers[papers["paper_id"].isin(ids).to_numpy()].reset_index(drop=True)
