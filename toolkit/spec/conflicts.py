"""Additional terms that collide with a standard clause of the contract, found at validation.

The additional-terms clause says the standard clauses prevail, so a colliding term would
be signed and then have no effect. Instead each collision is reported with the clause it
collides with, so the lawyer can choose an approved position or reword the term.

A term collides with a clause when it is about that clause's subject and either says it
overrides something ("notwithstanding", "instead of", "shall not apply") or states its
own figure (a period, sum or percentage) that the clause does not state.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from toolkit.exceptions import Problem
from toolkit.library.consistency import FIGURE, figures, normalise_figure


@dataclass(frozen=True)
class Subject:
    """What a standard clause governs, as an additional term would name it."""

    clause_id: str
    name: str
    pattern: re.Pattern


def _subject(clause_id: str, name: str, words: str) -> Subject:
    return Subject(clause_id, name, re.compile(words, re.I))


SUBJECTS = (
    _subject(
        "liability",
        "limitation of liability",
        r"\bliab(?:le|ility)\b.*\b(?:cap|capped|limit(?:ed)?|exceed|aggregate)\b|\bcap on liabilit",
    ),
    _subject("indemnities", "indemnities", r"\bindemnif|\bindemnit"),
    _subject("insurance", "insurance", r"\binsurance\b|\binsured\b|\bcover of\b"),
    _subject(
        "publication",
        "publication",
        r"\bpublic(?:ation|ations|ise|ish)\b.*\b(?:delay|review|days?|months?|approv)",
    ),
    _subject("termination", "termination", r"\bterminat(?:e|ion)\b.*\b(?:notice|days?|months?)\b"),
    _subject("audit", "audit", r"\baudit"),
    _subject(
        "payment_terms", "payment", r"\b(?:invoice|pay(?:able|ment)?)\b.*\b(?:within|days?)\b"
    ),
    _subject("value_royalty", "the royalty", r"\broyalt"),
    _subject(
        "intellectual_property",
        "intellectual property",
        r"\b(?:foreground ip|background ip|intellectual property"
        r"|licen[cs]e to the (?:outputs|foreground))",
    ),
    _subject(
        "retention_and_destruction",
        "retention and destruction",
        r"\b(?:retain|retention|destroy|destruction|delete)\b.*\b(?:days?|months?|years?)\b",
    ),
    _subject(
        "exit_and_destruction", "exit", r"\bon (?:exit|termination)\b.*\b(?:return|destroy|deliver)"
    ),
    _subject(
        "model_governance",
        "models trained on the Data",
        r"\b(?:model weights|trained models?|the models?)\b.*\b(?:keep|retain|delete|own)",
    ),
)
_OVERRIDE = re.compile(
    r"\b(?:notwithstanding|instead of|in place of|in substitution for"
    r"|shall not apply|does not apply"
    r"|disappl\w*|supersed\w*|prevails?\s+over|override\w*|in derogation|by way of exception)\b",
    re.I,
)


def contract_texts(spec: dict, library) -> dict[str, str]:
    """Return the text of each clause a deal's contract will hold, with the deal's figures.

    The choice follows the contract's: clauses in every contract, the models' clauses,
    inclusions and what they require; a chosen fallback position replaces its clause.
    """
    from toolkit.spec.commercial import V1_LIABILITY_CAP_GBP, deal_clause_ids

    model_ids = [spec["partnership_model"]] + [e["model"] for e in spec["additional_models"]]
    chosen = {c.id for c in library.clauses.values() if c.in_every_contract}
    for model_id in model_ids:
        model = library.model(model_id)
        chosen.update(model.clauses if model else ())
    tailoring = spec.get("clauses", {})
    chosen.update(tailoring.get("include", []))
    chosen.update(deal_clause_ids(spec))
    pending = list(chosen)
    while pending:
        clause = library.clause(pending.pop())
        for required in clause.requires if clause else ():
            if required not in chosen:
                chosen.add(required)
                pending.append(required)
    texts = {}
    positions = tailoring.get("positions", {})
    for clause_id in chosen:
        clause = library.clause(clause_id)
        if clause is None:
            continue
        position = clause.position(positions.get(clause_id))
        texts[clause_id] = position.text if position else clause.text
    commercial = spec.get("commercial") or {}
    caps = [
        commercial.get("liability_cap_gbp", V1_LIABILITY_CAP_GBP),
        commercial.get("data_protection_cap_gbp"),
    ]
    if "liability" in texts:
        texts["liability"] += " " + " ".join(f"£{cap:,.0f}" for cap in caps if cap)
    cover = commercial.get("insurance") or {}
    if "insurance" in texts:
        texts["insurance"] += " " + " ".join(f"£{v:,.0f}" for v in cover.values() if v)
        texts["insurance"] += " " if cover else f" £{V1_LIABILITY_CAP_GBP:,.0f}"
    for model_id, terms in _model_terms(spec):
        # The model's own terms (a royalty rate, payment days) are the contract's figures too.
        for clause_id in library.model(model_id).clauses if library.model(model_id) else ():
            if clause_id in texts:
                texts[clause_id] += " " + " ".join(_term_figures(terms))
    return texts


def _model_terms(spec: dict):
    yield spec["partnership_model"], spec["model_terms"]
    for entry in spec["additional_models"]:
        yield entry["model"], entry["terms"]


def _term_figures(terms: dict):
    for key, value in terms.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            continue
        if key.endswith("_percent"):
            yield f"{value}%"
        elif key.endswith("_gbp"):
            yield f"£{value:,.0f}"
        elif key.endswith("_days"):
            yield f"{value} days"
        elif key.endswith("_months"):
            yield f"{value} months"
        elif key.endswith("_years"):
            yield f"{value} years"


def term_conflicts(spec: dict, library, clause_texts: dict[str, str]) -> list[Problem]:
    """Return a problem for each additional term that collides with a clause of the contract.

    ``clause_texts`` maps each clause id in the contract to the text it states (with the
    deal's own figures, such as its liability caps, appended).
    """
    problems = []
    for index, entry in enumerate(spec.get("clauses", {}).get("additional_terms", [])):
        text = entry if isinstance(entry, str) else (entry or {}).get("text", "")
        if not isinstance(text, str):
            continue
        for subject in SUBJECTS:
            if subject.clause_id not in clause_texts or not subject.pattern.search(text):
                continue
            clause = library.clause(subject.clause_id)
            title = clause.title if clause else subject.name
            reason = _collision(text, clause_texts[subject.clause_id])
            if reason:
                problems.append(
                    Problem(
                        f"clauses.additional_terms[{index}]",
                        f"collides with clause '{subject.clause_id}' ({title}): {reason}; "
                        "the standard clause would prevail and the term would have no effect",
                        2,
                        f"Choose an approved position of '{subject.clause_id}' under "
                        "clauses.positions (see `nhs-contracts clauses show "
                        f"{subject.clause_id}`), or reword the term so that it adds to the "
                        "clause without contradicting it.",
                    )
                )
                break
    return problems


def _collision(term: str, clause_text: str) -> str:
    override = _OVERRIDE.search(term)
    if override:
        return f"it says '{override.group(0)}'"
    stated = {normalise_figure(m.group(0)): m.group(0).strip() for m in FIGURE.finditer(term)}
    own = sorted(set(stated) - figures(clause_text))
    if own:
        return "it states " + ", ".join(stated[f] for f in own) + ", which the clause does not"
    return ""
