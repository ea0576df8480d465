"""The shipped library: the models and clauses the brief asks for, and ICO coverage."""

from __future__ import annotations

import pytest

from toolkit.contract.guarantee import coverage_problems
from toolkit.principles import ICO_HEADINGS, MANDATORY_CLAUSES
from toolkit.scan import scan_library_text

MODELS = {
    "upfront_fee",
    "subscription",
    "milestones",
    "royalty",
    "consent_to_commercialise",
    "cost_recovery",
    "equity",
    "in_kind",
    "gain_share",
}


def test_every_model_the_brief_names_is_there(library):
    assert MODELS <= set(library.models)


@pytest.mark.parametrize("heading", sorted(ICO_HEADINGS))
def test_every_ico_data_sharing_code_heading_is_served_in_every_contract(library, heading):
    serving = [
        c.id
        for c in library.clauses.values()
        if heading in c.ico and c.in_every_contract and c.status == "approved"
    ]
    assert serving, f"no clause in every contract covers the ICO heading '{heading}'"


def test_each_model_has_a_value_clause_and_a_schedule_part(library):
    for model in library.models.values():
        value_clauses = [
            library.clause(cid) for cid in model.clauses if library.clause(cid) is not None
        ]
        assert any(c.category == "value" for c in value_clauses), model.id
        assert model.schedule.strip(), model.id


def test_each_models_clause_set_serves_every_principle_and_category(library):
    every = [c for c in library.clauses.values() if c.in_every_contract]
    for model in library.models.values():
        clauses = every + [library.clause(cid) for cid in model.clauses]
        assert coverage_problems(clauses, model.id) == []


def test_equity_cautions_cover_valuation_dilution_lock_up_and_worthless_shares(library):
    cautions = " ".join(library.model("equity").cautions).lower()
    for topic in ("valuation", "dilut", "lock-up", "worth"):
        assert topic in cautions, topic


def test_mandatory_clauses_are_approved_in_every_contract_and_say_what_they_must(library):
    for mandatory in MANDATORY_CLAUSES:
        clause = library.clause(mandatory.id)
        assert clause.status == "approved" and clause.in_every_contract
        assert mandatory.principle in clause.principles
        assert library.lock_matches(clause)


def test_negotiable_clauses_carry_fallback_positions(library):
    with_positions = {c.id for c in library.clauses.values() if c.positions}
    for clause_id in ("liability", "payment_terms", "publication", "termination"):
        assert clause_id in with_positions, clause_id


def test_no_library_text_grants_exclusivity_or_overrides_a_mandatory_clause(library):
    for clause in library.clauses.values():
        texts = [("text", clause.text)] + [(p.id, p.text) for p in clause.positions]
        for where, text in texts:
            assert scan_library_text(text, where) == [], (clause.id, where)
    for model in library.models.values():
        assert scan_library_text(model.schedule, "schedule") == [], model.id


def test_every_clause_states_its_basis_and_approved_text_has_no_placeholder(library):
    for clause in library.clauses.values():
        assert len(clause.basis) > 10, clause.id
        if clause.status == "approved":
            for marker in ("[●]", "TBC", "TODO", "XXX", "[insert"):
                assert marker not in clause.text, (clause.id, marker)
