"""Checking a returned contract against what was issued: `nhs-contracts check`.

What was issued is found, in order of authority, from ``--against`` (the issued
.docx), ``--spec`` (the issued deal spec) or the register of issued contracts, never
from the returned file's own manifest alone. The contract is re-assembled from the
issued deal spec and rendered (the output is byte-reproducible), and the returned
document is compared with it:

1. clause by clause, word by word (``body``), mandatory clauses first;
2. as a reader sees it (``seen``): every story (headers, footers, notes, comments, text
   boxes), formatting that hides or alters text, numbering, field results, and parts
   Word would fill in on opening;
3. its manifest against the issued record (``issued``).

Every deviation is classified (``classify``): mandatory, approved position,
non-standard or cosmetic. Editors' habits (runs split, rsids, proofing marks, extra
bookmarks, renamed styles, a LibreOffice or Word re-save) are not deviations.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.check.issued import Issued, find_issued
from toolkit.check.metadata import check_manifest_metadata
from toolkit.check.report import (
    ADDED,
    DEVIATION,
    MANDATORY,
    MANIFEST,
    SEEN,
    Change,
    ChangeKind,
    CheckReport,
    Classification,
    Finding,
    Section,
)
from toolkit.docx.reader import read_contract, read_manifest
from toolkit.lazy import lazy_names
from toolkit.library import Library

if TYPE_CHECKING:
    from toolkit.check.rendering import IssuedRendering

# Imported when first used: the comparison machinery (re-assembly, rendering, word
# diffs) is not needed to find that a file is byte for byte what was issued.
_LAZY = {
    "compare_lines": "toolkit.check.diff",
    "word_diff": "toolkit.check.diff",
    "normalise_title": "toolkit.check.layout",
}


__getattr__ = lazy_names(__name__, _LAZY)


__all__ = [
    "ADDED",
    "DEVIATION",
    "MANDATORY",
    "MANIFEST",
    "SEEN",
    "Change",
    "ChangeKind",
    "CheckReport",
    "Classification",
    "Finding",
    "Section",
    "check_contract",
    "compare_lines",
    "normalise_title",
    "word_diff",
]


def check_contract(
    path: str | Path,
    library: Library | None = None,
    *,
    against: str | Path | None = None,
    spec: str | Path | None = None,
    register: str | Path | None = None,
    use_register: bool = True,
    accept_positions: bool = False,
) -> CheckReport:
    """Check a returned contract .docx against what was issued; never raises for its content.

    With ``accept_positions``, a deviation that matches an approved position of its
    clause is accepted: listed, but not a problem.

    Raises ContractReadError only when the file is missing, not a .docx, or refused as
    too large; a deal spec given with ``spec`` raises its own validation errors.
    """
    from toolkit.library import load_library

    library = library or load_library()
    path = Path(path)
    # The manifest first: a file that is byte for byte what was issued needs no more.
    head = read_manifest(path)
    report = CheckReport(
        path=str(path),
        has_manifest=head.manifest is not None,
        library_name=library.name,
        library_version=library.version,
        accept_positions=accept_positions,
    )
    if head.manifest is None:
        from toolkit.check.fallback import check_without_manifest

        document = read_contract(path)

        if len(document.manifest_parts) > 1:
            report.add(
                MANDATORY,
                f"{document.manifest_error}: a contract carries one manifest; more than one "
                "means the file was altered to mislead the check, so it cannot be signed",
                label="manifest",
            )
        check_without_manifest(document, library, report)
        _classify(report, None, None)
        return report
    manifest = head.manifest
    report.reference = manifest.get("agreement_reference")
    recorded = manifest.get("library")
    if isinstance(recorded, dict):
        report.manifest_library_version = str(recorded.get("version"))
    if not isinstance(report.reference, str):
        report.reference = None
    issued = find_issued(
        path,
        head,
        library,
        against=against,
        spec=spec,
        register=register,
        use_register=use_register,
    )
    report.basis, report.basis_detail = issued.basis, issued.detail
    report.issued_spec = issued.spec if issued.basis != "self" else None
    if issued.unmatched:
        report.add(
            MANDATORY,
            "the deal spec in the document's manifest matches nothing that was issued; "
            "it differs from the issued record in: " + "; ".join(issued.differences),
            label="manifest",
            changes=[Change(ChangeKind.PROBLEM, "deal spec", d) for d in issued.differences],
        )
    check_manifest_metadata(manifest, library, report)
    if _unchanged_since_issue(issued, library, report):
        entries = manifest.get("clauses")
        report.clauses_checked = len(entries) if isinstance(entries, list) else 0
        _classify(report, None, library)
        return report
    from toolkit.check.body import check_against_contract, reassemble
    from toolkit.check.fallback import check_against_manifest_only

    document = read_contract(path, manifest=head)
    contract = reassemble(manifest, library, report, str(path), issued.spec, issued.draft)
    if contract is None:
        check_against_manifest_only(document, manifest, report)
        _classify(report, None, library)
        return report
    from toolkit.check.rendering import issued_rendering

    rendering = issued_rendering(contract, manifest, report, issued.docx)
    check_against_contract(
        document, manifest, contract, report, rendering.layout if rendering else None
    )
    if rendering is not None:
        from toolkit.check.seen import compare_seen

        compare_seen(rendering.seen, path, contract, report)
    if document.tracked_changes:
        _check_rejected(path, manifest, contract, report, rendering)
    _classify(report, contract, library)
    return report


def _unchanged_since_issue(issued: Issued, library: Library, report: CheckReport) -> bool:
    """Whether the file is, byte for byte, what the register records as issued, written
    with this very library and toolkit: then re-assembling and rendering it would give
    these same bytes (the output is byte-reproducible), and there is nothing to compare.
    """
    from toolkit import __version__

    if issued.same_bytes_as is None or issued.unmatched or report.findings:
        return False
    return issued.same_bytes_as == (library.content_hash, __version__)


def _check_rejected(
    path: Path, manifest: dict, contract, report: CheckReport, rendering: IssuedRendering | None
) -> None:
    """Check the document again as if every tracked change were rejected; add what is new.

    A tracked change is only a proposal: whichever way the other side (or Word) resolves
    it, the result must be what was issued, so both readings are checked.
    """
    from toolkit.check.body import check_against_contract

    scratch = CheckReport(
        path=report.path,
        has_manifest=True,
        library_name=report.library_name,
        library_version=report.library_version,
    )
    check_against_contract(
        read_contract(path, rejected=True),
        manifest,
        contract,
        scratch,
        rendering.layout if rendering else None,
    )
    if rendering is not None:
        from toolkit.check.seen import compare_seen

        compare_seen(rendering.seen, path, contract, scratch, rejected=True)
    known = {(f.kind, f.clause, f.message) for f in report.findings}
    for finding in scratch.findings:
        if (finding.kind, finding.clause, finding.message) in known:
            continue
        if not finding.message.endswith("rejected)"):
            finding.message += " (with the tracked changes rejected)"
        report.findings.append(finding)
    report.notes = [
        note.replace(
            "as if all were accepted", "as if all were accepted and as if all were rejected"
        )
        for note in report.notes
    ]


def _classify(report: CheckReport, contract, library: Library | None) -> None:
    from toolkit.check.classify import classify_findings

    classify_findings(report, contract, library)
