"""Checking a contract the toolkit has just written, before it reports success.

Two checks of the file on disk, both cheap: its bytes are exactly the bytes that were
rendered (so nothing was lost or altered on the way to the disk), and one lean pass
over the main document's XML finds every clause and schedule by its heading bookmark
with the text the assembly produced, the mandatory clauses first, and the manifest.
The pass reads text the way the reader does (toolkit.docx.reader) for the documents
the toolkit writes, without the field and layout bookkeeping that only `check` needs.
"""

from __future__ import annotations

from pathlib import Path

from toolkit.contract.model import Contract
from toolkit.docx.archive import DocxArchive, parse_xml
from toolkit.docx.conventions import EXECUTION_BOOKMARK, MC_NS, w
from toolkit.docx.manifest import ManifestError, read_manifest_xml
from toolkit.docx.reader import main_document
from toolkit.exceptions import ContractReadError, GuaranteeError, Problem
from toolkit.principles import MANDATORY_CLAUSES

_P, _TBL, _TR, _TC, _SDT = w("p"), w("tbl"), w("tr"), w("tc"), w("sdt")
_SDT_CONTENT, _BOOKMARK, _NAME = w("sdtContent"), w("bookmarkStart"), w("name")
_T, _NO_BREAK_HYPHEN = w("t"), w("noBreakHyphen")
_SPACES = (w("tab"), w("br"), w("cr"))
_TEXT_TAGS = (_T, _NO_BREAK_HYPHEN, *_SPACES)
_MARKS = {_NO_BREAK_HYPHEN: "-", **dict.fromkeys(_SPACES, " ")}
_OPENED = (w("customXml"), w("ins"), w("moveTo"))
# Text that a reader does not see: tracked deletions, moved-away text, fallback copies.
_HIDDEN = (w("del"), w("moveFrom"), f"{{{MC_NS}}}Fallback")


def verify_written(contract: Contract, path: Path, rendered: bytes) -> None:
    """Check the written file: the rendered bytes, every clause as assembled, the manifest.

    Raises GuaranteeError naming what is missing or different.
    """
    try:
        written = path.read_bytes()
    except OSError as exc:
        raise GuaranteeError(str(path), [Problem("", f"cannot be read back: {exc}")]) from None
    if written != rendered:
        raise GuaranteeError(
            str(path), [Problem("", "the file on disk differs from the contract rendered")]
        )
    problems = document_problems(contract, written)
    if problems:
        raise GuaranteeError(str(path), problems)


def document_problems(contract: Contract, docx: bytes) -> list[Problem]:
    """Return what a .docx lacks of the contract: clauses, their texts, the manifest."""
    try:
        archive = DocxArchive(docx)
        body = parse_xml(archive, main_document(archive)).find(w("body"))
    except ContractReadError as exc:
        return [Problem("", f"the written document cannot be read ({exc})")]
    if body is None:
        return [Problem("", "the written document has no body")]
    found = clause_lines(body, {part.bookmark for part in contract.parts})
    problems: list[Problem] = []
    for mandatory in MANDATORY_CLAUSES:
        part = contract.part(mandatory.id)
        if part is None or part.bookmark not in found:
            problems.append(
                Problem(
                    mandatory.id,
                    f"the written document lacks the {mandatory.role} clause",
                    mandatory.principle,
                )
            )
    for part in contract.parts:
        lines = found.get(part.bookmark)
        if lines is not None and lines != part.text_lines():
            problems.append(Problem(part.id, "the written text differs from the assembled text"))
        elif lines is None and not part.mandatory:
            problems.append(Problem(part.id, "the written document lacks this clause"))
    if not _has_manifest(archive):
        problems.append(Problem("manifest", "the written document carries no manifest"))
    return problems


def clause_lines(body, headings: set[str]) -> dict[str, list[str]]:
    """Return the text lines under each heading bookmark, up to the next or the execution page."""
    hidden = {inner for outer in body.iter(*_HIDDEN) for inner in outer.iter()}
    found: dict[str, list[str]] = {}
    current: list[str] | None = None
    for text, marks, row in _blocks(body, hidden):
        if EXECUTION_BOOKMARK in marks:
            current = None
        if not row:
            start = next((mark for mark in marks if mark in headings), None)
            if start is not None:
                current = found.setdefault(start, [])
        if text and current is not None:
            current.append(text)
    return found


def _blocks(body, hidden: set):
    """Yield (text, bookmarks, is a table row) for the body's paragraphs and table rows."""
    for element in body:
        tag = element.tag
        if tag == _P:
            yield _text(element, hidden), _marks(element), False
        elif tag == _TBL:
            for row in element.iter(_TR):
                cells = []
                marks: list[str] = []
                for cell in row.iter(_TC):
                    texts = []
                    for paragraph in cell.iter(_P):
                        marks += _marks(paragraph)
                        text = _text(paragraph, hidden)
                        if text:
                            texts.append(text)
                    cells.append(" ".join(texts))
                yield " ".join(" | ".join(cells).split()), marks, True
        elif tag == _SDT:
            content = element.find(_SDT_CONTENT)
            if content is not None:
                yield from _blocks(content, hidden)
        elif tag in _OPENED:
            yield from _blocks(element, hidden)


def _text(paragraph, hidden: set) -> str:
    nodes = paragraph.iter(*_TEXT_TAGS)
    if hidden:
        nodes = [node for node in nodes if node not in hidden]
    # A tab or a line break reads as a space, a non-breaking hyphen as a hyphen.
    text = "".join([_MARKS.get(node.tag) or node.text or "" for node in nodes])
    return " ".join(text.split())


def _marks(paragraph) -> list[str]:
    return [node.get(_NAME, "") for node in paragraph.iter(_BOOKMARK)]


def _has_manifest(archive: DocxArchive) -> bool:
    for name in archive.names:
        if name.startswith("customXml/") and name.endswith(".xml") and "itemProps" not in name:
            try:
                if read_manifest_xml(archive.read(name)) is not None:
                    return True
            except (ManifestError, ContractReadError):
                continue
    return False
