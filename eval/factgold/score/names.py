"""Entities at the entity level, by name: how LLM outputs without offsets are scored.

A predicted entity's names are its ``name`` and the texts of its mentions; a gold entity's
names are its canonical name and its name mentions. Names are compared after the
normalization of `factgold.grounding` (case, quotes, hyphens, white space, a final
possessive). A predicted entity and a gold entity match when they share a name; the
matching is one-to-one and optimal (a shared name and type weigh 2, a shared name 1).
typed: a match with the same type is a true positive; untyped: any match is.
A predicted entity none of whose names occurs in the document is `hallucinated` (a false
positive, listed apart); one whose names occur but match no gold entity is `spurious`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from factgold.align import optimal_assignment
from factgold.counts import PRF
from factgold.document import Document
from factgold.grounding import TextIndex, normalize
from factgold.predictions import PredictedEntity, PredictedSpan, PredictedText
from factgold.score.items import ErrorItem, ItemRef


def _key(name: str) -> str:
    key = normalize(name.strip())[0]
    return key[:-2] if key.endswith("'s") else key


@dataclass(frozen=True)
class NameScores:
    """Entity-level counts by name, typed and untyped, and the error items."""

    typed: PRF
    untyped: PRF
    errors: tuple[ErrorItem, ...]


def score_entity_names(
    gold: Document, entities: Sequence[PredictedEntity], index: TextIndex, *, require_grounding: bool = False
) -> NameScores:
    """Score predicted entities against gold entities by their names."""

    def predicted_names(entity: PredictedEntity) -> list[str]:
        # In text order (text-only strings after the spans), so that the input order never matters.
        spans = sorted(m.anchor for m in entity.mentions if isinstance(m.anchor, PredictedSpan))
        texts = sorted(m.anchor.text for m in entity.mentions if isinstance(m.anchor, PredictedText))
        names = [gold.text[s.start : s.end] for s in spans] + texts
        return ([entity.name] if entity.name else []) + names

    gold_names = {e.id: {_key(e.name)} | {_key(m.text) for m in e.mentions if m.kind == "name"} for e in gold.entities}
    gold_order = sorted(gold.entities, key=lambda e: (e.mentions[0].start, e.mentions[0].end))
    ordered = sorted(
        entities,
        key=lambda e: (sorted(map(_key, predicted_names(e))), sorted(predicted_names(e)), e.type, e.score or 0.0),
    )
    keys = [{_key(n) for n in predicted_names(e)} for e in ordered]

    def weight(g: int, p: int) -> float:
        if not gold_names[gold_order[g].id] & keys[p]:
            return 0.0
        return 2.0 if gold_order[g].type == ordered[p].type else 1.0

    pairs = optimal_assignment(range(len(gold_order)), range(len(ordered)), weight)
    errors: list[ErrorItem] = []
    typed_tp = 0
    matched_p = set()
    for g, p in pairs:
        gold_entity, entity = gold_order[g], ordered[p]
        matched_p.add(p)
        same = gold_entity.type == entity.type
        typed_tp += same
        shown = entity.name or predicted_names(entity)[0]
        errors.append(
            ErrorItem(
                "entity_names", "correct" if same else "type", gold.id,
                ItemRef(None, None, gold_entity.name, gold_entity.type), ItemRef(None, None, shown, entity.type),
            )
        )  # fmt: skip
    hallucinated = 0
    for p, entity in enumerate(ordered):
        if p in matched_p:
            continue
        names = predicted_names(entity)
        in_text = any(index.ground(name, strict=require_grounding).found for name in names)
        category = "spurious" if in_text else "hallucinated"
        hallucinated += not in_text
        detail = "" if in_text else "no name of this entity is in the document"
        errors.append(
            ErrorItem(
                "entity_names",
                category,
                gold.id,
                None,
                ItemRef(None, None, names[0] if names else "", entity.type),
                detail,
            )
        )
    matched_g = {g for g, _ in pairs}
    errors += [
        ErrorItem("entity_names", "missed", gold.id, ItemRef(None, None, e.name, e.type), None)
        for g, e in enumerate(gold_order)
        if g not in matched_g
    ]
    untyped = PRF(len(pairs), len(ordered) - len(pairs), len(gold_order) - len(pairs))
    typed = PRF(typed_tp, len(ordered) - typed_tp, len(gold_order) - typed_tp)
    return NameScores(typed, untyped, tuple(errors))
