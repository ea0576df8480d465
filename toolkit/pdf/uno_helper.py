"""Convert documents to PDF inside a running LibreOffice, over its UNO bridge.

This file is not imported by the toolkit: ``toolkit.pdf.office`` runs it by path
under a Python that can ``import uno`` (LibreOffice's own, or the system's with
python3-uno), which is usually not the toolkit's own interpreter. It therefore
imports nothing from the toolkit and keeps to the standard library and uno.

Usage: ``python uno_helper.py JOB.json``. The job (JSON) names the pipe to connect
to, how long to try, the results file and the documents::

    {"connect": "uno:pipe,name=...;urp;StarOffice.ComponentContext",
     "connect_seconds": 60, "results": "/tmp/.../results.json",
     "documents": [{"source": "/tmp/.../0.docx", "target": "/tmp/.../0.pdf"}]}

After each document the results file is rewritten whole: ``{"0": null}`` for a PDF
written, ``{"0": "why not"}`` for a failure. Exit status 0 when done (whatever the
documents' results), ``NO_OFFICE`` (3) when LibreOffice never answered.
"""

from __future__ import annotations

import json
import os
import sys
import time
from typing import Any

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException

# Exit status when LibreOffice did not answer within the job's connect_seconds.
NO_OFFICE = 3
# Index and field updates run twice: a contents list that grows moves the pages
# after it, which changes the page numbers it lists.
UPDATE_PASSES = 2
# The PDF export filter's options. Comments (a draft's open items) are not printed:
# the open items stay visible in the text, highlighted as [●].
PDF_EXPORT_OPTIONS = {
    "UseTaggedPDF": True,
    "ExportBookmarks": True,
    "ExportNotes": False,
    "ExportNotesInMargin": False,
    "ExportNotesPages": False,
}


def properties(**values: Any) -> tuple[Any, ...]:
    """Return UNO PropertyValues, one for each keyword."""
    result = []
    for name, value in values.items():
        prop = PropertyValue()
        prop.Name, prop.Value = name, value
        result.append(prop)
    return tuple(result)


def report(path: str, results: dict[str, str | None]) -> None:
    """Write the results so far, whole: the caller may read them at any moment."""
    with open(path + ".part", "w", encoding="utf-8") as stream:
        json.dump(results, stream)
    os.replace(path + ".part", path)


def separate_numbers(index: Any) -> None:
    """Put a tab between each contents entry's number and title, as Word's entries have.

    LibreOffice rebuilds a contents list from its own entry format, which joins the
    heading number to the title with nothing between them.
    """
    if not index.supportsService("com.sun.star.text.ContentIndex"):
        return
    formats = index.LevelFormat
    for level in range(1, formats.getCount()):
        tokens = list(formats.getByIndex(level))
        kinds = [{p.Name: p.Value for p in token}.get("TokenType") for token in tokens]
        changed = []
        for position, token in enumerate(tokens):
            changed.append(token)
            following = kinds[position + 1] if position + 1 < len(kinds) else None
            if kinds[position] == "TokenEntryNumber" and following == "TokenEntryText":
                changed.append(
                    properties(
                        TokenType="TokenTabStop",
                        TabStopRightAligned=False,
                        TabStopPosition=0,
                        TabStopFillCharacter=" ",
                        WithTab=True,
                    )
                )
        if len(changed) != len(tokens):
            value = uno.Any("[][]com.sun.star.beans.PropertyValue", tuple(changed))
            uno.invoke(formats, "replaceByIndex", (level, value))
    index.LevelFormat = formats


def update_fields(document: Any) -> None:
    """Bring the contents list, page references and other fields up to date."""
    if not hasattr(document, "getDocumentIndexes"):
        return
    indexes = document.getDocumentIndexes()
    fields = document.getTextFields()
    for number in range(indexes.getCount()):
        separate_numbers(indexes.getByIndex(number))
    fields.refresh()
    for _ in range(UPDATE_PASSES):
        for number in range(indexes.getCount()):
            indexes.getByIndex(number).update()
        fields.refresh()


def convert(desktop: Any, source: str, target: str) -> None:
    """Open ``source`` hidden, update its fields, export it as a PDF to ``target``."""
    document = desktop.loadComponentFromURL(
        uno.systemPathToFileUrl(source), "_blank", 0, properties(Hidden=True)
    )
    if document is None:
        raise RuntimeError("LibreOffice could not open it")
    try:
        update_fields(document)
        options = uno.Any("[]com.sun.star.beans.PropertyValue", properties(**PDF_EXPORT_OPTIONS))
        document.storeToURL(
            uno.systemPathToFileUrl(target),
            properties(FilterName="writer_pdf_Export", FilterData=options),
        )
    finally:
        document.close(True)


def connect(address: str, seconds: float) -> Any:
    """Return LibreOffice's desktop at ``address``, trying for ``seconds``; None if never."""
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    deadline = time.monotonic() + seconds
    while True:
        try:
            context = resolver.resolve(address)
            break
        except NoConnectException:
            if time.monotonic() > deadline:
                return None
            time.sleep(0.1)
    return context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)


def run(job: dict[str, Any]) -> int:
    """Convert the job's documents, reporting after each; return the exit status."""
    desktop = connect(job["connect"], job["connect_seconds"])
    if desktop is None:
        return NO_OFFICE
    results: dict[str, str | None] = {}
    for number, item in enumerate(job["documents"]):
        try:
            convert(desktop, item["source"], item["target"])
            results[str(number)] = None
        # Any failure of one document (a UNO exception, an unreadable file) is that
        # document's result; the rest of the batch still converts.
        except Exception as exc:  # noqa: BLE001
            results[str(number)] = getattr(exc, "Message", "") or str(exc) or type(exc).__name__
        report(job["results"], results)
    try:
        desktop.terminate()
    except Exception:  # noqa: BLE001, S110 - LibreOffice may drop the bridge as it quits
        pass
    return 0


def main() -> None:
    """Read the job file named on the command line and run it."""
    with open(sys.argv[1], encoding="utf-8") as stream:
        job = json.load(stream)
    status = run(job)
    sys.stdout.flush()
    # Leave at once: tearing down the UNO bridge at interpreter exit can crash.
    os._exit(status)


if __name__ == "__main__":
    main()
