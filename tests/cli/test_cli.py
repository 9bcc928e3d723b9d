"""The command line, run in-process with ``main([...])``: output, files written, exit
codes and the one-line errors for bad arguments and bad files."""

from __future__ import annotations

import io
import json
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import bibtexparser
import pandas as pd
import pytest

import litreview
from litreview.cli import COMMANDS, HANDLERS, build_parser, main
from litreview.cli import commands as cli_commands
from litreview.review.core import Review
from tests.paths import TESTS

SAMPLE = str(litreview.SAMPLE_LISTING)
BROKEN_LISTING = (
    "A Title\n\nAn abstract.\n\n  • 2 authors\n·\nJan 1, 2020\n\n"
    "Lonely Title\n\n  • 1 author\n·\nJan 2, 2020\n"
)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def one_error_line(err: str, *needles: str) -> None:
    """stderr ends with exactly one ``litreview: error:`` line holding every needle."""
    lines = [line for line in err.splitlines() if line.startswith("litreview: error:")]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])


@pytest.fixture
def review(tmp_path: Path) -> Path:
    path = tmp_path / "r.litreview"
    with Review.open(path, reviewer="ada") as r:
        r.add(SAMPLE)
    return path


def ids_of(path: Path) -> list[str]:
    with Review.open(path, reviewer="ada") as r:
        return r.papers["paper_id"].tolist()


# ------------------------------------------------------------------------ help


@pytest.mark.parametrize("command", list(COMMANDS))
def test_every_command_has_help_with_an_example(
    capsys: pytest.CaptureFixture[str], command: str
) -> None:
    code, out, _ = run(capsys, command, "--help")
    assert code == 0
    assert "examples:" in out
    assert f"litreview {command} " in out.split("examples:")[1]
    assert "--debug" in out
    for line in COMMANDS[command][1].splitlines():  # every example is valid
        argv = shlex.split(line.split(" | ")[0].split("  #")[0])
        assert argv[:2] == ["litreview", command]
        build_parser().parse_args(argv[1:])


def test_top_level_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--help")
    assert code == 0
    assert all(name in out for name in COMMANDS)
    assert set(build_parser()._subparsers._group_actions[0].choices) == set(COMMANDS)  # type: ignore[union-attr]


def test_python_dash_m_help_in_a_subprocess() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "litreview", "--help"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0
    assert done.stdout.startswith("usage: litreview")
    assert "render" in done.stdout and done.stderr == ""


def test_no_command_and_unknown_command_are_usage_errors(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = run(capsys)
    assert code == 2
    one_error_line(err, "required")
    code, _, err = run(capsys, "frobnicate")
    assert code == 2
    one_error_line(err, "invalid choice", "frobnicate")


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--version")
    assert code == 0 and out.strip() == f"litreview {litreview.__version__}"


# ------------------------------------------------------------------------ read


def test_read_prints_a_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "read", SAMPLE)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["paper_id", "published", "upvotes", "title"]
    assert len(lines) == 37
    assert "Doracamom" in lines[1]
    assert err == ""  # stderr is not a terminal: no progress bar


def test_read_writes_csv_that_reads_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "papers.csv"
    code, stdout, err = run(capsys, "read", SAMPLE, "-o", str(out))
    assert code == 0 and stdout == ""
    assert f"wrote 36 papers to {out}" in err
    back = litreview.read_listing(out)
    assert back["paper_id"].tolist() == litreview.read_listing(SAMPLE)["paper_id"].tolist()
    assert "decision" not in back.columns
    code, _, err = run(capsys, "read", SAMPLE, "-o", str(out))
    assert code == 1
    one_error_line(err, "already exists", "--overwrite")
    assert run(capsys, "read", SAMPLE, "-o", str(out), "--overwrite")[0] == 0


def test_read_json_and_merge_of_two_listings(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "read", SAMPLE, SAMPLE, "--format", "json")
    assert code == 0
    records = json.loads(out)
    assert len(records) == 36  # the same papers twice merge into one row each
    assert records[0]["title"].startswith("Doracamom")
    assert records[0]["published"].startswith("2025-01")


def test_read_reports_broken_blocks_as_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    listing = tmp_path / "broken.txt"
    listing.write_text(BROKEN_LISTING, encoding="utf-8")
    code, out, err = run(capsys, "read", str(listing))
    assert code == 0
    assert "A Title" in out
    assert err.startswith("litreview: warning:") and "broken.txt" in err


@pytest.mark.parametrize(
    ("argv", "code", "needles"),
    [
        (["read", "missing.txt"], 1, ["missing.txt", "no such file"]),
        (["read", SAMPLE, "--format", "xml"], 2, ["read:", "invalid choice", "xml"]),
        (["read", SAMPLE, "-o", "x.bib"], 2, ["x.bib", "litreview export"]),
        (["read"], 2, ["read:", "LISTING"]),
    ],
)
def test_read_errors(
    capsys: pytest.CaptureFixture[str], argv: list[str], code: int, needles: list[str]
) -> None:
    got, _, err = run(capsys, *argv)
    assert got == code
    one_error_line(err, *needles)


def test_read_binary_and_review_files(
    tmp_path: Path, review: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    binary = tmp_path / "photo.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00" * 20)
    code, _, err = run(capsys, "read", str(binary))
    assert code == 1
    one_error_line(err, "photo.png")
    code, _, err = run(capsys, "read", str(review))
    assert code == 2
    one_error_line(err, "is a review file", "stats")


def test_debug_shows_the_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(FileNotFoundError, match=r"missing\.txt"):
        main(["read", "missing.txt", "--debug"])
    with pytest.raises(FileNotFoundError):
        main(["--debug", "read", "missing.txt"])


def test_unexpected_errors_are_one_line_too(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(_args: Any) -> int:
        raise TypeError("unsupported operand")

    monkeypatch.setitem(HANDLERS, "stats", broken)
    code, _, err = run(capsys, "stats", SAMPLE)
    assert code == 1
    one_error_line(err, "TypeError", "unsupported operand", "--debug")
    with pytest.raises(TypeError):
        main(["stats", SAMPLE, "--debug"])


def test_progress_bar_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    items = [1, 2]
    assert cli_commands.progress(items, "reading") is items  # pytest's stderr: not a terminal
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert list(cli_commands.progress(items, "reading")) == items
    assert "reading" in terminal.getvalue()


# ------------------------------------------------------------------------ search


def test_search_listing_and_review(review: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "search", SAMPLE, "vision transformer", "--limit", "3")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["rank", "score", "paper_id", "published", "title"]
    assert len(lines) == 4 and lines[1].split()[0] == "1"
    code, out, _ = run(capsys, "search", str(review), "title:efficient")
    assert code == 0
    assert "decision" in out.splitlines()[0] and "unscreened" in out
    assert "FlatFormer" in out
    code, out, _ = run(capsys, "search", SAMPLE, "zzzqqq")
    assert code == 0 and out == "(no papers)\n"


@pytest.mark.parametrize(
    ("argv", "code", "needles"),
    [
        (["search", SAMPLE, '"unclosed'], 1, ["bad query", "position"]),
        (["search", SAMPLE, "x", "--limit", "0"], 2, ["--limit", ">= 1"]),
        (["search", SAMPLE, "x", "--limit", "ten"], 2, ["whole number"]),
        (["search", "nope.litreview", "x"], 1, ["nope.litreview", "no such review"]),
    ],
)
def test_search_errors(
    capsys: pytest.CaptureFixture[str], argv: list[str], code: int, needles: list[str]
) -> None:
    got, _, err = run(capsys, *argv)
    assert got == code
    one_error_line(err, *needles)
    assert not Path("nope.litreview").exists()  # reading never creates a review


# ------------------------------------------------------------------------ add


def test_add_creates_then_updates(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "new.litreview"
    code, out, _ = run(capsys, "add", str(path), SAMPLE, "--reviewer", "ada")
    assert code == 0
    assert "36 records, 36 new" in out and f"{path}: 36 papers" in out
    code, out, _ = run(capsys, "add", str(path), SAMPLE)
    assert code == 0 and "0 new, 0 updated, 36 unchanged" in out
    with Review.open(path) as r:
        assert len(r) == 36 and len(r.imports()) == 2


def test_add_errors_write_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "r.litreview"
    code, _, err = run(capsys, "add", str(target), str(tmp_path / "missing.txt"))
    assert code == 1
    one_error_line(err, "missing.txt", "no such listing")
    assert not target.exists()
    code, _, err = run(capsys, "add", str(tmp_path / "papers.txt2"), SAMPLE)
    assert code == 2
    one_error_line(err, "must end in .litreview")
    text_file = tmp_path / "notes.txt"
    text_file.write_text("my notes\n", encoding="utf-8")
    code, _, err = run(capsys, "add", str(text_file), SAMPLE)
    assert code == 1
    one_error_line(err, "notes.txt", "not a litreview review")
    assert text_file.read_text(encoding="utf-8") == "my notes\n"


# ------------------------------------------------------------------------ annotate


def test_annotate_sets_every_field(review: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first, second = ids_of(review)[:2]
    code, out, _ = run(
        capsys, "annotate", str(review), first, second, "--decision", "include",
        "--tag", "core", "--tag", "vision", "--note", "read §4 <b>", "--rating", "4",
        "--reviewer", "ada",
    )  # fmt: skip
    assert code == 0 and "annotated 2 papers as ada" in out
    code, _, _ = run(capsys, "annotate", str(review), second, "--untag", "core",
                     "--reviewer", "ada")  # fmt: skip
    assert code == 0
    with Review.open(review, reviewer="ada") as r:
        papers = r.papers.set_index("paper_id")
    assert papers.loc[first, "decision"] == "include"
    assert papers.loc[first, "tags"] == ["core", "vision"]
    assert papers.loc[second, "tags"] == ["vision"]
    assert papers.loc[first, "note"] == "read §4 <b>" and papers.loc[first, "rating"] == 4


@pytest.mark.parametrize("cleared", ["", "none"])
def test_annotate_clears_a_rating(
    review: Path, capsys: pytest.CaptureFixture[str], cleared: str
) -> None:
    first = ids_of(review)[0]
    assert run(capsys, "annotate", str(review), first, "--rating", "3")[0] == 0
    assert run(capsys, "annotate", str(review), first, "--rating", cleared)[0] == 0
    with Review.open(review) as r:
        assert pd.isna(r.papers.set_index("paper_id").loc[first, "rating"])


@pytest.mark.parametrize(
    ("extra", "code", "needles"),
    [
        (["nope-id", "--decision", "include"], 1, ["unknown paper id", "nope-id"]),
        (["ID"], 2, ["nothing to change", "--decision"]),
        (["ID", "--decision", "yes"], 2, ["invalid choice", "yes"]),
        (["ID", "--rating", "four"], 2, ["--rating", "whole number from 1 to 5"]),
        (["ID", "--rating", "6"], 2, ["--rating", "from 1 to 5, got 6"]),
        (["ID", "--tag", " "], 1, ["add_tags", "cannot be empty"]),
    ],
)
def test_annotate_errors(
    review: Path, capsys: pytest.CaptureFixture[str], extra: list[str], code: int,
    needles: list[str],
) -> None:  # fmt: skip
    argv = [ids_of(review)[0] if a == "ID" else a for a in extra]
    got, _, err = run(capsys, "annotate", str(review), *argv)
    assert got == code
    one_error_line(err, *needles)
    with Review.open(review) as r:
        assert r.history().empty  # nothing was written


def test_annotate_missing_review_is_not_created(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "typo.litreview"
    code, _, err = run(capsys, "annotate", str(path), "x", "--decision", "include")
    assert code == 1
    one_error_line(err, "typo.litreview", "litreview add")
    assert not path.exists()


# ------------------------------------------------------------------------ export


def test_export_selection_by_decision_and_query(
    review: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = ids_of(review)[:2]
    assert main(["annotate", str(review), first, second, "--decision", "include",
                 "--reviewer", "ada"]) == 0  # fmt: skip
    out = tmp_path / "inc.bib"
    code, _, err = run(capsys, "export", str(review), "--decision", "include", "-o", str(out),
                       "--reviewer", "ada")  # fmt: skip
    assert code == 0 and f"wrote 2 papers to {out}" in err
    assert len(bibtexparser.parse_string(out.read_text(encoding="utf-8")).entries) == 2
    csv = tmp_path / "code.csv"
    code, _, err = run(capsys, "export", SAMPLE, "--query", "has:code", "-o", str(csv))
    assert code == 0
    back = litreview.read_listing(csv)
    assert 0 < len(back) < 36 and back["code_urls"].map(len).gt(0).all()
    assert "score" not in back.columns


def test_export_bare_name_goes_to_exports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert run(capsys, "export", SAMPLE, "-o", "all.ris")[0] == 0
    assert (tmp_path / "exports" / "all.ris").stat().st_size > 1000
    code, _, err = run(capsys, "export", SAMPLE, "-o", "all.ris")
    assert code == 1
    one_error_line(err, "already exists", "pass --overwrite")
    assert run(capsys, "export", SAMPLE, "-o", "all.ris", "--overwrite")[0] == 0


@pytest.mark.parametrize(
    ("argv", "code", "needles"),
    [
        (["export", SAMPLE, "-o", "x.docx"], 1, ["unknown export", ".docx"]),
        (["export", SAMPLE], 2, ["-o/--output", "required"]),
        (["export", SAMPLE, "-o", "x.bib", "--decision", "keep"], 2, ["invalid choice"]),
        (["export", SAMPLE, "-o", "x.bib", "--query", "year:>=abc"], 1, ["bad query"]),
        (
            ["export", SAMPLE, "-o", "x.bib", "--decision", "include"],
            2,
            ["--decision", "review file"],
        ),  # a listing has no decisions: not an empty file
    ],
)
def test_export_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    argv: list[str], code: int, needles: list[str],
) -> None:  # fmt: skip
    monkeypatch.chdir(tmp_path)
    got, _, err = run(capsys, *argv)
    assert got == code
    one_error_line(err, *needles)
    assert not (tmp_path / "exports" / "x.bib").exists()


# ------------------------------------------------------------------------ stats


def test_stats_of_listing_and_review(review: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "stats", SAMPLE, "--terms", "3")
    assert code == 0
    assert "papers:      36" in out
    assert "published:   2020-10-07 to 2025-09-05" in out
    assert "  unscreened 36" in out
    terms = out.split("top terms")[1].splitlines()[1:]
    assert len(terms) == 3 and terms[0].split()[0] == "transformer"
    first = ids_of(review)[0]
    assert main(["annotate", str(review), first, "--decision", "exclude", "--tag", "later",
                 "--reviewer", "ada"]) == 0  # fmt: skip
    code, out, _ = run(capsys, "stats", str(review), "--reviewer", "ada")
    assert code == 0
    assert "(review)" in out and "  exclude    1" in out and "  later: 1" in out
    assert "hf-papers-transformers.txt: 36 records" in out


def test_stats_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fake = tmp_path / "fake.litreview"
    fake.write_text("not sqlite", encoding="utf-8")
    code, _, err = run(capsys, "stats", str(fake))
    assert code == 1
    one_error_line(err, "fake.litreview", "not a litreview review")
    code, _, err = run(capsys, "stats", str(tmp_path))
    assert code == 1
    one_error_line(err, str(tmp_path))


# ------------------------------------------------------------------------ render


def test_render_review_and_listing(
    review: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "exports" / "review.html"
    code, stdout, _ = run(capsys, "render", str(review), "-o", str(out), "--title", "My <review>")
    assert code == 0
    assert stdout.startswith(f"wrote {out} (") and "MB" in stdout
    html = out.read_text(encoding="utf-8")
    assert "<title>My &lt;review&gt;</title>" in html and 'src="http' not in html
    code, _, err = run(capsys, "render", str(review), "-o", str(out))
    assert code == 1
    one_error_line(err, "already exists", "pass --overwrite")
    listing_html = tmp_path / "listing.html"
    assert run(capsys, "render", SAMPLE, "-o", str(listing_html))[0] == 0
    assert "All 36 papers" in listing_html.read_text(encoding="utf-8")


def test_render_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "render", str(tmp_path / "gone.ipynb"), "-o", "x.html")
    assert code == 1
    one_error_line(err, "gone.ipynb", "no such file")
    bad = tmp_path / "bad.ipynb"
    bad.write_text("{not json", encoding="utf-8")
    code, _, err = run(capsys, "render", str(bad), "-o", str(tmp_path / "x.html"))
    assert code == 1
    one_error_line(err, "bad.ipynb", "not a readable notebook")
    assert not (tmp_path / "x.html").exists()


# ------------------------------------------------------------------------ app


def test_app_dry_run_prints_the_voila_command(
    review: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("LITREVIEW_TOKEN", raising=False)
    code, out, _ = run(capsys, "app", str(review), "--port", "8899", "--dry-run", "--no-browser")
    assert code == 0
    command, url = out.splitlines()
    assert command.startswith(f"LITREVIEW_REVIEW={review.resolve()} JUPYTER_TOKEN=")
    assert f"{sys.executable} -m litreview.cli.app_server " in command  # Voila, see run_voila
    assert str(Path("litreview") / "app" / "app.ipynb") in command
    assert "--port=8899" in command and "--no-browser" in command
    assert "--Voila.ip=127.0.0.1" in command and "--Voila.auto_token=True" in command
    token = shlex.split(command)[1].removeprefix("JUPYTER_TOKEN=")
    assert len(token) >= 40 and url == f"http://127.0.0.1:8899/?token={token}"
    assert f"--token={token}" not in command  # the token is never on Voila's command line
    code, out, _ = run(capsys, "app", str(review), "--reviewer", "ada lovelace", "--dry-run")
    assert code == 0 and "LITREVIEW_REVIEWER='ada lovelace' " in out
    assert token not in out  # a new random token each time
    monkeypatch.setenv("LITREVIEW_TOKEN", "from-env")
    assert run(capsys, "app", str(review), "--dry-run")[1].endswith("/?token=from-env\n")
    out = run(capsys, "app", str(review), "--dry-run", "--token", "a&b c")[1]
    assert out.endswith("/?token=a%26b%20c\n") and "JUPYTER_TOKEN='a&b c'" in out


def test_app_runs_voila_with_the_review_and_token_in_the_environment(
    review: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    import importlib.util

    from litreview.cli import app_server as cli_app

    assert importlib.util.find_spec("voila") is not None  # the notebook extra brings it
    notebook = tmp_path / "app.ipynb"
    notebook.write_text("{}", encoding="utf-8")
    monkeypatch.setattr(cli_app, "app_notebook", lambda: notebook)
    monkeypatch.setenv("JUPYTER_TOKEN_FILE", str(tmp_path / "other-token"))
    calls: list[tuple[list[str], dict[str, Any]]] = []
    opened: list[tuple[str, int]] = []

    def fake_exec(path: str, cmd: list[str], env: dict[str, str]) -> None:
        assert path == cmd[0]
        calls.append((cmd, env))

    monkeypatch.setattr(cli_app.os, "execve", fake_exec)  # Voila would replace pytest
    monkeypatch.setattr(cli_app, "open_browser_later", lambda *a: opened.append(a))
    code, out, err = run(capsys, "app", str(review), "--reviewer", "bo", "--token", "t0k")
    assert code == 0
    ((cmd, env),) = calls
    assert cmd[1:5] == ["-m", "litreview.cli.app_server", str(notebook), "--no-browser"]
    assert (
        cmd[0] == sys.executable
        and '--Voila.tornado_settings={"allow_remote_access": False}' in cmd
    )
    port = int(cmd[-1].removeprefix("--port="))
    assert out == f"http://127.0.0.1:{port}/?token=t0k\n" and "holds the token" in err
    assert opened == [(f"http://127.0.0.1:{port}/?token=t0k", port)]  # litreview opens it
    assert env["LITREVIEW_REVIEW"] == str(review.resolve()) and env["LITREVIEW_REVIEWER"] == "bo"
    assert env["JUPYTER_TOKEN"] == "t0k" and "JUPYTER_TOKEN_FILE" not in env
    assert not any("t0k" in part for part in cmd)


def test_app_port_in_use_and_empty_token_are_refused(
    review: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        taken = busy.getsockname()[1]
        code, _, err = run(capsys, "app", str(review), "--port", str(taken), "--no-browser")
    assert code == 1
    one_error_line(err, f"port {taken}", "in use", "--port")
    code, _, err = run(capsys, "app", str(review), "--token", "", "--dry-run")
    assert code == 2
    one_error_line(err, "token", "empty")


def test_open_when_ready_waits_for_the_server() -> None:
    import socket
    import threading

    from litreview.cli.app_server import open_when_ready

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        opened: list[str] = []
        assert not open_when_ready("u", port, timeout=0.5, opener=opened.append)
        assert opened == []  # nothing listened
        threading.Timer(0.4, s.listen).start()
        assert open_when_ready("http://x/?token=t", port, timeout=10, opener=opened.append)
    assert opened == ["http://x/?token=t"]


@pytest.mark.parametrize(
    ("argv", "code", "needles"),
    [
        (["app", "missing.litreview"], 1, ["missing.litreview", "litreview add"]),
        (["app", "REVIEW", "--port", "70000"], 2, ["port", "65535"]),
        (["app"], 2, ["REVIEW"]),
    ],
)
def test_app_errors(
    review: Path, capsys: pytest.CaptureFixture[str], argv: list[str], code: int,
    needles: list[str],
) -> None:  # fmt: skip
    argv = [str(review) if a == "REVIEW" else a for a in argv]
    got, _, err = run(capsys, *argv)
    assert got == code
    one_error_line(err, *needles)


def test_readme_commands_parse() -> None:
    """Every command in docs/cli.md's command block is valid for this parser."""
    import re

    readme = (TESTS.parent / "docs" / "cli.md").read_text(encoding="utf-8")
    section = readme.split("<!-- section:cli -->", 1)[1]
    block = re.search(r"```bash\n(.*?)```", section, re.DOTALL)
    assert block
    lines = [line.split("  #")[0].strip() for line in block.group(1).splitlines()]
    commands = [shlex.split(line) for line in lines if line]
    assert {argv[1] for argv in commands} == set(COMMANDS)
    for argv in commands:
        assert argv[0] == "litreview"
        build_parser().parse_args(argv[1:])  # raises SystemExit on a bad option


# ------------------------------------------------------------------------ duplicates


def test_duplicates_lists_near_duplicate_titles(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "duplicates", SAMPLE)
    assert code == 0 and out == "no near-duplicate titles at 90% (36 papers)\n"
    typo = tmp_path / "typo.txt"
    typo.write_text(
        "Tranformer in Transformer\n\nAn abstract.\n\n  • 6 authors\n·\nFeb 26, 2021\n",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "duplicates", SAMPLE, str(typo), "--threshold", "95")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[0] == "98.0" and "title 98% alike" in lines[0]
    assert lines[1].split(maxsplit=1)[1] == "Transformer in Transformer"
    assert lines[2].split(maxsplit=1)[1] == "Tranformer in Transformer"
    assert lines[3].startswith("1 pair at 95%;") and len(lines) == 4


@pytest.mark.parametrize("bad", ["101", "-1", "high"])
def test_duplicates_threshold_is_a_percentage(capsys: pytest.CaptureFixture[str], bad: str) -> None:
    got, _, err = run(capsys, "duplicates", SAMPLE, "--threshold", bad)
    assert got == 2
    one_error_line(err, "--threshold", "from 0 to 100")
