"""The values a clause text sees: parties, dates, the deal's terms, in words."""

from __future__ import annotations

from toolkit.contract.context_commercial import commercial_context
from toolkit.contract.context_governance import governance_context
from toolkit.contract.context_terms import additional_terms_context
from toolkit.contract.markup import OpenItem
from toolkit.library import Library
from toolkit.spec import DealSpec
from toolkit.spec.party_kinds import KIND_NAMES

BENEFICIARY_NAMES = {
    "patients": "patients",
    "nhs_organisation": "the NHS Party",
    "nhs_national": "the NHS nationally",
}


LAW_NAMES = {
    "england_and_wales": "England and Wales",
    "scotland": "Scotland",
    "northern_ireland": "Northern Ireland",
}


def build_context(spec: DealSpec, library: Library) -> dict:
    """Return the values clause texts may use (see the library format reference)."""
    doc = spec.data
    agreement = dict(doc["agreement"])
    model = library.model(doc["partnership_model"])
    agreement.setdefault("title", model.name + " Data Partnership Agreement")
    agreement["end_date"] = spec.end_date
    agreement["governing_law_name"] = LAW_NAMES[agreement["governing_law"]]
    parties = []
    for party in doc["nhs_parties"]:
        party = dict(party, kind_name=KIND_NAMES[party["kind"]])
        approval = dict(party.get("board_approval") or {})
        for key, label in (("date", "date"), ("minute_ref", "minute reference")):
            if not approval.get(key):
                approval[key] = OpenItem(f"Board approval {label} for {party['name']}")
        party["board_approval"] = approval
        parties.append(party)
    if len(parties) == 1:
        parties[0]["lead"] = True
    lead = next(party for party in parties if party["lead"])
    models = [{"id": m, "name": library.model(m).name} for m in spec.model_ids]
    terms = {doc["partnership_model"]: doc["model_terms"]}
    terms.update({entry["model"]: entry["terms"] for entry in doc["additional_models"]})
    data_section = dict(doc["data"])
    if data_section["identifiability"] != "anonymised" and not data_section.get("dpia_reference"):
        data_section["dpia_reference"] = OpenItem("DPIA reference")
    data_section.setdefault("lawful_basis", None)
    beneficiaries = dict(BENEFICIARY_NAMES)
    if len(parties) > 1:
        beneficiaries["nhs_organisation"] = "the NHS Parties"
    benefits = [
        dict(benefit, beneficiary_name=beneficiaries[benefit["beneficiary"]])
        for benefit in doc["benefits"]
    ]
    partner = dict(doc["partner"], kind_name=KIND_NAMES[doc["partner"]["kind"]])
    # Roles, bases and regimes by jurisdiction (version 2, with version-1 defaults).
    governance = governance_context(spec, data_section)
    data_section = governance["data"]
    return {
        "ig": governance["ig"],
        "agreement": agreement,
        "nhs_parties": parties,
        "lead_nhs_party": lead,
        "consortium": len(parties) > 1,
        "partner": partner,
        "model": models[0],
        "models": models,
        "terms": terms,
        "purpose": doc["purpose"],
        "benefits": benefits,
        "data": data_section,
        "ip": doc["ip"],
        "draft": spec.draft,
        # Each term with its approval, or an open item in a draft (context_terms).
        **additional_terms_context(doc),
        **commercial_context(spec),
    }
