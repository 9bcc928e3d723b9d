"""``litreview rekey`` and the citable options of ``litreview export``: pinned keys,
the biblatex dialect and files kept up to date from the shell."""

from __future__ import annotations

from pathlib import Path

import pytest

import litreview
from litreview.cli import main
from litreview.review.core import Review


@pytest.fixture
def review_path(tmp_path: Path) -> Path:
    path = tmp_path / "r.litreview"
    with Review.open(path, reviewer="ada") as review:
        review.add(litreview.SAMPLE_LISTING)
        review.annotate(review.papers["paper_id"][:2], decision="include")
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_export_pins_keys_and_writes_biblatex(capsys, review_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "refs.bib"
    code, _, err = run(capsys, "export", str(review_path), "-o", str(out), "--dialect", "biblatex")
    assert code == 0 and "wrote 36 papers" in err
    text = out.read_text()
    assert "date = {2025-01-25}" in text and "\n\tyear = " not in text
    with Review.open(review_path, reviewer="ada") as review:
        keys = review.papers["citation_key"]
        assert keys.notna().all()  # pinned by the export
        assert all("{" + k + "," in text for k in keys)


def test_rekey_with_a_new_formula_and_set(capsys, review_path: Path) -> None:
    with Review.open(review_path, reviewer="ada") as review:
        pid = review.papers["paper_id"][0]
        old = review.citation_keys(pid).iloc[0]
    code, out, err = run(capsys, "rekey", str(review_path), pid, "--formula", "title.abbr + year")
    assert code == 0 and "key formula: title.abbr + year" in err
    assert out == f"{pid}\t{old} -> DJ3DOPM4RCOP2025\n"
    code, out, _ = run(capsys, "rekey", str(review_path), pid, "--set", "doracamom2025")
    assert code == 0 and out == f"{pid}\tdoracamom2025\n"
    code, out, _ = run(
        capsys,
        "rekey",
        str(review_path),
        "--query",
        "decision:include",
        "--show",
        "--reviewer",
        "ada",
    )
    assert code == 0 and out.count("\n") == 2 and "doracamom2025" in out
    code, _, err = run(capsys, "rekey", str(review_path))
    assert code == 2 and "name the papers" in err
    code, _, err = run(capsys, "rekey", str(review_path), "--formula", "auth.lowr")
    assert code != 0 and "unknown filter 'lowr'" in err


def test_keep_updated_from_the_shell(capsys, review_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "included.bib"
    code, _, err = run(
        capsys, "export", str(review_path), "--decision", "include", "-o", str(out),
        "--keep-updated",
    )  # fmt: skip
    assert code == 0 and "kept up to date" in err and out.read_text().count("@misc{") == 2
    with Review.open(review_path, reviewer="ada") as review:
        review.annotate(review.papers["paper_id"][5], decision="include")
    assert out.read_text().count("@misc{") == 3
    code, _, err = run(capsys, "export", str(review_path), "-o", str(out), "--stop-updating")
    assert code == 0 and "no longer kept up to date" in err
    code, _, err = run(capsys, "export", str(litreview.SAMPLE_LISTING), "-o", str(out),
                       "--keep-updated")  # fmt: skip
    assert code == 2 and "needs a review file" in err
