"""Checking a contract .docx against what the toolkit assembles: `nhs-contracts check`.

The approved text of a contract is obtained by re-assembling it from the deal spec
its manifest holds, with the library; the document's text, clause by clause, is then
compared with it. The report lists, in this order:

1. mandatory clauses missing or altered;
2. every clause whose text differs from the approved text, with a word-level diff;
3. text that is not from the library (new paragraphs, new clauses);
4. a manifest that no longer matches the document or the library.

Editors are allowed their habits: runs split differently, styles renamed, the table
of contents rebuilt, cross-reference numbers updated, and hidden clause bookmarks
dropped (a heading is then found by its title) do not count as deviations.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.contract.markup import OpenItem, Paragraph, Table, Text
from toolkit.contract.model import (
    Contract,
    RenderedClause,
    ResolvedRef,
    bookmark_name,
    segments_text,
)
from toolkit.docx.conventions import (
    CLAUSE_BOOKMARK,
    EXECUTION_BOOKMARK,
    HEADING_STYLE_NAME,
    HEADING_STYLES,
)
from toolkit.docx.reader import ContractDocument, ReadBlock, read_contract, ref_token
from toolkit.exceptions import ProblemsError, RenderError
from toolkit.library import Library
from toolkit.principles import MANDATORY_CLAUSES, PRINCIPLES, MandatoryClause

MANDATORY = "mandatory"
DEVIATION = "deviation"
ADDED = "added"
MANIFEST = "manifest"
SECTIONS = (
    (MANDATORY, "Mandatory clauses"),
    (DEVIATION, "Deviations from the approved text"),
    (ADDED, "Text not from the library"),
    (MANIFEST, "Manifest and library"),
)

_CLAUSE_BOOKMARK = CLAUSE_BOOKMARK
_EXECUTION = EXECUTION_BOOKMARK
_HEADING_STYLES = set(HEADING_STYLES)
_HEADING_STYLE = HEADING_STYLE_NAME
_NUMBER_PREFIX = re.compile(r"^(schedule\s+\d+|\d+(\.\d+)*)[.:)]?\s+", re.IGNORECASE)
_CONTEXT = 6  # words of unchanged text kept either side of a change
_NOUNS = (
    (MANDATORY, "mandatory-clause problem"),
    (DEVIATION, "deviation"),
    (ADDED, "addition"),
    (MANIFEST, "manifest problem"),
)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


# -- the report ------------------------------------------------------------------


@dataclass
class Change:
    """One paragraph-level difference: a paragraph changed, removed or added."""

    kind: str  # "changed" | "removed" | "added"
    where: str
    diff: str
    expected: str | None = None
    found: str | None = None

    def describe(self) -> str:
        """Return the change as one line."""
        return f"{self.where}: {self.kind}: {self.diff}"

    def as_dict(self) -> dict:
        """Return the change as a JSON-ready mapping."""
        return {
            "kind": self.kind,
            "where": self.where,
            "diff": self.diff,
            "expected": self.expected,
            "found": self.found,
        }


@dataclass
class Finding:
    """One thing the check found wrong, in one of the four sections."""

    kind: str
    message: str
    clause: str | None = None
    label: str = ""
    principle: int | None = None
    changes: list[Change] = field(default_factory=list)

    def headline(self) -> str:
        """Return the finding as one line, naming the principle at stake."""
        text = f"{self.label}: {self.message}" if self.label else self.message
        if self.principle:
            text += f" [principle {self.principle}: {PRINCIPLES[self.principle]}]"
        return text

    def as_dict(self) -> dict:
        """Return the finding as a JSON-ready mapping."""
        return {
            "message": self.message,
            "clause": self.clause,
            "label": self.label,
            "principle": self.principle,
            "changes": [change.as_dict() for change in self.changes],
        }


@dataclass
class CheckReport:
    """What `check` found in one contract."""

    path: str
    has_manifest: bool
    library_name: str
    library_version: str
    reference: str | None = None
    manifest_library_version: str | None = None
    clauses_checked: int = 0
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether the contract is exactly what the toolkit assembles."""
        return not self.findings

    def of(self, kind: str) -> list[Finding]:
        """Return the findings of one section."""
        return [finding for finding in self.findings if finding.kind == kind]

    def add(self, kind: str, message: str, **details) -> Finding:
        """Record a finding and return it."""
        finding = Finding(kind, message, **details)
        self.findings.append(finding)
        return finding

    def lines(self) -> list[str]:
        """Return the report as text for a reader, findings in the order of importance."""
        what = f"agreement {self.reference}" if self.reference else "no agreement reference"
        out = [
            f"{self.path}: {what}; checked against library {self.library_name} "
            f"version {self.library_version}"
            + (
                f" (assembled with version {self.manifest_library_version})"
                if self.manifest_library_version
                and self.manifest_library_version != self.library_version
                else ""
            )
            + "."
        ]
        if any(
            change.kind in ("changed", "removed", "added")
            for finding in self.findings
            for change in finding.changes
        ):
            out.append(
                "Differences read from the approved text to the document: "
                "[-approved text the document lacks-] {+document text the approved text lacks+}."
            )
        for kind, title in SECTIONS:
            findings = self.of(kind)
            if not findings:
                continue
            out.append("")
            out.append(f"{title}:")
            for finding in findings:
                out.append(f"  - {finding.headline()}")
                out += [f"      {change.describe()}" for change in finding.changes]
        if self.notes:
            out.append("")
            out.append("Notes (not deviations):")
            out += [f"  - {note}" for note in self.notes]
        out.append("")
        if self.ok:
            out.append(
                f"OK: the contract matches the approved text ({self.clauses_checked} clauses "
                "and schedules checked)."
            )
        else:
            counts = ", ".join(
                _count(len(self.of(kind)), noun) for kind, noun in _NOUNS if self.of(kind)
            )
            out.append(f"NOT OK: the contract differs from what the toolkit assembles ({counts}).")
        return out

    def as_dict(self) -> dict:
        """Return the report as a JSON-ready mapping."""
        return {
            "ok": self.ok,
            "contract": self.path,
            "manifest": self.has_manifest,
            "agreement_reference": self.reference,
            "library": {"name": self.library_name, "version": self.library_version},
            "manifest_library_version": self.manifest_library_version,
            "clauses_checked": self.clauses_checked,
            "mandatory": [f.as_dict() for f in self.of(MANDATORY)],
            "deviations": [f.as_dict() for f in self.of(DEVIATION)],
            "added": [f.as_dict() for f in self.of(ADDED)],
            "manifest_problems": [f.as_dict() for f in self.of(MANIFEST)],
            "notes": list(self.notes),
        }


# -- text lines and their differences ---------------------------------------------


@dataclass(frozen=True)
class _Line:
    """One paragraph or table row: its visible text, its text with REF results masked."""

    text: str
    masked: str
    where: str = ""


def _masked_segments(segments: list) -> str:
    parts = []
    for segment in segments:
        if isinstance(segment, Text):
            parts.append(segment.text)
        elif isinstance(segment, ResolvedRef):
            parts.append(ref_token(segment.bookmark))
        elif isinstance(segment, OpenItem):
            parts.append(str(segment))
        else:
            parts.append(segments_text([segment]))
    return "".join(parts)


def _expected_lines(part: RenderedClause) -> list[_Line]:
    """Return a clause's approved lines (as RenderedClause.text_lines gives them)."""
    visible = part.text_lines()
    where = _where(part)
    masked = [part.clause.title]
    labels = [f"{where} heading"]
    count = 0
    for block in part.blocks:
        if isinstance(block, Table):
            for index, row in enumerate(block.rows, start=1):
                masked.append(" | ".join(_masked_segments(cell) for cell in row))
                labels.append(f"{where}, table row {index}")
        else:
            masked.append(_masked_segments(block.segments))
            count += 1
            if isinstance(block, Paragraph) and block.numbered and block.number:
                labels.append(
                    f"clause {block.number}"
                    if not part.clause.is_schedule
                    else f"{where} paragraph {block.number}"
                )
            else:
                labels.append(f"{where}, paragraph {count}")
    masked = [" ".join(line.split()) for line in masked]
    if len(masked) != len(visible):  # cannot happen; keep the check honest anyway
        masked, labels = visible, [where] * len(visible)
    return [
        _Line(text, mask, label)
        for text, mask, label in zip(visible, masked, labels, strict=True)
        if text
    ]


def _block_lines(blocks: list[ReadBlock]) -> list[_Line]:
    return [_Line(block.text, block.masked) for block in blocks if block.text]


def _align_fields(expected: list[_Line], actual: list[_Line]) -> list[_Line]:
    """Treat a line differing only in cross-reference numbers as the approved line."""
    visible = {line.text for line in expected}
    by_mask = {line.masked: line.text for line in expected}
    aligned = []
    for line in actual:
        if line.text not in visible and line.masked in by_mask:
            line = _Line(by_mask[line.masked], line.masked, line.where)
        aligned.append(line)
    return aligned


def _hash_lines(lines: list[_Line]) -> str:
    return hashlib.sha256("\n".join(line.text for line in lines).encode("utf-8")).hexdigest()


def word_diff(old: str, new: str) -> str:
    """Return a word-level diff: [-removed-] {+added+}, long unchanged runs shortened."""
    a, b = old.split(), new.split()
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    opcodes = matcher.get_opcodes()
    out: list[str] = []
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            words = a[i1:i2]
            first, last = index == 0, index == len(opcodes) - 1
            if first and len(words) > _CONTEXT:
                words = ["…"] + words[-_CONTEXT:]
            elif last and len(words) > _CONTEXT:
                words = words[:_CONTEXT] + ["…"]
            elif len(words) > 2 * _CONTEXT + 1:
                words = words[:_CONTEXT] + ["…"] + words[-_CONTEXT:]
            out.append(" ".join(words))
            continue
        if tag in ("delete", "replace"):
            out.append("[-" + " ".join(a[i1:i2]) + "-]")
        if tag in ("insert", "replace"):
            out.append("{+" + " ".join(b[j1:j2]) + "+}")
    return " ".join(out)


def _similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a.split(), b.split(), autojunk=False).ratio()


def compare_lines(expected: list[_Line], actual: list[_Line], start: str) -> list[Change]:
    """Return the paragraph changes turning the expected lines into the actual ones."""
    matcher = difflib.SequenceMatcher(
        None, [line.text for line in expected], [line.text for line in actual], autojunk=False
    )
    changes: list[Change] = []

    def added(line: _Line, after: int) -> None:
        where = f"after {expected[after - 1].where}" if after > 0 else start
        changes.append(Change("added", where, "{+" + line.text + "+}", None, line.text))

    def removed(line: _Line) -> None:
        changes.append(Change("removed", line.where, "[-" + line.text + "-]", line.text, None))

    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if tag == "delete":
            for line in expected[i1:i2]:
                removed(line)
        elif tag == "insert":
            for line in actual[j1:j2]:
                added(line, i1)
        else:
            j = j1
            for i in range(i1, i2):
                line = expected[i]
                scores = [(_similarity(line.text, actual[k].text), k) for k in range(j, j2)]
                best = max(scores, default=(0.0, -1))
                if best[0] < 0.5:
                    removed(line)
                    continue
                for k in range(j, best[1]):
                    added(actual[k], i)
                found = actual[best[1]].text
                changes.append(
                    Change("changed", line.where, word_diff(line.text, found), line.text, found)
                )
                j = best[1] + 1
            for k in range(j, j2):
                added(actual[k], i2)
    return changes


# -- finding the clauses in the document ------------------------------------------


@dataclass
class _Known:
    """A clause or schedule the document should hold."""

    key: str
    bookmark: str
    title: str
    label: str


@dataclass
class _Layout:
    """A document's body cut into front matter, clauses, added clauses and execution."""

    front: list[ReadBlock]
    parts: dict[str, list[ReadBlock]]
    found_by_title: list[str]
    order: list[str]
    added: list[tuple[ReadBlock, list[ReadBlock], str | None]]
    execution: list[ReadBlock]


def normalise_title(text: str) -> str:
    """Return a heading's text as compared with a clause title: no number, any case."""
    text = " ".join(text.split())
    text = _NUMBER_PREFIX.sub("", text)
    return text.rstrip(" .:").casefold()


def _is_heading_style(style: str, known_styles: set[str]) -> bool:
    return style in known_styles or bool(_HEADING_STYLE.match(style))


def _layout(
    blocks: list[ReadBlock], known: list[_Known], expected_marks: set[str] | None
) -> _Layout:
    """Cut a body into its parts; ``expected_marks`` None: every bookmark may be ours."""
    blocks = [block for block in blocks if not block.toc]
    first_index: dict[str, int] = {}
    for index, block in enumerate(blocks):
        for mark in block.bookmarks:
            first_index.setdefault(mark, index)
    starts: dict[str, int] = {}
    for item in known:
        if item.bookmark in first_index:
            starts[item.key] = first_index[item.bookmark]
    styles = _HEADING_STYLES | {blocks[i].style for i in starts.values() if blocks[i].style}
    execution = first_index.get(_EXECUTION, len(blocks))
    # A heading whose hidden bookmark an editor dropped is found by its title, in order.
    by_title: list[str] = []
    taken = set(starts.values())
    titles = [normalise_title(block.text) if not block.row else None for block in blocks]
    previous = -1
    for item in known:
        if item.key in starts:
            previous = starts[item.key]
            continue
        title = normalise_title(item.title)
        candidates = [
            index
            for index in range(len(blocks))
            if index not in taken and index < execution and titles[index] == title
        ]
        if not candidates:
            continue
        candidates.sort(
            key=lambda i: (i < previous, not _is_heading_style(blocks[i].style, styles), i)
        )
        starts[item.key] = candidates[0]
        taken.add(candidates[0])
        by_title.append(item.key)
        previous = candidates[0]
    region = min(starts.values(), default=execution)
    if execution < region:
        execution = len(blocks)
    if _EXECUTION not in first_index:
        later = [
            i
            for i in range(max(starts.values(), default=0), len(blocks))
            if blocks[i].text.casefold() == "execution" and i not in taken
        ]
        execution = later[0] if later else len(blocks)
    # Headings no manifest clause accounts for: new clauses.
    added_heads = []
    for index in range(region, execution):
        block = blocks[index]
        if index in taken or not block.text or block.row:
            continue
        foreign = expected_marks is not None and any(
            _CLAUSE_BOOKMARK.match(m) and m not in expected_marks for m in block.bookmarks
        )
        if foreign or _is_heading_style(block.style, styles):
            added_heads.append(index)
    boundaries = sorted(
        [(index, key) for key, index in starts.items()]
        + [(index, None) for index in added_heads]
        + [(execution, "")],
        key=lambda boundary: boundary[0],
    )
    parts: dict[str, list[ReadBlock]] = {}
    added: list[tuple[ReadBlock, list[ReadBlock], str | None]] = []
    order: list[str] = []
    for (index, key), (following, _) in zip(boundaries, boundaries[1:], strict=False):
        segment = blocks[index:following] if index < following else []
        if key:
            parts[key] = segment
            order.append(key)
        elif key is None:
            added.append((blocks[index], segment[1:], order[-1] if order else None))
    return _Layout(
        front=blocks[:region],
        parts=parts,
        found_by_title=by_title,
        order=order,
        added=added,
        execution=blocks[execution:],
    )


# -- the check ----------------------------------------------------------------------


def _where(part: RenderedClause) -> str:
    return part.display_number if part.clause.is_schedule else f"clause {part.display_number}"


def _label(part: RenderedClause) -> str:
    return f"{_where(part)} ({part.clause.title})"


def check_contract(path: str | Path, library: Library | None = None) -> CheckReport:
    """Check a contract .docx against the library; never raises for what the file says.

    Raises ContractReadError only when the file is missing or is not a .docx.
    """
    from toolkit.library import load_library

    library = library or load_library()
    document = read_contract(Path(path))
    report = CheckReport(
        path=str(path),
        has_manifest=document.manifest is not None,
        library_name=library.name,
        library_version=library.version,
    )
    if document.manifest is None:
        _check_without_manifest(document, library, report)
        return report
    manifest = document.manifest
    report.reference = manifest.get("agreement_reference")
    recorded = manifest.get("library")
    if isinstance(recorded, dict):
        report.manifest_library_version = str(recorded.get("version"))
    if not isinstance(report.reference, str):
        report.reference = None
    _check_manifest_metadata(manifest, library, report)
    contract = _reassemble(manifest, library, report, str(path))
    if contract is None:
        _check_against_manifest_only(document, manifest, report)
    else:
        _check_against_contract(document, manifest, contract, report)
    return report


def _check_manifest_metadata(manifest: dict, library: Library, report: CheckReport) -> None:
    recorded = manifest.get("library")
    recorded = recorded if isinstance(recorded, dict) else {}
    if recorded.get("name") and recorded.get("name") != library.name:
        report.add(
            MANIFEST,
            f"the contract was assembled with library '{recorded.get('name')}', "
            f"not '{library.name}'",
        )
    if recorded.get("version") != library.version:
        report.add(
            MANIFEST,
            f"the contract was assembled with library version {recorded.get('version')}; "
            f"this library is version {library.version}",
        )
    elif recorded.get("content_sha256") != library.content_hash:
        report.notes.append(
            f"the library's files have changed since the contract was assembled "
            f"(same version {library.version}); the clauses are compared one by one"
        )
    if manifest.get("draft"):
        open_items = manifest.get("open_items") or []
        report.notes.append(
            "this is a DRAFT, not for signature"
            + (f"; open items: {'; '.join(map(str, open_items))}" if open_items else "")
        )
    from toolkit import __version__

    if manifest.get("toolkit_version") != __version__:
        report.notes.append(
            f"assembled by toolkit version {manifest.get('toolkit_version')}; "
            f"checked by version {__version__}"
        )


def _reassemble(
    manifest: dict, library: Library, report: CheckReport, source: str
) -> Contract | None:
    """Re-assemble the contract from the manifest's deal spec; None if that cannot be done."""
    from toolkit.contract.assemble import assemble_contract
    from toolkit.spec import validate_spec

    raw = manifest.get("spec")
    if not isinstance(raw, dict):
        report.add(MANIFEST, "the manifest holds no deal spec; the approved text cannot be rebuilt")
        return None
    try:
        spec = validate_spec(
            raw,
            library,
            source=f"{source} (manifest deal spec)",
            draft=bool(manifest.get("draft")),
        )
        contract = assemble_contract(spec, library)
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
    if spec.sha256() != manifest.get("spec_sha256"):
        report.add(
            MANIFEST,
            "the deal spec in the manifest does not match the hash recorded with it "
            "(spec_sha256): the manifest has been edited",
        )
    if manifest.get("agreement_reference") != spec.reference:
        report.add(
            MANIFEST,
            f"the manifest's agreement reference '{manifest.get('agreement_reference')}' "
            f"differs from its deal spec's '{spec.reference}'",
        )
    return contract


def _manifest_entries(manifest: dict) -> list[dict]:
    entries = manifest.get("clauses")
    if not isinstance(entries, list):
        return []
    return [
        entry for entry in entries if isinstance(entry, dict) and isinstance(entry.get("id"), str)
    ]


def _check_against_contract(
    document: ContractDocument, manifest: dict, contract: Contract, report: CheckReport
) -> None:
    entries = {entry["id"]: entry for entry in _manifest_entries(manifest)}
    parts = contract.parts
    report.clauses_checked = len(parts)
    _compare_clause_lists(entries, contract, report)

    known = [_Known(p.id, p.bookmark, p.clause.title, _label(p)) for p in parts]
    extra = [_entry_known(entry) for key, entry in entries.items() if contract.part(key) is None]
    marks = {p.bookmark for p in parts} | {mark for mark, _ in contract.references.values()}
    layout = _layout(document.blocks, known + extra, marks | {k.bookmark for k in extra})
    if layout.found_by_title:
        labels = [k.label for k in known + extra if k.key in layout.found_by_title]
        report.notes.append(
            f"{len(labels)} heading(s) have lost their hidden bookmark and were found by "
            "their titles (cross-references to them will not update): " + "; ".join(labels)
        )

    status: dict[str, str] = {}
    approved: dict[str, str] = {}  # approved paragraph text -> where it belongs
    for part in parts:
        for line in _expected_lines(part):
            approved.setdefault(line.text, line.where)
    if document.tracked_changes:
        report.notes.append(
            "the document holds tracked changes; it was checked as if all were accepted"
        )
    expected_rendering = _expected_rendering(contract, manifest, report)
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
    _report_order(layout, parts, report)
    for heading, body, after in layout.added:
        previous = contract.part(after) if after else None
        where = f"after {_label(previous)}" if previous else "in the clauses"
        report.add(
            ADDED,
            f"new clause \u201c{heading.text}\u201d {where} is not in the manifest "
            "and not from the library",
            label="",
            changes=[
                Change("added", "new clause", "{+" + line.text + "+}", None, line.text)
                for line in _block_lines([heading, *body])
            ],
        )
    for item in extra:
        if item.key in layout.parts:
            found_lines = _block_lines(layout.parts[item.key])
            if _hash_lines(found_lines) != entries[item.key].get("text_sha256"):
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
    mandatory = part.id in {m.id for m in MANDATORY_CLAUSES}
    label = _label(part)
    if found is None:
        if not mandatory:  # a missing mandatory clause is reported first, on its own
            report.add(DEVIATION, "is missing from the document", clause=part.id, label=label)
        return "missing"
    expected = _expected_lines(part)
    actual = _align_fields(expected, _block_lines(found))
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
    changes = compare_lines(expected, actual, f"start of {_where(part)}")
    if entry is not None and recorded != part.text_hash() and _hash_lines(actual) == recorded:
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
        f"differs from the approved text (version {version})" + (" [mandatory]" * mandatory),
        clause=part.id,
        label=label,
        changes=changes,
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
        )
    return "altered"


def _expected_rendering(contract: Contract, manifest: dict, report: CheckReport) -> _Layout | None:
    """Return the layout of the .docx the toolkit writes for the contract (front matter etc.)."""
    from toolkit.docx.package import render_docx

    try:
        data = render_docx(contract, str(manifest.get("toolkit_version", "")))
    except ProblemsError as exc:
        report.notes.append(
            f"the front matter and execution page were not compared: {exc.summary()}"
        )
        return None
    rendered = read_contract(data)
    known = [_Known(p.id, p.bookmark, p.clause.title, _label(p)) for p in contract.parts]
    return _layout(rendered.blocks, known, {p.bookmark for p in contract.parts})


def _compare_section(
    name: str, expected_blocks: list[ReadBlock], actual_blocks: list[ReadBlock], report: CheckReport
) -> None:
    expected = [_Line(line.text, line.masked, name) for line in _block_lines(expected_blocks)]
    actual = _align_fields(expected, _block_lines(actual_blocks))
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
                label=_label(part),
            )
            continue
        position = part.position.id if part.position else None
        if entry.get("position") != position:
            report.add(
                MANIFEST,
                f"the manifest records position {entry.get('position')!r}; re-assembly gives "
                f"{position!r}",
                clause=part.id,
                label=_label(part),
            )
        if entry.get("bookmark") != part.bookmark or entry.get("number") != part.display_number:
            report.add(
                MANIFEST,
                "the manifest's number or bookmark for this clause does not match re-assembly",
                clause=part.id,
                label=_label(part),
            )
    listed = [key for key in entries if key in ids]
    if listed != [key for key in ids if key in entries]:
        report.add(
            MANIFEST, "the manifest lists the clauses in a different order", label="manifest"
        )


def _report_order(layout: _Layout, parts: list[RenderedClause], report: CheckReport) -> None:
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
        part = parts[[p.id for p in parts].index(key)]
        before = found[index - 1] if index else None
        after = (
            f"now follows {_label(parts[[p.id for p in parts].index(before)])}"
            if before
            else ("now comes first")
        )
        report.add(
            DEVIATION,
            f"has been moved: it {after}",
            clause=key,
            label=_label(part),
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
            Finding(MANDATORY, message, mandatory.id, _label(part), mandatory.principle)
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


def _check_against_manifest_only(
    document: ContractDocument, manifest: dict, report: CheckReport
) -> None:
    """Compare each clause's text with the hash the manifest records (no approved text)."""
    entries = _manifest_entries(manifest)
    report.clauses_checked = len(entries)
    known = [_entry_known(e) for e in entries]

    # Item bookmarks are not in the manifest: only a heading style marks a new clause.
    layout = _layout(document.blocks, known, None)
    by_id = {e["id"]: e for e in entries}
    for heading, _, _ in layout.added:
        report.add(ADDED, f"new clause \u201c{heading.text}\u201d is not in the manifest")
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
        if _hash_lines(_block_lines(segment)) != by_id[item.key].get("text_sha256"):
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


def _entry_known(entry: dict) -> _Known:
    """Return what the manifest says of a clause, whatever types an editor left in it."""
    number = str(entry.get("number", "?"))
    where = number if number.startswith("Schedule") else f"clause {number}"
    title = str(entry.get("title") or entry["id"])
    return _Known(str(entry["id"]), str(entry.get("bookmark", "")), title, f"{where} ({title})")


def _check_without_manifest(
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
        f"{_count(len(found), 'clause heading')} of the library found by title or bookmark"
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
        if _is_heading_style(block.style, _HEADING_STYLES) and (
            normalise_title(block.text) not in library_titles
        ):
            report.add(ADDED, f"heading \u201c{block.text}\u201d matches no clause of the library")
    report.findings[:0] = missing
