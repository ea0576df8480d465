"""Version-2 information governance: roles, bases, jurisdictions, DSPT, transfers, provenance."""

from __future__ import annotations

import copy

import pytest
from conftest import EXAMPLES

from toolkit.exceptions import SpecError
from toolkit.spec import load_spec, validate_spec


@pytest.fixture(scope="module")
def royalty():
    return load_spec(EXAMPLES / "valid-royalty.yaml")


def _problems(spec, library, draft=False):
    try:
        validate_spec(copy.deepcopy(spec), library, source="t", draft=draft)
    except SpecError as error:
        return {p.path: p for p in error.problems}
    return {}


def _example(name):
    return load_spec(EXAMPLES / name)


def test_the_examples_of_each_role_and_nation_are_accepted(library):
    for name in (
        "valid-direct-care-processor.yaml",
        "valid-wales-independent-controllers.yaml",
        "valid-scotland-joint-controllers.yaml",
        "valid-northern-ireland-joint-controllers.yaml",
        "valid-aggregate-university.yaml",
        "valid-national-sde-research.yaml",
    ):
        governance = {
            path: p for path, p in _problems(_example(name), library).items() if p.principle == 5
        }
        assert not governance, (name, governance)


def test_a_charity_on_public_task_needs_a_statutory_function(royalty, library):
    spec = copy.deepcopy(royalty)
    spec["partner"]["kind"] = "charity"
    spec["partner"]["lawful_basis"]["article_6"] = "6(1)(e)"
    problem = _problems(spec, library)["partner.lawful_basis.article_6"]
    assert "statutory function" in problem.hint and problem.principle == 5
    spec["partner"]["statutory_function"] = "Health and Social Care Act 2012, s.250"
    assert "partner.lawful_basis.article_6" not in _problems(spec, library)


def test_an_nhs_body_cannot_rely_on_legitimate_interests(royalty, library):
    spec = copy.deepcopy(royalty)
    spec["nhs_parties"][0]["lawful_basis"]["article_6"] = "6(1)(f)"
    assert (
        "public authority"
        in _problems(spec, library)["nhs_parties[0].lawful_basis.article_6"].message
    )


def test_a_research_condition_needs_its_schedule_1_condition(royalty, library):
    spec = copy.deepcopy(royalty)
    spec["partner"]["lawful_basis"]["dpa_schedule_1"] = None
    assert "partner.lawful_basis.dpa_schedule_1" in _problems(spec, library)


@pytest.mark.parametrize(
    "model", ["subscription", "milestones", "upfront_fee", "equity", "cost_recovery"]
)
def test_direct_care_is_refused_with_any_data_value_model(model, library):
    spec = _example("valid-direct-care-processor.yaml")
    spec["partnership_model"] = model
    spec["model_terms"] = library.model(model).terms_example
    problem = _problems(spec, library, draft=True)["data.confidentiality_basis"]
    assert "s251" in problem.hint and "consent" in problem.hint


@pytest.mark.parametrize(
    "purpose",
    [
        "The Partner will train a deep learning model on the records.",
        "to develop and refine its deterioration tool",
        "research into outcomes of heart failure",
        "to build, test and safety-test a mobile application",
    ],
)
def test_direct_care_with_a_development_purpose_is_refused(purpose, library):
    spec = _example("valid-direct-care-processor.yaml")
    spec["purpose"]["description"] = purpose
    assert "purpose.description" in _problems(spec, library, draft=True)


def test_direct_care_wording_about_test_results_is_not_development(library):
    spec = _example("valid-direct-care-processor.yaml")
    spec["purpose"]["description"] = (
        "Show clinicians each patient's blood test results in the validated app they use."
    )
    assert "purpose.description" not in _problems(spec, library, draft=True)


@pytest.mark.parametrize(
    ("example", "nation"),
    [
        ("valid-scotland-joint-controllers.yaml", "Scotland"),
        ("valid-northern-ireland-joint-controllers.yaml", "Northern Ireland"),
    ],
)
def test_s251_outside_england_and_wales_names_the_right_route(example, nation, library):
    spec = _example(example)
    spec["data"]["confidentiality_basis"] = "s251"
    problem = _problems(spec, library, draft=True)["data.confidentiality_basis"]
    assert nation in problem.message
    assert ("Public Benefit and Privacy Panel" if nation == "Scotland" else "2016") in problem.hint


def test_s251_in_wales_is_accepted_but_the_opt_out_is_not(library):
    spec = _example("valid-wales-independent-controllers.yaml")
    assert "data.confidentiality_basis" not in _problems(spec, library, draft=True)
    spec["data"]["national_data_opt_out"] = "applied"
    assert (
        "England-only" in _problems(spec, library, draft=True)["data.national_data_opt_out"].message
    )


def test_s251_for_english_data_still_needs_the_opt_out(royalty, library):
    spec = copy.deepcopy(royalty)
    spec["data"]["national_data_opt_out"] = "not_applicable"
    assert "data.national_data_opt_out" in _problems(spec, library, draft=True)


def test_dspt_follows_personal_data_into_the_partners_hands(library):
    aggregate = _example("valid-aggregate-university.yaml")
    assert aggregate["data"]["partner_dspt_status"] is None
    sde = _example("valid-national-sde-research.yaml")
    assert "data.partner_dspt_status" not in _problems(sde, library, draft=True)
    sde["data"]["secure_data_environment"]["operator_kind"] = "partner"
    assert "data.partner_dspt_status" in _problems(sde, library, draft=True)
    extract = _example("valid-national-sde-research.yaml")
    extract["data"]["access"] = "extract"
    extract["data"]["extract_justification"] = (
        "The survival models need more memory than the environment offers, so they "
        "cannot run there."
    )
    assert "data.partner_dspt_status" in _problems(extract, library, draft=True)


@pytest.mark.parametrize("field", ["storage_location", "access_location"])
def test_personal_data_outside_the_uk_needs_a_transfer_route(royalty, library, field):
    spec = copy.deepcopy(royalty)
    spec["data"][field] = "outside_uk"
    spec["data"]["overseas_countries"] = ["India"]
    assert "data.transfer_route" in _problems(spec, library, draft=True)
    spec["data"]["transfer_route"] = "adequacy"
    assert "no UK adequacy" in _problems(spec, library, draft=True)["data.transfer_route"].message
    spec["data"]["transfer_route"] = "idta"
    assert "data.transfer_route" not in _problems(spec, library, draft=True)


def test_an_overseas_sub_processor_needs_a_transfer_route(royalty, library):
    spec = copy.deepcopy(royalty)
    spec["data"]["sub_processors"] = [
        {"name": "Acme Cloud Inc", "service": "hosting", "location": "outside_uk"}
    ]
    assert "data.transfer_route" in _problems(spec, library, draft=True)


@pytest.mark.parametrize(
    "justification",
    [None, "Required for the project.", "As per DPIA", "Needed for the study purposes only ok"],
)
def test_identifiable_data_needs_a_real_necessity(justification, library):
    spec = _example("valid-consent_to_commercialise.yaml")
    spec["data"]["identifiable_justification"] = justification
    assert "data.identifiable_justification" in _problems(spec, library, draft=True)


def test_anonymised_data_needs_an_assessment_but_no_opt_out_reason(library):
    spec = _example("valid-aggregate-university.yaml")
    assert spec["data"]["national_data_opt_out_reason"] is None
    assert not {p for p in _problems(spec, library) if p.startswith("data.")}
    spec["data"]["anonymisation_assessment"] = None
    assert "data.anonymisation_assessment" in _problems(spec, library)
    assert "data.anonymisation_assessment" not in _problems(spec, library, draft=True)


def test_the_partner_never_holds_the_pseudonymisation_key(royalty, library):
    spec = copy.deepcopy(royalty)
    spec["data"]["datasets"][0]["pseudonymisation_key_holder"] = spec["partner"]["name"]
    assert "data.datasets[0].pseudonymisation_key_holder" in _problems(spec, library, draft=True)


def test_roles_must_fit_the_facts(royalty, library):
    spec = copy.deepcopy(royalty)
    spec["nhs_parties"][0]["role"] = "independent_controller"
    assert "partner.role" in _problems(spec, library, draft=True)
    anonymised = _example("valid-aggregate-university.yaml")
    anonymised["partner"]["role"] = "joint_controller"
    assert "partner.role" in _problems(anonymised, library, draft=True)


def test_version_1_keeps_its_own_rules(deal, library):
    deal["data"]["partner_dspt_status"] = "approaching_standards"
    deal["data"]["identifiability"] = "anonymised"
    deal["data"]["access"] = "aggregate"
    assert "data.partner_dspt_status" in _problems(deal, library)


# --- The specialist's verdicts on freshly written deals (issue 10, "How it will be checked").
# Each deal below is written here from scratch, modelled on a kind of real NHS deal; none is
# a copy of an example. The commercial sections are plain and complete so that only the
# information-governance facts decide the verdict.


def _party(nation="england", **extra):
    party = {
        "name": "Harbourside Community Health NHS Trust",
        "kind": "nhs_trust",
        "ods_code": "RZZ9",
        "address": "Quay House, 4 Dock Road, Harbourside HB1 2QQ",
        "signatory": {"name": "Dr Lena Whitcombe", "role": "Chief Executive"},
        "board_approval": {"date": "2027-05-12", "minute_ref": "HCH/TB/27/051"},
        "nation": nation,
        "role": "joint_controller",
        "lawful_basis": {
            "article_6": "6(1)(e)",
            "article_9": "9(2)(j)",
            "dpa_schedule_1": "Part 1 paragraph 4",
        },
        "statutory_power": "National Health Service Act 2006, s.7A and s.43",
        "caldicott_guardian": {"name": "Dr Omar Feltham", "approval_date": "2027-05-12"},
        "lead": True,
    }
    party.update(extra)
    return party


def _partner(**extra):
    partner = {
        "name": "Tidewater Clinical Software Ltd",
        "kind": "company",
        "company_number": "13579246",
        "address": "Unit 7, Kingfisher Park, Bristol BS2 0QT",
        "signatory": {"name": "Maya Okonkwo", "role": "Chief Executive"},
        "role": "joint_controller",
        "lawful_basis": {
            "article_6": "6(1)(f)",
            "article_9": "9(2)(j)",
            "dpa_schedule_1": "Part 1 paragraph 4",
        },
        "statutory_function": None,
        "legitimate_interests_assessment": "LIA-TCS-2027-02",
        "jurisdiction": "england_and_wales",
    }
    partner.update(extra)
    return partner


def _data(**extra):
    data = {
        "description": "Pseudonymised community nursing and hospital records of adults with "
        "leg ulcers, 2019-2027",
        "datasets": [
            {
                "name": "Community nursing wound assessments",
                "period": "2019-2027",
                "source": "Community nursing record (EMIS Community)",
                "controller": "Harbourside Community Health NHS Trust",
                "items": ["wound site", "wound area", "assessment date", "dressing used"],
                "approximate_records": 86000,
                "linkage": None,
                "free_text": False,
                "imaging": False,
                "genomic": False,
                "pseudonymisation_key_holder": "Harbourside Community Health NHS Trust",
            }
        ],
        "identifiability": "pseudonymised",
        "access": "sde",
        "special_category": True,
        "confidentiality_basis": "s251",
        "national_data_opt_out": "applied",
        "national_data_opt_out_reason": None,
        "dpia_reference": "DPIA-HCH-2027-031",
        "partner_dspt_status": None,
        "retention_months": 24,
        "storage_location": "uk",
        "uses": ["research"],
        "identifiable_justification": None,
        "anonymisation_assessment": None,
        "secure_data_environment": {
            "name": "Harbourside Research Environment",
            "operator": "Harbourside Community Health NHS Trust",
            "operator_kind": "nhs",
            "operator_dspt_status": "standards_exceeded",
        },
        "approvals": {
            "cag": {"reference": "27/CAG/0163", "conditions": []},
            "rec": {"reference": "27/SW/0088", "iras_id": "351204"},
        },
        "access_location": "uk",
        "overseas_countries": [],
        "transfer_route": None,
        "sub_processors": [],
    }
    data.update(extra)
    return data


def _deal(model="subscription", terms=None, **sections):
    """Return a fresh version-2 deal; sections replace the defaults wholesale."""
    deal = {
        "spec_version": 2,
        "agreement": {
            "reference": "HCH-DP-2027-014",
            "effective_date": "2027-07-01",
            "term_months": 36,
            "governing_law": "england_and_wales",
        },
        "nhs_parties": [_party()],
        "partner": _partner(),
        "partnership_model": model,
        "model_terms": terms
        or {
            "annual_fee_gbp": 64000,
            "billing": "quarterly",
            "first_payment_date": "2027-10-01",
            "indexation": "cpi",
            "data_refresh": "annually",
            "price_review_months": 24,
            "valuation_reference": "Harbourside data access pricing review, FIN/27/09",
        },
        "purpose": {
            "aim": "Heal venous leg ulcers faster",
            "description": "The partner will analyse which dressing and compression choices "
            "predict faster healing, and publish the findings for community nursing teams.",
        },
        "benefits": [
            {
                "description": "Faster healing of venous leg ulcers",
                "beneficiary": "patients",
                "measure": "Median weeks to healing for new venous leg ulcers",
                "target": "reduce from 21 to 16 weeks",
                "by": "2029-12-31",
                "delivered_by": "nhs",
                "baseline_source": "Trust wound audit for 2026/27",
                "evaluator": "The West of England health innovation network",
            }
        ],
        "data": _data(),
        "ip": {"foreground_owner": "joint"},
        "commercial": {
            "liability_cap_gbp": 2000000,
            "data_protection_cap_gbp": 5000000,
            "insurance": {
                "professional_indemnity_gbp": 5000000,
                "public_liability_gbp": 5000000,
                "product_liability_gbp": None,
                "cyber_gbp": 5000000,
            },
            "parent_company_guarantee": {
                "required": False,
                "reason_not_required": "The Partner has no parent company and net assets of "
                "£9m in its last filed accounts",
            },
            "subsidy_control": {"assessment": "not_engaged", "reference": None},
            "procurement": {"assessment": "not_engaged", "reference": None},
        },
        "ai_product": None,
    }
    deal.update(sections)
    return deal


def _governance(problems):
    return {path: p for path, p in problems.items() if p.principle == 5}


def test_a_fresh_research_deal_is_accepted_as_written(library):
    assert _problems(_deal(), library) == {}


def test_an_identifiable_direct_care_extract_used_to_build_a_product_is_refused(library):
    data = _data(
        description="Identifiable records of patients on the district nursing caseload",
        identifiability="identifiable",
        access="extract",
        extract_justification="The app runs on the partner's cloud platform, so records must be "
        "held there because nurses use it on home visits without NHS network access.",
        identifiable_justification="Nurses must see which patient each wound photograph belongs "
        "to, because they act on it at the next visit.",
        confidentiality_basis="direct_care",
        national_data_opt_out="not_applicable",
        uses=["direct_care", "product_development"],
        partner_dspt_status="standards_met",
        secure_data_environment=None,
        approvals={},
    )
    deal = _deal(
        partner=_partner(role="processor", lawful_basis=None),
        data=data,
        purpose={
            "aim": "Help district nurses manage leg ulcers at home",
            "description": "Tidewater will use the caseload records to build and test its "
            "wound-tracking app before launching it to other NHS and private providers.",
        },
    )
    deal["nhs_parties"][0]["role"] = "independent_controller"
    found = _governance(_problems(deal, library))
    assert "data.uses" in found or "purpose.description" in found, found
    refusal = found.get("purpose.description") or found["data.uses"]
    assert "s251" in refusal.hint and "consent" in refusal.hint
    # The processor label does not rescue it: product development is the partner's own purpose.
    assert "controller" in found["partner.role"].message


@pytest.mark.parametrize(
    ("nation", "kind", "named"),
    [
        ("scotland", "health_board", "Public Benefit and Privacy Panel"),
        ("northern_ireland", "other_nhs_body", "(Northern Ireland) 2016"),
    ],
)
def test_s251_outside_england_and_wales_is_refused_naming_the_local_route(
    library, nation, kind, named
):
    party = _party(
        nation,
        name="Lochside Health Board" if nation == "scotland" else "Lagan Valley HSC Trust",
        kind=kind,
        statutory_power="The body's statutory functions in its own nation",
    )
    deal = _deal(nhs_parties=[party], data=_data(national_data_opt_out="not_applicable"))
    deal["agreement"]["governing_law"] = nation
    refusal = _governance(_problems(deal, library))["data.confidentiality_basis"]
    assert "section 251" in refusal.message and named in refusal.hint


def test_a_royalty_on_a_direct_care_basis_is_refused(library):
    terms = {
        "rate_percent": 4,
        "base": "net_revenue",
        "reporting": "quarterly",
        "royalty_years": 8,
        "minimum_annual_royalty_gbp": 15000,
        "payment_days": 30,
        "audit_years": 6,
        "valuation_reference": "Royalty benchmark by the trust's adviser, CA/27/04",
        "royalty_products": ["Tidewater Ulcer Predictor"],
        "apportionment": {"minor_input_share_percent": 50},
        "step_down": {"after_years": 6, "rate_percent": 3},
        "stacking_floor_percent": 2.5,
    }
    deal = _deal(
        model="royalty",
        terms=terms,
        data=_data(
            confidentiality_basis="direct_care",
            national_data_opt_out="not_applicable",
            uses=["direct_care"],
            approvals={},
        ),
    )
    found = _governance(_problems(deal, library, draft=True))
    refusal = found["data.confidentiality_basis"]
    assert "royalty" in " ".join(p.message for p in found.values())
    assert "s251" in refusal.hint or "consent" in refusal.hint


def test_research_access_to_a_national_data_service_is_accepted_with_the_right_terms(library):
    from toolkit.contract.assemble import assemble_contract

    party = _party(
        name="NHS England",
        kind="nhs_england",
        ods_code="X26",
        address="Wellington Place, Leeds LS1 4AP",
        role="independent_controller",
        statutory_power="Health and Social Care Act 2012, s.261(2) and (5) (dissemination of "
        "information by NHS England)",
    )
    partner = _partner(role="independent_controller")
    data = _data(
        secure_data_environment={
            "name": "NHS Research Secure Data Environment",
            "operator": "NHS England",
            "operator_kind": "nhs",
            "operator_dspt_status": "standards_met",
        },
        approvals={"cag": {"reference": "27/CAG/0201", "conditions": []}},
    )
    deal = _deal(nhs_parties=[party], partner=partner, data=data)
    spec = validate_spec(copy.deepcopy(deal), library, source="t")
    contract = assemble_contract(spec, library)
    text = {part.id: " ".join(part.text_lines()) for part in contract.parts}
    assert "6(1)(f)" in text["data_protection"] and "LIA-TCS-2027-02" in text["data_protection"]
    assert "not joint controllers" in text["data_protection"]
    assert "27/CAG/0201" in text["confidentiality"]
    assert "apply the National Data Opt-out" in text["national_data_opt_out"]
    # The partner works only in NHS England's environment, so it needs no DSPT of its own.
    assert "need not hold a DSPT assessment" in text["information_security"]
    assert "Standards Met within 60 days" not in text["termination"]
    assert "separate controller" in text["incident_reporting"]


def test_an_aggregate_only_university_deal_is_accepted_without_a_partner_dspt(library):
    from toolkit.contract.assemble import assemble_contract

    partner = _partner(
        name="University of Severnside",
        kind="university",
        role="no_personal_data",
        lawful_basis=None,
        legitimate_interests_assessment=None,
    )
    data = _data(
        description="Anonymised quarterly counts of new leg ulcers and healing times by "
        "neighbourhood, counts under 10 suppressed",
        identifiability="anonymised",
        access="aggregate",
        special_category=False,
        confidentiality_basis="anonymised",
        national_data_opt_out="not_applicable",
        dpia_reference=None,
        anonymisation_assessment="AA-HCH-2027-007",
        secure_data_environment=None,
        approvals={},
    )
    data["datasets"][0]["pseudonymisation_key_holder"] = None
    del partner["company_number"]
    party = _party(role="independent_controller")
    deal = _deal(nhs_parties=[party], partner=partner, data=data)
    assert _problems(deal, library) == {}
    contract = assemble_contract(validate_spec(copy.deepcopy(deal), library, source="t"), library)
    text = {part.id: " ".join(part.text_lines()) for part in contract.parts}
    assert "need not hold a DSPT assessment" in text["information_security"]
    assert "DSPT assessment is published" not in text["commencement_and_term"]
    assert "Not required" in text["data_specification"]
    assert "Data Security and Protection Toolkit" not in text["transparency_summary"]


def test_a_processor_cannot_train_its_own_model_on_the_data(library):
    spec = _example("valid-direct-care-processor.yaml")
    assert not _governance(_problems(spec, library))
    spec["ai_product"]["models"][0]["trained_on_data"] = True
    refusal = _governance(_problems(spec, library))["ai_product.models[0].trained_on_data"]
    assert "Article 28(10)" in refusal.message and "consent" in refusal.hint


@pytest.mark.parametrize("owner", ["partner", "joint"])
def test_a_processor_cannot_own_or_share_foreground_ip(library, owner):
    spec = _example("valid-direct-care-processor.yaml")
    spec["ip"]["foreground_owner"] = owner
    problem = _problems(spec, library)["ip.foreground_owner"]
    assert owner in problem.message and "foreground_owner: nhs" in problem.hint
    spec["ip"]["foreground_owner"] = "nhs"
    assert "ip.foreground_owner" not in _problems(spec, library)
