"""Converting contracts to PDF with headless LibreOffice, many documents per start.

A contract's contents list is a Word TOC field whose entries the toolkit fills in,
but whose page numbers (PAGEREF fields) it leaves empty: only a layout engine knows
them. Plain ``soffice --convert-to pdf`` prints fields as they were cached, so its
PDF has a contents list without page numbers. A conversion therefore runs like this:

1. Each document is copied into a temporary folder without its comments
   (``print_copy``): LibreOffice's locks and scratch files never touch the user's
   folders, and LibreOffice 7.4 cannot open a commented document through UNO.
2. LibreOffice starts once for the batch (``office``), headless, with a throw-away
   profile, and ``uno_helper.py``, run by a Python that can ``import uno``, updates
   each document's contents list and fields and exports it as a PDF.
3. Each PDF is installed beside its .docx through ``toolkit.output``, like every
   other output: whole or absent, never over an input, and never over an existing
   file (even one that appeared during the run) without ``force``.

Fallback: when no Python with uno can be found, or the helper cannot run, the
documents are converted with plain ``soffice --convert-to pdf`` (still one start
for all of them). That PDF is the same except that fields keep their cached
results, so the contents list has no page numbers; a warning says so and how to
get them (install python3-uno, or LibreOffice's own Python).
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

from toolkit.exceptions import ConversionError, OutputError
from toolkit.output import FileSet, check_target, install, temporary_beside
from toolkit.pdf import office
from toolkit.pdf.office import SECONDS_PER_DOCUMENT, START_SECONDS
from toolkit.pdf.print_copy import copy_without_comments

__all__ = ["convert_to_pdf"]

log = logging.getLogger(__name__)


def convert_to_pdf(
    documents: Iterable[str | os.PathLike], *, force: bool = False, timeout: float | None = None
) -> list[Path]:
    """Convert .docx files to PDFs beside them with one LibreOffice start; return the PDFs.

    Contents lists, page references and other fields are brought up to date first
    (see the module's docstring, which also describes the fallback when LibreOffice's
    Python bridge is missing). An existing PDF is refused unless ``force``; nothing is
    converted then. ``timeout`` is the limit for the whole run, by default a minute to
    start plus a minute a document. Raises ConversionError, naming the documents, when
    LibreOffice is missing, fails or runs out of time; PDFs of the other documents of a
    batch are still written.
    """
    sources = [Path(document) for document in documents]
    if not sources:
        return []
    targets = _targets(sources, force=force)
    limit = timeout if timeout is not None else START_SECONDS + SECONDS_PER_DOCUMENT * len(sources)
    named = ", ".join(map(str, sources))
    try:
        errors, written = _run(sources, targets, force=force, limit=limit)
    except office.TimedOut:
        raise ConversionError(
            f"LibreOffice did not finish within {limit:g} s and was stopped. "
            f"No PDF was written for {named}."
        ) from None
    except ConversionError as exc:
        raise ConversionError(f"{exc} No PDF was written for {named}.") from None
    except OSError as exc:  # the temporary folder cannot be made or used
        raise ConversionError(
            f"PDF conversion failed: {exc.filename or 'temporary folder'}: "
            f"{exc.strerror or exc}. No PDF was written for {named}."
        ) from None
    if errors:
        failed = "; ".join(f"{sources[number]}: {errors[number]}" for number in sorted(errors))
        done = f" PDFs written: {', '.join(map(str, written))}." if written else ""
        raise ConversionError(f"No PDF was written for {failed}.{done}")
    return targets


def _targets(sources: list[Path], *, force: bool) -> list[Path]:
    """Return the PDF beside each document, refusing what ``toolkit.output`` refuses.

    Raises ConversionError for a missing document, a document given twice, or a PDF
    path that is taken (without ``force``), a folder, or one of the documents.
    """
    targets: list[Path] = []
    taken, inputs = FileSet(), FileSet(sources)
    for source in sources:
        if not source.is_file():
            raise ConversionError(f"{source}: no such document; no PDF was written.")
        target = source.with_suffix(".pdf")
        if taken.find(target) is not None:
            raise ConversionError(f"{source}: given twice; no PDF was written.")
        try:
            check_target(target, force=force, inputs=inputs)
        except OutputError as exc:
            raise ConversionError(str(exc)) from None
        targets.append(target)
        taken.add(target)
    return targets


def _run(
    sources: list[Path], targets: list[Path], *, force: bool, limit: float
) -> tuple[dict[int, str], list[Path]]:
    """Convert and install; return the errors by document position and the PDFs written."""
    soffice = office.find_soffice()
    deadline = time.monotonic() + limit
    with tempfile.TemporaryDirectory(prefix="nhs-contracts-pdf-") as folder:
        work = Path(folder)
        (work / "in").mkdir()
        (work / "out").mkdir()
        # Numbered names: LibreOffice's plain conversion names each PDF after its source.
        jobs = [
            (work / "in" / f"{number}{source.suffix}", work / "out" / f"{number}.pdf")
            for number, source in enumerate(sources)
        ]
        for source, (copy, _) in zip(sources, jobs, strict=True):
            try:
                copy_without_comments(source, copy)
            except OSError as exc:
                raise ConversionError(f"{source}: cannot be read ({exc.strerror}).") from None
        errors = _convert(soffice, jobs, work, deadline)
        written = []
        for number, ((_, produced), target) in enumerate(zip(jobs, targets, strict=True)):
            if number not in errors and not produced.is_file():
                errors[number] = "LibreOffice wrote no PDF"
            if number not in errors:
                try:
                    _install(produced, target, force=force)
                    written.append(target)
                except OutputError as exc:
                    errors[number] = str(exc)
    return errors, written


def _convert(
    soffice: str, jobs: list[tuple[Path, Path]], work: Path, deadline: float
) -> dict[int, str]:
    """Convert through UNO if possible, else plainly; return errors by document position."""
    python = office.find_uno_python(soffice)
    if python is not None:
        try:
            return office.convert_with_uno(soffice, python, jobs, work, deadline)
        except office.HelperUnusable as exc:
            log.debug("LibreOffice's Python bridge failed: %s", exc)
    log.warning(
        "LibreOffice's Python bridge (uno) is not usable here, so the PDF's contents "
        "list has no page numbers; install python3-uno (Debian/Ubuntu) or use a "
        "LibreOffice that ships its own Python."
    )
    return office.convert_plainly(soffice, jobs, work, deadline)


def _install(produced: Path, target: Path, *, force: bool) -> None:
    """Copy a PDF beside its target, then move it into place whole (``toolkit.output``)."""
    temporary = temporary_beside(target)
    try:
        with produced.open("rb") as source, temporary.open("wb") as stream:
            shutil.copyfileobj(source, stream)
            stream.flush()
            os.fsync(stream.fileno())
        install(temporary, target, force=force)
    except OSError as exc:
        raise OutputError(f"{target}: cannot write ({exc.strerror}); no PDF was written.") from None
    finally:
        temporary.unlink(missing_ok=True)
