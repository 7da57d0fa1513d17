"""A seeded synthetic workload: documents of token-level spans with set error rates.

Spans live on a token grid (start and end token indices, end exclusive), so that the same
spans can be given to factgold and nervaluate as offsets and to seqeval as BIO tags.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

TYPES = ("PER", "ORG", "LOC", "MISC")
Span = tuple[int, int, str]


@dataclass(frozen=True)
class Rates:
    """How often a gold span is predicted with a wrong boundary, a wrong type, or not at all,
    and how many spurious spans come per gold span."""

    boundary: float = 0.08
    type: float = 0.07
    missed: float = 0.08
    spurious: float = 0.05


@dataclass(frozen=True)
class Document:
    tokens: int
    gold: tuple[Span, ...]
    predicted: tuple[Span, ...]


def workload(mentions: int, per_document: int, seed: int = 0, rates: Rates = Rates()) -> list[Document]:
    """``mentions`` gold spans in documents of ``per_document`` spans each."""
    rng = random.Random(seed)
    documents = []
    for _ in range(max(1, mentions // per_document)):
        gold: list[Span] = []
        predicted: list[Span] = []
        position = 0
        for _ in range(per_document):
            position += rng.randint(1, 6)  # tokens between spans
            length = rng.randint(1, 4)
            span = (position, position + length, rng.choice(TYPES))
            gold.append(span)
            draw = rng.random()
            if draw < rates.missed:
                pass
            elif draw < rates.missed + rates.boundary:
                predicted.append((span[0], span[1] + 1, span[2]))
            elif draw < rates.missed + rates.boundary + rates.type:
                predicted.append((span[0], span[1], rng.choice([t for t in TYPES if t != span[2]])))
            else:
                predicted.append(span)
            if rng.random() < rates.spurious:
                position += length + 1
                predicted.append((position, position + 1, rng.choice(TYPES)))
            position += length + 1
        documents.append(Document(position + 2, tuple(gold), tuple(predicted)))
    return documents
