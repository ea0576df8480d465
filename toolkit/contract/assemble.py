"""Assembling a contract: rendering the clauses, numbering, definitions, cross-references."""

from __future__ import annotations

import functools
import pickle

from toolkit import principles
from toolkit.contract.context import build_context
from toolkit.contract.guarantee import check_library_guarantee, content_guarantee, coverage_problems
from toolkit.contract.markup import Block, CrossRef, OpenItem, Paragraph, Table, Text, TextRenderer
from toolkit.contract.model import (
    DEFINITIONS_ID,
    VALUE_SCHEDULE_ID,
    Contract,
    RenderedClause,
    ResolvedRef,
    bookmark_name,
)
from toolkit.contract.select import select_clauses
from toolkit.exceptions import GuaranteeError, LibraryError, Problem, RenderError, SpecError
from toolkit.library import Clause, Library, Position, schemas
from toolkit.spec import DealSpec

_ROMAN = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"]


def _render_part(
    renderer: TextRenderer, clause: Clause, position: Position | None, context: dict
) -> list[Block]:
    name = f"{clause.path.parent.name}/{clause.path.name}"
    if clause.variables:
        _check_variables(clause.variables, _spoken_of(context, clause.variables), name)
    source = position.text if position else clause.text
    label = f"{name} (position {position.id})" if position else name
    return renderer.render(source, context, label)


# Variables schemas already satisfied, by the schema's id and the pickled values it
# speaks of; each entry holds its schema, so the id cannot pass to another meanwhile.
# Equal pickles are equal values of equal types (True is not 1 here, as it is to ==),
# and the verdict is a function of the values alone: most clauses speak of values
# that many contracts of a batch share.
_SATISFIED: dict[tuple[int, bytes], dict] = {}
_SATISFIED_LIMIT = 4096


def _check_variables(variables: dict, values: dict, name: str) -> None:
    """Refuse to render a clause whose text needs values the context lacks."""
    try:
        key = (id(variables), pickle.dumps(values, pickle.HIGHEST_PROTOCOL))
    except (pickle.PicklingError, TypeError, AttributeError):
        key = None
    if key is not None and _SATISFIED.get(key) is variables:
        return
    _, problems = schemas.validate(values, variables, allow_unknown=True, normalize=False)
    if problems:
        raise LibraryError(
            name,
            [
                Problem(p.path, f"the text needs {p.path}: {p.message}", hint=p.hint)
                for p in problems
            ],
        )
    if key is not None:
        if len(_SATISFIED) >= _SATISFIED_LIMIT:
            _SATISFIED.clear()
        _SATISFIED[key] = variables


def _spoken_of(context: dict, variables: dict) -> dict:
    """Return the part of the render context a clause's variables schema speaks of.

    The schema allows unknown fields, so the others cannot change its verdict, yet
    checking the whole context for every clause was a fifth of assembling a contract. A
    rule that names another field (``dependencies``, ``excludes``) gets the whole context.
    """
    if _names_other_fields(variables):
        return context
    return {key: context[key] for key in variables if key in context}


def _names_other_fields(rules: object) -> bool:
    if isinstance(rules, dict):
        return any(
            key in ("dependencies", "excludes") or _names_other_fields(value)
            for key, value in rules.items()
        )
    if isinstance(rules, list):
        return any(map(_names_other_fields, rules))
    return False


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


def _used_terms(library_terms: dict[str, tuple[str, Clause]], found: set[str]) -> set[str]:
    """Return the defined terms a contract uses, following definitions that use others.

    ``found``: the terms its texts use, outside the definitions clause.
    """
    used: set[str] = set()
    queue = [term for term in library_terms if term in found]
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


@functools.lru_cache(maxsize=1024)
def _terms_in(text: str, terms: frozenset[str]) -> frozenset[str]:
    """Return the terms one clause's text uses.

    Kept per text (the most recent thousand, a megabyte or two): most clauses read the
    same in every contract, so a batch searches each once. A term never spans two
    clauses, so what a contract uses is the union.
    """
    return frozenset(term for term in terms if uses_term(text, term))


def uses_term(text: str, term: str) -> bool:
    """Whether a text uses a defined term (or its plural) as a whole word.

    Found by plain string search with the boundaries checked by hand: a contract has
    about a hundred terms, and compiling a pattern for each cost a tenth of a run.
    """
    plural_ies = term.endswith("y")
    # Every form begins with the stem: most terms are absent, and one search says so.
    if (term[:-1] if plural_ies else term) not in text:
        return False
    forms = (term + "s", term, term[:-1] + "ies") if plural_ies else (term + "s", term)
    for form in forms:
        index = text.find(form)
        while index != -1:
            end = index + len(form)
            if _stands_alone(text, index, end):
                return True
            index = text.find(form, index + 1)
    return False


def _stands_alone(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is neither part of a longer word nor of a longer name."""
    if start > 0 and _in_word(text[start - 1]):
        return False
    if end < len(text) and _in_word(text[end]):
        return False
    # A capitalised word straight after belongs to a longer name ("Partner Group",
    # "Baseline Personnel Security Standard"), not to this term.
    after = text[end : end + 3]
    return not (
        len(after) == 3 and after[0] == " " and "A" <= after[1] <= "Z" and "a" <= after[2] <= "z"
    )


def _in_word(char: str) -> bool:
    return char.isalnum() or char in "_-"


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
    for part in parts:  # the text is final: numbers resolved, definitions added
        part.freeze_text()
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
    terms = frozenset(library_terms) | library.terms()
    texts = [" ".join(part.text_lines()) for part in parts if part is not definitions]
    found = set().union(*(_terms_in(text, terms) for text in texts))
    used = _used_terms(library_terms, found)
    undefined.extend(sorted(term for term in found if term not in library_terms))
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
