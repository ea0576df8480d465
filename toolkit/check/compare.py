"""Turn by turn: what changed between two versions of a contract (`nhs-contracts compare`).

The older turn is the reference: each clause of the newer turn is compared with the
same clause (found by its heading bookmark, else its title) in the older one, word by
word, and what a reader sees is compared as in `check`. Every change is classified as
in `check`: a change to a mandatory clause is mandatory, a clause retyped into an
approved position names it, anything else is non-standard, formatting alone cosmetic.
"""

from __future__ import annotations

from pathlib import Path

from toolkit.check.body import reassemble
from toolkit.check.classify import classify_findings
from toolkit.check.diff import compare_lines
from toolkit.check.layout import Known, cut_layout
from toolkit.check.lines import Line, block_lines
from toolkit.check.report import ADDED, DEVIATION, Change, CheckReport
from toolkit.docx.reader import read_contract
from toolkit.exceptions import ToolkitError
from toolkit.library import Library


def compare_contracts(
    old: str | Path, new: str | Path, library: Library | None = None
) -> CheckReport:
    """Return what changed from the ``old`` turn of a contract to the ``new`` one."""
    from toolkit.library import load_library

    library = library or load_library()
    before, after = read_contract(Path(old)), read_contract(Path(new))
    manifest = before.manifest or after.manifest
    if manifest is None:
        raise ToolkitError(
            f"{old}: neither turn carries an nhs-contracts manifest, so their clauses cannot "
            "be matched; compare contracts assembled by this toolkit"
        )
    report = CheckReport(
        path=str(new),
        has_manifest=after.manifest is not None,
        library_name=library.name,
        library_version=library.version,
        reference=manifest.get("agreement_reference"),
        basis="previous turn",
        basis_detail=f"the previous turn {old}",
        subject="compare",
    )
    scratch = CheckReport(str(old), True, library.name, library.version)
    contract = reassemble(manifest, library, scratch, str(old))
    entries = [e for e in manifest.get("clauses") or [] if isinstance(e, dict)]
    known = [
        Known(e["id"], e["bookmark"], e["title"], _label(e))
        for e in entries
        if all(isinstance(e.get(k), str) for k in ("id", "bookmark", "title", "number"))
    ]
    # Every bookmark may be the toolkit's (sub-clauses carry their own): headings only
    # by style, in both turns alike.
    was = cut_layout(before.blocks, known, None)
    now = cut_layout(after.blocks, known, None)
    report.clauses_checked = len(known)
    for name, old_blocks, new_blocks in (
        ("front matter", was.front, now.front),
        ("execution page", was.execution, now.execution),
    ):
        _compare(report, name.capitalize(), None, block_lines(old_blocks), block_lines(new_blocks))
    for item in known:
        old_lines = block_lines(was.parts.get(item.key, []))
        new_lines = block_lines(now.parts.get(item.key, []))
        if item.key in was.parts and item.key not in now.parts:
            report.add(
                DEVIATION,
                "has been removed since the previous turn",
                clause=item.key,
                label=item.label,
            )
            continue
        _compare(report, item.label, item.key, old_lines, new_lines)
    for heading, body, _ in now.added:
        if any(heading.text == h.text for h, _, _ in was.added):
            continue
        report.add(
            ADDED,
            f"new clause \u201c{heading.text}\u201d since the previous turn",
            changes=[
                Change("added", "new clause", "{+" + line.text + "+}", None, line.text)
                for line in block_lines([heading, *body])
            ],
        )
    if contract is not None:
        from toolkit.check.seen import compare_seen, seen_of

        compare_seen(seen_of(Path(old).read_bytes(), contract), Path(new), contract, report)
    classify_findings(report, contract, library)
    return report


def _label(entry: dict) -> str:
    number = entry["number"]
    where = number if number.startswith("Schedule") else f"clause {number}"
    return f"{where} ({entry['title']})"


def _compare(
    report: CheckReport, label: str, clause: str | None, old: list[Line], new: list[Line]
) -> None:
    if [line.text for line in old] == [line.text for line in new]:
        return
    old = [Line(x.text, x.masked, f"{label}, paragraph {i}") for i, x in enumerate(old, 1)]
    report.add(
        DEVIATION,
        "changed since the previous turn",
        clause=clause,
        label=label,
        changes=compare_lines(old, new, f"start of {label}"),
        returned=[line.text for line in new],
    )
