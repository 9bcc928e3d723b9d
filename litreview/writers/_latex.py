"""LaTeX escaping and brace protection for BibTeX text fields.

BibTeX counts every brace, escaped or not, so braces in the text become
``\\textbraceleft{}``/``\\textbraceright{}`` and every value we produce is
balanced. Simple inline math (``$O(n^2)$``) is kept as math; anything else is
escaped so ``pdflatex`` never stops on it::

    >>> escape("R&D at 50% for #1 snake_case")
    'R\\\\&D at 50\\\\% for \\\\#1 snake\\\\_case'
    >>> protect_title("Tokens-to-Token ViT: Training on ImageNet")
    'Tokens-to-Token {ViT:} Training on {ImageNet}'
    >>> protect_title("$O(n^2)$ attention")
    '{$O(n^2)$} attention'
"""

from __future__ import annotations

import re
import unicodedata

LATEX_ESCAPES = str.maketrans(
    {
        "\\": r"\textbackslash{}",
        "{": r"\textbraceleft{}",
        "}": r"\textbraceright{}",
        "&": r"\&",
        "%": r"\%",
        "$": r"\$",
        "#": r"\#",
        "_": r"\_",
        "~": r"\textasciitilde{}",
        "^": r"\textasciicircum{}",
    }
)
# Inline math we can keep: no braces, commands or dollars inside, and never two
# scripts of the same kind on one base (``x^2^3`` is a TeX error).
_ATOM = r"[A-Za-z0-9()+\-=,.*/|<>\[\]:;!]"
_SCRIPT = r"(?:\^[A-Za-z0-9](?:_[A-Za-z0-9])?|_[A-Za-z0-9](?:\^[A-Za-z0-9])?)"
_SAFE_MATH = re.compile(rf"{_SCRIPT}?(?: *{_ATOM}[ {_ATOM[1:-1]}]*{_SCRIPT}?)*")
# Pandoc's rule: no space just inside the dollars, no digit right after the closing one.
_MATH = re.compile(r"\$(?=[^\s$])([^$]*?[^\s$\\])\$(?!\d)")
_WORD_SPLIT = re.compile(r"(\s+)")
# within one hyphen-separated part: a capital after another letter, or capitals with digits
ASCII_PROTECT = re.compile(r"[A-Za-z][^-]*?[A-Z]|[A-Z][^-]*?\d|\d[^-]*?[A-Z]")
# the same as a match from a word's start, without the lazy scans from every letter:
# some hyphen-separated part has a capital after its first letter, or a capital and a digit
# (possessive runs: each class excludes what follows it, so backtracking never helps)
WORD_PROTECT = re.compile(
    r"(?:[^-]*+-)*?"
    r"(?:[^-A-Za-z]*+[A-Za-z][^-A-Z]*+[A-Z]|[^-A-Z0-9]*+(?:[A-Z][^-0-9]*+\d|\d[^-A-Z]*+[A-Z]))"
)
NOT_KEY_CHAR = re.compile(r"[^a-z0-9\s]+")
_FOLD = str.maketrans(
    {"ß": "ss", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d"}
    | {"Đ": "D", "þ": "th", "Þ": "Th", "œ": "oe", "Œ": "OE", "ı": "i"}
)


def escape(text: str) -> str:
    """Escape LaTeX's special characters; Unicode stays as it is."""
    return text.translate(LATEX_ESCAPES) if _has_special(text) else text


def _has_special(text: str) -> bool:
    """Whether ``text`` holds a character ``escape`` replaces: ten substring scans are
    10x faster than the ``translate`` that would leave it unchanged (the usual case)."""
    return (
        "\\" in text
        or "{" in text
        or "}" in text
        or "&" in text
        or "%" in text
        or "$" in text
        or "#" in text
        or "_" in text
        or "~" in text
        or "^" in text
    )


def protect_title(title: str) -> str:
    """Escape a title and brace-protect the words whose capitals carry meaning.

    Acronyms (``BERT``), mixed case (``ViT``, ``DeepVecFont-v2``) and capitals
    with digits (``3D``) are wrapped in braces so styles that lowercase titles
    keep them; kept math is wrapped too.
    """
    if "$" not in title:
        return _protect_words(title)
    out = []
    pos = 0
    for match in _MATH.finditer(title):
        body = match.group(1)
        if not _SAFE_MATH.fullmatch(body):
            continue
        out.append(_protect_words(title[pos : match.start()]))
        out.append("{$" + body + "$}")
        pos = match.end()
    out.append(_protect_words(title[pos:]))
    return "".join(out)


def _protect_words(text: str) -> str:
    if not text:
        return ""
    if text.isascii() and text.isprintable() and "  " not in text:
        if not _has_special(text):
            return _brace_plain_words(text)
        # the usual title: escape it whole, then brace the words that need it (same result)
        escaped_words = text.translate(LATEX_ESCAPES).split(" ")
        return " ".join(
            braced(e) if w and ASCII_PROTECT.search(w) else e
            for w, e in zip(text.split(" "), escaped_words, strict=True)
        )
    parts = _WORD_SPLIT.split(text)
    for i in range(0, len(parts), 2):
        word = parts[i]
        escaped = escape(word)
        parts[i] = braced(escaped) if word and needs_protection(word) else escaped
    return "".join(parts)


def _brace_plain_words(text: str) -> str:
    """``_protect_words`` of one-line ASCII text that needs no escaping: the words are
    matched from C (``map``), and most titles need no new string at all."""
    words = text.split(" ")
    hits = list(map(WORD_PROTECT.match, words))
    if not any(hits):
        return text
    return " ".join([("{" + w + "}" if hit else w) for w, hit in zip(words, hits, strict=True)])


def braced(escaped: str) -> str:
    """Brace-protect an escaped word; ``{\\...}`` would be read as a special character."""
    return "{{" + escaped + "}}" if escaped.startswith("\\") else "{" + escaped + "}"


def needs_protection(word: str) -> bool:
    """True when lowercasing ``word`` would lose information (``Tokens-to-Token`` would not)."""
    if word.isascii():
        return ASCII_PROTECT.search(word) is not None
    return any(_part_needs_protection(part) for part in word.split("-"))


def _part_needs_protection(word: str) -> bool:
    upper = [i for i, ch in enumerate(word) if ch.isupper()]
    if not upper:
        return False
    first_letter = next(i for i, ch in enumerate(word) if ch.isalpha())
    return len(upper) > 1 or upper[0] != first_letter or any(ch.isdigit() for ch in word)


def ascii_fold(text: str) -> str:
    """Lower-case ASCII letters and digits only (``Łódź-2`` -> ``lodz2``)."""
    if text.isascii():
        return NOT_KEY_CHAR.sub("", text.lower()).replace(" ", "")
    text = unicodedata.normalize("NFKD", text.translate(_FOLD))
    return "".join(ch for ch in text.lower() if ch.isascii() and ch.isalnum())
