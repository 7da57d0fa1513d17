"""A standard extraction prompt and the JSON Schema of its answer, so LLM results compare.

Scores of LLMs prompted in different ways do not compare; `prompt` gives everyone the same
instructions for a gold document, generated from the schema's inventories (entity types,
relation types with the entity types each admits, numeric kinds), and `answer_schema` the
shape of the answer, in the form structured-output APIs take: every property required
(optional values are nullable), no additional properties, closed enumerations. The answer
names the prompt version it answers (``prompt_version``); `factgold eval --from llm` reads
it and names it in the signature. `gold_answer` writes a gold document as the perfect
answer, which a test checks against the schema and scores.
"""

from __future__ import annotations

from typing import Any

from factgold.read.document import Document
from factgold.read.schema import entity_types, relation_arguments, relation_types, symmetric_relation_types

PROMPT_VERSION = "2"
NUMERIC_KINDS = ("money", "percent", "quantity", "cardinal", "ordinal")
MENTION_KINDS = ("name", "nominal", "pronoun")


def prompt(document: Document) -> str:
    """The extraction prompt of version `PROMPT_VERSION` for one document."""
    arguments = relation_arguments()
    symmetric = symmetric_relation_types()
    every_type = frozenset(entity_types())

    def admitted(types: frozenset[str]) -> str:
        return "any type" if types == every_type else " or ".join(sorted(types))

    relation_lines = [
        f"   - {kind}: head {admitted(arguments[kind][0])}; tail {admitted(arguments[kind][1])}"
        + (" (symmetric: either order)" if kind in symmetric else "")
        for kind in relation_types()
    ]
    return "\n".join(
        [
            f"factgold extraction prompt, version {PROMPT_VERSION}.",
            "",
            "Read the news article below and extract, as one JSON object:",
            "",
            "1. entities: every named entity, and every unnamed group or thing a relation or a number is about.",
            "   Give each entity once, with its canonical name (its longest name in the text), its type, and",
            "   its mentions: each way the text refers to it (names, noun phrases, pronouns), as written,",
            f"   with the kind of mention ({', '.join(MENTION_KINDS)}). Types: {', '.join(entity_types())}.",
            "2. relations: facts the text states between two entities, by their canonical names. Types, with",
            "   the entity types they admit:",
            *relation_lines,
            "3. numeric_facts: every number the text states (amounts, percentages, counts, ordinals): its value",
            '   exactly as written (for example "$12.5 million" or "third"), its unit (an ISO 4217 code',
            f"   for money, else null), its kind ({', '.join(NUMERIC_KINDS)}), whether the text hedges it",
            '   ("around", "nearly": approximate true), whether it is a bound ("over", "more than", "at least":',
            '   "lower"; "up to", "under", "nearly": "upper"; else null), and the canonical name of the entity',
            "   it is about (null when it is about no entity of your list).",
            "",
            "Extract only what the text states; do not add knowledge from elsewhere. Answer with the JSON",
            f'object only, with "prompt_version": "{PROMPT_VERSION}".',
            "",
            "Article:",
            document.text,
        ]
    )


def answer_schema() -> dict[str, Any]:
    """The JSON Schema of an answer, strict in the way structured-output APIs require."""

    def record(properties: dict[str, Any]) -> dict[str, Any]:
        return {"type": "object", "additionalProperties": False, "required": list(properties), "properties": properties}

    # No minLength, pattern or format: the strict structured-output subsets do not all take them.
    text = {"type": "string"}
    mention = record({"text": text, "kind": {"type": "string", "enum": list(MENTION_KINDS)}})
    entity = record(
        {
            "name": text,
            "type": {"type": "string", "enum": list(entity_types())},
            "mentions": {"type": "array", "items": mention},
        }
    )
    relation = record({"type": {"type": "string", "enum": list(relation_types())}, "head": text, "tail": text})
    fact = record(
        {
            "value": text,
            "unit": {"type": ["string", "null"]},
            "kind": {"type": "string", "enum": list(NUMERIC_KINDS)},
            "approximate": {"type": "boolean"},
            "bound": {"type": ["string", "null"], "enum": ["lower", "upper", None]},
            "subject": {"type": ["string", "null"]},
        }
    )
    schema = record(
        {
            "prompt_version": {"type": "string", "enum": [PROMPT_VERSION]},
            "entities": {"type": "array", "items": entity},
            "relations": {"type": "array", "items": relation},
            "numeric_facts": {"type": "array", "items": fact},
        }
    )
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "factgold answer", **schema}


def response_format() -> dict[str, Any]:
    """The answer schema as OpenAI-compatible servers take it (``response_format``)."""
    schema = {key: value for key, value in answer_schema().items() if key != "$schema"}
    return {
        "type": "json_schema",
        "json_schema": {"name": f"factgold_answer_v{PROMPT_VERSION}", "strict": True, "schema": schema},
    }


def gold_answer(document: Document) -> dict[str, Any]:
    """A gold document written as the perfect answer to its prompt."""
    names = {entity.id: entity.name for entity in document.entities}
    return {
        "prompt_version": PROMPT_VERSION,
        "entities": [
            {
                "name": entity.name,
                "type": entity.type,
                "mentions": [
                    {"text": text, "kind": kind}
                    for text, kind in dict.fromkeys((m.text, m.kind) for m in entity.mentions)
                ],
            }
            for entity in document.entities
        ],
        "relations": [{"type": r.type, "head": names[r.head], "tail": names[r.tail]} for r in document.relations],
        "numeric_facts": [
            {
                "value": fact.mention.text,
                "unit": fact.unit,
                "kind": fact.kind,
                "approximate": fact.approximate,
                "bound": fact.bound,
                "subject": names[fact.subject] if fact.subject else None,
            }
            for fact in document.numeric_facts
        ],
    }
