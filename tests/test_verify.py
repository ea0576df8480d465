"""The check of a just-written contract: its bytes, its clauses as assembled, its manifest."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from toolkit import __version__
from toolkit.api import prepare_contract
from toolkit.docx.conventions import bookmark_name
from toolkit.docx.package import render_docx
from toolkit.docx.reader import read_contract
from toolkit.docx.verify import document_problems, verify_written
from toolkit.exceptions import GuaranteeError
from toolkit.principles import MANDATORY_CLAUSES

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "deals"


@pytest.fixture(scope="module")
def written(library):
    """An assembled contract and its rendered .docx bytes."""
    contract = prepare_contract(EXAMPLES / "valid-cost_recovery.yaml", library, draft=True)
    return contract, render_docx(contract, __version__)


def _edit_document(docx: bytes, edit) -> bytes:
    """Return the .docx with its main document's XML passed through ``edit``."""
    source = zipfile.ZipFile(io.BytesIO(docx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            blob = source.read(info)
            if info.filename == "word/document.xml":
                blob = edit(blob.decode("utf-8")).encode("utf-8")
            target.writestr(info, blob)
    return out.getvalue()


def _without_part(docx: bytes, prefix: str) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(docx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if not info.filename.startswith(prefix):
                target.writestr(info, source.read(info))
    return out.getvalue()


def test_every_example_passes_both_the_lean_and_the_full_check(library, tmp_path):
    examples = sorted(EXAMPLES.glob("valid-*.yaml"))
    assert len(examples) >= 10
    for spec in examples:
        contract = prepare_contract(spec, library, draft=True)
        data = render_docx(contract, __version__)
        path = tmp_path / f"{spec.stem}.docx"
        path.write_bytes(data)
        verify_written(contract, path, data)
        # The full read-back through the reader that `check` uses agrees, clause by clause.
        found = read_contract(path).by_bookmark()
        for part in contract.parts:
            assert found[part.bookmark].lines == part.text_lines(), (spec.name, part.id)


def test_a_file_that_differs_from_what_was_rendered_is_refused(written, tmp_path):
    contract, data = written
    path = tmp_path / "contract.docx"
    path.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))
    with pytest.raises(GuaranteeError, match="differs from the contract rendered"):
        verify_written(contract, path, data)


def test_an_altered_word_in_any_clause_is_found(written):
    contract, data = written
    for part in (contract.parts[0], contract.parts[len(contract.parts) // 2], contract.parts[-1]):
        words = [w for line in part.text_lines()[1:] for w in line.split() if w.isalpha()]
        word = max(words, key=len)

        def alter(xml: str, word=word, bookmark=part.bookmark) -> str:
            at = xml.index(word, xml.index(f'w:name="{bookmark}"'))  # in this clause
            return xml[:at] + word[::-1] + "x" + xml[at + len(word) :]

        altered = _edit_document(data, alter)
        problems = document_problems(contract, altered)
        assert problems, part.id
        assert all(p.path != "manifest" for p in problems)


@pytest.mark.parametrize("mandatory", MANDATORY_CLAUSES, ids=lambda m: m.id)
def test_a_mandatory_clause_without_its_heading_is_missing(written, mandatory):
    contract, data = written
    bookmark = contract.part(mandatory.id).bookmark
    altered = _edit_document(data, lambda xml: xml.replace(f'"{bookmark}"', '"_Other"'))
    problems = document_problems(contract, altered)
    assert any(p.path == mandatory.id and p.principle == mandatory.principle for p in problems)


def test_a_clause_moved_after_the_execution_page_is_missing(written):
    contract, data = written
    last = contract.parts[-1]

    def move_execution_first(xml: str) -> str:
        # Rename the last clause's heading bookmark to the execution page's.
        return xml.replace(f'"{last.bookmark}"', '"_Execution"')

    problems = document_problems(contract, _edit_document(data, move_execution_first))
    assert any(p.path == last.id for p in problems)


def test_a_contract_without_its_manifest_is_refused(written):
    contract, data = written
    problems = document_problems(contract, _without_part(data, "customXml/"))
    assert [p.path for p in problems] == ["manifest"]


def test_an_unreadable_file_is_refused_not_a_traceback(written):
    contract, _ = written
    problems = document_problems(contract, b"PK\x03\x04 not really a zip")
    assert problems and "cannot be read" in problems[0].message


def test_deleted_tracked_text_is_not_read_as_the_clause(written):
    """Text inside a tracked deletion is not what a reader sees (as in toolkit.docx.reader)."""
    contract, data = written
    part = contract.parts[1]
    bookmark = bookmark_name(part.clause.id)
    deletion = (
        '<w:del w:id="9001" w:author="x"><w:r><w:delText>gone</w:delText>'
        "<w:t>hidden words</w:t></w:r></w:del>"
    )

    def add_deletion(xml: str) -> str:
        start = xml.index(f'w:name="{bookmark}"')
        end = xml.index("</w:p>", start)
        return xml[:end] + deletion + xml[end:]

    assert document_problems(contract, _edit_document(data, add_deletion)) == []
