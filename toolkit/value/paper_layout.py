"""Word layout for the board paper: page, tables with set widths, and reproducible bytes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

# A4 with 2.2 cm margins leaves 16.6 cm for text and tables.
PAGE_WIDTH_CM, PAGE_HEIGHT_CM, MARGIN_CM = 21.0, 29.7, 2.2
TEXT_WIDTH_CM = PAGE_WIDTH_CM - 2 * MARGIN_CM
TABLE_FONT_PT = 8.5


def new_document(title: str, author: str, subject: str, keywords: str) -> Any:
    """Return an A4 document in Arial, its core properties set and free of timestamps."""
    from docx import Document
    from docx.shared import Cm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(PAGE_HEIGHT_CM), Cm(PAGE_WIDTH_CM)
    section.left_margin = section.right_margin = Cm(MARGIN_CM)
    style = doc.styles["Normal"]
    style.font.name, style.font.size = "Arial", Pt(10.5)
    props = doc.core_properties
    props.title, props.author, props.subject, props.keywords = title, author, subject, keywords
    props.category = "Board paper"
    props.comments = "Prepared with the NHS data-partnership contract toolkit."
    props.last_modified_by, props.revision = "nhs-contracts", 1
    _drop_core_timestamps(doc)
    return doc


def _drop_core_timestamps(doc: Any) -> None:
    """Remove created, modified and printed times: the same inputs must give the same bytes.

    python-docx's default template carries a fixed 2013 creation time, and any time we
    put there instead would be either the wall clock (not reproducible) or invented.
    """
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml.ns import qn

    element = doc.part.package.part_related_by(RT.CORE_PROPERTIES).element
    for name in ("dcterms:created", "dcterms:modified", "cp:lastPrinted"):
        for child in element.findall(qn(name)):
            element.remove(child)


def add_table(
    doc: Any,
    rows: Sequence[Sequence[Any]],
    widths_cm: Sequence[float],
    *,
    numeric: Sequence[int] = (),
    bold_rows: Sequence[int] = (),
    header: bool = True,
) -> Any:
    """Add a grid table with set column widths, right-aligned figures and a bold header.

    ``widths_cm`` are relative: they are scaled to the text width. ``numeric`` names the
    columns holding figures; ``bold_rows`` the rows to stress. Without ``header`` the
    first column is bold instead, as labels of the values beside them.
    """
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    if any(len(row) != len(widths_cm) for row in rows):
        raise ValueError("every row needs one value per column width")
    scale = TEXT_WIDTH_CM / sum(widths_cm)
    widths = [Cm(round(w * scale, 2)) for w in widths_cm]
    table = doc.add_table(rows=len(rows), cols=len(widths))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            # Word reads each cell's own width; LibreOffice the grid's: set both.
            cell = table.cell(r, c)
            cell.width = widths[c]
            cell.text = str(value)
            for paragraph in cell.paragraphs:
                if c in numeric:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                for run in paragraph.runs:
                    run.font.size = Pt(TABLE_FONT_PT)
                    run.bold = (r == 0 if header else c == 0) or r in bold_rows
    doc.add_paragraph()
    return table


def add_labelled(doc: Any, label: str, text: str, style: str | None = None) -> Any:
    """Add a paragraph that starts with a bold label, such as a model's name."""
    paragraph = doc.add_paragraph(style=style)
    paragraph.add_run(label).bold = True
    paragraph.add_run(text)
    return paragraph


def document_bytes(doc: Any) -> bytes:
    """Return the document as .docx bytes that are the same for the same content."""
    from toolkit.docx.package import reproducible_package

    return reproducible_package(doc)
