"""Reading a contract back from a .docx: its manifest and the text of each clause."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.docx.archive import DocxArchive, parse_xml
from toolkit.docx.conventions import CLAUSE_BOOKMARK as _PART_BOOKMARK
from toolkit.docx.conventions import CONTENTS_STYLE_NAME as _TOC_STYLE
from toolkit.docx.conventions import CT_NS, MAIN_DOCUMENT_TYPE, MC_NS, W_NS
from toolkit.docx.conventions import EXECUTION_BOOKMARK as _END_BOOKMARK
from toolkit.docx.elements import paragraph_style
from toolkit.docx.manifest import ManifestError, read_manifest_xml
from toolkit.exceptions import ContractReadError

_W = f"{{{W_NS}}}"


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
class ReadBlock:
    """One paragraph, or one table row, of the document body, in reading order.

    ``masked`` is ``text`` with the result of every REF field replaced by a token
    naming the bookmark it points at, so that a cross-reference whose number an
    editor updated (or left stale) still compares equal. ``toc`` marks the lines of
    a table of contents, which editors rebuild at will.
    """

    text: str
    masked: str
    bookmarks: list[str]
    style: str
    row: bool = False
    toc: bool = False


@dataclass
class ContractDocument:
    """What a .docx says: the manifest (if any) and the clause texts in order."""

    manifest: dict | None
    parts: list[ReadPart]
    paragraphs: list[str]
    blocks: list[ReadBlock] = field(default_factory=list)
    # Set when a part in the manifest's namespace is present but cannot be read.
    manifest_error: str | None = None
    # Whether the body holds tracked changes (read as if all were accepted).
    tracked_changes: bool = False
    # Every part that claims to be a manifest (more than one is itself a problem).
    manifest_parts: list[str] = field(default_factory=list)

    def by_bookmark(self) -> dict[str, ReadPart]:
        """Return the parts found by their heading bookmark."""
        return {part.bookmark: part for part in self.parts if part.bookmark}


def _bookmarks(paragraph) -> list[str]:
    return [node.get(f"{_W}name", "") for node in paragraph.iter(f"{_W}bookmarkStart")]


@dataclass
class ManifestRead:
    """A .docx's manifest alone (read without its body): what `check` looks up first."""

    manifest: dict | None
    manifest_error: str | None = None
    manifest_parts: list[str] = field(default_factory=list)


def read_manifest(source: str | Path | bytes) -> ManifestRead:
    """Read only the manifest of a .docx (a path or its bytes); the body is not parsed."""
    return _manifest_read(DocxArchive(source))


def _manifest_read(archive: DocxArchive) -> ManifestRead:
    manifest, errors, found = _manifest_of(archive)
    return ManifestRead(manifest, "; ".join(errors) if errors else None, found)


def _manifest_of(archive: DocxArchive) -> tuple[dict | None, list[str], list[str]]:
    """Return the manifest (None if absent or ambiguous), the errors, the parts claiming one."""
    manifest = None
    errors: list[str] = []
    found: list[str] = []
    for name in archive.names:
        if not (name.startswith("customXml/") and name.endswith(".xml")) or "itemProps" in name:
            continue
        blob = archive.read(name)
        try:
            value = read_manifest_xml(blob)
        except ManifestError as exc:
            found.append(name)
            errors.append(f"{name} holds a manifest that cannot be read: {exc}")
            continue
        if value is not None:
            found.append(name)
            manifest = manifest if manifest is not None else value
    if len(found) > 1:
        # Never trust "the last one wins": two manifests mean the file was tampered with.
        errors.insert(0, f"the document holds {len(found)} manifest parts ({', '.join(found)})")
        manifest = None
    return manifest, errors, found


def read_contract(
    source: str | Path | bytes, *, rejected: bool = False, manifest: ManifestRead | None = None
) -> ContractDocument:
    """Read a .docx (a path or its bytes) into a ContractDocument.

    Tracked changes are read as if all were accepted, or with ``rejected`` as if all
    were rejected. ``manifest`` is the file's manifest as ``read_manifest`` already read
    it, so that it is not read again.
    """
    archive = DocxArchive(source)
    root = parse_xml(archive, main_document(archive))
    head = manifest if manifest is not None else _manifest_read(archive)
    body = root.find(f"{_W}body")
    if body is None:
        raise ContractReadError(f"{archive.name}: the document has no body")
    known = _manifest_bookmarks(head.manifest) if head.manifest else None
    blocks = read_blocks(body, rejected=rejected)
    parts: list[ReadPart] = []
    current: ReadPart | None = None
    for block in blocks:
        if _END_BOOKMARK in block.bookmarks:
            current = None
        starts = [m for m in block.bookmarks if _PART_BOOKMARK.match(m)]
        if not block.row and starts:
            heading = starts[0] in known if known is not None else _is_heading_style(block.style)
            if heading:
                current = ReadPart(starts[0])
                parts.append(current)
        if block.text and current is not None:
            current.lines.append(block.text)
    return ContractDocument(
        manifest=head.manifest,
        parts=parts,
        paragraphs=[block.text for block in blocks if block.text],
        blocks=blocks,
        manifest_error=head.manifest_error,
        tracked_changes=any(
            True for _ in body.iter(f"{_W}ins", f"{_W}del", f"{_W}moveFrom", f"{_W}moveTo")
        ),
        manifest_parts=head.manifest_parts,
    )


def _manifest_bookmarks(manifest: dict) -> set[str]:
    """Return the clause bookmarks a manifest names, ignoring entries an editor mangled."""
    entries = manifest.get("clauses")
    return {
        entry["bookmark"]
        for entry in (entries if isinstance(entries, list) else [])
        if isinstance(entry, dict) and isinstance(entry.get("bookmark"), str)
    }


def _is_heading_style(style: str) -> bool:
    """Whether a paragraph style looks like a clause or schedule heading (no manifest)."""
    return "heading" in style.lower() or style.startswith("Schedule")


def main_document(archive: DocxArchive) -> str:
    """Return the name of the package's main document part (from its content types)."""
    try:
        types = parse_xml(archive, "[Content_Types].xml")
    except ContractReadError:
        return "word/document.xml"
    for node in types.iter(f"{{{CT_NS}}}Override"):
        if node.get("ContentType") == MAIN_DOCUMENT_TYPE:
            name = (node.get("PartName") or "").lstrip("/")
            if archive.has(name):
                return name
    return "word/document.xml"


# -- the body block by block (used by `check`) -----------------------------------

_REF_FIELD = re.compile(r"^\s*REF\s+(\S+)", re.IGNORECASE)
_TOC_FIELD = re.compile(r"^\s*TOC\b", re.IGNORECASE)
# Text that is not part of what the document now says: tracked deletions and the
# old place of moved text; the fallback copy of text-box content.
_SKIPPED = frozenset({f"{_W}del", f"{_W}moveFrom"})
# ... and, read as if every tracked change were rejected, the insertions.
_SKIPPED_REJECTED = frozenset({f"{_W}ins", f"{_W}moveTo"})
_MC_FALLBACK = f"{{{MC_NS}}}Fallback"
_FLD_CHAR, _FLD_TYPE, _INSTR_TEXT, _FLD_SIMPLE, _INSTR = (
    f"{_W}fldChar",
    f"{_W}fldCharType",
    f"{_W}instrText",
    f"{_W}fldSimple",
    f"{_W}instr",
)
_T, _DEL_TEXT, _NO_BREAK_HYPHEN = f"{_W}t", f"{_W}delText", f"{_W}noBreakHyphen"
_SPACES = frozenset({f"{_W}tab", f"{_W}br", f"{_W}cr"})


def ref_token(bookmark: str) -> str:
    """Return the token standing for a REF field's result in ``ReadBlock.masked``."""
    return f"\u27e6REF {bookmark}\u27e7"


class _FieldState:
    """The complex fields open at a point of the body (they may span paragraphs)."""

    def __init__(self) -> None:
        self.stack: list[dict] = []

    def in_toc(self) -> bool:
        return any(_TOC_FIELD.match(entry["instr"]) for entry in self.stack)

    def in_ref_result(self) -> bool:
        return any(entry["separated"] and entry["ref"] for entry in self.stack)


def _walk_paragraph(
    paragraph, fields: _FieldState, skipped: frozenset[str] = _SKIPPED
) -> tuple[str, str, bool]:
    """Return a paragraph's visible and masked text, and whether it lies in a TOC field."""
    visible: list[str] = []
    masked: list[str] = []
    toc = fields.in_toc()

    def add(piece: str) -> None:
        visible.append(piece)
        if not fields.in_ref_result():
            masked.append(piece)

    def separate(entry: dict) -> None:
        entry["separated"] = True
        match = _REF_FIELD.match(entry["instr"])
        entry["ref"] = match is not None
        if match:
            masked.append(ref_token(match.group(1)))

    def visit(node) -> None:
        tag = node.tag
        if tag in skipped or tag == _MC_FALLBACK:
            return
        if tag == _FLD_CHAR:
            kind = node.get(_FLD_TYPE)
            if kind == "begin":
                fields.stack.append({"instr": "", "separated": False, "ref": False})
            elif kind == "separate" and fields.stack:
                separate(fields.stack[-1])
            elif kind == "end" and fields.stack:
                fields.stack.pop()
            return
        if tag == _INSTR_TEXT:
            if fields.stack and not fields.stack[-1]["separated"]:
                fields.stack[-1]["instr"] += node.text or ""
            return
        if tag == _FLD_SIMPLE:
            entry = {"instr": node.get(_INSTR, ""), "separated": False, "ref": False}
            fields.stack.append(entry)
            separate(entry)
            for child in node:
                visit(child)
            fields.stack.pop()
            return
        if tag == _T or (tag == _DEL_TEXT and skipped is _SKIPPED_REJECTED):
            add(node.text or "")
        elif tag in _SPACES:
            add(" ")
        elif tag == _NO_BREAK_HYPHEN:
            add("-")
        for child in node:
            visit(child)

    visit(paragraph)
    toc = toc or fields.in_toc()
    return " ".join("".join(visible).split()), " ".join("".join(masked).split()), toc


def read_blocks(body, *, rejected: bool = False) -> list[ReadBlock]:
    """Return the body's paragraphs and table rows in order, content controls opened.

    Tracked changes read as accepted, or with ``rejected`` as rejected.
    """
    blocks: list[ReadBlock] = []
    fields = _FieldState()
    skipped = _SKIPPED_REJECTED if rejected else _SKIPPED
    opened = (
        {f"{_W}customXml", f"{_W}del", f"{_W}moveFrom"}
        if rejected
        else {
            f"{_W}customXml",
            f"{_W}ins",
            f"{_W}moveTo",
        }
    )

    def visit(element, toc: bool) -> None:
        if element.tag == f"{_W}p":
            text, masked, in_toc = _walk_paragraph(element, fields, skipped)
            style = paragraph_style(element)
            blocks.append(
                ReadBlock(
                    text,
                    masked,
                    _bookmarks(element),
                    style,
                    toc=toc or in_toc or bool(_TOC_STYLE.match(style)),
                )
            )
        elif element.tag == f"{_W}tbl":
            for row in element.iter(f"{_W}tr"):
                cells = []
                masked_cells = []
                marks: list[str] = []
                for cell in row.iter(f"{_W}tc"):
                    texts = []
                    masks = []
                    for paragraph in cell.iter(f"{_W}p"):
                        text, masked, _ = _walk_paragraph(paragraph, fields, skipped)
                        marks += _bookmarks(paragraph)
                        if text:
                            texts.append(text)
                            masks.append(masked)
                    cells.append(" ".join(texts))
                    masked_cells.append(" ".join(masks))
                blocks.append(
                    ReadBlock(
                        " ".join(" | ".join(cells).split()),
                        " ".join(" | ".join(masked_cells).split()),
                        marks,
                        "",
                        row=True,
                        toc=toc,
                    )
                )
        elif element.tag == f"{_W}sdt":
            gallery = element.find(f"{_W}sdtPr/{_W}docPartObj/{_W}docPartGallery")
            is_toc = gallery is not None and "contents" in (gallery.get(f"{_W}val") or "").lower()
            content = element.find(f"{_W}sdtContent")
            for child in content if content is not None else ():
                visit(child, toc or is_toc)
        elif element.tag in opened:
            for child in element:
                visit(child, toc)

    for element in body:
        visit(element, False)
    return blocks
