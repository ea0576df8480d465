"""The example deals: every valid one assembles, every invalid one is refused for its reason."""

from __future__ import annotations

import pytest
from conftest import EXAMPLES

from toolkit.api import assemble, prepare_contract
from toolkit.docx.reader import read_contract
from toolkit.exceptions import SpecError
from toolkit.principles import MANDATORY_IDS

VALID = sorted(EXAMPLES.glob("valid-*.yaml"))
INVALID = sorted(EXAMPLES.glob("invalid-*.yaml"))

# What each invalid example must be refused for: (field path, principle).
REFUSALS = {
    "invalid-benefit-date-outside-term.yaml": ("benefits[2].by", 1),
    "invalid-benefit-no-quantified-target.yaml": ("benefits[0].target", 1),
    "invalid-exclusive-grant.yaml": ("model_terms.exclusive", 3),
    "invalid-extract-without-justification.yaml": ("data.extract_justification", 5),
    "invalid-in-kind-single-trust.yaml": ("model_terms.scope", 3),
    "invalid-missing-board-approval.yaml": ("nhs_parties[1].board_approval.date", 2),
    "invalid-partner-dspt-not-met.yaml": ("data.partner_dspt_status", 5),
    "invalid-pseudonymised-no-lawful-basis-or-dpia.yaml": ("data.lawful_basis.article_6", 5),
    "invalid-spec-version-3.yaml": ("spec_version", None),
    "invalid-unknown-key-typo.yaml": ("benfits", None),
    "invalid-equity-alone-no-minimum-value.yaml": ("model_terms.minimum_value_gbp", 2),
    "invalid-no-patient-benefit.yaml": ("benefits", 1),
    "invalid-company-public-task.yaml": ("partner.lawful_basis.article_6", 5),
    "invalid-direct-care-royalty.yaml": ("data.confidentiality_basis", 5),
    "invalid-direct-care-product-development.yaml": ("purpose.description", 5),
    "invalid-scotland-s251.yaml": ("data.confidentiality_basis", 5),
    "invalid-northern-ireland-s251.yaml": ("data.confidentiality_basis", 5),
    "invalid-opt-out-outside-england.yaml": ("data.national_data_opt_out", 5),
    "invalid-extract-partner-dspt-not-met.yaml": ("data.partner_dspt_status", 5),
    "invalid-overseas-access-without-transfer-route.yaml": ("data.transfer_route", 5),
    "invalid-additional-term-overseas-transfer.yaml": ("clauses.additional_terms[0]", 5),
    "invalid-identifiable-justification-formality.yaml": ("data.identifiable_justification", 5),
    "invalid-anonymised-without-assessment.yaml": ("data.anonymisation_assessment", 5),
    "invalid-processor-with-royalty.yaml": ("partner.role", 5),
    "invalid-processor-foreground-not-nhs.yaml": ("ip.foreground_owner", 5),
}


def test_there_is_a_valid_example_for_every_model_and_two_hybrids(library):
    covered = set()
    hybrids = 0
    for path in VALID:
        contract = prepare_contract(path, library)
        covered.update(contract.spec.model_ids)
        hybrids += len(contract.spec.model_ids) > 1
    assert covered == set(library.models)
    assert hybrids >= 2


def test_every_invalid_example_is_known():
    assert {path.name for path in INVALID} == set(REFUSALS)


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_valid_example_assembles_with_every_mandatory_clause(path, library, tmp_path):
    out = tmp_path / "contract.docx"
    assemble(path, out, library=library)
    manifest = read_contract(out).manifest
    assert MANDATORY_IDS <= {entry["id"] for entry in manifest["clauses"]}


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.name)
def test_invalid_example_is_refused_for_its_reason(path, library):
    field, principle = REFUSALS[path.name]
    with pytest.raises(SpecError) as caught:
        prepare_contract(path, library)
    problems = {problem.path: problem for problem in caught.value.problems}
    assert field in problems, caught.value
    assert problems[field].principle == principle
