"""The web as a source: Hugging Face daily papers and search, arXiv searches and id
lists, and completing papers' metadata (arXiv, Hugging Face, OpenAlex), through one
careful HTTP client (timeouts, retries honouring ``Retry-After``, rate limits, an
on-disk cache, offline mode). See docs/web.md.

* :func:`fetch_hf_daily`, :func:`fetch_hf_search`, :func:`fetch_arxiv`: listings
  (the API's own answer kept in a file if asked, read back as a paper table);
* :func:`plan_enrichment`: what completing a table would change (``Review.enrich`` writes it);
* :class:`Client`, :class:`Settings`, :class:`WebError`: the client and its settings.
"""

from __future__ import annotations

from litreview.web.client import Client, Stats, WebError
from litreview.web.config import Settings
from litreview.web.enrich import Plan, Uncertain, Update, plan_enrichment
from litreview.web.fetch import fetch_arxiv, fetch_hf_daily, fetch_hf_search

__all__ = [
    "Client",
    "Plan",
    "Settings",
    "Stats",
    "Uncertain",
    "Update",
    "WebError",
    "fetch_arxiv",
    "fetch_hf_daily",
    "fetch_hf_search",
    "plan_enrichment",
]
