"""Cutting a document's body into front matter, clauses, added clauses and execution."""

from __future__ import annotations

import re
from dataclasses import dataclass

from toolkit.docx.conventions import (
    CLAUSE_BOOKMARK,
    EXECUTION_BOOKMARK,
    HEADING_STYLE_NAME,
    HEADING_STYLES,
)
from toolkit.docx.reader import ReadBlock

NUMBER_PREFIX = re.compile(r"^(schedule\s+\d+|\d+(\.\d+)*)[.:)]?\s+", re.IGNORECASE)


@dataclass
class Known:
    """A clause or schedule the document should hold."""

    key: str
    bookmark: str
    title: str
    label: str


@dataclass
class Layout:
    """A document's body cut into front matter, clauses, added clauses and execution."""

    front: list[ReadBlock]
    parts: dict[str, list[ReadBlock]]
    found_by_title: list[str]
    order: list[str]
    added: list[tuple[ReadBlock, list[ReadBlock], str | None]]
    execution: list[ReadBlock]


def normalise_title(text: str) -> str:
    """Return a heading's text as compared with a clause title: no number, any case."""
    text = " ".join(text.split())
    text = NUMBER_PREFIX.sub("", text)
    return text.rstrip(" .:").casefold()


def is_heading_style(style: str, known_styles: set[str]) -> bool:
    return style in known_styles or bool(HEADING_STYLE_NAME.match(style))


def cut_layout(
    blocks: list[ReadBlock], known: list[Known], expected_marks: set[str] | None
) -> Layout:
    """Cut a body into its parts; ``expected_marks`` None: every bookmark may be ours."""
    blocks = [block for block in blocks if not block.toc]
    first_index: dict[str, int] = {}
    for index, block in enumerate(blocks):
        for mark in block.bookmarks:
            first_index.setdefault(mark, index)
    starts: dict[str, int] = {}
    for item in known:
        if item.bookmark in first_index:
            starts[item.key] = first_index[item.bookmark]
    styles = set(HEADING_STYLES) | {blocks[i].style for i in starts.values() if blocks[i].style}
    execution = first_index.get(EXECUTION_BOOKMARK, len(blocks))
    # A heading whose hidden bookmark an editor dropped is found by its title, in order.
    by_title: list[str] = []
    taken = set(starts.values())
    titles = [normalise_title(block.text) if not block.row else None for block in blocks]
    previous = -1
    for item in known:
        if item.key in starts:
            previous = starts[item.key]
            continue
        title = normalise_title(item.title)
        candidates = [
            index
            for index in range(len(blocks))
            if index not in taken and index < execution and titles[index] == title
        ]
        if not candidates:
            continue
        candidates.sort(
            key=lambda i: (i < previous, not is_heading_style(blocks[i].style, styles), i)
        )
        starts[item.key] = candidates[0]
        taken.add(candidates[0])
        by_title.append(item.key)
        previous = candidates[0]
    region = min(starts.values(), default=execution)
    if execution < region:
        execution = len(blocks)
    if EXECUTION_BOOKMARK not in first_index:
        later = [
            i
            for i in range(max(starts.values(), default=0), len(blocks))
            if blocks[i].text.casefold() == "execution" and i not in taken
        ]
        execution = later[0] if later else len(blocks)
    # Headings no manifest clause accounts for: new clauses.
    added_heads = []
    for index in range(region, execution):
        block = blocks[index]
        if index in taken or not block.text or block.row:
            continue
        foreign = expected_marks is not None and any(
            CLAUSE_BOOKMARK.match(m) and m not in expected_marks for m in block.bookmarks
        )
        if foreign or is_heading_style(block.style, styles):
            added_heads.append(index)
    boundaries = sorted(
        [(index, key) for key, index in starts.items()]
        + [(index, None) for index in added_heads]
        + [(execution, "")],
        key=lambda boundary: boundary[0],
    )
    parts: dict[str, list[ReadBlock]] = {}
    added: list[tuple[ReadBlock, list[ReadBlock], str | None]] = []
    order: list[str] = []
    for (index, key), (following, _) in zip(boundaries, boundaries[1:], strict=False):
        segment = blocks[index:following] if index < following else []
        if key:
            parts[key] = segment
            order.append(key)
        elif key is None:
            added.append((blocks[index], segment[1:], order[-1] if order else None))
    return Layout(
        front=blocks[:region],
        parts=parts,
        found_by_title=by_title,
        order=order,
        added=added,
        execution=blocks[execution:],
    )
