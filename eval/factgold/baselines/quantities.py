"""The ``quantities`` baseline: numeric facts only, read by quantulum3 and text2num.

quantulum3 finds cardinals, amounts of money, percentages and physical quantities with
their spans; ordinals ("seventh", "75th"), which quantulum3 reads as fractions, are found
by text2num's ``alpha2digit`` and a digit pattern. A hedge word just before a number makes it
approximate or a bound (`factgold.ground.numbers.hedge_before`).
"""

from __future__ import annotations

import re
from typing import Any

from factgold.ground.numbers import hedge_before, quantulum_parser

_ORDINAL_WORDS = re.compile(r"\b(?:first|second|third|[a-z]+(?:th|st|nd|rd))\b", re.IGNORECASE)
_ORDINAL_DIGITS = re.compile(r"\b\d+(?:st|nd|rd|th)\b")


def predict(document_id: str, text: str) -> dict[str, Any]:
    from text_to_num import alpha2digit

    facts: list[dict[str, Any]] = []
    taken: set[tuple[int, int]] = set()
    for match in list(_ORDINAL_DIGITS.finditer(text)) + list(_ORDINAL_WORDS.finditer(text)):
        digits = str(alpha2digit(match.group(), "en"))
        found = re.fullmatch(r"(\d+)(?:st|nd|rd|th)", digits)
        if found:
            taken.add((match.start(), match.end()))
            facts.append(
                {
                    "mention": {"start": match.start(), "end": match.end()},
                    "value": float(found.group(1)),
                    "unit": None,
                    "kind": "ordinal",
                    "approximate": False,
                    "bound": None,
                }
            )
    for quantity in quantulum_parser().parse(text):
        start, end = quantity.span
        if any(s < end and start < e for s, e in taken) or (
            quantity.unit.name == "dimensionless" and quantity.value < 1 and quantity.value > 0
        ):
            continue  # an ordinal read as a fraction, already taken
        unit = quantity.unit
        if unit.currency_code:
            kind, unit_code = "money", unit.currency_code
        elif unit.name == "percentage":
            kind, unit_code = "percent", None
        elif unit.name == "dimensionless":
            kind, unit_code = "cardinal", None
        else:
            kind, unit_code = "quantity", (unit.symbols[0] if unit.symbols else unit.name)
        approximate, bound = hedge_before(text, start)
        facts.append(
            {
                "mention": {"start": start, "end": end},
                "value": float(quantity.value),
                "unit": unit_code,
                "kind": kind,
                "approximate": approximate,
                "bound": bound,
            }
        )
    facts.sort(key=lambda f: (f["mention"]["start"], f["mention"]["end"]))
    return {"id": document_id, "numeric_facts": facts}
