"""Pinned citation keys: stored the first time they are needed, unique across the review,
never changed by exports, imports or metadata completion; rekey and set_key on purpose."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import bibtexparser
import pandas as pd
import pytest

import litreview
from litreview.review.core import Review
from litreview.review.keys import PINNED, PINNED_SOURCE
from litreview.web.local_server import LocalAPIs
from litreview.writers.key_formula import FormulaError
from tests.paths import TESTS

WEB = TESTS / "fixtures" / "web"
BIB = TESTS / "fixtures" / "bibtex"


@pytest.fixture
def review(tmp_path: Path) -> Iterator[Review]:
    with Review.open(tmp_path / "r.litreview", reviewer="ada") as opened:
        opened.add(litreview.SAMPLE_LISTING)
        yield opened


def _keys(path: Path) -> dict[str, str]:
    """title -> key of a BibTeX file."""
    library = bibtexparser.parse_string(path.read_text(encoding="utf-8"))
    return {
        " ".join(e["title"].replace("{", "").replace("}", "").split()): e.key
        for e in library.entries
    }


def test_keys_survive_exports_selections_and_enrichment(
    review: Review, apis: LocalAPIs, tmp_path: Path
) -> None:
    """The issue's key test: included, then all, then enriched (authors become known),
    then exported again: every key that existed is unchanged."""
    ids = review.papers["paper_id"]
    review.annotate(ids[:5], decision="include")
    included = review.search("decision:include").drop(columns="score")
    first = _keys(review.export(included, tmp_path / "included.bib"))
    everything = _keys(review.export(None, tmp_path / "all.bib"))
    assert len(first) == 5 and len(everything) == 36
    assert all(everything[t] == k for t, k in first.items())
    assert len({k.casefold() for k in everything.values()}) == 36
    report = review.enrich()
    assert report.papers_changed == 36 and (review.papers["authors"].map(len) > 0).all()
    after = _keys(review.export(None, tmp_path / "all-enriched.bib"))
    assert after == everything
    # the formula on the enriched papers would now start with an author's name
    fresh = litreview.to_bibtex(review.papers.assign(citation_key=None))
    assert len(_keys_of(fresh)) == 36 and set(_keys_of(fresh)) != set(everything.values())
    # the plain writer on the review's papers gets the pinned keys too
    assert set(_keys_of(litreview.to_bibtex(review.papers))) == set(everything.values())


def _keys_of(text: str) -> list[str]:
    return re.findall(r"^@\w+\{([^,]+),", text, flags=re.MULTILINE)


def test_pinning_happens_once_is_logged_and_an_import_never_replaces_it(review: Review) -> None:
    pid = review.papers["paper_id"].iloc[0]
    assert review.papers["citation_key"].isna().all()
    key = review.citation_keys(pid).iloc[0]
    assert key == "DoracamomJoint3D2025"
    assert review.papers.set_index("paper_id").at[pid, "citation_key"] == key
    log = review.key_history()
    assert log[["paper_id", "reviewer", "action", "new_key"]].values.tolist() == [
        [pid, "ada", "pin", key]
    ]
    assert review.citation_keys(pid).iloc[0] == key and len(review.key_history()) == 1
    title = review.papers.set_index("paper_id").at[pid, "title"]
    bib = (
        f"@article{{Other2025,\n  title = {{{title}}},\n  author = {{Zed, Ann}},\n"
        "  year = {2025}\n}\n"
    )
    review.add(bib)  # a source with its own key for the same paper
    assert review.papers.set_index("paper_id").at[pid, "citation_key"] == key
    ranks = review._store.read(
        lambda c: c.execute("SELECT ranks FROM papers WHERE paper_id = ?", (pid,)).fetchone()[0]
    )
    from litreview.readers.policy import RANKED, decode_ranks

    assert decode_ranks(ranks)[RANKED.index("citation_key")] == PINNED
    # annotations' undo is not disturbed by key steps
    review.annotate(pid, decision="include")
    review.undo()
    assert review.citation_keys(pid).iloc[0] == key


def test_imported_keys_are_the_papers_keys_and_stay_unique(tmp_path: Path) -> None:
    with Review.open(tmp_path / "r.litreview", reviewer="ada") as review:
        review.add(BIB / "zotero_export.bib")
        own = review.papers.set_index("paper_id")["citation_key"]
        assert own.notna().all()
        keys = review.citation_keys()
        assert keys.to_dict() == own.to_dict()
        state = review._store.read(lambda c: c.execute("SELECT ranks FROM papers").fetchall())
        from litreview.readers.policy import RANKED, decode_ranks

        assert {decode_ranks(r[0])[RANKED.index("citation_key")] for r in state} == {PINNED_SOURCE}
        text = review.export(None, tmp_path / "out.bib").read_text()
        assert sorted(_keys_of(text)) == sorted(own)
        # a listing paper whose formula key is an imported key gets a postfix, never the key
        clash = own.iloc[0]
        df = litreview.schema.papers_from_columns({"paper_id": ["x1"], "title": ["Zzz Unique"]})
        review.add(df)
        review.set_key_formula(f"'{clash}'")
        new = review.citation_keys("x1").iloc[0]
        assert new.casefold() != clash.casefold() and new.startswith(clash)


def test_rekey_recomputes_on_purpose_and_set_key_checks(review: Review) -> None:
    pid = review.papers["paper_id"].iloc[0]
    old = review.citation_keys(pid).iloc[0]
    assert review.set_key_formula("shorttitle(1).lower + '_' + year") is True
    assert review.citation_keys(pid).iloc[0] == old  # pinned keys stay
    changed = review.rekey(pid)
    assert changed.values.tolist() == [[pid, old, "doracamom_2025"]]
    assert review.citation_keys(pid).iloc[0] == "doracamom_2025"
    other = review.papers["paper_id"].iloc[1]
    with pytest.raises(ValueError, match=r"(?i)doracamom_2025.*already"):
        review.set_key(other, "Doracamom_2025")  # biber compares keys without case
    with pytest.raises(ValueError, match="without spaces"):
        review.set_key(other, "a key")
    with pytest.raises(KeyError):
        review.set_key("no-such-paper", "x")
    review.set_key(other, "mine:2023")
    assert review.citation_keys(other).iloc[0] == "mine:2023"
    log = review.key_history()
    assert log["action"].tolist() == ["pin", "rekey", "set-key"]
    assert log.iloc[-1][["old_key", "new_key"]].tolist()[1] == "mine:2023"
    with pytest.raises(FormulaError, match="unknown function"):
        review.set_key_formula("auth + yeer")
    settings = review.setting("keys.formula")
    assert settings == "shorttitle(1).lower + '_' + year"


def test_keys_are_unique_across_the_review_not_per_export(tmp_path: Path) -> None:
    twins = litreview.schema.papers_from_columns(
        {
            "paper_id": ["p1", "p2", "p3"],
            "title": ["Attention Is All You Need", "Attention Is All You Need Too", "Other"],
            "authors": [["Ashish Vaswani"], ["Ashish Vaswani"], ["Ann Zed"]],
            "published": pd.to_datetime(["2017-06-12", "2017-06-12", "2020-01-01"]),
        }
    )
    with Review.open(tmp_path / "r.litreview", reviewer="ada") as review:
        review.add(twins)
        ids = review.papers.set_index("title")["paper_id"]
        second = review.citation_keys(ids["Attention Is All You Need Too"]).iloc[0]
        first = review.citation_keys(ids["Attention Is All You Need"]).iloc[0]
        # the first pinned keeps the bare key, the next the BBT postfix 'a'
        assert (second, first) == ("vaswaniAttentionAllYou2017", "vaswaniAttentionAllYou2017a")
        out = review.export(review.papers.iloc[[0]], tmp_path / "one.bib").read_text()
        assert _keys_of(out) == [review.citation_keys(review.papers["paper_id"][0]).iloc[0]]


def test_pinning_rekey_and_auto_export_on_both_backends(locate, tmp_path: Path) -> None:
    """The same rules on a review file and on a server review (PostgreSQL)."""
    with Review.open(locate("keys"), reviewer="ada") as review:
        review.add(litreview.SAMPLE_LISTING)
        ids = review.papers["paper_id"]
        out = review.auto_export(tmp_path / "included.bib", query="decision:include")
        review.annotate(ids[:2], decision="include")
        keys = review.citation_keys(ids[:2]).tolist()
        assert sorted(_keys_of(out.read_text())) == sorted(keys)
        changed = review.rekey(ids[0])
        assert changed.empty  # the same formula gives the same key: nothing changes
        review.set_key(ids[0], "mine2025")
        assert "{mine2025," in out.read_text()  # the auto-export followed the new key
        assert review.key_history()["action"].tolist() == ["pin", "pin", "set-key"]
    with Review.open(locate("keys"), reviewer="bob") as again:  # another reviewer, later
        assert again.citation_keys(ids[0]).iloc[0] == "mine2025"


def test_a_bibtex_file_through_a_review_comes_back_as_it_was(tmp_path: Path) -> None:
    """Zotero and JabRef files -> review -> review.export: the same text as the writer
    gives for the file read directly (keys, types, every field)."""
    import warnings

    for name in ("zotero_export.bib", "jabref_export.bib", "latex_zotero_jabref.bib"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            direct = litreview.read_listing(BIB / name)
        with Review.open(tmp_path / f"{name}.litreview", reviewer="ada") as review:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # the untitled record is reported, and kept
                review.add(BIB / name)
            text = review.export(None, tmp_path / f"{name}.out.bib").read_text()
            order = review.papers["paper_id"].tolist()
        direct = direct.set_index("paper_id").loc[order].reset_index()
        assert sorted(_keys_of(text)) == sorted(direct["citation_key"].dropna())
        assert text == litreview.to_bibtex(direct), name


def test_a_reviews_bibtex_export_carries_its_extraction_fields(
    review: Review, tmp_path: Path
) -> None:
    review.define_field("sample_size", "number")
    pid = review.papers["paper_id"][0]
    review.annotate(pid, fields={"sample_size": 120})
    one = review.papers[review.papers["paper_id"] == pid]
    bibtex = review.export(one, tmp_path / "one.bib").read_text()
    assert "sample_size = {120}" in bibtex
    biblatex = review.export(one, tmp_path / "one-biblatex.bib", dialect="biblatex").read_text()
    assert "sample_size" not in biblatex and "date = {2025-01-25}" in biblatex


def test_a_source_key_bibtex_cannot_read_is_cleaned_when_pinned(tmp_path: Path) -> None:
    df = litreview.schema.papers_from_columns(
        {"paper_id": ["p1"], "title": ["T"], "citation_key": ["Smith 2020, {draft}"]}
    )
    assert _keys_of(litreview.to_bibtex(df)) == ["Smith2020draft"]
    with Review.open(tmp_path / "r.litreview", reviewer="ada") as review:
        review.add(df)
        assert review.citation_keys("p1").iloc[0] == "Smith2020draft"
        assert review.key_history()[["old_key", "new_key"]].values.tolist() == [
            ["Smith 2020, {draft}", "Smith2020draft"]
        ]


def test_keys_changed_on_purpose_are_in_the_reviews_history(review: Review) -> None:
    pid = review.papers["paper_id"][0]
    review.annotate(pid, decision="include")
    old = review.citation_keys(pid).iloc[0]  # the first pinning is not a change of yours
    assert review.history()["field"].tolist() == ["decision"]
    review.set_key(pid, "mine2025")
    log = review.history(pid)
    assert log["field"].tolist() == ["decision", "citation_key"]
    assert log.iloc[-1][["reviewer", "old_value", "new_value"]].tolist() == ["ada", old, "mine2025"]
    assert log["at"].is_monotonic_increasing and log["at"].dtype == review.history()["at"].dtype


def test_undo_and_redo_take_key_changes_back_in_order(review: Review) -> None:
    ids = review.papers["paper_id"]
    pinned = review.citation_keys(ids[:2]).tolist()
    review.annotate(ids[0], decision="include")
    review.set_key_formula("shorttitle(1).lower + year")
    review.rekey(ids[:2])
    rekeyed = review.citation_keys(ids[:2]).tolist()
    assert rekeyed != pinned and review.can_undo
    undone = review.undo()  # the latest change: the rekey
    assert undone["field"].unique().tolist() == ["citation_key"] and len(undone) == 2
    assert review.citation_keys(ids[:2]).tolist() == pinned
    assert review.papers.set_index("paper_id").at[ids[0], "decision"] == "include"
    assert review.can_redo
    review.redo()
    assert review.citation_keys(ids[:2]).tolist() == rekeyed
    review.undo()
    review.undo()  # then the decision, the change before it
    assert review.papers.set_index("paper_id").at[ids[0], "decision"] == "unscreened"
    assert review.citation_keys(ids[:2]).tolist() == pinned  # a pinned key never goes away
    with pytest.raises(LookupError):
        review.undo()
    # a key changed since is left as it is
    review.set_key(ids[0], "first2025")
    review.set_key(ids[1], "second2025")
    other = Review(review._store, "bob")
    other.set_key(ids[1], "bobs2025")
    review.undo()  # ada's latest: second2025 -> its pinned key? it is bob's now: left
    assert review.citation_keys(ids[1]).iloc[0] == "bobs2025"
    review.undo()
    assert review.citation_keys(ids[0]).iloc[0] == pinned[0]


def test_undo_after_enrich_and_rekey(review: Review, apis: LocalAPIs) -> None:
    pid = review.papers["paper_id"][0]
    pinned = review.citation_keys(pid).iloc[0]
    review.enrich()
    assert review.papers.set_index("paper_id").at[pid, "authors"]
    review.rekey(pid)  # the formula now sees the authors
    assert review.citation_keys(pid).iloc[0].startswith("lovelace")
    review.undo()
    assert review.citation_keys(pid).iloc[0] == pinned
    assert review.papers.set_index("paper_id").at[pid, "authors"]  # still enriched
    review.undo()  # now the enrichment
    assert list(review.papers.set_index("paper_id").at[pid, "authors"]) == []
    assert review.citation_keys(pid).iloc[0] == pinned


def test_an_undone_key_change_is_in_both_histories(review: Review) -> None:
    pid = review.papers["paper_id"][0]
    old = review.citation_keys(pid).iloc[0]
    review.set_key(pid, "mine2025")
    review.undo()
    assert review.key_history()["action"].tolist() == ["pin", "set-key", "undo"]
    log = review.history(pid)
    assert log[["field", "old_value", "new_value"]].values.tolist() == [
        ["citation_key", old, "mine2025"],
        ["citation_key", "mine2025", old],
    ]


def test_pinned_keys_in_papers_leave_arxiv_fields_to_plain_exports(tmp_path: Path) -> None:
    """A key the review pinned on a Hugging Face paper is not a source's key: exporting
    ``review.papers`` or a search with ``litreview.to_bibtex`` keeps eprint and the page URL
    and writes the pinned keys (it wrote neither eprint nor archivePrefix once pinned)."""
    with Review.open(tmp_path / "r.litreview", reviewer="ada") as review:
        review.add(WEB / "hf_daily_2025-06-02.json")
        before = litreview.to_bibtex(review.papers)
        review.export(None, tmp_path / "pinned.bib")
        pinned = set(review.citation_keys())
        for frame in (review.papers, review.search("")):
            text = litreview.to_bibtex(frame)
            assert text.count("eprint =") == before.count("eprint =") == 2
            assert text.count("archivePrefix =") == 2
            assert text.count("url = {https://huggingface.co/papers/") == 2
            assert {e.key for e in bibtexparser.parse_string(text).entries} == pinned
        assert litreview.to_bibtex(review.papers) == (tmp_path / "pinned.bib").read_text(
            encoding="utf-8"
        )
