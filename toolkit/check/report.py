"""The report of `check` and `compare`: findings by section, each classified."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from toolkit.exceptions import Problem


def changed_words(old: str, new: str) -> tuple[list[str], list[str]]:
    """Return the words removed from ``old`` and added in ``new`` (in order)."""
    import difflib

    a, b = old.split(), new.split()
    removed: list[str] = []
    added: list[str] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag in ("delete", "replace"):
            removed += a[i1:i2]
        if tag in ("insert", "replace"):
            added += b[j1:j2]
    return removed, added


class Section(StrEnum):
    """Where a finding is listed in the report, most important first."""

    MANDATORY = "mandatory"
    DEVIATION = "deviation"
    ADDED = "added"
    SEEN = "seen"
    MANIFEST = "manifest"


class ChangeKind(StrEnum):
    """What happened to one paragraph."""

    CHANGED = "changed"
    REMOVED = "removed"
    ADDED = "added"
    PROBLEM = "problem"


class Classification(StrEnum):
    """How much a deviation matters (issue 12's playbook classes)."""

    MANDATORY = "mandatory"
    APPROVED_POSITION = "approved_position"
    NON_STANDARD = "non_standard"
    COSMETIC = "cosmetic"


MANDATORY = Section.MANDATORY
DEVIATION = Section.DEVIATION
ADDED = Section.ADDED
SEEN = Section.SEEN
MANIFEST = Section.MANIFEST
SECTIONS = (
    (MANDATORY, "Mandatory clauses"),
    (DEVIATION, "Deviations from the approved text"),
    (ADDED, "Text not from the library"),
    (SEEN, "What a reader sees beyond the clause text"),
    (MANIFEST, "Manifest and library"),
)
_NOUNS = (
    (MANDATORY, "mandatory-clause problem"),
    (DEVIATION, "deviation"),
    (ADDED, "addition"),
    (SEEN, "other deviation"),
    (MANIFEST, "manifest problem"),
)


def count_of(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


# -- the report ------------------------------------------------------------------


@dataclass
class Change:
    """One paragraph-level difference: a paragraph changed, removed or added."""

    kind: ChangeKind
    where: str
    diff: str
    expected: str | None = None
    found: str | None = None

    def describe(self) -> str:
        """Return the change as one line."""
        return f"{self.where}: {self.kind}: {self.diff}"

    def as_dict(self) -> dict:
        """Return the change as a JSON-ready mapping."""
        removed, added = changed_words(self.expected or "", self.found or "")
        return {
            "kind": str(self.kind),
            "where": self.where,
            "diff": self.diff,
            "issued": self.expected,
            "returned": self.found,
            "words_removed": removed,
            "words_added": added,
            # the names of version 1 of this shape, kept for existing readers
            "expected": self.expected,
            "found": self.found,
        }


@dataclass
class Finding:
    """One thing the check found wrong, in one of the four sections."""

    kind: Section
    message: str
    clause: str | None = None
    label: str = ""
    principle: int | None = None
    changes: list[Change] = field(default_factory=list)
    classification: Classification | None = None
    number: str | None = None
    title: str | None = None
    # The approved position the returned text matches: {"id", "title", "guidance"}.
    position: dict | None = None
    # The returned clause's lines (for matching approved positions; not serialised).
    returned: list[str] = field(default_factory=list, repr=False)
    # Added wording the screen refuses: [{"principle", "words", "why", "rule"}].
    prohibited: list[dict] = field(default_factory=list)

    def headline(self) -> str:
        """Return the finding as one line, naming the principle at stake."""
        suffix = ""
        if self.classification and self.kind is not Section.MANIFEST:
            suffix = f" ({self.classification.replace('_', ' ')})"
        if self.prohibited:  # the principle is named with the words that break it, below
            text = Problem(self.label, self.message + suffix, None).describe()
        else:
            text = Problem(self.label, self.message, self.principle).describe() + suffix
        for item in self.prohibited:
            text += (
                f"; the added words break principle {item['principle']} "
                f"({item['why']}): \u201c{item['words']}\u201d"
            )
        if self.position:
            text += (
                f"; matches approved position '{self.position['id']}' "
                f"({self.position['title']}): {self.position['guidance']}"
            )
        return text

    def as_dict(self) -> dict:
        """Return the finding as a JSON-ready mapping (shape documented in the README)."""
        return {
            "section": str(self.kind),
            "classification": str(self.classification) if self.classification else None,
            "message": self.message,
            "clause": self.clause,
            "number": self.number,
            "title": self.title,
            "label": self.label,
            "principle": self.principle,
            "position": self.position,
            "prohibited_wording": list(self.prohibited),
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
    # What the document was compared with: "register", "issued document", "deal spec",
    # or "self" (only what the file claims about itself: never enough for "OK").
    basis: str = "self"
    basis_detail: str = ""
    # "check" (against what was issued) or "compare" (against the previous turn).
    subject: str = "check"
    # The issued deal spec compared with (None when only the file's own claims were).
    issued_spec: dict | None = field(default=None, repr=False)
    # Whether deviations matching an approved position are accepted (--accept-positions).
    accept_positions: bool = False

    @property
    def verified(self) -> bool:
        """Whether the document was compared with what was issued, not with its own claims."""
        return self.basis != "self"

    @property
    def ok(self) -> bool:
        """Whether the contract is what was issued (cosmetic differences aside)."""
        return self.verified and not self.problems()

    def problems(self) -> list[Finding]:
        """Return the findings that matter (every one but the cosmetic and those accepted)."""
        return [f for f in self.findings if not self.accepted(f)]

    def accepted(self, finding: Finding) -> bool:
        """Whether a finding needs nothing done: cosmetic, or an approved position accepted."""
        if finding.classification is Classification.COSMETIC:
            return True
        return self.accept_positions and finding.classification is Classification.APPROVED_POSITION

    def of(self, kind: Section) -> list[Finding]:
        """Return the findings of one section."""
        return [finding for finding in self.findings if finding.kind == kind]

    def add(self, kind: Section, message: str, **details) -> Finding:
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
        out.append(f"Compared with: {self.basis_detail or self.basis}.")
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
        if self.subject == "compare":
            changes = self.problems()
            out.append(
                f"CHANGED: {count_of(len(changes), 'change')} since the previous turn."
                if changes
                else "UNCHANGED: the words and what a reader sees are as in the previous turn."
            )
            return out
        if self.ok:
            cosmetic = sum(f.classification is Classification.COSMETIC for f in self.findings)
            positions = len(self.findings) - cosmetic
            out.append(
                f"OK: the contract matches the approved text ({self.clauses_checked} clauses "
                "and schedules checked)."
                + (f" {count_of(positions, 'approved position')} accepted." if positions else "")
                + (
                    f" {count_of(cosmetic, 'cosmetic difference')} listed above."
                    if cosmetic
                    else ""
                )
            )
        elif not self.problems():
            out.append(
                "NOT VERIFIED: the document matches what its own manifest claims, but no "
                "record of what was issued was available to compare it with. Check it "
                "against the register (--register), the issued .docx (--against) or the "
                "issued deal spec (--spec) before relying on it."
            )
        else:
            problems = self.problems()
            tally = {kind: sum(f.kind == kind for f in problems) for kind, _ in _NOUNS}
            counts = ", ".join(count_of(tally[kind], noun) for kind, noun in _NOUNS if tally[kind])
            out.append(f"NOT OK: the contract differs from what the toolkit assembles ({counts}).")
        return out

    def as_dict(self) -> dict:
        """Return the report as a JSON-ready mapping."""
        return {
            "ok": self.ok,
            "verified": self.verified,
            "compared_with": self.basis,
            "compared_with_detail": self.basis_detail,
            "contract": self.path,
            "manifest": self.has_manifest,
            "agreement_reference": self.reference,
            "library": {"name": self.library_name, "version": self.library_version},
            "manifest_library_version": self.manifest_library_version,
            "clauses_checked": self.clauses_checked,
            "mandatory": [f.as_dict() for f in self.of(MANDATORY)],
            "deviations": [f.as_dict() for f in self.of(DEVIATION)],
            "added": [f.as_dict() for f in self.of(ADDED)],
            "seen": [f.as_dict() for f in self.of(SEEN)],
            "manifest_problems": [f.as_dict() for f in self.of(MANIFEST)],
            "notes": list(self.notes),
        }
