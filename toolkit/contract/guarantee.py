"""The mandatory-clause guarantee: what a library and a contract must hold."""

from __future__ import annotations

import hashlib

from toolkit import cache, principles
from toolkit.contract.model import Contract
from toolkit.exceptions import Problem
from toolkit.library import Clause, Library


def check_library_guarantee(library: Library) -> list[Problem]:
    """Return what in a library would stop it giving every contract its mandatory clauses."""
    problems: list[Problem] = []
    for mandatory in principles.MANDATORY_CLAUSES:
        clause = library.clause(mandatory.id)
        where = f"clauses/{mandatory.category}/{mandatory.id}.yaml"
        if clause is None:
            problems.append(
                Problem(
                    where,
                    f"the mandatory {mandatory.role} clause '{mandatory.id}' is missing",
                    mandatory.principle,
                    "Restore it: every contract must contain it.",
                )
            )
            continue
        if clause.status != "approved":
            problems.append(
                Problem(
                    f"{where}: status",
                    f"the mandatory clause '{mandatory.id}' is {clause.status}, not approved",
                    mandatory.principle,
                    "Only an approved version may stand in a contract.",
                )
            )
        if not clause.in_every_contract:
            problems.append(
                Problem(
                    f"{where}: models",
                    f"the mandatory clause '{mandatory.id}' must be used by all models",
                    mandatory.principle,
                    "Set `models: all`.",
                )
            )
        if mandatory.principle not in clause.principles:
            problems.append(
                Problem(
                    f"{where}: principles",
                    f"the mandatory clause '{mandatory.id}' no longer says it serves "
                    f"principle {mandatory.principle}",
                    mandatory.principle,
                )
            )
        if not library.lock_matches(clause):
            problems.append(
                Problem(
                    f"{where}: text",
                    f"the mandatory clause '{mandatory.id}' differs from the approved text "
                    f"locked for version {clause.version}",
                    mandatory.principle,
                    "Restore the approved text; a change needs review, a version bump "
                    "and `nhs-contracts library lock`.",
                )
            )
        problems += cached_scan(clause.text, f"{where}: text")
        for position in clause.positions:
            if mandatory.must_contain and mandatory.must_contain not in position.text.lower():
                problems.append(
                    Problem(
                        f"{where}: positions.{position.id}",
                        f"fallback position '{position.id}' drops '{mandatory.must_contain}'",
                        mandatory.principle,
                        "A fallback may not weaken a mandatory clause.",
                    )
                )
    # No fallback anywhere may bring in exclusivity, lock-in or an override.
    for clause in library.clauses.values():
        for position in clause.positions:
            where = f"{clause.path.parent.name}/{clause.path.name}: positions.{position.id}"
            problems += cached_scan(position.text, where)
    for schedule_id in principles.REQUIRED_SCHEDULES:
        clause = library.clause(schedule_id)
        if clause is None or not clause.is_schedule:
            problems.append(Problem(f"clauses/schedules/{schedule_id}.yaml", "schedule missing"))
    return problems


# The scan of the library's own texts is the costliest part of starting up, and its
# result depends only on the text and the scanner's code: the cache key covers both
# (the toolkit's source files are part of every key).
_SCANS = cache.Memo("text-scans")


def cached_scan(text: str, where: str) -> list[Problem]:
    """Scan library wording for what the principles forbid (cached: texts rarely change)."""
    key = hashlib.sha256(f"{where}\0{text}".encode("utf-8", "surrogatepass")).hexdigest()
    found = _SCANS.get(key)
    if found is None:
        from toolkit.scan import scan_library_text

        found = tuple(scan_library_text(text, where))
        _SCANS.set(key, found)
    return list(found)


def coverage_problems(clauses: list[Clause], where: str) -> list[Problem]:
    """Return principles and mandatory categories a set of clauses fails to cover."""
    problems = []
    covered = {p for clause in clauses for p in clause.principles}
    for number, name in principles.PRINCIPLES.items():
        if number not in covered:
            problems.append(Problem(where, f"no clause serves principle {number} ({name})", number))
    categories = {clause.category for clause in clauses}
    for category in principles.MANDATORY_CATEGORIES:
        if category not in categories:
            problems.append(Problem(where, f"no clause of the mandatory category '{category}'"))
    return problems


def content_guarantee(contract: Contract) -> list[Problem]:
    """Return what the mandatory clauses of an assembled contract fail to say."""
    problems = []
    for mandatory in principles.MANDATORY_CLAUSES:
        part = contract.part(mandatory.id)
        if part is None:
            problems.append(
                Problem(
                    mandatory.id,
                    f"the {mandatory.role} clause is missing",
                    mandatory.principle,
                )
            )
            continue
        text = "\n".join(part.text_lines())
        if mandatory.must_contain and mandatory.must_contain not in text.lower():
            problems.append(
                Problem(
                    mandatory.id,
                    f"the {mandatory.role} clause no longer says '{mandatory.must_contain}'",
                    mandatory.principle,
                )
            )
    benefit = contract.part("patient_benefit")
    if benefit is not None:
        text = " ".join(benefit.text_lines())
        for index, item in enumerate(contract.spec.data["benefits"]):
            for key in ("measure", "target"):
                if " ".join(item[key].split()) not in text:
                    problems.append(
                        Problem(
                            f"benefits[{index}].{key}",
                            f"the benefit clause (patient_benefit) does not state this "
                            f"benefit's {key}",
                            1,
                        )
                    )
    return problems
