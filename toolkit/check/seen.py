"""Comparing what a reader sees in the returned document with the issued document."""

from __future__ import annotations

from pathlib import Path

from toolkit.check.report import CheckReport
from toolkit.contract.model import Contract


def compare_seen(issued_docx: bytes, path: Path, contract: Contract, report: CheckReport) -> None:
    """Report every difference a reader would see beyond the clause text."""
    return None
