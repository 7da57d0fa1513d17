"""Numbers written as strings ("US$64bn", "around $23 billion", "seventh", "Rs 1,200 crore").

Well-kept libraries do the reading: text2num turns number words and ordinal words into
digits ("seventh" -> "7th"; quantulum3 would read it as 1/7), quantulum3 reads cardinals,
scale words, percentages and currencies. The gaps neither covers are small code here, each
tested: the abbreviations bn, mn, tn and k; the South Asian scales crore and lakh; a
currency written before the number ("Rs", "US$"); hedge words that make a value
approximate. Both libraries are imported only when a string value is parsed.
"""

from __future__ import annotations

import math
import re
import warnings
from dataclasses import dataclass
from functools import cache
from typing import Any

# A hedge word before a number: whether it makes the value approximate, and which bound it
# sets (the guidelines, section 6.3: "over" is a lower bound and not approximate; "nearly" is
# both approximate and an upper bound; "around" only approximate).
HEDGE_MEANINGS: dict[str, tuple[bool, str | None]] = {
    "around": (True, None), "about": (True, None), "approximately": (True, None), "approx.": (True, None),
    "approx": (True, None), "roughly": (True, None), "some": (True, None), "circa": (True, None),
    "ca.": (True, None), "close to": (True, None), "estimated": (True, None), "an estimated": (True, None),
    "~": (True, None), "≈": (True, None), "nearly": (True, "upper"), "almost": (True, "upper"),
    "over": (False, "lower"), "more than": (False, "lower"), "at least": (False, "lower"),
    "upwards of": (False, "lower"), "exceeding": (False, "lower"), "above": (False, "lower"),
    "less than": (False, "upper"), "under": (False, "upper"), "up to": (False, "upper"),
    "at most": (False, "upper"), "no more than": (False, "upper"), "below": (False, "upper"),
    # Negated and graded forms: "no less than 12" is at least 12.
    "no less than": (False, "lower"), "not less than": (False, "lower"), "not more than": (False, "upper"),
    "just over": (False, "lower"), "well over": (False, "lower"), "just under": (False, "upper"),
    "well under": (False, "upper"), "just above": (False, "lower"), "just below": (False, "upper"),
}  # fmt: skip
HEDGES = tuple(HEDGE_MEANINGS)
TRAILING_HEDGES: dict[str, tuple[bool, str | None]] = {
    "(approx.)": (True, None), "(approx)": (True, None), "approx.": (True, None), "approx": (True, None),
    "or so": (True, None), "or more": (False, "lower"), "or less": (False, "upper"),
}  # fmt: skip
SCALES = {"k": 1e3, "thousand": 1e3, "mn": 1e6, "mln": 1e6, "m": 1e6, "million": 1e6, "bn": 1e9, "bln": 1e9, "b": 1e9,
          "billion": 1e9, "tn": 1e12, "trn": 1e12, "trillion": 1e12, "lakh": 1e5, "lac": 1e5, "crore": 1e7}  # fmt: skip
CURRENCY_PREFIXES = {
    "us$": "USD", "usd": "USD", "$": "USD", "€": "EUR", "eur": "EUR", "£": "GBP", "gbp": "GBP", "¥": "JPY",
    "rmb": "CNY", "cny": "CNY", "yuan": "CNY", "rs.": "INR", "rs": "INR", "inr": "INR", "₹": "INR",
    "pkr": "PKR", "jpy": "JPY",
}  # fmt: skip
CURRENCY_SUFFIXES = {"dollars": "USD", "dollar": "USD", "usd": "USD", "euros": "EUR", "euro": "EUR", "eur": "EUR",
                     "pounds": "GBP", "gbp": "GBP", "rupees": "INR", "inr": "INR", "pkr": "PKR", "yuan": "CNY",
                     "cny": "CNY", "yen": "JPY"}  # fmt: skip
# Common units, read here as quantulum3 reads them (a test checks each against it), so that
# the usual quantities in news do not wait seconds for quantulum3 to load; any other unit
# goes to quantulum3.
UNITS = {
    "km": "km", "kilometre": "km", "kilometres": "km", "kilometer": "km", "kilometers": "km",
    "metre": "m", "metres": "m", "meter": "m", "meters": "m", "cm": "cm", "mm": "mm",
    "kg": "kg", "kilogram": "kg", "kilograms": "kg", "gram": "g", "grams": "g",
    "tonne": "t", "tonnes": "t", "mile": "mi", "miles": "mi", "mi": "mi",
    "megawatt": "MW", "megawatts": "MW", "gigawatt": "GW", "gigawatts": "GW",
    "barrel": "bbl", "barrels": "bbl", "litre": "l", "litres": "l", "liter": "l", "liters": "l",
    "acre": "ac", "acres": "ac", "feet": "ft", "ft": "ft",
}  # fmt: skip
# English ordinal words text2num leaves alone because they are also ordinary words.
ORDINAL_WORDS = {"first": 1, "second": 2, "third": 3}

_HEDGE = re.compile(
    r"^(?:"
    + "|".join(re.escape(h) + (r"\b" if h[-1].isalpha() else "") for h in sorted(HEDGES, key=len, reverse=True))
    + r")\s*",
    re.IGNORECASE,
)


def hedge_before(text: str, start: int) -> tuple[bool, str | None]:
    """(approximate, bound) set by a hedge word right before ``text[start]``, as a whole word
    ("Africa." does not end in "ca."); (False, None) without one."""
    before = " ".join(text[max(0, start - 25) : start].lower().split())
    for hedge in sorted(HEDGES, key=len, reverse=True):
        if before.endswith(hedge) and (len(before) == len(hedge) or not before[-len(hedge) - 1].isalnum()):
            return HEDGE_MEANINGS[hedge]
    return False, None


_SIGN = re.compile(r"^(?:-|\u2212|minus\b|negative\b)\s*", re.IGNORECASE)
_ORDINAL = re.compile(r"^(\d+)(?:st|nd|rd|th)$", re.IGNORECASE)
_PERCENT = re.compile(r"^(\d+(?:\.\d+)?)\s*(?:%|per\s?cent|percent)$", re.IGNORECASE)
# A number is digits with optional thousands groups ("1,200") and decimals; "23,5" is not one.
_NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_AMOUNT = re.compile(
    rf"^(?P<prefix>[^\d\s-]*?)\s*(?P<number>{_NUMBER})\s*(?P<words>(?:[a-z]+\.?\s*){{0,3}})$",
    re.IGNORECASE,
)
_EDGES = " \t\"'“”‘’()[]{}.,;:!?"


@dataclass(frozen=True)
class ParsedNumber:
    """A number read from a string."""

    value: float
    unit: str | None
    kind: str
    approximate: bool
    bound: str | None = None  # "lower", "upper" or None


@cache
def quantulum_parser() -> Any:
    # quantulum3 turns to its scikit-learn classifier (the [classifier] extra) whenever
    # scikit-learn is importable, and that classifier's pickle does not load with current
    # scikit-learn; the rule-based disambiguation is what is wanted here.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from quantulum3 import classifier, parser

    classifier.USE_CLF = False
    return parser


def _words_to_digits(text: str) -> str:
    from text_to_num import alpha2digit

    # threshold 0: small numbers too ("two" is 2), which would otherwise fall to quantulum3,
    # whose loading (inflect, scikit-learn) takes seconds.
    return str(alpha2digit(text, "en", threshold=0))


def parse_number(text: str) -> ParsedNumber | None:
    """The value, unit, kind and hedging of a number written as a string; None if there is none.

    >>> parse_number("US$64bn")
    ParsedNumber(value=64000000000.0, unit='USD', kind='money', approximate=False, bound=None)
    >>> parse_number("around $23 billion").approximate, parse_number("over $23 billion").bound
    (True, 'lower')
    >>> parse_number("seventh"), parse_number("75th").value
    (ParsedNumber(value=7.0, unit=None, kind='ordinal', approximate=False, bound=None), 75.0)
    >>> parse_number("Rs 1,200 crore").value, parse_number("nearly 12%")
    (12000000000.0, ParsedNumber(value=12.0, unit=None, kind='percent', approximate=True, bound='upper'))
    >>> parse_number("N/A")
    """
    body = " ".join(text.split())
    approximate, bound = False, None
    for hedge, (hedged, bounded) in TRAILING_HEDGES.items():
        if body.lower().endswith(hedge):
            body, approximate, bound = body[: -len(hedge)], hedged, bounded
    body = body.strip(_EDGES) if not body.rstrip().endswith("%") else body.strip(_EDGES.replace(".", ""))
    if hedge_match := _HEDGE.match(body):
        hedged, bounded = HEDGE_MEANINGS[" ".join(hedge_match.group(0).lower().split())]
        body, approximate, bound = body[hedge_match.end() :], approximate or hedged, bound or bounded
    sign = 1.0
    if sign_match := _SIGN.match(body):
        body, sign = body[sign_match.end() :], -1.0
    if body.lower().startswith("the "):
        body = body[4:]
    if body.lower().startswith("at ") and (after := _HEDGE.match(body[3:])):  # "at around $23 billion"
        hedged, bounded = HEDGE_MEANINGS[" ".join(after.group(0).lower().split())]
        body, approximate, bound = body[3 + after.end() :], approximate or hedged, bound or bounded
    body = body.strip(_EDGES) if not body.endswith("%") else body
    if not body:
        return None
    parsed = _parse_body(body)
    if parsed is None or not math.isfinite(parsed.value):
        return None
    return ParsedNumber(sign * parsed.value, parsed.unit, parsed.kind, approximate, bound)


def _parse_body(body: str) -> ParsedNumber | None:
    if body.lower() in ORDINAL_WORDS:
        return ParsedNumber(float(ORDINAL_WORDS[body.lower()]), None, "ordinal", False)
    if not any(char.isdigit() for char in body):
        body = _words_to_digits(body)
    if found := _ORDINAL.match(body):
        return ParsedNumber(float(found.group(1)), None, "ordinal", False)
    if found := _PERCENT.match(body):
        return ParsedNumber(float(found.group(1)), None, "percent", False)
    if found := _AMOUNT.match(body):
        prefix = found.group("prefix").lower()
        words = [w.rstrip(".") for w in found.group("words").lower().split()]
        currency = CURRENCY_PREFIXES.get(prefix) if prefix else None
        if prefix and currency is None:
            return _parse_with_quantulum(body)
        scale = 1.0
        unit = None
        for position, word in enumerate(words):
            singular = word[:-1] if word.endswith("s") and word[:-1] in SCALES else word
            if singular in SCALES:
                scale *= SCALES[singular]
            elif position == len(words) - 1 and word in CURRENCY_SUFFIXES and currency is None:
                currency = CURRENCY_SUFFIXES[word]
            elif position == len(words) - 1 and word in UNITS and currency is None:
                unit = UNITS[word]
            else:
                return _parse_with_quantulum(body)
        value = float(found.group("number").replace(",", "")) * scale
        if unit is not None:
            return ParsedNumber(value, unit, "quantity", False)
        return ParsedNumber(value, currency, "money" if currency else "cardinal", False)
    return _parse_with_quantulum(body)


def _parse_with_quantulum(body: str) -> ParsedNumber | None:
    """A physical quantity ("1,000 tonnes", "5 km"), when quantulum3 reads the whole string as one."""
    quantities = quantulum_parser().parse(body)
    if len(quantities) != 1:
        return None
    quantity = quantities[0]
    unit = quantity.unit
    if quantity.surface.strip(_EDGES) != body or (" " in unit.name and not unit.currency_code):
        return None  # part of the string left unread, or a compound unit: not trusted
    if unit.currency_code:
        return ParsedNumber(float(quantity.value), unit.currency_code, "money", False)
    if unit.name == "percentage":
        return ParsedNumber(float(quantity.value), None, "percent", False)
    if unit.name == "dimensionless":
        return ParsedNumber(float(quantity.value), None, "cardinal", False)
    if unit.name == "dozen":  # a counting unit: "a dozen" is 12 things
        return ParsedNumber(12.0 * float(quantity.value), None, "cardinal", False)
    symbol = unit.symbols[0] if getattr(unit, "symbols", None) else unit.name
    return ParsedNumber(float(quantity.value), symbol, "quantity", False)
