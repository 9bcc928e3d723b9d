"""The one edit rule (review/edits.py): validation in the edit, apply_edit on a row, and
the three places that use it agreeing: the review store, the app's cached table, and
export + import of the annotations into a fresh review."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import litreview
from litreview import Review
from litreview.app.patch import annotation_of, patch_papers
from litreview.review.edits import UNSET, Annotation, Edit, apply_edit, differences
from litreview.review.store import annotations as store_annotations
from litreview.review.store.exchange import FileRow, read_annotations
from litreview.schema import ANNOTATION_COLUMNS, DECISIONS, Decision

AT = "2026-01-02T03:04:05.000006"


# -- the edit --------------------------------------------------------------------------------


def test_building_an_edit_validates_and_normalises_it() -> None:
    edit = Edit.of(decision=" Exclude", reason=" off topic ", tags=["a", " b", "a", ""], rating=4.0)
    assert (edit.decision, edit.reason, edit.tags, edit.rating) == (
        "exclude", "off topic", ("a", "b"), 4
    )  # fmt: skip
    assert edit.note is UNSET and edit.add_tags == () and edit.remove_tags == ()
    assert Edit.of(note="", rating=pd.NA).values() == {"note": None, "rating": None}
    assert Edit(decision=Decision.MAYBE) == Edit.of(decision="maybe")  # built either way
    with pytest.raises(ValueError, match="did you mean 'include'"):
        Edit(decision="inclde")  # validation is in the edit, however it is built
    with pytest.raises(ValueError, match="add_tags: a tag cannot be empty"):
        Edit(add_tags=" ")
    with pytest.raises(ValueError, match="at least one of"):
        Edit.of()
    with pytest.raises(AttributeError):
        edit.note = "x"  # type: ignore[misc]  # frozen


def test_a_decision_records_who_and_when_only_when_it_changes() -> None:
    bob = apply_edit(Annotation(), Edit(decision="include"), reviewer="bob", at=AT)
    assert (bob.decision, bob.decided_by, bob.decided_at) == ("include", "bob", AT)
    again = apply_edit(bob, Edit(decision="include", note="n"), reviewer="ada", at="later")
    assert (again.decided_by, again.decided_at, again.note) == ("bob", AT, "n")
    back = apply_edit(again, Edit(decision="unscreened"), reviewer="ada", at="later")
    assert (back.decision, back.decided_by, back.decided_at) == ("unscreened", None, None)
    assert apply_edit(back, Edit(), reviewer="ada", at="x") is back  # nothing asked


def test_tags_are_replaced_then_added_then_removed() -> None:
    row = Annotation(tags=("a", "b"))
    assert apply_edit(row, Edit(add_tags=["c", "a"]), reviewer="r", at=AT).tags == ("a", "b", "c")
    assert apply_edit(row, Edit(remove_tags="a"), reviewer="r", at=AT).tags == ("b",)
    replaced = Edit(tags=["x"], add_tags="y", remove_tags="x")
    assert apply_edit(row, replaced, reviewer="r", at=AT).tags == ("y",)
    assert apply_edit(row, Edit(tags=[]), reviewer="r", at=AT).tags == ()


def test_differences_list_a_decision_with_its_meta_in_step_order() -> None:
    after = Annotation("exclude", "old", ("t",), "n", 2, "ada", AT)
    assert [name for name, _ in differences(Annotation(), after)] == [
        "decision", "decided_by", "decided_at", "reason", "note", "rating", "tags"
    ]  # fmt: skip
    assert differences(after, after) == []


def test_the_store_stamps_a_decision_with_its_step_time(review: Review) -> None:
    pid = review.papers["paper_id"].iloc[0]
    review.annotate(pid, decision="include")
    decided_at = review.papers.set_index("paper_id").loc[pid, "decided_at"]
    assert decided_at == review.history(pid)["at"].iloc[0]  # old code: two clock readings


def test_annotation_file_rows_are_typed(review: Review, tmp_path: Path) -> None:
    pid = review.papers["paper_id"].iloc[0]
    review.annotate(pid, decision="exclude", tags=["b", "a"], note="n")
    (line, row), *_ = read_annotations(review.export_annotations(tmp_path / "a.csv"), "x")
    assert isinstance(row, FileRow) and row.key == (pid, "ada") and line == 2
    assert (row.decision, row.tags, row["note"], row.rating) == ("exclude", ("b", "a"), "n", None)


# -- the three users agree ---------------------------------------------------------------------

N_PAPERS = 6
TAG = st.sampled_from(["a", "b", " c ", "ü;x", "=SUM(A1)"])
TEXT = st.sampled_from(["off topic", "  padded ", "", "=1+1", 'quote " and\nnewline', pd.NA])
EDIT = st.fixed_dictionaries(
    {},
    optional={
        "decision": st.sampled_from([*DECISIONS, " Include", Decision.MAYBE]),
        "reason": TEXT,
        "tags": st.lists(st.one_of(TAG, st.just("")), max_size=3),
        "add_tags": TAG | st.lists(TAG, min_size=1, max_size=2),
        "remove_tags": TAG | st.lists(TAG, min_size=1, max_size=2),
        "note": TEXT,
        "rating": st.sampled_from([1, 3, 5, "", pd.NA]),
    },
).filter(bool)
STEP = st.tuples(st.lists(st.integers(0, N_PAPERS - 1), min_size=1, unique=True), EDIT)


@pytest.fixture(scope="module")
def blank_review(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A closed review file on the sample, with no annotation (copied for each example)."""
    path = tmp_path_factory.mktemp("blank") / "blank.litreview"
    with Review.open(path, reviewer="ada") as review:
        review.add(litreview.SAMPLE_LISTING)
    return path


@contextmanager
def copies(blank: Path) -> Iterator[Callable[[str], Path]]:
    """``copy(name)``: a fresh copy of the blank review (a context manager per example:
    hypothesis does not reset function-scoped fixtures between examples)."""
    with tempfile.TemporaryDirectory() as folder:

        def copy(name: str) -> Path:
            target = Path(folder) / f"{name}.litreview"
            shutil.copy(blank, target)
            return target

        yield copy


def annotations(papers: pd.DataFrame) -> pd.DataFrame:
    return papers.set_index("paper_id")[list(ANNOTATION_COLUMNS)].sort_index()


@given(steps=st.lists(STEP, min_size=1, max_size=6), suffix=st.sampled_from([".csv", ".jsonl"]))
@settings(max_examples=30, deadline=None)
def test_store_app_cache_and_exchange_apply_edits_alike(
    blank_review: Path, steps: list[tuple[list[int], dict[str, Any]]], suffix: str
) -> None:
    with (
        copies(blank_review) as copy,
        pytest.MonkeyPatch.context() as clock,
        Review.open(copy("r"), reviewer="ada") as review,
    ):
        cached = review.papers  # the app's table, patched as the app does after each save
        expected = [Annotation()] * len(cached)  # the rule itself, folded row by row
        for number, (positions, keywords) in enumerate(steps):
            at = f"2026-01-02T03:04:{number:02d}.000000"
            clock.setattr(store_annotations, "now", lambda at=at: at)
            ids = cached["paper_id"].iloc[positions].tolist()
            review.annotate(ids, **keywords)
            patch_papers(cached, positions, keywords, "ada", at=at)
            edit = Edit.of(**keywords)
            for p in positions:
                expected[p] = apply_edit(expected[p], edit, reviewer="ada", at=at)
        stored = review.papers
        pd.testing.assert_frame_equal(annotations(cached), annotations(stored))
        assert [annotation_of(row) for _, row in stored.iterrows()] == expected
        out = review.export_annotations(copy("export").with_suffix(suffix))
        with Review.open(copy("fresh"), reviewer="bob") as fresh:
            report = fresh.import_annotations(out)
            assert report.conflicts.empty and not report.unknown_ids
            with Review.open(fresh.path, reviewer="ada") as as_ada:
                pd.testing.assert_frame_equal(annotations(as_ada.papers), annotations(stored))
        again = review.import_annotations(out)  # importing what the review says changes nothing
        assert (again.applied, len(again.conflicts)) == (0, 0)
