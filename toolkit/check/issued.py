"""What a returned contract is compared with: the issued record, never its own claims."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from toolkit.docx.reader import ContractDocument, ManifestRead, read_manifest
from toolkit.exceptions import ProblemsError, ToolkitError
from toolkit.library import Library

_MAX_LISTED = 25  # differing spec values listed before "and N more"


@dataclass
class Issued:
    """The issued version of a contract, as far as it can be found."""

    basis: str  # "register" | "issued document" | "deal spec" | "self"
    detail: str
    spec: dict | None = None
    docx: bytes | None = None
    draft: bool | None = None
    # Differences between the issued spec and the document's own manifest, in plain words.
    differences: tuple[str, ...] = ()
    unmatched: bool = False
    # Set when the register holds these very bytes as issued: with which library (its
    # content hash) and toolkit version they were written.
    same_bytes_as: tuple[str, str] | None = None


def normalised(value: object) -> object:
    """Return a value as the manifest stores it: JSON-safe, dates as ISO strings."""
    return json.loads(json.dumps(value, default=str, sort_keys=True))


def spec_differences(issued: object, document: object, path: str = "") -> list[str]:
    """Return each value that differs, by field path: "a.b: issued 4, document 1"."""
    if isinstance(issued, dict) and isinstance(document, dict):
        out: list[str] = []
        for key in sorted(set(issued) | set(document), key=str):
            where = f"{path}.{key}" if path else str(key)
            if key not in document:
                out.append(f"{where}: issued {_show(issued[key])}, missing from the document")
            elif key not in issued:
                out.append(f"{where}: not issued, document {_show(document[key])}")
            else:
                out += spec_differences(issued[key], document[key], where)
        return out
    if isinstance(issued, list) and isinstance(document, list) and len(issued) == len(document):
        out = []
        for index, (a, b) in enumerate(zip(issued, document, strict=True)):
            out += spec_differences(a, b, f"{path}[{index}]")
        return out
    if issued != document:
        return [f"{path or 'deal spec'}: issued {_show(issued)}, document {_show(document)}"]
    return []


def _show(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    if isinstance(value, str):
        text = value
    return text if len(text) <= 80 else text[:77] + "..."


def summarise(differences: list[str]) -> tuple[str, ...]:
    """Return the differences to list, shortened after the first few."""
    if len(differences) <= _MAX_LISTED:
        return tuple(differences)
    more = len(differences) - _MAX_LISTED
    return (*differences[:_MAX_LISTED], f"and {more} more difference(s)")


def find_issued(
    path: Path,
    document: ContractDocument | ManifestRead,
    library: Library,
    *,
    against: str | Path | None = None,
    spec: str | Path | None = None,
    register: str | Path | None = None,
    use_register: bool = True,
) -> Issued:
    """Return what the document should be compared with, in order of authority.

    ``--against`` (the issued .docx) and ``--spec`` (the issued deal spec) serve a user
    without the register; otherwise the register of issued contracts is consulted.
    """
    manifest = document.manifest or {}
    claimed = manifest.get("spec") if isinstance(manifest.get("spec"), dict) else None
    if against is not None:
        data = Path(against).read_bytes() if Path(against).is_file() else None
        issued_doc = read_manifest(Path(against))
        issued_spec = (issued_doc.manifest or {}).get("spec")
        if not isinstance(issued_spec, dict):
            raise ToolkitError(f"{against}: the issued document carries no readable manifest")
        return _against(
            issued_spec,
            claimed,
            "issued document",
            f"the issued document {against}",
            data,
            bool((issued_doc.manifest or {}).get("draft")),
        )
    if spec is not None:
        from toolkit.spec import load_spec, validate_spec

        draft = bool(manifest.get("draft"))
        valid = validate_spec(load_spec(spec), library, source=str(spec), draft=draft)
        return _against(
            normalised(valid.data), claimed, "deal spec", f"the deal spec {spec}", None, draft
        )
    if use_register:
        return _from_register(path, manifest, claimed, register)
    return Issued("self", "only what the document's own manifest claims")


def _against(issued_spec, claimed, basis, detail, data, draft) -> Issued:
    differences = spec_differences(issued_spec, claimed) if claimed is not None else []
    return Issued(
        basis, detail, issued_spec, data, draft, summarise(differences), unmatched=bool(differences)
    )


def _from_register(path: Path, manifest: dict, claimed: dict | None, location) -> Issued:
    try:
        from toolkit.register import default_register_path, open_register
    except ImportError:
        return Issued("self", "only what the document's own manifest claims (no register)")
    reference = manifest.get("agreement_reference")
    where = str(location or default_register_path())
    if location is None and not Path(where).exists():
        return Issued(
            "self",
            f"only what the document's own manifest claims (no register at {where})",
        )
    try:
        with open_register(location) as register:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            exact = register.find_by_docx_sha256(digest)
            records = (
                iter([exact])
                if exact
                else (register.issued_under(reference) if isinstance(reference, str) else iter(()))
            )
    except (ToolkitError, ProblemsError, OSError) as exc:
        return Issued("self", f"only what the document's own manifest claims (register: {exc})")
    wanted = normalised(claimed) if claimed is not None else None
    newest = same_spec = None
    for record in records:  # newest first; usually the first is the one
        if newest is None:
            newest = record
        if wanted is None or normalised(record.spec) != wanted:
            continue
        # The same deal may have been issued as a draft and as final: the issue the
        # document says it is comes first, else the newest with the same deal spec.
        if record.draft == bool(manifest.get("draft")):
            same_spec = record
            break
        if same_spec is None:
            same_spec = record
    if same_spec is not None:
        return Issued(
            "register",
            f"the register {where} (issued {same_spec.issued_at})",
            same_spec.spec,
            None,
            same_spec.draft,
            same_bytes_as=(
                (same_spec.library_hash, same_spec.toolkit_version) if same_spec is exact else None
            ),
        )
    if newest is None:
        return Issued(
            "self",
            f"only what the document's own manifest claims: the register {where} holds no "
            f"contract issued as {reference!r}",
        )
    differences = spec_differences(normalised(newest.spec), claimed)
    return Issued(
        "register",
        f"the register {where} (issued {newest.issued_at})",
        newest.spec,
        None,
        newest.draft,
        summarise(differences or ["the manifest's deal spec cannot be read"]),
        unmatched=True,
    )
