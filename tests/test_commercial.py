"""Commercial, IP and AI terms: spec v2 fields, cautions as rules, clauses that fit together."""

from __future__ import annotations

import copy

import pytest
import yaml
from conftest import EXAMPLES, edit_library_file

from toolkit.contract.assemble import assemble_contract
from toolkit.exceptions import LibraryError, SpecError
from toolkit.library import load_library
from toolkit.library.rules import broken, rule_problems
from toolkit.spec import validate_spec
from toolkit.spec.commercial import UPGRADE_DEFAULTS
from toolkit.spec.schema import SPEC_SCHEMA_V2


def _example(name):
    return yaml.safe_load((EXAMPLES / name).read_text(encoding="utf-8"))


def _problems(raw, library, draft=False):
    with pytest.raises(SpecError) as caught:
        validate_spec(raw, library, source="t", draft=draft)
    return {p.path: p for p in caught.value.problems}


def _text(raw, library, draft=False):
    contract = assemble_contract(validate_spec(raw, library, source="t", draft=draft), library)
    return {part.id: "\n".join(part.text_lines()) for part in contract.parts}


# --- IP: research outputs free to the NHS, products on fair terms, NHS-owned IP licensed


def test_nhs_owned_foreground_ip_with_a_royalty_grants_a_commercialisation_licence(deal, library):
    deal = copy.deepcopy(deal)
    deal["ip"]["foreground_owner"] = "nhs"
    ip = _text(deal, library)["intellectual_property"]
    assert "Commercialisation Licence" in ip
    assert "non-exclusive, worldwide licence of the Foreground IP" in ip


def test_nhs_owned_ip_in_a_research_only_deal_grants_no_commercial_licence(library):
    raw = _example("valid-cost_recovery.yaml")
    raw["ip"]["foreground_owner"] = "nhs"
    ip = _text(raw, library)["intellectual_property"]
    assert "Commercialisation Licence" not in ip
    assert "arises only under a written licence" in ip


def test_the_nhs_gets_research_outputs_free_but_not_the_partners_product(deal, library):
    texts = _text(deal, library)
    ip = texts["intellectual_property"]
    assert "licence to use, copy, adapt, publish and share the Research Outputs" in ip
    assert (
        "Nothing in this Agreement gives any NHS body a free licence of a Data-Derived Product"
        in ip
    )
    assert "escrow agent" in ip
    assert (
        "not any part of it that is the Partner's Background IP or the source code"
        in (texts["open_standards"])
    )


def test_platform_improvements_are_not_foreground_ip(deal, library):
    ip = _text(deal, library)["intellectual_property"]
    assert "Each Platform Improvement belongs to the Partner" in ip


# --- In kind: free for the contributing trust is lawful with NHS-wide terms


@pytest.mark.parametrize("version", [1, 2])
def test_in_kind_for_the_contributing_trust_with_nhs_wide_terms_is_accepted(library, version):
    raw = _example("valid-in-kind-contributing-trust.yaml")
    if version == 1:
        raw = _example("v1-royalty.yaml")
        raw["partnership_model"] = "in_kind"
        raw["model_terms"] = {
            "product": "Heart failure dashboard",
            "discount_percent": 100,
            "months": 36,
            "scope": "contributing_organisations",
            "nhs_wide_terms": "discounted",
            "nhs_wide_discount_percent": 30,
            "estimated_annual_value_gbp": 40000,
        }
    text = _text(raw, library)["value_in_kind"]
    assert "for use in its own services" in text
    assert "every other NHS body" in text


def test_in_kind_for_contributing_trusts_without_national_terms_is_refused(library):
    raw = _example("valid-in-kind-contributing-trust.yaml")
    del raw["model_terms"]["nhs_wide_terms"]
    problems = _problems(raw, library)
    assert problems["model_terms.nhs_wide_terms"].principle == 3


def test_in_kind_long_stop_and_cash_alternative_are_in_the_contract(library):
    text = _text(_example("valid-in_kind.yaml"), library)["value_in_kind"]
    assert "24 months after the Effective Date" in text
    assert "£120,000" in text


# --- Equity: cautions are rules


def test_equity_alone_without_a_minimum_value_is_refused_in_v1_too(library):
    raw = _example("v1-royalty.yaml")
    raw["partnership_model"] = "equity"
    raw["model_terms"] = copy.deepcopy(library.model("equity").terms_example)
    del raw["model_terms"]["minimum_value_gbp"]
    problem = _problems(raw, library)["model_terms.minimum_value_gbp"]
    assert problem.principle == 2
    assert "only consideration" in problem.message


@pytest.mark.parametrize(
    "change, path",
    [
        ({"valuer": "Directors of the Partner"}, "model_terms.valuation.valuer"),
        ({"instructed_by": "partner"}, "model_terms.valuation.valuer"),
        ({"date": "2025-01-01"}, "model_terms.valuation.date"),
    ],
)
def test_equity_valuation_must_be_independent_and_recent(library, change, path):
    raw = _example("valid-equity.yaml")
    raw["model_terms"]["valuation"].update(change)
    assert _problems(raw, library)[path].principle == 2


def test_a_model_files_own_rule_is_enforced_and_names_its_caution(library):
    raw = _example("valid-equity.yaml")
    raw["model_terms"].update(lock_up_months=18, tag_along=False)
    problem = _problems(raw, library)["model_terms.tag_along"]
    assert "long_lock_up_needs_tag_along" in problem.message
    assert problem.principle == 2


def test_equity_contract_rests_on_conditions_precedent_and_a_deferred_fee(library):
    texts = _text(_example("valid-equity.yaml"), library)
    equity, protections = texts["value_equity"], texts["equity_protections"]
    assert "special resolution amending its articles" in equity
    assert "Deed of Adherence" in equity
    assert "power to acquire and hold the Shares" in equity
    assert "prevail over the Partner's articles" not in equity
    assert "not in its character as a member" in protections


def test_a_listed_partner_gets_a_market_abuse_protocol(library):
    raw = _example("valid-equity.yaml")
    raw["model_terms"]["market"] = "aim"
    protections = _text(raw, library)["equity_protections"]
    assert "Market Abuse Regulation" in protections
    assert "management accounts" not in protections


def test_library_rules_name_real_terms_fields():
    schema = {"a": {"type": "integer"}, "b": {"type": "dict", "schema": {"c": {"type": "string"}}}}
    rules = [
        {"id": "x", "principle": 2, "message": "m", "require": {"present": "b.c"}},
        {"id": "y", "principle": 2, "message": "m", "require": {"at_least": {"nope": 1}}},
    ]
    assert [p.path for p in rule_problems(rules, schema)] == ["rules[1].require"]
    assert broken(rules[0], {"b": {}}, ["m"]) and not broken(rules[0], {"b": {"c": "v"}}, ["m"])


def test_a_library_rule_on_an_unknown_term_is_a_load_error(library_copy):
    def change(doc):
        doc["rules"][0]["require"] = {"present": "no_such_term"}

    edit_library_file(library_copy, "partnership_models/equity.yaml", change)
    with pytest.raises(LibraryError) as caught:
        load_library(library_copy)
    assert "no_such_term" in str(caught.value)


# --- Benefits


def test_a_deal_with_no_patient_benefit_is_refused(deal, library):
    deal = copy.deepcopy(deal)
    for benefit in deal["benefits"]:
        benefit["beneficiary"] = "nhs_organisation"
    assert _problems(deal, library)["benefits"].principle == 1


def test_a_patient_benefit_evaluated_by_the_partner_is_refused(library):
    raw = _example("valid-royalty.yaml")
    raw["benefits"][0]["evaluator"] = raw["partner"]["name"]
    assert _problems(raw, library)["benefits[0].evaluator"].principle == 1


def test_the_partner_owes_all_reasonable_endeavours_only_for_what_it_controls(library):
    texts = _text(_example("valid-royalty.yaml"), library)
    benefit = texts["patient_benefit"]
    assert "everything within its own control" in benefit
    assert "shall pursue the Benefits actively" not in benefit
    assert "as independent evaluator" in texts["benefits_plan"]


# --- Liability, insurance and the wider law (spec version 2)


def test_the_liability_caps_are_deal_values(library):
    raw = _example("valid-royalty.yaml")
    raw["commercial"]["liability_cap_gbp"] = 7_500_000
    raw["commercial"]["data_protection_cap_gbp"] = 15_000_000
    liability = _text(raw, library)["liability"]
    assert "£7,500,000" in liability and "£15,000,000" in liability
    assert "does not apply to the Partner's liability for breach" not in liability


def test_a_version_1_spec_keeps_a_5_million_cap_and_uncapped_data_liability(deal, library):
    liability = _text(deal, library)["liability"]
    assert "£5,000,000" in liability
    assert "does not apply to the Partner's liability for breach" in liability


@pytest.mark.parametrize(
    "field, value, principle",
    [
        ("data_protection_cap_gbp", 2_000_000, 5),  # below the general cap
        ("liability_cap_gbp", 100_000, 2),  # below the floor
    ],
)
def test_caps_outside_what_the_model_allows_are_refused(library, field, value, principle):
    raw = _example("valid-royalty.yaml")
    raw["commercial"][field] = value
    assert _problems(raw, library)[f"commercial.{field}"].principle == principle


def test_a_model_narrows_the_cap_range(library):
    raw = _example("valid-equity.yaml")
    raw["commercial"]["liability_cap_gbp"] = 500_000
    assert "equity" in _problems(raw, library)["commercial.liability_cap_gbp"].message


def test_open_commercial_values_are_open_items_in_a_draft(library):
    raw = _example("valid-royalty.yaml")
    raw["commercial"]["liability_cap_gbp"] = None
    assert _problems(raw, library)["commercial.liability_cap_gbp"].principle == 2
    assert "[●]" in _text(raw, library, draft=True)["liability"]


def test_an_overseas_partner_and_a_parent_guarantee_are_in_the_contract(library):
    text = _text(_example("valid-royalty-nhs-foreground.yaml"), library)["wider_law"]
    assert "incorporated in Delaware, United States" in text
    assert "Northlight Holdings Inc." in text


def test_a_uk_partner_needs_a_companies_house_number(library):
    raw = _example("valid-royalty.yaml")
    raw["partner"]["company_number"] = "HRB 12345"
    assert "partner.company_number" in _problems(raw, library)


def test_a_gain_share_must_record_its_procurement_route(library):
    raw = _example("valid-gain_share.yaml")
    raw["commercial"]["procurement"] = {"assessment": "not_engaged", "reference": None}
    assert _problems(raw, library)["commercial.procurement.assessment"].principle == 5


# --- AI and product


def test_a_deployed_product_brings_in_the_clinical_safety_clause(library):
    texts = _text(_example("valid-royalty.yaml"), library)
    safety = texts["clinical_safety"]
    for phrase in (
        "DCB0129",
        "DCB0160",
        "Digital Technology Assessment Criteria",
        "NICE",
        "shadow",
    ):
        assert phrase in safety
    assert "Deployment Agreement" in safety and "Article 28" in safety
    assert "model_governance" in texts


def test_a_research_only_deal_has_no_clinical_safety_clause(library):
    texts = _text(_example("valid-cost_recovery.yaml"), library)
    assert "clinical_safety" not in texts
    assert "Memorisation" not in texts["model_governance"]  # written in plain words
    assert "membership inference" in texts["model_governance"]


def test_models_are_deleted_or_retrained_when_the_legal_basis_is_lost(library):
    raw = _example("valid-royalty.yaml")
    raw["ai_product"]["models_at_exit"] = "delete"
    governance = _text(raw, library)["model_governance"]
    assert "shall delete every Model" in governance
    assert "retrain them without the Data" in governance


def test_a_device_without_a_regulatory_route_is_refused(library):
    raw = _example("valid-royalty.yaml")
    raw["ai_product"]["regulatory_route"] = "not_applicable"
    assert _problems(raw, library)["ai_product.regulatory_route"].principle == 5


# --- Additional terms that collide with a standard clause


@pytest.mark.parametrize(
    "term, clause_id",
    [
        ("The Partner's liability for data protection breaches is capped at £50,000.", "liability"),
        ("The Partner may delay publication by up to 6 months to file a patent.", "publication"),
        (
            "Notwithstanding clause 30, the Partner shall hold cyber insurance cover of £2m.",
            "insurance",
        ),
        ("The royalty rate is 2%.", "value_royalty"),
    ],
)
def test_a_colliding_additional_term_is_reported_with_its_clause(deal, library, term, clause_id):
    deal = copy.deepcopy(deal)
    deal["clauses"] = {"additional_terms": [term]}
    problem = _problems(deal, library, draft=True)["clauses.additional_terms[0]"]
    assert f"clause '{clause_id}'" in problem.message


@pytest.mark.parametrize(
    "term",
    [
        "The Partner will present its progress to the NHS Party's research committee once a year.",
        "The Partner may delay publication by up to 60 days to file a patent application.",
        "All sums are exclusive of VAT.",
    ],
)
def test_a_term_that_adds_without_contradicting_is_not_a_collision(deal, library, term):
    deal = copy.deepcopy(deal)
    deal["clauses"] = {"additional_terms": [term]}
    validate_spec(deal, library, source="t", draft=True)


# --- Spec version 2 and upgrade


def test_upgrade_defaults_name_fields_of_the_version_2_schema():
    for key in UPGRADE_DEFAULTS:
        assert key.removesuffix("[]") in SPEC_SCHEMA_V2
    assert set(UPGRADE_DEFAULTS["commercial"]) == set(SPEC_SCHEMA_V2["commercial"]["schema"])


# --- Lint: undefined capitalised terms and clashing figures in one contract


def test_lint_finds_a_capitalised_term_that_nothing_defines():
    from toolkit.library.consistency import undefined_terms

    lines = [
        "The Commercialisation Agreement shall use a model published by the Centre of Expertise.",
        "Disputes go to the Centre for Effective Dispute Resolution under the Companies Act 2006.",
    ]
    assert undefined_terms(lines, ["Commercialisation Agreement"]) == ["Centre of Expertise"]


def test_lint_finds_figures_that_two_clauses_state_differently():
    from toolkit.library.consistency import clashing_figures

    problems = clashing_figures(
        [
            (
                "value_consent_to_commercialise",
                ["The NHS Party may delay a publication by 3 months."],
            ),
            ("publication", ["The Partner may ask to delay a publication for up to 60 days."]),
            ("other", ["Nothing here about a publication delay in figures."]),
        ]
    )
    assert len(problems) == 1
    assert "60 days" in problems[0].message and "3 months" in problems[0].message


def test_the_shipped_contracts_have_no_undefined_terms_or_clashing_figures(library):
    from toolkit.library.consistency import wording_problems

    for name in ("valid-consent_to_commercialise.yaml", "valid-royalty-nhs-foreground.yaml"):
        raw = _example(name)
        contract = assemble_contract(validate_spec(raw, library, source=name), library)
        assert wording_problems(contract, library) == [], name


def test_a_clause_naming_an_undefined_body_is_caught_in_its_contract(library_copy, deal):
    from toolkit.library.consistency import wording_problems

    def change(doc):
        doc["text"] += "  - Each Party shall follow the guidance of the Centre of Expertise.\n"
        doc["version"] = "9.0.0"
        doc["status"] = "draft"

    edit_library_file(library_copy, "clauses/term/review.yaml", change)
    copy_library = load_library(library_copy)
    spec = validate_spec(deal, copy_library, source="t", draft=True)
    problems = wording_problems(assemble_contract(spec, copy_library), copy_library)
    assert any("Centre of Expertise" in p.message for p in problems)


# --- Escrow follows the spec: switched off only where no product is in live care


def test_escrow_false_for_a_product_in_live_care_is_refused(library):
    raw = _example("valid-royalty.yaml")
    raw["ai_product"]["escrow"] = False
    problem = _problems(raw, library)["ai_product.escrow"]
    assert problem.principle == 3 and "escrow_for_devices_only" in problem.hint


def test_escrow_false_for_a_shadow_product_gives_notice_and_exit_help_instead(library):
    raw = _example("valid-equity.yaml")
    assert "escrow agent, under a three-party" in _text(raw, library)["intellectual_property"]
    raw["ai_product"]["escrow"] = False
    ip = _text(raw, library)["intellectual_property"]
    assert "three-party escrow agreement" not in ip
    assert "12 months' written notice" in ip and "no escrow is needed" in ip


# --- Publication: the patent delay is sought by whoever owns the Foreground IP


@pytest.mark.parametrize(
    ("owner", "expected", "absent"),
    [
        ("partner", "so that the Partner can apply for patent", "the NHS Party, which owns"),
        ("nhs", "the NHS Party, which owns the Foreground IP", "so that the Partner can apply"),
        ("joint", "for jointly owned Foreground IP", "so that the Partner can apply"),
    ],
)
def test_the_publication_delay_follows_the_foreground_owner(library, owner, expected, absent):
    raw = _example("valid-royalty.yaml")
    raw["ip"]["foreground_owner"] = owner
    text = _text(raw, library)["publication"]
    assert expected in text and absent not in text


def test_a_processor_partner_seeks_no_patent_delay_for_itself(library):
    text = _text(_example("valid-direct-care-processor.yaml"), library)["publication"]
    assert "the NHS Party, which owns the Foreground IP" in text
    assert "so that the Partner can apply" not in text


def test_a_publication_position_keeps_the_owner_rule(library):
    raw = _example("valid-royalty-nhs-foreground.yaml")
    raw.setdefault("clauses", {}).setdefault("positions", {})["publication"] = "longer_patent_delay"
    text = _text(raw, library)["publication"]
    assert "up to 90 days" in text and "the NHS Party, which owns" in text


@pytest.mark.parametrize("name", ["valid-in_kind.yaml", "valid-in-kind-contributing-trust.yaml"])
def test_an_nhs_body_includes_the_health_bodies_of_all_four_nations(library, name):
    text = _text(_example(name), library)
    definition = text["interpretation"]
    for body in ("Health and Social Care trusts", "Health Boards", "Local Health Boards"):
        assert body in definition
    in_kind = text["value_in_kind"]
    assert "Health and Social Care bodies in Northern Ireland" in in_kind
    assert "National Health Service, including NHS England" not in in_kind


# --- Additional terms: each shows its approval; a missing one is an open item in a draft

_TERM = "The Partner shall present its progress to the NHS Party's board once a year."


def test_an_unapproved_additional_term_is_an_open_item_in_a_draft(run, deal, write_spec, tmp_path):
    approved = {"name": "Jane Doe", "role": "Director of Governance", "date": "2026-12-01"}
    deal["clauses"] = {"additional_terms": [_TERM, {"text": _TERM, "approval": approved}]}
    spec = write_spec(deal)
    refused = run("assemble", spec, "-o", tmp_path / "c.docx")
    assert refused.exit_code == 1 and "clauses.additional_terms[0].approval" in refused.output
    result = run("assemble", spec, "-o", tmp_path / "c.docx", "--draft")
    assert result.exit_code == 0, result.output
    assert "open item: Approval of non-standard term 1 of the additional terms" in result.output
    # The second term lacks only its reference, and says so.
    assert "non-standard term 2 of the additional terms (reference missing)" in result.output


def test_an_approved_additional_term_names_its_approver(deal, library):
    approval = {
        "name": "Jane Doe",
        "role": "Director of Governance",
        "date": "2026-12-01",
        "reference": "BM/2026/120",
    }
    deal["clauses"] = {"additional_terms": [{"text": _TERM, "approval": approval}]}
    text = _text(deal, library)["additional_terms"]
    assert "Approved as a non-standard term by Jane Doe, Director of Governance" in text
    assert "reference BM/2026/120" in text and "[●]" not in text
