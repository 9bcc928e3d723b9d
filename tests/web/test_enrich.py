"""Completing the bundled sample from the local stand-in APIs: every paper gets authors,
an arXiv id and a URL; ambiguous titles wait for you; your own values are never replaced;
undo takes an enrichment back; a second run is answered by the cache; offline asks nobody."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd
import pybtex.database
import pybtex.errors
import pytest

import litreview
from litreview.review.core import Review
from litreview.web import WebError
from litreview.web.local_server import LocalAPIs

FILLED = ["authors", "arxiv_id", "url"]


@pytest.fixture
def sample(locate: Callable[[str], str | Path], apis: LocalAPIs) -> Iterator[Review]:
    with Review.open(locate("r"), reviewer="ada") as review:  # a file, and a server review
        review.add(litreview.SAMPLE_LISTING)
        yield review


def test_the_sample_gets_authors_arxiv_id_and_url(sample: Review, apis: LocalAPIs) -> None:
    before = sample.papers
    assert before["arxiv_id"].isna().all() and (before["authors"].map(len) == 0).all()
    report = sample.enrich()
    papers = sample.papers
    assert (papers["authors"].map(len) > 0).all()
    assert (
        papers["arxiv_id"].notna().all()
        and papers["url"].str.startswith("https://arxiv.org/abs/").all()
    )
    assert (papers["n_authors"] == before["n_authors"]).all()  # the counts the capture showed
    assert report.papers_changed == 36 and report.to_confirm.empty and report.not_found == []
    # one HF search per title, one arXiv title search for the paper HF does not know,
    # one arXiv id_list batch, one OpenAlex batch
    assert report.stats.requests == apis.count("/") == 36 + 1 + 1 + 1
    # preprints since published: DOI and venue, the arXiv id kept
    tnt = papers.set_index("title").loc["Transformer in Transformer"]
    assert (tnt["doi"], tnt["venue"]) == (
        "10.5555/lrtest.2021.0010",
        "Advances in Neural Information Processing Systems",
    )
    assert tnt["arxiv_id"] == "2102.13630" and tnt["entry_type"] == "inproceedings"
    font = papers.set_index("title").loc[papers.loc[1, "title"]]  # arXiv's own DOI and journal ref
    assert font["doi"] == "10.5555/lrtest.2023.0001" and font["venue"].startswith("Proc. CVPR 2023")
    # every enriched field is in the history, with its source
    log = sample.enrichments()
    assert len(log) == len(report.changes) and log["source"].notna().all()
    assert set(FILLED) <= set(log["field"])
    first = log[log["paper_id"] == papers.loc[0, "paper_id"]].set_index("field")
    assert first.loc["arxiv_id", "source"] == "Hugging Face search, same title"
    assert first.loc["authors", "source"] == f"arXiv {papers.loc[0, 'arxiv_id']}"
    assert (
        first.loc["authors", "old_value"] is None
        and first.loc["authors", "new_value"] == papers.loc[0, "authors"]
    )
    assert log.loc[log["field"] == "doi", "source"].str.contains("OpenAlex|arXiv").all()


def test_its_bibtex_entries_become_citable(sample: Review, tmp_path: Path) -> None:
    refs = tmp_path / "refs.bib"
    litreview.to_bibtex(sample.papers, refs)
    before = pybtex.database.parse_file(str(refs))
    assert not any("author" in e.persons for e in before.entries.values())  # a title and a year
    sample.enrich()
    litreview.to_bibtex(sample.papers, refs, overwrite=True)
    pybtex.errors.set_strict_mode(True)
    try:
        data = pybtex.database.parse_file(str(refs))
    finally:
        pybtex.errors.set_strict_mode(False)
    assert len(data.entries) == 36
    for key, entry in data.entries.items():
        assert entry.persons.get("author"), key
        fields = {name.lower(): value for name, value in entry.fields.items()}
        assert fields["archiveprefix"] == "arXiv" and fields["eprint"], key
        assert fields["url"] == f"https://arxiv.org/abs/{fields['eprint']}", key
    _bibtex_biber_pdflatex(refs)


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is not installed (texlive-binaries, texlive-latex-base, biber)")
    return path


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=120)


def _bibtex_biber_pdflatex(refs: Path) -> None:
    """The checks the writer tests make: bibtex without warnings, biber's data model,
    a pdflatex + bibtex + pdflatex run without errors."""
    where = refs.parent
    (where / "chk.aux").write_text("\\citation{*}\n\\bibstyle{plain}\n\\bibdata{refs}\n")
    result = _run([_tool("bibtex"), "-terse", "chk"], where)
    log = (where / "chk.blg").read_text()
    assert result.returncode == 0 and "Warning" not in log, log
    assert (where / "chk.bbl").read_text().count("\\bibitem") == 36
    out = where / "out.bib"
    checked = _run(
        [_tool("biber"), "--tool", "--validate-datamodel", f"--output-file={out}", str(refs)], where
    )
    assert checked.returncode == 0 and "ERROR" not in checked.stdout + checked.stderr
    # biber's data model accepts every entry as it is (a venue of a @misc is howpublished)
    warned = [line for line in checked.stdout.splitlines() if line.startswith("WARN")]
    assert not warned, warned
    (where / "doc.tex").write_text(
        "\\documentclass{article}\n\\begin{document}\n\\nocite{*}\n"
        "\\bibliographystyle{plain}\n\\bibliography{refs}\n\\end{document}\n"
    )
    latex = [_tool("pdflatex"), "-interaction=nonstopmode", "-halt-on-error", "doc"]
    assert _run(latex, where).returncode == 0
    assert _run([_tool("bibtex"), "doc"], where).returncode == 0
    second = _run(latex, where)
    errors = [
        line
        for line in (where / "doc.log").read_text(errors="replace").splitlines()
        if line.startswith("!")
    ]
    assert second.returncode == 0 and not errors, errors


def test_a_second_run_is_answered_by_the_cache_and_offline_asks_nobody(
    sample: Review, apis: LocalAPIs, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sample.enrich()
    sent = len(apis.requests)
    again = sample.enrich()
    assert again.stats.requests == 0 and len(apis.requests) == sent
    assert again.changes.empty
    monkeypatch.setenv("LITREVIEW_OFFLINE", "1")
    with Review.open(tmp_path / "fresh.litreview") as fresh:  # the same enrichment, offline
        fresh.add(litreview.SAMPLE_LISTING)
        report = fresh.enrich()
        assert report.stats.requests == 0 and report.stats.cache_hits == 36 + 1 + 1 + 1
        assert fresh.papers["arxiv_id"].tolist() == sample.papers["arxiv_id"].tolist()
    assert len(apis.requests) == sent


def test_offline_with_nothing_cached_changes_nothing(
    sample: Review, apis: LocalAPIs, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LITREVIEW_OFFLINE", "1")
    with pytest.raises(WebError, match=r"^offline \(LITREVIEW_OFFLINE=1\) and not in the cache"):
        sample.enrich()
    assert apis.requests == [] and sample.enrichments().empty and not sample.can_undo


def test_a_network_failure_leaves_the_review_unchanged(sample: Review, apis: LocalAPIs) -> None:
    before = sample.papers
    apis.fail("status", "/arxiv/api/query?id_list=", times=10, status=503)
    with pytest.raises(WebError, match="HTTP 503"):
        sample.enrich()
    pd.testing.assert_frame_equal(sample.papers, before)
    assert sample.enrichments().empty and not sample.can_undo


def test_a_title_two_papers_share_waits_for_you(tmp_path: Path, apis: LocalAPIs) -> None:
    with Review.open(tmp_path / "r.litreview") as review:
        review.add("@misc{v, title={Attention Is All You Need}, year={2017}}\n")
        pid = review.papers.loc[0, "paper_id"]
        report = review.enrich()
        assert report.changes.empty and pd.isna(review.papers.loc[0, "arxiv_id"])
        row = report.to_confirm.iloc[0]
        assert (row["paper_id"], row["candidate_arxiv_id"]) == (pid, "1706.03762")
        assert row["reason"] == "2 papers have this title"
        confirmed = review.enrich(confirm={pid: "1706.03762"})
        paper = review.papers.iloc[0]
        assert paper["arxiv_id"] == "1706.03762" and paper["authors"] == [
            "Ashish Vaswani",
            "Noam Shazeer",
        ]
        source = review.enrichments().set_index("field").loc["arxiv_id", "source"]
        assert source == "confirmed by you" and confirmed.to_confirm.empty


def test_a_nearly_equal_title_needs_the_year_and_an_author(tmp_path: Path, apis: LocalAPIs) -> None:
    near = "Scaling Laws for Neural Language Model"  # one letter off
    with Review.open(tmp_path / "r.litreview") as review:
        review.add(f"@misc{{a, title={{{near}}}, year={{2020}}}}\n")
        report = review.enrich()
        assert report.changes.empty
        assert report.to_confirm.loc[0, "reason"] == "nearly the same title, no author to compare"
        review.add(f"@misc{{a, title={{{near}}}, author={{Kaplan, Jared}}, year={{2020}}}}\n")
        done = review.enrich()
        assert review.papers.loc[0, "arxiv_id"] == "2001.08361"
        assert "nearly the same title, same year, shared authors" in done.changes["source"].iloc[0]
        # accepting the candidate shown by its paper_id works too
        review.add("@misc{b, title={Scaling Law for Neural Language Models}, year={2019}}\n")
        other = review.papers.loc[1, "paper_id"]
        assert review.enrich(other).to_confirm.loc[0, "paper_id"] == other
        review.enrich(other, confirm=[other])
        assert review.papers.set_index("paper_id").loc[other, "arxiv_id"] == "2001.08361"


def test_your_own_values_are_never_replaced(sample: Review) -> None:
    mine = sample.papers.head(2)[["paper_id", "title"]].copy()
    mine["authors"] = [["My Own Name"], []]
    mine["url"] = ["https://example.org/mine", None]
    sample.add(mine)
    sample.enrich()
    papers = sample.papers.set_index("paper_id")
    first, second = mine["paper_id"]
    assert papers.loc[first, "authors"] == ["My Own Name"]
    assert papers.loc[first, "url"] == "https://example.org/mine"
    assert pd.notna(papers.loc[first, "arxiv_id"])  # what you left empty is completed
    assert len(papers.loc[second, "authors"]) > 0  # an empty cell in your table is not a value


def test_undo_takes_the_enrichment_back_and_redo_reapplies_it(sample: Review) -> None:
    before = sample.papers
    sample.enrich()
    after = sample.papers
    first = after.loc[0, "paper_id"]
    sample.annotate(first, decision="include")
    sample.undo()  # the annotation first: the latest change
    assert sample.papers.loc[0, "decision"] == "unscreened" and sample.papers.loc[0, "arxiv_id"]
    undone = sample.undo()  # then the enrichment, every field of it
    assert set(undone["field"]) >= set(FILLED)
    pd.testing.assert_frame_equal(sample.papers, before)
    assert sample.can_redo
    sample.redo()
    pd.testing.assert_frame_equal(sample.papers, after.assign(decision=sample.papers["decision"]))
    assert list(sample.enrichments()["action"].unique()) == ["enrich", "undo", "redo"]
    sample.redo()  # then the annotation, undone before the enrichment
    assert sample.papers.loc[0, "decision"] == "include"
    with pytest.raises(LookupError):
        sample.redo()


def test_dry_run_and_progress(sample: Review) -> None:
    seen: list[tuple[int, int]] = []
    report = sample.enrich(
        dry_run=True, progress=lambda done, total, message: seen.append((done, total))
    )
    assert len(report.changes) > 100 and report.dry_run and "would complete 36" in str(report)
    assert sample.enrichments().empty and sample.papers["arxiv_id"].isna().all()
    assert seen[-1][0] == seen[-1][1] and all(d <= t for d, t in seen)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_a_query_or_ids_choose_the_papers(sample: Review, apis: LocalAPIs) -> None:
    report = sample.enrich(query='"point cloud"')
    assert report.looked_up == 2 and apis.count("/hf/api/papers/search") == 2
    with pytest.raises(KeyError, match="no paper 'nope'"):
        sample.enrich("nope")
