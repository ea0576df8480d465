"""Finding and reading the library's data files: clauses, models, templates."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from toolkit.exceptions import LibraryError, Problem, SpecError, ToolkitError

LIBRARY_DIRS = ("clauses", "partnership_models", "templates")
LIBRARY_FILE = "library.yaml"


def default_library_dir() -> Path:
    """Return the library shipped with the toolkit (source checkout or installed wheel)."""
    package = Path(__file__).resolve().parent.parent  # toolkit/
    # In a source checkout (editable or not) the library sits beside the package;
    # in a wheel, setup.cfg maps the same folders into toolkit/_library.
    for candidate in (package.parent, package / "_library"):
        if all((candidate / name).is_dir() for name in LIBRARY_DIRS):
            return candidate
    raise LibraryError(
        str(package),
        [
            Problem(
                "",
                "the toolkit's own clause library is missing from this installation",
                hint="Reinstall the toolkit, or pass --library DIR.",
            )
        ],
    )


def resolve_library_dir(path: str | Path | None) -> Path:
    """Return the library folder to use, checking that it has the expected layout."""
    if path is None:
        return default_library_dir()
    root = Path(path)
    missing = [name for name in LIBRARY_DIRS if not (root / name).is_dir()]
    if missing:
        raise LibraryError(
            str(root),
            [
                Problem(
                    "",
                    f"not a clause library: no {', '.join(n + '/' for n in missing)} folder",
                    hint="Point --library at a folder holding clauses/, "
                    "partnership_models/ and templates/.",
                )
            ],
        )
    return root


# A few anchors and aliases are fine; thousands are a "billion laughs" file.
MAX_ALIAS_USES = 100


@functools.cache
def _loader() -> type:
    """Return the safe YAML loader that refuses a key given twice and overused aliases.

    Built on first use: a command that reads no YAML (``check`` finds the library in
    the cache) does not import PyYAML at all.
    """
    import yaml

    # libyaml's parser is several times faster than the pure-Python one, where present.
    safe_loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class _UniqueKeyLoader(safe_loader):
        _alias_uses = 0

        def construct_object(self, node, deep=False):
            if node in self.constructed_objects and not isinstance(node, yaml.ScalarNode):
                self._alias_uses += 1
                if self._alias_uses > MAX_ALIAS_USES:
                    raise yaml.constructor.ConstructorError(
                        None,
                        None,
                        f"more than {MAX_ALIAS_USES} uses of YAML aliases (*name)",
                        node.start_mark,
                    )
            return super().construct_object(node, deep=deep)

        def construct_mapping(self, node, deep=False):
            seen: dict[Any, Any] = {}
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=deep)
                if key in seen:
                    raise yaml.constructor.ConstructorError(
                        None,
                        None,
                        f"key {key!r} appears twice in the same mapping",
                        key_node.start_mark,
                    )
                seen[key] = True
            return super().construct_mapping(node, deep=deep)

    return _UniqueKeyLoader


# Values a document may hold once its aliases are expanded (a deal spec has hundreds).
MAX_EXPANDED_VALUES = 200_000


def _expanded_size(value: Any, sizes: dict[int, int]) -> int:
    """Count the values a document holds with aliases expanded, without expanding them."""
    if not isinstance(value, (dict, list)):
        return 1
    known = sizes.get(id(value))
    if known is None:
        items = [*value.keys(), *value.values()] if isinstance(value, dict) else value
        known = 1 + sum(_expanded_size(item, sizes) for item in items)
        sizes[id(value)] = known
    return known


def parse_yaml(text: str, source: str, error: type[ToolkitError]) -> Any:
    """Parse YAML text safely, raising ``error`` naming ``source`` and the line."""
    import yaml

    try:
        document = yaml.load(text, Loader=_loader())  # noqa: S506 - a SafeLoader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        hint = "Correct the YAML syntax."
        if "\t" in text and "cannot start any token" in problem:
            hint = "YAML is indented with spaces, not tabs: replace the tabs."
        raise error(source, [Problem(where, f"not valid YAML: {problem}", hint=hint)]) from None
    except ValueError as exc:  # e.g. an impossible date such as 2027-13-01
        raise error(
            source,
            [Problem("", f"not valid YAML: {exc}", hint="Dates are written YYYY-MM-DD.")],
        ) from None
    except RecursionError:
        raise error(source, [Problem("", "nests too deeply to be a deal spec")]) from None
    try:
        size = _expanded_size(document, {})
    except RecursionError:
        raise error(source, [Problem("", "nests too deeply to be a deal spec")]) from None
    if size > MAX_EXPANDED_VALUES:
        raise error(
            source,
            [
                Problem(
                    "",
                    f"expands to over {MAX_EXPANDED_VALUES:,} values through YAML aliases",
                    hint="Write the values out instead of repeating aliases (*name).",
                )
            ],
        )
    return document


# A deal spec is a few kilobytes and the largest clause file tens of kilobytes; anything
# near this is not one, and reading it whole would only waste time and memory.
MAX_FILE_BYTES = 1_000_000


def read_capped(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """Return the bytes of a regular file of at most ``limit`` bytes.

    Raises OSError (``errno`` EINVAL for a file that is not regular, EFBIG for one that
    is too large) without opening a FIFO or device, so ``/dev/zero`` or a named pipe is
    refused at once instead of hanging or filling memory.
    """
    import errno
    import os
    import stat

    mode = os.stat(path).st_mode
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(errno.EISDIR, "is a folder", str(path))
    if not stat.S_ISREG(mode):
        raise OSError(errno.EINVAL, "is not a regular file", str(path))
    with open(path, "rb") as handle:
        # Read one byte past the limit, so a file that grows while it is read is caught.
        blob = handle.read(limit + 1)
    if len(blob) > limit:
        raise OSError(errno.EFBIG, f"is larger than {limit:,} bytes", str(path))
    return blob


def read_yaml(path: Path, error: type[ToolkitError] = LibraryError) -> Any:
    """Read and parse one YAML file, raising ``error`` with the file's name on failure."""
    import errno

    try:
        text = read_capped(path).decode("utf-8")
    except FileNotFoundError:
        raise error(str(path), [Problem("", "file not found")]) from None
    except IsADirectoryError:
        raise error(str(path), [Problem("", "is a folder, not a YAML file")]) from None
    except UnicodeDecodeError as exc:
        line = exc.object[: exc.start].count(b"\n") + 1
        raise error(
            str(path),
            [
                Problem(
                    f"line {line}",
                    f"is not UTF-8 text (byte 0x{exc.object[exc.start]:02x})",
                    hint="Save the file as UTF-8.",
                )
            ],
        ) from None
    except OSError as exc:
        if exc.errno == errno.EINVAL:
            problem = Problem(
                "",
                "is not a regular file (a pipe, device or socket)",
                hint="Give the path of a YAML file saved on disk.",
            )
        elif exc.errno == errno.EFBIG:
            problem = Problem(
                "",
                f"is larger than {MAX_FILE_BYTES:,} bytes, far more than any deal spec or "
                "library file",
                hint="Check that this is the right file.",
            )
        else:
            problem = Problem("", f"cannot be read: {exc.strerror}")
        raise error(str(path), [problem]) from None
    return parse_yaml(text, str(path), error)


def read_spec_yaml(path: Path) -> Any:
    """Read a deal spec file as YAML."""
    return read_yaml(path, SpecError)


def clause_files(root: Path) -> list[Path]:
    """Return every clause file of a library, in a stable order."""
    return sorted((root / "clauses").glob("*/*.yaml"))


def model_files(root: Path) -> list[Path]:
    """Return every partnership model file of a library, in a stable order."""
    return sorted((root / "partnership_models").glob("*.yaml"))


def library_file(root: Path) -> Path:
    """Return the library's own metadata file (version and lock of approved texts)."""
    return root / "clauses" / LIBRARY_FILE


def template_path(root: Path, name: str = "contract.docx") -> Path:
    """Return the path of a Word master template in the library."""
    return root / "templates" / name
