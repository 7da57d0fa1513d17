"""Typed errors and the problem record every check reports.

A `Problem` names the file, the line and the JSON path of one defect; an `InputError`
carries all problems found in an input so that the user sees them together. The command
line turns these exceptions into messages in one place (`factgold.cli`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

MAX_MESSAGE = 300


@dataclass(frozen=True)
class Problem:
    """One defect of an input file, rendered as ``file:line: json.path: message``."""

    file: str
    line: int
    path: str
    message: str

    def __str__(self) -> str:
        message = self.message if len(self.message) <= MAX_MESSAGE else self.message[: MAX_MESSAGE - 1] + "…"
        return f"{self.file}:{self.line}: {self.path}: {message}"

    def sort_key(self) -> tuple[Any, ...]:
        """File, line, then the path in natural order (``[2]`` before ``[10]``)."""
        path = tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", self.path))
        return (self.file, self.line, path, self.message)


class FactgoldError(Exception):
    """Base class of every error factgold reports to a user."""


class UsageError(FactgoldError):
    """The command or function was called with arguments that do not fit."""


class InputError(FactgoldError):
    """An input file has one or more problems; nothing was computed from it."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        if not problems:
            raise ValueError("an InputError needs at least one problem")
        self.problems: tuple[Problem, ...] = tuple(sorted(problems, key=Problem.sort_key))
        super().__init__(str(self.problems[0]))

    def __str__(self) -> str:
        first = str(self.problems[0])
        more = len(self.problems) - 1
        return first if more == 0 else f"{first} (and {more} more problem{'s' * (more > 1)})"


class GoldFileError(InputError):
    """A gold file breaks the schema or the annotation rules."""


class PredictionsFileError(InputError):
    """A predictions file is malformed or does not fit the gold."""


def json_path(parts: Iterable[str | int]) -> str:
    """Render a sequence of keys and indices as a JSONPath.

    >>> json_path(["entities", 3, "mentions", 0, "end"])
    '$.entities[3].mentions[0].end'
    >>> json_path([])
    '$'
    """
    rendered = "$"
    for part in parts:
        rendered += f"[{part}]" if isinstance(part, int) else f".{part}"
    return rendered
