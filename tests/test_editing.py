"""The contract survives editing: numbering follows an inserted paragraph in LibreOffice."""

from __future__ import annotations

import re
import subprocess

import pytest
from conftest import libreoffice_convert
from docx import Document

from toolkit.api import assemble
from toolkit.docx.reader import read_contract

pytestmark = pytest.mark.libreoffice


def _pdf_text(docx, folder):
    pdf = libreoffice_convert(docx, "pdf", folder)
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_an_inserted_sub_clause_is_numbered_and_the_next_ones_move_on(deal, write_spec, tmp_path):
    out = tmp_path / "contract.docx"
    assemble(write_spec(deal), out)
    manifest = read_contract(out).manifest
    entry = next(e for e in manifest["clauses"] if e["id"] == "non_exclusivity")
    number = entry["number"]

    document = Document(str(out))
    paragraphs = document.paragraphs
    heading = next(i for i, p in enumerate(paragraphs) if p.text.strip() == entry["title"])
    first_sub = paragraphs[heading + 1]
    assert first_sub.style.style_id == "ClauseLevel2"
    second_text = paragraphs[heading + 2].text
    inserted = paragraphs[heading + 2].insert_paragraph_before(
        "An inserted sub-clause typed by a lawyer.", style=first_sub.style
    )
    assert inserted.style.style_id == "ClauseLevel2"
    edited = tmp_path / "edited.docx"
    document.save(str(edited))

    text = " ".join(_pdf_text(edited, tmp_path).split())
    assert f"{number}.2 An inserted sub-clause typed by a lawyer." in text
    assert f"{number}.3 {' '.join(second_text.split())[:40]}" in text


def test_libreoffice_opens_every_part_without_repair(deal, write_spec, tmp_path):
    out = tmp_path / "contract.docx"
    assemble(write_spec(deal), out)
    text = " ".join(_pdf_text(out, tmp_path).split())
    manifest = read_contract(out).manifest
    for entry in manifest["clauses"]:
        # Headings are set in capitals, numbers ("Schedule 1") included.
        heading = re.escape(entry["number"].upper()) + r"\s+" + re.escape(entry["title"].upper())
        assert re.search(heading, text), entry
