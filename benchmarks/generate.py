"""Deterministic large listings in the Hugging Face plain-text format.

    python benchmarks/generate.py 100000 > /tmp/listing.txt

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
    sys.stdout.writelines(listing_lines(int(sys.argv[1]) if len(sys.argv) > 1 else 1000))
