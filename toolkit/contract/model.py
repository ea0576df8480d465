"""The assembled contract: rendered clauses, the contract, and their visible text."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from toolkit.contract.markup import Block, OpenItem, Table, Text
from toolkit.docx.conventions import bookmark_name  # noqa: F401 - re-exported for callers
from toolkit.library import Clause, Library, Position
from toolkit.spec import DealSpec

DEFINITIONS_ID = "definitions"


VALUE_SCHEDULE_ID = "value_sharing"


ADDITIONAL_TERMS_ID = "additional_terms"


@dataclass
class RenderedClause:
    """A clause (or schedule) as it stands in one contract."""

    clause: Clause
    position: Position | None
    number: int
    blocks: list[Block]
    mandatory: bool = False
    # The text lines once the contract is final (see freeze_text); until then, computed.
    _lines: tuple[str, ...] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def id(self) -> str:
        """Return the clause id."""
        return self.clause.id

    @property
    def bookmark(self) -> str:
        """Return the Word bookmark name of the clause heading."""
        return bookmark_name(self.clause.id)

    @property
    def display_number(self) -> str:
        """Return the number as shown: "7" for a clause, "Schedule 2" for a schedule."""
        return f"Schedule {self.number}" if self.clause.is_schedule else str(self.number)

    def text_lines(self) -> list[str]:
        """Return the clause's visible text, one line a paragraph, for hashing and checks."""
        if self._lines is not None:
            return list(self._lines)
        return self._current_lines()

    def freeze_text(self) -> None:
        """Keep the text lines as they are now: call only once nothing can change them.

        Checks, the manifest and verification ask for the lines about three times a
        clause; cross-reference numbers are filled in late, so the lines are kept only
        when the contract is final.
        """
        self._lines = tuple(self._current_lines())

    def _current_lines(self) -> list[str]:
        lines = [self.clause.title]
        for block in self.blocks:
            if isinstance(block, Table):
                for row in block.rows:
                    lines.append(" | ".join(segments_text(cell) for cell in row))
            else:
                lines.append(segments_text(block.segments))
        return [" ".join(line.split()) for line in lines]

    def text_hash(self) -> str:
        """Return the hash of the clause's rendered text, as the manifest records it."""
        return hashlib.sha256("\n".join(self.text_lines()).encode("utf-8")).hexdigest()


@dataclass
class Contract:
    """Everything needed to write one contract."""

    spec: DealSpec
    library: Library
    context: dict
    clauses: list[RenderedClause]
    schedules: list[RenderedClause]
    references: dict[str, tuple[str, str]] = field(default_factory=dict)
    open_items: list[OpenItem] = field(default_factory=list)
    undefined_terms: list[str] = field(default_factory=list)

    @property
    def parts(self) -> list[RenderedClause]:
        """Return the clauses then the schedules."""
        return self.clauses + self.schedules

    def part(self, clause_id: str) -> RenderedClause | None:
        """Return a clause or schedule of the contract by id."""
        for part in self.parts:
            if part.id == clause_id:
                return part
        return None


def segments_text(segments: list) -> str:
    """Return the visible text of a run of segments, cross-references as resolved."""
    parts = []
    for segment in segments:
        if isinstance(segment, Text):
            parts.append(segment.text)
        elif isinstance(segment, OpenItem):
            parts.append(str(segment))
        else:
            parts.append(getattr(segment, "display", "") or "{" + segment.key + "}")
    return "".join(parts)


@dataclass(frozen=True)
class ResolvedRef:
    """A cross-reference whose bookmark and number are known."""

    key: str
    bookmark: str
    display: str
