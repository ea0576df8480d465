"""Converting contracts to PDF with headless LibreOffice, many documents per start.

A contract's contents list is a Word TOC field whose entries the toolkit fills in,
but whose page numbers (PAGEREF fields) it leaves empty: only a layout engine knows
them. Plain ``soffice --convert-to pdf`` prints fields as they were cached, so its
PDF has a contents list without page numbers. A conversion therefore runs like this:

1. LibreOffice starts once, headless, with a throw-away user profile in a temporary
   folder, listening on a private named pipe.
2. A small helper (``HELPER`` below) runs under a Python that can ``import uno``:
   LibreOffice's own Python, or the system's with python3-uno (the toolkit's own
   interpreter, in a virtual environment, usually cannot). It connects over the
   pipe and, for each document: loads it hidden, updates its indexes (the contents
   list) and refreshes its fields (page references, cross-references, page counts),
   exports it with ``writer_pdf_Export`` into the temporary folder, and closes it.
   Then it shuts LibreOffice down.
3. Each PDF is copied beside its .docx under a temporary name and renamed into
   place, so a PDF is whole or absent; an existing PDF is replaced only with
   ``force``. The temporary folder (profile, LibreOffice's own scratch files, the
   PDFs) is removed whatever happens, and every run has a time limit.

Fallback: when no Python with uno can be found, or the helper cannot run, the
documents are converted with plain ``soffice --convert-to pdf`` (still one start
for all of them). That PDF is the same except that fields keep their cached
results, so the contents list has no page numbers; a warning says so and how to
get them (install python3-uno, or LibreOffice's own Python).
"""

from __future__ import annotations

import functools
import glob
import hashlib
import json
import logging
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
import zipfile
from collections.abc import Iterable
from pathlib import Path

from toolkit.exceptions import ConversionError

log = logging.getLogger(__name__)

# Time limits, in seconds: LibreOffice's start, each document, and its shutdown.
START_SECONDS = 60
SECONDS_PER_DOCUMENT = 60
QUIT_SECONDS = 15
PROBE_SECONDS = 20
# Where LibreOffice lives when it is not on PATH (macOS, Windows, tarball installs).
KNOWN_LOCATIONS = (
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    "C:/Program Files/LibreOffice/program/soffice.exe",
    "C:/Program Files (x86)/LibreOffice/program/soffice.exe",
    "/opt/libreoffice*/program/soffice",
)
# Pythons that may be able to import uno, after LibreOffice's own.
SYSTEM_PYTHONS = ("/usr/bin/python3", "python3", "python")
INSTALL_HINT = (
    "install LibreOffice (on Debian or Ubuntu: apt-get install libreoffice-writer-nogui "
    "python3-uno; elsewhere: https://www.libreoffice.org/download/) or leave out --pdf"
)

# Run by a Python that can import uno; argv: job file. Writes the results file named
# in the job after each document. Exit 0 done, 3 LibreOffice never answered.
HELPER = r'''
import json, os, sys, time

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException


def props(**values):
    result = []
    for name, value in values.items():
        prop = PropertyValue()
        prop.Name, prop.Value = name, value
        result.append(prop)
    return tuple(result)


def report(path, results):
    with open(path + ".part", "w", encoding="utf-8") as stream:
        json.dump(results, stream)
    os.replace(path + ".part", path)


def separate_numbers(index):
    """Put a tab between each entry's number and title, as the entries written had."""
    if not index.supportsService("com.sun.star.text.ContentIndex"):
        return
    formats = index.LevelFormat
    for level in range(1, formats.getCount()):
        tokens = list(formats.getByIndex(level))
        kinds = [dict((p.Name, p.Value) for p in token).get("TokenType") for token in tokens]
        changed = []
        for position, token in enumerate(tokens):
            changed.append(token)
            following = kinds[position + 1] if position + 1 < len(kinds) else None
            if kinds[position] == "TokenEntryNumber" and following == "TokenEntryText":
                changed.append(props(TokenType="TokenTabStop", TabStopRightAligned=False,
                                     TabStopPosition=0, TabStopFillCharacter=" ",
                                     WithTab=True))
        if len(changed) != len(tokens):
            value = uno.Any("[][]com.sun.star.beans.PropertyValue", tuple(changed))
            uno.invoke(formats, "replaceByIndex", (level, value))
    index.LevelFormat = formats


def convert(desktop, source, target):
    document = desktop.loadComponentFromURL(
        uno.systemPathToFileUrl(source), "_blank", 0,
        props(Hidden=True),
    )
    if document is None:
        raise RuntimeError("LibreOffice could not open it")
    try:
        if hasattr(document, "getDocumentIndexes"):
            indexes = document.getDocumentIndexes()
            fields = document.getTextFields()
            for number in range(indexes.getCount()):
                separate_numbers(indexes.getByIndex(number))
            fields.refresh()
            # Twice: a contents list that grows moves pages, which moves its numbers.
            for _ in range(2):
                for number in range(indexes.getCount()):
                    indexes.getByIndex(number).update()
                fields.refresh()
        pdf_options = uno.Any("[]com.sun.star.beans.PropertyValue",
                              props(UseTaggedPDF=True, ExportBookmarks=True))
        document.storeToURL(uno.systemPathToFileUrl(target),
                            props(FilterName="writer_pdf_Export", FilterData=pdf_options))
    finally:
        document.close(True)


def main():
    with open(sys.argv[1], encoding="utf-8") as stream:
        job = json.load(stream)
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + job["connect_seconds"]
    while True:
        try:
            context = resolver.resolve(job["connect"])
            break
        except NoConnectException:
            if time.monotonic() > deadline:
                os._exit(3)
            time.sleep(0.1)
    desktop = context.ServiceManager.createInstanceWithContext(
        "com.sun.star.frame.Desktop", context)
    results = {}
    for number, item in enumerate(job["documents"]):
        try:
            convert(desktop, item["source"], item["target"])
            results[str(number)] = None
        except Exception as exc:
            results[str(number)] = getattr(exc, "Message", "") or str(exc) or type(exc).__name__
        report(job["results"], results)
    try:
        desktop.terminate()
    except Exception:
        pass
    sys.stdout.flush()
    # Leave at once: tearing down the UNO bridge at interpreter exit can crash.
    os._exit(0)


main()
'''


class _HelperUnusable(Exception):
    """The UNO helper could not run; plain conversion may still work."""


class _TimedOut(Exception):
    """LibreOffice ran past the deadline and was stopped."""


def find_soffice() -> str:
    """Return the LibreOffice executable, or raise ConversionError saying how to get it."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for pattern in KNOWN_LOCATIONS:
        for found in sorted(glob.glob(pattern), reverse=True):
            if os.access(found, os.X_OK):
                return found
    raise ConversionError(
        f"LibreOffice is needed for --pdf but was not found on PATH; {INSTALL_HINT}."
    )


def _program_dir(soffice: str) -> Path:
    return Path(soffice).resolve().parent


def _helper_env(soffice: str) -> dict[str, str]:
    """Return the environment for a uno Python: LibreOffice's program folder on its path."""
    env = dict(os.environ)
    paths = [env["PYTHONPATH"]] if env.get("PYTHONPATH") else []
    env["PYTHONPATH"] = os.pathsep.join([*paths, str(_program_dir(soffice))])
    return env


@functools.lru_cache(maxsize=8)
def find_uno_python(soffice: str) -> str | None:
    """Return a Python that can ``import uno`` for this LibreOffice, or None.

    LibreOffice's own Python comes first (Windows, macOS and tarball installs ship
    one), then the system's (Debian's python3-uno), then this interpreter.
    """
    program = _program_dir(soffice)
    candidates = [
        program / "python",
        program / "python.exe",
        program.parent / "Resources" / "python",  # macOS: Contents/Resources
    ]
    candidates = [str(path) for path in candidates if path.is_file()]
    for name in SYSTEM_PYTHONS:
        found = shutil.which(name)
        if found:
            candidates.append(found)
    candidates.append(sys.executable)
    env = _helper_env(soffice)
    for candidate in dict.fromkeys(candidates):
        try:
            probe = subprocess.run(
                [candidate, "-c", "import uno"],
                capture_output=True,
                env=env,
                timeout=PROBE_SECONDS,
                check=False,
            )
        except (OSError, subprocess.SubprocessError):
            continue
        if probe.returncode == 0:
            return candidate
    return None


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
    targets = _check_documents(sources, force=force)
    limit = timeout if timeout is not None else START_SECONDS + SECONDS_PER_DOCUMENT * len(sources)
    try:
        errors, written = _run(sources, targets, force=force, limit=limit)
    except _TimedOut:
        raise ConversionError(
            f"LibreOffice did not finish within {limit:g} s and was stopped. "
            f"No PDF was written for {', '.join(map(str, sources))}."
        ) from None
    except ConversionError as exc:
        raise ConversionError(
            f"{exc} No PDF was written for {', '.join(map(str, sources))}."
        ) from None
    except OSError as exc:  # the temporary folder cannot be made or used
        raise ConversionError(
            f"PDF conversion failed: {exc.filename or 'temporary folder'}: "
            f"{exc.strerror or exc}. No PDF was written for {', '.join(map(str, sources))}."
        ) from None
    if errors:
        failed = "; ".join(f"{sources[number]}: {errors[number]}" for number in sorted(errors))
        done = f" PDFs written: {', '.join(map(str, written))}." if written else ""
        raise ConversionError(f"No PDF was written for {failed}.{done}")
    return targets


def _run(
    sources: list[Path], targets: list[Path], *, force: bool, limit: float
) -> tuple[dict[int, str], list[Path]]:
    """Convert and install; return the errors by document position and the PDFs written."""
    soffice = find_soffice()
    deadline = time.monotonic() + limit
    with tempfile.TemporaryDirectory(prefix="nhs-contracts-pdf-") as folder:
        work = Path(folder)
        # LibreOffice reads copies: its lock files then never touch the user's folders.
        copies = [work / "in" / f"{number}{source.suffix}" for number, source in enumerate(sources)]
        outputs = [work / "out" / f"{number}.pdf" for number in range(len(sources))]
        for folder_path in (copies[0].parent, outputs[0].parent):
            folder_path.mkdir()
        for source, copy in zip(sources, copies, strict=True):
            try:
                _copy_without_comments(source, copy)
            except OSError as exc:
                raise ConversionError(f"{source}: cannot be read ({exc.strerror}).") from None
        errors = _convert(soffice, copies, outputs, work, deadline)
        written = []
        for number, (output, target) in enumerate(zip(outputs, targets, strict=True)):
            if number not in errors and not output.is_file():
                errors[number] = "LibreOffice wrote no PDF"
            if number not in errors:
                try:
                    _install(output, target, force=force)
                    written.append(target)
                except ConversionError as exc:
                    errors[number] = str(exc)
    return errors, written


_COMMENT_MARKS = re.compile(
    rb'<w:commentRange(?:Start|End) w:id="\d+"/>'
    rb'|<w:r><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr>'
    rb'<w:commentReference w:id="\d+"/></w:r>'
)
_EMPTY_COMMENTS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<w:comments xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>'
)


def _copy_without_comments(source: Path, copy: Path) -> None:
    """Copy a .docx for conversion, leaving out its comments.

    LibreOffice 7.4 crashes when it opens a document with comments through UNO, and a
    PDF does not show comments anyway; the open items stay highlighted as [●].
    """
    try:
        archive = zipfile.ZipFile(source)
    except zipfile.BadZipFile:
        shutil.copyfile(source, copy)  # LibreOffice will say what is wrong with it
        return
    with archive, zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as target:
        for info in archive.infolist():
            blob = archive.read(info.filename)
            if info.filename == "word/document.xml":
                blob = _COMMENT_MARKS.sub(b"", blob)
            elif info.filename == "word/comments.xml":
                blob = _EMPTY_COMMENTS
            target.writestr(info, blob)


def _convert(
    soffice: str, copies: list[Path], outputs: list[Path], work: Path, deadline: float
) -> dict[int, str]:
    """Convert through UNO if possible, else plainly; return errors by document position."""
    python = find_uno_python(soffice)
    if python is not None:
        try:
            return _convert_with_uno(soffice, python, copies, outputs, work, deadline)
        except _HelperUnusable as exc:
            log.debug("LibreOffice's Python bridge failed: %s", exc)
    log.warning(
        "LibreOffice's Python bridge (uno) is not usable here, so the PDF's contents "
        "list has no page numbers; install python3-uno (Debian/Ubuntu) or use a "
        "LibreOffice that ships its own Python."
    )
    return _convert_plainly(soffice, copies, outputs, work, deadline)


def _check_documents(sources: list[Path], *, force: bool) -> list[Path]:
    """Return the PDF beside each document; refuse missing documents and taken targets."""
    targets = []
    for source in sources:
        if not source.is_file():
            raise ConversionError(f"{source}: no such document; no PDF was written.")
        target = source.with_suffix(".pdf")
        if target.is_dir():
            raise ConversionError(f"{target}: is a folder; no PDF was written.")
        if target.exists() and not force:
            raise ConversionError(
                f"{target}: already exists; no PDF was written. Use --force to replace it."
            )
        if not os.access(target.parent, os.W_OK):
            raise ConversionError(f"{target}: the folder is not writable; no PDF was written.")
        if target.resolve() in {t.resolve() for t in targets}:
            raise ConversionError(f"{source}: given twice; no PDF was written.")
        targets.append(target)
    return targets


def _soffice_command(soffice: str, profile: Path, *options: str) -> list[str]:
    return [
        soffice,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--invisible",
        "--nocrashreport",
        "--nodefault",
        "--nologo",
        "--nolockcheck",
        "--norestore",
        *options,
    ]


def _soffice_env(work: Path) -> dict[str, str]:
    """LibreOffice's environment: its scratch files go in the temporary folder."""
    scratch = work / "tmp"
    scratch.mkdir(exist_ok=True)
    return {**os.environ, "TMPDIR": str(scratch), "TMP": str(scratch), "TEMP": str(scratch)}


def _start(command: list[str], log_path: Path, env: dict[str, str]) -> subprocess.Popen:
    with log_path.open("ab") as log_file:
        try:
            return subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                env=env,
                start_new_session=True,
            )
        except OSError as exc:
            raise ConversionError(
                f"LibreOffice could not be started ({command[0]}: {exc.strerror}); {INSTALL_HINT}."
            ) from None


def _stop(process: subprocess.Popen) -> None:
    """End a process started here and everything it started (its own session)."""
    if process.poll() is None:
        try:
            if hasattr(os, "killpg"):
                os.killpg(process.pid, signal.SIGKILL)
            else:
                process.kill()
        except (ProcessLookupError, PermissionError):
            pass
    try:
        process.wait(timeout=QUIT_SECONDS)
    except subprocess.TimeoutExpired:
        pass


def _remove_pipes(profile: Path, pipe: str | None) -> None:
    """Remove the named pipes a LibreOffice that was stopped leaves in /tmp."""
    if not hasattr(os, "getuid"):
        return
    # LibreOffice names its single-instance pipe after the MD5 of the profile URL
    # (as UTF-16), each byte in hexadecimal without a leading zero.
    digest = hashlib.md5(profile.as_uri().encode("utf-16-le"), usedforsecurity=False).digest()
    digest = "".join(f"{byte:x}" for byte in digest)
    names = [f"SingleOfficeIPC_{digest}"] + ([pipe] if pipe else [])
    for folder in ("/tmp", "/var/tmp"):  # noqa: S108 - where LibreOffice puts them
        for name in names:
            Path(folder, f"OSL_PIPE_{os.getuid()}_{name}").unlink(missing_ok=True)


def _tail(path: Path) -> str:
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ""
    lines = [line for line in lines if line.strip() and "javaldx" not in line]
    return lines[-1].strip() if lines else ""


def _convert_with_uno(
    soffice: str,
    python: str,
    copies: list[Path],
    outputs: list[Path],
    work: Path,
    deadline: float,
) -> dict[int, str]:
    """Convert through the UNO helper; return each failed document's error by position."""
    started = time.monotonic()
    profile = work / "profile"
    pipe = f"nhs_contracts_{uuid.uuid4().hex}"
    results = work / "results.json"
    job = work / "job.json"
    helper = work / "helper.py"
    helper.write_text(HELPER, encoding="utf-8")
    job.write_text(
        json.dumps(
            {
                "connect": f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext",
                "connect_seconds": min(START_SECONDS, deadline - started),
                "results": str(results),
                "documents": [
                    {"source": str(copy), "target": str(output)}
                    for copy, output in zip(copies, outputs, strict=True)
                ],
            }
        ),
        encoding="utf-8",
    )
    command = _soffice_command(
        soffice, profile, f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"
    )
    env = _soffice_env(work)
    office = _start(command, work / "soffice.log", env)
    driver = None
    try:
        helper_env = {
            **_helper_env(soffice),
            **{key: env[key] for key in ("TMPDIR", "TMP", "TEMP")},
        }
        driver = _start([python, str(helper), str(job)], work / "helper.log", helper_env)
        while driver.poll() is None:
            if office.poll() is not None:
                detail = _tail(work / "soffice.log")
                raise ConversionError(
                    f"LibreOffice stopped unexpectedly (exit code {office.returncode})"
                    + (f": {detail}" if detail else "")
                    + "."
                )
            if time.monotonic() > deadline:
                raise _TimedOut
            time.sleep(0.05)
        if driver.returncode == 3:
            detail = _tail(work / "soffice.log")
            raise ConversionError(
                "LibreOffice did not start"
                + (f" ({detail})" if detail else "")
                + f"; {INSTALL_HINT}."
            )
        if not results.is_file():
            raise _HelperUnusable(_tail(work / "helper.log") or f"exit code {driver.returncode}")
        reported = json.loads(results.read_text(encoding="utf-8"))
        errors = {
            number: reported.get(str(number)) or "LibreOffice stopped before converting it"
            for number in range(len(copies))
            if str(number) not in reported or reported[str(number)]
        }
        # The helper asked LibreOffice to quit; give it a moment to do so cleanly.
        try:
            office.wait(timeout=max(1.0, min(QUIT_SECONDS, deadline - time.monotonic())))
        except subprocess.TimeoutExpired:
            pass
        return errors
    finally:
        clean = office.poll() is not None
        if driver is not None and driver.poll() is None:
            _stop(driver)
        _stop(office)
        if not clean:
            _remove_pipes(profile, pipe)


def _convert_plainly(
    soffice: str, copies: list[Path], outputs: list[Path], work: Path, deadline: float
) -> dict[int, str]:
    """Convert with ``soffice --convert-to pdf``: fields keep their cached results."""
    started = time.monotonic()
    profile = work / "profile-plain"
    command = _soffice_command(
        soffice,
        profile,
        "--convert-to",
        "pdf:writer_pdf_Export",
        "--outdir",
        str(outputs[0].parent),
        *map(str, copies),
    )
    office = _start(command, work / "convert.log", _soffice_env(work))
    try:
        office.wait(timeout=max(0.0, deadline - started))
    except subprocess.TimeoutExpired:
        raise _TimedOut from None
    finally:
        clean = office.poll() is not None
        _stop(office)
        if not clean:
            _remove_pipes(profile, None)
    detail = _tail(work / "convert.log")
    return {
        number: "LibreOffice wrote no PDF" + (f" ({detail})" if detail else "")
        for number, output in enumerate(outputs)
        if not output.is_file()
    }


def _install(produced: Path, target: Path, *, force: bool) -> None:
    """Copy a PDF beside its target under a temporary name, then rename it into place."""
    try:
        handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise ConversionError(f"{target}: cannot write here ({exc.strerror}).") from None
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as stream, produced.open("rb") as source:
            shutil.copyfileobj(source, stream)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
        if force:
            os.replace(temporary, target)
        else:
            _link_new(temporary, target)
    except OSError as exc:
        raise ConversionError(f"{target}: cannot write ({exc.strerror}).") from None
    finally:
        temporary.unlink(missing_ok=True)


def _link_new(temporary: Path, target: Path) -> None:
    """Put a file in place only if nothing is there, even if something appeared meanwhile."""
    try:
        os.link(temporary, target)
    except FileExistsError:
        raise ConversionError(
            f"{target}: already exists; not replaced. Use --force to replace it."
        ) from None
    except OSError:  # no hard links on this file system
        if target.exists():
            raise ConversionError(
                f"{target}: already exists; not replaced. Use --force to replace it."
            ) from None
        os.replace(temporary, target)
