"""Every document the toolkit writes passes the independent OOXML validator openxml-audit.

A finding predicts that Microsoft Word would repair the file on opening. The validator
takes about three seconds a document, so the examples run in parallel under xdist.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import yaml
from conftest import EXAMPLES, FIXTURES
from docx import Document
from openxml_audit import FileFormat, OpenXmlValidator

from toolkit.api import assemble
from toolkit.docx.redline import RedlineNote, build_redline

VALID_EXAMPLES = sorted(path.name for path in EXAMPLES.glob("valid-*.yaml"))


def findings(path: Path) -> list[str]:
    """Return what openxml-audit (Microsoft 365 rules) finds in a file."""
    result = OpenXmlValidator(file_format=FileFormat.MICROSOFT_365).validate(str(path))
    return [f"{getattr(e, 'part', '')}: {getattr(e, 'description', e)}" for e in result.errors]


@pytest.mark.slow
@pytest.mark.parametrize("name", VALID_EXAMPLES)
def test_every_example_contract_is_word_valid(name, library, tmp_path):
    out = tmp_path / "contract.docx"
    assemble(EXAMPLES / name, out, library=library)
    assert findings(out) == []


@pytest.fixture
def open_draft(library, tmp_path):
    """A draft with open items (so with comments)."""
    deal = yaml.safe_load((FIXTURES / "v1-royalty-deal.yaml").read_text(encoding="utf-8"))
    for party in deal["nhs_parties"]:
        party.pop("board_approval", None)
    spec = tmp_path / "draft.yaml"
    spec.write_text(yaml.safe_dump(deal, sort_keys=False), encoding="utf-8")
    out = tmp_path / "draft.docx"
    result = assemble(spec, out, library=library, draft=True)
    assert result.contract.open_items, "the draft should have open items"
    return out


def test_a_draft_with_open_items_is_word_valid(open_draft):
    assert findings(open_draft) == []


def test_a_redline_is_word_valid(open_draft, tmp_path):
    issued = open_draft.read_bytes()
    document = Document(io.BytesIO(issued))
    paragraphs = [p for p in document.paragraphs if len(p.text) > 60]
    paragraphs[3].runs[0].text = "Retyped by the other side. " + paragraphs[3].runs[0].text
    paragraphs[5].runs[0].font.hidden = True
    paragraphs[7].insert_paragraph_before("A paragraph the other side added.")
    returned = io.BytesIO()
    document.save(returned)
    blob, summary = build_redline(
        issued, returned.getvalue(), notes=[RedlineNote(None, "non_standard: needs approval")]
    )
    assert summary.insertions and summary.formatting and summary.comments
    out = tmp_path / "redline.docx"
    out.write_bytes(blob)
    assert findings(out) == []
