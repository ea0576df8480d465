"""Helpers shared by the `check` and `compare` tests: one issued contract per session.

Every test runs with its own empty register (``conftest._private_register``), so a
contract assembled once for the whole session is recorded in a register of its own,
and each test that checks it first records that issue in the test's register, as the
NHS party's own register would hold it.
"""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass
from pathlib import Path

from conftest import rewrite_zip_part
from lxml import etree

from toolkit.api import assemble
from toolkit.docx.conventions import W_NS
from toolkit.register import IssuedContract, open_register


@dataclass(frozen=True)
class IssuedFile:
    """A contract as the toolkit issued it: the .docx and its record in the register."""

    path: Path
    record: IssuedContract

    def copy_to(self, target: Path) -> Path:
        """Copy the issued .docx to ``target`` and record the issue in the current register."""
        shutil.copyfile(self.path, target)
        record_issue(self.record)
        return target


def issue(spec: Path, folder: Path, library, *, draft: bool = False) -> IssuedFile:
    """Assemble ``spec`` into ``folder`` with a register of its own; return file and record."""
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / "contract.docx"
    register = folder / "register.sqlite3"
    assemble(spec, out, library=library, draft=draft, register=register)
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    with open_register(register) as opened:
        record = opened.find_by_docx_sha256(digest)
    assert record is not None, "assemble did not record the contract"
    return IssuedFile(out, record)


def record_issue(record: IssuedContract) -> None:
    """Record an issued contract in the current test's register (the default one)."""
    with open_register() as register:
        if register.find_by_docx_sha256(record.docx_sha256) is None:
            register.record(record)


def position_lines(spec: dict, clause_id: str, position_id: str, library) -> list[str]:
    """Return a clause's lines (heading first) when ``spec`` chooses that approved position."""
    import copy

    from toolkit.contract.assemble import assemble_contract
    from toolkit.spec import validate_spec

    raw = copy.deepcopy(spec)
    raw.setdefault("clauses", {}).setdefault("positions", {})[clause_id] = position_id
    contract = assemble_contract(validate_spec(raw, library, source="position"), library)
    return contract.part(clause_id).text_lines()


HEADINGS = ("Heading1", "ScheduleHeading")


def retype_clause(path: Path, lines: list[str]) -> Path:
    """Retype a clause's paragraphs with python-docx, as the other side would in Word.

    The clause is found by its heading (``lines[0]``); each body paragraph after it, up
    to the next heading, whose text differs from ``lines`` is retyped in one run with
    straight quotes; the others are left alone.
    """
    import docx

    document = docx.Document(str(path))
    paragraphs = document.paragraphs
    start = next(
        index
        for index, paragraph in enumerate(paragraphs)
        if _style_id(paragraph) in HEADINGS and paragraph.text.strip() == lines[0]
    )
    body = []
    for paragraph in paragraphs[start + 1 :]:
        if _style_id(paragraph) in HEADINGS:
            break
        if paragraph.text.strip():
            body.append(paragraph)
    wanted = lines[1:]
    assert len(body) == len(wanted), (len(body), len(wanted))
    changed = 0
    for paragraph, text in zip(body, wanted, strict=True):
        if " ".join(paragraph.text.split()) != " ".join(text.split()):
            straight = text.replace("\u201c", '"').replace("\u201d", '"').replace("\u2019", "'")
            paragraph.text = straight
            changed += 1
    assert changed, "the position's wording is the standard wording"
    document.save(str(path))
    return path


def _style_id(paragraph) -> str | None:
    """Return a python-docx paragraph's style id (None where the style is not defined)."""
    style = paragraph.style
    return style.style_id if style is not None else None


# -- editing a package's XML as a counterparty's tool would ---------------------------

W = f"{{{W_NS}}}"


def edit_xml(path: Path, part: str, change) -> Path:
    """Parse a part, let ``change(root)`` edit it, write it back."""

    def apply(data: bytes) -> bytes:
        root = etree.fromstring(data)
        change(root)
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    return rewrite_zip_part(path, part, apply)


def add_part(path: Path, name: str, data: bytes) -> Path:
    """Add a new part to the package."""
    import zipfile

    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr(name, data)
    return path


def clause_paragraphs(root, bookmark: str) -> list:
    """Return the body paragraphs (with text) of the clause whose heading has ``bookmark``."""
    found, inside = [], False
    for paragraph in root.iter(W + "p"):
        marks = [m.get(W + "name") for m in paragraph.iter(W + "bookmarkStart")]
        style = paragraph.find(f"{W}pPr/{W}pStyle")
        heading = style is not None and style.get(W + "val") in ("Heading1", "ScheduleHeading")
        if heading or "_Execution" in marks:
            inside = bookmark in marks
        if inside and "".join(t.text or "" for t in paragraph.iter(W + "t")).strip():
            found.append(paragraph)
    assert found, f"no paragraphs under {bookmark}"
    return found


def run_with(text: str, rpr: str = "") -> etree._Element:
    return etree.fromstring(
        f'<w:r xmlns:w="{W_NS}">{rpr}<w:t xml:space="preserve">{text}</w:t></w:r>'
    )


def paragraph_with(text: str, style: str | None = None) -> etree._Element:
    ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return etree.fromstring(
        f'<w:p xmlns:w="{W_NS}">{ppr}<w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'
    )
