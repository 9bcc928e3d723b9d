"""Finding and cleaning links in abstracts."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from litreview._links import (
    BARE_HOST_NAMES,
    URL_PATTERN,
    bare_host_link,
    clean_url,
    code_and_project_urls,
    find_urls,
    is_code_url,
    links_of_texts,
    raw_urls,
)


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


_SCHEMES = st.sampled_from(["", "", "http://", "https://", "https://", "HTTPS://", "www.", "://"])
_HOSTS = st.sampled_from(
    [
        "github.com",
        "gitlab.com",
        "GitHub.com",
        "www.github.com",
        "www.gitlab.com",
        "gitee.com",
        "bitbucket.org",
        "codeberg.org",
        "a.github.io",
        "sub.gitlab.com",
        "git.sr.ht",
        "example.org",
        "h:8080",
        "me@github.com",
        "x(github.com",
        "github.com(x",
        "(gitlab.com",
        "a,bitbucket.org",
        "a-github.com",
        "日本.jp",
        "é.fr",
        "ab",
        "",
    ]
)
_PATHS = st.sampled_from(
    [
        "/a/b",
        "/lab3/inference-3",
        "/a/b.git",
        "/c/",
        "/x_(y)",
        "/(d)",
        "/github.com/e",
        "/x,(github.com/f",
        "/y.org/z",
        "/(bitbucket.org/g",
        "/,codeberg.org/h",
        "/é/😀",
        "?q=1#f",
        "",
    ]
)
_ENDS = st.sampled_from(["", "", ".", ",", ")", ").", ";", "/", ".git", ".GIT.", "'", ">", ":"])
_LINKS = st.one_of(
    st.tuples(_SCHEMES, _HOSTS, _PATHS, _ENDS).map("".join),
    st.sampled_from(
        [
            "https://ab",
            "and/or https://ab ",
            "https://x. and/or",
            "http://a.b.",
            "https://...",
            "https://./",
            "http://:/",
            "https://github.com.git",
            "https://gitlab.com.git ",
            "https://github.com. ",
            "https://a.org/(github.com/x ",
            "https://a.org/x,gitee.com/y ",
            "https://gitlab.com.,",
            "https://github.com(x/y",
            "https://gitee.com:x/y",
            "https:// ",
            "http://'",
        ]
    ),
)
_WORDS = st.sampled_from(
    [
        " ",
        " ",
        "\n",
        "\x00",
        "\t",
        "\xa0",
        "\u2028",
        "word",
        "and/or",
        "(",
        ")",
        ".",
        ",",
        "://",
        "http",
        "https",
        "é",
        "Ω",
        "日本語",
        "😀",
        "'",
        '"',
        "`",
        "<",
    ]
)
_ONE_LINK = st.tuples(  # the usual abstract: words, one link, a word
    st.text(max_size=20), _LINKS, _WORDS, st.text(max_size=10)
).map("".join)
_TEXTS = st.one_of(
    st.none(),
    st.just(""),
    _ONE_LINK,
    _ONE_LINK,
    _ONE_LINK,
    st.lists(st.one_of(_WORDS, _LINKS, st.text(max_size=8)), max_size=25).map("".join),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_TEXTS, max_size=12))
def test_batched_links_equal_one_by_one_for_link_like_texts(texts: list[str | None]) -> None:
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


def _regex_raw_urls(text: str) -> list[tuple[int, str]]:
    """The plain regex search the position-based one replaces (the reference)."""
    found = [(m.start(), m[0]) for m in URL_PATTERN.finditer(text)]
    for tail in re.finditer(r"\.(?:com|org)/", text):
        if text.endswith(BARE_HOST_NAMES, 0, tail.start()) and (
            link := bare_host_link(text, tail.end())
        ):
            found.append(link)
    return found


_URL_PIECES = st.sampled_from(
    [
        "http",
        "https",
        "://",
        ":/",
        "/",
        "//",
        "s",
        ".",
        ".com/",
        ".org/",
        "github",
        "gitlab",
        "www.",
        " ",
        "\n",
        "\x00",
        "(",
        ")",
        "'",
        "é",
        "\u2028",
        "\xa0",
        "a",
        "1",
        "@",
        "-",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_URL_PIECES, max_size=40).map("".join))
def test_links_found_by_position_equal_the_regex_search(text: str) -> None:
    assert raw_urls(text) == _regex_raw_urls(text)


def test_links_in_text_beyond_latin1_keep_their_positions() -> None:
    text = "日本 https://github.com/a/b 語 github.com/c/d"
    assert (
        raw_urls(text)
        == _regex_raw_urls(text)
        == [
            (3, "https://github.com/a/b"),
            (28, "github.com/c/d"),
        ]
    )
