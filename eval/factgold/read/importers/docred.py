"""DocRED and Re-DocRED JSON: gold documents in (`import_files`) and back out (`export_documents`).

The format, as the DocRED repository documents it (``data/README.md``) and its evaluation
script reads it (``code/evaluation.py``), and as the Re-DocRED data files hold it: a file is
a JSON list of documents, each an object with

* ``title``: the Wikipedia article's title (not part of the text);
* ``sents``: the text as a list of sentences, each a list of tokens;
* ``vertexSet``: the entities, each a list of its mentions ``{"name", "sent_id", "pos",
  "type"}``, where ``pos`` is ``[start, end)`` in token indices within sentence
  ``sent_id``, ``name`` the mention as written in the article and ``type`` one of PER,
  ORG, LOC, TIME, NUM, MISC; an entity is known by its position in the list;
* ``labels`` (absent from DocRED's test split): the relation facts ``{"h", "t", "r",
  "evidence"}``, ``h`` and ``t`` positions in ``vertexSet``, ``r`` a Wikidata property id
  (``P17``) and ``evidence`` the ids of the sentences that support the fact (often empty
  in Re-DocRED, which added facts without evidence).

The names of the property ids come from a separate label file, ``rel_info.json``
(``{"P17": "country", ...}``), given as ``options["relations"]``.

How a document becomes a gold document:

* The text is the tokens joined by single spaces (an empty token adds nothing, counted),
  one sentence per line: sentences are
  joined by a single newline, with no newline at the end. Every offset is computed over
  this text, and `export_documents` recovers the sentences and tokens by splitting it.
* The document id is ``options.get("id_prefix", "docred")``, a hyphen and the document's
  position among all documents read (counting from 0, files in the order given, a
  folder's ``*.json`` files in name order, its ``rel_info.json`` skipped). Titles are not
  used as ids: they hold spaces and brackets and need not be unique across files; each
  stays the document's ``title``. ``source`` is ``options.get("source", "Wikipedia")``
  and ``language`` ``options.get("language", "en")``.
* The entity at position ``i`` of ``vertexSet`` is ``E{i+1}`` (`entity_id`), so a DocRED
  ``h_idx``/``t_idx`` names a gold entity directly, even where an entity is not carried.
  Its type is its first mention's type (mentions that disagree are counted), its mentions
  are of kind ``name`` in text order, and its name is its longest mention's text.
* A mention's text is its tokens as they stand in the text; a ``name`` that differs
  ("15%" for the tokens "15 %") is counted. A span given twice (in one entity or in two)
  is kept at its first place in ``vertexSet`` order and counted at the others; an entity
  left with no mention is not carried, nor are its relations.
* A relation's type is the name ``rel_info.json`` gives its property id (the id itself
  without a label file, or when the file lacks it, counted either way); ``inferred`` is
  false. Its evidence is one span per evidence sentence (the whole line), in text order.
  A relation without an evidence sentence gets the first mention of its head and of its
  tail as evidence, counted; `export_documents` writes that pair back as no evidence.
* DocRED relations are directed. Types named in ``options["symmetric"]`` (comma-separated
  names, or their property ids) hold both ways: a fact given in both directions, as DocRED
  gives them, is stored once in the direction met first, evidence united (counted). A
  fact given twice in one direction is stored once, likewise.

Whatever cannot be carried (the Re-DocRED extras ``global_pos`` and ``index``, tokens
holding a space or line break, empty tokens, the rest above) is counted with examples in
`Imported.not_carried`; malformed input raises a one-line `UsageError` naming the file and
the JSON path.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any, NoReturn

from factgold.errors import UsageError, json_path
from factgold.read.document import Document
from factgold.read.importers import Imported, read_utf8
from factgold.read.labels import Labels

RELATION_FILE = "rel_info.json"
DOCUMENT_KEYS = ("title", "sents", "vertexSet", "labels")
MENTION_KEYS = ("name", "sent_id", "pos", "type")
LABEL_KEYS = ("h", "t", "r", "evidence")
EXAMPLES = 3


def entity_id(index: int) -> str:
    """The gold entity id of the entity at position ``index`` of a DocRED ``vertexSet``."""
    return f"E{index + 1}"


def import_files(paths: Sequence[Path], options: Mapping[str, Any]) -> Imported:
    """Gold documents from DocRED / Re-DocRED JSON files (or folders of them)."""
    relations_file = options.get("relations")
    if relations_file is not None and not isinstance(relations_file, (str, Path)):
        raise UsageError(f"relations must be the path of a {RELATION_FILE} file, not {relations_file!r}")
    names = read_relation_names(Path(relations_file)) if relations_file is not None else None
    prefix = options.get("id_prefix", "docred")
    if not isinstance(prefix, str) or not prefix:
        raise UsageError(f"id_prefix must be a non-empty string, not {prefix!r}")
    reader = _Reader(
        names=names,
        symmetric=_symmetric_option(options.get("symmetric"), names),
        prefix=prefix,
        source=_text_option(options, "source", "Wikipedia"),
        language=_text_option(options, "language", "en"),
    )
    for path in _input_files(paths, Path(relations_file) if relations_file is not None else None):
        reader.read_file(path)
    return reader.result()


def read_relation_names(path: Path) -> dict[str, str]:
    """A ``rel_info.json`` label file: property id -> relation name, the names distinct."""
    table = _load_json(path, "the relation names")
    if not isinstance(table, dict) or not table:
        raise UsageError(f'{path}: expected a JSON object of property ids and names, like {{"P17": "country"}}')
    seen: dict[str, str] = {}
    for key, name in table.items():
        if not key or not isinstance(name, str) or not name:
            raise UsageError(f"{path}: {json_path([key])}: expected a non-empty relation name, not {name!r}")
        if name in seen:
            raise UsageError(f"{path}: {json_path([key])}: the name {name!r} is also the name of {seen[name]}")
        seen[name] = key
    return dict(table)


def _text_option(options: Mapping[str, Any], key: str, default: str) -> str:
    value = options.get(key, default)
    if not isinstance(value, str) or not value:
        raise UsageError(f"{key} must be a non-empty string, not {value!r}")
    return value


def _symmetric_option(value: Any, names: Mapping[str, str] | None) -> frozenset[str]:
    """The symmetric relation names: a comma-separated string or a sequence; property ids become names."""
    if value is None:
        return frozenset()
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, (list, tuple, set, frozenset)) or not all(isinstance(item, str) for item in items):
        raise UsageError(f"symmetric must name relation types separated by commas, not {value!r}")
    stripped = (item.strip() for item in items)
    return frozenset((names or {}).get(item, item) for item in stripped if item)


def _input_files(paths: Sequence[Path], relations_file: Path | None) -> list[Path]:
    if not paths:
        raise UsageError("no DocRED file given")
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_file() and any(path.resolve() == seen.resolve() for seen in files):
            raise UsageError(f"{path}: given twice (each file is read once)")
        if path.is_dir():
            found = [
                item
                for item in sorted(path.glob("*.json"))
                if item.name != RELATION_FILE
                and not (relations_file is not None and item.resolve() == relations_file.resolve())
            ]
            if not found:
                raise UsageError(f"{path}: no DocRED .json file in this folder")
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            raise UsageError(f"{path}: no such file or folder")
    return files


def _load_json(path: Path, what: str) -> Any:
    raw = read_utf8(path, what)
    try:
        return json.loads(raw)
    except ValueError as error:
        raise UsageError(f"{path}: not JSON ({error})") from error


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _property_order(name: str) -> tuple[int, int, str]:
    """Property ids by number (P6 before P17 before P131), other names after them."""
    match = re.fullmatch(r"P(\d+)", name)
    return (0, int(match.group(1)), name) if match else (1, 0, name)


@dataclass
class _Tally:
    """What was not carried: a count and a few examples per kind, in the order first met."""

    counts: dict[str, int] = field(default_factory=dict)
    examples: dict[str, list[str]] = field(default_factory=dict)

    def add(self, what: str, example: str) -> None:
        self.counts[what] = self.counts.get(what, 0) + 1
        shown = self.examples.setdefault(what, [])
        if len(shown) < EXAMPLES:
            shown.append(example)

    def lines(self) -> tuple[str, ...]:
        return tuple(
            f"{count} {what}: {', '.join(self.examples[what])}{', …' if count > EXAMPLES else ''}"
            for what, count in self.counts.items()
        )


@dataclass(frozen=True)
class _Text:
    """A document's text laid out from its tokens, with where each token and sentence stands."""

    text: str
    sentences: tuple[tuple[int, int], ...]  # [start, end) of each line
    tokens: tuple[tuple[tuple[int, int], ...], ...]  # [start, end) of each token, per sentence

    @classmethod
    def build(cls, sents: Sequence[Sequence[str]]) -> _Text:
        """The tokens that hold a character joined by single spaces, a line a sentence. An empty
        token adds nothing (no second space): it stands, zero-wide, where the next one starts."""
        parts: list[str] = []
        sentences: list[tuple[int, int]] = []
        tokens: list[tuple[tuple[int, int], ...]] = []
        offset = 0
        for number, sentence in enumerate(sents):
            if number:
                parts.append("\n")
                offset += 1
            words = [token for token in sentence if token]
            line = " ".join(words)
            places = []
            position, written = offset, 0
            for token in sentence:
                if token:
                    position += bool(written)  # the space before every word but the first
                    places.append((position, position + len(token)))
                    position += len(token)
                    written += 1
                else:
                    places.append((position + bool(written), position + bool(written)))
            sentences.append((offset, offset + len(line)))
            tokens.append(tuple(places))
            parts.append(line)
            offset += len(line)
        return cls("".join(parts), tuple(sentences), tuple(tokens))

    def span(self, sentence: int, first: int, last: int) -> tuple[int, int]:
        """The offsets of tokens ``[first, last)`` of a sentence, from its first to its last
        token that holds a character (zero-wide when none does)."""
        held = [place for place in self.tokens[sentence][first:last] if place[0] < place[1]]
        if not held:
            start = self.tokens[sentence][first][0]
            return start, start
        return held[0][0], held[-1][1]


@dataclass
class _Reader:
    """Reads DocRED files one after the other into gold documents."""

    names: Mapping[str, str] | None
    symmetric: frozenset[str]
    prefix: str
    source: str
    language: str
    documents: list[dict[str, Any]] = field(default_factory=list)
    entity_types: set[str] = field(default_factory=set)
    property_ids: set[str] = field(default_factory=set)
    tally: _Tally = field(default_factory=_Tally)
    titles: dict[str, str] = field(default_factory=dict)  # title -> where it was first read

    def read_file(self, path: Path) -> None:
        data = _load_json(path, "the DocRED documents")
        if not isinstance(data, list):
            raise UsageError(f"{path}: expected a JSON list of DocRED documents, not a {type(data).__name__}")
        for index, raw in enumerate(data):
            document = _Document(self, path, index, raw).convert()
            # Kept (ids are positions), but a submission names documents by title, so say so.
            where = f"{path.name} $[{index}]"
            if (first := self.titles.setdefault(document["title"], where)) != where:
                self.tally.add(
                    "documents whose title an earlier one has (a DocRED submission, which names documents "
                    "by title, cannot tell them apart)",
                    f"{where} {document['title']!r} (first {first})",
                )
            self.documents.append(document)

    def result(self) -> Imported:
        declared = [*self.names.values()] if self.names is not None else []
        kept = sorted((p for p in self.property_ids if self.names is None or p not in self.names), key=_property_order)
        relation_types = tuple(declared + [p for p in kept if p not in declared])
        if self.names is None:
            for kind in kept:
                self.tally.add(f"relation types kept as property ids, without names (no {RELATION_FILE} given)", kind)
        if unknown := sorted(self.symmetric - set(relation_types)):
            raise UsageError(
                f"symmetric: {', '.join(map(repr, unknown))} {'is' if len(unknown) == 1 else 'are'} not a relation "
                f"type of the data{' or of ' + RELATION_FILE if self.names is not None else ''}"
            )
        labels = Labels(tuple(sorted(self.entity_types)), relation_types, self.symmetric)
        return Imported(tuple(self.documents), labels, self.tally.lines())


@dataclass
class _Document:
    """One DocRED document being converted."""

    reader: _Reader
    path: Path
    index: int
    raw: Any

    def fail(self, parts: Sequence[str | int], message: str) -> NoReturn:
        raise UsageError(f"{self.path}: {json_path([self.index, *parts])}: {message}")

    def place(self, *parts: str | int) -> str:
        return f"{self.path.name} {json_path([self.index, *parts])}"

    def note(self, what: str, example: str) -> None:
        self.reader.tally.add(what, example)

    def extra_keys(self, obj: dict[str, Any], known: Sequence[str], what: str, *parts: str | int) -> None:
        for key in obj:
            if key not in known:
                self.note(f"{what} fields {key!r} not carried", self.place(*parts))

    def convert(self) -> dict[str, Any]:
        raw = self.raw
        if not isinstance(raw, dict):
            self.fail([], f"expected a DocRED document object, not a {type(raw).__name__}")
        title = raw.get("title")
        if not isinstance(title, str) or not title.strip():
            self.fail(["title"], "expected the document's title, a non-empty string")
        self.extra_keys(raw, DOCUMENT_KEYS, "document")
        sents = self.sentences(raw.get("sents"))
        layout = _Text.build(sents)
        if not layout.text.strip():
            self.fail(["sents"], "the document has no text")
        doc_id = f"{self.reader.prefix}-{len(self.reader.documents)}"
        entities = self.entities(raw.get("vertexSet"), sents, layout)
        relations = self.relations(raw, entities, layout, doc_id)
        return {
            "id": doc_id,
            "title": title,
            "text": layout.text,
            "source": self.reader.source,
            "language": self.reader.language,
            "entities": [entity for entity in entities if entity is not None],
            "relations": relations,
            "numeric_facts": [],
            "time_expressions": [],
        }

    def sentences(self, sents: Any) -> list[list[str]]:
        if not isinstance(sents, list):
            self.fail(["sents"], "expected a list of sentences, each a list of tokens")
        for number, sentence in enumerate(sents):
            if not isinstance(sentence, list):
                self.fail(["sents", number], "expected a sentence: a list of tokens")
            for position, token in enumerate(sentence):
                if not isinstance(token, str):
                    self.fail(["sents", number, position], f"expected a token string, not {token!r}")
                if token == "":
                    self.note("empty tokens not carried (the text skips them)", self.place("sents", number, position))
                elif " " in token or "\n" in token:
                    self.note(
                        "tokens holding a space or line break: the text keeps them, an export splits them",
                        self.place("sents", number, position),
                    )
        return sents

    def entities(self, vertex_set: Any, sents: list[list[str]], layout: _Text) -> list[dict[str, Any] | None]:
        """The gold entities by vertex position; None where none of an entity's mentions is carried."""
        if not isinstance(vertex_set, list):
            self.fail(["vertexSet"], "expected a list of entities, each a list of mentions")
        taken: dict[tuple[int, int], str] = {}
        entities: list[dict[str, Any] | None] = []
        for number, vertex in enumerate(vertex_set):
            if not isinstance(vertex, list) or not vertex:
                self.fail(["vertexSet", number], "expected an entity: a non-empty list of mentions")
            mentions: list[dict[str, Any]] = []
            types: list[str] = []
            for position, mention in enumerate(vertex):
                start, end, kind = self.mention(mention, ["vertexSet", number, position], sents, layout)
                types.append(kind)
                where = self.place("vertexSet", number, position)
                if start == end:
                    self.note("mentions of empty tokens only not carried", where)
                elif (start, end) in taken:
                    owner = taken[(start, end)]
                    self.note(
                        "mentions given twice not carried again (kept at their first place)",
                        f"{where} ({layout.text[start:end]!r}, also in {owner})",
                    )
                else:
                    taken[(start, end)] = entity_id(number)
                    mentions.append({"start": start, "end": end, "text": layout.text[start:end], "kind": "name"})
            if len(set(types)) > 1:
                self.note(
                    "entities whose mentions disagree on the type, typed as their first mention",
                    f"{self.place('vertexSet', number)} ({'/'.join(dict.fromkeys(types))})",
                )
            if not mentions:
                self.note("entities without a mention left not carried", self.place("vertexSet", number))
                entities.append(None)
                continue
            mentions.sort(key=lambda m: (m["start"], m["end"]))
            name = max(mentions, key=lambda m: len(m["text"]))["text"]
            entities.append({"id": entity_id(number), "type": types[0], "name": name, "mentions": mentions})
            self.reader.entity_types.add(types[0])
        return entities

    def mention(
        self, mention: Any, parts: list[str | int], sents: list[list[str]], layout: _Text
    ) -> tuple[int, int, str]:
        """A mention's offsets and type, checked; notes a name that is not its tokens."""
        if not isinstance(mention, dict):
            self.fail(parts, "expected a mention object with name, sent_id, pos and type")
        for key in MENTION_KEYS:
            if key not in mention:
                self.fail(parts, f"the mention has no {key!r}")
        self.extra_keys(mention, MENTION_KEYS, "mention", *parts)
        sentence, pos, kind, name = mention["sent_id"], mention["pos"], mention["type"], mention["name"]
        if not _is_int(sentence) or not 0 <= sentence < len(sents):
            self.fail([*parts, "sent_id"], f"expected a sentence number from 0 to {len(sents) - 1}, not {sentence!r}")
        size = len(sents[sentence])
        if not (isinstance(pos, list) and len(pos) == 2 and all(map(_is_int, pos)) and 0 <= pos[0] < pos[1] <= size):
            self.fail(
                [*parts, "pos"],
                f"expected [start, end) token positions within sentence {sentence} ({size} tokens), not {pos!r}",
            )
        if not isinstance(kind, str) or not kind:
            self.fail([*parts, "type"], f"expected an entity type name, not {kind!r}")
        if not isinstance(name, str):
            self.fail([*parts, "name"], f"expected the mention's name, a string, not {name!r}")
        start, end = layout.span(sentence, pos[0], pos[1])
        if name != layout.text[start:end]:
            self.note(
                "mention names that differ from their tokens not carried (the text keeps the tokens)",
                f"{self.place(*parts)} ({name!r})",
            )
        return start, end, kind

    def relations(
        self, raw: dict[str, Any], entities: list[dict[str, Any] | None], layout: _Text, doc_id: str
    ) -> list[dict[str, Any]]:
        if "labels" not in raw:
            self.note(
                "documents without labels (a test split) imported without relations", f"{self.place()} ({doc_id})"
            )
            return []
        labels = raw["labels"]
        if not isinstance(labels, list):
            self.fail(["labels"], "expected a list of relation facts {h, t, r, evidence}")
        names = self.reader.names
        found: dict[tuple[str, ...], dict[str, Any]] = {}
        for number, label in enumerate(labels):
            parts: list[str | int] = ["labels", number]
            head, tail, kind, evidence = self.label(label, parts, len(entities), len(layout.sentences))
            where = self.place(*parts)
            self.reader.property_ids.add(kind)
            if names is not None and kind not in names:
                self.note(f"relation types missing from {RELATION_FILE} kept as property ids", f"{where} ({kind})")
            name = names.get(kind, kind) if names is not None else kind
            if head == tail:
                self.note("relations of an entity to itself not carried", where)
                continue
            if entities[head] is None or entities[tail] is None:
                self.note("relations of an entity not carried, not carried either", where)
                continue
            key: tuple[str, ...] = (name, entity_id(head), entity_id(tail))
            reverse = (name, entity_id(tail), entity_id(head))
            if key in found or (name in self.reader.symmetric and reverse in found):
                stored = found[key] if key in found else found[reverse]
                what = "facts given twice" if key in found else "symmetric facts given in both directions"
                self.note(f"{what} stored once, evidence united", f"{where} ({stored['id']})")
                stored["sentences"] |= evidence
                continue
            found[key] = {
                "id": f"R{len(found) + 1}",
                "type": name,
                "head": key[1],
                "tail": key[2],
                "sentences": evidence,
                "where": where,
            }
        return [self.evidence(relation, entities, layout) for relation in found.values()]

    def label(
        self, label: Any, parts: list[str | int], entities: int, sentences: int
    ) -> tuple[int, int, str, set[int]]:
        if not isinstance(label, dict):
            self.fail(parts, "expected a relation fact object {h, t, r, evidence}")
        for key in ("h", "t", "r"):
            if key not in label:
                self.fail(parts, f"the relation fact has no {key!r}")
        self.extra_keys(label, LABEL_KEYS, "relation fact", *parts)
        for key in ("h", "t"):
            if not _is_int(label[key]) or not 0 <= label[key] < entities:
                self.fail([*parts, key], f"expected an entity position from 0 to {entities - 1}, not {label[key]!r}")
        if not isinstance(label["r"], str) or not label["r"]:
            self.fail([*parts, "r"], f"expected a relation id, not {label['r']!r}")
        evidence = label.get("evidence", [])
        if not isinstance(evidence, list):
            self.fail([*parts, "evidence"], f"expected a list of sentence numbers, not {evidence!r}")
        for position, sentence in enumerate(evidence):
            if not _is_int(sentence) or not 0 <= sentence < sentences:
                self.fail(
                    [*parts, "evidence", position],
                    f"expected a sentence number from 0 to {sentences - 1}, not {sentence!r}",
                )
        return label["h"], label["t"], label["r"], set(evidence)

    def evidence(
        self, relation: dict[str, Any], entities: list[dict[str, Any] | None], layout: _Text
    ) -> dict[str, Any]:
        """The relation with its evidence sentences as spans (its arguments' first mentions without any)."""
        spans = []
        where = relation.pop("where")
        for sentence in sorted(relation.pop("sentences")):
            start, end = layout.sentences[sentence]
            if start == end:
                self.note("empty evidence sentences not carried", f"{where} (sentence {sentence})")
            else:
                spans.append({"start": start, "end": end, "text": layout.text[start:end]})
        if not spans:
            self.note(
                "relations without an evidence sentence, given their head's and tail's first mentions as evidence",
                where,
            )
            spans = _stand_in(*(_first_mentions(entities, relation)))
        return {**relation, "evidence": spans, "inferred": False}


def _first_mentions(
    entities: Sequence[dict[str, Any] | None], relation: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    by_id = {entity["id"]: entity for entity in entities if entity is not None}
    return by_id[relation["head"]]["mentions"][0], by_id[relation["tail"]]["mentions"][0]


def _stand_in(head: Mapping[str, Any], tail: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The evidence of a relation without evidence sentences: its arguments' first mentions, in text order."""
    spans = sorted({(m["start"], m["end"], m["text"]) for m in (head, tail)})
    return [{"start": start, "end": end, "text": text} for start, end, text in spans]


# Export.


def export_documents(
    documents: Sequence[Document], labels: Labels, relation_ids: Mapping[str, str] | None = None
) -> list[dict[str, Any]]:
    """Gold documents as DocRED JSON documents (the list a DocRED file holds).

    Each line of the text is a sentence (a blank line an empty one) and the tokens of a line
    are its stretches between spaces, further cut where a mention starts or ends, so that
    every mention is whole tokens. The entity at position ``i`` becomes vertex ``i`` (so the
    id ``E{i+1}`` comes back from `import_files` only when it is the ``i+1``-th entity);
    every mention takes its entity's type and its own text as ``name``. A relation's type becomes
    ``relation_ids[type]`` (a property id) where given, else stays; its evidence is the
    sentences its evidence spans touch, except that its head's and tail's first mentions
    alone (what `import_files` gives a relation without evidence sentences) are written as
    no evidence. A relation of a symmetric type (``labels.symmetric``) is written in both
    directions, as DocRED gives such facts. DocRED has no place for mention kinds,
    alternatives, links, qualifiers, ``inferred``, ``optional``, numeric facts and time
    expressions: they are not written. A mention that crosses a line or starts or ends
    with a space cannot be whole tokens: `UsageError`.
    """
    return [_export(document, labels.symmetric, relation_ids or {}) for document in documents]


def _tokens(text: str, cuts: set[int]) -> list[list[tuple[int, int]]]:
    """The tokens of each line as offsets: runs between spaces, cut at ``cuts``."""
    lines: list[list[tuple[int, int]]] = []
    line_start = 0
    for line in text.split("\n"):
        tokens: list[tuple[int, int]] = []
        for match in re.finditer(r"[^ ]+", line):
            start, end = line_start + match.start(), line_start + match.end()
            inner = sorted(cut for cut in cuts if start < cut < end)
            edges = [start, *inner, end]
            tokens.extend(pairwise(edges))
        lines.append(tokens)
        line_start += len(line) + 1
    return lines


def _line_ranges(text: str) -> list[tuple[int, int]]:
    ranges = []
    start = 0
    for line in text.split("\n"):
        ranges.append((start, start + len(line)))
        start += len(line) + 1
    return ranges


def _export(document: Document, symmetric: frozenset[str], relation_ids: Mapping[str, str]) -> dict[str, Any]:
    text = document.text
    cuts = {edge for entity in document.entities for m in entity.mentions for edge in (m.start, m.end)}
    lines = _tokens(text, cuts)
    starts = {start: (number, k) for number, tokens in enumerate(lines) for k, (start, _) in enumerate(tokens)}
    ends = {end: (number, k) for number, tokens in enumerate(lines) for k, (_, end) in enumerate(tokens)}
    vertex_set = []
    for entity in document.entities:
        vertex = []
        for mention in entity.mentions:
            first, last = starts.get(mention.start), ends.get(mention.end)
            if first is None or last is None or first[0] != last[0]:
                raise UsageError(
                    f"document {document.id}: entity {entity.id}: the mention {mention.text!r} at "
                    f"[{mention.start}, {mention.end}) cannot be DocRED tokens: it crosses a line or starts or "
                    "ends with a space"
                )
            vertex.append(
                {"name": mention.text, "sent_id": first[0], "pos": [first[1], last[1] + 1], "type": entity.type}
            )
        vertex_set.append(vertex)
    position = {entity.id: number for number, entity in enumerate(document.entities)}
    first_mention = {entity.id: entity.mentions[0].span for entity in document.entities}
    ranges = _line_ranges(text)
    facts = []
    for relation in document.relations:
        stand_in = sorted({first_mention[relation.head], first_mention[relation.tail]})
        if sorted(relation.evidence) == stand_in:
            sentences: list[int] = []
        else:
            sentences = sorted(
                {
                    number
                    for span in relation.evidence
                    for number, (start, end) in enumerate(ranges)
                    if start < end and start < span.end and span.start < end
                }
            )
        kind = relation_ids.get(relation.type, relation.type)
        head, tail = position[relation.head], position[relation.tail]
        facts.append({"h": head, "t": tail, "r": kind, "evidence": sentences})
        if relation.type in symmetric:
            facts.append({"h": tail, "t": head, "r": kind, "evidence": list(sentences)})
    return {
        "title": document.title,
        "sents": [[text[start:end] for start, end in tokens] for tokens in lines],
        "vertexSet": vertex_set,
        "labels": facts,
    }
