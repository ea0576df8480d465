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
