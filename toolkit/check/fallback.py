"""Checking a contract whose approved text cannot be rebuilt: by manifest hashes or headings."""

from __future__ import annotations

from toolkit.check.layout import Known, cut_layout, is_heading_style, normalise_title
from toolkit.check.lines import block_lines, hash_lines
from toolkit.check.report import (
    ADDED,
    DEVIATION,
    MANDATORY,
    MANIFEST,
    Change,
    ChangeKind,
    CheckReport,
    Finding,
    count_of,
)
from toolkit.docx.conventions import HEADING_STYLES, bookmark_name
from toolkit.docx.reader import ContractDocument
from toolkit.library import Library
from toolkit.principles import MANDATORY_CLAUSES


def manifest_entries(manifest: dict) -> list[dict]:
    """Return the manifest's clause entries that name an id, whatever else an editor left."""
    entries = manifest.get("clauses")
    if not isinstance(entries, list):
        return []
    return [
        entry for entry in entries if isinstance(entry, dict) and isinstance(entry.get("id"), str)
    ]


def check_against_manifest_only(
    document: ContractDocument, manifest: dict, report: CheckReport
) -> None:
    """Compare each clause's text with the hash the manifest records (no approved text)."""
    entries = manifest_entries(manifest)
    report.clauses_checked = len(entries)
    known = [entry_known(e) for e in entries]

    # Item bookmarks are not in the manifest: only a heading style marks a new clause.
    layout = cut_layout(document.blocks, known, None)
    by_id = {e["id"]: e for e in entries}
    for heading, body, _ in layout.added:
        report.add(
            ADDED,
            f"new clause \u201c{heading.text}\u201d is not in the manifest",
            changes=[
                Change(ChangeKind.ADDED, "new clause", "{+" + line.text + "+}", None, line.text)
                for line in block_lines([heading, *body])
            ],
        )
    mandatory = {m.id: m for m in MANDATORY_CLAUSES}
    for item in known:
        segment = layout.parts.get(item.key)
        m = mandatory.get(item.key)
        if segment is None:
            if m:
                report.add(
                    MANDATORY,
                    f"the mandatory {m.role} clause is missing",
                    clause=item.key,
                    label=item.label,
                    principle=m.principle,
                )
            else:
                report.add(
                    DEVIATION, "is missing from the document", clause=item.key, label=item.label
                )
            continue
        if hash_lines(block_lines(segment)) != by_id[item.key].get("text_sha256"):
            if m:
                report.add(
                    MANDATORY,
                    f"the mandatory {m.role} clause has been altered",
                    clause=item.key,
                    label=item.label,
                    principle=m.principle,
                )
            report.add(
                DEVIATION,
                "differs from the text recorded in the manifest",
                clause=item.key,
                label=item.label,
            )
    for m in MANDATORY_CLAUSES:
        if m.id not in by_id:
            report.add(
                MANDATORY,
                f"the mandatory {m.role} clause is not in the manifest",
                clause=m.id,
                principle=m.principle,
            )
    report.findings.sort(key=lambda f: f.kind != MANDATORY)


def entry_known(entry: dict) -> Known:
    """Return what the manifest says of a clause, whatever types an editor left in it."""
    number = str(entry.get("number", "?"))
    where = number if number.startswith("Schedule") else f"clause {number}"
    title = str(entry.get("title") or entry["id"])
    return Known(str(entry["id"]), str(entry.get("bookmark", "")), title, f"{where} ({title})")


def check_without_manifest(
    document: ContractDocument, library: Library, report: CheckReport
) -> None:
    """Best effort: find the library's clauses by heading and report mandatory ones absent."""
    if document.manifest_error:
        report.add(MANIFEST, f"the manifest is damaged: {document.manifest_error}")
    report.add(
        MANIFEST,
        "the document carries no nhs-contracts manifest, so its text cannot be compared "
        "with the approved text; was it assembled by this toolkit? Clause headings were "
        "compared with the library instead",
    )
    blocks = [block for block in document.blocks if not block.toc and block.text and not block.row]
    marks = {mark for block in blocks for mark in block.bookmarks}
    titles = {normalise_title(block.text) for block in blocks}
    found = []
    for clause in library.clauses.values():
        if bookmark_name(clause.id) in marks or normalise_title(clause.title) in titles:
            found.append(clause.id)
    report.clauses_checked = len(found)
    report.notes.append(
        f"{count_of(len(found), 'clause heading')} of the library found by title or bookmark"
    )
    missing = []
    for mandatory in MANDATORY_CLAUSES:
        clause = library.clause(mandatory.id)
        title = clause.title if clause else mandatory.id
        if mandatory.id not in found:
            missing.append(
                Finding(
                    MANDATORY,
                    f"no heading of the mandatory {mandatory.role} clause "
                    f"(\u201c{title}\u201d) was found",
                    mandatory.id,
                    "",
                    mandatory.principle,
                )
            )
    library_titles = {normalise_title(c.title) for c in library.clauses.values()}
    for block in blocks:
        if is_heading_style(block.style, HEADING_STYLES) and (
            normalise_title(block.text) not in library_titles
        ):
            report.add(ADDED, f"heading \u201c{block.text}\u201d matches no clause of the library")
    report.findings[:0] = missing
