"""Each partnership model's cash flows to the NHS, year by year, from its terms and a scenario."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from toolkit.exceptions import Problem, ScenarioError
from toolkit.value.deal import DealTerms
from toolkit.value.scenarios import MAX_HORIZON, Scenario

NEVER = 10**6  # a failure year beyond any horizon


@dataclass
class Draws:
    """One value per simulated world for every uncertain quantity (arrays of length n)."""

    failure_year: np.ndarray  # first deal year in which the partner no longer pays
    launched: np.ndarray
    revenue: np.ndarray
    milestone_u: np.ndarray
    exit_success: np.ndarray
    exit_factor: np.ndarray
    lock_up_factor: np.ndarray
    savings: np.ndarray
    uptake: np.ndarray
    consent_u: np.ndarray

    @property
    def n(self) -> int:
        """Return the number of simulated worlds."""
        return len(self.launched)


def plan_draws() -> Draws:
    """Return the single world in which everything goes to plan (the partner's forecast)."""
    one = np.ones(1)
    return Draws(
        failure_year=np.array([NEVER]),
        launched=np.array([True]),
        revenue=one,
        milestone_u=np.zeros(1),
        exit_success=np.array([True]),
        exit_factor=one,
        lock_up_factor=one,
        savings=one,
        uptake=one,
        consent_u=np.zeros(1),
    )


def _mean_one_lognormal(rng: np.random.Generator, cv_percent: float, n: int) -> np.ndarray:
    """Draw a lognormal factor with mean 1 and the given coefficient of variation."""
    sigma = math.sqrt(math.log(1 + (cv_percent / 100) ** 2))
    return np.exp(rng.normal(-(sigma**2) / 2, sigma, n)) if sigma else np.ones(n)


def random_draws(scenario: Scenario, n: int | None = None, seed: int | None = None) -> Draws:
    """Return n seeded random worlds drawn from the scenario's assumptions."""
    n = n or scenario.data["simulations"]
    rng = np.random.default_rng(scenario.data["seed"] if seed is None else seed)
    hazard = scenario.section("partner")["annual_failure_percent"] / 100
    product, equity = scenario.section("product"), scenario.section("equity")
    failure = rng.geometric(hazard, n) + 1 if hazard > 0 else np.full(n, NEVER)
    exit_cv = equity["exit_value_uncertainty_percent"]
    return Draws(
        failure_year=failure,
        launched=rng.random(n) < product["launch_probability_percent"] / 100,
        revenue=_mean_one_lognormal(rng, product["revenue_uncertainty_percent"], n),
        milestone_u=rng.random(n),
        exit_success=rng.random(n) < equity["exit_probability_percent"] / 100,
        exit_factor=_mean_one_lognormal(rng, exit_cv, n),
        lock_up_factor=_mean_one_lognormal(rng, exit_cv, n),
        savings=_mean_one_lognormal(
            rng, scenario.section("gain_share")["savings_uncertainty_percent"], n
        ),
        uptake=_mean_one_lognormal(
            rng, scenario.section("in_kind")["uptake_uncertainty_percent"], n
        ),
        consent_u=rng.random(n),
    )


@dataclass
class Context:
    """A deal, a scenario, a horizon and a set of worlds: what every model's flows need."""

    deal: DealTerms
    scenario: Scenario
    horizon: int
    draws: Draws
    notes: list[str] = field(default_factory=list)

    @property
    def years(self) -> np.ndarray:
        """Return the deal years 1..horizon."""
        return np.arange(1, self.horizon + 1)

    @property
    def deflator(self) -> np.ndarray:
        """Return the price index of each year (1 in year 1) at the CPI assumption."""
        return (1 + self.scenario.inflation) ** (self.years - 1)

    @property
    def alive(self) -> np.ndarray:
        """Return, per world and year, whether the partner is still able to pay."""
        return self.years[None, :] < self.draws.failure_year[:, None]

    @property
    def launch_year(self) -> int:
        """Return the deal year of first Commercial Use."""
        return self.scenario.section("product")["launch_year"]

    def term_fraction(self, start: int = 1, months: int | None = None) -> np.ndarray:
        """Return the share of each year covered by ``months`` starting at deal year ``start``."""
        months = self.deal.term_months if months is None else months
        return np.clip(months / 12 - (self.years - start), 0, 1) * (self.years >= start)

    def at_year(self, year: int, amount: float) -> np.ndarray:
        """Return a row holding ``amount`` in one deal year (nothing beyond the horizon)."""
        row = np.zeros(self.horizon)
        if 1 <= year <= self.horizon:
            row[year - 1] = amount
        return row

    def revenue(self) -> np.ndarray:
        """Return each world's real net revenue from the product, by year (zero if not launched)."""
        product = self.scenario.section("product")
        forecast = product["net_revenue_gbp"]
        row = np.zeros(self.horizon)
        if forecast:
            growth = 1 + product["growth_after_percent"] / 100
            for index, year in enumerate(self.years):
                step = year - self.launch_year
                if step >= 0:
                    beyond = step - len(forecast) + 1
                    row[index] = forecast[min(step, len(forecast) - 1)] * growth ** max(beyond, 0)
        factor = self.draws.revenue * self.draws.launched
        return factor[:, None] * row[None, :] * self.alive


def royalty(terms: dict, ctx: Context) -> np.ndarray:
    """Return the royalty: rate times base from launch; any minimum from launch's anniversary."""
    rate = terms["rate_percent"] / 100
    last = max(ctx.deal.term_years, ctx.launch_year + terms.get("royalty_years", 10) - 1)
    in_term = (ctx.years >= ctx.launch_year) & (ctx.years <= last)
    base = ctx.revenue()
    if terms["base"] == "gross_revenue":
        base = base / (1 - ctx.scenario.section("product")["deductions_percent"] / 100)
    flows = rate * base * in_term
    minimum = terms.get("minimum_annual_royalty_gbp") or 0
    if minimum:
        due = (ctx.years > ctx.launch_year) & in_term
        floor = np.where(due, minimum / ctx.deflator, 0)[None, :]
        owed = ctx.draws.launched[:, None] & ctx.alive
        flows = np.where(owed, np.maximum(flows, floor), flows)
    return flows


def upfront_fee(terms: dict, ctx: Context) -> np.ndarray:
    """Return the fee, in one payment or its dated instalments, in real terms."""
    row = np.zeros(ctx.horizon)
    if terms.get("instalments"):
        for item in terms["instalments"]:
            row += ctx.at_year(ctx.deal.year_of(item["due"]), item["amount_gbp"])
    else:
        due = ctx.deal.effective_date + dt.timedelta(days=terms.get("due_days") or 30)
        row += ctx.at_year(ctx.deal.year_of(due), terms["fee_gbp"])
    return (row / ctx.deflator)[None, :] * ctx.alive


def subscription(terms: dict, ctx: Context) -> np.ndarray:
    """Return the annual fee for each Subscription Year in the term; CPI-indexed fees keep value."""
    from toolkit.spec import end_of_term

    end = end_of_term(ctx.deal.effective_date, ctx.deal.term_months)
    row = np.zeros(ctx.horizon)
    first = terms["first_payment_date"]
    for index in range(MAX_HORIZON):
        try:
            due = first.replace(year=first.year + index)
        except ValueError:  # 29 February
            due = first.replace(year=first.year + index, day=28)
        if due > end:
            break
        row += ctx.at_year(ctx.deal.year_of(due), terms["annual_fee_gbp"])
    if terms["indexation"] != "cpi":
        row = row / ctx.deflator
    return row[None, :] * ctx.alive


def milestones(terms: dict, ctx: Context) -> np.ndarray:
    """Return each milestone's payment in its target year, if met (harder ones imply easier)."""
    section = ctx.scenario.section("milestones")
    chances = section["probabilities_percent"]
    flows = np.zeros((ctx.draws.n, ctx.horizon))
    for index, item in enumerate(terms["milestones"]):
        if index < len(chances):
            chance = chances[index] / 100
        else:
            chance = 0.5
            ctx.notes.append(
                f"Milestone {index + 1} ({item['name']}): no probability given; 50% assumed."
            )
        year = ctx.deal.year_of(item["target_date"]) + section["delay_years"]
        row = ctx.at_year(year, item["amount_gbp"]) / ctx.deflator
        met = ctx.draws.milestone_u < chance
        flows += met[:, None] * row[None, :]
    return flows * ctx.alive


def equity_stake(terms: dict, ctx: Context) -> tuple[float, float]:
    """Return the NHS's fully diluted stake on issue and the Shares' value at issue."""
    pre_money = terms["valuation"]["pre_money_gbp"]
    if terms.get("percentage_fully_diluted"):
        stake = terms["percentage_fully_diluted"] / 100
        return stake, pre_money * stake / (1 - stake)
    in_issue = ctx.scenario.section("equity").get("shares_in_issue")
    if not in_issue:
        hint = "Give the partner's fully diluted shares in issue before the Shares are issued"
        if ctx.scenario.source == "(defaults)":
            hint += " in a scenarios file (`nhs-contracts init --scenarios` writes one)"
        raise ScenarioError(
            ctx.scenario.source,
            [
                Problem(
                    "equity.shares_in_issue",
                    "is needed to value a deal that issues a number_of_shares",
                    2,
                    hint + ".",
                )
            ],
        )
    shares = terms["number_of_shares"]
    return shares / (in_issue + shares), pre_money * shares / in_issue


def equity(terms: dict, ctx: Context) -> np.ndarray:
    """Return the sale proceeds at exit and any minimum-value top-up at the end of the lock-up."""
    section = ctx.scenario.section("equity")
    stake, at_issue = equity_stake(terms, ctx)
    exit_value = section.get("exit_value_gbp")
    if exit_value is None:
        exit_value = at_issue / stake
        ctx.notes.append("Equity: no exit value given; the company's value at issue assumed.")
    exit_year = section["exit_year"]
    held = stake * (1 - section["dilution_percent"] / 100) * exit_value
    proceeds = ctx.draws.exit_success * ctx.draws.exit_factor * held
    flows = proceeds[:, None] * ctx.at_year(exit_year, 1)[None, :]
    minimum = terms.get("minimum_value_gbp") or 0
    issue = terms["issue_by"]
    months = issue.month - 1 + terms["lock_up_months"]
    lock_end = ctx.deal.year_of(dt.date(issue.year + months // 12, months % 12 + 1, 1))
    if minimum and lock_end < exit_year and lock_end <= ctx.horizon:
        value = at_issue * section["value_at_lock_up_end_percent"] / 100 * ctx.draws.lock_up_factor
        shortfall = np.maximum(0, minimum / ctx.deflator[lock_end - 1] - value)
        flows = flows + shortfall[:, None] * ctx.at_year(lock_end, 1)[None, :]
    return np.maximum(flows, 0) * ctx.alive


def gain_share(terms: dict, ctx: Context) -> np.ndarray:
    """Return the savings the NHS keeps: its share, and all once the partner's cap is met."""
    savings = realised_savings(ctx, terms)
    share = terms["nhs_share_percent"] / 100
    paid = np.cumsum((1 - share) * savings * ctx.deflator, axis=1)
    capped = np.minimum(paid, terms["partner_cap_gbp"])
    to_partner = np.diff(capped, axis=1, prepend=0) / ctx.deflator
    return savings - to_partner


def realised_savings(ctx: Context, terms: dict) -> np.ndarray:
    """Return each world's real realised savings over the gain-share period."""
    section = ctx.scenario.section("gain_share")
    start = section.get("go_live_year") or ctx.launch_year
    annual = section.get("annual_savings_gbp")
    if annual is None:
        annual = terms["baseline"]["annual_cost_gbp"] * 0.1
        ctx.notes.append("Gain share: no savings given; 10% of the baseline cost assumed.")
    row = annual * ctx.term_fraction(start, terms["gain_share_months"])
    factor = ctx.draws.savings * ctx.draws.launched
    return factor[:, None] * row[None, :] * ctx.alive


def in_kind(terms: dict, ctx: Context) -> np.ndarray:
    """Return the licence fees the NHS avoids from general availability for the offer's months."""
    section = ctx.scenario.section("in_kind")
    if section.get("annual_list_price_gbp") is not None:
        annual = section["annual_list_price_gbp"] * terms["discount_percent"] / 100
    else:
        annual = terms.get("estimated_annual_value_gbp") or 0
        if not annual:
            ctx.notes.append("In-kind: no list price or estimated value given; valued at nil.")
    row = annual * ctx.term_fraction(ctx.launch_year, terms["months"])
    factor = ctx.draws.uptake * ctx.draws.launched
    return factor[:, None] * row[None, :] * ctx.alive


def cost_recovery(terms: dict, ctx: Context) -> np.ndarray:
    """Return the charges the partner pays for the NHS's costs (rates reviewed, so real)."""
    units = ctx.scenario.section("cost_recovery").get("units_per_year")
    row = np.zeros(ctx.horizon)
    in_term = ctx.term_fraction()
    if units:
        for index, charge in enumerate(terms["charges"]):
            count = units[index] if index < len(units) else 0
            if charge["unit"] == "one_off":
                row += ctx.at_year(1, charge["rate_gbp"] * count)
            else:
                row += charge["rate_gbp"] * count * in_term
    elif terms.get("annual_estimate_gbp"):
        row += terms["annual_estimate_gbp"] * in_term
    else:
        ctx.notes.append(
            "Cost recovery: no units_per_year or annual estimate; charges valued at nil."
        )
    return row[None, :] * ctx.alive


def consent_to_commercialise(terms: dict, ctx: Context) -> np.ndarray:
    """Return the value of a later value-sharing agreement, if commercial use is agreed."""
    section = ctx.scenario.section("consent_to_commercialise")
    agreed = ctx.draws.consent_u < section["probability_percent"] / 100
    row = ctx.at_year(section["year"], section["value_gbp"])
    return agreed[:, None] * row[None, :] * ctx.alive


MODEL_FLOWS: dict[str, Callable[[dict, Context], np.ndarray]] = {
    "royalty": royalty,
    "upfront_fee": upfront_fee,
    "subscription": subscription,
    "milestones": milestones,
    "equity": equity,
    "gain_share": gain_share,
    "in_kind": in_kind,
    "cost_recovery": cost_recovery,
    "consent_to_commercialise": consent_to_commercialise,
}


def model_flows(model_id: str, terms: dict, ctx: Context) -> np.ndarray:
    """Return a model's real cash flows to the NHS, shape (worlds, years)."""
    function = MODEL_FLOWS.get(model_id)
    if function is None:
        ctx.notes.append(f"{model_id}: no valuation method; valued at nil.")
        return np.zeros((ctx.draws.n, ctx.horizon))
    return function(terms, ctx)


def nhs_costs(ctx: Context) -> np.ndarray:
    """Return the NHS's own real cost of providing the data, by year."""
    costs = ctx.scenario.section("nhs_costs")
    return ctx.at_year(1, costs["one_off_gbp"]) + costs["annual_gbp"] * ctx.term_fraction()


def value_created(ctx: Context, models: list[tuple[str, dict]]) -> np.ndarray:
    """Return the value the deal creates: the product's operating profit plus any NHS savings."""
    margin = ctx.scenario.section("product")["operating_margin_percent"] / 100
    created = margin * ctx.revenue()
    for model_id, terms in models:
        if model_id == "gain_share":
            created = created + realised_savings(ctx, terms)
    return created


def needed_horizon(
    deal: DealTerms, scenario: Scenario, options: list[list[tuple[str, dict]]]
) -> int:
    """Return the years to value: the term and every tail any option has, at most 30."""
    if scenario.data.get("horizon_years"):
        return scenario.data["horizon_years"]
    launch = scenario.section("product")["launch_year"]
    ends = [deal.term_years, launch]
    for models in options:
        for model_id, terms in models:
            if model_id == "royalty":
                ends.append(launch + terms.get("royalty_years", 10) - 1)
            elif model_id == "in_kind":
                ends.append(launch + math.ceil(terms["months"] / 12))
            elif model_id == "equity":
                ends.append(scenario.section("equity")["exit_year"])
            elif model_id == "milestones":
                delay = scenario.section("milestones")["delay_years"]
                ends += [deal.year_of(m["target_date"]) + delay for m in terms["milestones"]]
            elif model_id == "gain_share":
                start = scenario.section("gain_share").get("go_live_year") or launch
                ends.append(start + math.ceil(terms["gain_share_months"] / 12))
            elif model_id == "consent_to_commercialise":
                ends.append(scenario.section("consent_to_commercialise")["year"])
    return min(max(ends), MAX_HORIZON)
