"""The plain-text copy of the Daily Papers page (the bundled sample's format).

:mod:`.lines` is the line-by-line parser; :mod:`.bulk` reads papers in the usual
eight-line shape in bulk and hands anything else to the line parser.
"""

from litreview.readers.hf_text.lines import Columns, looks_like_hf_text, parse_hf_text

__all__ = ["Columns", "looks_like_hf_text", "parse_hf_text"]
