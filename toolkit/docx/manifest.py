"""The manifest each contract carries: its serialisation and parsing.

Parsing needs nothing from the assembler, so reading a .docx never imports it; the
manifest is built from an assembled contract in ``manifest_build``.
"""

from __future__ import annotations

import json
from typing import Any

from toolkit.docx.conventions import MANIFEST_FORMAT as FORMAT
from toolkit.docx.conventions import MANIFEST_NAMESPACE as NAMESPACE

__all__ = ["FORMAT", "NAMESPACE", "manifest_xml", "parse_manifest_xml"]


def __getattr__(name: str):
    """Keep ``build_manifest`` importable from here without importing the assembler eagerly."""
    if name == "build_manifest":
        from toolkit.docx.manifest_build import build_manifest

        return build_manifest
    raise AttributeError(name)


def manifest_xml(manifest: dict) -> bytes:
    """Serialise a manifest as a custom XML part holding canonical JSON."""
    from xml.sax.saxutils import escape

    body = json.dumps(manifest, sort_keys=True, ensure_ascii=False, indent=1)
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<manifest xmlns="{NAMESPACE}">{escape(body)}</manifest>'
    ).encode()


def parse_manifest_xml(blob: bytes) -> dict | None:
    """Return the manifest held in a custom XML part, or None if it is not one."""
    from lxml import etree

    try:
        root = etree.fromstring(blob)
    except etree.XMLSyntaxError:
        return None
    if root.tag != f"{{{NAMESPACE}}}manifest":
        return None
    try:
        value: Any = json.loads(root.text or "")
    except json.JSONDecodeError:
        return None
    return value if isinstance(value, dict) and value.get("format") == FORMAT else None
