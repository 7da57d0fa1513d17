"""The ``rules`` baseline: spaCy's blank English pipeline with an EntityRuler from a gazetteer.

Entity patterns come wholly from the countryinfo package: every country's name and its
alternative spellings made of letters (GPE), its capital and provinces (GPE) and its
demonym (NORP). No word list is written here, and none comes from the gold. Numeric facts
use the ``simple`` baseline's number patterns (money, percentages, ordinals, number
words); relations come from same-sentence co-occurrence.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from factgold.baselines import cooccurrence
from factgold.baselines.simple import numeric_facts


@cache
def _pipeline() -> Any:
    import spacy
    from countryinfo import all_countries

    patterns: set[tuple[str, str]] = set()
    for country in all_countries():
        names = [country.name().title(), *country.alt_spellings()]
        patterns |= {("GPE", name) for name in names if name.replace(" ", "").isalpha() and len(name) > 3}
        for place in [country.capital(), *(country.provinces() or [])]:
            if isinstance(place, str) and place:
                patterns.add(("GPE", place))
        demonym = country.demonym()
        if isinstance(demonym, str) and demonym:
            patterns.add(("NORP", demonym))
    nlp = spacy.blank("en")
    ruler: Any = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "ORTH"})
    ruler.add_patterns([{"label": label, "pattern": text} for label, text in sorted(patterns)])
    return nlp


def predict(document_id: str, text: str) -> dict[str, Any]:
    doc = _pipeline()(text)
    entities = [
        {"id": f"R{index}", "type": ent.label_, "mentions": [{"start": ent.start_char, "end": ent.end_char}]}
        for index, ent in enumerate(doc.ents, start=1)
    ]
    return {
        "id": document_id,
        "entities": entities,
        "relations": cooccurrence.relations(text, entities),
        "numeric_facts": numeric_facts(text),
    }
