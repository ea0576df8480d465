"""The manifest each contract carries: what it was built from, clause by clause."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from toolkit.contract.model import ADDITIONAL_TERMS_ID, Contract

NAMESPACE = "urn:nhs-contracts:manifest:1"
FORMAT = "nhs-contracts-manifest/1"


def build_manifest(contract: Contract, toolkit_version: str) -> dict:
    """Return the manifest of an assembled contract."""
    library = contract.library
    spec = contract.spec
    return {
        "format": FORMAT,
        "toolkit_version": toolkit_version,
        "library": {
            "name": library.name,
            "version": library.version,
            "content_sha256": library.content_hash,
        },
        "template_sha256": hashlib.sha256(library.template.read_bytes()).hexdigest(),
        "agreement_reference": spec.reference,
        "draft": spec.draft,
        "spec_sha256": spec.sha256(),
        "partnership_models": spec.model_ids,
        "clauses": [
            {
                "id": part.id,
                "kind": part.clause.kind,
                "number": part.display_number,
                "title": part.clause.title,
                "version": part.clause.version,
                "status": part.clause.status,
                "position": part.position.id if part.position else None,
                "principles": list(part.clause.principles),
                "mandatory": part.mandatory,
                "non_standard": part.id == ADDITIONAL_TERMS_ID,
                "bookmark": part.bookmark,
                "text_sha256": part.text_hash(),
            }
            for part in contract.parts
        ],
        "open_items": [item.description for item in contract.open_items],
        "spec": json.loads(json.dumps(spec.data, default=str)),
    }


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
