"""Each model's cash flows and present value against hand-worked examples, and properties."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from toolkit.exceptions import ScenarioError
from toolkit.value import cashflows
from toolkit.value.deal import DealTerms
from toolkit.value.scenarios import validate_scenarios
from toolkit.value.simulate import compare, present_value

D = 1.035  # the Green Book real discount rate, 3.5%


def make_deal(models, term_months=36, start=dt.date(2027, 1, 1)):
    return DealTerms(
        reference="TEST-1",
        title="Test",
        effective_date=start,
        term_months=term_months,
        partner_name="Partner Ltd",
        partner_kind="company",
        nhs_names=("Trust",),
        models=tuple(models),
    )


def make_scenario(**sections):
    raw = {"scenarios_version": 1, "inflation_percent": 0, "partner": {"annual_failure_percent": 0}}
    raw.update(sections)
    return validate_scenarios(raw, source="test")


def plan_flows(model_id, terms, scenario, horizon, term_months=36):
    deal = make_deal([(model_id, terms)], term_months)
    ctx = cashflows.Context(deal, scenario, horizon, cashflows.plan_draws())
    return cashflows.model_flows(model_id, terms, ctx)[0]


ROYALTY = {
    "rate_percent": 5,
    "base": "net_revenue",
    "royalty_years": 3,
    "minimum_annual_royalty_gbp": 12000,
}
PRODUCT = {"launch_year": 2, "net_revenue_gbp": [100000, 200000], "launch_probability_percent": 100}


def test_royalty_by_hand():
    # Launch in year 2. Year 2: 5% of £100,000 = £5,000 (the minimum starts on the first
    # anniversary of launch). Years 3 and 4: 5% of £200,000 = £10,000, below the £12,000
    # minimum, so £12,000. The royalty runs to the later of the term (3 years) and
    # launch + 3 years - 1 = year 4.
    flows = plan_flows("royalty", ROYALTY, make_scenario(product=PRODUCT), 5)
    assert flows.tolist() == pytest.approx([0, 5000, 12000, 12000, 0])
    pv = 5000 / D + 12000 / D**2 + 12000 / D**3  # = 4,830.92 + 11,202.13 + 10,823.31
    assert present_value(flows, 0.035) == pytest.approx(pv)
    assert pv == pytest.approx(26856.36, abs=0.01)


def test_gross_revenue_royalty_grosses_up_net_revenue():
    terms = {**ROYALTY, "base": "gross_revenue", "minimum_annual_royalty_gbp": 0}
    scenario = make_scenario(product={**PRODUCT, "deductions_percent": 20})
    flows = plan_flows("royalty", terms, scenario, 4)
    # Gross = net / (1 - 20%): year 2 £125,000, so 5% is £6,250.
    assert flows.tolist() == pytest.approx([0, 6250, 12500, 12500])


def test_upfront_fee_instalments_by_hand():
    terms = {
        "fee_gbp": 100000,
        "instalments": [
            {"amount_gbp": 60000, "due": dt.date(2027, 2, 1)},
            {"amount_gbp": 40000, "due": dt.date(2028, 3, 1)},
        ],
    }
    scenario = make_scenario(inflation_percent=2)
    flows = plan_flows("upfront_fee", terms, scenario, 3)
    # The second instalment, fixed in cash, is worth 40,000 / 1.02 = 39,215.69 at today's prices.
    assert flows.tolist() == pytest.approx([60000, 39215.686, 0])
    assert present_value(flows, 0.035) == pytest.approx(60000 + 39215.686 / D)  # 97,889.55


def test_subscription_by_hand_with_and_without_indexation():
    terms = {
        "annual_fee_gbp": 100000,
        "first_payment_date": dt.date(2027, 4, 1),
        "indexation": "none",
    }
    scenario = make_scenario(inflation_percent=2)
    flows = plan_flows("subscription", terms, scenario, 4)
    # Fees on 1 April 2027, 2028 and 2029 fall in the 36-month term; a flat fee loses 2% a year.
    assert flows.tolist() == pytest.approx([100000, 100000 / 1.02, 100000 / 1.02**2, 0])
    # PV: 100,000 + 98,039.22 / 1.035 + 96,116.88 / 1.035^2
    #   = 100,000 + 94,723.88 + 89,726.13 = 284,450.01.
    assert present_value(flows, 0.035) == pytest.approx(284450.01, abs=0.01)
    indexed = plan_flows("subscription", {**terms, "indexation": "cpi"}, scenario, 4)
    assert indexed.tolist() == pytest.approx([100000, 100000, 100000, 0])
    assert present_value(indexed, 0.035) == pytest.approx(100000 * (1 + 1 / D + 1 / D**2))


MILESTONES = {
    "milestones": [
        {"name": "Validation", "amount_gbp": 50000, "target_date": dt.date(2027, 12, 31)},
        {"name": "UKCA", "amount_gbp": 100000, "target_date": dt.date(2029, 6, 30)},
    ]
}


def test_milestones_by_hand_plan_and_expected():
    scenario = make_scenario(milestones={"probabilities_percent": [80, 40]}, simulations=20000)
    flows = plan_flows("milestones", MILESTONES, scenario, 3)
    assert flows.tolist() == pytest.approx([50000, 0, 100000])
    # Expected: 80% x 50,000 + 40% x 100,000 / 1.035^2 = 40,000 + 37,340.43 = 77,340.43.
    deal = make_deal([("milestones", MILESTONES)])
    result = compare(deal, scenario).deal_option()
    assert result.plan_pv == pytest.approx(50000 + 100000 / D**2)
    assert result.expected_pv == pytest.approx(40000 + 40000 / D**2, rel=0.02)


EQUITY = {
    "percentage_fully_diluted": 2,
    "valuation": {"pre_money_gbp": 9800000},
    "issue_by": dt.date(2027, 3, 31),
    "lock_up_months": 12,
    "minimum_value_gbp": 300000,
    "market": "unlisted",
}


def test_equity_by_hand():
    scenario = make_scenario(
        equity={"exit_year": 5, "exit_value_gbp": 50000000, "dilution_percent": 20}
    )
    flows = plan_flows("equity", EQUITY, scenario, 5)
    # 2% of the fully diluted capital on a £9.8m pre-money valuation is worth
    # 9.8m x 2 / 98 = £200,000 at issue. The lock-up ends in March 2028 (year 2); the
    # shares are then worth £200,000, so the partner tops up £300,000 - £200,000 = £100,000.
    # At exit in year 5: 2% x (1 - 20%) x £50m = £800,000.
    assert flows.tolist() == pytest.approx([0, 100000, 0, 0, 800000])
    assert present_value(flows, 0.035) == pytest.approx(100000 / D + 800000 / D**4)


def test_equity_from_a_number_of_shares():
    terms = {**EQUITY, "number_of_shares": 125000, "valuation": {"pre_money_gbp": 32000000}}
    del terms["percentage_fully_diluted"]
    scenario = make_scenario(equity={"shares_in_issue": 8000000})
    stake, at_issue = cashflows.equity_stake(
        terms, cashflows.Context(make_deal([]), scenario, 5, cashflows.plan_draws())
    )
    assert at_issue == pytest.approx(500000)  # 125,000 x £32m / 8,000,000
    assert stake == pytest.approx(125000 / 8125000)
    defaults = validate_scenarios({"scenarios_version": 1}, source="(defaults)")
    with pytest.raises(ScenarioError, match=r"equity.shares_in_issue.*init --scenarios"):
        cashflows.equity_stake(
            terms, cashflows.Context(make_deal([]), defaults, 5, cashflows.plan_draws())
        )


def test_gain_share_by_hand_with_the_partner_cap():
    terms = {
        "nhs_share_percent": 70,
        "partner_cap_gbp": 150000,
        "gain_share_months": 24,
        "baseline": {"annual_cost_gbp": 1},
    }
    scenario = make_scenario(gain_share={"go_live_year": 2, "annual_savings_gbp": 400000})
    flows = plan_flows("gain_share", terms, scenario, 4)
    # The partner's 30% is £120,000 in year 2, then only £30,000 more in year 3 (cap £150,000).
    assert flows.tolist() == pytest.approx([0, 280000, 370000, 0])
    # PV: 280,000 / 1.035 + 370,000 / 1.035^2 = 270,531.40 + 345,398.96 = 615,930.36.
    assert present_value(flows, 0.035) == pytest.approx(615930.36, abs=0.01)


def test_in_kind_by_hand():
    terms = {"discount_percent": 80, "months": 18}
    scenario = make_scenario(product=PRODUCT, in_kind={"annual_list_price_gbp": 50000})
    # 80% of £50,000 a year from launch (year 2) for 18 months.
    flows = plan_flows("in_kind", terms, scenario, 4)
    assert flows.tolist() == pytest.approx([0, 40000, 20000, 0])
    # PV: 40,000 / 1.035 + 20,000 / 1.035^2 = 38,647.34 + 18,670.21 = 57,317.56.
    assert present_value(flows, 0.035) == pytest.approx(57317.56, abs=0.01)


def test_cost_recovery_by_hand():
    terms = {
        "charges": [{"unit": "one_off", "rate_gbp": 10000}, {"unit": "per_day", "rate_gbp": 500}]
    }
    scenario = make_scenario(cost_recovery={"units_per_year": [1, 20]})
    # One-off £10,000 in year 1; 20 days x £500 = £10,000 a year over an 18-month term.
    flows = plan_flows("cost_recovery", terms, scenario, 3, term_months=18)
    assert flows.tolist() == pytest.approx([20000, 5000, 0])
    # PV: 20,000 (year 1 is undiscounted) + 5,000 / 1.035 = 24,830.92.
    assert present_value(flows, 0.035) == pytest.approx(24830.92, abs=0.01)


def test_consent_to_commercialise_by_hand_plan_and_expected():
    section = {"probability_percent": 30, "year": 3, "value_gbp": 200000}
    scenario = make_scenario(consent_to_commercialise=section, simulations=20000)
    flows = plan_flows("consent_to_commercialise", {}, scenario, 4)
    # If commercial use is agreed, the later agreement is worth £200,000 in year 3.
    assert flows.tolist() == pytest.approx([0, 0, 200000, 0])
    # PV 200,000 / 1.035^2 = 186,702.14; expected 30% of that = 56,010.64.
    result = compare(make_deal([("consent_to_commercialise", {})]), scenario).deal_option()
    assert result.plan_pv == pytest.approx(186702.14, abs=0.01)
    assert result.expected_pv == pytest.approx(56010.64, rel=0.05)


def test_nhs_costs_by_hand():
    scenario = make_scenario(nhs_costs={"one_off_gbp": 30000, "annual_gbp": 12000})
    deal = make_deal([("cost_recovery", {})], term_months=18)
    costs = cashflows.nhs_costs(cashflows.Context(deal, scenario, 3, cashflows.plan_draws()))
    # £30,000 once in year 1, £12,000 a year for 18 months: 42,000, 6,000, 0.
    assert costs.tolist() == pytest.approx([42000, 6000, 0])
    # PV 42,000 + 6,000 / 1.035 = 47,797.10, the figure every option is set against.
    result = compare(deal, scenario).deal_option()
    assert result.costs_pv == pytest.approx(47797.10, abs=0.01)


def test_expected_royalty_matches_a_probability_weighted_hand_sum():
    terms = {**ROYALTY, "minimum_annual_royalty_gbp": 0}
    scenario = make_scenario(
        product={**PRODUCT, "launch_probability_percent": 60},
        simulations=40000,
        partner={"annual_failure_percent": 10},
    )
    result = compare(make_deal([("royalty", terms)]), scenario).deal_option()
    # 60% launch; a payment in year k needs the partner alive: 0.9^(k-1).
    hand = 0.6 * (5000 * 0.9 / D + 10000 * 0.81 / D**2 + 10000 * 0.729 / D**3)
    assert result.expected_pv == pytest.approx(hand, rel=0.03)


def _expected(model_id, terms, scenario):
    return compare(make_deal([(model_id, terms)]), scenario).deal_option().expected_pv


def test_value_rises_with_the_royalty_rate():
    scenario = make_scenario(product=PRODUCT, simulations=2000)
    values = [_expected("royalty", {**ROYALTY, "rate_percent": r}, scenario) for r in (1, 3, 5, 8)]
    assert values == sorted(values) and len(set(values)) == 4


def test_value_falls_with_the_discount_rate():
    values = [
        _expected(
            "royalty",
            ROYALTY,
            make_scenario(product=PRODUCT, discount_rate_percent=r, simulations=2000),
        )
        for r in (0, 1.5, 3.5, 7)
    ]
    assert values == sorted(values, reverse=True) and len(set(values)) == 4


@pytest.mark.parametrize(
    "assumptions",
    [
        # A tiny exit, wild swings and a partner likely to fail.
        {"exit_value_gbp": 1000, "exit_value_uncertainty_percent": 200},
        # Shares worth nothing when the lock-up ends: the top-up is the whole minimum.
        {"value_at_lock_up_end_percent": 0, "dilution_percent": 95},
        # Shares worth ten times the minimum at lock-up end: no top-up, never a negative one.
        {"value_at_lock_up_end_percent": 1000, "exit_probability_percent": 0},
    ],
)
def test_equity_is_never_below_zero(assumptions):
    scenario = make_scenario(
        equity={"exit_year": 5, **assumptions},
        partner={"annual_failure_percent": 30},
        simulations=2000,
    )
    deal = make_deal([("equity", EQUITY)])
    ctx = cashflows.Context(deal, scenario, 6, cashflows.random_draws(scenario))
    assert (cashflows.model_flows("equity", EQUITY, ctx) >= 0).all()
    assert compare(deal, scenario).deal_option().p10 >= 0


def test_same_seed_same_figures_and_another_seed_differs():
    def run(seed):
        scenario = make_scenario(
            product={**PRODUCT, "launch_probability_percent": 50}, seed=seed, simulations=2000
        )
        return compare(make_deal([("royalty", ROYALTY)]), scenario).as_dict()

    assert run(7) == run(7)
    assert run(7)["options"][0]["p90"] != run(8)["options"][0]["p90"]


def test_hybrid_is_the_sum_of_its_parts():
    deal = make_deal([("royalty", ROYALTY), ("milestones", MILESTONES)])
    scenario = make_scenario(
        product=PRODUCT, milestones={"probabilities_percent": [50, 50]}, simulations=2000
    )
    options = compare(deal, scenario).options
    whole, parts = options[0], options[1:3]
    assert whole.expected_pv == pytest.approx(sum(p.expected_pv for p in parts))
    assert np.allclose(whole.plan_by_year, np.add(parts[0].plan_by_year, parts[1].plan_by_year))
