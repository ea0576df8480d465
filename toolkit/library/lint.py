"""Linting the whole library, and keeping the lock of approved clause texts."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from toolkit import cache
from toolkit.contract.assemble import assemble_contract, uses_term
from toolkit.contract.guarantee import cached_scan, check_library_guarantee, coverage_problems
from toolkit.exceptions import LibraryError, Problem, ToolkitError
from toolkit.library import Clause, Library, load_library
from toolkit.library import files as data
from toolkit.library.consistency import wording_problems
from toolkit.principles import ICO_HEADINGS
from toolkit.spec import validate_spec
from toolkit.spec.skeleton import skeleton

SAMPLE_ADDITIONAL_TERM = {
    "text": (
        "The Partner will present its progress to the NHS Party's research committee once a year."
    ),
    # A final contract needs each non-standard term approved (toolkit.spec.approvals).
    "approval": {
        "name": "A Sample",
        "role": "Director of Governance",
        "date": "2026-01-01",
        "reference": "SAMPLE-1",
    },
}


@dataclass
class LintReport:
    """Every problem found in a library, by file."""

    root: Path
    problems: list[tuple[str, Problem]] = field(default_factory=list)
    clauses: int = 0
    models: int = 0

    @property
    def ok(self) -> bool:
        """Whether the library passed."""
        return not self.problems

    def add(self, source: str, problems: list[Problem]) -> None:
        """Record problems found in one file."""
        self.problems += [(source, problem) for problem in problems]

    def as_dict(self) -> dict:
        """Return the report as a JSON-ready mapping, each problem with its file."""
        return {
            "ok": self.ok,
            "library": str(self.root),
            "clauses": self.clauses,
            "models": self.models,
            "problems": [
                {"file": source, **problem.as_dict()} for source, problem in self.problems
            ],
        }

    def lines(self) -> list[str]:
        """Return one line a problem."""
        return [f"{source}: {problem.describe()}" for source, problem in self.problems]


def referenced_ids(source: str) -> set[tuple[str, str | None]]:
    """Return the (clause id, label) pairs a text refers to with ref() or schedule()."""
    from jinja2 import nodes
    from jinja2.sandbox import SandboxedEnvironment

    found = set()
    tree = SandboxedEnvironment(trim_blocks=True, lstrip_blocks=True).parse(source)
    for call in tree.find_all(nodes.Call):
        if isinstance(call.node, nodes.Name) and call.node.name in ("ref", "schedule"):
            args = [a.value if isinstance(a, nodes.Const) else None for a in call.args]
            if args and isinstance(args[0], str):
                label = args[1] if len(args) > 1 and isinstance(args[1], str) else None
                found.add((args[0], label))
    return found


def _clause_problems(library: Library, clause: Clause) -> list[Problem]:
    problems = []
    if clause.models != "all":
        for model_id in clause.models:
            if library.model(model_id) is None:
                problems.append(
                    Problem("models", f"names model '{model_id}', which does not exist")
                )
    for heading in clause.ico:
        if heading not in ICO_HEADINGS:
            problems.append(
                Problem("ico", f"'{heading}' is not an ICO heading", hint=", ".join(ICO_HEADINGS))
            )
    for required in clause.requires:
        if library.clause(required) is None:
            problems.append(Problem("requires", f"names clause '{required}', which does not exist"))
    texts = (
        [("text", clause.text)]
        + [(f"positions.{p.id}.text", p.text) for p in clause.positions]
        + [(f"defines.{term}", meaning) for term, meaning in clause.defines.items()]
    )
    # No fallback position may permit exclusivity, lock-in or secrecy (toolkit.scan).
    for position in clause.positions:
        problems += cached_scan(position.text, f"positions.{position.id}.text")
    for path, source in texts:
        if any("\ue000" <= ch <= "\uf8ff" for ch in source):
            problems.append(Problem(path, "contains a private-use character"))
        targets, syntax_error = _references(source)
        if syntax_error:
            problems.append(Problem(path, syntax_error))
            continue
        for target, _label in targets:
            if library.clause(target) is None:
                problems.append(Problem(path, f"refers to clause '{target}', which does not exist"))
    ids = [p.id for p in clause.positions]
    for position_id in {i for i in ids if ids.count(i) > 1}:
        problems.append(Problem("positions", f"position id '{position_id}' is used twice"))
    problems += _lock_problems(library, clause)
    return problems


def _lock_problems(library: Library, clause: Clause) -> list[Problem]:
    if clause.status != "approved":
        return []
    entry = library.lock.get(clause.id)
    if entry is None:
        return [
            Problem(
                "status",
                "approved but not in the lock",
                hint="Run `nhs-contracts library lock` to record its approved text.",
            )
        ]
    if entry["sha256"] != clause.text_hash():
        if entry["version"] == clause.version:
            return [
                Problem(
                    "text",
                    f"the approved text changed without a version bump (still {clause.version})",
                    hint="Bump `version`, then run `nhs-contracts library lock`.",
                )
            ]
        return [
            Problem(
                "version",
                f"bumped to {clause.version} but the lock still holds {entry['version']}",
                hint="Run `nhs-contracts library lock`.",
            )
        ]
    if entry["version"] != clause.version:
        return [
            Problem(
                "version",
                f"is {clause.version} but the lock holds {entry['version']} for the same text",
                hint="Run `nhs-contracts library lock`.",
            )
        ]
    return []


def _sample_contracts(library: Library, report: LintReport) -> None:
    """Assemble every model's skeleton deal, and every fallback position, in memory."""
    for model in library.models.values():
        source = f"{model.id} sample deal (as `init --model {model.id}` writes it)"
        raw = yaml.safe_load(skeleton(model))
        try:
            spec = validate_spec(raw, library, source=source)
            contract = assemble_contract(spec, library)
        except ToolkitError as exc:
            report.add(library.relative(model.path), _as_problems(exc, source))
            continue
        for part in contract.parts:
            for position in part.clause.positions:
                raw["clauses"] = {"positions": {part.id: position.id}}
                try:
                    assemble_contract(validate_spec(raw, library, source=source), library)
                except ToolkitError as exc:
                    report.add(
                        library.relative(part.clause.path),
                        _as_problems(exc, f"position {position.id} in {source}"),
                    )
            raw["clauses"] = {}
        raw["clauses"] = {"additional_terms": [SAMPLE_ADDITIONAL_TERM]}  # approved
        try:
            assemble_contract(validate_spec(raw, library, source=source), library)
        except ToolkitError as exc:
            report.add(
                library.relative(model.path), _as_problems(exc, f"{source} with additional terms")
            )
        report.add(
            library.relative(model.path),
            coverage_problems([p.clause for p in contract.parts], "assembled clause set"),
        )
        report.add(
            library.relative(model.path),
            [
                Problem(
                    "definitions",
                    f"the {model.id} contract uses the term '{term}' but holds no clause "
                    "defining it",
                    hint="Define it in a clause that contract includes, or reword.",
                )
                for term in contract.undefined_terms
            ],
        )
        # Capitalised terms defined nowhere; figures that two clauses state differently.
        report.add(library.relative(model.path), wording_problems(contract, library))


def _as_problems(exc: ToolkitError, source: str) -> list[Problem]:
    problems = getattr(exc, "problems", None)
    if problems:
        origin = getattr(exc, "source", "")
        return [
            Problem(
                f"{origin}: {p.path}" if origin and origin != source else p.path,
                p.message,
                p.principle,
                p.hint,
            )
            for p in problems
        ]
    return [Problem("", str(exc))]


def _definition_problems(library: Library) -> list[tuple[str, Problem]]:
    texts = []
    for clause in library.clauses.values():
        texts += [clause.text] + [p.text for p in clause.positions]
        texts += list(clause.defines.values())
    texts += [model.schedule for model in library.models.values()]
    corpus = "\n".join(texts)
    found = []
    owners: dict[str, str] = {}
    for clause in library.clauses.values():
        for term in clause.defines:
            where = library.relative(clause.path)
            if term in owners:
                found.append(
                    (where, Problem(f"defines.{term}", f"is also defined in {owners[term]}"))
                )
            owners[term] = where
            others = corpus.replace(clause.defines[term], "")
            if not uses_term(others, term):
                found.append((where, Problem(f"defines.{term}", "is defined but never used")))
    return found


def lint_library(path: str | Path | None = None) -> LintReport:
    """Check the whole library; return every problem found rather than stopping at one."""
    collected: list[LibraryError] = []
    library = load_library(path, collect=collected)
    report = LintReport(library.root, clauses=len(library.clauses), models=len(library.models))
    for error in collected:
        report.add(error.source, error.problems)
    guarantee = check_library_guarantee(library)
    report.add("library", guarantee)
    for clause in library.clauses.values():
        report.add(library.relative(clause.path), _clause_problems(library, clause))
    for model in library.models.values():
        where = library.relative(model.path)
        report.add(where, cached_scan(model.schedule, "schedule"))
        for clause_id in model.clauses:
            if library.clause(clause_id) is None:
                report.add(
                    where, [Problem("clauses", f"names clause '{clause_id}', which does not exist")]
                )
        for other in model.combines_with:
            if library.model(other) is None:
                report.add(
                    where,
                    [Problem("combines_with", f"names model '{other}', which does not exist")],
                )
    for heading, name in ICO_HEADINGS.items():
        if not any(
            heading in c.ico and c.in_every_contract and c.status == "approved"
            for c in library.clauses.values()
        ):
            report.add("library", [Problem("ico", f"no clause in every contract covers '{name}'")])
    report.problems += _definition_problems(library)
    # Sample contracts would only repeat a broken guarantee once per model.
    if not collected and not guarantee:
        report.problems += _sample_problems(library)
    return report


def _sample_problems(library: Library) -> list[tuple[str, Problem]]:
    """Return the problems of the sample contracts and the template render.

    They are most of lint's time and depend only on the library's files, the toolkit
    and the date (a deal's dates are checked against today), so an unchanged library
    takes them from the cache (toolkit.cache).
    """
    key = cache.make_key(library.content_hash, str(library.root), dt.date.today().isoformat())
    found = cache.load("lint-samples", key) if library.content_hash else None
    if isinstance(found, list):
        return found
    samples = LintReport(library.root)
    _sample_contracts(library, samples)
    _render_template(library, samples)
    if library.content_hash:
        cache.store("lint-samples", key, samples.problems)
    return samples.problems


# What each text refers to, by the text's hash: parsing every text is a good part of lint.
_REFERENCES = cache.Memo("text-references")


def _references(source: str) -> tuple[set[tuple[str, str | None]], str]:
    """Return the ids a text refers to, or why it is not valid Jinja."""
    from jinja2 import TemplateSyntaxError

    key = hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest()
    known = _REFERENCES.get(key)
    if known is None:
        try:
            known = (referenced_ids(source), "")
        except TemplateSyntaxError as exc:
            known = (set(), f"is not valid Jinja (line {exc.lineno}): {exc.message}")
        _REFERENCES.set(key, known)
    return known


def _render_template(library: Library, report: LintReport) -> None:
    from toolkit import __version__
    from toolkit.docx.package import render_docx

    model = next(iter(library.models.values()), None)
    if model is None:
        report.add("partnership_models", [Problem("", "the library has no partnership model")])
        return
    try:
        spec = validate_spec(yaml.safe_load(skeleton(model)), library, source="sample deal")
        render_docx(assemble_contract(spec, library), __version__)
    except ToolkitError as exc:
        report.add("templates/contract.docx", _as_problems(exc, "sample deal"))


def lock_library(path: str | Path | None = None) -> list[str]:
    """Record the text hash of every approved clause in the lock; return what changed.

    Refuses (LibraryError) to re-lock a changed text whose version was not bumped.
    """
    library = load_library(path)
    refused = []
    changed = []
    lock = dict(library.lock)
    for clause in sorted(library.clauses.values(), key=lambda c: c.id):
        if clause.status != "approved":
            continue
        entry = lock.get(clause.id)
        digest = clause.text_hash()
        if entry and entry["sha256"] == digest and entry["version"] == clause.version:
            continue
        if entry and entry["version"] == clause.version:
            refused.append(
                Problem(
                    library.relative(clause.path),
                    f"text changed but version is still {clause.version}",
                    hint="Bump the version first.",
                )
            )
            continue
        lock[clause.id] = {"version": clause.version, "sha256": digest}
        changed.append(f"{clause.id} {clause.version}")
    if refused:
        raise LibraryError(str(data.library_file(library.root)), refused)
    meta_path = data.library_file(library.root)
    meta = data.read_yaml(meta_path)
    meta["lock"] = {key: lock[key] for key in sorted(lock)}
    text = (
        "# The clause library's identity and the lock of approved clause texts.\n"
        "# Written by `nhs-contracts library lock`; do not edit the lock by hand.\n"
        + yaml.safe_dump(meta, sort_keys=False, allow_unicode=True)
    )
    from toolkit.output import write_atomically

    write_atomically(meta_path, text.encode("utf-8"), force=True)
    return changed
