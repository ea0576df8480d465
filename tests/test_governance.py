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
