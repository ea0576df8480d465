"""The scenarios file: assumptions for valuing a deal, its Cerberus schema and skeleton."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from toolkit.exceptions import Problem, ScenarioError

GREEN_BOOK_RATE = 3.5
MAX_HORIZON = 30


def _pct(default: float | None = None, **extra: Any) -> dict:
    rule: dict = {"type": "number", "min": 0, "max": 100, **extra}
    if default is not None:
        rule["default"] = default
    return rule


def _gbp(**extra: Any) -> dict:
    return {"type": "number", "min": 0, "max": 1e12, **extra}


def _year(**extra: Any) -> dict:
    return {"type": "integer", "min": 1, "max": MAX_HORIZON, **extra}


_OPTION = {
    "label": {"type": "string", "minlength": 2, "maxlength": 120, "required": True},
    "model": {"type": "string", "regex": r"^[a-z][a-z0-9_]*$", "required": True},
    "terms": {"type": "dict", "required": True},
    "additional_models": {
        "type": "list",
        "default": [],
        "maxlength": 3,
        "schema": {
            "type": "dict",
            "schema": {
                "model": {"type": "string", "regex": r"^[a-z][a-z0-9_]*$", "required": True},
                "terms": {"type": "dict", "required": True},
            },
        },
    },
}

SCENARIO_SCHEMA: dict = {
    "scenarios_version": {"type": "integer", "allowed": [1], "required": True},
    "deal_reference": {"type": "string", "maxlength": 60},
    "description": {"type": "string", "maxlength": 2000},
    "discount_rate_percent": {"type": "number", "min": 0, "max": 20, "default": GREEN_BOOK_RATE},
    "inflation_percent": {"type": "number", "min": 0, "max": 20, "default": 2.0},
    "horizon_years": _year(),
    "simulations": {"type": "integer", "min": 500, "max": 200000, "default": 10000},
    "seed": {"type": "integer", "min": 0, "max": 2**32 - 1, "default": 20231},
    "nhs_costs": {
        "type": "dict",
        "default": {},
        "schema": {"one_off_gbp": _gbp(default=0), "annual_gbp": _gbp(default=0)},
    },
    "partner": {
        "type": "dict",
        "default": {},
        "schema": {"annual_failure_percent": _pct(5, max=50)},
    },
    "product": {
        "type": "dict",
        "default": {},
        "schema": {
            "launch_probability_percent": _pct(100),
            "launch_year": _year(default=2),
            "net_revenue_gbp": {
                "type": "list",
                "default": [],
                "maxlength": MAX_HORIZON,
                "schema": _gbp(),
            },
            "growth_after_percent": {"type": "number", "min": -50, "max": 50, "default": 0},
            "deductions_percent": _pct(10, max=90),
            "revenue_uncertainty_percent": _pct(40, max=200),
            "operating_margin_percent": _pct(25),
        },
    },
    "milestones": {
        "type": "dict",
        "default": {},
        "schema": {
            "probabilities_percent": {"type": "list", "default": [], "schema": _pct()},
            "delay_years": {"type": "integer", "min": 0, "max": 10, "default": 0},
        },
    },
    "equity": {
        "type": "dict",
        "default": {},
        "schema": {
            "shares_in_issue": {"type": "integer", "min": 1, "max": 10**12},
            "exit_year": _year(default=7),
            "exit_probability_percent": _pct(20),
            "exit_value_gbp": _gbp(),
            "exit_value_uncertainty_percent": _pct(80, max=200),
            "dilution_percent": _pct(30, max=95),
            "value_at_lock_up_end_percent": _pct(100, max=1000),
        },
    },
    "gain_share": {
        "type": "dict",
        "default": {},
        "schema": {
            "go_live_year": _year(),
            "annual_savings_gbp": _gbp(),
            "savings_uncertainty_percent": _pct(40, max=200),
        },
    },
    "in_kind": {
        "type": "dict",
        "default": {},
        "schema": {
            "annual_list_price_gbp": _gbp(),
            "uptake_uncertainty_percent": _pct(30, max=200),
        },
    },
    "cost_recovery": {
        "type": "dict",
        "default": {},
        "schema": {"units_per_year": {"type": "list", "schema": _gbp(max=1e6)}},
    },
    "consent_to_commercialise": {
        "type": "dict",
        "default": {},
        "schema": {
            "probability_percent": _pct(20),
            "year": _year(default=4),
            "value_gbp": _gbp(default=0),
        },
    },
    "alternatives": {
        "type": "list",
        "default": [],
        "maxlength": 8,
        "schema": {"type": "dict", "schema": _OPTION},
    },
}


@dataclass(frozen=True)
class Scenario:
    """A validated scenarios file, defaults filled in."""

    source: str
    data: dict

    def section(self, name: str) -> dict:
        """Return one section of the assumptions (empty if absent)."""
        return self.data.get(name) or {}

    @property
    def discount_rate(self) -> float:
        """Return the real discount rate as a fraction."""
        return self.data["discount_rate_percent"] / 100

    @property
    def inflation(self) -> float:
        """Return the CPI assumption as a fraction."""
        return self.data["inflation_percent"] / 100

    def as_dict(self) -> dict:
        """Return the assumptions as a JSON-ready mapping."""
        return {"source": self.source, **self.data}


def validate_scenarios(raw: Any, *, source: str, library: Any = None) -> Scenario:
    """Check scenarios against the schema (and alternatives against their models' terms)."""
    from toolkit.library.schemas import validate

    document, problems = validate(raw, SCENARIO_SCHEMA)
    if not problems and library is not None:
        problems += _alternative_problems(document, library)
    if problems:
        raise ScenarioError(source, problems)
    return Scenario(source=source, data=document)


def _alternative_problems(document: dict, library: Any) -> list[Problem]:
    from toolkit.library.schemas import validate

    problems: list[Problem] = []
    for index, option in enumerate(document["alternatives"]):
        entries = [(option["model"], option["terms"], f"alternatives[{index}]")]
        entries += [
            (extra["model"], extra["terms"], f"alternatives[{index}].additional_models[{n}]")
            for n, extra in enumerate(option["additional_models"])
        ]
        for model_id, terms, path in entries:
            model = library.model(model_id)
            if model is None:
                known = ", ".join(sorted(library.models))
                problems.append(
                    Problem(
                        f"{path}.model",
                        f"no partnership model '{model_id}'",
                        hint=f"Known: {known}.",
                    )
                )
                continue
            normalised, found = validate(terms, model.terms_schema, prefix=f"{path}.terms")
            problems += [Problem(p.path, p.message, 2, p.hint) for p in found]
            if not found:
                terms.clear()
                terms.update(normalised)
    return problems


def load_scenarios(path: str | Path, *, library: Any = None) -> Scenario:
    """Read and validate a scenarios file (YAML)."""
    from toolkit.library.files import read_yaml

    return validate_scenarios(
        read_yaml(Path(path), ScenarioError), source=str(path), library=library
    )


def default_scenario(library: Any = None) -> Scenario:
    """Return the assumptions used when no scenarios file is given (stated as such)."""
    return validate_scenarios({"scenarios_version": 1}, source="(defaults)", library=library)


SKELETON = """\
# Scenarios for `nhs-contracts models compare SPEC --scenarios FILE` and `board-paper`.
# Every amount is in pounds at today's prices (real terms) unless it says otherwise.
# Sums fixed in the contract (fees, milestones, minimum royalty) are in cash terms and
# are deflated at inflation_percent. Year 1 is the first twelve months of the term.
scenarios_version: 1
deal_reference: TRUST-DP-2027-001  # optional: the spec's agreement.reference, checked if given
discount_rate_percent: 3.5         # HM Treasury Green Book real discount rate (default 3.5)
inflation_percent: 2.0             # CPI assumption used to deflate sums fixed in cash terms
# horizon_years: 15                # optional; default: the term and every royalty or licence tail
                                   # (at most 30 years)
simulations: 10000                 # Monte Carlo runs (500-200000)
seed: 20231                        # the same seed and inputs always give the same figures
nhs_costs:                         # the NHS's own cost of providing the data
  one_off_gbp: 30000               # extraction, linkage, de-identification, IG review (year 1)
  annual_gbp: 12000                # each year of the term: secure data environment, output
                                   # checking, contract management
partner:
  annual_failure_percent: 6        # chance the partner fails in any one year (counterparty risk)
product:                           # the product or service built with the data, if any
  launch_probability_percent: 60   # chance it reaches first Commercial Use at all
  launch_year: 3                   # deal year of first Commercial Use (general availability)
  # expected net revenue in each year from launch; after the last year it grows at
  # growth_after_percent
  net_revenue_gbp: [300000, 900000, 1800000, 2500000, 3000000]
  growth_after_percent: 0          # real growth a year after the last forecast year
  deductions_percent: 10           # gross less net revenue, as % of gross (gross-revenue royalty)
  revenue_uncertainty_percent: 40  # spread of revenue around the forecast
  operating_margin_percent: 25     # the partner's margin on that revenue: the value created
milestones:
  # chance each milestone in the spec is met, in order (later ones are usually harder)
  probabilities_percent: [80, 50, 35]
  delay_years: 0                   # years by which payment follows the target date
equity:
  shares_in_issue: 10000000        # fully diluted shares before the issue (for number_of_shares)
  exit_year: 7                     # deal year of a sale or listing
  exit_probability_percent: 20     # chance of that exit if the partner survives to it
  exit_value_gbp: 120000000        # the whole company's equity value at exit
  exit_value_uncertainty_percent: 80
  dilution_percent: 30             # how much later funding rounds shrink the stake before exit
  # value of the shares when the lock-up ends, as % of their value at issue
  value_at_lock_up_end_percent: 100
gain_share:
  go_live_year: 2                  # deal year the service goes live (default: product launch year)
  annual_savings_gbp: 500000       # realised savings a year at full run rate
  savings_uncertainty_percent: 40
in_kind:
  annual_list_price_gbp: 50000     # list price of the NHS's expected use a year, before discount
  uptake_uncertainty_percent: 30
cost_recovery:
  units_per_year: [1, 48, 20, 10]  # units of each charge in the spec, in order (one-off: total)
consent_to_commercialise:
  probability_percent: 20          # chance commercial use is later proposed and agreed
  year: 4                          # deal year the value-sharing agreement would start paying
  value_gbp: 400000                # value to the NHS of that later agreement, at that year
alternatives: []                   # other deals to compare, each with label, model, terms and
                                   # optionally additional_models (like the example below)
# - label: Upfront fee instead
#   model: upfront_fee
#   terms: {fee_gbp: 250000, due_days: 30, valuation_reference: "Benchmark note"}
"""


def scenarios_skeleton() -> str:
    """Return the commented scenarios skeleton that `init --scenarios` writes."""
    return SKELETON
