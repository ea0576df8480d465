"""The issued contract as the toolkit assembles and renders it, and what ``check`` reads.

Re-assembling the issued deal spec, rendering it and reading the rendering (its layout,
what a reader sees of it) is most of the cost of checking a returned turn, and gives the
same result for the same issued deal spec, library and toolkit. So the results are kept
in the private cache (one entry each per issued contract, the most recent few only):
the next turn of the same contract is checked without doing any of it again. So are a
clause's lines under each of its approved positions (one memo, the 2,000 most recent).
"""

from __future__ import annotations

import dataclasses
import hashlib
import pickle
from dataclasses import dataclass

from toolkit import cache
from toolkit.check.layout import Known, Layout, cut_layout
from toolkit.check.lines import label_of
from toolkit.check.report import CheckReport
from toolkit.check.seen import seen_of
from toolkit.check.seen_read import Seen
from toolkit.contract.model import Contract
from toolkit.docx.reader import read_contract
from toolkit.exceptions import ProblemsError
from toolkit.library import Library

__all__ = ["IssuedRendering", "issued_contract", "issued_rendering", "position_lines"]

# Issued contracts and renderings kept in the cache (a few hundred kB each).
KEPT = 32
_PREFIX = "issued-"
_CONTRACT_PREFIX = "reassembled-"
# A clause's lines under each approved position, per issued contract.
_POSITIONS = cache.Memo("position-lines", limit=2_000)


def issued_contract(raw: dict, draft: bool, library: Library, source: str) -> Contract:
    """Validate and assemble an issued deal spec, as ``validate_spec`` and
    ``assemble_contract`` would (and raising what they raise), kept in the cache."""
    key = cache.make_key(
        "reassembled",
        library.content_hash,
        hashlib.sha256(pickle.dumps(raw, protocol=5)).hexdigest(),
        str(draft),
    )
    name = _CONTRACT_PREFIX + key[:24]
    kept = cache.load(name, key) if library.content_hash else None
    if isinstance(kept, Contract):
        # Kept without the library, which the key stands for: this very library.
        kept.library = library
        kept.spec = dataclasses.replace(kept.spec, source=source)
        return kept
    # Only now: a contract found in the cache needs neither the checks nor the assembler.
    from toolkit.contract.assemble import assemble_contract
    from toolkit.spec import validate_spec

    contract = assemble_contract(validate_spec(raw, library, source=source, draft=draft), library)
    if library.content_hash:
        cache.store(name, key, dataclasses.replace(contract, library=None))
        cache.prune(_CONTRACT_PREFIX, KEPT)
    return contract


def position_lines(contract: Contract, clause_id: str, position_id: str) -> list[str] | None:
    """Return the clause's lines when the issued deal spec chooses this position (None if
    that choice is refused), kept in the cache."""
    library_hash = contract.library.content_hash
    if not library_hash:
        return _render_with(contract, clause_id, position_id)
    key = hashlib.sha256(
        library_hash.encode()
        + pickle.dumps((contract.spec.data, contract.spec.draft, clause_id, position_id), 5)
    ).hexdigest()
    kept = _POSITIONS.get(key)
    if kept is not None:
        return list(kept) if kept is not False else None
    lines = _render_with(contract, clause_id, position_id)
    _POSITIONS.set(key, tuple(lines) if lines is not None else False)
    return lines


def _render_with(contract: Contract, clause_id: str, position_id: str) -> list[str] | None:
    """Return the clause's lines when the issued deal spec chooses this position."""
    import copy

    from toolkit.contract.assemble import assemble_contract
    from toolkit.exceptions import ToolkitError
    from toolkit.spec import validate_spec

    raw = copy.deepcopy(contract.spec.data)
    clauses = raw.setdefault("clauses", {}) or {}
    raw["clauses"] = clauses
    positions = dict(clauses.get("positions") or {})
    positions[clause_id] = position_id
    clauses["positions"] = positions
    try:
        spec = validate_spec(raw, contract.library, source="position", draft=contract.spec.draft)
        other = assemble_contract(spec, contract.library)
    except (ToolkitError, ValueError, TypeError):
        return None
    part = other.part(clause_id)
    return part.text_lines() if part is not None else None


@dataclass(frozen=True)
class IssuedRendering:
    """The issued .docx, its body cut into sections, and what a reader sees of it."""

    docx: bytes
    layout: Layout
    seen: Seen


def issued_rendering(
    contract: Contract, manifest: dict, report: CheckReport, docx: bytes | None = None
) -> IssuedRendering | None:
    """Return the issued rendering: ``docx`` (the issued file, when known) or the toolkit's.

    None when the issued contract cannot be rendered (a note says what was not compared).
    """
    version = str(manifest.get("toolkit_version", ""))
    key = cache.make_key(
        "issued-rendering",
        contract.library.content_hash,
        # Exact to the type (a date is not the text of a date), unlike JSON.
        hashlib.sha256(pickle.dumps(contract.spec.data, protocol=5)).hexdigest(),
        str(contract.spec.draft),
        version,
        hashlib.sha256(docx).hexdigest() if docx is not None else "rendered",
    )
    name = _PREFIX + key[:24]
    kept = cache.load(name, key)
    if isinstance(kept, IssuedRendering):
        return kept
    if docx is None:
        docx = _render(contract, version, report)
        if docx is None:
            return None
    rendering = IssuedRendering(docx, _layout(contract, docx), seen_of(docx, contract))
    cache.store(name, key, rendering)
    cache.prune(_PREFIX, KEPT)
    return rendering


def _render(contract: Contract, version: str, report: CheckReport) -> bytes | None:
    """Return the .docx the toolkit writes for the issued contract (byte-reproducible)."""
    from toolkit.docx.package import render_docx

    try:
        return render_docx(contract, version)
    except ProblemsError as exc:
        report.notes.append(
            f"the front matter and execution page were not compared: {exc.summary()}"
        )
        return None


def _layout(contract: Contract, docx: bytes) -> Layout:
    """Return the issued .docx's body cut into front matter, clauses and execution page."""
    rendered = read_contract(docx)
    known = [Known(p.id, p.bookmark, p.clause.title, label_of(p)) for p in contract.parts]
    return cut_layout(rendered.blocks, known, {p.bookmark for p in contract.parts})
