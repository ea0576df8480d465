"""The clause-by-clause check of a body against the contract re-assembled as issued."""

from __future__ import annotations

import difflib

from toolkit.check.diff import compare_lines
from toolkit.check.fallback import entry_known, manifest_entries
from toolkit.check.layout import Known, Layout, cut_layout
from toolkit.check.lines import (
    Line,
    align_fields,
    block_lines,
    expected_lines,
    hash_lines,
    label_of,
    where_of,
)
from toolkit.check.report import (
    ADDED,
    DEVIATION,
    MANDATORY,
    MANIFEST,
    Change,
    CheckReport,
    Finding,
)
from toolkit.contract.model import Contract, RenderedClause
from toolkit.docx.reader import ContractDocument, ReadBlock
from toolkit.exceptions import ProblemsError, RenderError
from toolkit.library import Library
from toolkit.principles import MANDATORY_CLAUSES, MANDATORY_IDS, MandatoryClause


def reassemble(
    manifest: dict,
    library: Library,
    report: CheckReport,
    source: str,
    issued_spec: dict | None = None,
    issued_draft: bool | None = None,
) -> Contract | None:
    """Re-assemble the contract as issued (else from the manifest's deal spec); None if not."""
    from toolkit.check.rendering import issued_contract

    raw = issued_spec if issued_spec is not None else manifest.get("spec")
    draft = issued_draft if issued_draft is not None else bool(manifest.get("draft"))
    if not isinstance(raw, dict):
        report.add(MANIFEST, "the manifest holds no deal spec; the approved text cannot be rebuilt")
        return None
    try:
        contract = issued_contract(raw, draft, library, f"{source} (manifest deal spec)")
    except ProblemsError as exc:
        finding = report.add(
            MANIFEST,
            "the deal spec in the manifest cannot be re-assembled with this library, so "
            "the approved text cannot be rebuilt; clauses are compared with the manifest's "
            "hashes only",
        )
        finding.changes = [Change("problem", p.path or "spec", p.describe()) for p in exc.problems]
        return None
    except RenderError as exc:
        report.add(MANIFEST, f"the approved text cannot be rebuilt: {exc}")
        return None
    spec = contract.spec
    if issued_spec is None and spec.sha256() != manifest.get("spec_sha256"):
        report.add(
            MANIFEST,
            "the deal spec in the manifest does not match the hash recorded with it "
            "(spec_sha256): the manifest has been edited",
        )
    if issued_spec is None and manifest.get("agreement_reference") != spec.reference:
        report.add(
            MANIFEST,
            f"the manifest's agreement reference '{manifest.get('agreement_reference')}' "
            f"differs from its deal spec's '{spec.reference}'",
        )
    return contract


def check_against_contract(
    document: ContractDocument,
    manifest: dict,
    contract: Contract,
    report: CheckReport,
    expected_rendering: Layout | None,
) -> None:
    """Compare the body clause by clause with the contract as issued (and, given the
    issued rendering's layout, its front matter and execution page)."""
    entries = {entry["id"]: entry for entry in manifest_entries(manifest)}
    parts = contract.parts
    report.clauses_checked = len(parts)
    _compare_clause_lists(entries, contract, report)

    known = [Known(p.id, p.bookmark, p.clause.title, label_of(p)) for p in parts]
    extra = [entry_known(entry) for key, entry in entries.items() if contract.part(key) is None]
    marks = {p.bookmark for p in parts} | {mark for mark, _ in contract.references.values()}
    layout = cut_layout(document.blocks, known + extra, marks | {k.bookmark for k in extra})
    if layout.found_by_title:
        labels = [k.label for k in known + extra if k.key in layout.found_by_title]
        report.notes.append(
            f"{len(labels)} heading(s) have lost their hidden bookmark and were found by "
            "their titles (cross-references to them will not update): " + "; ".join(labels)
        )

    status: dict[str, str] = {}
    approved: dict[str, str] = {}  # approved paragraph text -> where it belongs
    for part in parts:
        for line in expected_lines(part):
            approved.setdefault(line.text, line.where)
    if document.tracked_changes:
        report.notes.append(
            "the document holds tracked changes; it was checked as if all were accepted"
        )
    if expected_rendering is not None:
        _compare_section(
            "front matter (cover, key details, parties)",
            expected_rendering.front,
            layout.front,
            report,
        )
    for part in parts:
        entry = entries.get(part.id)
        status[part.id] = _check_part(part, layout.parts.get(part.id), entry, approved, report)
    _report_order(layout, contract, report)
    for heading, body, after in layout.added:
        previous = contract.part(after) if after else None
        where = f"after {label_of(previous)}" if previous else "in the clauses"
        report.add(
            ADDED,
            f"new clause \u201c{heading.text}\u201d {where} is not in the manifest "
            "and not from the library",
            label="",
            changes=[
                Change("added", "new clause", "{+" + line.text + "+}", None, line.text)
                for line in block_lines([heading, *body])
            ],
        )
    for item in extra:
        if item.key in layout.parts:
            found_lines = block_lines(layout.parts[item.key])
            if hash_lines(found_lines) != entries[item.key].get("text_sha256"):
                report.add(
                    DEVIATION,
                    "differs from the text recorded in the manifest (the library no longer "
                    "puts this clause in the contract, so there is no approved text to show)",
                    clause=item.key,
                    label=item.label,
                )
    if expected_rendering is not None:
        _compare_section("execution page", expected_rendering.execution, layout.execution, report)
    _mandatory_findings(contract, status, report)


def _check_part(
    part: RenderedClause,
    found: list[ReadBlock] | None,
    entry: dict | None,
    approved: dict[str, str],
    report: CheckReport,
) -> str:
    """Compare one clause of the document with its approved text: "ok", "missing" or "altered"."""
    mandatory = part.id in MANDATORY_IDS
    label = label_of(part)
    if found is None:
        if not mandatory:  # a missing mandatory clause is reported first, on its own
            report.add(DEVIATION, "is missing from the document", clause=part.id, label=label)
        return "missing"
    expected = expected_lines(part)
    actual = align_fields(expected, block_lines(found))
    recorded = entry.get("text_sha256") if entry else None
    then = entry.get("version") if entry else part.clause.version
    now = part.clause.version
    if [line.text for line in actual] == [line.text for line in expected]:
        if entry is not None and recorded != part.text_hash():
            report.add(
                MANIFEST,
                "the manifest's text hash matches neither the document nor the approved "
                "text: the manifest has been edited",
                clause=part.id,
                label=label,
            )
        elif then != now:
            report.add(
                MANIFEST,
                f"the manifest records clause version {then}; the library's approved "
                f"version is {now} (the text is the same)",
                clause=part.id,
                label=label,
            )
        return "ok"
    changes = compare_lines(expected, actual, f"start of {where_of(part)}")
    if entry is not None and recorded != part.text_hash() and hash_lines(actual) == recorded:
        # The document holds what was assembled; the approved text is now different.
        versions = f" (clause version {then} then, {now} now)" if then != now else ""
        report.add(
            MANIFEST,
            "the document holds the text recorded in the manifest, but re-assembling the "
            f"manifest's deal spec with this library gives different text{versions}",
            clause=part.id,
            label=label,
            changes=changes,
        )
        return "ok"
    version = now if then == now else f"{now}; the manifest records version {then}"
    report.add(
        DEVIATION,
        f"differs from the approved text (version {version})",
        clause=part.id,
        label=label,
        changes=changes,
        returned=[line.text for line in actual],
    )
    for change in changes:
        if change.kind != "added":
            continue
        origin = approved.get(change.found or "")
        if origin:  # approved text, only out of its place
            change.where += f" (approved text of {origin})"
            continue
        report.add(
            ADDED,
            f"added paragraph not from the library ({change.where}): \u201c{change.found}\u201d",
            clause=part.id,
            label=label,
            changes=[change],
        )
    return "altered"


def _compare_section(
    name: str, expected_blocks: list[ReadBlock], actual_blocks: list[ReadBlock], report: CheckReport
) -> None:
    expected = [Line(line.text, line.masked, name) for line in block_lines(expected_blocks)]
    actual = align_fields(expected, block_lines(actual_blocks))
    if [line.text for line in actual] == [line.text for line in expected]:
        return
    changes = compare_lines(expected, actual, name)
    report.add(
        DEVIATION, "differs from what the toolkit writes", label=name.capitalize(), changes=changes
    )
    for change in changes:
        if change.kind == "added":
            report.add(
                ADDED,
                f"added paragraph not from the toolkit: \u201c{change.found}\u201d",
                label=name.capitalize(),
                changes=[change],
            )


def _compare_clause_lists(
    entries: dict[str, dict], contract: Contract, report: CheckReport
) -> None:
    """Report where the manifest's clause list differs from the re-assembled contract."""
    ids = [part.id for part in contract.parts]
    for key, entry in entries.items():
        if key not in ids:
            report.add(
                MANIFEST,
                f"lists clause '{key}' ({entry.get('title', '')}), which re-assembling its "
                "deal spec with this library does not give",
                label="manifest",
            )
    for part in contract.parts:
        entry = entries.get(part.id)
        if entry is None:
            report.add(
                MANIFEST,
                "is in the contract re-assembled from the manifest's deal spec, but the "
                "manifest does not list it",
                clause=part.id,
                label=label_of(part),
            )
            continue
        position = part.position.id if part.position else None
        if entry.get("position") != position:
            report.add(
                MANIFEST,
                f"the manifest records position {entry.get('position')!r}; re-assembly gives "
                f"{position!r}",
                clause=part.id,
                label=label_of(part),
            )
        if entry.get("bookmark") != part.bookmark or entry.get("number") != part.display_number:
            report.add(
                MANIFEST,
                "the manifest's number or bookmark for this clause does not match re-assembly",
                clause=part.id,
                label=label_of(part),
            )
    listed = [key for key in entries if key in ids]
    if listed != [key for key in ids if key in entries]:
        report.add(
            MANIFEST, "the manifest lists the clauses in a different order", label="manifest"
        )


def _report_order(layout: Layout, contract: Contract, report: CheckReport) -> None:
    parts = contract.parts
    expected = [part.id for part in parts if part.id in layout.parts]
    found = [key for key in layout.order if key in expected]
    if found == expected:
        return
    matcher = difflib.SequenceMatcher(None, expected, found, autojunk=False)
    kept = {
        key
        for tag, i1, i2, _, _ in matcher.get_opcodes()
        if tag == "equal"
        for key in expected[i1:i2]
    }
    for index, key in enumerate(found):
        if key in kept:
            continue
        part = contract.part(key)
        before = found[index - 1] if index else None
        after = f"now follows {label_of(contract.part(before))}" if before else ("now comes first")
        report.add(
            DEVIATION,
            f"has been moved: it {after}",
            clause=key,
            label=label_of(part),
        )


def _mandatory_findings(contract: Contract, status: dict[str, str], report: CheckReport) -> None:
    findings = []
    for mandatory in MANDATORY_CLAUSES:
        part = contract.part(mandatory.id)
        state = status.get(mandatory.id)
        if part is None or state in (None, "ok"):
            continue
        if state == "missing":
            message = f"the mandatory {mandatory.role} clause is missing"
        else:
            message = f"the mandatory {mandatory.role} clause has been altered"
            deviation = next((f for f in report.of(DEVIATION) if f.clause == mandatory.id), None)
            if deviation and _drops_required_words(mandatory, deviation):
                message += f" and no longer says \u2018{mandatory.must_contain}\u2019"
        findings.append(
            Finding(MANDATORY, message, mandatory.id, label_of(part), mandatory.principle)
        )
    # Mandatory findings come first.
    report.findings[:0] = findings


def _drops_required_words(mandatory: MandatoryClause, deviation: Finding) -> bool:
    if not mandatory.must_contain:
        return False
    expected = " ".join(c.expected or "" for c in deviation.changes).lower()
    found = " ".join(c.found or "" for c in deviation.changes).lower()
    word = mandatory.must_contain
    return expected.count(word) > found.count(word)
