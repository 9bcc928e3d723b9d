"""Deterministic large listings in the Hugging Face plain-text format, and
Zotero-like BibTeX libraries (:func:`write_bibtex`).

    python benchmarks/generate.py 100000 > /tmp/listing.txt
    python benchmarks/generate.py 10000 bib > /tmp/library.bib

The same ``n`` and ``seed`` always give the same bytes.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Iterator
from pathlib import Path

WORDS = [
    "transformer",
    "attention",
    "efficient",
    "sparse",
    "linear",
    "vision",
    "language",
    "model",
    "diffusion",
    "image",
    "generation",
    "token",
    "scaling",
    "training",
    "inference",
    "quantization",
    "pruning",
    "distillation",
    "graph",
    "neural",
    "network",
    "point",
    "cloud",
    "segmentation",
    "detection",
    "retrieval",
    "reasoning",
    "benchmark",
    "dataset",
    "multimodal",
    "video",
    "audio",
    "speech",
    "robot",
    "policy",
    "reinforcement",
    "learning",
    "self-supervised",
    "contrastive",
    "representation",
    "latent",
    "flow",
    "normalizing",
    "memory",
    "long",
    "context",
    "recurrent",
    "state",
    "space",
    "kernel",
    "approximation",
    "theorem",
    "expressive",
    "power",
    "survey",
    "optimization",
    "hardware",
    "energy",
    "low-rank",
    "adapter",
    "fine-tuning",
    "prompt",
    "instruction",
    "alignment",
    "evaluation",
    "medical",
    "protein",
    "molecule",
    "physics",
    "operator",
    "equation",
    "weather",
    "forecasting",
    "time",
    "series",
    "anomaly",
    "code",
    "program",
]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
HOSTS = ("https://github.com", "https://gitlab.com", "https://gitee.com")


def papers(n: int, seed: int = 0) -> Iterator[dict[str, object]]:
    """Yield ``n`` synthetic papers as dicts of the fields a listing shows."""
    rng = random.Random(seed)
    for i in range(n):
        words = rng.sample(WORDS, 7)
        title = f"{words[0].title()}{i}: " + " ".join(w.title() for w in words[1:])
        sentences = [
            " ".join(rng.choices(WORDS, k=rng.randint(10, 25))).capitalize() + "."
            for _ in range(rng.randint(6, 12))
        ]
        if rng.random() < 0.3:
            sentences.append(f"Code is at {rng.choice(HOSTS)}/lab{i % 97}/{words[0]}-{i}.")
        yield {
            "title": title,
            "abstract": " ".join(sentences),
            "n_authors": rng.randint(1, 30),
            "year": rng.randint(2017, 2025),
            "month": rng.randint(1, 12),
            "day": rng.randint(1, 28),
            "comments": rng.choice([0, 0, 0, 1, 2, 5]),
        }


def listing_lines(n: int, seed: int = 0) -> Iterator[str]:
    """The listing text for ``n`` papers, line by line."""
    yield "Daily Papers\n\nbyAK and the research community\n\n"
    for p in papers(n, seed):
        date = f"{MONTHS[int(p['month']) - 1]} {p['day']}, {p['year']}"
        if p["comments"]:
            date += f" {p['comments']}"
        yield f"{p['title']}\n\n{p['abstract']}\n\n  • {p['n_authors']} authors\n·\n{date}\n\n"


SURNAMES = ["Smith", "Müller", "García", "Nguyen", "Öztürk", "Wang", "Kowalski", "Dubois",
            "van der Berg", "O'Neil", "Łukasiewicz", "Tanaka", "Silva", "Johansson"]  # fmt: skip
GIVEN = ["Ana", "Jörg", "Li", "Marie-Claire", "José", "Ayşe", "Tom", "Priya", "Hans", "Zoë"]
_LATEX_NAME = str.maketrans(
    {"ü": '{\\"u}', "í": "{\\'i}", "Ö": '{\\"O}', "ö": '{\\"o}', "ş": "{\\c{s}}", "Ł": "{\\L}"}
    | {"é": "{\\'e}", "ë": '{\\"e}'}
)
TYPES = [("article", 0.6), ("inproceedings", 0.25), ("book", 0.03), ("incollection", 0.04),
         ("phdthesis", 0.02), ("techreport", 0.02), ("misc", 0.04)]  # fmt: skip


def bibtex_entries(n: int, seed: int = 0) -> Iterator[str]:
    """``n`` entries shaped like Zotero's BibTeX export (tab-indented ``key = {value}``
    fields in Zotero's order, LaTeX accents in names, braces protecting capitals,
    ``month = jun`` macros, ``file``/``urldate``/``keywords``; about 1.5 kB each)."""
    rng = random.Random(seed)
    kinds, weights = zip(*TYPES, strict=True)
    for i, p in enumerate(papers(n, seed)):
        kind = rng.choices(kinds, weights)[0]
        names = [
            f"{rng.choice(SURNAMES)}, {rng.choice(GIVEN)}".translate(_LATEX_NAME)
            for _ in range(min(int(p["n_authors"]), rng.randint(1, 8)))
        ]
        words = str(p["title"]).split()
        title = " ".join("{" + w + "}" if rng.random() < 0.2 else w for w in words)
        surname = names[0].split(",")[0].lower().replace(" ", "_")
        stem = "".join(c for c in surname if c.isalnum() or c == "_")
        key = f"{stem}_{words[1].lower()}_{p['year']}"
        fields = [("title", "{" + title + "}")]
        if kind == "article":
            fields += [("volume", f"{{{rng.randint(1, 60)}}}"), ("issn", "{1234-5678}")]
        if kind in ("book", "incollection"):
            fields += [("isbn", "{978-0-201-13437-7}"), ("publisher", "{Springer}")]
        fields += [("url", f"{{https://example.org/paper/{i}}}")]
        fields += [("doi", f"{{10.{1000 + i % 9000}/x.{i}}}"), ("abstract", f"{{{p['abstract']}}}")]
        fields += [("language", "{en}"), ("urldate", "{2023-05-01}")]
        if kind == "article":
            fields += [("number", f"{{{rng.randint(1, 12)}}}"), ("journal", "{Journal of {AI}}")]
        if kind in ("inproceedings", "incollection"):
            fields += [("booktitle", "{Proceedings of the {Conference} on {Things}}")]
        if kind == "phdthesis":
            fields += [("school", "{Universit{\\'e} de Paris}")]
        if kind == "techreport":
            fields += [("institution", "{{World Health Organization}}")]
        fields += [("author", "{" + " and ".join(names) + "}")]
        fields += [("month", MONTHS[int(p["month"]) - 1].lower()), ("year", f"{{{p['year']}}}")]
        fields += [("note", "{arXiv: 2401.01234}")] if rng.random() < 0.1 else []
        fields += [("keywords", "{" + ", ".join(rng.sample(WORDS, 4)) + "}")]
        fields += [("pages", f"{{{i % 300 + 1}--{i % 300 + 12}}}")]
        fields += [
            ("file", f"{{Full Text PDF:/home/u/Zotero/storage/K{i:07d}/p.pdf:application/pdf}}")
        ]
        body = ",\n".join(f"\t{k} = {v}" for k, v in fields)
        yield f"@{kind}{{{key}{i},\n{body},\n}}\n\n"


def write_bibtex(path: Path, n: int, seed: int = 0) -> Path:
    """Write a Zotero-like BibTeX library of ``n`` entries to ``path`` (kept when it exists)."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        with tmp.open("w", encoding="utf-8") as out:
            out.writelines(bibtex_entries(n, seed))
        tmp.replace(path)
    return path


def write_listing(path: Path, n: int, seed: int = 0) -> Path:
    """Write the listing for ``n`` papers to ``path`` (skipped when it exists)."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        with tmp.open("w", encoding="utf-8") as out:
            out.writelines(listing_lines(n, seed))
        tmp.replace(path)
    return path


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    bib = len(sys.argv) > 2 and sys.argv[2] == "bib"
    sys.stdout.writelines(bibtex_entries(count) if bib else listing_lines(count))
