"""The five principles and what every contract must contain because of them."""

from __future__ import annotations

from dataclasses import dataclass

PRINCIPLES = {
    1: "explicit aim and benefit",
    2: "fair terms",
    3: "no exclusivity, no lock-in",
    4: "transparency",
    5: "legal compliance",
}


@dataclass(frozen=True)
class MandatoryClause:
    """A clause the toolkit puts in every contract, whatever the library or spec says."""

    id: str
    principle: int
    category: str
    role: str
    must_contain: str = ""


# Held in code, not in the library, so that no library edit can remove one.
MANDATORY_CLAUSES = (
    MandatoryClause("patient_benefit", 1, "benefit", "patient and NHS benefit"),
    MandatoryClause("fair_value", 2, "value", "fair value and board approval", "board"),
    MandatoryClause("non_exclusivity", 3, "openness", "non-exclusivity", "non-exclusive"),
    MandatoryClause("transparency", 4, "transparency", "transparency", "publish"),
    MandatoryClause("data_protection", 5, "compliance", "legal compliance", "uk gdpr"),
)
MANDATORY_IDS = frozenset(clause.id for clause in MANDATORY_CLAUSES)

# Every contract needs at least one clause from each of these categories.
MANDATORY_CATEGORIES = (
    "general",
    "purpose",
    "benefit",
    "value",
    "data",
    "openness",
    "transparency",
    "compliance",
    "term",
    "disputes",
)

# Schedules the engine fills in itself; each must exist in the library.
REQUIRED_SCHEDULES = (
    "data_specification",
    "benefits_plan",
    "value_sharing",
    "transparency_summary",
)

ICO_HEADINGS = {
    "purpose": "purpose of the sharing",
    "parties": "the organisations involved",
    "data_items": "the data items to be shared",
    "lawful_basis": "the lawful basis for sharing",
    "special_category": "special category data",
    "individual_rights": "individuals' rights",
    "retention_deletion": "retention and deletion",
    "security": "security of the data",
    "breaches": "personal data breaches",
    "review": "review of the arrangement",
    "termination": "termination",
    # Further headings of the ICO data sharing code's checklist (issue 10).
    "legal_power": "the legal power to share",
    "provenance": "the provenance and controller of each dataset",
    "data_quality": "data quality and accuracy",
    "other_organisations": "other organisations involved",
    "sanctions": "sanctions for non-compliance",
}
