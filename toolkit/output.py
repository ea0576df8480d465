"""Output safety in one place: atomic writes that never clobber a file or an input.

Every writer of the toolkit (contracts, PDFs, board papers, redlines, skeletons, the
library lock) goes through these functions, so that the rules hold everywhere:

- an output path that is one of the command's inputs is refused, even with ``force``;
- an existing file (a dangling or looping symlink counts) is kept unless ``force``;
- a file that appears at the output path while the output is being made is kept
  unless ``force`` (the finished file is hard-linked into place, which fails if
  anything is there);
- the output is written to a temporary file beside the target and moved into place
  whole, so a reader never sees half a file and a failure leaves nothing behind.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable, Iterable
from pathlib import Path

from toolkit.exceptions import OutputError

_FORCE_HINT = "Use --force to replace it."


def occupied(path: Path) -> bool:
    """Whether anything is at ``path``: a file, a folder, or a symlink (even a broken one)."""
    return os.path.lexists(path)


def same_file(first: Path, second: Path) -> bool:
    """Whether two paths name the same file (through symlinks and hard links alike)."""
    return FileSet([second]).find(Path(first)) is not None


class FileSet:
    """Paths compared as files (``same_file``), each path looked up once, not one by one.

    A batch checks each of its outputs against all its inputs: comparing pairs would
    take a thousand specs a million path resolutions.
    """

    def __init__(self, paths: Iterable[str | os.PathLike] = ()) -> None:
        self._by_identity: dict[tuple[int, int], Path] = {}
        self._by_location: dict[Path, Path] = {}
        for path in paths:
            self.add(Path(path))

    def add(self, path: Path) -> None:
        """Add a path (an existing file is known by its identity, any path by its location)."""
        identity = _identity(path)
        if identity is not None:
            self._by_identity.setdefault(identity, path)
        self._by_location.setdefault(_location(path), path)

    def find(self, path: Path) -> Path | None:
        """Return the member naming the same file as ``path``, or None."""
        identity = _identity(path)
        if identity is not None and identity in self._by_identity:
            return self._by_identity[identity]
        member = self._by_location.get(_location(path))
        # Two existing files are the same only by identity (a hard link has two locations).
        if member is None or (identity is not None and _identity(member) is not None):
            return None
        return member


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return info.st_dev, info.st_ino


def _location(path: Path) -> Path:
    try:
        return Path(path).resolve()
    except (OSError, RuntimeError):  # a symlink loop resolves nowhere
        return Path(os.path.abspath(path))


def check_target(
    path: Path, *, force: bool, inputs: FileSet | Iterable[str | os.PathLike] = ()
) -> None:
    """Refuse an output path that is an input (even with ``force``), a folder, or taken.

    Raises OutputError naming the path and what to do; writes nothing.
    """
    path = Path(path)
    known = inputs if isinstance(inputs, FileSet) else FileSet(inputs)
    source = known.find(path)
    if source is not None:
        raise OutputError(
            f"{path}: is also an input of this command ({source}); nothing written. "
            "Choose another output name (--force never replaces an input)."
        )
    if path.is_dir():
        raise OutputError(f"{path}: is a folder; give a file name such as {path / 'contract.docx'}")
    if occupied(path) and not force:
        raise OutputError(f"{path}: already exists; nothing written. {_FORCE_HINT}")
    if not path.parent.is_dir():
        raise OutputError(f"{path}: the folder {path.parent} does not exist; nothing written.")
    if not os.access(path.parent, os.W_OK):
        raise OutputError(f"{path}: the folder {path.parent} is not writable; nothing written.")


def write_atomically(
    path: Path,
    data: bytes,
    verify: Callable[[Path], None] | None = None,
    *,
    force: bool = False,
) -> None:
    """Write ``data`` beside ``path``, verify it, then move it into place whole.

    Without ``force``, a file that is at ``path`` by then (even one that appeared
    meanwhile) is kept and OutputError raised. If anything fails, the temporary file
    is removed and ``path`` is untouched.
    """
    path = Path(path)
    temp_path = temporary_beside(path)
    try:
        with temp_path.open("wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if verify is not None:
            verify(temp_path)
        install(temp_path, path, force=force)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write ({exc.strerror}); nothing written.") from None
    finally:
        temp_path.unlink(missing_ok=True)


def install(temporary: Path, target: Path, *, force: bool) -> None:
    """Move a finished temporary file (in the target's folder) to ``target``.

    With ``force`` it replaces whatever is there (atomically); without, it refuses with
    OutputError if anything is there, even a file that appeared a moment ago. The
    temporary file is gone afterwards only if it was installed.
    """
    temporary, target = Path(temporary), Path(target)
    os.chmod(temporary, 0o644)
    if force:
        os.replace(temporary, target)
        return
    try:
        os.link(temporary, target, follow_symlinks=False)
    except FileExistsError:
        raise OutputError(
            f"{target}: already exists (it appeared while the output was being made); "
            f"not replaced. {_FORCE_HINT}"
        ) from None
    except OSError as exc:
        if exc.errno not in _NO_HARD_LINKS:
            raise
        _install_without_links(temporary, target)
        return
    temporary.unlink()


# Errors meaning "this file system has no hard links", not "the target is taken".
_NO_HARD_LINKS = {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EXDEV, errno.EMLINK}


def _install_without_links(temporary: Path, target: Path) -> None:
    """Claim the target name exclusively, then rename the finished file over the claim."""
    try:
        claim = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
    except FileExistsError:
        raise OutputError(
            f"{target}: already exists (it appeared while the output was being made); "
            f"not replaced. {_FORCE_HINT}"
        ) from None
    os.close(claim)
    try:
        os.replace(temporary, target)
    except OSError:
        target.unlink(missing_ok=True)  # our own empty claim, never someone's file
        raise


def temporary_beside(path: Path) -> Path:
    """Return a new empty temporary file in ``path``'s folder, for ``install`` to move."""
    import tempfile  # only when writing: `validate` imports this module for its checks

    path = Path(path)
    try:
        handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write here ({exc.strerror}); nothing written.") from None
    os.close(handle)
    return Path(name)
