"""Classifying each deviation: mandatory, approved position, non-standard or cosmetic."""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

from toolkit.check.report import CheckReport, Classification, Finding, Section
from toolkit.principles import MANDATORY_IDS

if TYPE_CHECKING:  # only for annotations: a clean check never loads the assembler
    from toolkit.contract.model import Contract
    from toolkit.library import Library

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-"})


def retyped_form(text: str) -> str:
    """Return text as compared when recognising a position: quotes, spacing and case ignored."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    return re.sub(r"\s+", " ", text).strip().casefold()


def classify_findings(
    report: CheckReport, contract: Contract | None, library: Library | None
) -> None:
    """Give every finding its classification (findings already classified keep theirs)."""
    from toolkit.check.screen import prohibited_wording

    for finding in report.findings:
        part = contract.part(finding.clause) if contract is not None and finding.clause else None
        if part is not None:  # every finding about a clause names its number and title
            finding.number = finding.number or part.display_number
            finding.title = finding.title or part.clause.title
        if finding.classification is None:
            finding.classification = _classify(finding, contract, library)
        if finding.classification in (Classification.APPROVED_POSITION, Classification.COSMETIC):
            continue  # an approved position is library wording; cosmetic adds no words
        forbidden = prohibited_wording(finding)
        if not forbidden:
            continue
        # Added wording a principle forbids: the contract cannot be signed.
        finding.classification = Classification.MANDATORY
        finding.prohibited = forbidden
        finding.principle = finding.principle or forbidden[0]["principle"]


def _classify(
    finding: Finding, contract: Contract | None, library: Library | None
) -> Classification:
    if finding.kind is Section.MANDATORY or (finding.clause in MANDATORY_IDS):
        return Classification.MANDATORY
    if finding.kind is Section.MANIFEST:
        return Classification.NON_STANDARD
    if contract is not None and finding.clause and finding.kind is Section.DEVIATION:
        position = match_position(finding, contract)
        if position is not None:
            finding.position = position
            return Classification.APPROVED_POSITION
    return Classification.NON_STANDARD


def match_position(finding: Finding, contract: Contract) -> dict | None:
    """Return the approved position whose wording the returned clause has, if any.

    Each position is rendered by assembling the issued deal spec with that position
    chosen, so a position written either as whole text or as overrides of labelled
    sub-clauses is recognised the same way.
    """
    part = contract.part(finding.clause or "")
    if part is None or not finding.returned:
        return None
    from toolkit.check.rendering import position_lines

    found = [retyped_form(line) for line in finding.returned if line.strip()]
    for position in (
        getattr(part.clause, "positions", {}).values()
        if isinstance(getattr(part.clause, "positions", None), dict)
        else getattr(part.clause, "positions", ()) or ()
    ):
        rendered = position_lines(contract, part.id, position.id)
        if rendered is not None and [retyped_form(x) for x in rendered if x.strip()] == found:
            return {"id": position.id, "title": position.title, "guidance": position.note}
    return None
