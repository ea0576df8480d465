"""A clause's lines of text, as issued and as found, ready to compare."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from toolkit.contract.markup import Paragraph, Table, Text
from toolkit.contract.model import RenderedClause, ResolvedRef, segments_text
from toolkit.docx.reader import ReadBlock, ref_token


def where_of(part: RenderedClause) -> str:
    """Return where a clause is: "clause 7" or "Schedule 2"."""
    return part.display_number if part.clause.is_schedule else f"clause {part.display_number}"


def label_of(part: RenderedClause) -> str:
    """Return a clause's label in the report: "clause 7 (Non-exclusivity)"."""
    return f"{where_of(part)} ({part.clause.title})"


@dataclass(frozen=True)
class Line:
    """One paragraph or table row: its visible text, its text with REF results masked."""

    text: str
    masked: str
    where: str = ""


def masked_text(segments: list) -> str:
    """Return the visible text of segments with each cross-reference as a token for its target.

    A cross-reference then compares equal whatever number it shows; the number itself
    is checked against the issued document as a field (see ``toolkit.check.seen``).
    """
    return segments_text(
        [Text(ref_token(s.bookmark)) if isinstance(s, ResolvedRef) else s for s in segments]
    )


def expected_lines(part: RenderedClause) -> list[Line]:
    """Return a clause's approved lines (as RenderedClause.text_lines gives them), labelled."""
    where = where_of(part)
    lines = [Line(part.clause.title, part.clause.title, f"{where} heading")]
    count = 0
    for block in part.blocks:
        if isinstance(block, Table):
            for index, row in enumerate(block.rows, start=1):
                lines.append(
                    Line(
                        " | ".join(segments_text(cell) for cell in row),
                        " | ".join(masked_text(cell) for cell in row),
                        f"{where}, table row {index}",
                    )
                )
            continue
        count += 1
        if isinstance(block, Paragraph) and block.numbered and block.number:
            label = (
                f"clause {block.number}"
                if not part.clause.is_schedule
                else f"{where} paragraph {block.number}"
            )
        else:
            label = f"{where}, paragraph {count}"
        lines.append(Line(segments_text(block.segments), masked_text(block.segments), label))
    return [
        Line(" ".join(line.text.split()), " ".join(line.masked.split()), line.where)
        for line in lines
        if line.text.strip()
    ]


def block_lines(blocks: list[ReadBlock]) -> list[Line]:
    """Return the non-empty paragraphs and rows of a document as lines."""
    return [Line(block.text, block.masked) for block in blocks if block.text]


def align_fields(expected: list[Line], actual: list[Line]) -> list[Line]:
    """Treat a line differing only in cross-reference numbers as the approved line."""
    visible = {line.text for line in expected}
    by_mask = {line.masked: line.text for line in expected}
    aligned = []
    for line in actual:
        if line.text not in visible and line.masked in by_mask:
            line = Line(by_mask[line.masked], line.masked, line.where)
        aligned.append(line)
    return aligned


def hash_lines(lines: list[Line]) -> str:
    """Return the hash the manifest records for these lines (as RenderedClause.text_hash)."""
    return hashlib.sha256("\n".join(line.text for line in lines).encode("utf-8")).hexdigest()
