"""Valuing a deal and its alternatives: Green Book discounting and a seeded Monte Carlo."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from toolkit.exceptions import Problem, ScenarioError
from toolkit.value import cashflows
from toolkit.value.deal import DealTerms
from toolkit.value.scenarios import GREEN_BOOK_RATE, Scenario

MODEL_NAMES = {
    "royalty": "royalty",
    "upfront_fee": "upfront fee",
    "subscription": "subscription",
    "milestones": "milestones",
    "equity": "equity",
    "gain_share": "gain share",
    "in_kind": "in-kind use",
    "cost_recovery": "cost recovery",
    "consent_to_commercialise": "consent to commercialise",
}


def discount_factors(rate: float, years: int) -> np.ndarray:
    """Return Green Book factors: year 1 of the term is year 0, undiscounted."""
    return (1 + rate) ** -np.arange(years, dtype=float)


def present_value(flows: np.ndarray, rate: float) -> np.ndarray:
    """Return the present value of each world's flows (or of one row of flows)."""
    return flows @ discount_factors(rate, flows.shape[-1])


@dataclass(frozen=True)
class Risk:
    """One risk a board should weigh: its kind (for the mitigation) and the figures behind it."""

    kind: str  # counterparty, concentration, illiquid_shares, below_costs, costs_only, small_share
    text: str

    def __str__(self) -> str:
        return self.text


@dataclass
class OptionValue:
    """What one deal structure is worth to the NHS, in present value at today's prices."""

    label: str
    models: list[str]
    this_deal: bool
    component: bool
    plan_pv: float
    expected_pv: float
    p10: float
    p50: float
    p90: float
    costs_pv: float
    nhs_share: float | None
    chance_below_costs: float
    product_dependence: float
    counterparty_cost: float
    expected_by_year: list[float]
    cumulative_pv_by_year: list[float]
    plan_by_year: list[float]
    risks: list[Risk] = field(default_factory=list)

    @property
    def expected_net_pv(self) -> float:
        """Return the expected value net of the NHS's own costs."""
        return self.expected_pv - self.costs_pv

    def as_dict(self) -> dict:
        """Return the option's figures as a JSON-ready mapping."""
        keys = (
            "label models this_deal component plan_pv expected_pv p10 p50 p90 costs_pv "
            "nhs_share chance_below_costs product_dependence counterparty_cost "
            "expected_by_year cumulative_pv_by_year plan_by_year risks"
        ).split()
        value = {key: _rounded(getattr(self, key)) for key in keys}
        value["risks"] = [risk.text for risk in self.risks]
        value["expected_net_pv"] = round(self.expected_net_pv, 2)
        return value


def _rounded(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 4 if abs(value) < 2 else 2)
    if isinstance(value, list):
        return [_rounded(item) for item in value]
    return value


@dataclass
class Comparison:
    """The value of a deal's model and its alternatives over the term and every tail."""

    deal: DealTerms
    scenario: Scenario
    horizon: int
    first_year: int
    options: list[OptionValue]
    notes: list[str]

    @property
    def basis(self) -> str:
        """Return the discounting and pricing basis, as stated on every output."""
        data = self.scenario.data
        rate = data["discount_rate_percent"]
        source = " rate" if rate == GREEN_BOOK_RATE else f"; not the {GREEN_BOOK_RATE:g}% default"
        return (
            f"Present values at {rate:g}% a year real (HM Treasury Green Book{source}), "
            f"today's prices; the first year of the term is year 0, undiscounted. Sums fixed "
            f"in cash are deflated at {data['inflation_percent']:g}% a year. Range from "
            f"{data['simulations']:,} seeded simulations (seed {data['seed']}): P10, P50, P90."
        )

    def deal_option(self) -> OptionValue:
        """Return the row for the deal as specified (all its models together)."""
        return next(o for o in self.options if o.this_deal and not o.component)

    def as_dict(self) -> dict:
        """Return the comparison as a JSON-ready mapping."""
        return {
            "deal": self.deal.as_dict(),
            "basis": self.basis,
            "discount_rate_percent": self.scenario.data["discount_rate_percent"],
            "horizon_years": self.horizon,
            "years": [self.first_year + i for i in range(self.horizon)],
            "scenarios": self.scenario.source,
            "seed": self.scenario.data["seed"],
            "simulations": self.scenario.data["simulations"],
            "options": [option.as_dict() for option in self.options],
            "notes": self.notes,
        }

    def table_lines(self) -> list[str]:
        """Return the comparison as a plain-text table for the terminal."""
        figures = " ".join(f"{name:>11}" for name in ("Plan", "Expected", "P10", "P50", "P90"))
        head = f"{'Option':<44} {figures} {'NHS share':>9}"
        lines = [f"Value to the NHS of {self.deal.reference} ({self.deal.partner_name})", head]
        lines.append("-" * len(head))
        for o in self.options:
            share = "" if o.nhs_share is None else f"{o.nhs_share:.0%}"
            label = ("  " if o.component else "") + o.label
            lines.append(
                f"{label[:44]:<44} {_money(o.plan_pv):>11} {_money(o.expected_pv):>11} "
                f"{_money(o.p10):>11} {_money(o.p50):>11} {_money(o.p90):>11} {share:>9}"
            )
        costs = self.options[0].costs_pv
        lines.append(f"NHS cost of providing the data (present value): {_money(costs)}")
        lines.append("")
        deal = self.deal_option()
        lines.append(f"Year by year, {deal.label} (expected cash, today's prices):")
        yearly = zip(deal.expected_by_year, deal.cumulative_pv_by_year, strict=True)
        for i, (cash, cum) in enumerate(yearly):
            lines.append(
                f"  {self.first_year + i}: {_money(cash):>11}   cumulative PV {_money(cum):>11}"
            )
        lines.append("")
        for o in self.options:
            if o.risks and not o.component:
                lines.append(f"Risks, {o.label}:")
                lines += [f"  - {risk}" for risk in o.risks]
        lines.append("")
        lines.append(self.basis)
        lines += [f"Note: {note}" for note in self.notes]
        return lines


def _money(value: float) -> str:
    sign = "-" if value < -0.5 else ""
    value = abs(value)
    if value >= 1e6:
        return f"{sign}£{value / 1e6:,.2f}m"
    return f"{sign}£{value / 1e3:,.0f}k" if value >= 1e3 else f"{sign}£{value:,.0f}"


def money(value: float) -> str:
    """Return an amount as the outputs show it (£1.23m, £456k)."""
    return _money(value)


def option_label(models: list[tuple[str, dict]]) -> str:
    """Return a plain name for a combination of models."""
    return " + ".join(MODEL_NAMES.get(model_id, model_id) for model_id, _ in models)


def compare(deal: DealTerms, scenario: Scenario) -> Comparison:
    """Value the deal's models, together and apart, and the scenario's alternatives."""
    options: list[tuple[str, list[tuple[str, dict]], bool, bool]] = []
    options.append(
        (f"This deal: {option_label(list(deal.models))}", list(deal.models), True, False)
    )
    if len(deal.models) > 1:
        for model_id, terms in deal.models:
            label = f"{MODEL_NAMES.get(model_id, model_id)} (part of this deal)"
            options.append((label, [(model_id, terms)], True, True))
    for alternative in scenario.data["alternatives"]:
        models = [(alternative["model"], alternative["terms"])]
        models += [(extra["model"], extra["terms"]) for extra in alternative["additional_models"]]
        options.append((alternative["label"], models, False, False))
    horizon = cashflows.needed_horizon(deal, scenario, [models for _, models, _, _ in options])
    draws = cashflows.random_draws(scenario)
    world = cashflows.Context(deal, scenario, horizon, draws)
    plan = cashflows.Context(deal, scenario, horizon, cashflows.plan_draws())
    safe = cashflows.Context(deal, scenario, horizon, _without_failure(draws))
    rate = scenario.discount_rate
    factors = discount_factors(rate, horizon)
    costs = cashflows.nhs_costs(plan)
    costs_pv = float(costs @ factors)
    values = [
        _option_value(label, models, this, part, world, plan, safe, factors, costs_pv)
        for label, models, this, part in options
    ]
    notes = list(dict.fromkeys(world.notes + plan.notes))
    return Comparison(deal, scenario, horizon, deal.effective_date.year, values, notes)


def _without_failure(draws: cashflows.Draws) -> cashflows.Draws:
    return cashflows.Draws(**{**draws.__dict__, "failure_year": np.full(draws.n, cashflows.NEVER)})


def _option_value(label, models, this, part, world, plan, safe, factors, costs_pv) -> OptionValue:
    flows = sum(cashflows.model_flows(m, t, world) for m, t in models)
    plan_flows = sum(cashflows.model_flows(m, t, plan) for m, t in models)[0]
    safe_flows = sum(cashflows.model_flows(m, t, safe) for m, t in models)
    pvs = flows @ factors
    expected = float(pvs.mean())
    created = float((cashflows.value_created(world, models) @ factors).mean())
    launched = world.draws.launched
    without = float(pvs[~launched].mean()) if (~launched).any() else expected
    dependence = 0.0 if expected <= 0 else float(np.clip(1 - without / expected, 0, 1))
    by_year = flows.mean(axis=0)
    p10, p50, p90 = (float(v) for v in np.percentile(pvs, [10, 50, 90]))
    value = OptionValue(
        label=label,
        models=[m for m, _ in models],
        this_deal=this,
        component=part,
        plan_pv=float(plan_flows @ factors),
        expected_pv=expected,
        p10=p10,
        p50=p50,
        p90=p90,
        costs_pv=costs_pv,
        nhs_share=(expected / created) if created > 0 else None,
        chance_below_costs=float((pvs < costs_pv).mean()),
        product_dependence=dependence,
        counterparty_cost=float((safe_flows @ factors).mean()) - expected,
        expected_by_year=[float(v) for v in by_year],
        cumulative_pv_by_year=[float(v) for v in np.cumsum(by_year * factors)],
        plan_by_year=[float(v) for v in plan_flows],
    )
    value.risks = risk_notes(value, models, world)
    return value


def risk_notes(
    value: OptionValue, models: list[tuple[str, dict]], ctx: cashflows.Context
) -> list[Risk]:
    """Return the risks a board should weigh for one option, with the figures behind them."""
    notes: list[Risk] = []
    hazard = ctx.scenario.section("partner")["annual_failure_percent"]
    if value.counterparty_cost > 0.5:
        notes.append(
            Risk(
                "counterparty",
                f"Counterparty: at a {hazard:g}% yearly chance of the partner failing, its failure "
                f"costs {_money(value.counterparty_cost)} of expected value; payments due later "
                "carry more risk.",
            )
        )
    if value.product_dependence >= 0.5:
        notes.append(
            Risk(
                "concentration",
                f"Concentration: {value.product_dependence:.0%} of the expected value depends on "
                "one product reaching the market.",
            )
        )
    ids = [m for m, _ in models]
    if "equity" in ids:
        terms = dict(models)["equity"]
        market = terms.get("market", "unlisted").replace("_", " ")
        lock_up = terms.get("lock_up_months", 0)
        notes.append(
            Risk(
                "illiquid_shares",
                f"Illiquid shares ({market}): cash only on a sale or listing, and only after a "
                f"{lock_up}-month lock-up; ordinary shares are paid last on insolvency. The "
                "minimum-value top-up is owed only by a solvent partner.",
            )
        )
    if value.chance_below_costs >= 0.2:
        notes.append(
            Risk(
                "below_costs",
                f"In {value.chance_below_costs:.0%} of simulations the NHS receives less than its "
                "own cost of providing the data.",
            )
        )
    if ids == ["cost_recovery"]:
        notes.append(
            Risk(
                "costs_only",
                "Cost recovery returns costs, not the value of the data (principle 2).",
            )
        )
    if value.nhs_share is not None and value.nhs_share < 0.05:
        notes.append(
            Risk(
                "small_share",
                f"The NHS keeps about {value.nhs_share:.1%} of the value created; the board "
                "should record why that is fair (principle 2).",
            )
        )
    return notes


def compare_files(spec_path: Any, scenarios_path: Any = None, library: Any = None) -> Comparison:
    """Load a deal spec and a scenarios file (or the defaults) and value the deal."""
    from toolkit.value.deal import load_deal
    from toolkit.value.scenarios import default_scenario, load_scenarios

    spec, library = load_deal(spec_path, library)
    if scenarios_path is None:
        scenario = default_scenario(library)
    else:
        scenario = load_scenarios(scenarios_path, library=library)
    expected = scenario.data.get("deal_reference")
    if expected and expected != spec.reference:
        raise ScenarioError(
            scenario.source,
            [
                Problem(
                    "deal_reference",
                    f"is '{expected}' but the deal spec's reference is '{spec.reference}'",
                    hint="Use the scenarios file written for this deal, or correct deal_reference.",
                )
            ],
        )
    from toolkit.value.deal import deal_from_spec

    return compare(deal_from_spec(spec), scenario)
