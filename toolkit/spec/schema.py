"""The deal spec's Cerberus schemas: `spec_version` 1, and version 2 built on it."""

from __future__ import annotations

import copy
from typing import Any

from toolkit.library.schemas import ID_RE, date_field, id_list, required_text, text_field
from toolkit.spec.party_kinds import NHS_KINDS, PARTNER_KINDS

_SIGNATORY = {
    "type": "dict",
    "required": True,
    "schema": {"name": required_text(), "role": required_text()},
}

SPEC_SCHEMA = {
    "spec_version": {"type": "integer", "required": True, "allowed": [1, 2]},
    "agreement": {
        "type": "dict",
        "required": True,
        "schema": {
            "reference": required_text(regex=r"^[A-Za-z0-9][A-Za-z0-9/_.\-]{0,59}$"),
            "title": text_field(),
            "effective_date": date_field(required=True),
            "term_months": {"type": "integer", "required": True, "min": 1, "max": 120},
            "governing_law": {
                "type": "string",
                "required": True,
                "allowed": ["england_and_wales", "scotland", "northern_ireland"],
            },
        },
    },
    "nhs_parties": {
        "type": "list",
        "required": True,
        "minlength": 1,
        "schema": {
            "type": "dict",
            "schema": {
                "name": required_text(),
                "kind": {
                    "type": "string",
                    "required": True,
                    "allowed": list(NHS_KINDS),
                },
                "ods_code": text_field(regex=r"^[A-Z0-9]{3,6}$"),
                "address": required_text(),
                "signatory": _SIGNATORY,
                "board_approval": {
                    "type": "dict",
                    "nullable": True,
                    "schema": {
                        "date": date_field(nullable=True),
                        "minute_ref": text_field(nullable=True),
                    },
                },
                "lead": {"type": "boolean", "default": False},
            },
        },
    },
    "partner": {
        "type": "dict",
        "required": True,
        "schema": {
            "name": required_text(),
            "kind": {
                "type": "string",
                "required": True,
                "allowed": list(PARTNER_KINDS),
            },
            "company_number": text_field(regex=r"^(?:[0-9]{8}|[A-Z]{2}[0-9]{6})$"),
            "charity_number": text_field(),
            "address": required_text(),
            "signatory": _SIGNATORY,
        },
    },
    "partnership_model": {"type": "string", "required": True, "regex": ID_RE},
    "model_terms": {"type": "dict", "required": True},
    "additional_models": {
        "type": "list",
        "default": [],
        "schema": {
            "type": "dict",
            "schema": {
                "model": {"type": "string", "required": True, "regex": ID_RE},
                "terms": {"type": "dict", "required": True},
            },
        },
    },
    "purpose": {
        "type": "dict",
        "required": True,
        "schema": {"aim": required_text(), "description": required_text()},
    },
    "benefits": {
        "type": "list",
        "required": True,
        "minlength": 1,
        "schema": {
            "type": "dict",
            "schema": {
                "description": required_text(),
                "beneficiary": {
                    "type": "string",
                    "required": True,
                    "allowed": ["patients", "nhs_organisation", "nhs_national"],
                },
                "measure": required_text(),
                "target": required_text(),
                "by": date_field(required=True),
            },
        },
    },
    "data": {
        "type": "dict",
        "required": True,
        "schema": {
            "description": required_text(),
            "datasets": {
                "type": "list",
                "required": True,
                "minlength": 1,
                "schema": {
                    "type": "dict",
                    "schema": {"name": required_text(), "period": required_text()},
                },
            },
            "identifiability": {
                "type": "string",
                "required": True,
                "allowed": ["anonymised", "pseudonymised", "identifiable"],
            },
            "access": {
                "type": "string",
                "default": "sde",
                "allowed": ["sde", "aggregate", "extract"],
            },
            "extract_justification": text_field(nullable=True),
            "special_category": {"type": "boolean", "required": True},
            "lawful_basis": {
                "type": "dict",
                "nullable": True,
                "schema": {
                    "article_6": text_field(nullable=True, regex=r"^6\(1\)\([a-f]\)$"),
                    "article_9": text_field(nullable=True, regex=r"^9\(2\)\([a-j]\)$"),
                },
            },
            "confidentiality_basis": {
                "type": "string",
                "required": True,
                "allowed": ["anonymised", "consent", "s251", "direct_care"],
            },
            "national_data_opt_out": {
                "type": "string",
                "required": True,
                "allowed": ["applied", "not_applicable"],
            },
            "national_data_opt_out_reason": text_field(nullable=True),
            "dpia_reference": text_field(nullable=True),
            "partner_dspt_status": {"type": "string", "required": True},
            "retention_months": {"type": "integer", "required": True, "min": 1, "max": 240},
            "storage_location": {"type": "string", "required": True, "allowed": ["uk", "uk_eea"]},
        },
    },
    "ip": {
        "type": "dict",
        "required": True,
        "schema": {
            "foreground_owner": {
                "type": "string",
                "required": True,
                "allowed": ["nhs", "partner", "joint"],
            }
        },
    },
    "clauses": {
        "type": "dict",
        "default": {},
        "schema": {
            "include": {**id_list(), "default": []},
            "positions": {
                "type": "dict",
                "default": {},
                "keysrules": {"type": "string", "regex": ID_RE},
                "valuesrules": {"type": "string", "regex": ID_RE},
            },
            # Each term is its wording, or {text, approval: {name, role, date, reference}}:
            # a final contract needs the approval (toolkit.spec.approvals).
            "additional_terms": {
                "type": "list",
                "default": [],
                "schema": {
                    "type": ["string", "dict"],
                    "empty": False,
                    "check_with": "plain_text",
                    "schema": {
                        "text": required_text(),
                        "approval": {
                            "type": "dict",
                            "nullable": True,
                            "schema": {
                                "name": text_field(),
                                "role": text_field(),
                                "date": date_field(nullable=True),
                                "reference": text_field(),
                            },
                        },
                    },
                },
            },
        },
    },
}


def _version_2(base: dict) -> dict:
    """Build the version-2 schema: version 1, then governance, then commercial fields."""
    from toolkit.spec import commercial, governance

    schema = copy.deepcopy(base)
    schema["spec_version"] = {"type": "integer", "required": True, "allowed": [2]}
    schema = governance.extend_schema(schema)
    return commercial.extend_schema(schema)


SPEC_VERSIONS = (1, 2)
SPEC_SCHEMA_V2 = _version_2(SPEC_SCHEMA)


def schema_for(raw: Any) -> dict:
    """Return the schema a raw deal spec is checked against, chosen by its spec_version."""
    if isinstance(raw, dict) and raw.get("spec_version") == 2:
        return SPEC_SCHEMA_V2
    # Version 1, and anything unreadable, which version 1's schema then reports.
    return SPEC_SCHEMA
