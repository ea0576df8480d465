"""Assembling a contract: choosing clauses, rendering them, numbering and definitions."""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass, field

from toolkit import principles
from toolkit.contract.markup import Block, CrossRef, OpenItem, Paragraph, Table, Text, TextRenderer
from toolkit.exceptions import GuaranteeError, LibraryError, Problem, RenderError, SpecError
from toolkit.library import Clause, Library, Position, schemas
from toolkit.spec import DealSpec

KIND_NAMES = {
    "nhs_trust": "NHS trust",
    "foundation_trust": "NHS foundation trust",
    "icb": "integrated care board",
    "gp_practice": "GP practice",
    "nhs_england": "NHS England",
    "health_board": "health board",
    "other_nhs_body": "NHS body",
    "company": "company",
    "university": "university",
    "charity": "charity",
    "other": "organisation",
}
BENEFICIARY_NAMES = {
    "patients": "patients",
    "nhs_organisation": "the NHS Party",
    "nhs_national": "the NHS nationally",
}
LAW_NAMES = {
    "england_and_wales": "England and Wales",
    "scotland": "Scotland",
    "northern_ireland": "Northern Ireland",
}
DEFINITIONS_ID = "definitions"
VALUE_SCHEDULE_ID = "value_sharing"
# Holds the deal's free-text terms; in a contract only when the spec has some.
ADDITIONAL_TERMS_ID = "additional_terms"
_ROMAN = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"]


@dataclass
class RenderedClause:
    """A clause (or schedule) as it stands in one contract."""

    clause: Clause
    position: Position | None
    number: int
    blocks: list[Block]
    mandatory: bool = False

    @property
    def id(self) -> str:
        """Return the clause id."""
        return self.clause.id

    @property
    def bookmark(self) -> str:
        """Return the Word bookmark name of the clause heading."""
        return bookmark_name(self.clause.id)

    @property
    def display_number(self) -> str:
        """Return the number as shown: "7" for a clause, "Schedule 2" for a schedule."""
        return f"Schedule {self.number}" if self.clause.is_schedule else str(self.number)

    def text_lines(self) -> list[str]:
        """Return the clause's visible text, one line a paragraph, for hashing and checks."""
        lines = [self.clause.title]
        for block in self.blocks:
            if isinstance(block, Table):
                for row in block.rows:
                    lines.append(" | ".join(segments_text(cell) for cell in row))
            else:
                lines.append(segments_text(block.segments))
        return [" ".join(line.split()) for line in lines]

    def text_hash(self) -> str:
        """Return the hash of the clause's rendered text, as the manifest records it."""
        return hashlib.sha256("\n".join(self.text_lines()).encode("utf-8")).hexdigest()


@dataclass
class Contract:
    """Everything needed to write one contract."""

    spec: DealSpec
    library: Library
    context: dict
    clauses: list[RenderedClause]
    schedules: list[RenderedClause]
    references: dict[str, tuple[str, str]] = field(default_factory=dict)
    open_items: list[OpenItem] = field(default_factory=list)
    undefined_terms: list[str] = field(default_factory=list)

    @property
    def parts(self) -> list[RenderedClause]:
        """Return the clauses then the schedules."""
        return self.clauses + self.schedules

    def part(self, clause_id: str) -> RenderedClause | None:
        """Return a clause or schedule of the contract by id."""
        for part in self.parts:
            if part.id == clause_id:
                return part
        return None


def bookmark_name(key: str) -> str:
    """Return a short, stable, hidden Word bookmark name for a clause or item key."""
    return "_Cl_" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def segments_text(segments: list) -> str:
    """Return the visible text of a run of segments, cross-references as resolved."""
    parts = []
    for segment in segments:
        if isinstance(segment, Text):
            parts.append(segment.text)
        elif isinstance(segment, OpenItem):
            parts.append(str(segment))
        else:
            parts.append(getattr(segment, "display", "") or "{" + segment.key + "}")
    return "".join(parts)


# -- choosing the clauses --------------------------------------------------------


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
        problems += _scanned(clause.text, f"{where}: text")
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
            problems += _scanned(position.text, where)
    for schedule_id in principles.REQUIRED_SCHEDULES:
        clause = library.clause(schedule_id)
        if clause is None or not clause.is_schedule:
            problems.append(Problem(f"clauses/schedules/{schedule_id}.yaml", "schedule missing"))
    return problems


@functools.lru_cache(maxsize=1024)
def _scanned_tuple(text: str, where: str) -> tuple[Problem, ...]:
    from toolkit.scan import scan_library_text

    return tuple(scan_library_text(text, where))


def _scanned(text: str, where: str) -> list[Problem]:
    """Scan library wording for what the principles forbid (cached: texts rarely change)."""
    return list(_scanned_tuple(text, where))


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


# -- the render context ----------------------------------------------------------


def build_context(spec: DealSpec, library: Library) -> dict:
    """Return the values clause texts may use (see the library format reference)."""
    doc = spec.data
    agreement = dict(doc["agreement"])
    model = library.model(doc["partnership_model"])
    agreement.setdefault("title", model.name + " Data Partnership Agreement")
    agreement["end_date"] = spec.end_date
    agreement["governing_law_name"] = LAW_NAMES[agreement["governing_law"]]
    parties = []
    for party in doc["nhs_parties"]:
        party = dict(party, kind_name=KIND_NAMES[party["kind"]])
        approval = dict(party.get("board_approval") or {})
        for key, label in (("date", "date"), ("minute_ref", "minute reference")):
            if not approval.get(key):
                approval[key] = OpenItem(f"Board approval {label} for {party['name']}")
        party["board_approval"] = approval
        parties.append(party)
    if len(parties) == 1:
        parties[0]["lead"] = True
    lead = next(party for party in parties if party["lead"])
    models = [{"id": m, "name": library.model(m).name} for m in spec.model_ids]
    terms = {doc["partnership_model"]: doc["model_terms"]}
    terms.update({entry["model"]: entry["terms"] for entry in doc["additional_models"]})
    data_section = dict(doc["data"])
    if data_section["identifiability"] != "anonymised" and not data_section.get("dpia_reference"):
        data_section["dpia_reference"] = OpenItem("DPIA reference")
    data_section.setdefault("lawful_basis", None)
    beneficiaries = dict(BENEFICIARY_NAMES)
    if len(parties) > 1:
        beneficiaries["nhs_organisation"] = "the NHS Parties"
    benefits = [
        dict(benefit, beneficiary_name=beneficiaries[benefit["beneficiary"]])
        for benefit in doc["benefits"]
    ]
    partner = dict(doc["partner"], kind_name=KIND_NAMES[doc["partner"]["kind"]])
    return {
        "agreement": agreement,
        "nhs_parties": parties,
        "lead_nhs_party": lead,
        "consortium": len(parties) > 1,
        "partner": partner,
        "model": models[0],
        "models": models,
        "terms": terms,
        "purpose": doc["purpose"],
        "benefits": benefits,
        "data": data_section,
        "ip": doc["ip"],
        "draft": spec.draft,
        "additional_terms": list(doc["clauses"]["additional_terms"]),
    }


# -- rendering and numbering -----------------------------------------------------


def _render_part(
    renderer: TextRenderer, clause: Clause, position: Position | None, context: dict
) -> list[Block]:
    name = f"{clause.path.parent.name}/{clause.path.name}"
    if clause.variables:
        _, problems = schemas.validate(
            context, clause.variables, allow_unknown=True, normalize=False
        )
        if problems:
            raise LibraryError(
                name,
                [
                    Problem(p.path, f"the text needs {p.path}: {p.message}", hint=p.hint)
                    for p in problems
                ],
            )
    source = position.text if position else clause.text
    label = f"{name} (position {position.id})" if position else name
    return renderer.render(source, context, label)


def _number_items(part: RenderedClause, references: dict) -> None:
    """Give each numbered paragraph its number and register labelled items."""
    counters = [0, 0, 0, 0]
    schedule = part.clause.is_schedule
    for block in part.blocks:
        if not isinstance(block, Paragraph) or not block.numbered:
            continue
        level = block.level
        counters[level] += 1
        for deeper in range(level + 1, 4):
            counters[deeper] = 0
        first = "" if schedule else f"{part.number}."
        number = f"{first}{counters[1]}"
        if schedule and level >= 2:
            number += f".{counters[2]}"
        if not schedule and level >= 2:
            number += f"({chr(ord('a') + counters[2] - 1)})"
        if level == 3:
            index = counters[3] - 1
            roman = _ROMAN[index] if index < len(_ROMAN) else str(counters[3])
            number += f"({roman})" if not schedule else f"({chr(ord('a') + index)})"
        block.number = number
        if block.label:
            key = f"{part.id}.{block.label}"
            if key in references:
                raise RenderError(f"{part.id}: label '{block.label}' is used twice")
            references[key] = (bookmark_name(key), number)


def _used_terms(library_terms: dict[str, tuple[str, Clause]], texts: list[str]) -> set[str]:
    """Return the defined terms a contract uses, following definitions that use others."""
    corpus = "\n".join(texts)
    used: set[str] = set()
    queue = [term for term in library_terms if uses_term(corpus, term)]
    while queue:
        term = queue.pop()
        if term in used:
            continue
        used.add(term)
        meaning = library_terms[term][0]
        queue += [
            other
            for other in library_terms
            if other not in used and other != term and uses_term(meaning, other)
        ]
    return used


def uses_term(text: str, term: str) -> bool:
    """Whether a text uses a defined term."""
    # Finding the literal first is far faster than a regex search that opens with a
    # lookbehind; the pattern then checks the word boundaries at each hit.
    pattern = term_pattern(term)
    stem = term[:-1]
    index = text.find(stem)
    while index != -1:
        if pattern.match(text, index):
            return True
        index = text.find(stem, index + 1)
    return False


@functools.lru_cache(maxsize=4096)
def term_pattern(term: str) -> re.Pattern:
    """Return the pattern that finds a defined term (and its plural) in text."""
    forms = [re.escape(term) + "s?"]
    if term.endswith("y"):
        forms.append(re.escape(term[:-1]) + "ies")
    # A capitalised word straight after belongs to a longer name ("Partner Group",
    # "Baseline Personnel Security Standard"), not to this term.
    return re.compile(r"(?<![\w-])(?:" + "|".join(forms) + r")(?![\w-])(?! [A-Z][a-z])")


def assemble_contract(spec: DealSpec, library: Library) -> Contract:
    """Choose, render and number every clause of a deal's contract (no Word yet)."""
    guarantee = check_library_guarantee(library)
    if guarantee:
        raise GuaranteeError(str(library.root), guarantee)
    clauses, problems = select_clauses(spec, library)
    if problems:
        raise SpecError(spec.source, problems)
    coverage = coverage_problems(clauses, "assembled clause set")
    if coverage:
        raise GuaranteeError(str(library.root), coverage)

    context = build_context(spec, library)
    renderer = TextRenderer()
    positions = spec.data["clauses"]["positions"]
    parts: list[RenderedClause] = []
    clause_number = schedule_number = 0
    for clause in clauses:
        position = clause.position(positions.get(clause.id))
        if clause.is_schedule:
            schedule_number += 1
            number = schedule_number
        else:
            clause_number += 1
            number = clause_number
        blocks = _render_part(renderer, clause, position, context)
        if clause.id == VALUE_SCHEDULE_ID:
            blocks += _value_schedule_blocks(renderer, spec, library, context)
        parts.append(
            RenderedClause(
                clause, position, number, blocks, mandatory=clause.id in principles.MANDATORY_IDS
            )
        )

    references: dict[str, tuple[str, str]] = {}
    for part in parts:
        references[part.id] = (part.bookmark, part.display_number)
        _number_items(part, references)

    undefined: list[str] = []
    _add_definitions(renderer, parts, context, library, undefined)
    contract = Contract(
        spec=spec,
        library=library,
        context=context,
        clauses=[p for p in parts if not p.clause.is_schedule],
        schedules=[p for p in parts if p.clause.is_schedule],
        references=references,
        undefined_terms=undefined,
    )
    _resolve(contract)
    failures = content_guarantee(contract)
    if failures:
        raise GuaranteeError(spec.source, failures)
    return contract


def _value_schedule_blocks(
    renderer: TextRenderer, spec: DealSpec, library: Library, context: dict
) -> list[Block]:
    blocks: list[Block] = []
    for index, model_id in enumerate(spec.model_ids, start=1):
        model = library.model(model_id)
        heading = f"Part {index}: {model.name}" if len(spec.model_ids) > 1 else model.name
        blocks.append(Paragraph(0, False, [Text(heading, bold=True)]))
        blocks += renderer.render(model.schedule, context, f"partnership_models/{model_id}.yaml")
    return blocks


def _add_definitions(
    renderer: TextRenderer,
    parts: list[RenderedClause],
    context: dict,
    library: Library,
    undefined: list[str],
) -> None:
    """Append to the definitions clause the defined terms the contract uses.

    Terms the library defines only in clauses this contract lacks, yet which the
    contract uses, are added to ``undefined`` for lint to report.
    """
    definitions = next((p for p in parts if p.id == DEFINITIONS_ID), None)
    if definitions is None:
        return
    library_terms = {
        term: (meaning, part.clause)
        for part in parts
        for term, meaning in part.clause.defines.items()
    }
    texts = [" ".join(part.text_lines()) for part in parts if part is not definitions]
    used = _used_terms(library_terms, texts)
    corpus = "\n".join(texts)
    undefined.extend(
        sorted(
            term
            for term in library.terms()
            if term not in library_terms and uses_term(corpus, term)
        )
    )
    ordered = sorted(used, key=str.casefold)
    for index, term in enumerate(ordered):
        meaning, owner = library_terms[term]
        segments = renderer.render_inline(meaning, context, f"{owner.id}: defines.{term}")
        # Definitions run as one list: each ends with a semicolon, the last with a full stop.
        ending = "." if index == len(ordered) - 1 else ";"
        last = segments[-1] if segments else None
        if isinstance(last, Text):
            segments[-1] = Text(last.text.rstrip(" .;,") + ending, last.bold)
        else:
            segments.append(Text(ending))
        definitions.blocks.append(
            Paragraph(1, False, [Text("“"), Text(term, bold=True), Text("” ")] + segments)
        )


def _resolve(contract: Contract) -> None:
    """Fill in every cross-reference's number, refusing references to absent clauses."""
    problems = []
    for part in contract.parts:
        for block in part.blocks:
            rows = block.rows if isinstance(block, Table) else [[block.segments]]
            for row in rows:
                for cell in row:
                    for index, segment in enumerate(cell):
                        if isinstance(segment, OpenItem) and segment not in contract.open_items:
                            contract.open_items.append(segment)
                        if not isinstance(segment, CrossRef):
                            continue
                        target = contract.references.get(segment.key)
                        if target is None:
                            problems.append(
                                Problem(
                                    f"{part.clause.path.parent.name}/{part.clause.path.name}",
                                    f"refers to '{segment.key}', which is not in this contract",
                                    hint="Add it to `requires`, or refer only to clauses "
                                    "in every contract.",
                                )
                            )
                            continue
                        cell[index] = ResolvedRef(segment.key, target[0], target[1])
    if problems:
        raise LibraryError(str(contract.library.root), problems)


@dataclass(frozen=True)
class ResolvedRef:
    """A cross-reference whose bookmark and number are known."""

    key: str
    bookmark: str
    display: str


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
