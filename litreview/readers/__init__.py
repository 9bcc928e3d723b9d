"""Read paper listings into the paper table, whatever form they come in.

One module per format (each with ``detect`` and ``parse``); :mod:`.listing` picks
the reader and is the one read path (:func:`read_listing`); :mod:`.merge` reads
several listings into one row per paper (:func:`read_listings`), following the
"same paper" rule of :mod:`litreview.ids` and the merge policy of :mod:`.policy`;
:mod:`.fuzzy_merge` finds near-duplicate titles::

    >>> import litreview
    >>> len(read_listing(litreview.SAMPLE_LISTING))
    36
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from litreview._lazy import lazy_names

if TYPE_CHECKING:
    from litreview.readers._io import Source, is_listing_text
    from litreview.readers.listing import (
        READERS,
        SUFFIX_FORMATS,
        Errors,
        Reader,
        read_listing,
        read_listing_and_format,
    )
    from litreview.readers.merge import merge_papers, read_listings

#: Public name -> the module that defines it (imported on first use).
_PUBLIC = {
    "READERS": "litreview.readers.listing",
    "SUFFIX_FORMATS": "litreview.readers.listing",
    "Errors": "litreview.readers.listing",
    "Reader": "litreview.readers.listing",
    "read_listing": "litreview.readers.listing",
    "read_listing_and_format": "litreview.readers.listing",
    "Source": "litreview.readers._io",
    "is_listing_text": "litreview.readers._io",
    "merge_papers": "litreview.readers.merge",
    "read_listings": "litreview.readers.merge",
}

__all__ = [
    "READERS",
    "SUFFIX_FORMATS",
    "Errors",
    "Reader",
    "Source",
    "is_listing_text",
    "merge_papers",
    "read_listing",
    "read_listing_and_format",
    "read_listings",
]


__getattr__, __dir__ = lazy_names(__name__, _PUBLIC, globals())
