"""Word-level differences and paragraph alignment."""

from __future__ import annotations

import difflib

from toolkit.check.lines import Line
from toolkit.check.report import Change

_CONTEXT = 6  # words of unchanged text kept either side of a change
# Below this share of words in common, a paragraph is removed and another added,
# rather than one paragraph changed.
_SAME_PARAGRAPH = 0.5


def word_diff(old: str, new: str) -> str:
    """Return a word-level diff: [-removed-] {+added+}, long unchanged runs shortened."""
    a, b = old.split(), new.split()
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    opcodes = matcher.get_opcodes()
    out: list[str] = []
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            words = a[i1:i2]
            first, last = index == 0, index == len(opcodes) - 1
            if first and len(words) > _CONTEXT:
                words = ["…"] + words[-_CONTEXT:]
            elif last and len(words) > _CONTEXT:
                words = words[:_CONTEXT] + ["…"]
            elif len(words) > 2 * _CONTEXT + 1:
                words = words[:_CONTEXT] + ["…"] + words[-_CONTEXT:]
            out.append(" ".join(words))
            continue
        if tag in ("delete", "replace"):
            out.append("[-" + " ".join(a[i1:i2]) + "-]")
        if tag in ("insert", "replace"):
            out.append("{+" + " ".join(b[j1:j2]) + "+}")
    return " ".join(out)


def _similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a.split(), b.split(), autojunk=False).ratio()


def compare_lines(expected: list[Line], actual: list[Line], start: str) -> list[Change]:
    """Return the paragraph changes turning the expected lines into the actual ones."""
    matcher = difflib.SequenceMatcher(
        None, [line.text for line in expected], [line.text for line in actual], autojunk=False
    )
    changes: list[Change] = []

    def added(line: Line, after: int) -> None:
        where = f"after {expected[after - 1].where}" if after > 0 else start
        changes.append(Change("added", where, "{+" + line.text + "+}", None, line.text))

    def removed(line: Line) -> None:
        changes.append(Change("removed", line.where, "[-" + line.text + "-]", line.text, None))

    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if tag == "delete":
            for line in expected[i1:i2]:
                removed(line)
        elif tag == "insert":
            for line in actual[j1:j2]:
                added(line, i1)
        else:
            j = j1
            for i in range(i1, i2):
                line = expected[i]
                scores = [(_similarity(line.text, actual[k].text), k) for k in range(j, j2)]
                best = max(scores, default=(0.0, -1))
                if best[0] < 0.5:
                    removed(line)
                    continue
                for k in range(j, best[1]):
                    added(actual[k], i)
                found = actual[best[1]].text
                changes.append(
                    Change("changed", line.where, word_diff(line.text, found), line.text, found)
                )
                j = best[1] + 1
            for k in range(j, j2):
                added(actual[k], i2)
    return changes
