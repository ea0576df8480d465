"""Recommendations for realistic deal profiles, and the scenarios file format."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from toolkit.exceptions import ScenarioError, SpecError
from toolkit.value.deal import deal_from_spec, load_deal
from toolkit.value.recommend import Profile, profile_from_spec, recommend
from toolkit.value.scenarios import load_scenarios, scenarios_skeleton, validate_scenarios
from toolkit.value.simulate import compare

REPO = Path(__file__).resolve().parent.parent


def _names(candidates):
    return [" + ".join(c.models) for c in candidates]


def _refusal(result, name):
    return next(c for c in result.refused if " + ".join(c.models) == name)


def test_university_research_gets_consent_and_cost_recovery_not_equity(library):
    result = recommend(Profile(partner_kind="university", expected_revenue_gbp=0), library)
    assert _names(result.ranked)[0] == "consent_to_commercialise + cost_recovery"
    reasons = " ".join(r["reason"] for r in _refusal(result, "equity").refusals)
    assert "university has no shares" in reasons
    assert "equity" not in " ".join(_names(result.ranked))


def test_cost_recovery_alone_is_refused_for_a_commercial_product(library):
    profile = Profile(product_in_nhs_care=True, expected_revenue_gbp=2_000_000)
    result = recommend(profile, library)
    assert "cost_recovery" not in _names(result.ranked)
    assert _refusal(result, "cost_recovery").refusals[0]["principle"] == 2


def test_equity_alone_is_never_recommended(library):
    keen = Profile(
        maturity="startup",
        can_hold_shares=True,
        risk_appetite="high",
        product_in_nhs_care=True,
        expected_revenue_gbp=5_000_000,
    )
    result = recommend(keen, library, top=50)
    assert "equity" not in _names(result.ranked)
    assert "Equity alone" in _refusal(result, "equity").refusals[-1]["reason"]
    assert any("equity" in c.models and len(c.models) == 2 for c in result.ranked)


def test_startup_that_cannot_pay_gets_a_royalty_hybrid_and_no_upfront_fee(library):
    profile = Profile(
        maturity="startup",
        product_in_nhs_care=True,
        expected_revenue_gbp=3_000_000,
        can_hold_shares=True,
    )
    result = recommend(profile, library)
    assert "royalty" in result.ranked[0].models and len(result.ranked[0].models) == 2
    assert "upfront_fee" in _names(result.refused)


def test_listed_company_with_low_appetite_gets_cash_and_royalty_not_shares(library):
    profile = Profile(
        maturity="listed",
        can_pay_cash_now=True,
        product_in_nhs_care=True,
        expected_revenue_gbp=10_000_000,
        risk_appetite="low",
    )
    result = recommend(profile, library)
    assert set(result.ranked[0].models) == {"royalty", "upfront_fee"}
    assert "equity" in _names(result.refused)


def test_deployed_service_with_savings_puts_gain_share_first(library):
    profile = Profile(
        maturity="established",
        can_pay_cash_now=True,
        product_in_nhs_care=True,
        cashable_savings=True,
    )
    assert "gain_share" in recommend(profile, library).ranked[0].models


def test_bad_answers_are_refused_with_the_field_named(library):
    with pytest.raises(SpecError, match="partner_kind"):
        recommend(Profile(partner_kind="bank"), library)


def test_profile_from_a_spec_and_flags_override(library):
    spec, _ = load_deal(REPO / "examples/deals/valid-cost_recovery.yaml", library)
    profile = profile_from_spec(spec)
    assert profile.partner_kind == "university" and not profile.is_commercial
    assert profile_from_spec(spec, partner_kind="company").partner_kind == "company"
    assert (
        profile_from_spec({"partner": {"kind": "charity", "maturity": "established"}}).maturity
        == "established"
    )


def test_skeleton_validates_and_examples_value(library):
    validate_scenarios(yaml.safe_load(scenarios_skeleton()), source="skeleton", library=library)
    for spec_name, scenario_name in [
        ("valid-royalty.yaml", "royalty.yaml"),
        ("valid-hybrid-equity-royalty.yaml", "hybrid-equity-royalty.yaml"),
    ]:
        spec, _ = load_deal(REPO / "examples/deals" / spec_name, library)
        scenario = load_scenarios(REPO / "examples/scenarios" / scenario_name, library=library)
        assert scenario.data["deal_reference"] == spec.reference
        result = compare(deal_from_spec(spec), scenario)
        assert result.deal_option().expected_pv > 0 and not result.notes


def test_scenario_errors_name_the_field(library, tmp_path):
    with pytest.raises(ScenarioError, match="product.launch_yaer"):
        validate_scenarios({"scenarios_version": 1, "product": {"launch_yaer": 2}}, source="s.yaml")
    bad = {
        "scenarios_version": 1,
        "alternatives": [{"label": "Fee", "model": "upfront_fee", "terms": {"fee_gbp": 5}}],
    }
    with pytest.raises(ScenarioError, match=r"alternatives\[0\].terms.fee_gbp"):
        validate_scenarios(bad, source="s.yaml", library=library)
    with pytest.raises(ScenarioError, match="file not found"):
        load_scenarios(tmp_path / "missing.yaml")
