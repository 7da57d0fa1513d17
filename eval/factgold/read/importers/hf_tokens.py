"""Token-tagged named entities from a Hugging Face dataset (CoNLL-2003, WikiANN, OntoNotes style).

The input is a ``datasets.Dataset`` (`import_dataset`) or a folder written by its
``save_to_disk`` (`import_files`; a ``DatasetDict`` folder takes ``options["split"]``,
needed when it holds more than one split). It has a ``tokens`` column (a list of strings
per row) and a tag column, ``options["tags"]`` (default ``ner_tags``), whose feature is a
list of ``ClassLabel``: names ``O`` and ``B-TYPE``/``I-TYPE`` (IOB1 or IOB2) or also
``E-TYPE``/``S-TYPE`` (BIOES).

Each row is one document: its id is the ``id`` column when there is one, else the row
index (prefixed with the folder's name when several folders are read); its text is the
tokens joined by single spaces, since the format keeps no original spacing (a token of
white space only, such as ``""``, adds nothing, and an entity tagged on such tokens alone
is listed as not carried); each tagged
entity is one entity with one ``name`` mention, since the format has no coreference. The
labels are the ClassLabel names' types without their prefix, in the order of the names.

The scheme is ``options["scheme"]`` (``IOB1``, ``IOB2`` or ``BIOES``) or detected: BIOES
when a name has an ``E-`` or ``S-`` prefix; otherwise IOB1 when entities start with ``I-``
(``B-`` only between two adjacent entities of one type) and IOB2 when they start with
``B-``, whichever leaves fewer tags out of place. Entities are read as seqeval reads them
in its default mode, the same for every scheme: an entity starts at ``B-`` or ``S-``, at
a tag whose type differs from the previous one, and at ``I-`` or ``E-`` after ``O``, ``E-``
or ``S-``; it ends before ``O``, ``B-``, ``S-``, a change of type, and after ``E-`` or
``S-``. Tags out of place for the scheme (``I-`` after ``O`` in IOB2, ``E-`` without
``B-`` in BIOES) are read that way and counted in ``not_carried``; with
``options["strict"]`` they are refused.

`export_tokens` writes gold documents the other way, for a round trip.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any

from factgold.errors import UsageError
from factgold.read.importers import Imported
from factgold.read.labels import Labels

if TYPE_CHECKING:
    import datasets

SCHEMES = ("IOB1", "IOB2", "BIOES")
PREFIXES = {"IOB1": "BI", "IOB2": "BI", "BIOES": "BIES"}
EXAMPLES = 3
_TOKEN = re.compile(r"\S+")


def import_files(paths: Sequence[Path], options: Mapping[str, Any]) -> Imported:
    """Gold documents from folders written by ``Dataset.save_to_disk`` or ``DatasetDict.save_to_disk``."""
    import datasets

    if not paths:
        raise UsageError("no dataset folder given")
    parts: list[tuple[datasets.Dataset, str, str]] = []
    for path in paths:
        try:
            loaded = datasets.load_from_disk(str(path))
        except (FileNotFoundError, ValueError, OSError) as error:
            raise UsageError(f"{path}: not a dataset folder written by save_to_disk ({error})") from error
        if isinstance(loaded, datasets.DatasetDict):
            split = options.get("split")
            if split is None and len(loaded) == 1:
                split = next(iter(loaded))
            if split not in loaded:
                raise UsageError(
                    f"{path}: choose a split with the option split (one of {', '.join(loaded)}), not {split!r}"
                )
            loaded = loaded[split]
        parts.append((loaded, str(path), f"{path.name}-" if len(paths) > 1 else ""))
    return _import(parts, options)


def import_dataset(dataset: datasets.Dataset, options: Mapping[str, Any]) -> Imported:
    """Gold documents from a ``datasets.Dataset`` in memory (the options of `import_files`)."""
    return _import([(dataset, "dataset", "")], options)


def _import(parts: Sequence[tuple[datasets.Dataset, str, str]], options: Mapping[str, Any]) -> Imported:
    tags_column = str(options.get("tags", "ner_tags"))
    strict = bool(options.get("strict", False))
    names: list[str] | None = None
    rows: list[tuple[str, str, list[str], list[str]]] = []  # (where, doc id, tokens, tags)
    for dataset, where, prefix in parts:
        part_names = _tag_names(dataset, tags_column, where)
        if names is not None and part_names != names:
            raise UsageError(f"{where}: its tag names {part_names} differ from the first dataset's {names}")
        names = part_names
        rows.extend(_rows(dataset, tags_column, part_names, where, prefix))
    assert names is not None
    types = _types(names)
    scheme = _scheme(names, [tags for *_, tags in rows], options.get("scheme"))

    seen: dict[str, str] = {}
    documents: list[dict[str, Any]] = []
    misplaced: list[str] = []
    empty: list[str] = []
    lost: list[str] = []  # tagged spans of white-space tokens only
    mentions = 0
    for where, doc_id, tokens, tags in rows:
        if doc_id in seen:
            raise UsageError(f"{where}: document id {doc_id!r} repeats (first at {seen[doc_id]})")
        seen[doc_id] = where
        for position, (previous, tag) in enumerate(zip(["O", *tags], [*tags, "O"], strict=True)):
            if not _fits(previous, tag, scheme):
                shown = f"{where} token {position}: " + (
                    f"{tag!r} after {previous!r}" if position < len(tags) else f"the row ends after {previous!r}"
                )
                if strict:
                    raise UsageError(f"{shown} is not valid {scheme}")
                misplaced.append(shown)
        if not any(token.strip() for token in tokens):
            empty.append(where)
            continue
        document = _document(doc_id, tokens, tags, options, lost, where)
        mentions += len(document["entities"])
        documents.append(document)

    notes = []
    if misplaced:
        notes.append(_line(misplaced, f"tags out of place in {scheme}, read as seqeval's default mode reads them"))
    if empty:
        notes.append(_line(empty, "rows without text not carried"))
    if lost:
        notes.append(_line(lost, "entities tagged on empty or white-space tokens only not carried"))
    if documents:
        notes.append(
            f"{len(documents)} documents: text rebuilt as the tokens joined by single spaces "
            "(the format keeps no original spacing; empty tokens add nothing)"
        )
    if mentions:
        notes.append(f"{mentions} entities of one mention each (the format has no coreference)")
    return Imported(tuple(documents), Labels(tuple(types), ()), tuple(notes))


def _line(examples: Sequence[str], description: str) -> str:
    shown = "; ".join(examples[:EXAMPLES]) + ("; …" if len(examples) > EXAMPLES else "")
    return f"{len(examples)} {description}: {shown}"


def _tag_names(dataset: datasets.Dataset, column: str, where: str) -> list[str]:
    """The ClassLabel names of the tag column."""
    import datasets

    features = dataset.features
    for name in ("tokens", column):
        if name not in features:
            raise UsageError(f"{where}: no {name!r} column (columns: {', '.join(features)})")
    inner = getattr(features[column], "feature", None)
    if not isinstance(inner, datasets.ClassLabel):
        raise UsageError(f"{where}: column {column!r} is {features[column]}, not a list of ClassLabel")
    names = [str(name) for name in inner.names]
    for name in names:
        if name != "O" and not re.fullmatch(r"[BIES]-.+", name):
            raise UsageError(f"{where}: tag name {name!r} is not O or B-, I-, E-, S- followed by a type")
    return names


def _types(names: Sequence[str]) -> list[str]:
    """The entity types of the tag names, in their order."""
    types: list[str] = []
    for name in names:
        if name != "O" and name[2:] not in types:
            types.append(name[2:])
    return types


def _rows(
    dataset: datasets.Dataset, column: str, names: Sequence[str], where: str, prefix: str
) -> Iterator[tuple[str, str, list[str], list[str]]]:
    has_id = "id" in dataset.features
    for index, row in enumerate(dataset):
        place = f"{where} row {index}"
        tokens, tag_ids = row["tokens"], row[column]
        if not isinstance(tokens, list) or not all(isinstance(token, str) for token in tokens):
            raise UsageError(f"{place}: tokens are not a list of strings")
        if not isinstance(tag_ids, list):
            raise UsageError(f"{place}: {column!r} is not a list of tags")
        if len(tag_ids) != len(tokens):
            raise UsageError(f"{place}: {len(tokens)} tokens but {len(tag_ids)} tags in {column!r}")
        tags = []
        for position, tag_id in enumerate(tag_ids):
            if not isinstance(tag_id, int) or not 0 <= tag_id < len(names):
                raise UsageError(f"{place} token {position}: tag {tag_id!r} is not one of the {len(names)} labels")
            tags.append(names[tag_id])
        doc_id = str(row["id"]) if has_id else str(index)
        if not doc_id:
            raise UsageError(f"{place}: empty id")
        yield place, prefix + doc_id, tokens, tags


def _scheme(names: Sequence[str], sequences: Sequence[Sequence[str]], chosen: Any) -> str:
    """The tagging scheme: the option when given (checked against the names), else detected."""
    bioes = any(name[0] in "ES" for name in names if name != "O")
    if chosen is not None:
        scheme = str(chosen).upper()
        if scheme not in SCHEMES:
            raise UsageError(f"scheme {chosen!r} is not one of {', '.join(SCHEMES)}")
        if bioes and scheme != "BIOES":
            raise UsageError(f"the tag names have E- or S- prefixes: the scheme is BIOES, not {scheme}")
        return scheme
    if bioes:
        return "BIOES"
    misplaced = {
        scheme: sum(
            not _fits(p, t, scheme) for tags in sequences for p, t in zip(["O", *tags], [*tags, "O"], strict=True)
        )
        for scheme in ("IOB2", "IOB1")
    }
    return "IOB1" if misplaced["IOB1"] < misplaced["IOB2"] else "IOB2"


def _fits(previous: str, tag: str, scheme: str) -> bool:
    """Whether ``tag`` may follow ``previous`` in ``scheme`` ("O" stands for either end)."""
    prefix, kind = tag[0], tag[2:]
    before, before_kind = previous[0], previous[2:]
    inside = before != "O" and before_kind == kind  # continues an entity of the same type
    if scheme == "IOB2":
        return prefix != "I" or (inside and before in "BI")
    if scheme == "IOB1":
        return prefix != "B" or inside
    if before in "BI":  # BIOES: an open entity goes on with I- or closes with E- of its type
        return prefix in "IE" and kind == before_kind
    return prefix in "OBS"


def _spans(tags: Sequence[str]) -> list[tuple[str, int, int]]:
    """(type, first token, one past the last token) of each entity, as seqeval's default mode reads them.

    >>> _spans(["B-PER", "I-PER", "O", "I-LOC", "I-ORG", "E-ORG", "S-PER"])
    [('PER', 0, 2), ('LOC', 3, 4), ('ORG', 4, 6), ('PER', 6, 7)]
    """
    entities: list[tuple[str, int, int]] = []
    start: int | None = None
    previous, previous_kind = "O", ""
    for position, tag in enumerate([*tags, "O"]):
        prefix, kind = tag[0], tag[2:]
        ends = previous in "ES" or (previous in "BI" and prefix in "BSO") or (previous != "O" and previous_kind != kind)
        starts = prefix in "BS" or (previous in "OES" and prefix in "IE") or (prefix != "O" and previous_kind != kind)
        if ends and start is not None:
            entities.append((previous_kind, start, position))
            start = None
        if starts:
            start = position
        previous, previous_kind = prefix, kind
    return entities


def _document(
    doc_id: str, tokens: Sequence[str], tags: Sequence[str], options: Mapping[str, Any], lost: list[str], where: str
) -> dict[str, Any]:
    """One row as a document: the tokens that hold a character joined by single spaces.

    A token of white space only (some datasets keep ``""``) adds nothing to the text, so
    that no span starts or ends with a space; a span made only of such tokens points at
    nothing and is listed in ``lost``.
    """
    offsets: list[tuple[int, int]] = []
    words: list[str] = []
    at = 0
    for token in tokens:
        if token.strip():
            at += bool(words)  # the space before every word but the first
            offsets.append((at, at + len(token)))
            words.append(token)
            at += len(token)
        else:
            offsets.append((at, at))  # no character: a span ignores it at either end
    text = " ".join(words)
    entities: list[dict[str, Any]] = []
    for kind, first, last in _spans(tags):
        held = [offsets[index] for index in range(first, last) if tokens[index].strip()]
        if not held:
            lost.append(f"{where} tokens {first}-{last - 1} ({kind})")
            continue
        start, end = held[0][0], held[-1][1]
        entities.append(
            {
                "id": f"E{len(entities) + 1}",
                "type": kind,
                "name": text[start:end],
                "mentions": [{"start": start, "end": end, "text": text[start:end], "kind": "name"}],
            }
        )
    return {
        "id": doc_id,
        "title": text.split("\n", 1)[0] or doc_id,
        "text": text,
        "source": str(options.get("source", "Hugging Face dataset")),
        "language": str(options.get("language", "en")),
        "entities": entities,
        "relations": [],
        "numeric_facts": [],
        "time_expressions": [],
    }


def export_tokens(
    documents: Sequence[Mapping[str, Any]], labels: Labels, scheme: str = "IOB2", tags: str = "ner_tags"
) -> datasets.Dataset:
    """Gold documents as a token-tagged dataset: columns ``id``, ``tokens`` and ``tags``.

    Tokens are the runs of non-white-space characters, cut where a mention starts or ends;
    each mention of each entity is tagged (coreference, relations, numeric facts and time
    expressions are not in the format). Mentions that overlap, or hold only white space,
    cannot be tagged and are refused. The tag names are ``O`` then, for each type of ``labels``, its ``B-``, ``I-``
    (and ``E-``, ``S-`` for BIOES) tags.
    """
    import datasets

    scheme = scheme.upper()
    if scheme not in SCHEMES:
        raise UsageError(f"scheme {scheme!r} is not one of {', '.join(SCHEMES)}")
    names = ["O"] + [f"{prefix}-{kind}" for kind in labels.entity_types for prefix in PREFIXES[scheme]]
    index = {name: number for number, name in enumerate(names)}
    ids, all_tokens, all_tags = [], [], []
    for doc in documents:
        text, doc_id = doc["text"], str(doc["id"])
        mentions = sorted(
            (mention["start"], mention["end"], entity["type"])
            for entity in doc.get("entities", [])
            for mention in entity["mentions"]
        )
        for (start, end, _), (next_start, next_end, _) in pairwise(mentions):
            if next_start < end:
                raise UsageError(
                    f"document {doc_id}: mentions [{start}, {end}) and [{next_start}, {next_end}) overlap; "
                    "token tags hold one entity per token"
                )
        for _, _, kind in mentions:
            if f"B-{kind}" not in index:
                raise UsageError(f"document {doc_id}: entity type {kind!r} is not in the labels")
        cuts = sorted({offset for start, end, _ in mentions for offset in (start, end)})
        tokens: list[tuple[int, int]] = []
        for match in _TOKEN.finditer(text):
            edges = [match.start(), *(c for c in cuts if match.start() < c < match.end()), match.end()]
            tokens.extend(pairwise(edges))
        tag_names = ["O"] * len(tokens)
        previous: tuple[int, str] | None = None  # (last token, type) of the previous mention
        for start, end, kind in mentions:
            inside = [i for i, (s, e) in enumerate(tokens) if s >= start and e <= end]
            if not inside:
                raise UsageError(f"document {doc_id}: mention [{start}, {end}) holds no token (white space only)")
            adjacent = previous is not None and previous == (inside[0] - 1, kind)
            for position, i in enumerate(inside):
                tag_names[i] = _tag(scheme, position, len(inside), adjacent) + "-" + kind
            previous = (inside[-1], kind)
        ids.append(doc_id)
        all_tokens.append([text[s:e] for s, e in tokens])
        all_tags.append([index[name] for name in tag_names])
    features = datasets.Features(
        {
            "id": datasets.Value("string"),
            "tokens": datasets.Sequence(datasets.Value("string")),
            tags: datasets.Sequence(datasets.ClassLabel(names=names)),
        }
    )
    return datasets.Dataset.from_dict({"id": ids, "tokens": all_tokens, tags: all_tags}, features=features)


def _tag(scheme: str, position: int, length: int, adjacent: bool) -> str:
    """The prefix of a mention's token at ``position`` of ``length`` tokens."""
    if scheme == "BIOES":
        return "S" if length == 1 else "B" if position == 0 else "E" if position == length - 1 else "I"
    if scheme == "IOB1":
        return "B" if position == 0 and adjacent else "I"
    return "B" if position == 0 else "I"
