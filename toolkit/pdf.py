"""Converting contracts to PDF with headless LibreOffice, many documents per start."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from toolkit.exceptions import ConversionError

TIMEOUT_SECONDS = 300


def find_soffice() -> str:
    """Return the LibreOffice executable, or raise ConversionError saying how to get it."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    raise ConversionError(
        "LibreOffice is needed for --pdf but was not found on PATH; install it "
        "(on Debian: apt-get install libreoffice-writer-nogui) or leave out --pdf. "
        "The .docx was written."
    )


def convert_to_pdf(documents: list[Path], *, force: bool = False) -> list[Path]:
    """Convert .docx files to PDFs beside them with one LibreOffice start."""
    soffice = find_soffice()
    targets = [doc.with_suffix(".pdf") for doc in documents]
    with tempfile.TemporaryDirectory(prefix="nhs-contracts-pdf-") as work:
        profile = Path(work, "profile").as_uri()
        command = [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            work,
            *[str(doc) for doc in documents],
        ]
        try:
            result = subprocess.run(
                command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False
            )
        except subprocess.TimeoutExpired:
            raise ConversionError(f"LibreOffice took over {TIMEOUT_SECONDS} s; no PDF written") from None
        for doc, target in zip(documents, targets):
            produced = Path(work, doc.with_suffix(".pdf").name)
            if not produced.exists():
                detail = (result.stderr or result.stdout).strip().splitlines()
                raise ConversionError(
                    f"LibreOffice did not convert {doc} to PDF"
                    + (f": {detail[-1]}" if detail else "")
                )
            if target.exists() and not force:
                raise ConversionError(f"{target}: already exists; use --force to replace it")
            os.replace(produced, target) if _same_device(produced, target) else shutil.move(
                produced, target
            )
    return targets


def _same_device(a: Path, b: Path) -> bool:
    return os.stat(a).st_dev == os.stat(b.parent).st_dev
