"""The evaluation report: merged counts, derived scores, every error item, and renderings.

The JSON form (`Report.to_dict`) is the stable interface, described by
``schema/report.schema.json``; the table and Markdown forms are for reading.
"""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from functools import cached_property
from typing import Any

from factgold import __version__
from factgold.read.document import Document
from factgold.run.memorization import MemorizationGap
from factgold.score.config import EvalConfig, GoldDigest, corpus_version_of
from factgold.score.coref import METRICS, conll_f1
from factgold.score.document_scores import TASKS, DocumentScores, headline_from_parts
from factgold.score.items import ErrorItem, kept_errors
from factgold.score.mentions import SCHEMES

HEADLINE_DEFINITION = (
    "factgold score: the unweighted mean of one F1 per task of the configuration (by default every task): "
    "entities at the entity level (typed; every predicted entity counts however it is given: by name, text "
    "mentions, spans or a mix), relations (strict) and numeric facts (value and unit correct), micro-averaged "
    "over documents; a task the system does not predict is scored as an empty list (every gold item missed); "
    "a task the gold annotates nowhere is not scored (nothing to measure)"
)
# Shown under every coreference table computed over name mentions only.
COREFERENCE_NAMES_CAVEAT = (
    "computed over name mentions only: not comparable to published CoNLL-2012 numbers, "
    "which count every mention (use --mentions all)"
)
EMPTY_DEFINITION = (
    "a score with nothing to find and nothing predicted (no gold item and no prediction) is 1.0: there was "
    "nothing to get wrong; the same rule in every task and metric, a task not predicted included. MUC scores "
    "links, so with no link on either side it is 1.0 even where mentions are missed (B3 and CEAF-e count those)"
)
SCORE_DEFINITIONS = {
    "mentions": (
        "SemEval-2013 Task 9.1 schemes over an optimal one-to-one alignment: strict (exact span and type), "
        "exact (exact span), partial (overlap; a partial match counts half), type (overlap and type); "
        "precision = (correct + 0.5 partial) / actual, recall = (correct + 0.5 partial) / possible"
    ),
    "mentions_by_type": (
        "per type as nervaluate 1.x: the four schemes over the gold mentions of the type and the mentions predicted "
        "with it, aligned among themselves; possible and actual add up over types to the overall"
    ),
    "entity_level": (
        "every predicted entity (by name, text mentions, spans or a mix; entities of one type referring first to "
        "the same gold entity once) "
        "matched one-to-one to a gold entity it shares a name with or whose mentions its places resolve to; "
        "typed: same type"
    ),
    "clusters": (
        "predicted entities aligned one-to-one to gold entities by their aligned mentions; found when the types agree"
    ),
    "coreference": (
        "CoNLL-2012: MUC, B-cubed, CEAF-e (phi4) over exact-span mentions, singletons kept; conll_f1 is their mean "
        "F1. Over name mentions only (--mentions names, the default) it is not comparable to published CoNLL-2012 "
        "numbers, which count every mention: use --mentions all for those"
    ),
    "relations": (
        "entity-level triples: head and tail resolve to gold entities through the gold mentions; "
        "strict = (type, head, tail) in the gold, either direction for symmetric types; "
        "unlabeled = the unordered entity pair"
    ),
    "numeric_facts": (
        "a fact placed in the text (its span, its mention text, or its value string where the text states that "
        "value) aligns only to a gold fact at one of its places, one placed nowhere only to a gold fact whose value "
        "it has right, in one matching: the right value first, then the exact place, the agreeing subject, the "
        "overlap; a value string stated nowhere aligns by subject, else is hallucinated; "
        "value = value within the relative tolerance and unit equal; "
        "spans, unit, kind, approximate, bound and subject score agreement on aligned facts, "
        "every disagreement listed (numeric_attributes); a fact without kind or subject does not predict it "
        '(recall only; coverage says how many do); "subject": null written out says the subject is no entity'
    ),
}


@contextmanager
def paused_gc() -> Iterator[None]:
    """Run a block with the cyclic garbage collector paused (as it was, after).

    Scoring and reporting allocate millions of small objects, nearly none of them in a
    cycle (reference counting frees them all the same), while every collection walks the
    objects kept so far, every error item among them: the collector took a tenth of an
    evaluation and gave nothing back.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


@dataclass(frozen=True)
class Report:
    """The result of an evaluation: per-document scores and their sum."""

    config: EvalConfig
    gold_sha256: str
    corpus_version: str
    per_document: tuple[DocumentScores, ...]
    gold_labels: frozenset[tuple[str, str]] = field(default_factory=frozenset)
    gold_documents: tuple[Document, ...] = field(default=(), compare=False)
    # Originals scored with their counterfactual variants (`factgold.run.memorization`).
    memorization: tuple[MemorizationGap, ...] = ()
    # Gold items that record accepted alternatives, and (when they were credited) the headline
    # and its parts scored without them.
    gold_alternatives: int = 0
    # The tasks the gold has an item of; a task it lacks is not scored (`factgold.score.config.for_gold`).
    gold_tasks: frozenset[str] = frozenset(TASKS)

    @classmethod
    def of(
        cls,
        config: EvalConfig,
        digest: GoldDigest,
        per_document: Sequence[DocumentScores],
        gold_documents: Sequence[Document] = (),
    ) -> Report:
        """The report of per-document scores (in gold order) against the gold ``digest`` took."""
        sha = digest.sha256
        return cls(
            config,
            sha,
            corpus_version_of(sha, digest.documents),
            tuple(per_document),
            frozenset(digest.labels),
            tuple(gold_documents),
            gold_alternatives=digest.alternatives,
            gold_tasks=frozenset(digest.annotated),
        )

    def __repr__(self) -> str:
        # A report holds every error item; its repr is the summary a reader wants from print(report).
        parts = ", ".join(f"{name} {value:.4f}" for name, value in self.total.headline_parts().items())
        return (
            f"<factgold Report: headline {self.headline:.4f} ({parts}); {len(self.per_document)} document(s); "
            f"signature {self.signature}>"
        )

    def without_alternatives(self) -> dict[str, float] | None:
        """The headline and its parts against the gold's own choices, when the gold records
        accepted alternatives and they were credited (else None)."""
        if not (self.gold_alternatives and self.config.alternatives):
            return None
        plain = DocumentScores.summed([scores.without_alternatives() for scores in self.per_document])
        parts = plain.headline_parts()
        return {"score": headline_from_parts(parts), **parts}

    @cached_property
    def total(self) -> DocumentScores:
        """The micro-averaged counts: the sum over documents."""
        return DocumentScores.summed(self.per_document)

    @property
    def signature(self) -> str:
        return self.config.signature(self.gold_sha256, self.corpus_version)

    @property
    def headline(self) -> float:
        return self.total.headline()

    def labels_not_in_gold(self) -> dict[str, list[str]]:
        """Predicted labels the gold never uses: counted as errors, listed here."""
        unused: dict[str, list[str]] = {"entity": [], "relation": []}
        for (layer, label), _ in sorted(self.total.predicted_labels.items()):
            if (layer, label) not in self.gold_labels:
                unused[layer].append(label)
        return {"entity_types": unused["entity"], "relation_types": unused["relation"]}

    def type_confusion(self) -> dict[str, Any]:
        """Gold type (rows) by predicted type (columns) over aligned mention pairs."""
        pairs: Counter[tuple[str, str]] = self.total.type_pairs
        labels = sorted({label for pair in pairs for label in pair})
        return {"labels": labels, "matrix": [[pairs[(gold, predicted)] for predicted in labels] for gold in labels]}

    def confidence(self) -> dict[str, Any]:
        """Precision-recall curves of the tasks whose predictions all carry scores (`factgold.score.confidence`)."""
        from factgold.score.confidence import curve, ranked_items

        total = self.total
        gold_items = {
            "mentions": total.mentions["strict"].possible if "entities" in total.tasks else 0,
            # The headline's entity part: entities at the entity level, ranked by their scores.
            "entity_level": total.entity_level_typed.tp + total.entity_level_typed.fn,
            "relations": total.relations_strict.tp + total.relations_strict.fn,
            "numeric_facts": total.numeric["value"].tp + total.numeric["value"].fn if total.numeric else 0,
        }
        curves: dict[str, Any] = {}
        if self.config.errors != "all":  # the curves rank every item; without them there is none to rank
            return curves
        for task, gold_count in gold_items.items():
            items = ranked_items(total.errors, task)
            if items is not None:
                curves[task] = curve(items, gold_count).to_dict()
        return curves

    def _task_scores(self, scores: DocumentScores) -> dict[str, Any]:
        result: dict[str, Any] = {}
        if "entities" in scores.tasks:
            by_type = {
                t: {s: c.to_dict() for s, c in schemes.items()} for t, schemes in scores.mentions_by_type.items()
            }
            result["entities"] = {
                "mentions": {s: scores.mentions[s].to_dict() for s in SCHEMES},
                "mentions_by_type": by_type,
                "mentions_macro_by_type": {
                    s: {
                        k: _mean([scores.mentions_by_type[t][s].to_dict()[k] for t in scores.mentions_by_type])
                        for k in ("precision", "recall", "f1")
                    }
                    for s in SCHEMES
                },
                "clusters": scores.clusters.to_dict(),
                "entity_level": {
                    "typed": scores.entity_level_typed.to_dict(),
                    "untyped": scores.entity_level_untyped.to_dict(),
                },
                "coreference": {
                    **{m: scores.coreference[m].to_dict() for m in METRICS},
                    "conll_f1": conll_f1(scores.coreference),
                },
            }
        if "relations" in scores.tasks:
            result["relations"] = {
                "strict": scores.relations_strict.to_dict(),
                "unlabeled": scores.relations_unlabeled.to_dict(),
                "by_type": {t: c.to_dict() for t, c in scores.relations_by_type.items()},
                "macro_by_type": {
                    k: _mean([c.to_dict()[k] for c in scores.relations_by_type.values()])
                    for k in ("precision", "recall", "f1")
                },
            }
        if "numeric_facts" in scores.tasks:
            carried = scores.numeric_predicted_attributes
            not_predicted = [a for a in ("kind", "subject", "spans") if carried[a] == 0]
            result["numeric_facts"] = {
                **{a: c.to_dict() for a, c in scores.numeric.items()},
                "by_kind": {k: c.to_dict() for k, c in scores.numeric_by_kind.items()},
                "attributes_not_predicted": not_predicted,
                # With no fact predicted there is no fraction to give: null, not a made-up 0 or 1.
                "coverage": {
                    a: carried[a] / carried["facts"] if carried["facts"] else None for a in ("kind", "subject", "spans")
                },
            }
        return result

    def to_dict(self, *, items_as_objects: bool = False) -> dict[str, Any]:
        """The JSON report (see ``schema/report.schema.json``).

        ``items_as_objects`` keeps the error items as `ErrorItem` objects rather than dicts,
        for `factgold.present.render.report_json`, which writes both alike and makes the
        dicts a batch at a time (all of them at once took a fifth more memory at 100,000
        mentions).
        """
        with paused_gc():
            return self._to_dict(items_as_objects)

    def _to_dict(self, items_as_objects: bool) -> dict[str, Any]:
        total = self.total
        per_document = []
        parts = []  # each document's headline parts, found once (`headline` finds them again)
        for scores in self.per_document:
            document_parts = scores.headline_parts()
            parts.append(document_parts)
            per_document.append(
                {"id": scores.documents[0], "headline": headline_from_parts(document_parts), **document_parts}
            )
        macro = {key: _mean([p[key] for p in parts if key in p]) for key in total.headline_parts()}
        # A sample of the documents' samples is the sample of all: each keeps its first items.
        errors = sorted(kept_errors(total.errors, self.config.errors), key=ErrorItem.sort_key)
        counts = total.error_counts
        return {
            "signature": self.signature,
            "factgold_version": __version__,
            "corpus_version": self.corpus_version,
            "gold_sha256": self.gold_sha256,
            "config": {**asdict(self.config), "tasks": list(self.config.tasks)},
            "definitions": {
                **self.config.definitions(),
                "scores": SCORE_DEFINITIONS,
                "headline": HEADLINE_DEFINITION,
                "empty": EMPTY_DEFINITION,
                "caveats": {"coreference": COREFERENCE_NAMES_CAVEAT} if self.config.mentions == "names" else {},
            },
            "tasks": {task: self.task_state(task) for task in TASKS},
            "headline": {
                "score": self.headline,
                "parts": total.headline_parts(),
                "macro_over_documents": macro,
                **({"without_alternatives": without} if (without := self.without_alternatives()) else {}),
            },
            "scores": self._task_scores(total),
            "type_confusion": self.type_confusion(),
            "documents": per_document,
            "labels_not_in_gold": self.labels_not_in_gold(),
            "hallucinated": {
                task: counts[task, "hallucinated"]
                for task in ("mentions", "entity_level", "relations", "numeric_facts")
            },
            "error_counts": {
                task: {category: n for (t, category), n in sorted(counts.items()) if t == task and n}
                for task in ("mentions", "entities", "entity_level", "relations", "numeric_facts", "numeric_attributes")
                if any(t == task and n for (t, _), n in counts.items())
            },
            "confidence": self.confidence(),
            "errors": errors if items_as_objects else [e.to_dict() for e in errors],
            "notes": sorted(total.notes)
            + self.coverage_notes()
            + self._listing_notes(len(errors))
            + [
                f"the gold annotates no {task}: not scored and not in the headline (nothing to measure)"
                for task in TASKS
                if self.task_state(task) == "not in the gold"
            ],
            **({"memorization": [gap.to_dict() for gap in self.memorization]} if self.memorization else {}),
        }

    def _listing_notes(self, listed: int) -> list[str]:
        """What a report that lists only some error items leaves out (`EvalConfig.errors`)."""
        if self.config.errors == "all":
            return []
        return [
            f"--errors {self.config.errors}: {listed} of {self.total.error_counts.total()} error items listed; "
            "every count and score covers them all; confidence curves and intervals need --errors all"
        ]

    def task_state(self, task: str) -> str:
        """``scored``; ``not predicted`` (scored as an empty list: every gold item missed); ``not
        requested``; or ``not in the gold`` (the gold annotates none, so it is not scored)."""
        total = self.total
        if task not in self.config.tasks:
            return "not requested" if task in self.gold_tasks else "not in the gold"
        return "scored" if task in total.predicted_tasks else "not predicted"

    def coverage_notes(self) -> list[str]:
        """What the system left out: tasks it predicts for no document, or only for some."""
        notes = []
        for task in self.config.tasks:
            lacking = [s.documents[0] for s in self.per_document if task not in s.predicted_tasks]
            if not lacking:
                continue
            if len(lacking) == len(self.per_document):
                notes.append(
                    f"no {task} predicted: scored as an empty list, every gold item missed "
                    "(0 where the gold has any, 1.0 where it has none)"
                )
            else:
                shown = ", ".join(lacking[:5]) + (", ..." if len(lacking) > 5 else "")
                notes.append(f"no {task} predicted for {len(lacking)} document(s) ({shown}); scored as empty lists")
        return notes
