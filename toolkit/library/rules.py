"""Machine-readable cautions in partnership model files: a small vocabulary of term rules.

A model file may carry `rules`, each naming the principle it serves, an optional
condition (`when`) and a requirement (`require`), both in the same vocabulary:

- ``present: FIELD``: the term is given (not empty, not zero);
- ``equals: {FIELD: VALUE}``; ``at_least: {FIELD: NUMBER}``; ``at_most: {FIELD: NUMBER}``;
- ``combined_with: [MODEL, ...]``: the deal also uses one of these models.

FIELD is a dotted path into the model's terms. These rules can only add refusals:
the principle-level cautions are held in code (toolkit.spec.cautions) as well.
"""

from __future__ import annotations

from typing import Any

from toolkit.exceptions import Problem

_FIELD_MAP = {"type": "dict", "minlength": 1, "maxlength": 1}
CONDITION_SCHEMA = {
    "type": "dict",
    "minlength": 1,
    "maxlength": 1,
    "schema": {
        "present": {"type": "string", "regex": r"^[a-z][a-z0-9_.]*$"},
        "equals": dict(_FIELD_MAP),
        "at_least": {**_FIELD_MAP, "valuesrules": {"type": "number"}},
        "at_most": {**_FIELD_MAP, "valuesrules": {"type": "number"}},
        "combined_with": {
            "type": "list",
            "minlength": 1,
            "schema": {"type": "string", "regex": r"^[a-z][a-z0-9_]*$"},
        },
    },
}
RULE_SCHEMA = {
    "id": {"type": "string", "regex": r"^[a-z][a-z0-9_]*$", "required": True},
    "principle": {"type": "integer", "allowed": [1, 2, 3, 4, 5], "required": True},
    "message": {"type": "string", "required": True, "empty": False},
    "hint": {"type": "string", "empty": False},
    "when": CONDITION_SCHEMA,
    "require": {**CONDITION_SCHEMA, "required": True},
}


def condition_field(condition: dict) -> str | None:
    """Return the terms field a condition reads, or None for `combined_with`."""
    kind, argument = next(iter(condition.items()))
    if kind == "present":
        return argument
    if kind == "combined_with":
        return None
    return next(iter(argument))


def rule_problems(rules: list[dict], terms_schema: dict) -> list[Problem]:
    """Return problems with a model file's rules: fields its terms schema does not have."""
    problems = []
    for index, rule in enumerate(rules):
        for part in ("when", "require"):
            condition = rule.get(part)
            field = condition_field(condition) if condition else None
            if field and not _has_field(terms_schema, field):
                problems.append(
                    Problem(
                        f"rules[{index}].{part}",
                        f"names the term '{field}', which the model's terms_schema lacks",
                        hint="Name a field of terms_schema (dotted for nested fields).",
                    )
                )
    return problems


def _has_field(schema: dict, dotted: str) -> bool:
    node: Any = {"schema": schema}
    for part in dotted.split("."):
        children = node.get("schema") if isinstance(node, dict) else None
        if not isinstance(children, dict) or part not in children:
            return False
        node = children[part]
    return True


def _value(terms: dict, dotted: str) -> Any:
    value: Any = terms
    for part in dotted.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def holds(condition: dict, terms: dict, model_ids: list[str]) -> bool:
    """Whether a deal's terms (and its set of models) meet one condition."""
    kind, argument = next(iter(condition.items()))
    if kind == "present":
        return _value(terms, argument) not in (None, "", 0, [], {}, False)
    if kind == "combined_with":
        return bool(set(argument) & set(model_ids))
    field, wanted = next(iter(argument.items()))
    value = _value(terms, field)
    if kind == "equals":
        return value == wanted
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return False
    return value >= wanted if kind == "at_least" else value <= wanted


def broken(rule: dict, terms: dict, model_ids: list[str]) -> bool:
    """Whether a rule applies to the deal and its requirement is not met."""
    when = rule.get("when")
    if when and not holds(when, terms, model_ids):
        return False
    return not holds(rule["require"], terms, model_ids)
