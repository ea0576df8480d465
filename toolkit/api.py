"""The toolkit's main jobs as library functions: validate a deal spec, assemble a contract."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit import __version__
from toolkit.contract.assemble import assemble_contract
from toolkit.contract.model import Contract
from toolkit.exceptions import OutputError, RegisterError
from toolkit.library import Library, load_library
from toolkit.output import check_target, write_atomically
from toolkit.spec import load_spec, validate_spec

if TYPE_CHECKING:
    from toolkit.register import Register


@dataclass
class AssemblyResult:
    """What an assembly wrote."""

    contract: Contract
    docx: Path
    pdf: Path | None = None
    docx_sha256: str = ""

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
            "docx_sha256": self.docx_sha256,
        }


def prepare_contract(
    spec_path: str | Path, library: Library | None = None, *, draft: bool = False
) -> Contract:
    """Validate a deal spec and assemble its contract in memory (nothing is written)."""
    library = library or load_library()
    raw = load_spec(spec_path)
    spec = validate_spec(raw, library, source=str(spec_path), draft=draft)
    return assemble_contract(spec, library)


def assemble(
    spec_path: str | Path,
    output: str | Path,
    *,
    library: Library | None = None,
    draft: bool = False,
    force: bool = False,
    pdf: bool = False,
    register: Register | str | Path | None = None,
) -> AssemblyResult:
    """Validate a deal spec, write its contract and record it in the register of issued contracts.

    Refuses rather than write a bad contract; never replaces an input, nor (without
    ``force``) an existing file. ``register`` is an open Register, a path, or None for
    the default register.
    """
    output = Path(output)
    pdf_path = output.with_suffix(".pdf") if pdf else None
    check_target(output, force=force, inputs=[spec_path])
    if pdf_path is not None:
        check_target(pdf_path, force=force, inputs=[spec_path, output])
    contract = prepare_contract(spec_path, library, draft=draft)
    result = write_contract(contract, output, force=force, register=register)
    if pdf_path is not None:
        from toolkit.exceptions import ConversionError
        from toolkit.pdf import convert_to_pdf

        try:
            convert_to_pdf([output], force=force)
        except ConversionError as exc:
            raise ConversionError(f"The contract was written to {output}, but: {exc}") from None
        result.pdf = pdf_path
    return result


def write_contract(
    contract: Contract,
    output: Path,
    *,
    force: bool = False,
    register: Register | str | Path | None = None,
) -> AssemblyResult:
    """Write an assembled contract atomically, verify the file, then record it as issued."""
    # Not needed by `validate`, which imports this module too.
    from toolkit.docx.manifest_build import build_manifest
    from toolkit.docx.package import render_docx
    from toolkit.docx.verify import verify_written
    from toolkit.register import IssuedContract, Register, open_register

    manifest = build_manifest(contract, __version__)  # once: in the file and in the register
    data = render_docx(contract, __version__, manifest)
    verify = lambda path: verify_written(contract, path, data)  # noqa: E731
    write_atomically(output, data, verify=verify, force=force)
    issued = IssuedContract(
        reference=contract.spec.reference,
        spec=manifest.get("spec") or json.loads(json.dumps(contract.spec.data, default=str)),
        manifest=manifest,
        docx_sha256=hashlib.sha256(data).hexdigest(),
        draft=contract.spec.draft,
        toolkit_version=__version__,
        library_version=contract.library.version,
        library_hash=contract.library.content_hash,
        issued_at=dt.datetime.now(dt.UTC).isoformat(timespec="microseconds"),
    )
    try:
        if isinstance(register, Register):
            register.record(issued, file_name=output.name)
        else:
            with open_register(register) as opened:
                opened.record(issued, file_name=output.name)
    except RegisterError as exc:
        raise RegisterError(
            f"The contract was written to {output}, but it is not in the register: {exc}"
        ) from None
    return AssemblyResult(contract, output, None, issued.docx_sha256)


def write_skeleton(text: str, output: str | Path, *, force: bool = False) -> None:
    """Write a skeleton file; never over a deal spec, which is someone's work, even with force."""
    output = Path(output)
    if _holds_deal_spec(output):
        raise OutputError(
            f"{output}: is a deal spec; init never replaces one, even with --force. "
            "Choose another file name."
        )
    check_target(output, force=force)
    write_atomically(output, text.encode("utf-8"), force=force)


def _holds_deal_spec(path: Path) -> bool:
    import yaml

    try:
        if not path.is_file() or path.stat().st_size > 1_000_000:
            return False
        document = yaml.safe_load(path.read_bytes())
    except (OSError, yaml.YAMLError, ValueError, RecursionError):
        return False
    return isinstance(document, dict) and "spec_version" in document
