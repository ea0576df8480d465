"""Screening every free-text value of a deal spec for wording the principles forbid.

Any string can reach the contract: a title, a party's name or address, a signatory's
role, the purpose, a benefit's description or measure, a dataset's name, a model term,
an additional term or its approval. So the screen reads them all, in every version of
the spec and at any depth, and names each finding's field path, principle and words.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from toolkit.exceptions import Problem

__all__ = ["screen_spec", "strings"]

# Fields holding ids of clauses, positions and models: the library refuses any it does
# not hold, with a "did you mean", which says more than the screen could.
_LIBRARY_ID = re.compile(
    r"clauses\.positions\.\w+|clauses\.include\[\d+\]|partnership_model|"
    r"additional_models\[\d+\]\.model"
)
_ADDITIONAL_TERM = re.compile(r"clauses\.additional_terms\[\d+\](?:\.text)?")
# Deeper than any deal spec nests; the YAML reader refuses deeper files already.
_MAX_DEPTH = 64


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else str(key)


def strings(value: Any, path: str = "", depth: int = 0) -> Iterator[tuple[str, str]]:
    """Yield (field path, text) for every string value in ``value``, at any depth."""
    if depth > _MAX_DEPTH:
        return
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings(item, _join(path, str(key)), depth + 1)
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from strings(item, _join(path, index), depth + 1)


def screen_spec(spec: Any) -> list[Problem]:
    """Return a problem for each prohibited passage in any text of ``spec``.

    An additional term is an obligation and is read as one; every other field describes
    the deal, so a plain statement of fact ("the opt-out does not apply") is not an
    override there.
    """
    from toolkit.scan import scan_field, scan_term

    problems: list[Problem] = []
    for path, text in strings(spec):
        if _LIBRARY_ID.fullmatch(path):
            continue  # an id the library must know, checked against it (and refused there)
        if _ADDITIONAL_TERM.fullmatch(path):
            problems += scan_term(text, path)
        elif path.startswith("benefits["):
            # A benefit's own words are about the benefit, whether or not they say so.
            problems += scan_field(f"Benefit: {text}", path)
        else:
            problems += scan_field(text, path)
    return problems
