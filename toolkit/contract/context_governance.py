"""The information-governance values a clause text sees: roles, bases, regimes, provenance.

A version-1 spec has none of the version-2 fields, so each gets the meaning version 1's
contract gave it (joint controllers for personal data, the English regime), and `ig.v2`
lets a clause add what only a version-2 spec can say.
"""

from __future__ import annotations

from toolkit.contract.markup import OpenItem
from toolkit.spec import DealSpec

NATION_NAMES = {
    "england": "England",
    "wales": "Wales",
    "scotland": "Scotland",
    "northern_ireland": "Northern Ireland",
}
ROLE_NAMES = {
    "joint_controller": "joint controller",
    "independent_controller": "independent controller",
    "processor": "processor",
    "no_personal_data": "receives no personal data",
}
# The national bodies to which an NHS body reports, by nation, the register holder first.
HEALTH_BODIES = {
    "england": ("NHS England", "the Department of Health and Social Care"),
    "wales": ("the Welsh Government", "Digital Health and Care Wales"),
    "scotland": ("the Scottish Government", "Public Health Scotland"),
    "northern_ireland": (
        "the Department of Health (Northern Ireland)",
        "the Business Services Organisation",
    ),
}
_V1_NATIONS = {
    "england_and_wales": "england",
    "scotland": "scotland",
    "northern_ireland": "northern_ireland",
}


def _opt_out_reason(data: dict, nations: set[str]) -> str:
    """Return why the national data opt-out does not apply, where the facts already say."""
    if data["identifiability"] == "anonymised":
        return (
            "the Data is anonymised in line with the Information Commissioner's guidance "
            "before it reaches the Partner, so it is not confidential patient information"
        )
    if "england" not in nations:
        where = " and ".join(NATION_NAMES[n] for n in sorted(nations))
        return (
            f"the Data comes from {where}, where the National Data Opt-out "
            "(an England-only policy) does not apply"
        )
    if data["confidentiality_basis"] == "consent":
        return (
            "each individual has given explicit consent, which the National Data Opt-out "
            "does not override"
        )
    if data["confidentiality_basis"] == "direct_care":
        return "the Data is used only for the individual care of the patients concerned"
    return ""


def governance_context(spec: DealSpec, data: dict) -> dict:
    """Return the `ig` values and the data section, completed for the clause texts."""
    doc = spec.data
    v2 = doc["spec_version"] >= 2
    data = dict(data)
    personal = data["identifiability"] != "anonymised"
    if v2:
        nations = {party["nation"] for party in doc["nhs_parties"]}
        partner_role = doc["partner"]["role"]
    else:
        nations = {_V1_NATIONS[doc["agreement"]["governing_law"]]}
        partner_role = "joint_controller" if personal else "no_personal_data"
    if data["national_data_opt_out"] == "not_applicable" and not data.get(
        "national_data_opt_out_reason"
    ):
        data["national_data_opt_out_reason"] = _opt_out_reason(data, nations) or None
    parties = []
    for party in doc["nhs_parties"]:
        entry = {
            "name": party["name"],
            "role": party.get("role", "joint_controller" if personal else "independent_controller"),
            "lawful_basis": party.get("lawful_basis") or data.get("lawful_basis") or {},
            "statutory_power": party.get("statutory_power")
            or OpenItem(f"Statutory power of {party['name']}"),
            "caldicott_guardian": party.get("caldicott_guardian"),
            "nation": NATION_NAMES[party.get("nation") or next(iter(nations))],
        }
        parties.append(entry)
    partner = doc["partner"]
    datasets = []
    for dataset in data["datasets"]:
        entry = dict(dataset)
        for key, label in (
            ("source", "source"),
            ("controller", "controller"),
            ("approximate_records", "approximate records"),
        ):
            if v2 and entry.get(key) is None:
                entry[key] = OpenItem(f"{label.capitalize()} of {dataset['name']}")
        datasets.append(entry)
    data["datasets"] = datasets
    sde = data.get("secure_data_environment")
    if v2:
        from toolkit.spec.governance_facts import partner_holds_personal_data

        dspt_required = partner_holds_personal_data(doc)
        # The clauses on special category data read one set of bases: the lead's.
        lead = next((p for p in doc["nhs_parties"] if p.get("lead")), doc["nhs_parties"][0])
        data["lawful_basis"] = lead.get("lawful_basis")
    else:
        dspt_required = True
    lead_party = next((p for p in doc["nhs_parties"] if p.get("lead")), doc["nhs_parties"][0])
    lead_nation = lead_party.get("nation") or next(iter(sorted(nations)))
    health_bodies = [
        body for n in sorted(nations, key=list(NATION_NAMES).index) for body in HEALTH_BODIES[n]
    ]
    return {
        "data": data,
        "ig": {
            "v2": v2,
            "personal": personal,
            "nations": sorted(nations),
            "nation_names": [NATION_NAMES[n] for n in sorted(nations)],
            "lead_nation_name": NATION_NAMES[lead_nation],
            # Who receives the NHS party's reports and keeps the national register.
            "health_bodies": health_bodies,
            "register_body": HEALTH_BODIES[lead_nation][0],
            "england": "england" in nations,
            "wales": "wales" in nations,
            "scotland": "scotland" in nations,
            "northern_ireland": "northern_ireland" in nations,
            "partner_role": partner_role,
            "partner_dspt_required": dspt_required,
            "partner_role_name": ROLE_NAMES[partner_role],
            "partner_basis": partner.get("lawful_basis") or {},
            "partner_statutory_function": partner.get("statutory_function"),
            "partner_lia": partner.get("legitimate_interests_assessment"),
            "nhs_parties": parties,
            "joint": partner_role == "joint_controller",
            "processor": partner_role == "processor",
            "independent": partner_role == "independent_controller",
            "uses": data.get("uses", []),
            "sde": sde,
            "approvals": {
                key: (data.get("approvals") or {}).get(key)
                for key in ("cag", "rec", "pbpp", "ni_privacy_advisory_committee")
            },
            "access_location": data.get("access_location", data["storage_location"]),
            "overseas_countries": data.get("overseas_countries", []),
            "transfer_route": data.get("transfer_route"),
            "sub_processors": data.get("sub_processors", []),
            "anonymisation_assessment": data.get("anonymisation_assessment")
            or (OpenItem("Anonymisation assessment reference") if v2 and not personal else None),
        },
    }
