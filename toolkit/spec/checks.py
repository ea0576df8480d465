"""Deal specs: loading, the schema, and the checks the five principles demand."""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Any

from toolkit.exceptions import Problem, SpecError
from toolkit.library import Library, schemas
from toolkit.library import files as data
from toolkit.spec.approvals import approval_checks
from toolkit.spec.cautions import caution_problems
from toolkit.spec.commercial import commercial_checks
from toolkit.spec.conflicts import contract_texts, term_conflicts
from toolkit.spec.deal import DealSpec, end_of_term
from toolkit.spec.governance import governance_checks
from toolkit.spec.schema import schema_for
from toolkit.spec.screen import screen_spec
from toolkit.spec.targets import target_problem

DSPT_ACCEPTED = ("standards_met", "standards_exceeded")
_EXCLUSIVE_KEY = re.compile(
    r"(?<!non_)(?<!non)(?<!non-)exclusiv|(^|_)sole(_|$)|first_refusal|preferred_partner", re.I
)
_EMPTY_JUSTIFICATION = {"n/a", "na", "none", "tbc", "tba", "nil", "-", "not applicable", "see dpia"}


def load_spec(path: str | Path) -> Any:
    """Read a deal spec file (YAML) without validating it."""
    return data.read_spec_yaml(Path(path))


def validate_spec(raw: Any, library: Library, *, source: str, draft: bool = False) -> DealSpec:
    """Check a deal spec against the schema, the library and the principles.

    Raises SpecError listing every problem found.
    """
    exclusive = _exclusive_keys(raw, "")
    document, schema_problems = schemas.validate(raw, schema_for(raw))
    problems = [_with_principle(p) for p in schema_problems]
    if not schema_problems:
        problems += _principle_checks(document, draft)
        model_problems = _model_checks(document, library)
        # The models' cautions that are rules, and a patient benefit (every version).
        problems += model_problems + caution_problems(document, library, model_problems)
        # Additional terms that a standard clause would silently override.
        problems += term_conflicts(document, library, contract_texts(document, library))
        if document["spec_version"] >= 2:
            problems += governance_checks(document, draft)
            problems += commercial_checks(document, library, draft)
    # An exclusivity field is reported as such, not as a mere unknown key.
    refused = {problem.path for problem in exclusive}
    problems = exclusive + [p for p in problems if p.path not in refused]
    if problems:
        raise SpecError(source, _unique(problems))
    return DealSpec(source=source, data=document, draft=draft)


def _unique(problems: list[Problem]) -> list[Problem]:
    seen: dict[tuple, Problem] = {}
    for problem in problems:
        seen.setdefault((problem.path, problem.message), problem)
    return list(seen.values())


# Which principle a schema problem in each part of the spec puts at stake.
_PATH_PRINCIPLES = (
    ("benefits", 1),
    ("purpose", 1),
    ("nhs_parties", 2),
    ("model_terms", 2),
    ("additional_models", 2),
    ("data", 5),
)


def _with_principle(problem: Problem) -> Problem:
    for prefix, principle in _PATH_PRINCIPLES:
        if problem.path.startswith(prefix) and problem.principle is None:
            if prefix == "nhs_parties" and "board_approval" not in problem.path:
                return problem
            return Problem(problem.path, problem.message, principle, problem.hint)
    return problem


def _exclusive_keys(value: Any, path: str) -> list[Problem]:
    """Refuse any field, anywhere, that tries to express exclusivity."""
    problems = []
    if isinstance(value, dict):
        for key, item in value.items():
            where = schemas.join_path(path, (str(key),))
            if isinstance(key, str) and _EXCLUSIVE_KEY.search(key):
                problems.append(
                    Problem(
                        where,
                        "exclusive, sole or preferential rights are not allowed in any form",
                        3,
                        "Remove this field: NHS data may not be granted exclusively.",
                    )
                )
            problems += _exclusive_keys(item, where)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            problems += _exclusive_keys(item, schemas.join_path(path, (index,)))
    return problems


def _principle_checks(spec: dict, draft: bool) -> list[Problem]:
    problems: list[Problem] = []
    agreement = spec["agreement"]
    start = agreement["effective_date"]
    end = end_of_term(start, agreement["term_months"])

    parties = spec["nhs_parties"]
    leads = [i for i, party in enumerate(parties) if party["lead"]]
    if len(parties) > 1 and len(leads) != 1:
        problems.append(
            Problem(
                "nhs_parties",
                f"a consortium of {len(parties)} NHS parties needs exactly one lead "
                f"(found {len(leads)})",
                hint="Set `lead: true` on one NHS party.",
            )
        )
    names = [party["name"] for party in parties]
    for index, party in enumerate(parties):
        if names.count(party["name"]) > 1 and names.index(party["name"]) != index:
            problems.append(Problem(f"nhs_parties[{index}].name", "names the same party twice"))
        if draft:
            continue
        approval = party.get("board_approval") or {}
        for key in ("date", "minute_ref"):
            if not approval.get(key):
                problems.append(
                    Problem(
                        f"nhs_parties[{index}].board_approval.{key}",
                        f"board approval {key.replace('_', ' ')} for {party['name']} is missing",
                        2,
                        "The board is responsible for fair terms: record its approval, "
                        "or assemble with --draft.",
                    )
                )

    for index, benefit in enumerate(spec["benefits"]):
        not_a_target = target_problem(benefit["target"])
        if not_a_target:
            problems.append(
                Problem(
                    f"benefits[{index}].target",
                    f"'{benefit['target']}' {not_a_target}",
                    1,
                    "Give a quantified target: a change from a baseline or a level to reach, "
                    "with a unit, for example 'reduce by 25%' or 'from 95 to 60 minutes' "
                    "(a date, a reference number or a change of nothing is no target).",
                )
            )
        if not start <= benefit["by"] <= end:
            problems.append(
                Problem(
                    f"benefits[{index}].by",
                    f"{benefit['by']} is outside the term ({start} to {end})",
                    1,
                    "Set a date within the term, or lengthen the term.",
                )
            )

    problems += _data_checks(spec["data"], draft, spec["spec_version"])
    # Every free text, not only the additional terms: refuse exclusivity, lock-in,
    # benefit limits, overrides of mandatory clauses and secrecy (principles 1, 3 and 4);
    # and a non-standard term in a final contract needs a named approver (principle 2).
    problems += screen_spec(spec)
    problems += approval_checks(spec, draft)
    return problems


def _data_checks(data_section: dict, draft: bool, version: int = 1) -> list[Problem]:
    # Version 2 records bases per party and judges the opt-out and the DSPT by
    # jurisdiction and access (toolkit.spec.governance); version 1 keeps its own rules.
    v1 = version == 1
    problems: list[Problem] = []
    identifiable = data_section["identifiability"] != "anonymised"
    kind = data_section["identifiability"]
    basis = data_section.get("lawful_basis") or {}
    if identifiable:
        if v1 and not basis.get("article_6"):
            problems.append(
                Problem(
                    "data.lawful_basis.article_6",
                    f"{kind} data needs a UK GDPR Article 6 lawful basis",
                    5,
                    'State it, for example "6(1)(e)".',
                )
            )
        if v1 and data_section["special_category"] and not basis.get("article_9"):
            problems.append(
                Problem(
                    "data.lawful_basis.article_9",
                    f"{kind} special category data needs an Article 9 condition",
                    5,
                    'State it, for example "9(2)(h)" or "9(2)(j)".',
                )
            )
        if data_section["confidentiality_basis"] == "anonymised":
            problems.append(
                Problem(
                    "data.confidentiality_basis",
                    f"'anonymised' cannot be the confidentiality basis for {kind} data",
                    5,
                    "Use consent, s251 or direct_care, or share anonymised data.",
                )
            )
        if not data_section.get("dpia_reference") and not draft:
            problems.append(
                Problem(
                    "data.dpia_reference",
                    f"{kind} data needs a data protection impact assessment",
                    5,
                    "Give the DPIA reference, or assemble with --draft while it is done.",
                )
            )
        if (
            v1
            and data_section["confidentiality_basis"] == "s251"
            and data_section["national_data_opt_out"] != "applied"
        ):
            problems.append(
                Problem(
                    "data.national_data_opt_out",
                    "the national data opt-out must be applied to data disclosed under s251",
                    5,
                    "Set national_data_opt_out: applied.",
                )
            )
    if v1 and data_section["partner_dspt_status"] not in DSPT_ACCEPTED:
        problems.append(
            Problem(
                "data.partner_dspt_status",
                f"the partner's DSPT status '{data_section['partner_dspt_status']}' "
                "is not 'standards met'",
                5,
                "NHS data can be shared only with a partner whose DSPT "
                "is at standards met or exceeded.",
            )
        )
    justification = " ".join((data_section.get("extract_justification") or "").split())
    if data_section["access"] == "extract" and (
        justification.lower().rstrip(".") in _EMPTY_JUSTIFICATION or len(justification.split()) < 4
    ):
        problems.append(
            Problem(
                "data.extract_justification",
                "a raw data extract needs a justification (access is 'extract')",
                5,
                "Use the secure data environment (access: sde), or explain in a sentence "
                "why an extract is necessary.",
            )
        )
    if (
        v1
        and data_section["national_data_opt_out"] == "not_applicable"
        and not data_section.get("national_data_opt_out_reason")
    ):
        problems.append(
            Problem(
                "data.national_data_opt_out_reason",
                "the national data opt-out is marked not applicable without a reason",
                5,
                "Say why it does not apply (for example, the data are anonymised).",
            )
        )
    return problems


def is_quantified(target: str) -> bool:
    """Whether a benefit target is a real target (see ``toolkit.spec.targets``)."""
    return target_problem(target) is None


def _model_checks(spec: dict, library: Library) -> list[Problem]:
    """Check the partnership model(s) and their terms against the library."""
    problems: list[Problem] = []
    model_id = spec["partnership_model"]
    model = library.model(model_id)
    if model is None:
        problems.append(
            _unknown("partnership_model", model_id, library.models, "partnership model")
        )
    else:
        spec["model_terms"], found = _checked_terms(model, spec["model_terms"], "model_terms")
        problems += found
    seen = {model_id}
    for index, entry in enumerate(spec["additional_models"]):
        path = f"additional_models[{index}]"
        other = library.model(entry["model"])
        if other is None:
            problems.append(
                _unknown(f"{path}.model", entry["model"], library.models, "partnership model")
            )
            continue
        if entry["model"] in seen:
            problems.append(Problem(f"{path}.model", f"'{entry['model']}' is already used"))
            continue
        seen.add(entry["model"])
        if model is not None and not (
            other.id in model.combines_with or model.id in other.combines_with
        ):
            allowed = ", ".join(model.combines_with) or "none"
            problems.append(
                Problem(
                    f"{path}.model",
                    f"'{other.id}' cannot be combined with '{model.id}'",
                    2,
                    f"'{model.id}' combines with: {allowed}.",
                )
            )
        entry["terms"], found = _checked_terms(other, entry["terms"], f"{path}.terms")
        problems += found
    return problems


def _checked_terms(model, terms: dict, prefix: str) -> tuple[dict, list[Problem]]:
    """Check model terms; return them normalised (dates as dates, defaults filled in).

    A term's `meta` in the model file may name the principle and hint of its refusal.
    """
    normalised, problems = schemas.validate(terms, model.terms_schema, prefix=prefix)
    checked = []
    for problem in problems:
        field = problem.path[len(prefix) :].lstrip(".").split(".")[0].split("[")[0]
        rules = model.terms_schema.get(field)
        meta = rules.get("meta", {}) if isinstance(rules, dict) else {}
        meta = meta if isinstance(meta, dict) else {}
        hint = " ".join(part for part in (problem.hint, meta.get("hint", "")) if part)
        checked.append(Problem(problem.path, problem.message, meta.get("principle", 2), hint))
    return (terms if checked else normalised), checked


def _unknown(path: str, value: str, known: dict, noun: str) -> Problem:
    close = difflib.get_close_matches(value, list(known), n=1, cutoff=0.6)
    hint = f"Did you mean '{close[0]}'?" if close else "Known: " + ", ".join(sorted(known)) + "."
    return Problem(path, f"no {noun} '{value}' in the library", hint=hint)
