"""The checks on a version-2 spec's commercial values, AI and product section and wider law."""

from __future__ import annotations

from toolkit.exceptions import Problem
from toolkit.spec.commercial import (
    PROCUREMENT_MODELS,
    SUBSIDY_MODELS,
    UK_COMPANY_NUMBER,
    UK_JURISDICTIONS,
)

# Ranges for the caps when a partnership model sets none (pounds). A model file may
# narrow them under `limits`; it can never widen them beyond these floors.
CAP_FLOOR_GBP = 250_000
DATA_PROTECTION_CAP_FLOOR_GBP = 1_000_000
_DEFAULT_LIMITS = {
    "liability_cap_gbp": (CAP_FLOOR_GBP, 50_000_000),
    "data_protection_cap_gbp": (DATA_PROTECTION_CAP_FLOOR_GBP, 100_000_000),
}


def version_2_problems(spec: dict, library, draft: bool) -> list[Problem]:
    """Return every problem with the commercial, AI and wider-law fields of a v2 spec."""
    model_ids = [spec["partnership_model"]] + [e["model"] for e in spec["additional_models"]]
    problems = _cap_problems(spec, library, model_ids, draft)
    problems += _insurance_problems(spec, draft)
    problems += _guarantee_problems(spec, draft)
    problems += _wider_law_problems(spec, model_ids, draft)
    problems += _ai_problems(spec, model_ids, draft)
    problems += _benefit_problems(spec, draft)
    problems += _partner_problems(spec)
    problems += _model_term_problems(spec, model_ids, draft)
    return problems


def _open(path: str, what: str, principle: int, hint: str) -> Problem:
    return Problem(path, f"{what} is not yet given", principle, hint + " Or assemble with --draft.")


def _cap_problems(spec: dict, library, model_ids: list[str], draft: bool) -> list[Problem]:
    commercial = spec["commercial"]
    problems = []
    limits = dict(_DEFAULT_LIMITS)
    for model_id in model_ids:
        model = library.model(model_id)
        for field, (low, high) in (getattr(model, "limits", None) or {}).items():
            if field in limits:
                # A model may narrow the range, never widen it below the floor.
                old_low, old_high = limits[field]
                limits[field] = (max(old_low, low), min(old_high, high))
    for field, (low, high) in limits.items():
        value = commercial[field]
        path = f"commercial.{field}"
        if value is None:
            if not draft:
                problems.append(
                    _open(path, field.replace("_gbp", "").replace("_", " "), 2, "State it.")
                )
            continue
        if not low <= value <= high:
            problems.append(
                Problem(
                    path,
                    f"£{value:,.0f} is outside the range £{low:,.0f} to £{high:,.0f} that the "
                    f"partnership model{'s' if len(model_ids) > 1 else ''} "
                    f"{', '.join(model_ids)} allow{'' if len(model_ids) > 1 else 's'}",
                    2,
                    "Choose a cap within the range, sized to the deal and the Partner's insurance.",
                )
            )
    cap, super_cap = commercial["liability_cap_gbp"], commercial["data_protection_cap_gbp"]
    if cap is not None and super_cap is not None and super_cap < cap:
        problems.append(
            Problem(
                "commercial.data_protection_cap_gbp",
                f"the data-protection cap (£{super_cap:,.0f}) is below the general cap "
                f"(£{cap:,.0f})",
                5,
                "Data protection, confidentiality and security liabilities need the higher cap.",
            )
        )
    return problems


def _insurance_problems(spec: dict, draft: bool) -> list[Problem]:
    insurance = spec["commercial"]["insurance"]
    problems = []
    for field in ("professional_indemnity_gbp", "public_liability_gbp", "cyber_gbp"):
        if insurance.get(field) is None and not draft:
            problems.append(
                _open(
                    f"commercial.insurance.{field}",
                    field[:-4].replace("_", " ") + " cover",
                    2,
                    "State the level of cover the Partner must hold.",
                )
            )
    ai = spec.get("ai_product")
    if ai and ai["deployment"] != "research_only" and not insurance.get("product_liability_gbp"):
        problems.append(
            Problem(
                "commercial.insurance.product_liability_gbp",
                "a product used in NHS care needs product liability cover",
                5,
                "State the product liability cover the Partner must hold.",
            )
        )
    cyber, super_cap = insurance.get("cyber_gbp"), spec["commercial"]["data_protection_cap_gbp"]
    if cyber is not None and super_cap is not None and cyber * 4 < super_cap:
        problems.append(
            Problem(
                "commercial.insurance.cyber_gbp",
                f"cyber cover of £{cyber:,.0f} is less than a quarter of the data-protection cap "
                f"(£{super_cap:,.0f}), so the cap is unlikely to be met",
                2,
                "Raise the cover, or lower the cap to what the Partner can stand behind.",
            )
        )
    return problems


def _guarantee_problems(spec: dict, draft: bool) -> list[Problem]:
    guarantee = spec["commercial"]["parent_company_guarantee"]
    path = "commercial.parent_company_guarantee"
    if guarantee["required"] is None:
        return (
            []
            if draft
            else [
                _open(
                    f"{path}.required",
                    "whether a parent company guarantee is needed",
                    2,
                    "Set required: true (naming the guarantor) or false (with the reason).",
                )
            ]
        )
    if guarantee["required"]:
        return [
            Problem(
                f"{path}.{key}",
                f"a parent company guarantee needs its {key.replace('_', ' ')}",
                2,
                "Name the guarantor and where it is registered.",
            )
            for key in ("guarantor", "guarantor_jurisdiction")
            if not guarantee.get(key)
        ]
    if not guarantee.get("reason_not_required") and spec["partner"]["kind"] == "company":
        return [
            Problem(
                f"{path}.reason_not_required",
                "a company partner without a parent company guarantee needs a recorded reason",
                2,
                "Say why the Partner's own covenant is strong enough (for example, its "
                "net assets), or require a guarantee.",
            )
        ]
    return []


def _assessment(spec: dict, section: str, engaged: bool, why: str, principle: int, draft: bool):
    entry = spec["commercial"][section]
    path = f"commercial.{section}"
    if entry["assessment"] is None:
        return (
            []
            if draft
            else [
                _open(
                    f"{path}.assessment",
                    f"the {section.replace('_', ' ')} assessment",
                    principle,
                    "Record the assessment.",
                )
            ]
        )
    if engaged and entry["assessment"] == "not_engaged":
        return [
            Problem(
                f"{path}.assessment",
                f"'not_engaged' does not fit this deal: {why}",
                principle,
                "Record the assessment made, with its reference.",
            )
        ]
    if entry["assessment"] != "not_engaged" and not entry.get("reference") and not draft:
        return [
            _open(
                f"{path}.reference",
                f"the {section.replace('_', ' ')} reference",
                principle,
                "Give the reference of the assessment.",
            )
        ]
    return []


def _wider_law_problems(spec: dict, model_ids: list[str], draft: bool) -> list[Problem]:
    company = spec["partner"]["kind"] == "company"
    subsidy = company and bool(SUBSIDY_MODELS & set(model_ids))
    ai = spec.get("ai_product") or {}
    procured = bool(PROCUREMENT_MODELS & set(model_ids)) or ai.get("deployment") == "live_care"
    problems = _assessment(
        spec,
        "subsidy_control",
        subsidy,
        "a company receives data at cost or gives value in kind, which may be a subsidy under "
        "the Subsidy Control Act 2022",
        2,
        draft,
    )
    problems += _assessment(
        spec,
        "procurement",
        procured,
        "an NHS body will pay for, or take into its services, what the Partner supplies "
        "(Procurement Act 2023 or the Provider Selection Regime)",
        5,
        draft,
    )
    return problems


def _ai_problems(spec: dict, model_ids: list[str], draft: bool) -> list[Problem]:
    ai = spec.get("ai_product")
    if ai is None:
        if "gain_share" in model_ids:
            return [
                Problem(
                    "ai_product",
                    "a gain share deploys a product in NHS services, so the "
                    "deal needs its AI and product section",
                    5,
                    "Describe the product: intended purpose, device class, DTAC, "
                    "clinical safety officers, models and what happens to them at exit.",
                )
            ]
        return []
    problems = []
    deployed = ai["deployment"] != "research_only"
    device = ai["device_class"] != "not_a_device"
    if device and ai["regulatory_route"] == "not_applicable":
        problems.append(
            Problem(
                "ai_product.regulatory_route",
                "a medical device needs a regulatory route under UK MDR 2002",
                5,
                "Use ukca, ce_recognised, ukni or in_development.",
            )
        )
    if not device and ai["regulatory_route"] not in ("not_applicable",):
        problems.append(
            Problem(
                "ai_product.device_class",
                "a regulatory route is given for a product that is not a device",
                5,
                "State the device class, or set regulatory_route: not_applicable.",
            )
        )
    if deployed and ai["clinical_safety_officers"] is None and not draft:
        problems.append(
            _open(
                "ai_product.clinical_safety_officers",
                "the clinical safety officers (DCB0129 and DCB0160)",
                5,
                "Name the Partner's and the NHS Party's clinical safety officers.",
            )
        )
    if ai["deployment"] == "live_care" and ai["dtac_status"] in ("not_applicable",):
        problems.append(
            Problem(
                "ai_product.dtac_status",
                "a product used in live care must be assessed against DTAC",
                5,
                "Record its DTAC status (passing it is a go-live condition).",
            )
        )
    if ai["deployment"] == "live_care" and ai.get("escrow") is False:
        # Notice and exit help cannot keep a service running the day the supplier fails;
        # only a deposit the NHS body can use can (continuity, principle 3).
        problems.append(
            Problem(
                "ai_product.escrow",
                "escrow is switched off for a product used in the live care of patients, so "
                "the NHS would have no way to keep the service running if the Partner failed",
                3,
                "Keep escrow: true. If escrow for every NHS body is disproportionate, "
                "negotiate the approved position escrow_for_devices_only of clause "
                "intellectual_property; escrow: false is for research-only or shadow use.",
            )
        )
    if not any(m["trained_on_data"] for m in ai["models"]) and ai["models_at_exit"] == "delete":
        problems.append(
            Problem(
                "ai_product.models_at_exit",
                "no listed model is trained on the Data, so deletion at exit has nothing to act on",
                5,
                "List the models trained on the Data.",
            )
        )
    return problems


def _benefit_problems(spec: dict, draft: bool) -> list[Problem]:
    problems = []
    partner = spec["partner"]["name"].casefold()
    for index, benefit in enumerate(spec["benefits"]):
        for field in ("baseline_source", "evaluator"):
            if benefit.get(field) is None and not draft:
                problems.append(
                    _open(
                        f"benefits[{index}].{field}",
                        f"the benefit's {field.replace('_', ' ')}",
                        1,
                        "Say where the baseline comes from and who evaluates it.",
                    )
                )
        evaluator = (benefit.get("evaluator") or "").casefold()
        if (
            benefit["beneficiary"] == "patients"
            and evaluator
            and (evaluator in ("partner", "the partner") or partner in evaluator)
        ):
            problems.append(
                Problem(
                    f"benefits[{index}].evaluator",
                    "a patient benefit may not be evaluated by the Partner alone",
                    1,
                    "Name an evaluator independent of the Partner (for "
                    "example an academic health science network or the NHS "
                    "Party's clinical audit team).",
                )
            )
    return problems


def _partner_problems(spec: dict) -> list[Problem]:
    partner = spec["partner"]
    number = partner.get("company_number")
    if (
        partner["kind"] == "company"
        and partner["jurisdiction"] in UK_JURISDICTIONS
        and number
        and not UK_COMPANY_NUMBER.match(number)
    ):
        return [
            Problem(
                "partner.company_number",
                f"'{number}' is not a Companies House number, yet the Partner is "
                f"registered in {partner['jurisdiction']}",
                hint="Give the 8-character Companies House number, or the jurisdiction "
                "where the Partner is registered (for example ireland, delaware_usa).",
            )
        ]
    return []


def _model_term_problems(spec: dict, model_ids: list[str], draft: bool) -> list[Problem]:
    problems = []
    terms = {spec["partnership_model"]: ("model_terms", spec["model_terms"])}
    for index, entry in enumerate(spec["additional_models"]):
        terms[entry["model"]] = (f"additional_models[{index}].terms", entry["terms"])
    if "royalty" in terms:
        where, royalty = terms["royalty"]
        # A draft may leave them open: until named, the royalty runs on every
        # Data-Derived Product (the definition says so), which is what a draft shows.
        if not royalty.get("royalty_products") and not draft:
            problems.append(
                Problem(
                    f"{where}.royalty_products",
                    "a version-2 royalty names the products it is paid on",
                    2,
                    "List the Royalty Products (a royalty on any product the Data "
                    "touched invites dispute), or assemble with --draft until they are agreed.",
                )
            )
    if "in_kind" in terms:
        where, in_kind = terms["in_kind"]
        for field in ("long_stop_months", "cash_alternative_gbp"):
            if in_kind.get(field) is None:
                problems.append(
                    Problem(
                        f"{where}.{field}",
                        "a version-2 in-kind offer needs a long-stop date and a cash alternative",
                        2,
                        "Give long_stop_months and cash_alternative_gbp, so the "
                        "NHS gets value even if the product never launches.",
                    )
                )
    return problems
