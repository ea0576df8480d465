"""Partnership models' cautions that are rules: refusals with the principle each serves.

The principle-level rules are held here in code, so that no edit of the library can
weaken them; a model file may add further rules of its own (toolkit.library.rules).
They apply to every spec version.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Collection, Iterator

from toolkit.exceptions import Problem
from toolkit.library import rules as library_rules

# A valuation more than this long before the shares are issued is stale.
VALUATION_MAX_AGE = dt.timedelta(days=184)
# Words showing that a "valuer" is the Partner itself or someone working for it.
_NOT_INDEPENDENT = re.compile(
    r"\b(?:in-house|internal|management|directors?|board|own|last (?:funding|investment) round"
    r"|funding round|(?:company|partner)'s"
    r"|corporate finance advis[eo]rs? to the (?:company|partner))\b",
    re.I,
)
_COMPANY_SUFFIX = re.compile(r"\b(?:limited|ltd|plc|llp|inc|gmbh|llc)\.?$", re.I)

Rule = Callable[[str, dict, dict, list[str]], Iterator[Problem]]


def caution_problems(spec: dict, library, refused: Collection[Problem] = ()) -> list[Problem]:
    """Return the problems a deal's models' cautions raise, in code and in the library.

    ``refused``: the problems the models' terms schemas found; a model whose terms they
    speak of is not judged by its cautions, which read only terms its schema accepted.
    """
    problems = list(_patient_benefit(spec))
    model_ids = [spec["partnership_model"]] + [e["model"] for e in spec["additional_models"]]
    uses = [(spec["partnership_model"], "model_terms", spec["model_terms"])]
    uses += [
        (entry["model"], f"additional_models[{index}].terms", entry["terms"])
        for index, entry in enumerate(spec["additional_models"])
    ]
    for model_id, where, terms in uses:
        if any(
            problem.path == where or problem.path.startswith((where + ".", where + "["))
            for problem in refused
        ):
            continue
        for rule in CODE_RULES.get(model_id, ()):
            problems += rule(where, terms, spec, model_ids)
        model = library.model(model_id)
        for rule in model.rules if model else ():
            if library_rules.broken(rule, terms, model_ids):
                field = library_rules.condition_field(rule["require"])
                problems.append(
                    Problem(
                        f"{where}.{field}" if field else where,
                        f"{rule['message']} (caution '{rule['id']}' of the {model_id} model)",
                        rule["principle"],
                        rule.get("hint", ""),
                    )
                )
    return problems


def _patient_benefit(spec: dict) -> Iterator[Problem]:
    if not any(benefit["beneficiary"] == "patients" for benefit in spec["benefits"]):
        yield Problem(
            "benefits",
            "no benefit is for patients",
            1,
            "Add at least one quantified benefit with beneficiary: patients; benefits to the "
            "NHS organisation alone do not meet principle 1.",
        )


def _equity_minimum_value(where: str, terms: dict, spec: dict, model_ids: list[str]):
    if terms.get("minimum_value_gbp"):
        return
    alone = model_ids == ["equity"]
    yield Problem(
        f"{where}.minimum_value_gbp",
        "equity is the only consideration and has no minimum value"
        if alone
        else "equity has no minimum value",
        2,
        "Shares can become worthless after the Data is provided: agree a minimum value, paid "
        "as a deferred fee if the Shares are worth less"
        + (", and combine equity with a royalty, milestones or cash." if alone else "."),
    )


def _equity_independent_valuer(where: str, terms: dict, spec: dict, model_ids: list[str]):
    valuation = terms.get("valuation") or {}
    valuer = valuation.get("valuer", "")
    partner = _COMPANY_SUFFIX.sub("", spec["partner"]["name"].strip()).strip().casefold()
    if (
        valuation.get("instructed_by") == "partner"
        or _NOT_INDEPENDENT.search(valuer)
        or (partner and partner in valuer.casefold())
    ):
        yield Problem(
            f"{where}.valuation.valuer",
            f"the valuation by '{valuer}' is not independent of the Partner",
            2,
            "The number of Shares must rest on an independent valuation by a valuer the NHS "
            "Party instructs or relies on, not the Partner's own adviser or funding round.",
        )


def _equity_recent_valuation(where: str, terms: dict, spec: dict, model_ids: list[str]):
    valuation = terms.get("valuation") or {}
    made, issue = valuation.get("date"), terms.get("issue_by")
    if (
        isinstance(made, dt.date)
        and isinstance(issue, dt.date)
        and (made > issue or issue - made > VALUATION_MAX_AGE)
    ):
        yield Problem(
            f"{where}.valuation.date",
            f"the valuation ({made}) is not within six months before the issue date ({issue})",
            2,
            "Obtain a valuation close to the issue date.",
        )


def _in_kind_national_terms(where: str, terms: dict, spec: dict, model_ids: list[str]):
    if terms.get("scope") == "contributing_organisations" and not terms.get("nhs_wide_terms"):
        yield Problem(
            f"{where}.nhs_wide_terms",
            "the in-kind terms are limited to the contributing NHS Parties with no terms for "
            "the rest of the NHS",
            3,
            "Give nhs_wide_terms (free, discounted or most_favoured_customer), so that the "
            "product's benefit can be applied nationally.",
        )


def _royalty_reductions(where: str, terms: dict, spec: dict, model_ids: list[str]):
    rate = terms.get("rate_percent")
    step = (terms.get("step_down") or {}).get("rate_percent")
    floor = terms.get("stacking_floor_percent")
    if rate is not None and step is not None and step >= rate:
        yield Problem(
            f"{where}.step_down.rate_percent",
            f"the step-down rate ({step}%) is not below the royalty rate ({rate}%)",
            2,
            "A step-down lowers the rate; otherwise leave it out.",
        )
    if rate is not None and floor is not None and floor > rate:
        yield Problem(
            f"{where}.stacking_floor_percent",
            f"the stacking floor ({floor}%) is above the royalty rate ({rate}%)",
            2,
            "The floor is the lowest rate stacking may reach, so it cannot exceed it.",
        )
    if rate is not None and floor is not None and floor < rate / 2:
        yield Problem(
            f"{where}.stacking_floor_percent",
            f"the stacking floor ({floor}%) lets third-party royalties take away more "
            f"than half the royalty ({rate}%)",
            2,
            "Set the floor at no less than half the rate.",
        )


CODE_RULES: dict[str, tuple[Rule, ...]] = {
    "equity": (_equity_minimum_value, _equity_independent_valuer, _equity_recent_valuation),
    "in_kind": (_in_kind_national_terms,),
    "royalty": (_royalty_reductions,),
}
