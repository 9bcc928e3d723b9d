"""BibTeX export: keys, escaping, and real TeX tools accepting the file."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import bibtexparser
import pandas as pd
import pybtex.database
import pybtex.errors
import pytest
from bibtexparser.library import Library
from bibtexparser.middlewares import AddEnclosingMiddleware
from hypothesis import given, settings
from hypothesis import strategies as st

import litreview
from litreview.schema import conform
from litreview.writers._fields import ascii_printable, one_line, paper_rows
from litreview.writers._latex import (
    ASCII_PROTECT,
    LATEX_ESCAPES,
    WORD_PROTECT,
    braced,
    escape,
    needs_protection,
    protect_title,
)
from litreview.writers.bibtex import (
    BIBTEX_COLUMNS,
    bibtex_entry,
    bibtex_name,
    citation_keys,
    to_bibtex,
)

HARD_TITLES = [
    "Bézier Curves and Schrödinger Łukasz — “Quoted” Naïve Façade",
    "Learning in $O(n^2)$ Time with IA-RED$^2$ and $x^2^3$ Broken Math",
    "R&D at 50% for #1 snake_case {braces} back\\slash ~tilde^caret}",
    "Transformers",
    "Attention Is All You Need",
    "Attention Is All You Need Too",
    "BERT: Pre-training of Deep Bidirectional Transformers for ViT",
    "Costs $5 and $10 and a lone { brace",
]


def hard_cases() -> pd.DataFrame:
    """Hand-made papers that break naive exporters."""
    df = litreview.empty_papers()
    n = len(HARD_TITLES)
    df = conform(
        pd.DataFrame(
            {
                "paper_id": [litreview.paper_id(t) for t in HARD_TITLES],
                "title": HARD_TITLES,
                "abstract": ["An abstract with 100% & $math$ _under_ {x} \\cmd ~ ^.\n\nSecond."]
                * n,
                "authors": [
                    ["Ashish Vaswani", "Noam Shazeer"],
                    ["Ludwig van Beethoven", "Martin Luther King Jr.", "Plato"],
                    [],
                    [],
                    ["Ashish Vaswani"],
                    ["Ashish Vaswani"],
                    ["Jacob Devlin", "Ming-Wei Chang"],
                    ["Tom & Jerry", "Smith and Wesson Co"],
                ],
                "n_authors": [2, 5, None, None, 1, 1, 2, 2],
                "published": pd.to_datetime(["2021-01-02"] * 3 + [None] + ["2017-06-12"] * 4),
                "arxiv_id": [
                    None,
                    "2101.00001",
                    None,
                    None,
                    "1706.03762",
                    None,
                    None,
                    "hep-th/9901001",
                ],
                "url": [
                    None,
                    None,
                    "https://example.org/a_b?x=1&y=%20{z}",
                    None,
                    None,
                    None,
                    None,
                    None,
                ],
                "keywords": [["vision", "50% off"], [], [], [], [], [], ["NLP"], []],
            }
        ),
        annotated=True,
    )
    df["tags"] = [["to read", "R&D"], [], [], [], [], [], [], []]
    df["note"] = pd.array(
        ["Great: 100% #1", None, None, None, None, None, None, None], dtype="string"
    )
    df["decision"] = pd.Categorical(["include"] + ["unscreened"] * 7, dtype=df["decision"].dtype)
    return df


def full_selection() -> pd.DataFrame:
    sample = conform(litreview.read_listing(litreview.SAMPLE_LISTING), annotated=True)
    return pd.concat([sample, hard_cases()], ignore_index=True)


def test_keys_follow_better_bibtex_and_are_unique_and_stable() -> None:
    df = full_selection()
    keys = citation_keys(paper_rows(df))
    assert len({k.casefold() for k in keys}) == len(keys)
    assert keys[0] == "DoracamomJoint3D2025"  # no authors: shorttitle(3, 3) + year
    by_title = dict(zip(df["title"], keys, strict=True))
    # auth.lower + shorttitle(3, 3) + year: "Is" is a stop word; the twin gets a postfix
    assert by_title["Attention Is All You Need"] == "vaswaniAttentionAllYou2017"
    assert re.fullmatch(
        "vaswaniAttentionAllYou2017[a-z]", by_title["Attention Is All You Need Too"]
    )
    assert by_title["Transformers"] == "Transformers"
    assert by_title[HARD_TITLES[0]] == "vaswaniBezierCurvesSchrodinger2021"  # folded to ASCII
    assert by_title[HARD_TITLES[1]] == "vanbeethovenLearningTimeIARED2021"
    assert by_title[HARD_TITLES[2]] == "50Snake_caseBraces2021"  # one-letter words skipped
    assert by_title[
        "Tokens-to-Token ViT: Training Vision Transformers from Scratch on ImageNet"
    ] == ("TokenstoTokenViTTraining2021")
    assert all(re.fullmatch(r"[A-Za-z0-9_]+", k) for k in keys)
    shuffled = df.sample(frac=1, random_state=3)
    again = dict(zip(shuffled["title"], citation_keys(paper_rows(shuffled)), strict=True))
    assert again == by_title


def test_a_papers_key_does_not_depend_on_the_other_papers_exported() -> None:
    df = full_selection()
    everything = dict(zip(df["paper_id"], citation_keys(paper_rows(df)), strict=True))
    for start in range(0, len(df), 7):  # any selection: the same key for the same paper
        part = df.iloc[start : start + 7]
        keys = dict(zip(part["paper_id"], citation_keys(paper_rows(part)), strict=True))
        twin = df["title"].eq("Attention Is All You Need").any()
        for pid, key in keys.items():
            if key.startswith("vaswaniAttentionAllYou2017") and not twin:
                continue
            assert key == everything[pid], pid
    # the twin alone gets the bare key; beside its twin, the postfix its own id gives
    too = df[df["title"] == "Attention Is All You Need Too"]
    assert citation_keys(paper_rows(too)) == ["vaswaniAttentionAllYou2017"]


def test_pinned_and_own_keys_win_and_clash_without_loss() -> None:
    df = full_selection().head(3).copy()
    df["citation_key"] = pd.array(["Smith2020", "smith2020", None], dtype="string")
    keys = citation_keys(paper_rows(df), keys={df["paper_id"].iloc[2]: "pinned:key-1"})
    assert keys[2] == "pinned:key-1"
    assert sorted(k.casefold() for k in keys[:2])[0] == "smith2020"
    assert keys[0] != keys[1] and {keys[0][:9].casefold(), keys[1][:9].casefold()} == {"smith2020"}


def test_escaping_and_protection() -> None:
    assert escape("a&b%c$d#e_f{g}h~i^j\\k") == (
        r"a\&b\%c\$d\#e\_f\textbraceleft{}g\textbraceright{}h\textasciitilde{}i"
        r"\textasciicircum{}j\textbackslash{}k"
    )
    assert protect_title("BERT and ViT in 3D") == "{BERT} and {ViT} in {3D}"
    assert protect_title("IA-RED$^2$: x") == "{IA-RED}{$^2$}: x"
    assert "\\$5" in protect_title("Costs $5 and $10")
    assert "x\\textasciicircum{}2\\textasciicircum{}3" in protect_title("$x^2^3$")
    assert protect_title("Bézier") == "Bézier"


def test_names_are_last_first_and_never_invented() -> None:
    assert bibtex_name("Ashish Vaswani") == "Vaswani, Ashish"
    assert bibtex_name("Ludwig van Beethoven") == "van Beethoven, Ludwig"
    assert bibtex_name("Martin Luther King Jr.") == "King, Jr., Martin Luther"
    assert bibtex_name("Plato") == "{Plato}"
    assert bibtex_name("Smith and Wesson Co") == "Co, Smith {and} Wesson"
    text = to_bibtex(hard_cases())
    library = bibtexparser.parse_string(text)
    entries = {e["title"]: e for e in library.entries}
    assert "author" not in entries["Transformers"].fields_dict
    assert entries["Transformers"]["key"] == "Transformers"
    beethoven = next(e for e in library.entries if e.key == "vanbeethovenLearningTimeIARED2021")
    assert beethoven["author"].endswith("and {Plato} and others")


def test_fields_of_an_arxiv_paper_and_notes() -> None:
    df = hard_cases()
    entry = bibtexparser.parse_string(to_bibtex(df.iloc[[4]])).entries[0]
    assert entry.entry_type == "misc"
    assert entry["eprint"] == "1706.03762"
    assert entry["archivePrefix"] == "arXiv"
    assert entry["doi"] == "10.48550/arXiv.1706.03762"
    assert entry["howpublished"] == "arXiv preprint arXiv:1706.03762"
    assert entry["url"] == "https://arxiv.org/abs/1706.03762"
    assert entry["year"] == "2017" and entry["month"] == "jun"
    assert "note" not in to_bibtex(df)
    noted = bibtexparser.parse_string(to_bibtex(df.iloc[[0]], with_notes=True)).entries[0]
    assert noted["note"] == r"Decision: include; Great: 100\% \#1"
    assert noted["keywords"] == r"to read, R\&D, vision, 50\% off"


def test_every_value_has_balanced_braces() -> None:
    for entry in bibtexparser.parse_string(to_bibtex(full_selection())).entries:
        for field in entry.fields:
            depth = 0
            for ch in str(field.value):
                depth += {"{": 1, "}": -1}.get(ch, 0)
                assert depth >= 0, (entry.key, field.key)
            assert depth == 0, (entry.key, field.key)


def test_empty_selection_is_an_empty_valid_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.bib"
    assert to_bibtex(litreview.empty_papers(), path) == ""
    assert path.read_text() == ""
    pybtex.database.parse_file(str(path))


def test_same_selection_same_file() -> None:
    df = full_selection()
    assert to_bibtex(df) == to_bibtex(df.copy())


# --- fast paths equal the general ones -----------------------------------------

TITLE_CHARS = st.sampled_from([*"aZb3X- -:.$^_{}\\&é\t\n\x07\x7f", "  "])


def _protect_per_word(text: str) -> str:
    """The general word-by-word protection that the fast paths must reproduce."""
    parts = re.split(r"(\s+)", text)
    for i in range(0, len(parts), 2):
        word = parts[i]
        escaped = word.translate(LATEX_ESCAPES)
        parts[i] = braced(escaped) if word and needs_protection(word) else escaped
    return "".join(parts)


@settings(max_examples=400, deadline=None)
@given(st.lists(TITLE_CHARS, max_size=30).map("".join))
def test_fast_escape_and_protection_equal_the_general_ones(text: str) -> None:
    assert escape(text) == text.translate(LATEX_ESCAPES)
    if "$" not in text:
        assert protect_title(text) == _protect_per_word(text)
    if text.isascii():
        assert ascii_printable(text) == text.isprintable()
    if "\x07" not in text and "\x7f" not in text:
        assert one_line(text) == re.sub(r"\s+", " ", text).strip()


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from([*"aAbZ09-.:("]), max_size=12).map("".join))
def test_word_protection_from_the_word_start_equals_the_search_anywhere(word: str) -> None:
    assert (WORD_PROTECT.match(word) is not None) == (ASCII_PROTECT.search(word) is not None)


@pytest.mark.parametrize("with_notes", [False, True])
def test_braced_values_write_as_the_enclosing_middleware_would(with_notes: bool) -> None:
    rows = paper_rows(full_selection(), BIBTEX_COLUMNS)
    keys = citation_keys(rows)
    bare = Library([bibtex_entry(r, k, with_notes) for r, k in zip(rows, keys, strict=True)])
    enclosed = [
        bibtex_entry(r, k, with_notes, enclosed=True) for r, k in zip(rows, keys, strict=True)
    ]
    enclose = AddEnclosingMiddleware(
        reuse_previous_enclosing=False, enclose_integers=True, default_enclosing="{"
    )
    expected = bibtexparser.write_string(bare, unparse_stack=[enclose])
    assert bibtexparser.write_string(Library(enclosed), unparse_stack=[]) == expected
    assert to_bibtex(full_selection(), with_notes=with_notes) == expected + "\n"


# --- real tools -----------------------------------------------------------------


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(
            f"{name} is not installed: run `make test` as root (it installs texlive-binaries, "
            "texlive-base, texlive-latex-base and biber) or apt-get install them"
        )
    return path


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=120)


@pytest.fixture
def refs(tmp_path: Path) -> Path:
    path = tmp_path / "refs.bib"
    to_bibtex(full_selection(), path, with_notes=True)
    return path


@pytest.mark.slow
def test_bibtex_accepts_it_without_warnings(refs: Path) -> None:
    bibtex = _tool("bibtex")
    (refs.parent / "chk.aux").write_text("\\citation{*}\n\\bibstyle{plain}\n\\bibdata{refs}\n")
    result = _run([bibtex, "-terse", "chk"], refs.parent)
    log = (refs.parent / "chk.blg").read_text()
    assert result.returncode == 0, log
    assert "Warning" not in log and "error" not in log.lower(), log
    bbl = (refs.parent / "chk.bbl").read_text()
    assert bbl.count("\\bibitem") == len(full_selection())


@pytest.mark.slow
def test_biber_validates_it(refs: Path) -> None:
    biber = _tool("biber")
    out = refs.parent / "out.bib"
    result = _run(
        [biber, "--tool", "--validate-datamodel", f"--output-file={out}", str(refs)], refs.parent
    )
    text = result.stdout + result.stderr
    assert result.returncode == 0, text
    assert "ERROR" not in text, text
    # biblatex wants a date on every entry; the one undated paper is reported, never given one
    warnings = [line for line in text.splitlines() if line.startswith("WARN")]
    assert len(warnings) == 1 and "'Transformers'" in warnings[0] and "date, year" in warnings[0]


def test_pybtex_strict_mode_reads_it(refs: Path) -> None:
    pybtex.errors.set_strict_mode(True)
    try:
        data = pybtex.database.parse_file(str(refs))
    finally:
        pybtex.errors.set_strict_mode(False)
    assert len(data.entries) == len(full_selection())
    entry = data.entries["vaswaniAttentionAllYou2017"]
    assert str(entry.persons["author"][0]) == "Vaswani, Ashish"


@pytest.mark.slow
def test_pdflatex_bibtex_pdflatex_has_no_errors(refs: Path) -> None:
    pdflatex, bibtex = _tool("pdflatex"), _tool("bibtex")
    # Non-Latin scripts need XeLaTeX/LuaLaTeX or extra packages; the hard cases stay Latin.
    (refs.parent / "doc.tex").write_text(
        "\\documentclass{article}\n\\begin{document}\nSee \\cite{vaswaniAttentionAllYou2017}.\n"
        "\\nocite{*}\n\\bibliographystyle{plain}\n\\bibliography{refs}\n\\end{document}\n"
    )
    latex = [pdflatex, "-interaction=nonstopmode", "-halt-on-error", "doc"]
    first = _run(latex, refs.parent)
    assert first.returncode == 0, first.stdout[-3000:]
    assert _run([bibtex, "doc"], refs.parent).returncode == 0
    second = _run(latex, refs.parent)
    log = (refs.parent / "doc.log").read_text(errors="replace")
    errors = [line for line in log.splitlines() if line.startswith("!")]
    assert second.returncode == 0 and not errors, errors or log[-3000:]
    assert (refs.parent / "doc.pdf").stat().st_size > 1000


def test_the_venue_of_a_misc_entry_is_howpublished_not_journal() -> None:
    df = litreview.schema.papers_from_columns(
        {"paper_id": ["a"], "title": ["T"], "venue": ["arXiv"], "entry_type": ["misc"]}
    )
    text = litreview.to_bibtex(df)
    assert "howpublished = {{arXiv}}" in text and "journal" not in text
