"""Bounds every document is held to, wherever it is validated, before any schema.

NaN passes every comparison Cerberus makes, a 5,000-digit number has no useful repr and a
key such as ``1.5:`` cannot even be sorted among Cerberus's errors: so numbers, dates,
string lengths and keys are checked here first, for deal specs, model terms and library
files alike.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from toolkit.exceptions import Problem

__all__ = [
    "MAX_INTEGER",
    "MAX_STRING",
    "MAX_YEAR",
    "MIN_YEAR",
    "join_path",
    "kind_of",
    "non_text_keys",
    "out_of_bounds",
    "plainly_in_bounds",
]

# Any string at all, wherever it is (clause wording included).
MAX_STRING = 200_000
# Whole numbers beyond this are no money, rate, count or term in any deal.
MAX_INTEGER = 10**15
# Dates in a deal or library file fall within these years.
MIN_YEAR, MAX_YEAR = 1900, 2200


def out_of_bounds(value: Any, path: str = "", depth: int = 0) -> list[Problem]:
    """Return a problem for every number that is not finite or absurdly large, every date
    outside the years 1900 to 2200 and every overlong string, anywhere in ``value``.

    NaN passes every comparison Cerberus makes (``min``, ``max``), so it is refused here,
    before any schema, wherever a document is validated: deal specs, model terms and
    library files alike.
    """
    if depth > 64:
        return []
    if isinstance(value, bool):
        return []
    if isinstance(value, float) and not math.isfinite(value):
        word = "not a number (NaN)" if math.isnan(value) else "infinite"
        return [Problem(path or "(top level)", f"is {word}", hint="Give a finite number.")]
    if isinstance(value, int) and abs(value) > MAX_INTEGER:
        return [Problem(path or "(top level)", f"is too large (more than {MAX_INTEGER:,})")]
    if isinstance(value, dt.date) and not MIN_YEAR <= value.year <= MAX_YEAR:
        return [
            Problem(
                path or "(top level)",
                f"{value.isoformat()} is outside the years {MIN_YEAR} to {MAX_YEAR}",
                hint="Check the date (YYYY-MM-DD).",
            )
        ]
    if isinstance(value, str) and len(value) > MAX_STRING:
        return [Problem(path or "(top level)", f"is longer than {MAX_STRING:,} characters")]
    problems: list[Problem] = []
    if isinstance(value, dict):
        for key, item in value.items():
            problems += out_of_bounds(item, join_path(path, (str(key),)), depth + 1)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            problems += out_of_bounds(item, join_path(path, (index,)), depth + 1)
    return problems


_MAX_DEPTH = 64


def plainly_in_bounds(value: Any) -> bool:
    """Whether neither ``non_text_keys`` nor ``out_of_bounds`` could find anything in ``value``.

    One iterative pass that names no paths: most documents are clean, and a rendered
    clause validates the same large context once per clause, so the walks that name
    every path run only when this finds something (or a nesting too deep to judge).
    """
    stack = [(value, 0)]
    pop, push = stack.pop, stack.append
    while stack:
        item, depth = pop()
        kind = type(item)
        if kind is str:
            if len(item) > MAX_STRING:
                return False
        elif kind is dict:
            if depth >= _MAX_DEPTH:
                return False
            for key, child in item.items():
                if type(key) is not str:
                    return False
                push((child, depth + 1))
        elif kind is list:
            if depth >= _MAX_DEPTH:
                return False
            for child in item:
                push((child, depth + 1))
        elif kind is bool or item is None:
            continue
        elif kind is int:
            if abs(item) > MAX_INTEGER:
                return False
        elif kind is float:
            if not math.isfinite(item):
                return False
        elif kind is dt.date or kind is dt.datetime:
            if not MIN_YEAR <= item.year <= MAX_YEAR:
                return False
        elif isinstance(item, (str, int, float, dt.date, dict, list)):
            return False  # a subclass of a kind the walks read: let them judge it
        # Anything else (an open item, a tuple) is a value the walks do not look into.
    return True


def non_text_keys(value: Any, path: str = "", depth: int = 0) -> list[Problem]:
    """Return a problem for every mapping key, anywhere in ``value``, that is not text."""
    if depth > 64:
        return []
    problems: list[Problem] = []
    if isinstance(value, dict):
        for key, item in value.items():
            where = join_path(path, ("(empty key)" if key is None else str(key),))
            if not isinstance(key, str):
                problems.append(
                    Problem(
                        where,
                        f"is a key that is not a name ({kind_of(key)})",
                        hint="Write each key as a name, such as 'agreement:'.",
                    )
                )
            problems += non_text_keys(item, where, depth + 1)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            problems += non_text_keys(item, join_path(path, (index,)), depth + 1)
    return problems


def join_path(prefix: str, parts: tuple) -> str:
    """Return a field path such as ``benefits[0].target``."""
    text = prefix
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def kind_of(value: Any) -> str:
    """Return what kind of value ``value`` is, in a reader's words ("a mapping", "text")."""
    names = {
        dict: "a mapping",
        list: "a list",
        str: "text",
        bool: "true/false",
        type(None): "empty",
    }
    for cls, name in names.items():
        if isinstance(value, cls):
            return name
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, dt.date):
        return "a date"
    return type(value).__name__
