r"""LaTeX in BibTeX fields as the text it prints, via pylatexenc, keeping what it does not know.

pylatexenc drops a macro it has no text for (``{\TeX}: The Program`` became
``: The Program``, ``\texttt{x}`` became nothing). Here a macro prints:

- its text when it is a logo or symbol BibTeX files use (``\TeX``, ``\LaTeX``,
  ``\BibTeX``, ``\hyphen`` → ``-``, ``\textendash`` → ``–``, ``\copyright``);
- its argument when it only formats one (``\mbox``, ``\texttt``, ``\url``,
  ``\NoCaseChange`` …, and any macro pylatexenc parses arguments for but has no text for);
- nothing for the few that print nothing (``\relax``, ``\protect``, ``\/``,
  ``\noopsort{…}``, a sort key);
- otherwise, an unknown ``\foo{bar}`` prints ``bar`` (the group that follows) and an
  unknown bare ``\foo`` prints ``foo``: a name is kept rather than a word lost.

``~`` and ``\,`` print a plain space, so titles compare and search as typed.

>>> latex_to_text(r"{\TeX}: The Program, \foo{bar} and \hyphen\ \textendash")
'TeX: The Program, bar and - –'
"""

from __future__ import annotations

import logging
import re
import unicodedata

from pylatexenc import latexwalker, macrospec
from pylatexenc.latex2text import (
    LatexNodes2Text,
    MacroTextSpec,
    SpecialsTextSpec,
    get_default_latex_context_db,
)

# what these macros print (logos, dashes, symbols BibTeX styles and exports use)
_PRINTS = {
    "TeX": "TeX",
    "LaTeX": "LaTeX",
    "LaTeXe": "LaTeX2e",
    "BibTeX": "BibTeX",
    "XeTeX": "XeTeX",
    "XeLaTeX": "XeLaTeX",
    "LuaTeX": "LuaTeX",
    "LuaLaTeX": "LuaLaTeX",
    "ConTeXt": "ConTeXt",
    "AmS": "AMS",
    "AmSTeX": "AMS-TeX",
    "METAFONT": "METAFONT",
    "hyphen": "-",
    "textendash": "–",
    "textemdash": "—",
    "textellipsis": "…",
    "copyright": "©",
    "textcopyright": "©",
    "textregistered": "®",
    "texttrademark": "™",
    "textdegree": "°",
    "textbackslash": "\\",
    "textasciitilde": "~",
    "textunderscore": "_",
    "textbar": "|",
    "textless": "<",
    "textgreater": ">",
    ",": " ",
    "thinspace": " ",
    "nobreakspace": " ",
    "space": " ",
}
# macros that only format their one argument
_ARGUMENT = [
    "mbox",
    "hbox",
    "texttt",
    "textsf",
    "textup",
    "textmd",
    "textnormal",
    "textsuperscript",
    "textsubscript",
    "NoCaseChange",
    "MakeUppercase",
    "MakeLowercase",
    "uppercase",
    "lowercase",
    "url",
    "path",
    "nolinkurl",
]
_NOTHING = ("relax", "protect", "/", "-", "null", "nobreak", "unskip", "noindent", "@")
_DISCARD_ARGUMENT = ("noopsort", "SortNoop", "sortnoop", "noop")


def _walker_context() -> macrospec.LatexContextDb:
    db = latexwalker.get_default_latex_context_db()
    specs = [macrospec.std_macro(m, False, 1) for m in (*_ARGUMENT, *_DISCARD_ARGUMENT)]
    specs.append(macrospec.std_macro("textcolor", "{{"))  # colour, then the text
    specs.append(macrospec.std_macro("foreignlanguage", "{{"))
    db.add_context_category("litreview-bibtex", macros=specs, prepend=True)
    return db


def _text_context() -> macrospec.LatexContextDb:
    db = get_default_latex_context_db()
    macros = [MacroTextSpec(m, text.replace("%", "%%")) for m, text in _PRINTS.items()]
    macros += [MacroTextSpec(m, discard=False) for m in _ARGUMENT]
    macros += [MacroTextSpec(m, "") for m in (*_NOTHING, *_DISCARD_ARGUMENT)]
    macros.append(MacroTextSpec("textcolor", "%(2)s"))
    macros.append(MacroTextSpec("foreignlanguage", "%(2)s"))
    specials = [SpecialsTextSpec("~", " "), SpecialsTextSpec("&", "&")]  # & is no table cell
    db.add_context_category("litreview-bibtex", macros=macros, specials=specials, prepend=True)
    return db


class _KeepingText(LatexNodes2Text):  # type: ignore[misc]  # pylatexenc has no types
    """LatexNodes2Text that keeps an unknown macro's argument or name."""

    def macro_node_to_text(self, node: latexwalker.LatexMacroNode) -> str:
        name = node.macroname
        if _PRINTS.get(name, "")[:1].isalpha():  # a word: "\\TeX is" keeps its space
            return _PRINTS[name] + (" " if node.macro_post_space else "")
        if self.latex_context.get_macro_spec(name) is not None:
            return str(super().macro_node_to_text(node))
        args = node.nodeargd.argnlist if node.nodeargd and node.nodeargd.argnlist else []
        if any(a is not None for a in args):
            return "".join(self._groupnodecontents_to_text(a) for a in args if a is not None)
        after = node.parsing_state.s[node.pos + node.len : node.pos + node.len + 1]
        if after == "{" or not name.isalpha():
            return ""  # the group that follows is its argument; \\ or \- print nothing here
        return str(name) + (" " if node.macro_post_space else "")


_ESCAPES = re.compile(r"\\([%&$#_{}])|[{}]")
_QUOTES = re.compile(r"--|``|''|<<|>>|!`|\?`")  # ligatures pylatexenc turns into – ” « ¡
_BARE_PERCENT = re.compile(r"(?<!\\)%")
_FAST_BRACES = 64  # more braces take the parser's path, which reports nesting too deep


def _unescape(match: re.Match[str]) -> str:
    return match.group(1) or ""


# accents and letters written as macros (``{\"u}``, ``\'{e}``, ``\c{s}``, ``{\L}``): the
# bulk of the LaTeX in names, decoded without a parse
_MARKS = {
    '"': "\u0308", "'": "\u0301", "`": "\u0300", "^": "\u0302", "~": "\u0303",
    "=": "\u0304", ".": "\u0307", "u": "\u0306", "v": "\u030c", "H": "\u030b",
    "c": "\u0327", "k": "\u0328", "r": "\u030a", "d": "\u0323", "b": "\u0331",
}  # fmt: skip
_LETTERS = {
    "i": "ı", "j": "ȷ", "l": "ł", "L": "Ł", "o": "ø", "O": "Ø", "ss": "ß",
    "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ", "aa": "å", "AA": "Å",
}  # fmt: skip
_ACCENT = re.compile(
    r"""\\(?:(?P<sym>["'`^~=.])[ \t]*(?:\{(?P<b1>\\?[A-Za-z])\}|(?P<b2>\\?[A-Za-z]))"""
    r"""|(?P<word>[uvHckrdb])(?:\{(?P<b3>\\?[A-Za-z])\}|[ \t]+(?P<b4>[A-Za-z]))"""
    r"""|(?P<letter>ss|ae|AE|oe|OE|aa|AA|[ijlLoO])(?![A-Za-z])[ \t]*)"""
)


def _accent(match: re.Match[str]) -> str:
    letter = match["letter"]
    if letter:
        return _LETTERS[letter]
    base = match["b1"] or match["b2"] or match["b3"] or match["b4"]
    base = base[1:] if base.startswith("\\") else base  # \'{\i} is í
    return base + _MARKS[match["sym"] or match["word"]]


def _decode_accents(value: str) -> str:
    """``value`` with its accent and letter macros as Unicode (NFC)."""
    return unicodedata.normalize("NFC", _ACCENT.sub(_accent, value))


_WALKER_CONTEXT = _walker_context()
_CONVERTER = _KeepingText(latex_context=_text_context(), math_mode="text", keep_comments=False)


def latex_to_text(value: str) -> str:
    r"""LaTeX markup (accents, ``\&``, braces, math, macros) as the plain text it prints.

    Values without ``\``, braces, ``$`` or ``~`` are returned as they are, and values
    whose only markup is braces and ``\%`` ``\&`` ``\$`` ``\#`` ``\_`` ``\{`` ``\}``
    lose it without a parse (fast paths). A ``%`` is text, not a LaTeX comment:
    BibTeX keeps it, and a comment would drop the rest of the line.

    >>> latex_to_text(r"Caf{\'e} \& {\LaTeX}~\texttt{x}")
    'Café & LaTeX x'
    """
    if not any(c in value for c in "\\{}$~"):
        return value
    if "\\" in value:
        value = _decode_accents(value)
    simple = "$" not in value and "~" not in value and value.count("{") < _FAST_BRACES
    if simple and not _QUOTES.search(value):
        plain = _ESCAPES.sub(_unescape, value)
        if "\\" not in plain:
            return plain
    value = _BARE_PERCENT.sub(r"\\%", value)
    logging.getLogger("pylatexenc").setLevel(logging.ERROR)
    walker = latexwalker.LatexWalker(value, latex_context=_WALKER_CONTEXT, tolerant_parsing=True)
    return str(_CONVERTER.nodelist_to_text(walker.get_latex_nodes()[0]))
