"""A private per-user cache of what the toolkit derives from a library and from its code.

Checking a library (Cerberus on every file and on the schemas they embed), scanning its
texts for what the principles forbid, compiling its clause texts with Jinja and reading
the screen's rules for the words they require give the same results for the same files
and the same code, and together cost most of a command's time. So their results are
kept between runs, keyed on the hashes of the library's files, the toolkit's own source
files, its version and Python's version.

A pickle runs code when loaded, so the cache is only read from a folder that this user
owns and nobody else can write (created 0700), never through a symlink, and every entry
carries its key and a digest of its bytes: anything that looks wrong (truncated,
corrupted, another key or format, unpicklable) is ignored and rebuilt. Writes are
atomic. `--no-cache` or NHS_CONTRACTS_NO_CACHE=1 turns it off; NHS_CONTRACTS_CACHE_DIR
moves it.
"""

from __future__ import annotations

import atexit
import hashlib
import os
import pickle
import stat
import sys
from pathlib import Path
from typing import Any

CACHE_DIR_ENV = "NHS_CONTRACTS_CACHE_DIR"
NO_CACHE_ENV = "NHS_CONTRACTS_NO_CACHE"
# Bump when the layout of an entry changes.
FORMAT = b"nhs-contracts-cache 1\n"
_PACKAGE = Path(__file__).resolve().parent  # toolkit/

_disabled = False
_fingerprint: str | None = None


def disable() -> None:
    """Turn the cache off for this process (the CLI's --no-cache)."""
    global _disabled
    _disabled = True


def enabled() -> bool:
    """Whether the cache may be used at all in this process."""
    flag = os.environ.get(NO_CACHE_ENV, "").strip().lower()
    return not _disabled and flag in ("", "0", "no", "false")


def _default_dir() -> Path:
    try:
        from platformdirs import user_cache_dir
    except ImportError:  # the same place platformdirs chooses on Linux
        base = os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
        return Path(base) / "nhs-contracts"
    return Path(user_cache_dir("nhs-contracts", appauthor=False))


def _private(info: os.stat_result) -> bool:
    """Whether a file or folder is this user's and nobody else may write it."""
    mode = info.st_mode
    return info.st_uid == os.getuid() and not mode & (stat.S_IWGRP | stat.S_IWOTH)


def _safe_ancestors(folder: Path) -> bool:
    """Whether no other user can replace the folder through one of its parents."""
    for parent in folder.parents:  # a real path: no symlinks left in it
        try:
            info = os.stat(parent)
        except OSError:
            return False
        if info.st_uid not in (0, os.getuid()):
            return False
        open_to_others = info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
        if open_to_others and not info.st_mode & stat.S_ISVTX:
            return False
    return True


def cache_dir() -> Path | None:
    """Return the private cache folder (created 0700), or None where it is unsafe or off."""
    if not enabled() or not hasattr(os, "getuid"):
        return None
    relocated = os.environ.get(CACHE_DIR_ENV, "").strip()
    folder = Path(relocated) if relocated else _default_dir()
    folder = Path(os.path.abspath(folder))
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = os.lstat(folder)
    except OSError:
        return None
    if stat.S_ISLNK(info.st_mode) or not stat.S_ISDIR(info.st_mode) or not _private(info):
        return None
    # Through whatever symlinks lead to it, no parent may be open to other users.
    real = Path(os.path.realpath(folder.parent)) / folder.name
    return folder if _safe_ancestors(real) else None


def toolkit_fingerprint() -> str:
    """Return a hash of the toolkit's source files, its version and Python's version."""
    global _fingerprint
    if _fingerprint is None:
        from toolkit import __version__

        digest = hashlib.sha256(FORMAT)
        digest.update(f"{__version__}\0{sys.version}\0{sys.implementation.cache_tag}\0".encode())
        for path in _source_files(str(_PACKAGE)):
            digest.update(os.path.relpath(path, _PACKAGE).encode() + b"\0")
            with open(path, "rb") as stream:
                digest.update(hashlib.sha256(stream.read()).digest())
        _fingerprint = digest.hexdigest()
    return _fingerprint


def _source_files(folder: str) -> list[str]:
    found: list[str] = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if entry.name not in ("__pycache__", "_library"):
                    found += _source_files(entry.path)
            elif entry.name.endswith(".py"):
                found.append(entry.path)
    return sorted(found)


def make_key(*parts: str) -> str:
    """Return a cache key: the toolkit's fingerprint and the given parts, hashed."""
    digest = hashlib.sha256(toolkit_fingerprint().encode())
    for part in parts:
        digest.update(b"\0" + part.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _entry_path(folder: Path, name: str) -> Path:
    return folder / f"{name}.pickle"


def load(name: str, key: str) -> Any | None:
    """Return the value stored under ``name`` for ``key``, or None (missing or not trusted)."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        descriptor = os.open(_entry_path(folder, name), os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        with os.fdopen(descriptor, "rb") as stream:
            info = os.fstat(stream.fileno())
            if not stat.S_ISREG(info.st_mode) or not _private(info):
                return None
            blob = stream.read()
    except OSError:
        return None
    header = FORMAT + key.encode() + b"\n"
    if not blob.startswith(header):
        return None
    digest, payload = blob[len(header) : len(header) + 32], blob[len(header) + 32 :]
    if hashlib.sha256(payload).digest() != digest:
        return None  # truncated or altered
    try:
        return pickle.loads(payload)  # noqa: S301 - only from the private folder, digest checked
    except Exception:  # noqa: BLE001 - any unreadable entry is simply rebuilt
        return None


def store(name: str, key: str, value: Any) -> None:
    """Keep ``value`` under ``name`` for ``key``, atomically; failures are ignored."""
    folder = cache_dir()
    if folder is None:
        return
    try:
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # noqa: BLE001 - a value that cannot be kept is just not cached
        return
    blob = FORMAT + key.encode() + b"\n" + hashlib.sha256(payload).digest() + payload
    import tempfile  # only when writing: a warm start never needs it

    temporary = None
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
        with os.fdopen(handle, "wb") as stream:
            stream.write(blob)
        os.replace(temporary, _entry_path(folder, name))
        temporary = None
    except OSError:
        pass
    finally:
        if temporary is not None:
            try:
                os.unlink(temporary)
            except OSError:
                pass


def prune(prefix: str, keep: int) -> None:
    """Delete all but the ``keep`` most recently written entries whose names start so."""
    folder = cache_dir()
    if folder is None:
        return
    try:
        entries = sorted(
            folder.glob(f"{prefix}*.pickle"), key=lambda path: path.stat().st_mtime, reverse=True
        )
        for entry in entries[keep:]:
            entry.unlink()
    except OSError:
        pass  # another process pruned first: nothing lost


class Memo:
    """A persistent dict of derived results (scan results, compiled texts) under one name.

    Read from the cache on first use; new entries are written back once, when
    ``flush()`` is called or the process exits. With a ``limit``, the oldest entries
    give way to new ones beyond it, so that the file (read whole by every process)
    stays small.
    """

    def __init__(self, name: str, *key_parts: str, limit: int | None = None) -> None:
        self.name = name
        self.key_parts = key_parts
        self.limit = limit
        self._entries: dict[str, Any] | None = None
        self._dirty = False
        self._folder: Path | None = None

    def _load(self) -> dict[str, Any]:
        if self._entries is None:
            key = make_key(self.name, *self.key_parts)
            stored = load(self.name, key)
            self._entries = stored if isinstance(stored, dict) else {}
            self._folder = cache_dir()
        return self._entries

    def get(self, key: str) -> Any | None:
        """Return a stored result, or None."""
        return self._load().get(key)

    def set(self, key: str, value: Any) -> None:
        """Record a result, to be written back."""
        entries = self._load()
        entries[key] = value
        if self.limit is not None:
            while len(entries) > self.limit:
                del entries[next(iter(entries))]
        if not self._dirty:
            self._dirty = True
            _DIRTY.append(self)

    def flush(self) -> None:
        """Write new results back (to the folder the memo was read from)."""
        if not self._dirty or self._entries is None:
            return
        self._dirty = False
        if self._folder is not None and cache_dir() == self._folder:
            store(self.name, make_key(self.name, *self.key_parts), self._entries)


_DIRTY: list[Memo] = []


def flush() -> None:
    """Write every memo with new results back to the cache (also done at exit)."""
    while _DIRTY:
        _DIRTY.pop().flush()


atexit.register(flush)
