"""The toolkit's main jobs as library functions: validate a deal spec, assemble a contract."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from toolkit import __version__
from toolkit.contract.assemble import assemble_contract
from toolkit.contract.model import Contract
from toolkit.docx.package import render_docx
from toolkit.docx.reader import read_contract
from toolkit.exceptions import GuaranteeError, Problem
from toolkit.library import Library, load_library
from toolkit.output import check_target, write_atomically
from toolkit.principles import MANDATORY_CLAUSES
from toolkit.spec import load_spec, validate_spec


@dataclass
class AssemblyResult:
    """What an assembly wrote."""

    contract: Contract
    docx: Path
    pdf: Path | None = None

    def as_dict(self) -> dict:
        """Return the result as a JSON-ready mapping."""
        return {
            "docx": str(self.docx),
            "pdf": str(self.pdf) if self.pdf else None,
            "reference": self.contract.spec.reference,
            "draft": self.contract.spec.draft,
            "clauses": len(self.contract.clauses),
            "schedules": len(self.contract.schedules),
            "open_items": [item.description for item in self.contract.open_items],
        }


def prepare_contract(
    spec_path: str | Path, library: Library | None = None, *, draft: bool = False
) -> Contract:
    """Validate a deal spec and assemble its contract in memory (nothing is written)."""
    library = library or load_library()
    raw = load_spec(spec_path)
    spec = validate_spec(raw, library, source=str(spec_path), draft=draft)
    return assemble_contract(spec, library)


def verify_docx(contract: Contract, path: Path) -> None:
    """Read a written .docx back and confirm every clause, mandatory ones first, is there."""
    document = read_contract(path)
    problems: list[Problem] = []
    found = document.by_bookmark()
    for mandatory in MANDATORY_CLAUSES:
        part = contract.part(mandatory.id)
        read = found.get(part.bookmark) if part else None
        if part is None or read is None:
            problems.append(
                Problem(
                    mandatory.id,
                    f"the written document lacks the {mandatory.role} clause",
                    mandatory.principle,
                )
            )
    for part in contract.parts:
        read = found.get(part.bookmark)
        if read is not None and read.lines != part.text_lines():
            problems.append(Problem(part.id, "the written text differs from the assembled text"))
        elif read is None and not part.mandatory:
            problems.append(Problem(part.id, "the written document lacks this clause"))
    if document.manifest is None:
        problems.append(Problem("manifest", "the written document carries no manifest"))
    if problems:
        raise GuaranteeError(str(path), problems)


def assemble(
    spec_path: str | Path,
    output: str | Path,
    *,
    library: Library | None = None,
    draft: bool = False,
    force: bool = False,
    pdf: bool = False,
) -> AssemblyResult:
    """Validate a deal spec and write its contract; refuse rather than write a bad one."""
    output = Path(output)
    check_target(output, force=force)
    pdf_path = output.with_suffix(".pdf") if pdf else None
    if pdf_path is not None:
        check_target(pdf_path, force=force)
    contract = prepare_contract(spec_path, library, draft=draft)
    data = render_docx(contract, __version__)
    write_atomically(output, data, verify=lambda path: verify_docx(contract, path))
    if pdf_path is not None:
        from toolkit.exceptions import ConversionError
        from toolkit.pdf import convert_to_pdf

        try:
            convert_to_pdf([output], force=force)
        except ConversionError as exc:
            raise ConversionError(f"The contract was written to {output}, but: {exc}") from None
    return AssemblyResult(contract, output, pdf_path)
