"""Checking gold files: the JSON Schema first, then the rules a schema cannot express.

Every problem of a file is collected (not only the first), each as a `Problem` naming the
file, the line and the JSON path. `load_gold` turns a clean file into typed documents.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from factgold.errors import GoldFileError, Problem, json_path
from factgold.read.document import Document
from factgold.read.jsonl import read_json_lines, repeated_document_ids
from factgold.read.labels import Labels, house_labels
from factgold.read.offsets import mismatch_message, out_of_range_message
from factgold.read.schema import (
    contract_validator,
    numeric_properties,
    relation_arguments,
    symmetric_relation_types,
    validator,
)

Path_ = tuple[str | int, ...]
# The lists of a document's objects that the checks walk, and each one's objects with their
# indices (`_items`), listed once for a document.
_LAYERS = ("entities", "relations", "numeric_facts", "time_expressions")
Layers = dict[str, list[tuple[int, dict[str, Any]]]]


@dataclass
class _DocumentChecker:
    """Collects the problems of one document object found on one line of a file."""

    file: str
    line: int
    style: bool = True
    # False: the gold contract only (`factgold.read.schema.contract_schema`, types from
    # ``labels``), for a corpus that is not the bundled one; True adds the house rules.
    house_rules: bool = True
    labels: Labels | None = None
    problems: list[Problem] = field(default_factory=list)
    # The checked document's layers (`_LAYERS`) as `_items` lists them, each listed once for
    # all the checks, which walk them again and again.
    _layers: Layers = field(default_factory=dict, init=False, repr=False)

    def report(self, path: Path_, message: str) -> None:
        self.problems.append(Problem(self.file, self.line, json_path(path), message))

    def check(self, doc: Any) -> None:
        if isinstance(doc, dict) and doc.get("text") is None and isinstance(doc.get("text_sha256"), str):
            # Gold distributed without its text (`factgold.dataset.withheld`): one clear problem,
            # not one per span.
            self.report(
                ("text",),
                f"the text is withheld (SHA-256 {doc['text_sha256'][:12]}…); restore it from your copy of the "
                "article with 'factgold fetch-text FILE --from COPY --output GOLD'",
            )
            return
        schema = validator() if self.house_rules else contract_validator()
        for error in schema.iter_errors(doc):
            self.report(tuple(error.absolute_path), error.message)
        if not isinstance(doc, dict):
            return
        self._layers = {layer: _items(doc, layer) for layer in _LAYERS}
        text = doc.get("text")
        style = self.style and self.house_rules
        if isinstance(text, str):
            if self.house_rules:
                self._check_title(doc, text)
            for path, span in _spans(self._layers):
                if self._check_span(path, span, text) and style:
                    self._check_edges(path, span["text"], evidence="evidence" in path)
        if not self.house_rules:
            self._check_declared_types()
        entity_ids = self._check_unique_ids()
        self._check_mentions_unique()
        self._check_relations(entity_ids)
        for index, fact in self._layers["numeric_facts"]:
            subject = fact.get("subject")
            if isinstance(subject, str) and subject not in entity_ids:
                self.report(
                    ("numeric_facts", index, "subject"), f"subject {subject!r} is not an entity of this document"
                )
        if style:
            self._check_conventions()

    def _check_declared_types(self) -> None:
        """Under the contract, every entity and relation type is one the corpus declares,
        an accepted alternative's type as much as the annotation's own."""
        labels = self.labels or house_labels()
        for kind, declared, layer in (
            ("entity", labels.entity_types, "entities"),
            ("relation", labels.relation_types, "relations"),
        ):
            for index, item in self._layers[layer]:
                if "alternatives" not in item and isinstance(item.get("type"), str) and item["type"] in declared:
                    continue  # the usual item: its one type declared
                typed: list[tuple[Path_, Any]] = [((layer, index, "type"), item.get("type"))]
                typed += [
                    ((layer, index, "alternatives", a, "type"), alt.get("type"))
                    for a, alt in _items(item, "alternatives")
                ]
                for path, name in typed:
                    if isinstance(name, str) and name not in declared:
                        self.report(path, f"{kind} type {name!r} is not declared in the labels")

    def _check_conventions(self) -> None:
        """Guideline rules beyond structure (sections 3, 4, 5 and 6)."""
        used = {r.get("head") for _, r in self._layers["relations"]} | {
            r.get("tail") for _, r in self._layers["relations"]
        }
        used |= {f.get("subject") for _, f in self._layers["numeric_facts"]}
        for index, entity in self._layers["entities"]:
            mentions = [m for _, m in _items(entity, "mentions")]
            starts = [
                (m["start"], m["end"])
                for m in mentions
                if isinstance(m.get("start"), int) and isinstance(m.get("end"), int)
            ]
            if starts != sorted(starts):
                self.report(("entities", index, "mentions"), "mentions are not in text order")
            if mentions and not any(m.get("kind") == "name" for m in mentions) and entity.get("id") not in used:
                self.report(
                    ("entities", index),
                    "an entity without a name mention must be needed by a relation or a numeric fact",
                )
        times = {t.get("text") for _, t in self._layers["time_expressions"]}
        for index, relation in self._layers["relations"]:
            qualifiers = relation.get("qualifiers")
            if isinstance(qualifiers, dict) and "time" in qualifiers and qualifiers["time"] not in times:
                self.report(
                    ("relations", index, "qualifiers", "time"),
                    f"time {qualifiers['time']!r} is not the text of a time expression",
                )
        properties = numeric_properties()
        for index, fact in self._layers["numeric_facts"]:
            if isinstance(fact.get("property"), str) and fact["property"] not in properties:
                self.report(
                    ("numeric_facts", index, "property"),
                    f"property {fact['property']!r} is not in the guidelines' list (6.5); use 'other' when none fits",
                )
            if fact.get("time") is not None and fact.get("time") not in times:
                self.report(
                    ("numeric_facts", index, "time"), f"time {fact.get('time')!r} is not the text of a time expression"
                )

    def _check_title(self, doc: dict[str, Any], text: str) -> None:
        title = doc.get("title")
        first_line = text.split("\n", 1)[0]
        if isinstance(title, str) and title != first_line:
            self.report(("title",), f"title {title!r} is not the first line of the text {first_line!r}")

    def _check_span(self, path: Path_, span: dict[str, Any], text: str) -> bool:
        """Report a span whose offsets do not select its text; True when the span is sound."""
        start, end, stored = span.get("start"), span.get("end"), span.get("text")
        if not (isinstance(start, int) and isinstance(end, int) and isinstance(stored, str)):
            return False  # the schema has reported it
        if end > len(text):
            self.report((*path, "end"), out_of_range_message(text, end))
        elif start >= end:
            self.report((*path, "start"), f"start {start} is not before end {end}")
        elif text[start:end] != stored:
            self.report((*path, "text"), mismatch_message(text, start, end, stored))
        else:
            return True
        return False

    def _check_edges(self, path: Path_, stored: str, *, evidence: bool) -> None:
        """Guidelines section 2: no white space or punctuation at a span's edges.

        Evidence may start or end with a quotation mark, as long as marks come in pairs.
        """
        for edge, char in (("starts", stored[0]), ("ends", stored[-1])):
            if edge == "ends" and char in _NUMBER_SIGNS and stored[:-1].rstrip()[-1:].isdigit():
                continue  # "12%": the sign belongs to the number (section 6)
            if char.isspace() or (_is_punctuation(char) and not (evidence and char in _QUOTES)):
                self.report((*path, "text"), f"span {edge} with {char!r}: {stored!r}")
        if not evidence and stored.endswith(("’s", "'s")):
            self.report((*path, "text"), f"span ends with the possessive {stored[-2:]!r}: {stored!r}")
        if evidence and not _quotes_paired(stored):
            self.report((*path, "text"), f"evidence has an unpaired quotation mark: {stored!r}")

    def _check_unique_ids(self) -> set[str]:
        seen: dict[str, Path_] = {}
        entity_ids: set[str] = set()
        for layer in _LAYERS:
            for index, item in self._layers[layer]:
                item_id = item.get("id")
                if not isinstance(item_id, str):
                    continue
                if item_id in seen:
                    self.report((layer, index, "id"), f"duplicate id {item_id!r} (first at {json_path(seen[item_id])})")
                else:
                    seen[item_id] = (layer, index, "id")
                    if layer == "entities":
                        entity_ids.add(item_id)
        return entity_ids

    def _check_mentions_unique(self) -> None:
        # Nested mentions of different entities are allowed ("Chinese" inside "Chinese
        # nationals"); the same span in two places is a contradiction.
        seen: dict[tuple[int, int], tuple[int, int]] = {}  # a span: where it is first, (entity, mention)
        for e_index, entity in self._layers["entities"]:
            mentions = entity.get("mentions")
            if not isinstance(mentions, list):
                continue
            for m_index, mention in enumerate(mentions):
                if not isinstance(mention, dict):
                    continue
                start, end = mention.get("start"), mention.get("end")
                if not (isinstance(start, int) and isinstance(end, int)):
                    continue
                key = (start, end)
                first = seen.setdefault(key, (e_index, m_index))
                if first != (e_index, m_index):
                    where = json_path(("entities", first[0], "mentions", first[1]))
                    self.report(
                        ("entities", e_index, "mentions", m_index),
                        f"mention [{start}, {end}) is also annotated at {where}",
                    )

    def _check_relations(self, entity_ids: set[str]) -> None:
        relations = self._layers["relations"]
        if not relations:
            return  # nothing below is reported without a relation
        labels = self.labels if self.labels is not None else house_labels() if not self.house_rules else None
        symmetric = labels.symmetric if labels is not None else symmetric_relation_types()
        arguments: Mapping[str, tuple[frozenset[str], frozenset[str]]] = (
            relation_arguments() if labels is None else labels.arguments or {}
        )
        entity_types = {e["id"]: e.get("type") for _, e in self._layers["entities"] if isinstance(e.get("id"), str)}
        # Only the house's head-order rule asks where entities are first mentioned.
        first_mention = _first_mention_offsets(self._layers) if self.style and self.house_rules else {}
        seen: dict[tuple[str, str, str], str] = {}
        for index, relation in relations:
            kind, head, tail = relation.get("type"), relation.get("head"), relation.get("tail")
            if not (isinstance(kind, str) and isinstance(head, str) and isinstance(tail, str)):
                continue
            for end_name, entity_id, allowed in zip(
                ("head", "tail"), (head, tail), arguments.get(kind, (frozenset(), frozenset())), strict=True
            ):
                if entity_id not in entity_ids:
                    self.report(
                        ("relations", index, end_name), f"{end_name} {entity_id!r} is not an entity of this document"
                    )
                elif kind in arguments and entity_types.get(entity_id) not in allowed:
                    self.report(
                        ("relations", index, end_name),
                        f"{kind} takes a {end_name} of type {' or '.join(sorted(allowed))}, "
                        f"not {entity_id} ({entity_types.get(entity_id)})",
                    )
            for a_index, alternative in _items(relation, "alternatives"):
                other = alternative.get("type")
                if not isinstance(other, str):
                    continue  # the schema reports it
                allowed_head, allowed_tail = arguments.get(other, (frozenset(), frozenset()))
                if other in arguments and not (
                    entity_types.get(head) in allowed_head and entity_types.get(tail) in allowed_tail
                ):
                    self.report(
                        ("relations", index, "alternatives", a_index),
                        f"the alternative {other} does not take {head} ({entity_types.get(head)}) to "
                        f"{tail} ({entity_types.get(tail)})",
                    )
            if head == tail:
                self.report(("relations", index), f"{kind} relates {head!r} to itself")
            key = (kind, head, tail)
            here = str(relation.get("id", f"relations[{index}]"))
            if key in seen:
                self.report(("relations", index), f"{kind}({head}, {tail}) is stored twice (also as {seen[key]})")
            elif kind in symmetric and (kind, tail, head) in seen:
                self.report(
                    ("relations", index),
                    f"symmetric {kind}({head}, {tail}) is stored twice "
                    f"(also as {seen[(kind, tail, head)]} with head and tail swapped)",
                )
            seen.setdefault(key, here)
            if (
                self.style
                and self.house_rules
                and kind in symmetric
                and head in first_mention
                and tail in first_mention
                and first_mention[tail] < first_mention[head]
            ):
                self.report(
                    ("relations", index),
                    f"symmetric {kind}: head must be the entity mentioned first ({tail!r}, not {head!r})",
                )


_QUOTES = "\"“”‘’'"
_NUMBER_SIGNS = "%‰‱"  # punctuation to Unicode, part of a number that ends with one


def _is_punctuation(char: str) -> bool:
    # Unicode categories P* (punctuation); currency symbols (Sc) are part of money spans.
    return unicodedata.category(char).startswith("P")


def _quotes_paired(stored: str) -> bool:
    """Curly double quotes open and close in pairs; straight double quotes come in even numbers.

    >>> _quotes_paired("a “b” c"), _quotes_paired("“b c"), _quotes_paired('"a" b')
    (True, False, True)
    """
    depth = 0
    for char in stored:
        depth += {"“": 1, "”": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0 and stored.count('"') % 2 == 0


def _items(doc: dict[str, Any], layer: str) -> list[tuple[int, dict[str, Any]]]:
    """The objects of the list ``doc[layer]`` with their indices (a list, built at C speed:
    the checks walk a document's layers many times, `_DocumentChecker._layers`)."""
    items = doc.get(layer)
    if isinstance(items, list):
        return [(index, item) for index, item in enumerate(items) if isinstance(item, dict)]
    return []


def _spans(layers: Layers) -> Iterator[tuple[Path_, dict[str, Any]]]:
    """Every span-like object of a document, given its layers, with its JSON path."""
    for e_index, entity in layers["entities"]:
        for m_index, mention in _items(entity, "mentions"):
            yield ("entities", e_index, "mentions", m_index), mention
            if "alternatives" in mention:  # seldom: asked first, as every mention of every document comes here
                for a_index, alternative in _items(mention, "alternatives"):
                    yield ("entities", e_index, "mentions", m_index, "alternatives", a_index), alternative
    for r_index, relation in layers["relations"]:
        for s_index, span in _items(relation, "evidence"):
            yield ("relations", r_index, "evidence", s_index), span
    for f_index, fact in layers["numeric_facts"]:
        if isinstance(fact.get("mention"), dict):
            yield ("numeric_facts", f_index, "mention"), fact["mention"]
    for t_index, expression in layers["time_expressions"]:
        yield ("time_expressions", t_index), expression


def _first_mention_offsets(layers: Layers) -> dict[str, tuple[int, int]]:
    offsets: dict[str, tuple[int, int]] = {}
    for _, entity in layers["entities"]:
        spans = [
            (mention["start"], mention["end"])
            for _, mention in _items(entity, "mentions")
            if isinstance(mention.get("start"), int) and isinstance(mention.get("end"), int)
        ]
        if spans and isinstance(entity.get("id"), str):
            offsets[entity["id"]] = min(spans)
    return offsets


def validate_document(
    doc: Any,
    *,
    file: str = "<document>",
    line: int = 1,
    style: bool = True,
    house_rules: bool = True,
    labels: Labels | None = None,
) -> list[Problem]:
    """All problems of one gold document object; an empty list when it is clean.

    ``style=False`` checks the structure only (schema, offsets, ids, references) and skips
    the guidelines' conventions (span edges, paired quotes, symmetric head order): the raw
    annotations behind the agreement figures predate some of those conventions.
    ``house_rules=False`` checks the gold contract only, what any corpus must meet to be
    scored: unique string ids of any shape, valid offsets and span texts, existing
    endpoints, and types that ``labels`` declare (the house inventory when None); the
    bundled corpus's id patterns, title line, span conventions and argument types are not
    asked (argument types only where ``labels`` declares them).
    """
    checker = _DocumentChecker(file, line, style, house_rules, labels)
    checker.check(doc)
    return checker.problems


def check_gold_file(
    path: Path | str, *, style: bool = True, house_rules: bool = True, labels: Labels | None = None
) -> tuple[list[Document], list[Problem]]:
    """Validate a gold JSON Lines file: its documents when clean, and every problem."""
    path = Path(path)
    name = str(path)
    lines, problems = read_json_lines(path, name)
    problems += repeated_document_ids(lines, name)
    documents: list[Document] = []
    for record in lines:
        doc_problems = validate_document(
            record.value, file=name, line=record.line, style=style, house_rules=house_rules, labels=labels
        )
        problems.extend(doc_problems)
        if not doc_problems:
            documents.append(Document.from_json(record.value))
    return documents, sorted(problems, key=Problem.sort_key)


def load_gold(
    path: Path | str, *, style: bool = True, house_rules: bool = True, labels: Labels | None = None
) -> list[Document]:
    """The documents of a gold file; raises `GoldFileError` with every problem if it has any."""
    documents, problems = check_gold_file(path, style=style, house_rules=house_rules, labels=labels)
    if problems:
        raise GoldFileError(problems)
    return documents
