"""Building the manifest of an assembled contract (needs the contract; reading does not)."""

from __future__ import annotations

import hashlib
import json

from toolkit.contract.model import ADDITIONAL_TERMS_ID, Contract
from toolkit.docx.conventions import MANIFEST_FORMAT
from toolkit.spec.approvals import approvals


def build_manifest(contract: Contract, toolkit_version: str) -> dict:
    """Return the manifest of an assembled contract."""
    library = contract.library
    spec = contract.spec
    return {
        "format": MANIFEST_FORMAT,
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
        # Who answers for each non-standard term (None: not yet approved, a draft).
        "additional_term_approvals": json.loads(json.dumps(approvals(spec.data), default=str)),
        "spec": json.loads(json.dumps(spec.data, default=str)),
    }
