"""Information governance in a version-2 deal spec: roles, legal bases, jurisdictions, data."""

from __future__ import annotations

import copy

from toolkit.exceptions import Problem
from toolkit.library.schemas import date_field, required_text, text_field

NATIONS = ("england", "wales", "scotland", "northern_ireland")
CONTROLLER_ROLES = ("joint_controller", "independent_controller")
PARTNER_ROLES = (*CONTROLLER_ROLES, "processor", "no_personal_data")
DATA_USES = (
    "direct_care",
    "research",
    "product_development",
    "service_evaluation",
    "planning",
    "deployment",
)
LOCATIONS = ("uk", "uk_eea", "outside_uk")
TRANSFER_ROUTES = ("adequacy", "idta", "addendum")
SDE_OPERATORS = ("nhs", "partner", "third_party")
# The route for the common law duty of confidentiality, by the nation the data comes from.
CONFIDENTIALITY_BASES = ("anonymised", "consent", "s251", "direct_care", "pbpp", "ni_2016_act")

_ARTICLE_6 = r"^6\(1\)\([a-f]\)$"
_ARTICLE_9 = r"^9\(2\)\([a-j]\)$"
_SCHEDULE_1 = r"^(?:Schedule 1 )?(?:Part [1-3] )?(?:para(?:graph)? )?[0-9]{1,2}(?:\([0-9a-z]+\))?$"


def _legal_bases() -> dict:
    """Return the schema of one party's legal bases under UK GDPR and the DPA 2018."""
    return {
        "type": "dict",
        "nullable": True,
        "schema": {
            "article_6": text_field(nullable=True, regex=_ARTICLE_6),
            "article_9": text_field(nullable=True, regex=_ARTICLE_9),
            "dpa_schedule_1": text_field(nullable=True, regex=_SCHEDULE_1),
        },
    }


def _choice(values: tuple, **extra) -> dict:
    return {"type": "string", "allowed": list(values), **extra}


def _reference() -> dict:
    """Return the schema of an approval or assessment reference (open in a draft)."""
    return text_field(nullable=True)


_NHS_PARTY_FIELDS = {
    "nation": _choice(NATIONS, required=True),
    "role": _choice(CONTROLLER_ROLES, required=True),
    "lawful_basis": _legal_bases(),
    "statutory_power": text_field(nullable=True),
    "caldicott_guardian": {
        "type": "dict",
        "nullable": True,
        "schema": {"name": required_text(), "approval_date": date_field(nullable=True)},
    },
}

_PARTNER_FIELDS = {
    "role": _choice(PARTNER_ROLES, required=True),
    "lawful_basis": _legal_bases(),
    "statutory_function": text_field(nullable=True),
    "legitimate_interests_assessment": _reference(),
}

# Provenance may be open in a draft (as after `upgrade`); a final contract needs it.
_DATASET_FIELDS = {
    "source": text_field(nullable=True, default=None),
    "controller": text_field(nullable=True, default=None),
    "items": {
        "type": "list",
        "nullable": True,
        "default": None,
        "minlength": 1,
        "schema": required_text(),
    },
    "approximate_records": {"type": "integer", "nullable": True, "default": None, "min": 1},
    "linkage": text_field(nullable=True),
    "free_text": {"type": "boolean", "default": False},
    "imaging": {"type": "boolean", "default": False},
    "genomic": {"type": "boolean", "default": False},
    "pseudonymisation_key_holder": text_field(nullable=True),
}

_APPROVALS = {
    "type": "dict",
    "default": {},
    "schema": {
        "cag": {
            "type": "dict",
            "nullable": True,
            "schema": {
                "reference": _reference(),
                "conditions": {"type": "list", "default": [], "schema": required_text()},
            },
        },
        "rec": {
            "type": "dict",
            "nullable": True,
            "schema": {"reference": _reference(), "iras_id": text_field(nullable=True)},
        },
        "pbpp": {"type": "dict", "nullable": True, "schema": {"reference": _reference()}},
        "ni_privacy_advisory_committee": {
            "type": "dict",
            "nullable": True,
            "schema": {"reference": _reference()},
        },
    },
}

_DATA_FIELDS = {
    "uses": {
        "type": "list",
        "required": True,
        "minlength": 1,
        "schema": _choice(DATA_USES),
    },
    "identifiable_justification": text_field(nullable=True),
    "anonymisation_assessment": _reference(),
    "secure_data_environment": {
        "type": "dict",
        "nullable": True,
        "schema": {
            "name": required_text(),
            "operator": required_text(),
            "operator_kind": _choice(SDE_OPERATORS, required=True),
            "operator_dspt_status": {"type": "string", "required": True},
        },
    },
    "approvals": _APPROVALS,
    "storage_location": _choice(LOCATIONS, required=True),
    "access_location": _choice(LOCATIONS, required=True),
    "overseas_countries": {"type": "list", "default": [], "schema": required_text()},
    "transfer_route": _choice(TRANSFER_ROUTES, nullable=True, default=None),
    "sub_processors": {
        "type": "list",
        "default": [],
        "schema": {
            "type": "dict",
            "schema": {
                "name": required_text(),
                "service": required_text(),
                "location": _choice(LOCATIONS, required=True),
            },
        },
    },
    "confidentiality_basis": _choice(CONFIDENTIALITY_BASES, required=True),
    # Needed only where personal data reaches the partner's hands or systems.
    "partner_dspt_status": {"type": "string", "nullable": True, "default": None},
}


def extend_schema(schema: dict) -> dict:
    """Return the version-2 schema with the information-governance fields added."""
    schema = copy.deepcopy(schema)
    schema["nhs_parties"]["schema"]["schema"].update(_NHS_PARTY_FIELDS)
    schema["partner"]["schema"].update(_PARTNER_FIELDS)
    data = schema["data"]["schema"]
    # Version 2 records the legal bases per party, not once for the whole deal.
    data.pop("lawful_basis")
    data["datasets"]["schema"]["schema"].update(_DATASET_FIELDS)
    data.update(_DATA_FIELDS)
    return schema


def governance_checks(spec: dict, draft: bool) -> list[Problem]:
    """Return the problems with a version-2 spec's roles, bases, approvals and transfers."""
    from toolkit.spec.governance_rules import check_all

    return check_all(spec, draft)
