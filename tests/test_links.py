"""Finding and cleaning links in abstracts."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from litreview.links import clean_url, code_and_project_urls, find_urls, is_code_url, links_of_texts


def test_trailing_punctuation_and_dot_git_are_removed() -> None:
    assert clean_url("https://github.com/a/b.git.") == "https://github.com/a/b"
    assert clean_url("https://github.com/a/b,") == "https://github.com/a/b"
    assert clean_url("https://github.com/a/b)") == "https://github.com/a/b"
    assert clean_url("https://github.com/a/b/") == "https://github.com/a/b"
    assert clean_url("https://example.org/x_(y)") == "https://example.org/x_(y)"


def test_code_hosts_and_project_pages_are_told_apart() -> None:
    text = (
        "Code: https://github.com/a/b.git, https://gitlab.com/c/d), https://gitee.com/e/f. "
        "https://bitbucket.org/g/h and https://codeberg.org/i/j; "
        "page https://a.github.io/b/ and http://people.csail.mit.edu/x/."
    )
    code, other = code_and_project_urls(text)
    assert code == [
        "https://github.com/a/b",
        "https://gitlab.com/c/d",
        "https://gitee.com/e/f",
        "https://bitbucket.org/g/h",
        "https://codeberg.org/i/j",
    ]
    assert other == ["https://a.github.io/b", "http://people.csail.mit.edu/x"]
    assert is_code_url("https://sub.gitlab.com/x") and not is_code_url("https://github.io/x")


def test_bare_code_hosts_are_found_once() -> None:
    assert find_urls("see github.com/a/b. and www.gitlab.com/c/d") == [
        "https://github.com/a/b",
        "https://www.gitlab.com/c/d",
    ]
    assert find_urls("https://github.com/a/b and again https://github.com/a/b.") == [
        "https://github.com/a/b"
    ]
    assert find_urls("email me@github.com/x") == []


@given(st.lists(st.one_of(st.none(), st.text(max_size=60)), max_size=30))
def test_batched_links_equal_one_by_one(texts: list[str | None]) -> None:
    code, other = links_of_texts(texts)
    assert list(zip(code, other, strict=True)) == [
        code_and_project_urls(t) if t else ([], []) for t in texts
    ]


def test_batched_links_examples() -> None:
    texts = ["x https://github.com/a/b.", None, "github.com/c/d https://e.org/f"]
    assert links_of_texts(texts) == (
        [["https://github.com/a/b"], [], ["https://github.com/c/d"]],
        [[], [], ["https://e.org/f"]],
    )
