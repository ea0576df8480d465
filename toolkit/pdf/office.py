"""Headless LibreOffice: finding it and a Python with uno, running it with time limits.

Each run starts LibreOffice once, headless, with a throw-away user profile inside the
run's temporary folder and its scratch files there too, and stops it (and everything
it started) whatever happens. A LibreOffice that had to be killed leaves named pipes
in /tmp; they are removed.

Two ways to convert a batch:

- ``convert_with_uno``: LibreOffice listens on a private named pipe and
  ``uno_helper.py`` (run by path, under a Python that can ``import uno``) drives it,
  updating every document's contents list and fields before exporting it.
- ``convert_plainly``: ``soffice --convert-to pdf``; fields keep their cached results.
"""

from __future__ import annotations

import functools
import glob
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

from toolkit.exceptions import ConversionError

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
# The script a uno Python runs; it ships in this package (see its docstring).
HELPER_SCRIPT = Path(__file__).with_name("uno_helper.py")
# uno_helper.py's exit status when LibreOffice never answered (its NO_OFFICE).
HELPER_NO_OFFICE = 3
# How often a waiting run looks at its processes, in seconds.
POLL_SECONDS = 0.05


class HelperUnusable(Exception):
    """The UNO helper could not run; plain conversion may still work."""


class TimedOut(Exception):
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


def uno_environment(soffice: str) -> dict[str, str]:
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
    found = [str(path) for path in candidates if path.is_file()]
    found += [path for path in map(shutil.which, SYSTEM_PYTHONS) if path]
    found.append(sys.executable)
    env = uno_environment(soffice)
    for candidate in dict.fromkeys(found):
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


def soffice_command(soffice: str, profile: Path, *options: str) -> list[str]:
    """Return the command line of a headless LibreOffice with its own user profile."""
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


def scratch_environment(work: Path, base: dict[str, str] | None = None) -> dict[str, str]:
    """Return ``base`` (or this process's environment) with scratch files kept in ``work``."""
    scratch = work / "tmp"
    scratch.mkdir(exist_ok=True)
    base = dict(os.environ) if base is None else base
    return {**base, "TMPDIR": str(scratch), "TMP": str(scratch), "TEMP": str(scratch)}


def start(command: list[str], log_path: Path, env: dict[str, str]) -> subprocess.Popen:
    """Start a process in its own session, its output going to ``log_path``."""
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


def stop(process: subprocess.Popen) -> None:
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


def remove_pipes(profile: Path, pipe: str | None) -> None:
    """Remove the named pipes a LibreOffice that was stopped leaves in /tmp."""
    if not hasattr(os, "getuid"):
        return
    # LibreOffice names its single-instance pipe after the MD5 of the profile URL
    # (as UTF-16), each byte in hexadecimal without a leading zero.
    digest = hashlib.md5(profile.as_uri().encode("utf-16-le"), usedforsecurity=False).digest()
    hex_digest = "".join(f"{byte:x}" for byte in digest)
    names = [f"SingleOfficeIPC_{hex_digest}"] + ([pipe] if pipe else [])
    for folder in ("/tmp", "/var/tmp"):  # noqa: S108 - where LibreOffice puts them
        for name in names:
            Path(folder, f"OSL_PIPE_{os.getuid()}_{name}").unlink(missing_ok=True)


def last_line(path: Path) -> str:
    """Return the last meaningful line of a log, to explain a failure."""
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ""
    lines = [line for line in lines if line.strip() and "javaldx" not in line]
    return lines[-1].strip() if lines else ""


def convert_with_uno(
    soffice: str,
    python: str,
    jobs: list[tuple[Path, Path]],
    work: Path,
    deadline: float,
) -> dict[int, str]:
    """Convert each (source, PDF) pair through the UNO helper; return errors by position.

    Raises TimedOut past ``deadline``, ConversionError when LibreOffice fails as a
    whole, HelperUnusable when the helper itself cannot run.
    """
    profile = work / "profile"
    pipe = f"nhs_contracts_{uuid.uuid4().hex}"
    address = f"pipe,name={pipe};urp;StarOffice.ComponentContext"
    results = work / "results.json"
    job = work / "job.json"
    job.write_text(
        json.dumps(
            {
                "connect": f"uno:{address}",
                "connect_seconds": min(START_SECONDS, deadline - time.monotonic()),
                "results": str(results),
                "documents": [
                    {"source": str(source), "target": str(target)} for source, target in jobs
                ],
            }
        ),
        encoding="utf-8",
    )
    env = scratch_environment(work)
    office = start(
        soffice_command(soffice, profile, f"--accept={address}"), work / "soffice.log", env
    )
    driver = None
    try:
        helper_env = scratch_environment(work, uno_environment(soffice))
        command = [python, str(HELPER_SCRIPT), str(job)]
        driver = start(command, work / "helper.log", helper_env)
        _wait_for_helper(driver, office, work, deadline)
        if driver.returncode == HELPER_NO_OFFICE:
            detail = last_line(work / "soffice.log")
            raise ConversionError(
                "LibreOffice did not start"
                + (f" ({detail})" if detail else "")
                + f"; {INSTALL_HINT}."
            )
        if not results.is_file():
            raise HelperUnusable(last_line(work / "helper.log") or f"exit code {driver.returncode}")
        reported = json.loads(results.read_text(encoding="utf-8"))
        errors = {
            number: reported.get(str(number)) or "LibreOffice stopped before converting it"
            for number in range(len(jobs))
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
            stop(driver)
        stop(office)
        if not clean:
            remove_pipes(profile, pipe)


def _wait_for_helper(
    driver: subprocess.Popen, office: subprocess.Popen, work: Path, deadline: float
) -> None:
    """Wait for the helper to finish; raise if LibreOffice dies or time runs out first."""
    while driver.poll() is None:
        if office.poll() is not None:
            detail = last_line(work / "soffice.log")
            raise ConversionError(
                f"LibreOffice stopped unexpectedly (exit code {office.returncode})"
                + (f": {detail}" if detail else "")
                + "."
            )
        if time.monotonic() > deadline:
            raise TimedOut
        time.sleep(POLL_SECONDS)


def convert_plainly(
    soffice: str, jobs: list[tuple[Path, Path]], work: Path, deadline: float
) -> dict[int, str]:
    """Convert with ``soffice --convert-to pdf``; return errors by position.

    Fields keep their cached results. Each PDF must be named as its source with a .pdf
    suffix, all in one folder (LibreOffice chooses the names). Raises TimedOut past
    ``deadline``.
    """
    profile = work / "profile-plain"
    command = soffice_command(
        soffice,
        profile,
        "--convert-to",
        "pdf:writer_pdf_Export",
        "--outdir",
        str(jobs[0][1].parent),
        *(str(source) for source, _ in jobs),
    )
    office = start(command, work / "convert.log", scratch_environment(work))
    try:
        office.wait(timeout=max(0.0, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        raise TimedOut from None
    finally:
        clean = office.poll() is not None
        stop(office)
        if not clean:
            remove_pipes(profile, None)
    detail = last_line(work / "convert.log")
    return {
        number: "LibreOffice wrote no PDF" + (f" ({detail})" if detail else "")
        for number, (_, target) in enumerate(jobs)
        if not target.is_file()
    }
