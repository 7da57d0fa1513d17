"""Counterfactual variants of a gold document, derived exactly from a declarative edit table.

A variant is the gold article with a few text edits (a number, a hedge, a name, which
country a place or a minister belongs to), and a gold annotation that is *computed*, never
written by hand: every span after an edit is shifted, every span that contains an edit
grows or shrinks with it and has its text re-read, every numeric value in an edited span is
read again with the project's number reader, entities and relations are renumbered by the
guidelines' order. The table says only what the text cannot: which entity an edited mention
now belongs to, which relation ends change, which hedge attributes a changed hedge implies.

A system that read the variant gives the variant's values; one that recalls the original
article (or the news around it) gives the original's. `factgold.run.memorization` measures
the difference.

Edits apply one after another, each to the text the previous ones left, so that a swap is
two edits ("A" becomes "B", then the other "B", found by its context, becomes "A").
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from factgold.errors import UsageError

TABLE = Path("annotations") / "counterfactual.json"
VARIANTS_FILE = Path("data") / "counterfactual" / "test.jsonl"

# What an edit probes; the memorization report groups the variants by it.
PROBES = (
    "value",
    "scale",
    "hedge",
    "ordinal",
    "role_swap",
    "place_swap",
    "invented_name",
    "relation_direction",
)
BOUNDS = ("lower", "upper")

# Fields that repeat the article's words outside any span: they follow the edits as text.
_FREE_TEXT_FIELDS = (
    ("relations", "qualifiers", ("role", "time", "location")),
    ("numeric_facts", None, ("subject_text", "time")),
    ("time_expressions", None, ("anchors",)),
)


class VariantError(UsageError):
    """The edit table cannot be applied to the gold as it stands."""


@dataclass(frozen=True)
class TextEdit:
    """Replace one occurrence (or every one) of ``find`` with ``replace``.

    ``context`` locates the occurrence when ``find`` alone is ambiguous: it must occur
    exactly once, and ``find`` is taken inside it. An insertion is written
    ``{"insert": TEXT, "before": ANCHOR}`` and becomes an edit with an empty ``find``
    placed at the anchor, which must occur once. ``entity``, ``kind`` and
    ``mention_text`` re-annotate a mention that is exactly the edited stretch: the entity
    it now refers to (original id), its mention kind, and which part of the replacement is
    the mention (a possessive added by the edit stays outside it).
    """

    find: str
    replace: str
    probe: str
    context: str | None = None
    every: bool = False
    entity: str | None = None
    kind: str | None = None
    mention_text: str | None = None

    @classmethod
    def from_json(cls, obj: dict[str, Any], where: str) -> TextEdit:
        known = {"find", "replace", "probe", "context", "all", "entity", "kind", "mention_text", "insert", "before"}
        if unknown := sorted(set(obj) - known):
            raise VariantError(f"{where}: unknown edit field(s) {', '.join(unknown)}")
        if "insert" in obj:
            if not isinstance(obj["insert"], str) or not isinstance(obj.get("before"), str) or "find" in obj:
                raise VariantError(f"{where}: an insertion needs 'insert' and 'before' strings and no 'find'")
            obj = {**obj, "find": "", "replace": obj["insert"], "context": obj["before"]}
            if obj.get("probe") not in PROBES:
                raise VariantError(f"{where}: 'probe' must be one of {', '.join(PROBES)}")
            return cls("", obj["replace"], obj["probe"], obj["context"])
        if not isinstance(obj.get("find"), str) or not isinstance(obj.get("replace"), str) or not obj["find"]:
            raise VariantError(f"{where}: an edit needs a non-empty 'find' and a 'replace' string")
        if obj.get("probe") not in PROBES:
            raise VariantError(f"{where}: 'probe' must be one of {', '.join(PROBES)}")
        return cls(
            obj["find"],
            obj["replace"],
            obj["probe"],
            obj.get("context"),
            bool(obj.get("all", False)),
            obj.get("entity"),
            obj.get("kind"),
            obj.get("mention_text"),
        )


@dataclass(frozen=True)
class VariantSpec:
    """One row of the edit table: the edits and what the text alone cannot say."""

    suffix: str
    edits: tuple[TextEdit, ...]
    relations: dict[str, dict[str, str]] = field(default_factory=dict)
    remove_relations: tuple[str, ...] = ()
    add_relations: tuple[dict[str, Any], ...] = ()
    facts: dict[str, dict[str, Any]] = field(default_factory=dict)
    fields: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> VariantSpec:
        suffix = obj.get("id")
        if not isinstance(suffix, str) or not re.fullmatch(r"cf[0-9]{2}", suffix):
            raise VariantError(f"variant id {suffix!r}: expected 'cf' and two digits (cf01)")
        known = {"id", "description", "edits", "relations", "remove_relations", "add_relations", "facts", "fields"}
        if unknown := sorted(set(obj) - known):
            raise VariantError(f"{suffix}: unknown field(s) {', '.join(unknown)}")
        edits = tuple(TextEdit.from_json(edit, f"{suffix}.edits[{i}]") for i, edit in enumerate(obj.get("edits", [])))
        if not edits:
            raise VariantError(f"{suffix}: a variant needs at least one edit")
        return cls(
            suffix,
            edits,
            dict(obj.get("relations", {})),
            tuple(obj.get("remove_relations", ())),
            tuple(obj.get("add_relations", ())),
            dict(obj.get("facts", {})),
            dict(obj.get("fields", {})),
        )


def load_table(path: Path) -> tuple[str, list[VariantSpec]]:
    """The edit table: the id of the document it edits and its variants."""
    try:
        table = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise VariantError(f"{path}: cannot read the edit table ({error})") from error
    specs = [VariantSpec.from_json(row) for row in table.get("variants", [])]
    suffixes = [spec.suffix for spec in specs]
    if len(set(suffixes)) != len(suffixes):
        raise VariantError(f"{path}: variant ids repeat")
    return table["document"], specs


# --- spans -----------------------------------------------------------------------------


def _spans(doc: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every span object of a gold document (mentions, evidence, fact mentions, time
    expressions), with a readable path for messages."""
    for entity in doc["entities"]:
        for index, mention in enumerate(entity["mentions"]):
            yield f"{entity['id']}.mentions[{index}]", mention
            for number, alternative in enumerate(mention.get("alternatives", ())):
                yield f"{entity['id']}.mentions[{index}].alternatives[{number}]", alternative
    for relation in doc["relations"]:
        for index, span in enumerate(relation["evidence"]):
            yield f"{relation['id']}.evidence[{index}]", span
    for fact in doc["numeric_facts"]:
        yield f"{fact['id']}.mention", fact["mention"]
    for timex in doc["time_expressions"]:
        yield timex["id"], timex


def _move(span: dict[str, Any], start: int, end: int, delta: int, where: str) -> bool:
    """Shift or stretch one span for the replacement of text[start:end]; True when the span
    contains the edited stretch (its text changes). An insertion (``start == end``) at a
    span's first character goes before the span."""
    ends_before = span["end"] <= start and (start < end or span["start"] < start)
    if ends_before:
        return False
    if span["start"] >= end:
        span["start"] += delta
        span["end"] += delta
        return False
    if span["start"] <= start and span["end"] >= end:
        span["end"] += delta
        return True
    raise VariantError(
        f"{where}: the edit of characters {start}-{end} cuts across the span {span['start']}-{span['end']}"
    )


def _locate(text: str, edit: TextEdit, where: str) -> list[int]:
    """Start offsets of the occurrences of ``edit.find`` to replace, last first."""
    if edit.context is not None:
        found = [m.start() for m in re.finditer(re.escape(edit.context), text)]
        if len(found) != 1:
            raise VariantError(f"{where}: the context {edit.context!r} occurs {len(found)} times, not once")
        inner = edit.context.find(edit.find)  # 0 for an insertion: before the anchor
        if inner < 0:
            raise VariantError(f"{where}: {edit.find!r} is not inside its context {edit.context!r}")
        return [found[0] + inner]
    starts = [m.start() for m in re.finditer(re.escape(edit.find), text)]
    if not starts or (len(starts) > 1 and not edit.every):
        raise VariantError(f"{where}: {edit.find!r} occurs {len(starts)} times; give a context or 'all'")
    return starts[::-1]  # from the end, so that earlier offsets stay valid


# --- the derivation --------------------------------------------------------------------


@dataclass
class _Work:
    doc: dict[str, Any]
    changed_facts: set[str] = field(default_factory=set)
    records: list[dict[str, Any]] = field(default_factory=list)


def _replace_once(work: _Work, at: int, edit: TextEdit, where: str) -> None:
    doc = work.doc
    text: str = doc["text"]
    start, end = at, at + len(edit.find)
    delta = len(edit.replace) - len(edit.find)
    exact: list[tuple[str, dict[str, Any]]] = []
    for path, span in [*_spans(doc), *((f"edit {i}", r) for i, r in enumerate(work.records))]:
        was = (span["start"], span["end"])
        if _move(span, start, end, delta, where + ": " + path):
            if was == (start, end) and path.startswith("E") and ".alternatives" not in path:
                exact.append((path, span))
            if path.startswith("N") and path.endswith(".mention"):
                work.changed_facts.add(path.split(".")[0])
    doc["text"] = text[:start] + edit.replace + text[end:]
    work.records.append(
        {
            "start": start,
            "end": start + len(edit.replace),
            "before": edit.find,
            "after": edit.replace,
            "probe": edit.probe,
        }
    )
    if edit.mention_text is not None:
        inner = edit.replace.find(edit.mention_text)
        if inner < 0 or not exact:
            raise VariantError(f"{where}: 'mention_text' needs a mention that is the edited stretch")
        for _, span in exact:
            span["start"], span["end"] = start + inner, start + inner + len(edit.mention_text)
    if edit.entity is not None or edit.kind is not None:
        if len(exact) != 1:
            raise VariantError(f"{where}: 'entity'/'kind' need exactly one mention that is the edited stretch")
        _reassign(doc, exact[0][1], edit, where)


def _reassign(doc: dict[str, Any], mention: dict[str, Any], edit: TextEdit, where: str) -> None:
    if edit.kind is not None:
        mention["kind"] = edit.kind
    if edit.entity is None:
        return
    owner = next(e for e in doc["entities"] if any(m is mention for m in e["mentions"]))
    target = next((e for e in doc["entities"] if e["id"] == edit.entity), None)
    if target is None:
        raise VariantError(f"{where}: no entity {edit.entity}")
    owner["mentions"] = [m for m in owner["mentions"] if m is not mention]
    target["mentions"].append(mention)
    if not owner["mentions"]:
        raise VariantError(f"{where}: moving the mention leaves {owner['id']} without mentions")


def _substitute_free_text(doc: dict[str, Any], edit: TextEdit) -> None:
    """Carry a text edit into the fields that quote the article outside spans."""
    old = edit.context if edit.context is not None else edit.find
    new = old.replace(edit.find, edit.replace, 1) if edit.context is not None else edit.replace
    for layer, nested, names in _FREE_TEXT_FIELDS:
        for item in doc[layer]:
            holder = item.get(nested) if nested else item
            if not isinstance(holder, dict):
                continue
            for name in names:
                value = holder.get(name)
                if isinstance(value, str) and old in value:
                    holder[name] = value.replace(old, new) if edit.every else value.replace(old, new, 1)


def _canonical_name(entity: dict[str, Any]) -> str:
    """The guidelines' canonical name: the longest name mention, else the longest nominal
    (the first of equal length)."""
    for kind in ("name", "nominal", "pronoun"):
        texts: list[str] = [m["text"] for m in entity["mentions"] if m["kind"] == kind]
        if texts:
            return max(texts, key=len)
    raise VariantError(f"{entity['id']} has no mentions")


def _renumber(doc: dict[str, Any]) -> None:
    """Ids in the guidelines' text order, every reference rewritten."""
    for entity in doc["entities"]:
        entity["mentions"].sort(key=lambda m: (m["start"], m["end"]))
    doc["entities"].sort(key=lambda e: (e["mentions"][0]["start"], e["mentions"][0]["end"]))
    entity_ids = {e["id"]: f"E{i}" for i, e in enumerate(doc["entities"], 1)}
    for entity in doc["entities"]:
        entity["id"] = entity_ids[entity["id"]]
    for relation in doc["relations"]:
        relation["head"], relation["tail"] = entity_ids[relation["head"]], entity_ids[relation["tail"]]
        relation["evidence"].sort(key=lambda s: (s["start"], s["end"]))
    for fact in doc["numeric_facts"]:
        if fact["subject"] is not None:
            fact["subject"] = entity_ids[fact["subject"]]

    def relation_order(r: dict[str, Any]) -> tuple[int, int, str, int]:
        first = r["evidence"][0]
        return (first["start"], first["end"] - first["start"], r["type"], int(r["head"][1:]))

    doc["relations"].sort(key=relation_order)
    for index, relation in enumerate(doc["relations"], 1):
        relation["id"] = f"R{index}"
    for layer, prefix, key in (("numeric_facts", "N", "mention"), ("time_expressions", "T", None)):
        doc[layer].sort(
            key=lambda item, key=key: ((item[key] if key else item)["start"], (item[key] if key else item)["end"])
        )
        for index, item in enumerate(doc[layer], 1):
            item["id"] = f"{prefix}{index}"


def _evidence_span(text: str, wanted: str, where: str) -> dict[str, Any]:
    found = [m.start() for m in re.finditer(re.escape(wanted), text)]
    if len(found) != 1:
        raise VariantError(f"{where}: evidence {wanted!r} occurs {len(found)} times in the variant, not once")
    return {"start": found[0], "end": found[0] + len(wanted), "text": wanted}


def _edit_relations(doc: dict[str, Any], spec: VariantSpec) -> None:
    by_id = {r["id"]: r for r in doc["relations"]}
    for relation_id, ends in spec.relations.items():
        if relation_id not in by_id or set(ends) - {"head", "tail"}:
            raise VariantError(f"{spec.suffix}: relation change {relation_id}: {ends}")
        by_id[relation_id].update(ends)
    for relation_id in spec.remove_relations:
        if relation_id not in by_id:
            raise VariantError(f"{spec.suffix}: no relation {relation_id} to remove")
    doc["relations"] = [r for r in doc["relations"] if r["id"] not in spec.remove_relations]
    for index, added in enumerate(spec.add_relations):
        where = f"{spec.suffix}.add_relations[{index}]"
        relation = {
            "id": f"new{index}",
            "type": added["type"],
            "head": added["head"],
            "tail": added["tail"],
            "evidence": [_evidence_span(doc["text"], wanted, where) for wanted in added["evidence"]],
            "inferred": added["inferred"],
        }
        if added.get("qualifiers"):
            relation["qualifiers"] = dict(added["qualifiers"])
        doc["relations"].append(relation)


def _reread_facts(doc: dict[str, Any], spec: VariantSpec, changed: set[str]) -> None:
    """Read every edited number again; apply the table's hedge attributes; check both."""
    from factgold.ground.numbers import parse_number

    by_id = {f["id"]: f for f in doc["numeric_facts"]}
    if unknown := sorted(set(spec.facts) - set(by_id)):
        raise VariantError(f"{spec.suffix}: no numeric fact {', '.join(unknown)}")
    for fact_id in sorted(changed):
        fact = by_id[fact_id]
        parsed = parse_number(fact["mention"]["text"])
        if parsed is None or parsed.kind != fact["kind"] or parsed.unit != fact["unit"]:
            raise VariantError(
                f"{spec.suffix}: {fact_id} {fact['mention']['text']!r} does not read as a {fact['kind']}"
            )
        fact["value"] = parsed.value
    for fact_id, attributes in spec.facts.items():
        if unknown := sorted(set(attributes) - {"approximate", "bound", "value"}):
            raise VariantError(f"{spec.suffix}: {fact_id}: cannot set {', '.join(unknown)}")
        if "value" in attributes and attributes["value"] != by_id[fact_id]["value"]:
            raise VariantError(
                f"{spec.suffix}: {fact_id} reads as {by_id[fact_id]['value']!r}, the table says {attributes['value']!r}"
            )
        if attributes.get("bound") not in (None, *BOUNDS):
            raise VariantError(f"{spec.suffix}: {fact_id}: bound must be one of {', '.join(BOUNDS)} or null")
        by_id[fact_id].update({key: value for key, value in attributes.items() if key != "value"})


def _set_fields(doc: dict[str, Any], spec: VariantSpec) -> None:
    """The table's overrides of free-text fields, ``ID.field`` (original ids)."""
    items = {item["id"]: item for layer in ("relations", "numeric_facts", "time_expressions") for item in doc[layer]}
    for target, value in spec.fields.items():
        item_id, _, name = target.partition(".")
        item = items.get(item_id)
        if item is None or not name:
            raise VariantError(f"{spec.suffix}: cannot set {target}")
        if name in ("role", "time", "location") and item_id.startswith("R"):
            item.setdefault("qualifiers", {})[name] = value
        else:
            item[name] = value


def _check_quoted_fields(doc: dict[str, Any], suffix: str) -> None:
    """Qualifiers and subject texts are "as written": each must still be in the text."""
    text = doc["text"]
    for relation in doc["relations"]:
        for name, value in relation.get("qualifiers", {}).items():
            if name != "domain" and value not in text:
                raise VariantError(
                    f"{suffix}: {relation['id']} qualifier {name} {value!r} is not in the variant's text"
                )
    for fact in doc["numeric_facts"]:
        for name in ("subject_text", "time"):
            if fact[name] is not None and fact[name] not in text:
                raise VariantError(f"{suffix}: {fact['id']} {name} {fact[name]!r} is not in the variant's text")


def derive_variant(original: dict[str, Any], spec: VariantSpec) -> dict[str, Any]:
    """The variant document: the original with the spec's edits, its gold derived."""
    work = _Work(copy.deepcopy(original))
    doc = work.doc
    unchanged = {id(span): span["text"] for _, span in _spans(doc)}  # by object: mentions may move
    for index, edit in enumerate(spec.edits):
        where = f"{spec.suffix}.edits[{index}]"
        for at in _locate(doc["text"], edit, where):
            _replace_once(work, at, edit, where)
        _substitute_free_text(doc, edit)
    text: str = doc["text"]
    for path, span in _spans(doc):
        new = text[span["start"] : span["end"]]
        if id(span) in unchanged and new != unchanged[id(span)] and edit_free(span, work.records):
            raise VariantError(f"{spec.suffix}: {path} moved off its text ({unchanged[id(span)]!r} -> {new!r})")
        span["text"] = new
    doc["title"] = text.split("\n", 1)[0]
    for fact in doc["numeric_facts"]:
        fact.setdefault("bound", None)
    _reread_facts(doc, spec, work.changed_facts)
    _edit_relations(doc, spec)
    _set_fields(doc, spec)
    for entity in doc["entities"]:
        renamed = _canonical_name(entity)
        if renamed != entity["name"]:
            # A link names the original's referent: a renamed entity is another referent.
            entity.pop("links", None)
        entity["name"] = renamed
    _renumber(doc)
    _check_quoted_fields(doc, spec.suffix)
    return {
        **{key: doc[key] for key in ("title", "text", "source", "language")},
        "id": f"{original['id']}.{spec.suffix}",
        **{key: doc[key] for key in ("entities", "relations", "numeric_facts", "time_expressions")},
        "variant_of": original["id"],
        "edits": sorted(work.records, key=lambda r: (r["start"], r["end"])),
    }


def edit_free(span: dict[str, Any], records: Sequence[dict[str, Any]]) -> bool:
    """True when no edit touches the span (its text must then be what it was)."""
    return not any(span["start"] <= r["end"] and r["start"] <= span["end"] for r in records)


def variants_of(corpus: Path, documents: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The variants the corpus's edit table derives from its gold documents (none without a table)."""
    table = corpus / TABLE
    if not table.is_file():
        return []
    document_id, specs = load_table(table)
    original = next((doc for doc in documents if doc["id"] == document_id), None)
    if original is None:
        raise VariantError(f"{table}: the gold has no document {document_id!r}")
    return derive_variants(original, specs)


def derive_variants(original: dict[str, Any], specs: Sequence[VariantSpec]) -> list[dict[str, Any]]:
    """Every variant of the table, in the table's order."""
    ordered = [
        "id",
        "title",
        "text",
        "source",
        "language",
        "entities",
        "relations",
        "numeric_facts",
        "time_expressions",
        "variant_of",
        "edits",
    ]
    return [{key: variant[key] for key in ordered} for variant in (derive_variant(original, s) for s in specs)]
