"""Numbers written as strings: the parser, and scale and unit errors on string values."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import REPO
from factgold.ground.numbers import UNITS, ParsedNumber, parse_number
from factgold.run.evaluation import evaluate

DOC_ID = "000_8ba8a8b9c66a07ae"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("US$64bn", ParsedNumber(64e9, "USD", "money", False)),
        ("64 billion USD", ParsedNumber(64e9, "USD", "money", False)),
        ("$64 billion", ParsedNumber(64e9, "USD", "money", False)),
        ("around $23 billion", ParsedNumber(23e9, "USD", "money", True)),
        ("nearly 5 million dollars", ParsedNumber(5e6, "USD", "money", True, "upper")),
        ("over $23 billion", ParsedNumber(23e9, "USD", "money", False, "lower")),
        ("5 km or more", ParsedNumber(5.0, "km", "quantity", False, "lower")),
        ("up to 12%", ParsedNumber(12.0, None, "percent", False, "upper")),
        ("seventh", ParsedNumber(7.0, None, "ordinal", False)),
        ("seventy-fifth", ParsedNumber(75.0, None, "ordinal", False)),
        ("75th", ParsedNumber(75.0, None, "ordinal", False)),
        ("1.5 million", ParsedNumber(1.5e6, None, "cardinal", False)),
        ("€5.3 million", ParsedNumber(5.3e6, "EUR", "money", False)),
        ("Rs 1,200 crore", ParsedNumber(1.2e10, "INR", "money", False)),
        ("3 lakh", ParsedNumber(3e5, None, "cardinal", False)),
        ("12%", ParsedNumber(12.0, None, "percent", False)),
        ("12 per cent", ParsedNumber(12.0, None, "percent", False)),
        ("two", ParsedNumber(2.0, None, "cardinal", False)),
        ("about 1,000 tonnes", ParsedNumber(1000.0, "t", "quantity", True)),
        ("N/A", None),
        ("", None),
        ("-$5 billion", ParsedNumber(-5e9, "USD", "money", False)),
        ("minus five", ParsedNumber(-5.0, None, "cardinal", False)),
        ("Rs. 1,200 crore", ParsedNumber(1.2e10, "INR", "money", False)),
        ("Rs.1,200 crore", ParsedNumber(1.2e10, "INR", "money", False)),
        ("64 billions", ParsedNumber(64e9, None, "cardinal", False)),
        ("1.2 lakh crore", ParsedNumber(1.2e12, None, "cardinal", False)),
        ("$23bn approx.", ParsedNumber(23e9, "USD", "money", True)),
        ("$23 billion (approx.)", ParsedNumber(23e9, "USD", "money", True)),
        ("≈ $23 billion", ParsedNumber(23e9, "USD", "money", True)),
        ("approx 12", ParsedNumber(12.0, None, "cardinal", True)),
        ("first", ParsedNumber(1.0, None, "ordinal", False)),
        ("the 7th.", ParsedNumber(7.0, None, "ordinal", False)),
        ('"75th"', ParsedNumber(75.0, None, "ordinal", False)),
        ("a dozen", ParsedNumber(12.0, None, "cardinal", False)),
        ("Overall 12%", None),  # "over" is a hedge only as a whole word
        ("overseas 5", None),
        ("1e400", None),
        ("23,5", None),
    ],
)
def test_parse_number(text: str, expected: ParsedNumber | None) -> None:
    assert parse_number(text) == expected


@pytest.mark.parametrize(
    ("value", "category"),
    [
        ("$64 billion", "correct"),
        ("US$64bn", "correct"),
        ("64 million dollars", "scale"),
        ("€64 billion", "unit"),
        ("$65 billion", "value"),
        ("sixty-four", "scale"),  # 64 = 64 billion / 1000^3
        ("sixty-three", "value"),
    ],
)
def test_string_values_fall_into_their_categories(value: str, category: str) -> None:
    facts = [{"mention": {"start": 1690, "end": 1701}, "value": value}]
    report = evaluate([{"id": DOC_ID, "numeric_facts": facts}]).to_dict()
    categories = [e["category"] for e in report["errors"] if e["task"] == "numeric_facts" and e["predicted"]]
    assert categories == [category]


def test_explicit_fields_win_over_the_string() -> None:
    facts = [
        {"mention": {"start": 2165, "end": 2176}, "value": "around $23 billion", "approximate": False, "unit": "USD"}
    ]
    report = evaluate([{"id": DOC_ID, "numeric_facts": facts}]).to_dict()
    assert report["scores"]["numeric_facts"]["value"]["tp"] == 1
    assert report["scores"]["numeric_facts"]["approximate"]["tp"] == 0  # the gold says approximate


def test_parsers_load_only_for_string_values() -> None:
    script = (
        "import sys, factgold\n"
        f"factgold.evaluate([{{'id': '{DOC_ID}', 'numeric_facts': [{{'value': 7, 'mention': {{'start': 1488, 'end': 1495}}}}]}}])\n"
        "print(sorted(m for m in ('quantulum3', 'text_to_num', 'rapidfuzz', 'sklearn', 'datasets') if m in sys.modules))\n"
        f"factgold.evaluate([{{'id': '{DOC_ID}', 'numeric_facts': [{{'value': 'seventh'}}]}}])\n"
        "print('text_to_num' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, check=True)
    assert result.stdout.splitlines() == ["[]", "True"]


@pytest.mark.parametrize("unit", sorted(UNITS))
@pytest.mark.parametrize("amount", ["120", "1,250", "3.5 million"])
def test_the_common_units_read_as_quantulum3_reads_them(amount: str, unit: str) -> None:
    # The fast path for common units must agree with the library it saves loading.
    from factgold.ground.numbers import _parse_with_quantulum

    text = f"{amount} {unit}"
    assert parse_number(text) == _parse_with_quantulum(text)


@pytest.mark.parametrize(
    ("text", "approximate", "bound"),
    [
        ("no less than 12", False, "lower"),
        ("not less than 12", False, "lower"),
        ("not more than 12", False, "upper"),
        ("no more than 12", False, "upper"),
        ("just over $23 billion", False, "lower"),
        ("well under 5%", False, "upper"),
        ("at around $23 billion", True, None),
        ("at least 5", False, "lower"),
    ],
)
def test_negated_graded_and_prepositional_hedges(text: str, approximate: bool, bound: str | None) -> None:
    parsed = parse_number(text)
    assert parsed is not None
    assert (parsed.approximate, parsed.bound) == (approximate, bound)


def test_a_hedge_before_a_number_in_running_text() -> None:
    from factgold.ground.numbers import hedge_before

    text = "sales rose by no less than 12 per cent, not more than 3 of them"
    assert hedge_before(text, text.index("12")) == (False, "lower")
    assert hedge_before(text, text.index("3 of")) == (False, "upper")
