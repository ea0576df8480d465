"""The rows an issued contract becomes: its transparency details, read from spec and manifest.

Read defensively (``.get``), so that a spec of any supported version is recorded;
the whole spec and manifest are kept as JSON beside these rows in any case.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from toolkit.register import IssuedContract

CONTRACT_COLUMNS = (
    "reference",
    "title",
    "partnership_model",
    "partnership_models",
    "purpose_aim",
    "effective_date",
    "term_months",
    "governing_law",
    "draft",
    "docx_sha256",
    "spec_sha256",
    "toolkit_version",
    "library_version",
    "library_hash",
    "issued_at",
    "file_name",
    "spec_json",
    "manifest_json",
)


def _mapping(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def contract_row(issued: IssuedContract, file_name: str | None) -> tuple:
    """Return the issued_contract row, in CONTRACT_COLUMNS order."""
    spec = issued.spec
    agreement = _mapping(spec.get("agreement"))
    models = [spec.get("partnership_model")] + [
        _mapping(entry).get("model") for entry in _list(spec.get("additional_models"))
    ]
    return (
        issued.reference,
        _text(agreement.get("title")),
        _text(spec.get("partnership_model")),
        _json([m for m in models if m]),
        _text(_mapping(spec.get("purpose")).get("aim")),
        _text(agreement.get("effective_date")),
        agreement.get("term_months") if isinstance(agreement.get("term_months"), int) else None,
        _text(agreement.get("governing_law")),
        int(bool(issued.draft)),
        issued.docx_sha256,
        _text(issued.manifest.get("spec_sha256")),
        issued.toolkit_version,
        issued.library_version,
        issued.library_hash,
        issued.issued_at,
        file_name,
        _json(issued.spec),
        _json(issued.manifest),
    )


def detail_rows(issued: IssuedContract) -> Iterator[tuple[str, tuple[str, ...], list[tuple]]]:
    """Yield (table, columns, rows) for the parties, benefits, clauses and approvals."""
    spec = issued.spec
    parties = [
        (
            "nhs",
            _text(party.get("name")) or "",
            _text(party.get("kind")),
            _text(party.get("ods_code")),
            int(bool(party.get("lead"))),
        )
        for party in map(_mapping, _list(spec.get("nhs_parties")))
    ]
    partner = _mapping(spec.get("partner"))
    if partner:
        parties.append(
            (
                "partner",
                _text(partner.get("name")) or "",
                _text(partner.get("kind")),
                _text(partner.get("company_number")),
                0,
            )
        )
    yield (
        "party",
        ("position", "role", "name", "kind", "identifier", "lead"),
        [(index, *row) for index, row in enumerate(parties)],
    )
    yield (
        "benefit",
        ("position", "description", "beneficiary", "measure", "target", "due_by"),
        [
            (
                index,
                _text(b.get("description")),
                _text(b.get("beneficiary")),
                _text(b.get("measure")),
                _text(b.get("target")),
                _text(b.get("by")),
            )
            for index, b in enumerate(map(_mapping, _list(spec.get("benefits"))))
        ],
    )
    clauses = {}
    for entry in map(_mapping, _list(issued.manifest.get("clauses"))):
        if entry.get("id"):
            clauses[str(entry["id"])] = (
                _text(entry.get("version")),
                _text(entry.get("position")),
                _text(entry.get("text_sha256")),
                int(bool(entry.get("mandatory"))),
                int(bool(entry.get("non_standard"))),
            )
    yield (
        "clause_use",
        ("clause_id", "version", "position_id", "text_sha256", "mandatory", "non_standard"),
        [(clause_id, *row) for clause_id, row in clauses.items()],
    )
    yield (
        "approval",
        ("position", "subject", "approved_by", "role", "approved_on", "reference"),
        [(index, *row) for index, row in enumerate(_approvals(spec))],
    )


def _approvals(spec: dict) -> list[tuple]:
    """Return (subject, by, role, date, reference) for each approved non-standard term."""
    found = []
    terms = _list(_mapping(spec.get("clauses")).get("additional_terms"))
    for index, term in enumerate(terms):
        term = _mapping(term)
        approval = _mapping(term.get("approval"))
        if approval:
            found.append(
                (
                    f"clauses.additional_terms[{index}]",
                    _text(approval.get("name") or approval.get("approved_by")),
                    _text(approval.get("role")),
                    _text(approval.get("date")),
                    _text(approval.get("reference")),
                )
            )
    return found
