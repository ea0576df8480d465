"""Reading a contract back from a .docx: its manifest and the text of each clause."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.exceptions import ContractReadError
from toolkit.manifest import parse_manifest_xml

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W_NS}}}"
_PART_BOOKMARK = re.compile(r"^_Cl_[0-9a-f]{16}$")
_END_BOOKMARK = "_Execution"


@dataclass
class ReadPart:
    """A clause or schedule as found in a document: its bookmark and lines of text."""

    bookmark: str | None
    lines: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        """Return the heading text."""
        return self.lines[0] if self.lines else ""


@dataclass
class ContractDocument:
    """What a .docx says: the manifest (if any) and the clause texts in order."""

    manifest: dict | None
    parts: list[ReadPart]
    paragraphs: list[str]

    def by_bookmark(self) -> dict[str, ReadPart]:
        """Return the parts found by their heading bookmark."""
        return {part.bookmark: part for part in self.parts if part.bookmark}


def _text_of(element) -> str:
    pieces = []
    for node in element.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}instrText", f"{_W}delText"):
        if node.tag == f"{_W}t":
            pieces.append(node.text or "")
        elif node.tag in (f"{_W}tab", f"{_W}br"):
            pieces.append(" ")
    return " ".join("".join(pieces).split())


def _paragraph_text(paragraph) -> str:
    # Deleted text (tracked changes) is not part of what the document says.
    return _text_of(paragraph)


def _bookmarks(paragraph) -> list[str]:
    return [node.get(f"{_W}name", "") for node in paragraph.iter(f"{_W}bookmarkStart")]


def read_contract(source: str | Path | bytes) -> ContractDocument:
    """Read a .docx (a path or its bytes) into a ContractDocument."""
    from lxml import etree

    try:
        archive = zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source)
        names = archive.namelist()
        document_name = _main_document(archive)
        root = etree.fromstring(archive.read(document_name))
    except FileNotFoundError:
        raise ContractReadError(f"{source}: file not found") from None
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError, OSError) as exc:
        where = "the document" if isinstance(source, bytes) else str(source)
        raise ContractReadError(f"{where}: not a readable Word (.docx) file ({exc})") from None
    manifest = None
    for name in names:
        if name.startswith("customXml/") and name.endswith(".xml") and "itemProps" not in name:
            manifest = parse_manifest_xml(archive.read(name)) or manifest
    body = root.find(f"{_W}body")
    if body is None:
        raise ContractReadError("the document has no body")
    known = {entry.get("bookmark") for entry in manifest.get("clauses", [])} if manifest else None
    parts: list[ReadPart] = []
    paragraphs: list[str] = []
    current: ReadPart | None = None
    for element in body:
        if element.tag == f"{_W}p":
            marks = _bookmarks(element)
            text = _paragraph_text(element)
            if _END_BOOKMARK in marks:
                current = None
            starts = [m for m in marks if _PART_BOOKMARK.match(m)]
            heading = starts and (
                starts[0] in known if known is not None else _is_heading_style(element)
            )
            if heading:
                current = ReadPart(starts[0])
                parts.append(current)
            if text:
                paragraphs.append(text)
                if current is not None:
                    current.lines.append(text)
        elif element.tag == f"{_W}tbl":
            for row in element.iter(f"{_W}tr"):
                cells = [
                    " ".join(_paragraph_text(p) for p in cell.iter(f"{_W}p") if _paragraph_text(p))
                    for cell in row.iter(f"{_W}tc")
                ]
                line = " | ".join(cells)
                paragraphs.append(line)
                if current is not None:
                    current.lines.append(" ".join(line.split()))
    return ContractDocument(manifest=manifest, parts=parts, paragraphs=paragraphs)


def _is_heading_style(paragraph) -> bool:
    """Whether a paragraph looks like a clause or schedule heading (no manifest to go by)."""
    style = paragraph.find(f"{_W}pPr/{_W}pStyle")
    name = style.get(f"{_W}val", "") if style is not None else ""
    return "Heading" in name or "heading" in name or name.startswith("Schedule")


def _main_document(archive: zipfile.ZipFile) -> str:
    types = archive.read("[Content_Types].xml").decode("utf-8", "replace")
    match = re.search(
        r'PartName="/([^"]+)"\s+ContentType="application/vnd\.openxmlformats-officedocument'
        r'\.wordprocessingml\.document\.main\+xml"',
        types,
    )
    return match.group(1) if match else "word/document.xml"
