"""Commercial terms in a version-2 deal spec: liability, insurance, AI and product, wider law."""

from __future__ import annotations

import copy
import re

from toolkit.exceptions import Problem
from toolkit.library.schemas import required_text, text_field

# Partnership models under which the Partner sells or supplies what it makes with the
# Data, so that it needs a licence of NHS-owned Foreground IP (see the IP clause).
REVENUE_MODELS = frozenset(
    {"royalty", "milestones", "upfront_fee", "subscription", "equity", "in_kind", "gain_share"}
)
# Models under which an NHS body pays the Partner, or takes a product into its services:
# the Procurement Act 2023 or the Provider Selection Regime may apply.
PROCUREMENT_MODELS = frozenset({"gain_share"})
# Models that put value in the Partner's hands below market price (data at cost, or the
# NHS taking benefit in kind): the Subsidy Control Act 2022 may apply.
SUBSIDY_MODELS = frozenset({"cost_recovery", "in_kind", "consent_to_commercialise"})

# What a version-1 spec, which states no caps or cover, gets: the sums the library used
# before they became deal values.
V1_LIABILITY_CAP_GBP = 5_000_000

UK_COMPANY_NUMBER = re.compile(r"^(?:[0-9]{8}|(?:SC|NI|OC|SO|NC|LP|SL|NL|R0|RC|IP|SP)[0-9]{6})$")
UK_JURISDICTIONS = ("england_and_wales", "scotland", "northern_ireland")

_MONEY = {"type": "number", "min": 0, "max": 1_000_000_000}


def _assessment(*outcomes: str) -> dict:
    """Return the schema of a legal assessment: its outcome (open in a draft) and reference."""
    return {
        "type": "dict",
        "required": True,
        "schema": {
            "assessment": {
                "type": "string",
                "required": True,
                "nullable": True,
                "allowed": list(outcomes),
            },
            "reference": text_field(nullable=True),
        },
    }


_PERSON = {
    "type": "dict",
    "required": True,
    "schema": {"name": required_text(), "registration": text_field(nullable=True)},
}

COMMERCIAL_SCHEMA = {
    "type": "dict",
    "required": True,
    "schema": {
        # Each Party's total liability per year (principle 2); the model sets the range.
        "liability_cap_gbp": {**_MONEY, "required": True, "nullable": True},
        # Data protection, confidentiality and security: a higher cap, never below the
        # general one, so that the Partner's exposure is insurable yet real (principle 5).
        "data_protection_cap_gbp": {**_MONEY, "required": True, "nullable": True},
        "insurance": {
            "type": "dict",
            "required": True,
            "schema": {
                "professional_indemnity_gbp": {**_MONEY, "required": True, "nullable": True},
                "public_liability_gbp": {**_MONEY, "required": True, "nullable": True},
                "product_liability_gbp": {**_MONEY, "nullable": True},
                "cyber_gbp": {**_MONEY, "required": True, "nullable": True},
            },
        },
        "parent_company_guarantee": {
            "type": "dict",
            "required": True,
            "schema": {
                "required": {"type": "boolean", "required": True, "nullable": True},
                "guarantor": text_field(nullable=True),
                "guarantor_company_number": text_field(nullable=True),
                "guarantor_jurisdiction": text_field(nullable=True),
                "reason_not_required": text_field(nullable=True),
            },
        },
        "subsidy_control": _assessment(
            "not_engaged", "not_a_subsidy", "minimal_financial_assistance", "assessed_compliant"
        ),
        "procurement": _assessment(
            "not_engaged", "procurement_act_2023", "provider_selection_regime", "exempt"
        ),
    },
}

AI_PRODUCT_SCHEMA = {
    "type": "dict",
    "required": True,
    "nullable": True,
    "schema": {
        "intended_purpose": required_text(),
        "deployment": {
            "type": "string",
            "required": True,
            "allowed": ["research_only", "shadow", "live_care"],
        },
        "device_class": {
            "type": "string",
            "required": True,
            "allowed": ["not_a_device", "class_i", "class_iia", "class_iib", "class_iii"],
        },
        "regulatory_route": {
            "type": "string",
            "required": True,
            "allowed": ["not_applicable", "ukca", "ce_recognised", "ukni", "in_development"],
        },
        "dtac_status": {
            "type": "string",
            "required": True,
            "allowed": ["not_applicable", "not_started", "in_progress", "passed"],
        },
        "nice_evidence_tier": {"type": "string", "allowed": ["a", "b", "c"], "nullable": True},
        "clinical_safety_officers": {
            "type": "dict",
            "required": True,
            "nullable": True,
            "schema": {"partner": _PERSON, "nhs": _PERSON},
        },
        "models": {
            "type": "list",
            "required": True,
            "minlength": 1,
            "schema": {
                "type": "dict",
                "schema": {
                    "name": required_text(),
                    "kind": required_text(),
                    "trained_on_data": {"type": "boolean", "required": True},
                },
            },
        },
        "models_at_exit": {
            "type": "string",
            "required": True,
            "allowed": ["retain_if_tested", "delete", "transfer_to_nhs"],
        },
        "escrow": {"type": "boolean", "default": True},
    },
}

BENEFIT_FIELDS = {
    "delivered_by": {
        "type": "string",
        "required": True,
        "allowed": ["partner", "nhs", "joint"],
    },
    "baseline_source": required_text(),
    "evaluator": required_text(),
}

# What `upgrade` writes for each commercial field of a version-1 spec: open values the
# user must fill (null refuses a final assembly and is an open item in --draft).
UPGRADE_DEFAULTS = {
    "commercial": {
        "liability_cap_gbp": None,
        "data_protection_cap_gbp": None,
        "insurance": {
            "professional_indemnity_gbp": None,
            "public_liability_gbp": None,
            "product_liability_gbp": None,
            "cyber_gbp": None,
        },
        "parent_company_guarantee": {"required": None},
        "subsidy_control": {"assessment": None, "reference": None},
        "procurement": {"assessment": None, "reference": None},
    },
    "ai_product": None,
    "partner": {"jurisdiction": "england_and_wales"},
    "benefits[]": {"delivered_by": "partner", "baseline_source": None, "evaluator": None},
}


def extend_schema(schema: dict) -> dict:
    """Return the version-2 schema with the commercial, IP and AI fields added."""
    schema = copy.deepcopy(schema)
    schema["commercial"] = copy.deepcopy(COMMERCIAL_SCHEMA)
    schema["ai_product"] = copy.deepcopy(AI_PRODUCT_SCHEMA)
    benefit = schema["benefits"]["schema"]["schema"]
    for name, rules in BENEFIT_FIELDS.items():
        benefit[name] = copy.deepcopy(rules)
    # Open values in --draft: the checks below refuse them in a final contract.
    benefit["baseline_source"]["nullable"] = True
    benefit["evaluator"]["nullable"] = True
    partner = schema["partner"]["schema"]
    # Overseas partners: any registry number; checked against the jurisdiction below.
    partner["company_number"] = text_field(regex=r"^[A-Za-z0-9][A-Za-z0-9 ./\-]{1,29}$")
    partner["jurisdiction"] = required_text(regex=r"^[a-z][a-z_]{1,40}$")
    partner["ultimate_parent"] = text_field(nullable=True)
    partner["registered_in"] = text_field(nullable=True)
    return schema


def deal_clause_ids(spec: dict) -> list[str]:
    """Return the clauses a deal needs because of what it does, beyond its models' own."""
    model_ids = {spec["partnership_model"]} | {e["model"] for e in spec["additional_models"]}
    ai = spec.get("ai_product")
    deployed = bool(ai) and ai["deployment"] != "research_only"
    # A gain share pays for savings from a product in use in NHS services.
    return ["clinical_safety"] if deployed or "gain_share" in model_ids else []


def commercial_checks(spec: dict, library, draft: bool) -> list[Problem]:
    """Return the problems with a version-2 spec's commercial, IP and AI terms."""
    from toolkit.spec.commercial_rules import version_2_problems

    return version_2_problems(spec, library, draft)


__all__ = [
    "AI_PRODUCT_SCHEMA",
    "BENEFIT_FIELDS",
    "COMMERCIAL_SCHEMA",
    "PROCUREMENT_MODELS",
    "REVENUE_MODELS",
    "SUBSIDY_MODELS",
    "UPGRADE_DEFAULTS",
    "V1_LIABILITY_CAP_GBP",
    "UK_COMPANY_NUMBER",
    "UK_JURISDICTIONS",
    "commercial_checks",
    "deal_clause_ids",
    "extend_schema",
]
