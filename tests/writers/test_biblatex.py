"""The biblatex dialect: biblatex's types, fields and dates, checked by biber's data model
and a biblatex + biber + pdflatex run with no errors or warnings."""

from __future__ import annotations

import re
import shutil
import subprocess
import warnings
from pathlib import Path

import bibtexparser
import pandas as pd
import pytest

import litreview
from tests.paths import TESTS
from tests.writers.test_bibtex import full_selection

EVERY_TYPE = TESTS / "fixtures" / "biblatex" / "every_type.bib"
READER_FIXTURES = [
    *sorted((TESTS / "fixtures" / "bibtex").glob("*.bib")),
    *sorted((TESTS / "fixtures" / "ris").glob("*.ris")),
]
#: What biber may say about a record that lacks data (never about a field we wrote).
MISSING_DATA = re.compile(r"Missing mandatory field|ISBN '[^']*' in entry '[^']*' is invalid")


def _read(path: Path) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # untitled records are reported, and kept
        return litreview.read_listing(path)


def complete() -> pd.DataFrame:
    """Every entry type, complete, and the writer's hard cases that have a date."""
    hard = full_selection()
    return pd.concat([_read(EVERY_TYPE), hard[hard["published"].notna()]], ignore_index=True)


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(
            f"{name} is not installed: run `make test` as root (it installs biber, "
            "texlive-latex-recommended and texlive-bibtex-extra) or apt-get install them"
        )
    return path


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=180)


def _validate(refs: Path) -> list[str]:
    """biber's data-model messages (ERROR fails the test)."""
    out = refs.parent / "validated.bib"
    result = _run(
        [_tool("biber"), "--tool", "--validate-datamodel", f"--output-file={out}", str(refs)],
        refs.parent,
    )
    text = result.stdout + result.stderr
    assert result.returncode == 0 and "ERROR" not in text, text
    return [line for line in text.splitlines() if line.startswith("WARN")]


def _entries(text: str) -> dict[str, bibtexparser.model.Entry]:
    return {e.key: e for e in bibtexparser.parse_string(text).entries}


def test_entry_types_fields_and_dates() -> None:
    entries = _entries(litreview.to_bibtex(complete(), dialect="biblatex"))
    kinds = {k: e.entry_type for k, e in entries.items()}
    assert kinds["okafor_screening_2019"] == "article"
    assert kinds["ozturk_thesis_2020"] == kinds["roe_thesis_2017"] == "thesis"
    assert kinds["who_report_2021"] == "report" and kinds["zhang_conf_2018"] == "inproceedings"
    assert kinds["vaswani_attention_2017"] == "online" and kinds["doe_inbook_2012"] == "book"
    article = entries["okafor_screening_2019"].fields_dict
    assert article["journaltitle"].value == "Systematic Reviews" and "journal" not in article
    assert article["date"].value == "2019-06" and "year" not in article and "month" not in article
    assert entries["ozturk_thesis_2020"]["type"] == "phdthesis"
    assert entries["roe_thesis_2017"]["type"] == "mathesis"
    assert entries["ozturk_thesis_2020"]["institution"] == "Université de Paris"
    assert entries["who_report_2021"]["type"] == "techreport"
    assert entries["who_report_2021"]["location"] == "Geneva"
    assert entries["knuth_art_1997"]["date"] == "1997"  # a year alone: no month invented
    arxiv = entries["vaswani_attention_2017"]
    assert (arxiv["eprint"], arxiv["eprinttype"], arxiv["eprintclass"]) == (
        "1706.03762",
        "arxiv",
        "cs.CL",
    )
    assert "archivePrefix" not in arxiv.fields_dict and "primaryClass" not in arxiv.fields_dict
    # a paper from a listing with its arXiv id and a day: @online with the whole date
    listing = entries["vaswaniAttentionAllYou2017"]
    assert listing.entry_type == "online" and listing["date"] == "2017-06-12"
    assert listing["eprinttype"] == "arxiv" and "howpublished" not in listing.fields_dict
    assert (
        "key" not in entries["Transformers2021"].fields_dict
        if "Transformers2021" in entries
        else True
    )


def test_every_type_passes_bibers_data_model_without_a_warning(tmp_path: Path) -> None:
    refs = tmp_path / "refs.bib"
    df = complete()
    litreview.to_bibtex(df, refs, dialect="biblatex")
    assert len(_entries(refs.read_text())) == len(df)
    assert _validate(refs) == []


def test_real_exports_warn_only_about_the_data_they_lack(tmp_path: Path) -> None:
    """Zotero, JabRef, EndNote, Web of Science records: their own non-biblatex fields
    (JabRef's owner, timestamp…) are left out or moved; biber only says what is missing."""
    refs = tmp_path / "refs.bib"
    df = pd.concat([_read(p) for p in READER_FIXTURES], ignore_index=True)
    litreview.to_bibtex(df, refs, dialect="biblatex")
    warned = _validate(refs)
    assert all(MISSING_DATA.search(w) for w in warned), warned
    assert not any("Invalid field" in w or "invalid in data model" in w for w in warned)
    # the BibTeX dialect keeps every field the sources gave (the round trip tests say so)
    assert "owner" in litreview.to_bibtex(df) and "owner" not in refs.read_text()


@pytest.mark.slow
def test_biblatex_biber_pdflatex_run_has_no_errors_or_warnings(tmp_path: Path) -> None:
    refs = tmp_path / "refs.bib"
    litreview.to_bibtex(complete(), refs, dialect="biblatex")
    (tmp_path / "doc.tex").write_text(
        "\\documentclass{article}\n\\usepackage[T1]{fontenc}\n\\usepackage{lmodern}\n\\usepackage[utf8]{inputenc}\n"
        "\\usepackage[backend=biber,style=authoryear]{biblatex}\n\\addbibresource{refs.bib}\n"
        "\\begin{document}\nSee \\textcite{vaswaniAttentionAllYou2017}.\n\\nocite{*}\n"
        "\\printbibliography\n\\end{document}\n"
    )
    latex = [_tool("pdflatex"), "-interaction=nonstopmode", "-halt-on-error", "doc"]
    first = _run(latex, tmp_path)
    assert first.returncode == 0, first.stdout[-3000:]
    biber = _run([_tool("biber"), "doc"], tmp_path)
    blg = (tmp_path / "doc.blg").read_text(errors="replace")
    assert biber.returncode == 0, blg
    assert not [line for line in blg.splitlines() if "WARN" in line or "ERROR" in line], blg
    _run(latex, tmp_path)  # authoryear labels settle on the second pass
    second = _run(latex, tmp_path)
    log = (tmp_path / "doc.log").read_text(errors="replace")
    problems = [line for line in log.splitlines() if line.startswith("!") or "Warning" in line]
    assert second.returncode == 0 and not problems, problems or log[-3000:]
    assert (tmp_path / "doc.pdf").stat().st_size > 1000


def test_the_biblatex_format_for_export_and_the_app(tmp_path: Path) -> None:
    """``format="biblatex"`` (the app's Export tab offers it) writes the same text, and
    a review's export of it carries the review's pinned keys."""
    from litreview.writers.formats import FORMATS, get_format

    df = complete()
    path = litreview.export(df, tmp_path / "refs.bib", format="biblatex")
    assert path.read_text() == litreview.to_bibtex(df, dialect="biblatex")
    assert "biblatex (biber)" in [f.label for f in FORMATS]
    assert get_format("biblatex").suffix == ".bib"
    with litreview.Review.open(tmp_path / "r.litreview", reviewer="ada") as review:
        review.add(litreview.SAMPLE_LISTING)
        text = review.export(None, tmp_path / "review.bib", format="biblatex").read_text()
        keys = review.papers["citation_key"]
        assert keys.notna().all() and all("{" + k + "," in text for k in keys)
        assert "date = {" in text and "\tyear = {" not in text


def test_an_arxiv_feed_paper_gets_its_primary_class_in_both_dialects() -> None:
    df = litreview.schema.papers_from_columns(
        {
            "paper_id": ["a"],
            "title": ["Attention Is All You Need"],
            "authors": [["Ashish Vaswani"]],
            "arxiv_id": ["1706.03762"],
            "published": ["2017-06-12"],
            "date_precision": ["day"],
            "entry_type": ["preprint"],
            "extra": [{"arxiv:primary_category": "cs.CL", "arxiv:comment": "15 pages"}],
        }
    )
    bibtex = _entries(litreview.to_bibtex(df))["vaswaniAttentionAllYou2017"]
    assert bibtex.entry_type == "misc" and bibtex["primaryClass"] == "cs.CL"
    assert bibtex["archivePrefix"] == "arXiv" and "arxiv:primary_category" not in bibtex.fields_dict
    biblatex = _entries(litreview.to_bibtex(df, dialect="biblatex"))["vaswaniAttentionAllYou2017"]
    assert biblatex.entry_type == "online" and biblatex["eprintclass"] == "cs.CL"
    assert biblatex["eprinttype"] == "arxiv" and biblatex["date"] == "2017-06-12"
