"""Choosing a contract's clauses: the models' sets, inclusions and their order."""

from __future__ import annotations

from toolkit.contract.model import ADDITIONAL_TERMS_ID
from toolkit.exceptions import Problem
from toolkit.library import Clause, Library
from toolkit.spec import DealSpec
from toolkit.spec.commercial import deal_clause_ids


def select_clauses(spec: DealSpec, library: Library) -> tuple[list[Clause], list[Problem]]:
    """Return the clauses a deal's contract holds, in order, and problems with the choice."""
    problems: list[Problem] = []
    model_ids = set(spec.model_ids)
    chosen: dict[str, Clause] = {}
    has_additional = bool(spec.data["clauses"]["additional_terms"])
    for clause in library.clauses.values():
        if clause.in_every_contract and (clause.id != ADDITIONAL_TERMS_ID or has_additional):
            chosen[clause.id] = clause
    for model_id in spec.model_ids:
        model = library.model(model_id)
        for clause_id in model.clauses if model else ():
            clause = library.clause(clause_id)
            if clause is None:
                problems.append(_missing(f"partnership_models/{model_id}.yaml: clauses", clause_id))
            else:
                chosen[clause_id] = clause
    # What the deal does (deploying a product in NHS care) brings in its own clauses.
    for clause_id in deal_clause_ids(spec.data):
        clause = library.clause(clause_id)
        if clause is None:
            problems.append(_missing("the deal's product section", clause_id))
        else:
            chosen[clause_id] = clause
    tailoring = spec.data["clauses"]
    for index, clause_id in enumerate(tailoring["include"]):
        clause = library.clause(clause_id)
        path = f"clauses.include[{index}]"
        if clause is None:
            problems.append(_unknown_clause(path, clause_id, library))
        elif clause.is_schedule:
            problems.append(Problem(path, f"'{clause_id}' is a schedule, always included"))
        elif not clause.usable_with(model_ids):
            problems.append(
                Problem(
                    path,
                    f"clause '{clause_id}' is for models {', '.join(clause.models)}, "
                    f"not {', '.join(spec.model_ids)}",
                )
            )
        else:
            chosen[clause_id] = clause
    # Clauses pull in what they require.
    pending = list(chosen.values())
    while pending:
        clause = pending.pop()
        for required in clause.requires:
            target = library.clause(required)
            if target is None:
                problems.append(
                    _missing(f"{clause.path.parent.name}/{clause.path.name}: requires", required)
                )
            elif required not in chosen:
                chosen[required] = target
                pending.append(target)
    for clause_id, position_id in tailoring["positions"].items():
        path = f"clauses.positions.{clause_id}"
        clause = library.clause(clause_id)
        if clause is None:
            problems.append(_unknown_clause(path, clause_id, library))
        elif clause_id not in chosen:
            problems.append(
                Problem(path, f"clause '{clause_id}' is not in this contract", hint="Include it.")
            )
        elif clause.position(position_id) is None:
            known = ", ".join(p.id for p in clause.positions) or "none"
            problems.append(
                Problem(
                    path,
                    f"clause '{clause_id}' has no approved position '{position_id}'",
                    hint=f"Approved positions: {known}.",
                )
            )
    if not spec.draft:
        for clause in chosen.values():
            if clause.status != "approved":
                problems.append(
                    Problem(
                        f"clauses: {clause.id}",
                        f"clause '{clause.id}' is {clause.status}; a final contract may hold "
                        "only approved clauses",
                        hint="Choose another clause, or assemble with --draft.",
                    )
                )
    return sorted(chosen.values(), key=_placing(spec.model_ids, chosen.values())), problems


def _placing(model_ids: list[str], clauses):
    """Return the sort key that puts the clauses in contract order.

    Value-sharing clauses for particular models form one block, at the place of the
    first of them: each model's own clauses in the deal's model order (so a hybrid
    reads like its value-sharing schedule), then those several of its models share.
    """
    specific = [c for c in clauses if c.category == "value" and not c.in_every_contract]
    block = min((c.order for c in specific), default=0)

    def key(clause: Clause) -> tuple:
        if clause in specific:
            served = [i for i, model_id in enumerate(model_ids) if model_id in clause.models]
            group = 0 if len(served) == 1 else 1
            return (clause.is_schedule, block, group, served[0], clause.order, clause.id)
        return (clause.is_schedule, clause.order, 0, 0, 0, clause.id)

    return key


def _missing(where: str, clause_id: str) -> Problem:
    return Problem(where, f"names clause '{clause_id}', which is not in the library")


def _unknown_clause(path: str, clause_id: str, library: Library) -> Problem:
    import difflib

    close = difflib.get_close_matches(clause_id, list(library.clauses), n=1, cutoff=0.6)
    hint = f"Did you mean '{close[0]}'?" if close else "See `nhs-contracts clauses list`."
    return Problem(path, f"no clause '{clause_id}' in the library", hint=hint)
