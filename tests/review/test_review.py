"""The Review API: papers, annotate (validation, all-or-nothing), history, undo/redo,
re-import, reviewers and agreement, annotation exchange files."""

from __future__ import annotations

import json
import random
import sqlite3
import warnings
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score

import litreview
from litreview import Review
from litreview.errors import ListingError
from litreview.review.core import DEFAULT_REASONS
from litreview.schema import ANNOTATION_COLUMNS, DECISIONS

ANNOTATIONS = ["paper_id", *ANNOTATION_COLUMNS]


def ids(review: Review, n: int | None = None) -> list[str]:
    return review.papers["paper_id"].tolist()[:n]


def state(review: Review) -> pd.DataFrame:
    return review.papers[ANNOTATIONS]


# -- papers ----------------------------------------------------------------------------


def test_papers_follow_the_annotated_schema(review: Review) -> None:
    papers = review.papers
    assert litreview.validate(papers, annotated=True) is papers
    assert isinstance(papers.index, pd.RangeIndex) and len(papers) == 36
    assert set(papers["decision"]) == {"unscreened"}
    plain = litreview.read_listing(litreview.SAMPLE_LISTING)
    pd.testing.assert_frame_equal(papers[list(plain.columns)], plain)


def test_callers_cannot_corrupt_the_cached_table(review: Review) -> None:
    review.annotate(ids(review, 1), tags=["kept"])
    first = review.papers
    first.loc[0, "title"] = "changed"
    first.loc[0, "tags"].append("injected")
    first.loc[1, "sources"].append("injected")
    first["decision"] = "include"
    again = review.papers
    assert again.loc[0, "title"] != "changed"
    assert again.loc[0, "tags"] == ["kept"]
    assert "injected" not in again.loc[1, "sources"]
    assert set(again["decision"]) == {"unscreened"}


def test_add_same_listing_twice_counts_unchanged(review: Review) -> None:
    summary = review.add(litreview.SAMPLE_LISTING)
    assert (summary.new, summary.updated, summary.unchanged) == (0, 0, 36)
    assert "36 unchanged" in str(summary)
    imports = review.imports()
    assert list(imports.columns) == [
        "source",
        "content_hash",
        "imported_at",
        "n_records",
        "n_new",
        "n_updated",
        "n_unchanged",
    ]
    assert imports["n_records"].tolist() == [36, 36]
    assert imports["n_new"].tolist() == [36, 0]
    assert imports["source"].tolist() == ["hf-papers-transformers.txt"] * 2
    assert imports["content_hash"].nunique() == 1 and len(imports["content_hash"][0]) == 64
    assert str(imports["imported_at"].dtype) == "datetime64[us]"


@pytest.mark.filterwarnings("error")
def test_reimporting_a_changed_listing_keeps_every_annotation(
    review: Review, tmp_path: Path
) -> None:
    papers = review.papers
    all_ids = papers["paper_id"].tolist()
    review.annotate(all_ids[:10], decision="include", tags=["core"], rating=4)
    review.annotate(all_ids[10:20], decision="exclude", reason="off topic", note="meh")
    before = state(review)

    text = litreview.SAMPLE_LISTING.read_text(encoding="utf-8")
    first_abstract = papers.loc[0, "abstract"]
    dropped_title = papers.loc[5, "title"]
    start = text.index(dropped_title)
    end = text.index(papers.loc[6, "title"])
    changed = text.replace(first_abstract, "A rewritten abstract.").replace(text[start:end], "")
    changed = changed.replace(papers.loc[3, "title"], papers.loc[3, "title"].upper())
    new = "A Brand New Paper About Screening\n\nIt is new.\n\n  • 2 authors\n·\nJan 3, 2025\n"
    changed = changed.rstrip("\n") + "\n\n" + new
    path = tmp_path / "changed.txt"
    path.write_text(changed, encoding="utf-8")

    summary = review.add(path)
    assert (summary.new, summary.updated) == (1, 2)
    assert summary.unchanged == 35 - 2
    after = review.papers
    assert len(after) == 37  # nothing is ever deleted by an import
    assert after.loc[0, "abstract"] == "A rewritten abstract."
    assert after.loc[3, "title"] == papers.loc[3, "title"].upper()
    assert after.loc[3, "paper_id"] == papers.loc[3, "paper_id"]
    pd.testing.assert_frame_equal(after[ANNOTATIONS].iloc[:36], before)
    assert after.loc[36, "decision"] == "unscreened"
    assert after.loc[0, "sources"][-1].startswith("changed.txt:")


def test_adding_an_annotated_table_warns_that_annotations_are_not_copied(
    review: Review, tmp_path: Path
) -> None:
    review.annotate(ids(review, 2), note="important")
    with Review.open(tmp_path / "copy.litreview", reviewer="ada") as other:
        with pytest.warns(UserWarning, match=r"2 papers.*import_annotations"):
            other.add(review.papers)
        assert len(other) == len(review)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            other.add(other.papers)  # nothing annotated: nothing to say


def test_dataframe_matches_by_arxiv_id_then_title(review: Review) -> None:
    df = review.papers[list(litreview.PAPER_COLUMNS)].iloc[:2].copy()
    df["arxiv_id"] = pd.array(["2401.00001", "2401.00002"], dtype="string")
    review.add(df)
    pid = df.loc[0, "paper_id"]
    review.annotate(pid, decision="maybe", note="check the revised version")
    revised = df.iloc[:1].copy()
    revised["title"] = "A Completely Retitled Version"
    revised["paper_id"] = litreview.paper_id("A Completely Retitled Version")
    revised["arxiv_id"] = pd.array(["arXiv:2401.00001v3"], dtype="string")
    summary = review.add(revised)
    assert (summary.new, summary.updated) == (0, 1)
    row = review.papers.set_index("paper_id").loc[pid]
    assert row["title"] == "A Completely Retitled Version"
    assert row["decision"] == "maybe" and row["note"] == "check the revised version"
    assert review.imports()["source"].iloc[-1] == "hf-papers-transformers.txt"


def test_same_title_different_arxiv_ids_stay_apart(tmp_path: Path) -> None:
    df = litreview.schema.papers_from_columns(
        {
            "paper_id": [litreview.paper_id("Attention")] * 2,
            "title": ["Attention", "Attention"],
            "arxiv_id": ["1111.11111", "2222.22222"],
        }
    )
    with Review.open(tmp_path / "r.litreview", reviewer="ada") as review:
        assert review.add(df).new == 2
        papers = review.papers
        assert papers["arxiv_id"].tolist() == ["1111.11111", "2222.22222"]
        assert papers["paper_id"].is_unique
        assert papers.loc[0, "paper_id"] == litreview.paper_id("Attention")
        again = review.add(df)
        assert (again.new, again.unchanged) == (0, 2)


# -- annotate and validation -----------------------------------------------------------


def test_annotate_one_and_many(review: Review) -> None:
    first, *rest = ids(review, 4)
    review.annotate(first, decision="exclude", reason=" off topic ", tags="later", rating=2)
    review.annotate(rest, decision="include", tags=["a", "b", "a"], note="good")
    review.annotate(rest[0], add_tags=["c"], remove_tags="a")
    p = review.papers.set_index("paper_id")
    assert p.loc[first, "decision"] == "exclude" and p.loc[first, "reason"] == "off topic"
    assert p.loc[first, "tags"] == ["later"] and p.loc[first, "rating"] == 2
    assert p.loc[rest[0], "tags"] == ["b", "c"] and p.loc[rest[1], "tags"] == ["a", "b"]
    assert p.loc[rest[1], "decided_by"] == "ada" and not pd.isna(p.loc[rest[1], "decided_at"])
    review.annotate(first, reason="", rating=pd.NA, tags=[])
    p = review.papers.set_index("paper_id")
    assert pd.isna(p.loc[first, "reason"]) and pd.isna(p.loc[first, "rating"])
    assert p.loc[first, "tags"] == []
    review.annotate(first, rating=3)
    review.annotate(first, rating="")  # "" clears a rating too, as the docstring says
    assert pd.isna(review.papers.set_index("paper_id").loc[first, "rating"])
    review.annotate(first, decision="unscreened")
    p = review.papers.set_index("paper_id")
    assert pd.isna(p.loc[first, "decided_by"]) and pd.isna(p.loc[first, "decided_at"])
    assert review.tags() == ["a", "b", "c"]
    assert review.reasons() == list(DEFAULT_REASONS)  # no reason in use: the defaults
    review.annotate(rest[0], decision="exclude", reason="too old")
    assert review.reasons() == ["too old", *DEFAULT_REASONS]  # reasons in use come first


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"decision": "inclde"}, "'unscreened', 'include', 'maybe', 'exclude'"),
        ({"decision": 1}, "decision must be one of"),
        ({"rating": 6}, "1 to 5"),
        ({"rating": 0}, "1 to 5"),
        ({"rating": 2.5}, "1 to 5"),
        ({"rating": True}, "1 to 5"),
        ({"rating": "3"}, "1 to 5"),
        ({"tags": ["ok", 3]}, "only str"),
        ({"add_tags": "  "}, "add_tags: a tag cannot be empty"),
        ({"remove_tags": ["ok", ""]}, "remove_tags: a tag cannot be empty"),
        ({"note": 12}, "note must be text"),
        ({}, "at least one of"),
    ],
)
def test_bad_values_raise_and_change_nothing(review: Review, kwargs: dict, message: str) -> None:
    review.annotate(ids(review, 2), decision="maybe")
    before, history = state(review), review.history()
    with pytest.raises(ValueError, match=message):
        review.annotate(ids(review, 5), **kwargs)
    pd.testing.assert_frame_equal(state(review), before)
    pd.testing.assert_frame_equal(review.history(), history)


def test_unknown_ids_raise_keyerror_with_closest_and_change_nothing(review: Review) -> None:
    good = ids(review, 3)
    typo = good[1][:-1] + ("0" if good[1][-1] != "0" else "1")
    before = state(review)
    with pytest.raises(KeyError) as info:
        review.annotate([good[0], typo, good[2]], decision="include")
    assert typo in str(info.value) and good[1] in str(info.value)
    assert "nothing was changed" in str(info.value)
    pd.testing.assert_frame_equal(state(review), before)
    assert review.history().empty
    with pytest.raises(KeyError, match="unknown paper id"):
        review.history("nope")


def test_bulk_annotate_is_one_transaction(tmp_path: Path) -> None:
    n = 2_000
    df = litreview.schema.papers_from_columns(
        {
            "paper_id": [f"p{i:05d}" for i in range(n)],
            "title": [f"Paper number {i}" for i in range(n)],
        }
    )
    with Review.open(tmp_path / "bulk.litreview", reviewer="ada") as review:
        review.add(df)
        review.annotate(df["paper_id"], decision="include", add_tags="bulk")
        history = review.history()
        assert len(history) == 2 * n
        assert history["at"].nunique() == 1  # one step, one timestamp
        conn = sqlite3.connect(review.path)
        steps = conn.execute("SELECT count(*), count(DISTINCT step_id) FROM history").fetchone()
        conn.close()
        assert steps == (2 * n, 1)
        review.undo()
        assert set(review.papers["decision"]) == {"unscreened"}


# -- history, undo, redo -------------------------------------------------------------------


def test_history_records_every_change(review: Review) -> None:
    pid = ids(review, 1)[0]
    review.annotate(pid, decision="include", tags=["x"])
    review.annotate(pid, decision="exclude", reason="duplicate")
    history = review.history(pid)
    assert list(history.columns) == [
        "paper_id",
        "reviewer",
        "at",
        "field",
        "old_value",
        "new_value",
    ]
    assert history[["field", "old_value", "new_value"]].values.tolist() == [
        ["decision", "unscreened", "include"],
        ["tags", [], ["x"]],
        ["decision", "include", "exclude"],
        ["reason", None, "duplicate"],
    ]
    assert set(history["reviewer"]) == {"ada"}
    review.undo()
    assert len(review.history(pid)) == 6  # undo is appended, nothing removed


def test_undo_redo_many_steps_restore_exact_states(review: Review) -> None:
    rng = random.Random(4)
    all_ids = ids(review)
    states = [state(review)]
    for _ in range(40):
        chosen = rng.sample(all_ids, rng.randint(1, 6))
        review.annotate(chosen, **random_edit(rng))
        if len(review.history()) and not state(review).equals(states[-1]):
            states.append(state(review))
    steps = len(states) - 1
    for k in range(1, steps + 1):
        review.undo()
        pd.testing.assert_frame_equal(state(review), states[-1 - k])
    with pytest.raises(LookupError, match="nothing to undo"):
        review.undo()
    for k in range(1, steps + 1):
        review.redo()
        pd.testing.assert_frame_equal(state(review), states[k])
    with pytest.raises(LookupError, match="nothing to redo"):
        review.redo()
    review.undo()
    review.annotate(all_ids[0], note="new branch")
    assert not review.can_redo and review.can_undo


def random_edit(rng: random.Random) -> dict:
    options = {
        "decision": lambda: rng.choice(DECISIONS),
        "reason": lambda: rng.choice(["off topic", "duplicate", ""]),
        "tags": lambda: rng.sample(["a", "b", "c", "d"], rng.randint(0, 3)),
        "add_tags": lambda: rng.choice(["a", "e"]),
        "remove_tags": lambda: rng.choice(["a", "b"]),
        "note": lambda: rng.choice(["n1", "n2", "ü ✓ note"]),
        "rating": lambda: rng.randint(1, 5),
    }
    names = rng.sample(sorted(options), rng.randint(1, 3))
    return {name: options[name]() for name in names}


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(0, 10_000), n_steps=st.integers(1, 12), n_undo=st.integers(0, 12))
def test_undo_then_redo_is_identity(tmp_path: Path, seed: int, n_steps: int, n_undo: int) -> None:
    rng = random.Random(seed)
    path = tmp_path / f"prop-{seed}-{n_steps}-{n_undo}.litreview"
    with Review.open(path, reviewer="ada") as review:
        review.add(litreview.SAMPLE_LISTING)
        all_ids = ids(review)
        for _ in range(n_steps):
            review.annotate(rng.sample(all_ids, 3), **random_edit(rng))
        final = state(review)
        undone = 0
        while undone < n_undo and review.can_undo:
            review.undo()
            undone += 1
        for _ in range(undone):
            review.redo()
        pd.testing.assert_frame_equal(state(review), final)


# -- reviewers -----------------------------------------------------------------------------


def test_two_reviewers_decisions_conflicts_and_kappa(locate: Callable[[str], str | Path]) -> None:
    path = locate("team")
    with Review.open(path, reviewer="ada") as ada:
        ada.add(litreview.SAMPLE_LISTING)
        all_ids = ids(ada)
        a = ["include"] * 10 + ["exclude"] * 10 + ["maybe"] * 4
        for pid, d in zip(all_ids, a, strict=False):
            ada.annotate(pid, decision=d)
    b = ["include"] * 8 + ["exclude"] * 12 + ["include"] * 4
    with Review.open(path, reviewer="bob") as bob:
        for pid, d in zip(all_ids, b, strict=False):
            bob.annotate(pid, decision=d)
        assert (bob.papers["decision"][:24] == b).all()
        bob.set_blind(False)  # on since bob screened (tests/review/test_team.py)
        table = bob.decisions()
        assert list(table.columns) == ["paper_id", "title", "ada", "bob"]
        assert table["ada"].tolist()[:24] == a and table["bob"].tolist()[:24] == b
        conflicts = bob.conflicts()
        assert len(conflicts) == 2 + 4
        expected = cohen_kappa_score(a, b)
        assert bob.agreement() == pytest.approx(expected)
        assert bob.agreement("ada", "bob") == pytest.approx(expected)
    with Review.open(path, reviewer="cy") as cy:
        with pytest.raises(ValueError, match="name reviewer_b"):
            cy.agreement()
        with pytest.raises(ValueError, match="no paper was screened by both"):
            cy.agreement("cy", "ada")


def test_default_reviewer_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LITREVIEW_REVIEWER", "env-person")
    with Review.open(tmp_path / "a.litreview") as review:
        assert review.reviewer == "env-person"
    monkeypatch.delenv("LITREVIEW_REVIEWER")
    monkeypatch.setattr("getpass.getuser", lambda: "os-person")
    with Review.open(tmp_path / "a.litreview") as review:
        assert review.reviewer == "os-person"
        assert review.path == tmp_path / "a.litreview"
    with pytest.raises(ValueError, match="reviewer"):
        Review.open(tmp_path / "a.litreview", reviewer="  ")


# -- exchange ------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_export_import_round_trip(review: Review, tmp_path: Path, suffix: str) -> None:
    chosen = ids(review, 5)
    review.annotate(chosen[:3], decision="exclude", reason="wrong study type, really", rating=1)
    review.annotate(chosen[2:], tags=["semi;colon", "ü"], note='quote " and\nnewline')
    out = review.export_annotations(tmp_path / f"ann{suffix}")
    text = out.read_text(encoding="utf-8")
    assert text.count("ada") >= 5
    with Review.open(tmp_path / "copy.litreview", reviewer="bob") as other:
        other.add(litreview.SAMPLE_LISTING)
        report = other.import_annotations(out)
        assert report.conflicts.empty and report.applied > 0 and not report.unknown_ids
        theirs = other.decisions()["ada"]
        assert theirs.equals(review.decisions()["ada"])
        with Review.open(other.path, reviewer="ada") as other_ada:
            pd.testing.assert_frame_equal(state(other_ada), state(review))
        other.undo()  # the import is one undoable step
        assert set(other.decisions()["ada"]) == {"unscreened"}


def test_import_reports_conflicts_instead_of_overwriting(review: Review, tmp_path: Path) -> None:
    a, b = ids(review, 2)
    review.annotate([a, b], decision="include", note="mine", tags=["x"])
    path = tmp_path / "theirs.jsonl"
    rows = [
        {"paper_id": a, "reviewer": "ada", "decision": "exclude", "note": "theirs", "tags": ["y"]},
        {"paper_id": b, "reviewer": "ada", "rating": 5},
        {"paper_id": "000000000000", "reviewer": "ada", "decision": "include"},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    report = review.import_annotations(path)
    assert report.unknown_ids == ["000000000000"]
    assert sorted(report.conflicts["field"]) == ["decision", "note"]
    assert set(report.conflicts["resolution"]) == {"kept local"}
    assert "2 conflict(s)" in str(report)
    p = review.papers.set_index("paper_id")
    assert p.loc[a, "decision"] == "include" and p.loc[a, "note"] == "mine"
    assert p.loc[a, "tags"] == ["x", "y"] and p.loc[b, "rating"] == 5
    report = review.import_annotations(path, on_conflict="replace")
    p = review.papers.set_index("paper_id")
    assert p.loc[a, "decision"] == "exclude" and p.loc[a, "note"] == "theirs"
    assert set(report.conflicts["resolution"]) == {"replaced"}


def test_import_keeping_a_decision_keeps_its_reason_too(review: Review, tmp_path: Path) -> None:
    a = ids(review, 1)[0]
    review.annotate(a, decision="include")
    path = tmp_path / "theirs.jsonl"
    row = {"paper_id": a, "reviewer": "ada", "decision": "exclude", "reason": "off topic"}
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    report = review.import_annotations(path)
    p = review.papers.set_index("paper_id")
    assert p.loc[a, "decision"] == "include" and pd.isna(p.loc[a, "reason"])
    assert sorted(report.conflicts["field"]) == ["decision", "reason"]
    assert set(report.conflicts["resolution"]) == {"kept local"}
    review.import_annotations(path, on_conflict="replace")
    p = review.papers.set_index("paper_id")
    assert p.loc[a, "decision"] == "exclude" and p.loc[a, "reason"] == "off topic"


def test_import_rows_repeating_a_paper_must_agree(review: Review, tmp_path: Path) -> None:
    a, b = ids(review, 2)
    path = tmp_path / "theirs.jsonl"
    rows = [
        {"paper_id": a, "reviewer": "bo", "decision": "include"},
        {"paper_id": b, "reviewer": "bo", "rating": 2},
        {"paper_id": a, "reviewer": "bo", "decision": "include"},  # the same again: fine
        {"paper_id": a, "reviewer": "cy", "decision": "exclude"},  # another reviewer: fine
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    report = review.import_annotations(path)
    assert report.conflicts.empty and report.applied == 3
    review.set_blind(False)  # two reviewers imported: blind mode is on
    decisions = review.decisions().set_index("paper_id")
    assert decisions.loc[a, ["bo", "cy"]].astype(str).tolist() == ["include", "exclude"]
    rows.append({"paper_id": b, "reviewer": "bo", "rating": 4})  # disagrees with line 2
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    before = review.history()
    with pytest.raises(ListingError, match=r"theirs.jsonl:5: expected one row per paper and "
                       r"reviewer \(line 2 has this one, differently\)"):  # fmt: skip
        review.import_annotations(path)
    pd.testing.assert_frame_equal(review.history(), before)  # nothing imported


def test_import_bad_rows_name_the_line_and_write_nothing(review: Review, tmp_path: Path) -> None:
    pid = ids(review, 1)[0]
    path = tmp_path / "bad.csv"
    path.write_text(
        f"paper_id,reviewer,decision,rating,decided_at\n{pid},ada,include,3,\n"
        f"{pid},ada,yes,9,\n{pid},bob,include,,yesterday\n",
        encoding="utf-8",
    )
    with pytest.raises(ListingError, match=r"bad.csv:3: .*decision must be one of") as info:
        review.import_annotations(path)
    assert "bad.csv:4: expected a valid row (decided_at must be an ISO 8601" in str(info.value)
    assert review.history().empty
    with pytest.raises(ValueError, match=r"expected a \.csv or \.jsonl"):
        review.import_annotations(tmp_path / "x.txt")


def test_annotations_of_papers_missing_from_the_snapshot_are_ignored() -> None:
    from litreview.review.store.history import annotation_columns

    rows = [
        ("b", "ada", "include", None, '["t"]', None, 3, "ada", "2025-01-02T03:04:05.000000"),
        ("new", "ada", "exclude", "off topic", "[]", None, None, "ada", None),
    ]
    cols = annotation_columns(pd.Index(["a", "b"]), rows)
    assert list(cols["decision"]) == ["unscreened", "include"]
    assert list(cols["tags"]) == [[], ["t"]] and cols["rating"].tolist() == [pd.NA, 3]
    assert pd.isna(cols["reason"][1]) and str(cols["decided_at"][1]) == "2025-01-02T03:04:05.000000"
