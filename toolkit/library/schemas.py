"""Cerberus schemas for clause and model files, field builders, and readable errors."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from typing import Any

from toolkit.exceptions import Problem
from toolkit.library.bounds import (  # noqa: F401 - part of this module's interface
    MAX_INTEGER,
    MAX_STRING,
    MAX_YEAR,
    MIN_YEAR,
    join_path,
    kind_of,
    non_text_keys,
    out_of_bounds,
    plainly_in_bounds,
)
from toolkit.library.rules import RULE_SCHEMA

ID_RE = r"^[a-z][a-z0-9_]*$"
SEMVER_RE = r"^\d+\.\d+\.\d+$"
# XML 1.0 cannot carry these, and they have no place in contract text.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ue000-\uf8ff]")


def _iso_date(value: Any) -> Any:
    """Accept a quoted ISO date as well as a YAML date."""
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


# The longest field a deal spec or library file needs (a purpose, a term) is a few
# thousand characters; the cap keeps a pasted book, or a 21 MB term, from being screened.
MAX_TEXT_FIELD = 10_000


def text_field(**extra: Any) -> dict:
    """Return the schema of a non-empty plain-text field of bounded length."""
    return {
        "type": "string",
        "empty": False,
        "check_with": "plain_text",
        "maxlength": MAX_TEXT_FIELD,
        **extra,
    }


def required_text(**extra: Any) -> dict:
    """Return the schema of a required plain-text field."""
    return text_field(required=True, **extra)


def date_field(**extra: Any) -> dict:
    """Return the schema of a date, accepting a quoted ISO date."""
    return {"type": "date", "coerce": _iso_date, **extra}


def id_list() -> dict:
    """Return the schema of a list of ids."""
    return {"type": "list", "schema": {"type": "string", "regex": ID_RE}}


POSITION_SCHEMA = {
    "id": {"type": "string", "regex": ID_RE, "required": True},
    "title": required_text(),
    "note": text_field(),
    # A position either replaces named sub-clauses (label -> new wording), or, in the
    # older style, gives the whole clause text again.
    "replaces": {
        "type": "dict",
        "required": True,
        "excludes": "text",
        "minlength": 1,
        "keysrules": {"type": "string", "regex": ID_RE},
        "valuesrules": {"type": "string", "empty": False},
    },
    "text": {"type": "string", "required": True, "empty": False, "excludes": "replaces"},
}

CLAUSE_SCHEMA = {
    "id": {"type": "string", "regex": ID_RE, "required": True},
    "kind": {"type": "string", "allowed": ["clause", "schedule"], "default": "clause"},
    "title": required_text(),
    "version": {"type": "string", "regex": SEMVER_RE, "required": True},
    "status": {"type": "string", "allowed": ["draft", "approved", "deprecated"], "required": True},
    "category": {"type": "string", "regex": ID_RE, "required": True},
    "order": {"type": "integer", "min": 0, "required": True},
    "principles": {
        "type": "list",
        "required": True,
        "schema": {"type": "integer", "allowed": [1, 2, 3, 4, 5]},
    },
    "basis": required_text(),
    "models": {
        "required": True,
        "anyof": [
            {"type": "string", "allowed": ["all"]},
            {"type": "list", "minlength": 1, "schema": {"type": "string", "regex": ID_RE}},
        ],
    },
    "ico": {"type": "list", "schema": {"type": "string"}},
    "variables": {"type": "dict", "default": {}},
    "defines": {
        "type": "dict",
        "default": {},
        "keysrules": {"type": "string", "regex": r"^[A-Z][A-Za-z0-9 '\-]*$"},
        "valuesrules": {"type": "string", "empty": False},
    },
    "requires": {**id_list(), "default": []},
    "text": {"type": "string", "required": True, "empty": False},
    "positions": {
        "type": "list",
        "default": [],
        "schema": {"type": "dict", "schema": POSITION_SCHEMA},
    },
}

MODEL_SCHEMA = {
    "id": {"type": "string", "regex": ID_RE, "required": True},
    "name": required_text(),
    "summary": required_text(),
    "when_to_use": required_text(),
    "cautions": {"type": "list", "required": True, "minlength": 1, "schema": text_field()},
    "combines_with": {**id_list(), "default": []},
    "clauses": {**id_list(), "required": True},
    "terms_schema": {"type": "dict", "required": True},
    "terms_example": {"type": "dict", "required": True},
    "terms_help": {"type": "dict", "default": {}, "valuesrules": {"type": "string"}},
    "schedule": {"type": "string", "required": True, "empty": False},
    # Cautions that are rules (toolkit.library.rules), and the ranges of the deal's
    # liability caps (spec version 2) that the model allows.
    "rules": {"type": "list", "default": [], "schema": {"type": "dict", "schema": RULE_SCHEMA}},
    "limits": {
        "type": "dict",
        "default": {},
        "keysrules": {
            "type": "string",
            "allowed": ["liability_cap_gbp", "data_protection_cap_gbp"],
        },
        "valuesrules": {
            "type": "dict",
            "schema": {
                "min": {"type": "number", "min": 0, "required": True},
                "max": {"type": "number", "min": 0, "required": True},
            },
        },
    },
}

LIBRARY_SCHEMA = {
    "name": required_text(),
    "version": {"type": "string", "regex": SEMVER_RE, "required": True},
    "lock": {
        "type": "dict",
        "default": {},
        "valuesrules": {
            "type": "dict",
            "schema": {
                "version": {"type": "string", "regex": SEMVER_RE, "required": True},
                "sha256": {"type": "string", "regex": r"^[0-9a-f]{64}$", "required": True},
            },
        },
    },
}

_VALIDATOR_CLASS = None
# Building a Cerberus validator normalises its schema, which is slow; validators are
# reusable, so keep one per schema (holding the schema keeps its id unique).
_VALIDATORS: dict[tuple[int, bool], tuple[dict, Any]] = {}


def make_validator(schema: dict, *, allow_unknown: bool = False):
    """Return a Cerberus validator for ``schema`` that also refuses control characters."""
    key = (id(schema), allow_unknown)
    cached = _VALIDATORS.get(key)
    if cached is not None and cached[0] is schema:
        return cached[1]
    validator = _new_validator(schema, allow_unknown)
    _VALIDATORS[key] = (schema, validator)
    return validator


def _new_validator(schema: dict, allow_unknown: bool):
    global _VALIDATOR_CLASS
    if _VALIDATOR_CLASS is None:
        import cerberus
        import cerberus.errors
        import cerberus.schema
        from cerberus import TypeDefinition

        # YAML's true and false are ints to Python; a term of `true` months is no term.
        types = dict(cerberus.Validator.types_mapping)
        types["integer"] = TypeDefinition("integer", (int,), (bool,))
        types["number"] = TypeDefinition("number", (int, float), (bool,))
        types["float"] = TypeDefinition("float", (float, int), (bool,))

        class _Errors(cerberus.errors.BaseErrorHandler):
            """Hands back Cerberus's own error objects (its public error-handler API), so
            that ``describe`` words every problem in the toolkit's terms."""

            def __call__(self, errors):
                return list(errors)

        class _Validator(cerberus.Validator):
            types_mapping = types

            def _check_with_plain_text(self, field, value):
                if isinstance(value, str) and _CONTROL_CHARS.search(value):
                    self._error(field, "contains a control or private-use character")
                elif isinstance(value, str) and not value.strip():
                    self._error(field, "is blank (only spaces)")

        class _TrustedSchema(cerberus.schema.DefinitionSchema):
            """A schema Cerberus need not check again (see below)."""

            def validate(self, schema=None):
                return None

            def copy(self):
                # Cerberus copies the schema to normalise each document, and its copy
                # expands the schema again (a fifth of validating a deal spec). This
                # one is expanded already: a plain copy of its rules serves.
                return dict(self.schema)

        _Validator.trusted_schema = _TrustedSchema
        _Validator.error_list = _Errors
        _VALIDATOR_CLASS = _Validator
    validator = _VALIDATOR_CLASS(
        allow_unknown=allow_unknown, error_handler=_VALIDATOR_CLASS.error_list
    )
    # Cerberus checks a schema each time a validator is made from it, which cost more
    # than validating the documents. The toolkit's own schemas are checked by the tests
    # (tests/test_cache.py), and a schema a library file embeds by check_schema when the
    # library is loaded, so neither is checked again here.
    validator.schema = _VALIDATOR_CLASS.trusted_schema(validator, schema)
    return validator


def with_date_coercion(schema: Any) -> Any:
    """Return a schema in which every `type: date` rule also accepts a quoted ISO date."""
    if isinstance(schema, dict):
        coerced = {key: with_date_coercion(value) for key, value in schema.items()}
        if coerced.get("type") == "date" and "coerce" not in coerced:
            coerced["coerce"] = _iso_date
        return coerced
    if isinstance(schema, list):
        return [with_date_coercion(item) for item in schema]
    return schema


def check_schema(schema: Any, path: str) -> list[Problem]:
    """Return problems with a Cerberus schema held in a library file."""
    import cerberus

    if not isinstance(schema, dict):
        return [Problem(path, "must be a mapping of field names to Cerberus rules")]
    try:
        cerberus.Validator(schema)
    except cerberus.SchemaError as exc:
        return [Problem(path, f"is not a valid Cerberus schema: {exc}")]
    return []


def validate(
    document: Any,
    schema: dict,
    *,
    prefix: str = "",
    allow_unknown: bool = False,
    normalize: bool = True,
) -> tuple[dict, list[Problem]]:
    """Validate ``document``; return the normalised document and readable problems.

    ``normalize`` False skips filling defaults and coercion, which is much faster
    when only the verdict matters.
    """
    if not isinstance(document, dict):
        where = prefix or "(top level)"
        return {}, [Problem(where, f"must be a mapping, not {kind_of(document)}")]
    bounds: list[Problem] = []
    if not plainly_in_bounds(document):
        keys = non_text_keys(document, prefix)
        if keys:  # Cerberus cannot even sort its errors about a key such as `? ` or `1.5:`
            return {}, keys
        bounds = out_of_bounds(document, prefix)
    validator = make_validator(schema, allow_unknown=allow_unknown)
    if validator.validate(document, normalize=normalize) and not bounds:
        return validator.document, []
    refused = {problem.path for problem in bounds}
    problems = bounds + [
        _describe(error, document, schema, prefix)
        for error in _leaf_errors(validator.errors or [])
        # A value already refused is not described again (a 5,000-digit number has no repr).
        if join_path(prefix, error.document_path) not in refused
    ]
    return {}, sorted(set(problems), key=lambda p: _path_sort_key(p.path))


def _path_sort_key(path: str) -> list:
    # (0, number) before (1, name), so that a key "0" sorts beside "agreement".
    return [
        (0, int(part), "") if part.isdigit() else (1, 0, part)
        for part in re.split(r"[.\[\]]+", path)
    ]


def _leaf_errors(errors):
    for error in errors:
        if error.is_group_error and error.rule != "anyof":
            yield from _leaf_errors(error.child_errors)
        else:
            yield error


def _siblings(schema: dict, path: tuple) -> list[str]:
    """Return the keys the schema allows beside the field at ``path``."""
    node: Any = {"schema": schema, "type": "dict"}
    for part in path[:-1]:
        if isinstance(part, int):
            node = node.get("schema", {})
        else:
            node = node.get("schema", {}).get(part, {})
    keys = node.get("schema", {})
    return sorted(keys) if isinstance(keys, dict) else []


_TYPE_NAMES = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "float": "a number",
    "boolean": "true or false",
    "dict": "a mapping",
    "list": "a list",
    "date": "a date (YYYY-MM-DD)",
}


def _describe(error, document: Any, schema: dict, prefix: str) -> Problem:
    import cerberus.errors as ce

    path = join_path(prefix, error.document_path)
    rule, constraint, value = error.rule, error.constraint, error.value
    if error.code == ce.UNKNOWN_FIELD.code:
        name = str(error.document_path[-1])
        options = _siblings(schema, error.document_path)
        close = difflib.get_close_matches(name, options, n=1, cutoff=0.6)
        hint = f"Did you mean '{close[0]}'?" if close else ""
        if options and not close:
            hint = "Allowed here: " + ", ".join(options) + "."
        return Problem(path, f"unknown key '{name}'", hint=hint)
    if rule == "required":
        return Problem(path, "is required but missing", hint="Add it.")
    if rule == "type":
        wanted = " or ".join(_TYPE_NAMES.get(t, t) for t in _as_list(constraint))
        return Problem(path, f"must be {wanted}, not {kind_of(value)} ({value!r})")
    if rule == "allowed":
        allowed = ", ".join(str(v) for v in _as_list(constraint))
        return Problem(path, f"{value!r} is not allowed", hint=f"Use one of: {allowed}.")
    if rule in ("empty", "nullable"):
        return Problem(
            path, "must not be empty", hint="Give a value, or leave an optional field out."
        )
    if rule == "min":
        return Problem(path, f"{value!r} is below the minimum of {constraint}")
    if rule == "max":
        return Problem(path, f"{value!r} is above the maximum of {constraint}")
    unit = "characters" if isinstance(value, str) else "item(s)"
    if rule == "minlength":
        return Problem(path, f"needs at least {constraint} {unit}")
    if rule == "maxlength":
        return Problem(path, f"allows at most {constraint} {unit}")
    if rule == "regex":
        return Problem(path, f"{value!r} is not in the expected form ({constraint})")
    if rule == "anyof":
        return Problem(path, f"{value!r} has the wrong form")
    if rule == "keysrules":
        return Problem(path, "has a key in the wrong form")
    message = (
        error.info[0] if rule in (None, "check_with") and error.info else f"fails rule '{rule}'"
    )
    return Problem(path, str(message))


def _as_list(value: Any) -> list:
    return list(value) if isinstance(value, (list, tuple)) else [value]
