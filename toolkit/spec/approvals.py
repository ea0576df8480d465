"""Additional (non-standard) terms and their approvals (principle 2: fair terms).

The screen refuses known prohibited wording; the approval makes a named person
answerable for the rest. So in a final contract every additional term names who
approved it, their role, the date and a reference; in a draft a missing approval is
left open.
"""

from __future__ import annotations

from typing import Any

from toolkit.exceptions import Problem

__all__ = ["APPROVAL_FIELDS", "approval_checks", "approvals", "term_approval", "term_text"]

APPROVAL_FIELDS = ("name", "role", "date", "reference")


def term_text(term: Any) -> str:
    """Return the wording of an additional term (a string, or ``{text, approval}``)."""
    return term.get("text", "") if isinstance(term, dict) else str(term)


def term_approval(term: Any) -> dict | None:
    """Return the approval recorded for an additional term, if any."""
    approval = term.get("approval") if isinstance(term, dict) else None
    return approval if isinstance(approval, dict) else None


def approvals(spec: dict) -> list[dict | None]:
    """Return each additional term's approval (None where there is none), in order."""
    terms = (spec.get("clauses") or {}).get("additional_terms") or []
    return [term_approval(term) for term in terms]


def approval_checks(spec: dict, draft: bool) -> list[Problem]:
    """Refuse, in a final contract, an additional term without a complete approval."""
    if draft:
        return []
    problems: list[Problem] = []
    for index, approval in enumerate(approvals(spec)):
        missing = [key for key in APPROVAL_FIELDS if not (approval or {}).get(key)]
        if missing:
            problems.append(
                Problem(
                    f"clauses.additional_terms[{index}].approval",
                    f"non-standard term {index + 1} has no approval ({', '.join(missing)} missing)",
                    2,
                    "Write the term as {text: ..., approval: {name, role, date, reference}}: "
                    "who approved it, their role, the date and a reference (for example a "
                    "board minute); or assemble with --draft while it is approved.",
                )
            )
    return problems
