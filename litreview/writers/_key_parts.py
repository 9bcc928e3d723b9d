"""The parts of a citation key formula: Better BibTeX's functions and filters, its stop
words, folding to ASCII and cleaning (:mod:`litreview.writers.key_formula` parses).

>>> title_words("Attention Is All You Need")
['Attention', 'All', 'You', 'Need']
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

import pandas as pd

from litreview.writers._fields import Row, as_list, split_name

#: Better BibTeX's default ``skipWords`` preference (as it writes it): title words keys skip.
_BBT_SKIP_WORDS = (
    "a,ab,aboard,about,above,across,after,against,al,along,amid,among,an,and,anti,around,"
    "as,at,before,behind,below,beneath,beside,besides,between,beyond,but,by,d,da,das,de,"
    "del,dell,dello,dei,degli,della,dell,delle,dem,den,der,des,despite,die,do,down,du,"
    "during,ein,eine,einem,einen,einer,eines,el,en,et,except,for,from,gli,i,il,in,inside,"
    "into,is,l,la,las,le,les,like,lo,los,near,nor,of,off,on,onto,or,over,past,per,plus,"
    "round,save,since,so,some,sur,than,the,through,to,toward,towards,un,una,unas,under,"
    "underneath,une,unlike,uno,unos,until,up,upon,versus,via,von,while,with,within,"
    "without,yet,zu,zum"
)
SKIP_WORDS = frozenset(_BBT_SKIP_WORDS.split(","))
#: Better BibTeX's default ``citekeyUnsafeChars``: never in a key (nor whitespace).
UNSAFE = "\\\"#%'(),={}~\ufffd"
_UNSAFE_SPACES = re.compile("[" + re.escape(UNSAFE) + "]")
_DROP_UNSAFE = str.maketrans("", "", UNSAFE)
_DROP_UNSAFE_SPACES = str.maketrans("", "", UNSAFE + " \t\n\r\x0b\x0c")
_WORD = re.compile(r"\w+(?:[-‐‑‒–—―]\w+)*")
_DASH = re.compile(r"[-‐‑‒–—―]")
_PUNCT = re.compile(r"[^\w\s]")
_NOT_DASH_PUNCT = re.compile(r"[^\w\s\-‐‑‒–—―]")
#: Letters NFKD does not decompose, folded as fold-to-ascii does (case kept).
_FOLD = str.maketrans(
    {"ß": "ss", "ẞ": "SS", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L"}
    | {"đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "Th", "œ": "oe", "Œ": "OE"}
    | {"ı": "i", "ŋ": "ng", "Ŋ": "NG", "ħ": "h", "Ħ": "H"}
)
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def fold(text: str) -> str:
    """Latin letters to ASCII, case kept (``Łódź`` -> ``Lodz``); other scripts dropped.

    >>> fold("Schrödinger Łukasz Æsir")
    'Schrodinger Lukasz AEsir'
    """
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD))
    return "".join(ch for ch in decomposed if ch.isascii())


def clean(text: str) -> str:
    """Better BibTeX's ``clean``: folded, unsafe characters removed (spaces kept)."""
    if text.isascii():  # the usual case: one C call, no regex
        return text.translate(_DROP_UNSAFE).strip()
    return _UNSAFE_SPACES.sub("", fold(text)).strip()


def safe_key(key: str) -> str:
    """A key as given (Unicode kept), without the characters and spaces BibTeX cannot
    read in a key."""
    return (
        key.translate(_DROP_UNSAFE_SPACES)
        if key.isascii()
        else _UNSAFE_SPACES.sub("", "".join(key.split()))
    )


def finish(key: str) -> str:
    """The finished key: folded, without unsafe characters or whitespace."""
    if key.isascii():
        return key.translate(_DROP_UNSAFE_SPACES)
    return _UNSAFE_SPACES.sub("", "".join(fold(key).split()))


def title_words(title: str, *, transliterate: bool = False) -> list[str]:
    """The title's words as Better BibTeX's ``titleWords`` gives them with ``skipWords``
    and ``nopunct``: dashes inside a word dropped, one-letter words and stop words skipped.

    >>> title_words("Tokens-to-Token ViT: Training Vision Transformers from Scratch")
    ['TokenstoToken', 'ViT', 'Training', 'Vision', 'Transformers', 'Scratch']
    """
    if title.isascii():  # the usual case: ASCII dashes only, no folding needed
        words = [w.replace("-", "") if "-" in w else w for w in _WORD.findall(title)]
        return [w for w in words if len(w) > 1 and w.lower() not in SKIP_WORDS]
    words = [_DASH.sub("", w) for w in _WORD.findall(title or "")]
    words = [w for w in words if len(w) > 1 or _is_cjk(w)]
    if transliterate:
        words = [fold(w) for w in words]
    return [w for w in words if w and w.lower() not in SKIP_WORDS]


def _is_cjk(word: str) -> bool:
    return bool(word) and unicodedata.name(word[0], "").startswith("CJK")


def family_names(row: Row, first: int | None = None) -> list[str]:
    """The authors' family names (``Ludwig van Beethoven`` -> ``van Beethoven``), the
    ``first`` ones only when given; an organization shown instead of authors is one name."""
    out: list[str] = []
    for name in as_list(row.get("authors")):
        if first is not None and len(out) >= first:
            break
        family = _family(name)
        if family:
            out.append(family)
    if not out and row.get("organization"):
        out.append(str(row["organization"]))
    return out


def _family(name: str) -> str:
    name = " ".join(name.split())
    if "," in name:
        return name.split(",")[0].strip()
    parts = split_name(name)
    return name if parts is None else parts[0]


Function = Callable[..., str]


def _year(row: Row) -> str:
    published = row.get("published")
    return "" if published is None or pd.isna(published) else str(published.year)


def _shorttitle(row: Row, n: int = 3, m: int = 0) -> str:
    words = title_words(row.get("title") or "", transliterate=m > 0)[:n]
    return " ".join(w[:1].upper() + w[1:] if i < m else w for i, w in enumerate(words))


def _auth(row: Row, n: int = 0, m: int = 1) -> str:
    names = family_names(row, m)
    name = names[m - 1] if 0 < m <= len(names) else ""
    return name[:n] if n else name


def _auth_etal(row: Row, sep: str = " ", etal: str = "EtAl") -> str:
    names = family_names(row)
    if len(names) == 2:
        return sep.join(names)
    return sep.join(names[:1] + ([etal] if len(names) > 1 else []))


def _authors_alpha(row: Row) -> str:
    names = family_names(row)
    if len(names) == 1:
        return names[0][:3]
    if 1 < len(names) <= 4:
        return "".join(n[:1] for n in names)
    return "".join(n[:1] for n in names[:3]) + ("+" if names else "")


def _authshort(row: Row, sep: str = ".") -> str:
    names = family_names(row)
    if len(names) <= 1:
        return "".join(names)
    return sep.join(n[:1] for n in names[:3]) + ("+" if len(names) > 3 else "")


def _month(row: Row) -> str:
    published = row.get("published")
    if published is None or pd.isna(published) or row.get("date_precision") == "year":
        return ""
    return MONTHS[published.month - 1]


#: The functions a term starts with (Better BibTeX's names), each given the paper row.
FUNCTIONS: dict[str, Function] = {
    "auth": _auth,
    "authEtAl": _auth_etal,
    "authEtal2": lambda row, sep=".": _auth_etal(row, sep, "etal"),
    "authorLast": lambda row: (family_names(row) or [""])[-1],
    "authorsAlpha": _authors_alpha,
    "authshort": _authshort,
    "authIni": lambda row, n=0, sep=".": sep.join(x[:n] if n else x for x in family_names(row)),
    "year": _year,
    "shortyear": lambda row: _year(row)[-2:],
    "month": _month,
    "title": lambda row: " ".join(title_words(row.get("title") or "")),
    "shorttitle": _shorttitle,
    "veryshorttitle": lambda row, n=1, m=0: _shorttitle(row, n, m),
    "journal": lambda row: str(row.get("venue") or ""),
    "type": lambda row: str(row.get("entry_type") or ""),
}


def _select(text: str, start: int = 1, n: int | None = None) -> str:
    words = text.split()
    begin = len(words) + start if start < 0 else max(start, 1) - 1
    return " ".join(words[begin : None if n is None else begin + max(n, 1)])


def _replace(text: str, find: str, replace: str) -> str:
    return re.sub(re.escape(find), lambda _m: replace, text, flags=re.IGNORECASE)


#: Filters (``.name`` or ``.name(args)``) applied to the text so far.
FILTERS: dict[str, Callable[..., str]] = {
    "lower": str.lower,
    "upper": str.upper,
    "capitalize": lambda t: re.sub(r"(^|\s)([a-z])", lambda m: m.group(1) + m.group(2).upper(), t),
    "condense": lambda t, sep="": re.sub(r"\s+", sep, t),
    "prefix": lambda t, p="": p + t if t and p else t,
    "postfix": lambda t, p="": t + p if t and p else t,
    "select": _select,
    "substring": lambda t, start=1, n=None: t[start - 1 : None if n is None else start - 1 + n],
    "skipwords": lambda t: " ".join(title_words(t)),
    "abbr": lambda t, chars=1: "".join(w[:chars] for w in t.split()),
    "replace": _replace,
    "clean": clean,
    "fold": fold,
    "transliterate": fold,
    "ascii": lambda t: " ".join(re.sub(r"[^ -~]", "", t).split()),
    "alphanum": lambda t: " ".join(re.sub(r"[^\w\s]|_", "", t).split()),
    "nopunct": lambda t, dash="-": _DASH.sub(dash, _NOT_DASH_PUNCT.sub("", t)),
    "nopunctordash": lambda t: _PUNCT.sub("", t),
    "numeric": lambda t: t if t[:1].isdigit() else "",
    "default": lambda t, text="": t or text,
}
