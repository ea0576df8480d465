"""The commercial values a clause text sees: caps, insurance, guarantees, AI and product."""

from __future__ import annotations

from toolkit.contract.markup import OpenItem
from toolkit.spec import DealSpec
from toolkit.spec.commercial import (
    PROCUREMENT_MODELS,
    REVENUE_MODELS,
    SUBSIDY_MODELS,
    V1_LIABILITY_CAP_GBP,
)

# What a version-1 spec, which states no cover, gets: the cover the library required
# before it became a deal value.
V1_INSURANCE = {
    "professional_indemnity_gbp": 5_000_000,
    "public_liability_gbp": 5_000_000,
    "product_liability_gbp": 5_000_000,
    "cyber_gbp": 5_000_000,
}
_LISTED_MARKETS = ("aim", "main_market", "overseas_exchange")
_PLACES = {
    "england_and_wales": "England and Wales",
    "scotland": "Scotland",
    "northern_ireland": "Northern Ireland",
}
_SHORT_FORMS = {"usa": "United States", "us": "United States", "uk": "United Kingdom", "uae": "UAE"}


def place_name(code: str | None) -> str | None:
    """Return a jurisdiction code in words ('delaware_usa': 'Delaware, United States')."""
    if not code:
        return None
    if code in _PLACES:
        return _PLACES[code]
    words = code.split("_")
    if words[-1] in _SHORT_FORMS and len(words) > 1:
        return " ".join(w.capitalize() for w in words[:-1]) + ", " + _SHORT_FORMS[words[-1]]
    return " ".join(w if w in ("and", "of") else w.capitalize() for w in words)


def commercial_context(spec: DealSpec) -> dict:
    """Return the `commercial` and `ai_product` values the clause texts use."""
    doc = spec.data
    model_ids = set(spec.model_ids)
    section = doc.get("commercial")
    ai = doc.get("ai_product")
    equity = _terms(doc, "equity")
    values = {
        "version": doc["spec_version"],
        "licensed": bool(model_ids & REVENUE_MODELS),
        "in_kind": "in_kind" in model_ids,
        "listed": bool(equity) and equity.get("market") in _LISTED_MARKETS,
        "subsidy_models": bool(model_ids & SUBSIDY_MODELS),
        "procurement_models": bool(model_ids & PROCUREMENT_MODELS),
        "deployed": bool(ai) and ai["deployment"] != "research_only",
    }
    if section is None:
        values.update(
            liability_cap_gbp=V1_LIABILITY_CAP_GBP,
            data_protection_cap_gbp=None,
            insurance=dict(V1_INSURANCE),
            guarantee=None,
            subsidy_control=None,
            procurement=None,
        )
    else:
        values.update(
            liability_cap_gbp=_or_open(section["liability_cap_gbp"], "General liability cap"),
            data_protection_cap_gbp=_or_open(
                section["data_protection_cap_gbp"], "Data-protection liability cap"
            ),
            insurance={
                key: _or_open(value, f"Insurance: {key[:-4].replace('_', ' ')} cover")
                for key, value in section["insurance"].items()
            },
            guarantee=dict(
                section["parent_company_guarantee"],
                jurisdiction_name=place_name(
                    section["parent_company_guarantee"].get("guarantor_jurisdiction")
                ),
            ),
            subsidy_control=section["subsidy_control"],
            procurement=section["procurement"],
        )
    partner = doc["partner"]
    values["partner_jurisdiction"] = partner.get("jurisdiction", "england_and_wales")
    values["partner_jurisdiction_name"] = place_name(values["partner_jurisdiction"])
    return {"commercial": values, "ai_product": _ai(ai)}


def _terms(doc: dict, model_id: str) -> dict:
    if doc["partnership_model"] == model_id:
        return doc["model_terms"]
    for entry in doc["additional_models"]:
        if entry["model"] == model_id:
            return entry["terms"]
    return {}


def _or_open(value, description: str):
    return OpenItem(description) if value is None else value


def _ai(ai: dict | None) -> dict | None:
    if ai is None:
        return None
    ai = dict(ai)
    officers = ai.get("clinical_safety_officers")
    if officers is None:
        ai["clinical_safety_officers"] = {
            "partner": {
                "name": OpenItem("Partner's clinical safety officer"),
                "registration": None,
            },
            "nhs": {"name": OpenItem("NHS Party's clinical safety officer"), "registration": None},
        }
    ai.setdefault("nice_evidence_tier", None)
    ai.setdefault("escrow", True)
    return ai
