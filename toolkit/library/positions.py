"""Fallback positions written as overrides: the labelled sub-clauses a position replaces."""

from __future__ import annotations

import re

from toolkit.exceptions import Problem

# One item of a clause's line markup: "  - [@label] text" (see toolkit.contract.markup).
_LABELLED = re.compile(r"^(?P<indent> *)- \[@(?P<label>[a-z][a-z0-9_]*)\] (?P<text>.*)$")


def clause_labels(text: str) -> set[str]:
    """Return the labels of the sub-clauses in a clause's text."""
    return {m.group("label") for line in text.splitlines() if (m := _LABELLED.match(line))}


def apply_overrides(text: str, replaces: dict[str, str], where: str) -> tuple[str, list[Problem]]:
    """Return the clause text with each named sub-clause replaced, and any problems.

    A replacement is the new wording of the sub-clause (it keeps the sub-clause's
    label, so cross-references to it still resolve). Further lines in a replacement
    are added as items after it, at the same indent. A label that appears in several
    branches of the text (``{% if %}``) is replaced in each of them.
    """
    problems = []
    known = clause_labels(text)
    for label in replaces:
        if label not in known:
            problems.append(
                Problem(
                    f"{where}.replaces.{label}",
                    f"the clause has no sub-clause labelled '{label}'",
                    hint="Name a labelled sub-clause ([@label]) of the clause: "
                    + (", ".join(sorted(known)) or "it has none; label the one to replace")
                    + ".",
                )
            )
    if problems:
        return text, problems
    lines = []
    for line in text.splitlines():
        match = _LABELLED.match(line)
        if not match or match.group("label") not in replaces:
            lines.append(line)
            continue
        indent = match.group("indent")
        first, *more = replaces[match.group("label")].strip().splitlines()
        lines.append(f"{indent}- [@{match.group('label')}] {first.strip()}")
        lines += [f"{indent}{extra.strip()}" for extra in more if extra.strip()]
    return "\n".join(lines) + ("\n" if text.endswith("\n") else ""), []
