"""Relation extraction with the gold entities given, scored the way DocRED's official script scores it.

DocRED's evaluation (``code/evaluation.py`` in the DocRED repository; Re-DocRED's
``evaluation.py`` adapts it) works on relation facts keyed by document title, relation id,
head position and tail position in the document's ``vertexSet``:

* The gold side is a dictionary from (title, r, h, t) to its evidence sentences, so a fact
  annotated twice counts once, and the number of gold facts is the number of keys.
* The submission is sorted by (title, h_idx, t_idx, r) and a row equal on those four to
  the row before it is dropped: a fact predicted more than once counts once (its first
  copy's evidence is kept).
* A kept row is correct when its key is a gold key. A row whose title is no gold title is
  skipped for correctness but stays in the number of predictions, so it is simply wrong.
* Precision is correct / kept rows, recall correct / gold facts, F1 their harmonic mean
  (0 when both are 0). Entities are given, so there is no partial credit: a head or tail
  is the right entity or not, a type is right or not, and the direction matters.
* Alongside, the script scores evidence sentences (Evi F1) and "Ign F1": precision
  recomputed leaving out the correct facts whose mention names, pair by pair, already form
  a fact of the training data (annotated or distant), recall unchanged. Both need what
  factgold's gold does not hold (predicted evidence sentences, the training split), so
  factgold computes neither: only the relation precision, recall and F1 (``RE_F1``).

`given_entities_f1` does the same over factgold gold documents: a prediction is (document
id, head entity id, tail entity id, relation type) with gold entity ids, and it is correct
when the document holds that relation. Every gold relation is one fact of its own type
(accepted alternative types and optional relations are not credited: the headline rule of
factgold's reports). Relation types in ``symmetric`` match in either direction (and a
prediction in both directions counts once); DocRED declares none, its symmetric relations
(sibling, spouse, sister city) being annotated in each direction as two facts. Where
DocRED's script divides by zero (no gold fact) or stops (no prediction), factgold's rule of
`factgold.score.counts` applies: nothing to find and nothing predicted scores 1.0,
otherwise an empty ratio is 0.0. Per type, true positives and false negatives count under
the gold type and false positives under the predicted type, so that they add up to the
totals.

`predictions_from_docred` turns the rows of a DocRED submission (``result.json``: ``title``,
``h_idx``, ``t_idx``, ``r``) into such predictions for gold read by
`factgold.read.importers.docred`, where vertex ``i`` is entity ``E{i+1}``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeGuard

from factgold.errors import UsageError
from factgold.read.document import Document
from factgold.read.importers.docred import entity_id
from factgold.score.counts import PRF

# (document id, head entity id, tail entity id, relation type)
Fact = tuple[str, str, str, str]


@dataclass(frozen=True)
class GivenEntitiesScore:
    """Counts of the relation facts over all documents; precision, recall and F1 derived."""

    tp: int
    fp: int
    fn: int
    by_type: Mapping[str, PRF]
    duplicates: int = 0  # predictions repeated (the same fact again), counted once
    unknown: int = 0  # predictions naming a document or an entity the gold lacks (within fp)
    unnamed: int = 0  # predictions whose head or tail is no entity id at all (within fp)

    @property
    def counts(self) -> PRF:
        return PRF(self.tp, self.fp, self.fn)

    @property
    def precision(self) -> float:
        return self.counts.precision

    @property
    def recall(self) -> float:
        return self.counts.recall

    @property
    def f1(self) -> float:
        return self.counts.f1


def _key(fact: Fact, symmetric: frozenset[str]) -> Fact:
    document, head, tail, kind = fact
    if kind in symmetric and tail < head:
        return (document, tail, head, kind)
    return fact


def given_entities_f1(
    gold: Sequence[Document],
    predictions: Sequence[tuple[str, str, str, str]],
    symmetric: frozenset[str] = frozenset(),
    *,
    unnamed: Sequence[tuple[str, str, str, str]] = (),
) -> GivenEntitiesScore:
    """Score predicted relation facts against the gold documents' relations (DocRED's RE F1).

    ``unnamed`` are predicted facts whose head or tail names no entity id (shown as given,
    whatever it is): each distinct one is a false positive of its type, never correct,
    whatever string it happens to be.
    """
    gold_facts: set[Fact] = set()
    entities: dict[str, set[str]] = {}
    for document in gold:
        if document.id in entities:
            raise UsageError(f"the gold holds the document id {document.id!r} twice")
        entities[document.id] = {entity.id for entity in document.entities}
        gold_facts |= {_key((document.id, r.head, r.tail, r.type), symmetric) for r in document.relations}
    predicted: set[Fact] = set()
    duplicates = unknown = 0
    for number, prediction in enumerate(predictions):
        if not (
            isinstance(prediction, tuple) and len(prediction) == 4 and all(isinstance(part, str) for part in prediction)
        ):
            raise UsageError(
                f"prediction {number}: expected (document id, head id, tail id, relation type), not {prediction!r}"
            )
        key = _key(prediction, symmetric)
        if key in predicted:
            duplicates += 1
            continue
        predicted.add(key)
        doc_id, head, tail, _ = key
        known = entities.get(doc_id, set())
        if head not in known or tail not in known:
            unknown += 1
    wrong = set(unnamed)
    duplicates += len(unnamed) - len(wrong)
    tp: Counter[str] = Counter(fact[3] for fact in predicted & gold_facts)
    fp: Counter[str] = Counter(fact[3] for fact in predicted - gold_facts)
    fp.update(fact[3] for fact in wrong)
    fn: Counter[str] = Counter(fact[3] for fact in gold_facts - predicted)
    by_type = {kind: PRF(tp[kind], fp[kind], fn[kind]) for kind in sorted(tp.keys() | fp.keys() | fn.keys())}
    return GivenEntitiesScore(
        sum(tp.values()), sum(fp.values()), sum(fn.values()), by_type, duplicates, unknown, len(wrong)
    )


def predictions_from_docred(
    rows: Sequence[Mapping[str, Any]], gold: Sequence[Document], relation_names: Mapping[str, str] | None = None
) -> list[Fact]:
    """The rows of a DocRED submission as predictions: title to document id, vertex index to entity id.

    ``relation_names`` maps property ids to the gold's relation names (``rel_info.json``,
    when the gold was imported with it). A title that is no gold document's stays as the
    document id (a wrong prediction, as in DocRED's script); a title held by several gold
    documents is ambiguous: `UsageError`.
    """
    by_title: dict[str, str] = {}
    repeated: set[str] = set()
    for document in gold:
        if document.title in by_title:
            repeated.add(document.title)
        by_title[document.title] = document.id
    names = relation_names or {}
    facts: list[Fact] = []
    for number, row in enumerate(rows):
        if not isinstance(row, Mapping):
            raise UsageError(f"result row {number}: expected an object {{title, h_idx, t_idx, r}}")
        title, head, tail, kind = row.get("title"), row.get("h_idx"), row.get("t_idx"), row.get("r")
        if not (isinstance(title, str) and isinstance(kind, str) and _position(head) and _position(tail)):
            shown = {key: row.get(key) for key in ("title", "h_idx", "t_idx", "r")}
            raise UsageError(f"result row {number}: expected a title, h_idx, t_idx and r, not {shown!r}"[:300])
        if title in repeated:
            raise UsageError(f"result row {number}: the title {title!r} names several gold documents")
        facts.append((by_title.get(title, title), entity_id(head), entity_id(tail), names.get(kind, kind)))
    return facts


def _position(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0
