"""The next turn's deal spec: the issued spec with the approved positions the other side chose.

When the other side retypes a clause into one of its approved fallback positions,
`check --accept-positions --write-spec NEXT.yaml` records that choice where it
belongs, in the issued deal spec's ``clauses.positions``, so that the next draft is
assembled from the library (and recorded in the register) rather than hand-edited.
Only approved positions are carried over: every other deviation needs a person's
approval and a redraft, and is listed as not carried.

The spec written is the ISSUED one (from the register, ``--against`` or ``--spec``),
never what the returned file's own manifest claims.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.check.report import CheckReport, Classification, Finding
from toolkit.exceptions import ToolkitError


@dataclass
class NextSpec:
    """What `--write-spec` wrote: the file, the positions accepted, what was not carried."""

    path: str
    accepted: dict[str, str] = field(default_factory=dict)  # clause id -> position id
    not_carried: list[str] = field(default_factory=list)  # labels of other deviations

    def as_dict(self) -> dict:
        """Return the summary as a JSON-ready mapping."""
        return {
            "path": self.path,
            "positions_accepted": dict(self.accepted),
            "not_carried": list(self.not_carried),
        }

    def lines(self) -> list[str]:
        """Return the summary as text for a reader."""
        chosen = ", ".join(f"{clause} -> {position}" for clause, position in self.accepted.items())
        out = [
            f"Next turn's deal spec written to {self.path} "
            + (f"(positions accepted: {chosen})." if chosen else "(no approved position found).")
        ]
        if self.not_carried:
            out.append(
                f"Not carried into {self.path} (not approved positions; they need a person's "
                "approval and a redraft): " + "; ".join(self.not_carried)
            )
        return out


def accepted_positions(report: CheckReport) -> dict[str, str]:
    """Return clause id -> approved position id for every deviation matching a position."""
    return {
        finding.clause: finding.position["id"]
        for finding in report.findings
        if finding.classification is Classification.APPROVED_POSITION
        and finding.clause
        and finding.position
    }


def next_spec(issued_spec: dict, positions: dict[str, str]) -> dict:
    """Return a copy of the issued deal spec with ``positions`` recorded in clauses.positions."""
    spec = copy.deepcopy(issued_spec)
    clauses = spec.get("clauses")
    clauses = dict(clauses) if isinstance(clauses, dict) else {}
    chosen = clauses.get("positions")
    chosen = dict(chosen) if isinstance(chosen, dict) else {}
    chosen.update(positions)
    clauses["positions"] = chosen
    spec["clauses"] = clauses
    return spec


def write_next_spec(
    report: CheckReport, path: str | Path, *, force: bool, inputs: list[str | Path]
) -> NextSpec:
    """Write the next turn's deal spec; refuse without an issued record, or over a file or input.

    Raises ToolkitError (nothing written) when the report was not compared with what
    was issued, OutputError when the path is taken (without ``force``) or is an input.
    """
    import yaml

    from toolkit.output import check_target, write_atomically

    path = Path(path)
    if not report.verified or report.issued_spec is None:
        raise ToolkitError(
            f"{path}: not written: {report.path} could not be compared with what was issued, "
            "and the next turn's deal spec is built from the issued one, never from what the "
            "returned file claims. Give the register (--register), the issued .docx "
            "(--against) or the issued deal spec (--spec)."
        )
    check_target(path, force=force, inputs=inputs)
    positions = accepted_positions(report)
    spec = next_spec(report.issued_spec, positions)
    header = [
        f"# Next turn of {report.reference or 'the agreement'}: the deal spec as issued "
        f"({report.basis_detail or report.basis}),",
        "# with the approved positions found in " + f"{Path(report.path).name} recorded in "
        "clauses.positions.",
        "# Written by `nhs-contracts check --accept-positions --write-spec`; assemble it for "
        "the next draft.",
    ]
    text = "\n".join(header) + "\n" + yaml.safe_dump(spec, sort_keys=False, allow_unicode=True)
    write_atomically(path, text.encode("utf-8"), force=force)
    return NextSpec(str(path), positions, _not_carried(report))


def _not_carried(report: CheckReport) -> list[str]:
    """Return the labels of deviations that are neither approved positions nor cosmetic."""
    out: list[str] = []
    for finding in report.problems():
        if finding.classification is Classification.APPROVED_POSITION:
            continue
        out.append(_describe(finding))
    return list(dict.fromkeys(out))


def _describe(finding: Finding) -> str:
    return f"{finding.label}: {finding.message}" if finding.label else finding.message
