"""Numbers written as strings ("US$64bn", "around $23 billion", "seventh", "Rs 1,200 crore").

Well-kept libraries do the reading: text2num turns number words and ordinal words into
digits ("seventh" -> "7th"; quantulum3 would read it as 1/7), quantulum3 reads cardinals,
scale words, percentages and currencies. The gaps neither covers are small code here, each
tested: the abbreviations bn, mn, tn and k; the South Asian scales crore and lakh; a
currency written before the number ("Rs", "US$"); hedge words that make a value
approximate. Both libraries are imported only when a string value is parsed.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from functools import cache
from typing import Any

HEDGES = (
    "around", "about", "approximately", "approx.", "nearly", "almost", "roughly", "some", "circa", "ca.",
    "over", "more than", "less than", "under", "up to", "at least", "at most", "close to", "~",
)  # fmt: skip
SCALES = {"k": 1e3, "thousand": 1e3, "mn": 1e6, "m": 1e6, "million": 1e6, "bn": 1e9, "b": 1e9, "billion": 1e9,
          "tn": 1e12, "trillion": 1e12, "lakh": 1e5, "lakhs": 1e5, "lac": 1e5, "crore": 1e7, "crores": 1e7}  # fmt: skip
CURRENCY_PREFIXES = {
    "us$": "USD", "usd": "USD", "$": "USD", "€": "EUR", "eur": "EUR", "£": "GBP", "gbp": "GBP", "¥": "JPY",
    "rmb": "CNY", "cny": "CNY", "yuan": "CNY", "rs.": "INR", "rs": "INR", "inr": "INR", "₹": "INR",
    "pkr": "PKR", "jpy": "JPY",
}  # fmt: skip
CURRENCY_SUFFIXES = {"dollars": "USD", "dollar": "USD", "usd": "USD", "euros": "EUR", "euro": "EUR", "eur": "EUR",
                     "pounds": "GBP", "gbp": "GBP", "rupees": "INR", "inr": "INR", "pkr": "PKR", "yuan": "CNY",
                     "cny": "CNY", "yen": "JPY"}  # fmt: skip

_HEDGE = re.compile(
    r"^(?:" + "|".join(re.escape(h) for h in sorted(HEDGES, key=len, reverse=True)) + r")\s*", re.IGNORECASE
)
_ORDINAL = re.compile(r"^(\d+)(?:st|nd|rd|th)$", re.IGNORECASE)
_PERCENT = re.compile(r"^(-?\d+(?:\.\d+)?)\s*(?:%|per\s?cent|percent)$", re.IGNORECASE)
_AMOUNT = re.compile(
    r"^(?P<prefix>[^\d\s.-]*?)\s*(?P<number>-?\d[\d,]*(?:\.\d+)?)\s*(?P<scale>[a-z]+\.?)?\s*(?P<suffix>[a-z]+)?$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ParsedNumber:
    """A number read from a string."""

    value: float
    unit: str | None
    kind: str
    approximate: bool


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

    return str(alpha2digit(text, "en"))


def parse_number(text: str) -> ParsedNumber | None:
    """The value, unit, kind and hedging of a number written as a string; None if there is none.

    >>> parse_number("US$64bn")
    ParsedNumber(value=64000000000.0, unit='USD', kind='money', approximate=False)
    >>> parse_number("around $23 billion")
    ParsedNumber(value=23000000000.0, unit='USD', kind='money', approximate=True)
    >>> parse_number("seventh"), parse_number("75th").value
    (ParsedNumber(value=7.0, unit=None, kind='ordinal', approximate=False), 75.0)
    >>> parse_number("Rs 1,200 crore")
    ParsedNumber(value=12000000000.0, unit='INR', kind='money', approximate=False)
    >>> parse_number("12%"), parse_number("N/A")
    (ParsedNumber(value=12.0, unit=None, kind='percent', approximate=False), None)
    """
    body = " ".join(text.split())
    hedge = _HEDGE.match(body)
    approximate = hedge is not None
    if hedge:
        body = body[hedge.end() :]
    if not body:
        return None
    if not any(char.isdigit() for char in body):
        body = _words_to_digits(body)
    if found := _ORDINAL.match(body):
        return ParsedNumber(float(found.group(1)), None, "ordinal", approximate)
    if found := _PERCENT.match(body):
        return ParsedNumber(float(found.group(1)), None, "percent", approximate)
    if found := _AMOUNT.match(body):
        prefix = found.group("prefix").lower()
        scale_word = (found.group("scale") or "").lower().rstrip(".")
        suffix = (found.group("suffix") or "").lower()
        if scale_word in CURRENCY_SUFFIXES and not suffix:
            scale_word, suffix = "", scale_word
        scale = SCALES.get(scale_word)
        currency = CURRENCY_PREFIXES.get(prefix) or CURRENCY_SUFFIXES.get(suffix)
        known = (not prefix or prefix in CURRENCY_PREFIXES) and (not scale_word or scale is not None)
        if known and (not suffix or suffix in CURRENCY_SUFFIXES):
            value = float(found.group("number").replace(",", "")) * (scale or 1.0)
            return ParsedNumber(value, currency, "money" if currency else "cardinal", approximate)
    return _parse_with_quantulum(body, approximate)


def _parse_with_quantulum(body: str, approximate: bool) -> ParsedNumber | None:
    quantities = quantulum_parser().parse(body)
    if len(quantities) != 1:
        return None
    quantity = quantities[0]
    unit = quantity.unit
    if unit.currency_code:
        return ParsedNumber(float(quantity.value), unit.currency_code, "money", approximate)
    if unit.name == "percentage":
        return ParsedNumber(float(quantity.value), None, "percent", approximate)
    if unit.name == "dimensionless":
        return ParsedNumber(float(quantity.value), None, "cardinal", approximate)
    symbol = unit.symbols[0] if getattr(unit, "symbols", None) else unit.name
    return ParsedNumber(float(quantity.value), symbol, "quantity", approximate)
