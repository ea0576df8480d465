"""Fallback positions written as overrides: the labelled sub-clauses a position replaces."""

from __future__ import annotations

import re
import textwrap

from toolkit.exceptions import Problem

# One item of a clause's line markup: "  - [@label] text" (see toolkit.contract.markup).
_LABELLED = re.compile(r"^(?P<indent> *)- \[@(?P<label>[a-z][a-z0-9_]*)\] (?P<text>.*)$")
_BLOCK = re.compile(r"^\{%-?\s*(\w+)")


def clause_labels(text: str) -> set[str]:
    """Return the labels of the sub-clauses in a clause's text."""
    return {m.group("label") for line in text.splitlines() if (m := _LABELLED.match(line))}


def apply_overrides(text: str, replaces: dict[str, str], where: str) -> tuple[str, list[Problem]]:
    """Return the clause text with each named sub-clause replaced, and any problems.

    A replacement is the new wording of the sub-clause, and stands for it and every
    item nested in it (it keeps the sub-clause's label, so cross-references to it
    still resolve). Further lines of a replacement keep their own indent relative to
    the sub-clause, so they can be nested items or further sub-clauses. A label that
    appears in several branches of the text (``{% if %}``) is replaced in each.
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
    source = text.splitlines()
    lines: list[str] = []
    index = 0
    while index < len(source):
        line = source[index]
        match = _LABELLED.match(line)
        if not match or match.group("label") not in replaces:
            lines.append(line)
            index += 1
            continue
        indent = match.group("indent")
        first, *more = textwrap.dedent(replaces[match.group("label")]).strip("\n").splitlines()
        lines.append(f"{indent}- [@{match.group('label')}] {first.strip()}")
        lines += [f"{indent}{extra}" for extra in more if extra.strip()]
        # The replacement stands for the sub-clause and everything nested in it.
        index = _end_of_item(source, index, len(indent))
    return "\n".join(lines) + ("\n" if text.endswith("\n") else ""), []


def _end_of_item(lines: list[str], start: int, indent: int) -> int:
    """Return the index just past the item at ``start`` and the lines nested in it.

    Jinja block lines ({% if %} ...) between nested lines belong to the item; one after
    its last nested line belongs to it only if it closes a block opened inside it.
    """
    end = start + 1
    depth = 0
    pending: list[str] = []
    index = start + 1
    while index < len(lines):
        line = lines[index]
        stripped = line.strip()
        if not stripped:
            index += 1
            continue
        if _BLOCK.match(stripped):
            pending.append(stripped)
            index += 1
            continue
        if len(line) - len(line.lstrip(" ")) <= indent:
            break
        for tag in pending:
            depth += _depth_change(tag)
        pending = []
        index += 1
        end = index
    # Close any block the item opened but whose end tag follows its last nested line.
    for tag in pending:
        if depth <= 0:
            break
        change = _depth_change(tag)
        if change > 0:
            break
        depth += change
        end = next(i for i in range(end, len(lines)) if lines[i].strip() == tag) + 1
    return end


def _depth_change(tag: str) -> int:
    keyword = _BLOCK.match(tag).group(1)
    if keyword in ("if", "for"):
        return 1
    if keyword in ("endif", "endfor"):
        return -1
    return 0
