"""A redline: the issued contract with every later edit shown as a Word tracked change.

The base is the ISSUED document (re-rendered by the toolkit, which gives the same
bytes for the same deal spec and library), never the returned file: so numbering,
cross-references, contents and the manifest are the toolkit's own. The returned
document's paragraphs are aligned with the issued ones (``difflib`` over their
texts); a paragraph that differs gets a word-by-word diff, a paragraph only one of
them has is inserted or deleted whole, and a change of formatting alone (bold, hidden,
struck-through, recoloured, a different style) is recorded as a formatting change.
Accepting every change gives the returned text; rejecting every change gives the
issued text. Deviations the check found carry a Word comment on their clause's
heading: what the deviation is, why it matters and the principle at stake.

Every change and comment is attributed to ``author`` and dated with the returned
document's last-saved time (or, if it has none, a fixed date), so the same inputs give
the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

from lxml import etree

from toolkit.docx import tracked
from toolkit.docx.conventions import COMMENT_REFERENCE_STYLE, bookmark_name, w
from toolkit.exceptions import ContractReadError

REDLINE_AUTHOR = "Returned draft"
COMMENT_AUTHOR = "nhs-contracts"
COMMENT_INITIALS = "NC"
# The date of every change when the returned document records no last-saved time.
FALLBACK_DATE = "2000-01-01T00:00:00Z"
# Two paragraphs at least this alike are one paragraph edited, not one removed and
# another added.
SAME_PARAGRAPH = 0.5
_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")


@dataclass(frozen=True)
class RedlineNote:
    """A comment for the redline: on a clause's heading (by clause id), or on the first change."""

    clause: str | None
    text: str


@dataclass
class RedlineSummary:
    """What a redline records: how many insertions, deletions, formatting changes, comments."""

    insertions: int = 0
    deletions: int = 0
    formatting: int = 0
    comments: int = 0
    paragraphs_changed: int = 0
    path: Path | None = None

    def as_dict(self) -> dict:
        """Return the summary as a JSON-ready mapping."""
        return {
            "redline": str(self.path) if self.path else None,
            "insertions": self.insertions,
            "deletions": self.deletions,
            "formatting_changes": self.formatting,
            "comments": self.comments,
            "paragraphs_changed": self.paragraphs_changed,
        }

    def describe(self) -> str:
        """Return the one-line report of a written redline."""
        return (
            f"Redline written to {self.path} ({self.insertions} insertions, "
            f"{self.deletions} deletions, {self.formatting} formatting changes, "
            f"{self.comments} comments)."
        )


@dataclass
class _Redline:
    """The work of one redline: the base's body, the revision stamp and the counts."""

    revision: tracked.Revision
    known_styles: set[str]
    summary: RedlineSummary = field(default_factory=RedlineSummary)
    first_change: etree._Element | None = None

    def changed(self, paragraph: etree._Element) -> None:
        self.summary.paragraphs_changed += 1
        if self.first_change is None:
            self.first_change = paragraph


def build_redline(
    base: bytes,
    changed: bytes,
    *,
    notes: Iterable[RedlineNote] = (),
    author: str = REDLINE_AUTHOR,
) -> tuple[bytes, RedlineSummary]:
    """Return a .docx: ``base`` with every difference to ``changed`` as a tracked change.

    Raises ContractReadError if either is not a Word document.
    """
    from toolkit.docx.package import reproducible_package

    base_document = _open(base, "the issued document")
    changed_document = _open(changed, "the returned document")
    date = _stamp(changed_document.core_properties.modified)
    revision = tracked.Revision(author, date, _first_free_id(base_document.element))
    work = _Redline(revision, {style.style_id for style in base_document.styles})
    base_paragraphs = tracked.top_paragraphs(base_document.element.body)
    changed_paragraphs = tracked.top_paragraphs(changed_document.element.body)
    _apply(work, base_paragraphs, changed_paragraphs)
    for note in notes:
        _comment(base_document, work, note)
    properties = base_document.core_properties
    properties.category = "Redline"
    properties.comments = (
        f"Changes from the issued text to the returned document, as tracked changes by "
        f"'{author}' dated {date}."
    )
    return reproducible_package(base_document, comment_date=date), work.summary


def write_redline(
    base: bytes,
    changed: bytes,
    output: str | Path,
    *,
    notes: Iterable[RedlineNote] = (),
    author: str = REDLINE_AUTHOR,
    force: bool = False,
    inputs: Sequence[str | Path] = (),
) -> RedlineSummary:
    """Write the redline of ``base`` against ``changed`` to ``output``, atomically.

    Never replaces one of ``inputs``, nor (without ``force``) an existing file.
    """
    from toolkit.output import check_target, write_atomically

    output = Path(output)
    check_target(output, force=force, inputs=inputs)
    blob, summary = build_redline(base, changed, notes=notes, author=author)
    write_atomically(output, blob, force=force)
    summary.path = output
    return summary


def reissue(spec: dict, library, *, draft: bool, source: str) -> bytes:
    """Return the bytes of the contract the toolkit issues for a deal spec (for a redline's base).

    Raises the toolkit's usual errors if the spec no longer validates with ``library``.
    """
    from toolkit import __version__
    from toolkit.contract.assemble import assemble_contract
    from toolkit.docx.package import render_docx
    from toolkit.spec import validate_spec

    validated = validate_spec(spec, library, source=source, draft=draft)
    return render_docx(assemble_contract(validated, library), __version__)


# -- opening -------------------------------------------------------------------------


def _open(blob: bytes, name: str):
    from docx import Document

    try:
        return Document(io.BytesIO(blob))
    except Exception as exc:  # noqa: BLE001 - python-docx raises many kinds for a bad file
        raise ContractReadError(f"{name}: not a readable Word (.docx) file ({exc})") from None


def _stamp(moment: dt.datetime | None) -> str:
    if moment is None:
        return FALLBACK_DATE
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment.replace(microsecond=0).isoformat() + "Z"


def _first_free_id(root: etree._Element) -> int:
    """Return an id above every annotation id in the document (bookmarks, comments)."""
    ids = [element.get(w("id"), "") for element in root.iter()]
    return max((int(value) for value in ids if value.isdigit()), default=0) + 1


# -- aligning paragraphs ---------------------------------------------------------------


def _key(paragraph: etree._Element) -> str:
    return " ".join(tracked.paragraph_text(paragraph).split())


def _similarity(first: str, second: str) -> float:
    matcher = SequenceMatcher(None, first.split(), second.split(), autojunk=False)
    return matcher.ratio() if matcher.quick_ratio() >= SAME_PARAGRAPH else 0.0


def _apply(work: _Redline, base: list, changed: list) -> None:
    """Align the two documents' paragraphs and mark every difference in the base."""
    base_keys = [_key(p) for p in base]
    changed_keys = [_key(p) for p in changed]
    matcher = SequenceMatcher(None, base_keys, changed_keys, autojunk=False)
    cursor: etree._Element | None = None  # the paragraph new ones are inserted after
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pairs = [
                (base[i], changed[j]) for i, j in zip(range(i1, i2), range(j1, j2), strict=True)
            ]
        else:
            pairs = _pair(base[i1:i2], changed[j1:j2], base_keys[i1:i2], changed_keys[j1:j2])
        for old, new in pairs:
            if old is None:
                cursor = _insert(work, new, cursor, base)
            elif new is None:
                tracked.delete_paragraph(old, work.revision)
                work.summary.deletions += 1
                work.changed(old)
                cursor = old
            else:
                _edit(work, old, new)
                cursor = old


def _pair(old: list, new: list, old_keys: list[str], new_keys: list[str]) -> list[tuple]:
    """Pair edited paragraphs in order; the rest are removed (old, None) or added (None, new)."""
    pairs: list[tuple] = []
    position = 0
    for index, paragraph in enumerate(old):
        scores = [(_similarity(old_keys[index], new_keys[j]), j) for j in range(position, len(new))]
        best = max(scores, default=(0.0, -1))
        if best[0] < SAME_PARAGRAPH:
            pairs.append((paragraph, None))
            continue
        pairs += [(None, new[j]) for j in range(position, best[1])]
        pairs.append((paragraph, new[best[1]]))
        position = best[1] + 1
    pairs += [(None, new[j]) for j in range(position, len(new))]
    return pairs


def _insert(work: _Redline, source, cursor, base: list) -> etree._Element:
    paragraph = tracked.new_paragraph(source, work.known_styles, work.revision)
    if cursor is not None:
        cursor.addnext(paragraph)
    elif base:
        base[0].addprevious(paragraph)
    work.summary.insertions += 1
    work.changed(paragraph)
    return paragraph


# -- editing one paragraph ---------------------------------------------------------------


def _edit(work: _Redline, old: etree._Element, new: etree._Element) -> None:
    """Mark the word and formatting differences between a paragraph and its new version."""
    old_text, new_text = tracked.paragraph_text(old), tracked.paragraph_text(new)
    old_props, new_props = tracked.char_properties(old), tracked.char_properties(new)
    ops = _word_ops(old_text, new_text)
    formatting = _formatting_ranges(ops, old_props, new_props)
    edits = [op for op in ops if op[0] != "equal"]
    style_changed = tracked.paragraph_style(old) != tracked.paragraph_style(new) and (
        tracked.paragraph_style(new) in work.known_styles or tracked.paragraph_style(new) is None
    )
    if not edits and not formatting and not style_changed:
        return
    work.changed(old)
    if style_changed:
        tracked.change_style(old, tracked.paragraph_style(new), work.revision)
        work.summary.formatting += 1
    boundaries = {a for _, a, b, _, _ in edits} | {b for _, a, b, _, _ in edits}
    boundaries |= {a for a, _, _ in formatting} | {b for _, b, _ in formatting}
    atoms = tracked.atoms(old, boundaries)
    for start, end, properties in formatting:
        for atom in atoms:
            if start <= atom.start < end:
                tracked.change_properties(atom.run, properties, work.revision)
        work.summary.formatting += 1
    for tag, i1, i2, _, _ in edits:
        if tag in ("delete", "replace"):
            for atom in atoms:
                if i1 <= atom.start < i2:
                    tracked.delete_run(atom.run, work.revision)
            work.summary.deletions += 1
    for tag, _, i2, j1, j2 in edits:
        if tag in ("insert", "replace"):
            pieces = _pieces(new_text[j1:j2], new_props[j1:j2])
            _place(old, atoms, i2, tracked.inserted_runs(pieces, work.revision))
            work.summary.insertions += 1


def _word_ops(old: str, new: str) -> list[tuple[str, int, int, int, int]]:
    """Return difflib opcodes over words, as character offsets into ``old`` and ``new``."""
    old_tokens, new_tokens = _TOKEN.findall(old), _TOKEN.findall(new)
    old_at, new_at = _offsets(old_tokens), _offsets(new_tokens)
    matcher = SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    return [
        (tag, old_at[i1], old_at[i2], new_at[j1], new_at[j2])
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
    ]


def _offsets(tokens: list[str]) -> list[int]:
    offsets = [0]
    for token in tokens:
        offsets.append(offsets[-1] + len(token))
    return offsets


def _formatting_ranges(ops: list, old_props: list, new_props: list) -> list[tuple]:
    """Return (start, end, new properties) for unchanged text whose formatting changed."""
    ranges: list[tuple] = []
    for tag, i1, i2, j1, _ in ops:
        if tag != "equal":
            continue
        for offset in range(i2 - i1):
            before, after = old_props[i1 + offset], new_props[j1 + offset]
            if tracked.properties_key(before) == tracked.properties_key(after):
                continue
            at = i1 + offset
            if (
                ranges
                and ranges[-1][1] == at
                and tracked.properties_key(ranges[-1][2]) == tracked.properties_key(after)
            ):
                ranges[-1] = (ranges[-1][0], at + 1, after)
            else:
                ranges.append((at, at + 1, after))
    return ranges


def _pieces(text: str, properties: list) -> list[tuple[str, etree._Element | None]]:
    """Group inserted characters by their formatting."""
    pieces: list[tuple[str, etree._Element | None]] = []
    for char, props in zip(text, properties, strict=True):
        if pieces and tracked.properties_key(pieces[-1][1]) == tracked.properties_key(props):
            pieces[-1] = (pieces[-1][0] + char, pieces[-1][1])
        else:
            pieces.append((char, props))
    return pieces


def _outer(run: etree._Element) -> etree._Element:
    parent = run.getparent()
    return parent if parent is not None and parent.tag in (w("del"), w("ins")) else run


def _place(paragraph, atoms: list[tracked.Atom], offset: int, element: etree._Element) -> None:
    """Put inserted runs at a text offset: before the text that follows it, else at the end."""
    following = next((atom for atom in atoms if atom.start >= offset), None)
    if following is not None:
        _outer(following.run).addprevious(element)
    elif atoms:
        _outer(atoms[-1].run).addnext(element)
    else:
        paragraph.append(element)


# -- comments -------------------------------------------------------------------------


def _comment(document, work: _Redline, note: RedlineNote) -> None:
    """Anchor a comment on the clause's heading (found by its bookmark) or the first change."""
    body = document.element.body
    target = None
    if note.clause:
        mark = body.find(f".//{w('bookmarkStart')}[@{w('name')}='{bookmark_name(note.clause)}']")
        target = next(mark.iterancestors(w("p")), None) if mark is not None else None
    target = target if target is not None else work.first_change
    if target is None:
        paragraphs = tracked.top_paragraphs(body)
        target = paragraphs[0] if paragraphs else None
    if target is None:
        return
    comment = document.comments.add_comment(
        note.text, author=COMMENT_AUTHOR, initials=COMMENT_INITIALS
    )
    number = str(comment.comment_id)
    start = etree.Element(w("commentRangeStart"))
    start.set(w("id"), number)
    properties = target.find(w("pPr"))
    if properties is not None:
        properties.addnext(start)
    else:
        target.insert(0, start)
    end = etree.SubElement(target, w("commentRangeEnd"))
    end.set(w("id"), number)
    reference = etree.SubElement(target, w("r"))
    style = etree.SubElement(etree.SubElement(reference, w("rPr")), w("rStyle"))
    style.set(w("val"), COMMENT_REFERENCE_STYLE)
    etree.SubElement(reference, w("commentReference")).set(w("id"), number)
    work.summary.comments += 1


def notes_from_findings(findings: Iterable) -> list[RedlineNote]:
    """Turn check findings (anything with ``clause`` and ``headline()``) into redline comments."""
    return [RedlineNote(finding.clause, finding.headline()) for finding in findings]


def issued_base(returned: str | Path, library, **where) -> bytes:
    """Return the issued document to base a check's redline on (register, --against, --spec).

    ``where`` is passed to ``toolkit.check.issued.find_issued``; without an issued spec,
    the returned document's own manifest spec is re-rendered.
    """
    from toolkit.check.issued import find_issued
    from toolkit.docx.reader import read_contract

    document = read_contract(Path(returned))
    issued = find_issued(Path(returned), document, library, **where)
    if issued.docx is not None:
        return issued.docx
    manifest = document.manifest or {}
    spec = issued.spec if issued.spec is not None else manifest.get("spec")
    if not isinstance(spec, dict):
        raise ContractReadError(f"{returned}: no issued deal spec to build the redline from")
    draft = issued.draft if issued.draft is not None else bool(manifest.get("draft"))
    return reissue(spec, library, draft=draft, source=f"{returned} (issued deal spec)")
