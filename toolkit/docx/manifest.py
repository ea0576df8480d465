"""The manifest each contract carries: its serialisation and parsing.

Parsing needs nothing from the assembler, so reading a .docx never imports it; the
manifest is built from an assembled contract in ``manifest_build``.
"""

from __future__ import annotations

import json
from typing import Any

from toolkit.docx.conventions import MANIFEST_FORMAT as FORMAT
from toolkit.docx.conventions import MANIFEST_NAMESPACE as NAMESPACE
from toolkit.spec.deal import canonical_json

__all__ = ["FORMAT", "NAMESPACE", "manifest_xml", "parse_manifest_xml"]


def manifest_xml(manifest: dict) -> bytes:
    """Serialise a manifest as a custom XML part holding canonical JSON."""
    body = canonical_json(manifest)
    # Escaped by hand: xml.sax.saxutils would import urllib.request and http, a tenth of
    # a second of start-up, for these three replacements.
    body = body.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<manifest xmlns="{NAMESPACE}">{body}</manifest>'
    ).encode()


MAX_MANIFEST_BYTES = 4 * 1024 * 1024  # a 60-clause manifest is about 40 kB
MAX_DEPTH = 32  # the deal spec nests about 5 deep
MAX_STRING = 100_000
MAX_INTEGER_DIGITS = 30

# The manifest's fields `check` relies on, and the JSON type each must have.
_SHAPE = {
    "format": str,
    "toolkit_version": str,
    "library": dict,
    "agreement_reference": str,
    "draft": bool,
    "spec_sha256": str,
    "partnership_models": list,
    "clauses": list,
    "open_items": list,
    "spec": dict,
}
_CLAUSE_SHAPE = {
    "id": str,
    "number": str,
    "title": str,
    "version": str,
    "bookmark": str,
    "text_sha256": str,
    "mandatory": bool,
}
_TYPE_NAMES = {str: "text", dict: "a mapping", list: "a list", bool: "true or false"}


class ManifestError(ValueError):
    """A part in the manifest's namespace that cannot be read as a manifest."""


def parse_manifest_xml(blob: bytes) -> dict | None:
    """Return the manifest held in a custom XML part, or None if it is not a usable one."""
    try:
        return read_manifest_xml(blob)
    except ManifestError:
        return None


def is_manifest_part(blob: bytes) -> bool:
    """Return whether a custom XML part claims to be a manifest (by its namespace)."""
    return NAMESPACE.encode() in blob[:4096] or NAMESPACE.encode() in blob


def read_manifest_xml(blob: bytes) -> dict | None:
    """Return the manifest in a custom XML part; None if it is not in the manifest namespace.

    Raises ManifestError, saying what is wrong in plain words, when the part is in the
    manifest's namespace but is too large, malformed, too deep, or of the wrong shape.
    """
    from lxml import etree

    if len(blob) > MAX_MANIFEST_BYTES:
        raise ManifestError(f"it is {len(blob):,} bytes long (a manifest is far smaller)")
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    try:
        root = etree.fromstring(blob, parser)
    except etree.XMLSyntaxError as exc:
        if is_manifest_part(blob):
            raise ManifestError(f"it is not well-formed XML ({exc})") from None
        return None
    if root.tag != f"{{{NAMESPACE}}}manifest":
        return None
    try:
        value: Any = json.loads(
            root.text or "", parse_int=_bounded_int, parse_constant=_no_constant
        )
    except RecursionError:
        raise ManifestError(f"its JSON nests deeper than {MAX_DEPTH} levels") from None
    except (json.JSONDecodeError, ValueError) as exc:
        raise ManifestError(f"its JSON cannot be read ({exc})") from None
    if not isinstance(value, dict):
        raise ManifestError("its JSON is not a mapping")
    problems = manifest_shape_problems(value)
    if problems:
        raise ManifestError("; ".join(problems[:5]))
    return value


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INTEGER_DIGITS:
        raise ValueError(f"a number of {len(text):,} digits")
    return int(text)


def _no_constant(text: str) -> float:
    raise ValueError(f"{text} is not a number a manifest holds")


def manifest_shape_problems(manifest: dict) -> list[str]:
    """Return what is wrong with a manifest's shape, each naming the field path."""
    problems = []
    if manifest.get("format") != FORMAT:
        problems.append(f"format: expected {FORMAT!r}, found {_short(manifest.get('format'))}")
    for key, kind in _SHAPE.items():
        if key in manifest and not isinstance(manifest[key], kind):
            problems.append(f"{key}: should be {_TYPE_NAMES[kind]}, found {_short(manifest[key])}")
        elif key not in manifest and key in ("agreement_reference", "clauses", "spec"):
            problems.append(f"{key}: missing")
    clauses = manifest.get("clauses")
    for index, entry in enumerate(clauses if isinstance(clauses, list) else []):
        if not isinstance(entry, dict):
            problems.append(f"clauses[{index}]: should be a mapping, found {_short(entry)}")
            continue
        for key, kind in _CLAUSE_SHAPE.items():
            if key in entry and not isinstance(entry[key], kind):
                problems.append(
                    f"clauses[{index}].{key}: should be {_TYPE_NAMES[kind]}, "
                    f"found {_short(entry[key])}"
                )
        if not isinstance(entry.get("id"), str):
            problems.append(f"clauses[{index}].id: missing")
    bad = _deep_problem(manifest, "", 0)
    if bad:
        problems.append(bad)
    return problems


def _deep_problem(value: Any, path: str, depth: int) -> str | None:
    """Return the first value nested too deep or too long, by field path."""
    if depth > MAX_DEPTH:
        return f"{path or 'manifest'}: nests deeper than {MAX_DEPTH} levels"
    if isinstance(value, str) and len(value) > MAX_STRING:
        return f"{path}: a text of {len(value):,} characters (at most {MAX_STRING:,})"
    items = (
        value.items()
        if isinstance(value, dict)
        else enumerate(value)
        if isinstance(value, list)
        else ()
    )
    for key, item in items:
        found = _deep_problem(item, f"{path}.{key}" if path else str(key), depth + 1)
        if found:
            return found
    return None


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
