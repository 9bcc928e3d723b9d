"""Finding and cleaning links in abstracts."""

from __future__ import annotations

import re

import rispy
from hypothesis import given, settings
from hypothesis import strategies as st

from litreview._links import (
    BARE_HOST_NAMES,
    bare_host_link,
    clean_url,
    code_and_project_urls,
    find_urls,
    is_code_url,
    join_url_parts,
    links_of_texts,
    raw_urls,
)
from tests.paths import FIXTURES


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
    assert is_code_url("https://sub.gitlab.com/x/y") and not is_code_url("https://github.io/x/y")


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
        "/a",
        "//b/c",
        "/a/?x",
        "/a//",
        "/a#b/c",
        ";2-P",
        "/10.1002/(SICI)1-4(1998)49:8<693::AID-ASI4>3.0.CO;2-P",
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
            "https://doi.org/10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-P",
            "https://x.org/a<1::b",
            "https://a.org;https://b.org/c;",
            "https://a.org/x,http://b.org,",
            "https://github.com/",
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


# The rule for a link with a scheme, one character at a time (URL_PATTERN takes runs):
# no space, quote, NUL, <>; a ";" or "," unless a link follows; a SICI "<1::AID-X1>".
_REFERENCE_URL = re.compile(
    r"https?://(?:[^\s<>\"'`\x00;,]|[;,](?!https?://)|<[0-9]+::[A-Za-z0-9-]+>)+"
)


def _regex_raw_urls(text: str) -> list[tuple[int, str]]:
    """The plain regex search the position-based one replaces (the reference)."""
    found = [(m.start(), m[0]) for m in _REFERENCE_URL.finditer(text)]
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
        ";",
        "<",
        ">",
        "<693::AID-ASI4>",
        "<1::",
        "::",
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


WILEY = (
    "https://onlinelibrary.wiley.com/doi/10.1002/"
    "(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-P"
)
SICI_DOI = "https://doi.org/10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-P"


def test_a_semicolon_and_a_sici_doi_are_part_of_the_link() -> None:
    text = f"Published at {WILEY}. See also ({SICI_DOI}); and https://x.org/a;b=1;c:"
    urls = [WILEY, SICI_DOI, "https://x.org/a;b=1;c"]
    assert code_and_project_urls(text) == ([], urls)
    assert links_of_texts([text, f"Only {SICI_DOI}.", f"{WILEY}"]) == (
        [[], [], []],
        [urls, [SICI_DOI], [WILEY]],
    )
    assert not any(u.removeprefix("https://") == "2-P" for u in find_urls(text))


def test_parentheses_and_punctuation_around_a_link() -> None:
    text = (
        "(see https://en.wikipedia.org/wiki/Foo_(bar)). [https://a.org/x] "
        "https://b.org/y, https://c.org/z; https://d.org/w: and (https://e.org/v)."
    )
    assert find_urls(text) == [
        "https://en.wikipedia.org/wiki/Foo_(bar)",
        "https://a.org/x",
        "https://b.org/y",
        "https://c.org/z",
        "https://d.org/w",
        "https://e.org/v",
    ]


def test_a_semicolon_between_links_still_separates_them() -> None:
    for cell in (
        "https://a.org; https://b.org",
        "https://a.org;https://b.org;",
        "https://a.org ;https://b.org",
        "https://a.org,https://b.org",
    ):
        assert find_urls(cell) == ["https://a.org", "https://b.org"], cell
        assert links_of_texts([cell]) == ([[]], [["https://a.org", "https://b.org"]])


def test_a_piece_of_a_link_is_never_made_a_link() -> None:
    assert clean_url("2-P") == ""
    assert clean_url("2-P.") == ""
    assert clean_url("www.example.org/x.") == "https://www.example.org/x"
    # rispy splits a UR at every ";": the pieces of one link are joined back
    parts = [*SICI_DOI.split(";"), "https://b.org", "github.com/a/b"]
    assert join_url_parts(parts) == [SICI_DOI, "https://b.org", "github.com/a/b"]
    assert join_url_parts(["https://a.org", " https://b.org", "", "  "]) == [
        "https://a.org",
        "https://b.org",
    ]


def test_a_bare_code_host_is_a_page_not_a_repository() -> None:
    bare = [
        "https://github.com",
        "https://github.com/",
        "http://gitlab.com",
        "https://huggingface.co",
    ]
    for url in [
        *bare,
        "https://github.com/owner",
        "https://github.com//x",
        "https://gitlab.com/?a/b",
    ]:
        assert not is_code_url(url), url
    assert is_code_url("https://github.com/a/b") and is_code_url("github.com/a/b")
    assert is_code_url("https://git.sr.ht/~u/r") and is_code_url("https://gitlab.com/g/s/r")
    text = "Home https://github.com, https://github.com/. Also http://gitlab.com and https://huggingface.co."
    expected = ([], ["https://github.com", "http://gitlab.com", "https://huggingface.co"])
    assert code_and_project_urls(text) == expected
    for one in bare:  # the short path for a lone link
        assert links_of_texts([f"Code: {one}."]) == ([[]], [[one.rstrip("/")]])
    assert links_of_texts(["x https://github.com/a/b."]) == ([["https://github.com/a/b"]], [[]])


def test_links_of_a_ris_ur_split_by_rispy_are_joined_back() -> None:
    """rispy cuts every ``UR`` at ``;``: a Wiley SICI link comes in two pieces."""
    with (FIXTURES / "links_wiley.ris").open(encoding="utf-8") as f:
        entries = rispy.load(f)
    assert [join_url_parts(e["urls"]) for e in entries] == [
        [WILEY, "https://a.org/x", "https://b.org/y", "https://github.com"],
        ["https://doi.org/10.1002/(SICI)1520-6297(199601/02)12:1<1::AID-AGR1>3.0.CO;2-0"],
    ]
    assert all(clean_url(u) != "https://2-P" for e in entries for u in e["urls"])
