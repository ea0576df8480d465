"""Writing files atomically, never clobbering one without permission."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from toolkit.exceptions import OutputError


def check_target(path: Path, *, force: bool) -> None:
    """Refuse an output path that exists (without ``force``), is a folder, or has no folder."""
    if path.is_dir():
        raise OutputError(f"{path}: is a folder; give a file name such as {path / 'contract.docx'}")
    if path.exists() and not force:
        raise OutputError(f"{path}: already exists; nothing written. Use --force to replace it.")
    if not path.parent.is_dir():
        raise OutputError(f"{path}: the folder {path.parent} does not exist; nothing written.")
    if not os.access(path.parent, os.W_OK):
        raise OutputError(f"{path}: the folder {path.parent} is not writable; nothing written.")


def write_atomically(path: Path, data: bytes, verify: Callable[[Path], None] | None = None) -> None:
    """Write ``data`` to a temporary file beside ``path``, verify it, then move it into place.

    If anything fails, the temporary file is removed and ``path`` is untouched.
    """
    try:
        handle, temporary = tempfile.mkstemp(
            prefix=f".{path.name}.", suffix=".tmp", dir=path.parent
        )
    except OSError as exc:
        raise OutputError(f"{path}: cannot write here ({exc.strerror}); nothing written.") from None
    temp_path = Path(temporary)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if verify is not None:
            verify(temp_path)
        os.chmod(temp_path, 0o644)
        os.replace(temp_path, path)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write ({exc.strerror}); nothing written.") from None
    finally:
        if temp_path.exists():
            temp_path.unlink()
