"""A clause's text lines: live while the contract is assembled, kept once it is final."""

from __future__ import annotations

from pathlib import Path

from toolkit.api import prepare_contract
from toolkit.contract.markup import CrossRef, Paragraph, Text
from toolkit.contract.model import RenderedClause, ResolvedRef

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "deals"


def test_lines_follow_the_blocks_until_frozen(library):
    clause = library.require_clause("governing_law")
    segments = [Text("As clause "), CrossRef("dispute_resolution"), Text(" says.")]
    part = RenderedClause(clause, None, 1, [Paragraph(1, True, segments)])
    assert part.text_lines()[1] == "As clause {dispute_resolution} says."
    # The number is filled in after the lines were first read: they must show it.
    segments[1] = ResolvedRef("dispute_resolution", "_Ref_x", "19")
    assert part.text_lines()[1] == "As clause 19 says."
    part.freeze_text()
    lines = part.text_lines()
    lines.append("changed by a caller")
    assert part.text_lines() == [clause.title, "As clause 19 says."]


def test_an_assembled_contract_keeps_its_final_text(library):
    contract = prepare_contract(EXAMPLES / "valid-cost_recovery.yaml", library, draft=True)
    for part in contract.parts:
        fresh = RenderedClause(part.clause, part.position, part.number, part.blocks)
        assert part.text_lines() == fresh.text_lines(), part.id
    definitions = contract.part("definitions").text_lines()
    assert any(line.startswith("“Partner”") for line in definitions)
    assert not any("{" in line for part in contract.parts for line in part.text_lines())
