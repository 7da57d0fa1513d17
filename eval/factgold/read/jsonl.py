"""Reading JSON Lines strictly: every line a JSON value, with its line number kept.

Python's json module accepts NaN, Infinity, numbers that overflow to infinity and
duplicate keys; none of these is valid JSON (RFC 8259), and each would make a score
silently wrong, so they are reported as problems here.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from factgold.errors import Problem

UTF8_BOM = b"\xef\xbb\xbf"
# A line longer than this is refused before it is parsed (parsing it could exhaust memory);
# `factgold eval --max-line-mb` changes it.
DEFAULT_MAX_LINE = 64 * 2**20


@dataclass(frozen=True)
class JsonLine:
    """A JSON value read from one line of a file."""

    line: int
    value: Any


class _RejectedValue(ValueError):
    pass


def _reject_constant(name: str) -> Any:
    raise _RejectedValue(f"{name} is not valid JSON")


def _parse_float(literal: str) -> float:
    value = float(literal)
    if value in (float("inf"), float("-inf")):
        raise _RejectedValue(f"number {literal} is too large for a double")
    return value


def _parse_int(literal: str) -> int:
    # Python reads integers of any length (and refuses past 4,300 digits with a ValueError);
    # no offset or count needs more than a double can hold.
    if len(literal.lstrip("-")) > 308:
        raise _RejectedValue(f"number {literal[:12]}... is too large for a double")
    return int(literal)


def _check_strings(value: Any) -> None:
    """Reject lone surrogates ("\\ud800"): valid JSON escapes, but not Unicode text."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError as error:
                raise _RejectedValue(
                    f"string has a lone surrogate \\u{ord(item[error.start]):04x}, not Unicode text"
                ) from None
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _RejectedValue(f"duplicate key {key!r}")
        result[key] = value
    return result


def parse_json(source: str) -> Any:
    """Parse one JSON text strictly (no NaN, no Infinity, no duplicate keys).

    >>> parse_json('{"a": 1}')
    {'a': 1}
    >>> parse_json('NaN')
    Traceback (most recent call last):
    ...
    factgold.read.jsonl._RejectedValue: NaN is not valid JSON
    """
    fast = _native_parse(source)
    if fast is not _NOT_SHOWN:
        return fast
    try:
        if source.startswith("\ufeff"):  # refused by json.loads, with its message
            json.loads(source)
        value = _STRICT.decode(source)
    except RecursionError:
        raise _RejectedValue("nested too deeply") from None
    # A lone surrogate can only come from a \\uD800-\\uDFFF escape (the text itself was
    # decoded strictly), so only a text that has one is walked.
    if _SURROGATE_ESCAPE.search(source):
        _check_strings(value)
    return value


_NOT_SHOWN = object()
# orjson refuses to write a value nested this deep or deeper (its recursion limit; a test
# holds it to that), well below the nesting where the strict parse gives up (Python's
# recursion limit) and orjson still reads: a value nested so deep goes to the strict parse.
ORJSON_WRITE_DEPTH = 255
# How a float of 2**63 or more in size is written back: an exponent of 18 or more, with or
# without its sign (orjson's releases differ): "e+", "e1", "e2" or "e3", found in one scan.
_LARGE_EXPONENT = re.compile(rb"e[+123]")


def _native_parse(source: str) -> Any:
    """The strict parse at native speed, or `_NOT_SHOWN` when it cannot be shown equal.

    orjson refuses everything the strict parse refuses (NaN, the infinities, lone
    surrogates, bad syntax) but keeps the last of duplicate keys and reads an integer past
    64 bits as a float. A duplicate is found by counting colons: outside strings each one
    separates a key from its value, inside them the strings' own colons are the same before
    and after (unless written as an escape, ``\\u003a``, sent to the strict parse), and
    writing the value back out drops a duplicate's colon. Such a float is written back with
    an exponent of 18 or more (it is at least 2**63 in size), so a value whose writing has
    one anywhere (`_LARGE_EXPONENT`; in a string too, to be safe) is sent to the strict
    parse as well. Whatever orjson refuses or this cannot show goes to the strict parse,
    which says what is wrong. Property-tested against the strict parse
    (tests/test_speed_fast_paths.py).
    """
    if "\\u003" in source:
        return _NOT_SHOWN
    try:
        value = orjson.loads(source)
    except orjson.JSONDecodeError:
        return _NOT_SHOWN
    try:
        written = orjson.dumps(value)
    except orjson.JSONEncodeError:  # nested `ORJSON_WRITE_DEPTH` deep or more
        return _NOT_SHOWN
    if written.count(b":") != source.count(":") or _LARGE_EXPONENT.search(written):
        return _NOT_SHOWN
    return value


_SURROGATE_ESCAPE = re.compile(r"\\[uU][dD][89a-fA-F]")


def _unique_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """`_unique_keys` by one dict build: only an object with a repeated key is walked again."""
    result = dict(pairs)
    return result if len(result) == len(pairs) else _unique_keys(pairs)


# One decoder built once (`json.loads` with hooks builds one per call).
_STRICT = json.JSONDecoder(
    parse_constant=_reject_constant, parse_float=_parse_float, parse_int=_parse_int, object_pairs_hook=_unique_pairs
)


_DECODER = _STRICT


def _line_of(content: str, position: int) -> int:
    return content.count("\n", 0, position) + 1


def decode_utf8(raw: bytes, display_name: str) -> tuple[str | None, list[Problem]]:
    """The text of a file's bytes, or the problem that prevents reading it as UTF-8 JSON."""
    if raw.startswith(UTF8_BOM):
        return None, [
            Problem(display_name, 1, "$", "file starts with a UTF-8 byte-order mark; save it as UTF-8 without BOM")
        ]
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        return None, [Problem(display_name, line, "$", f"byte 0x{raw[error.start]:02x} is not valid UTF-8")]


def _decode_at(content: str, position: int, display_name: str) -> tuple[JsonLine, int] | Problem:
    """The JSON value that starts at ``position`` and where it ends, or what is wrong with it."""
    try:
        try:
            value, end = _DECODER.raw_decode(content, position)
        except RecursionError:
            raise _RejectedValue("nested too deeply") from None
        _check_strings(value)
    except _RejectedValue as error:
        return Problem(display_name, _line_of(content, position), "$", f"invalid JSON: {error}")
    except json.JSONDecodeError as error:
        return Problem(display_name, error.lineno, "$", f"invalid JSON: {error.msg} (column {error.colno})")
    return JsonLine(_line_of(content, position), value), end


def _json_array(content: str, display_name: str) -> tuple[list[JsonLine], list[Problem]]:
    """The elements of a top-level JSON array, each with the line it starts on."""
    values: list[JsonLine] = []
    position = content.index("[") + 1
    while True:
        while position < len(content) and content[position].isspace():
            position += 1
        if position < len(content) and content[position] == "]" and not values:
            return [], [
                Problem(display_name, _line_of(content, position), "$", "the JSON array is empty: no documents")
            ]
        decoded = _decode_at(content, position, display_name)
        if isinstance(decoded, Problem):
            return values, [decoded]
        values.append(decoded[0])
        position = decoded[1]
        while position < len(content) and content[position].isspace():
            position += 1
        if position < len(content) and content[position] == ",":
            position += 1
            continue
        if position < len(content) and content[position] == "]":
            position += 1
            break
        line = _line_of(content, position)
        return values, [Problem(display_name, line, "$", "invalid JSON: expected ',' or ']' after an array element")]
    if content[position:].strip():
        return values, [
            Problem(display_name, _line_of(content, position), "$", "invalid JSON: extra data after the array")
        ]
    return values, []


def first_line_is_a_value(content: str) -> bool:
    """Whether the first non-blank line is a whole JSON value (JSON Lines), not the start of a
    pretty-printed one (an LLM's answer saved as it came, a tool's indented output)."""
    for line in content.split("\n"):
        if line.strip():
            try:
                parse_json(line)
            except json.JSONDecodeError as error:
                # Cut short at the end of the line: a value that goes on below. An error inside
                # the line ("Extra data", a bad token) is a JSON Lines line that is wrong.
                return error.pos < len(line.rstrip())
            except (ValueError, RecursionError):
                return True
            return True
    return True


def _json_values(content: str, display_name: str) -> tuple[list[JsonLine], list[Problem]]:
    """Whole JSON values one after another, each over as many lines as it takes."""
    values: list[JsonLine] = []
    position = 0
    while True:
        while position < len(content) and content[position].isspace():
            position += 1
        if position == len(content):
            return values, []
        decoded = _decode_at(content, position, display_name)
        if isinstance(decoded, Problem):
            return values, [decoded]
        values.append(decoded[0])
        position = decoded[1]


def _json_lines(content: str, display_name: str, max_line: int) -> tuple[list[JsonLine], list[Problem]]:
    values: list[JsonLine] = []
    problems: list[Problem] = []
    for number, source in enumerate(content.split("\n"), start=1):
        if len(source) > max_line:
            message = f"line of {len(source):,} characters is over the limit of {max_line:,} (--max-line-mb)"
            problems.append(Problem(display_name, number, "$", message))
            continue
        if not source.strip():
            continue
        try:
            values.append(JsonLine(number, parse_json(source)))
        except _RejectedValue as error:
            problems.append(Problem(display_name, number, "$", f"invalid JSON: {error}"))
        except json.JSONDecodeError as error:
            problems.append(Problem(display_name, number, "$", f"invalid JSON: {error.msg} (column {error.colno})"))
    return values, problems


def read_json_records(
    raw: bytes, display_name: str, *, allow_array: bool = False, max_line: int = DEFAULT_MAX_LINE
) -> tuple[list[JsonLine], list[Problem]]:
    """JSON values of a JSON Lines text (or, if allowed, of a top-level JSON array, or of JSON
    values spread over several lines each, as pretty-printed JSON is).

    Blank lines carry nothing and are skipped. Lines are split on ``\\n`` only: a JSON
    string may hold U+2028 or U+0085, which ``str.splitlines`` would wrongly split on.
    """
    content, problems = decode_utf8(raw, display_name)
    if content is None:
        return [], problems
    if allow_array and content.lstrip().startswith("["):
        values, problems = _json_array(content, display_name)
    elif allow_array and content.lstrip().startswith("{") and not first_line_is_a_value(content):
        values, problems = _json_values(content, display_name)
        if problems and not values:  # not pretty-printed JSON either: report every line's problem
            values, problems = _json_lines(content, display_name, max_line)
    else:
        values, problems = _json_lines(content, display_name, max_line)
    if not values and not problems:
        problems.append(Problem(display_name, 1, "$", "empty file: no JSON documents"))
    return values, problems


def read_json_lines(
    path: Path, display_name: str, *, allow_array: bool = False, max_line: int = DEFAULT_MAX_LINE
) -> tuple[list[JsonLine], list[Problem]]:
    """Read a JSON Lines file (``-`` is standard input); its values and the problems of the lines that failed."""
    if str(path) == "-":
        import sys

        return read_json_records(sys.stdin.buffer.read(), display_name, allow_array=allow_array, max_line=max_line)
    try:
        raw = path.read_bytes()
    except OSError as error:
        return [], [Problem(display_name, 1, "$", f"cannot read the file: {error.strerror}")]
    return read_json_records(raw, display_name, allow_array=allow_array, max_line=max_line)


def repeated_document_ids(records: list[JsonLine], display_name: str) -> list[Problem]:
    """A problem for each document id that appears on more than one line."""
    first_line: dict[str, int] = {}
    problems = []
    for record in records:
        doc_id = record.value.get("id") if isinstance(record.value, dict) else None
        if not isinstance(doc_id, str):
            continue
        if doc_id in first_line:
            message = f"document {doc_id!r} appears twice (first on line {first_line[doc_id]})"
            problems.append(Problem(display_name, record.line, "$.id", message))
        first_line.setdefault(doc_id, record.line)
    return problems
