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

from toolkit.api import assemble
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
