"""Redlines: the issued contract with the returned document's edits as Word tracked changes.

Accepting every change must give the returned document and rejecting every change the
issued one; both are done here as XML transforms, and LibreOffice must open the file.
"""

from __future__ import annotations

import copy
import io
import json
import re
import subprocess
import zipfile

import pytest
from conftest import libreoffice_convert
from docx import Document
from lxml import etree

from toolkit.api import assemble
from toolkit.docx import tracked
from toolkit.docx.conventions import w
from toolkit.docx.redline import (
    FALLBACK_DATE,
    REDLINE_AUTHOR,
    RedlineNote,
    build_redline,
    write_redline,
)
from toolkit.exceptions import OutputError

INSERTED = "The Partner shall also publish a summary of every Output it makes."


def body_of(blob: bytes) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(blob)) as archive:
        return etree.fromstring(archive.read("word/document.xml")).find(w("body"))


def reading(body: etree._Element) -> list[tuple[str, str | None, tuple[str, ...]]]:
    """What a reader sees, paragraph by paragraph: text, style and each character's format."""
    found = []
    for paragraph in tracked.top_paragraphs(body):
        text = tracked.paragraph_text(paragraph)
        if not text.strip():
            continue  # empty paragraphs (spacers) do not show
        formats = tuple(tracked.properties_key(p) for p in tracked.char_properties(paragraph))
        found.append((text, tracked.paragraph_style(paragraph), formats))
    return found


def _merge_marked_paragraphs(body: etree._Element, tag: str) -> None:
    """Remove paragraphs whose mark is inserted/deleted, moving what is left into the next."""
    for paragraph in list(tracked.top_paragraphs(body)):
        mark = paragraph.find(f"{w('pPr')}/{w('rPr')}/{w(tag)}")
        if mark is None:
            continue
        following = paragraph.getnext()
        content = [child for child in paragraph if child.tag != w("pPr")]
        if following is not None and following.tag == w("p"):
            anchor = following.find(w("pPr"))
            for child in reversed(content):
                if anchor is not None:
                    anchor.addnext(child)
                else:
                    following.insert(0, child)
        paragraph.getparent().remove(paragraph)


def _unwrap(element: etree._Element) -> None:
    parent = element.getparent()
    index = parent.index(element)
    for offset, child in enumerate(list(element)):
        parent.insert(index + offset, child)
    parent.remove(element)


def accept_all(blob: bytes) -> etree._Element:
    """Accept every tracked change, as Word's "Accept All" does."""
    body = copy.deepcopy(body_of(blob))
    for deleted in list(body.iter(w("del"))):
        if deleted.getparent().tag != w("rPr"):
            deleted.getparent().remove(deleted)
    _merge_marked_paragraphs(body, "del")
    for inserted in list(body.iter(w("ins"))):
        if inserted.getparent().tag == w("rPr"):
            inserted.getparent().remove(inserted)
        else:
            _unwrap(inserted)
    for change in list(body.iter(w("rPrChange"), w("pPrChange"))):
        change.getparent().remove(change)
    return body


def reject_all(blob: bytes) -> etree._Element:
    """Reject every tracked change, as Word's "Reject All" does."""
    body = copy.deepcopy(body_of(blob))
    for inserted in list(body.iter(w("ins"))):
        if inserted.getparent().tag != w("rPr"):
            inserted.getparent().remove(inserted)
    _merge_marked_paragraphs(body, "ins")
    for deleted in list(body.iter(w("del"))):
        if deleted.getparent().tag == w("rPr"):
            deleted.getparent().remove(deleted)
        else:
            for text in deleted.iter(w("delText"), w("delInstrText")):
                text.tag = w("t") if text.tag == w("delText") else w("instrText")
            _unwrap(deleted)
    for change in list(body.iter(w("rPrChange"))):
        properties = change.getparent()
        old = change.find(w("rPr"))
        for child in list(properties):
            properties.remove(child)
        for child in list(old):
            properties.append(child)
    for change in list(body.iter(w("pPrChange"))):
        properties = change.getparent()
        old = change.find(w("pPr"))
        properties.remove(change)
        for style in properties.findall(w("pStyle")):
            properties.remove(style)
        for child in reversed(list(old)):
            properties.insert(0, child)
    return body


def element_of(paragraph) -> etree._Element:
    """The w:p element of a python-docx paragraph (through a run's public ``element``)."""
    return paragraph.runs[0].element.getparent()


@pytest.fixture(scope="module")
def issued(tmp_path_factory, library):
    """The issued contract of the valid royalty deal: its path and its bytes."""
    from conftest import FIXTURES

    out = tmp_path_factory.mktemp("redline") / "issued.docx"
    assemble(FIXTURES / "v1-royalty-deal.yaml", out, library=library, register=out.parent / "r.db")
    return out, out.read_bytes()


@pytest.fixture(scope="module")
def returned(issued):
    """The issued contract as the other side sends it back, edited with python-docx."""
    path, blob = issued
    document = Document(io.BytesIO(blob))
    paragraphs = [p for p in document.paragraphs if len(p.text) > 60]
    # A word changed in a paragraph holding a cross-reference (a REF field).
    with_reference = next(
        p
        for p in paragraphs
        if any("REF" in (t.text or "") for t in element_of(p).iter(w("instrText")))
    )
    run = next(r for r in with_reference.runs if len(r.text.split()) > 3)
    words = run.text.split(" ")
    words[1] = "SWAPPED"
    run.text = " ".join(words)
    # A paragraph removed, and one typed in.
    removed = paragraphs[-5]
    element_of(removed).getparent().remove(element_of(removed))
    paragraphs[-8].insert_paragraph_before(INSERTED, style=paragraphs[-8].style)
    # Formatting only: a sentence struck through and another hidden.
    paragraphs[10].runs[0].font.strike = True
    paragraphs[12].runs[-1].font.hidden = True
    # Retyped with the same words in differently split runs: no change at all.
    retyped = next(
        p for p in paragraphs[14:] if len(p.runs) == 1 and p.runs[0].element.find(w("rPr")) is None
    )
    text = retyped.text
    for run in retyped.runs:
        run.text = ""
    retyped.runs[0].text = text[:7]
    retyped.add_run(text[7:])
    out = path.with_name("returned.docx")
    document.save(out)
    return out, out.read_bytes(), removed.text, with_reference.text


@pytest.fixture(scope="module")
def redline(issued, returned):
    notes = [
        RedlineNote("non_exclusivity", "mandatory: altered [principle 3: no exclusivity]"),
        RedlineNote(None, "non_standard: new text needs approval"),
    ]
    blob, summary = build_redline(issued[1], returned[1], notes=notes)
    return blob, summary


def test_accepting_every_change_gives_the_returned_document(returned, redline):
    assert reading(accept_all(redline[0])) == reading(body_of(returned[1]))


def test_rejecting_every_change_gives_the_issued_document(issued, redline):
    assert reading(reject_all(redline[0])) == reading(body_of(issued[1]))


def test_every_edit_is_a_tracked_change_by_the_stated_author(returned, redline):
    blob, summary = redline
    body = body_of(blob)
    deleted = "".join(t.text for t in body.iter(w("delText")))
    inserted = "".join(t.text for i in body.iter(w("ins")) for t in i.iter(w("t")))
    assert returned[2][:40] in deleted
    assert INSERTED in inserted and "SWAPPED" in inserted
    marks = list(body.iter(w("ins"), w("del"), w("rPrChange")))
    assert marks and {m.get(w("author")) for m in marks} == {REDLINE_AUTHOR}
    assert len({m.get(w("date")) for m in marks}) == 1
    struck = [c for c in body.iter(w("rPrChange")) if c.getparent().find(w("strike")) is not None]
    hidden = [c for c in body.iter(w("rPrChange")) if c.getparent().find(w("vanish")) is not None]
    assert struck and hidden, "formatting-only changes are tracked too"
    assert summary.insertions >= 2 and summary.deletions >= 2 and summary.formatting >= 2
    # The paragraph retyped in other runs is not a change: only the edits above are.
    assert summary.paragraphs_changed == 5


def test_cross_references_numbering_and_contents_survive(issued, redline):
    body = body_of(redline[0])
    issued_body = body_of(issued[1])

    def fields(tree):
        return [t.text for t in tree.iter(w("instrText"))]

    assert fields(body) == fields(issued_body)
    assert [tracked.paragraph_style(p) for p in tracked.top_paragraphs(reject_all(redline[0]))] == [
        tracked.paragraph_style(p) for p in tracked.top_paragraphs(issued_body)
    ]


def test_deviations_carry_comments_on_their_clause(redline):
    blob, summary = redline
    with zipfile.ZipFile(io.BytesIO(blob)) as archive:
        comments = etree.fromstring(archive.read("word/comments.xml"))
    texts = ["".join(c.itertext()) for c in comments.iter(w("comment"))]
    assert any("principle 3" in text for text in texts)
    assert summary.comments == 2
    body = body_of(blob)
    ids = {c.get(w("id")) for c in comments.iter(w("comment"))}
    assert {r.get(w("id")) for r in body.iter(w("commentReference"))} == ids


def test_redline_is_reproducible_and_dated_from_the_returned_file(issued, returned, redline):
    again, _ = build_redline(
        issued[1],
        returned[1],
        notes=[
            RedlineNote("non_exclusivity", "mandatory: altered [principle 3: no exclusivity]"),
            RedlineNote(None, "non_standard: new text needs approval"),
        ],
    )
    assert again == redline[0]
    date = next(body_of(again).iter(w("ins"))).get(w("date"))
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", date)
    assert (
        date != FALLBACK_DATE or Document(io.BytesIO(returned[1])).core_properties.modified is None
    )


def test_identical_documents_give_a_redline_without_changes(issued):
    blob, summary = build_redline(issued[1], issued[1])
    assert summary.paragraphs_changed == 0
    body = body_of(blob)
    assert not list(body.iter(w("ins"), w("del"), w("rPrChange"), w("pPrChange")))


def test_write_redline_never_overwrites_without_force(tmp_path, issued, returned):
    out = tmp_path / "redline.docx"
    out.write_bytes(b"keep me")
    with pytest.raises(OutputError, match="already exists"):
        write_redline(issued[1], returned[1], out)
    assert out.read_bytes() == b"keep me"
    summary = write_redline(issued[1], returned[1], out, force=True)
    assert summary.path == out and out.read_bytes().startswith(b"PK")
    with pytest.raises(OutputError):
        write_redline(issued[1], returned[1], returned[0], force=True, inputs=[returned[0]])


@pytest.mark.libreoffice
def test_libreoffice_opens_the_redline_with_its_changes(tmp_path, redline, returned):
    path = tmp_path / "redline.docx"
    path.write_bytes(redline[0])
    pdf = libreoffice_convert(path, "pdf", tmp_path / "out")
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    # LibreOffice prints tracked changes in place: the inserted and deleted text both show.
    assert INSERTED in flat
    assert "SWAPPED" in flat
    assert " ".join(returned[2].split())[:40] in flat


def test_compare_writes_the_new_turn_as_tracked_changes_on_the_old(tmp_path, issued, returned):
    from click.testing import CliRunner

    from toolkit.cli import cli

    old, new = issued[0], returned[0]
    out = tmp_path / "turn.docx"
    result = CliRunner().invoke(cli, ["compare", str(old), str(new), "--redline", str(out)])
    assert result.exit_code == 1, result.output  # the turns differ
    assert f"Redline written to {out}" in result.output
    blob = out.read_bytes()
    assert reading(accept_all(blob)) == reading(body_of(new.read_bytes()))
    assert reading(reject_all(blob)) == reading(body_of(old.read_bytes()))

    # Like every output: not over an existing file without --force, never over a turn.
    again = CliRunner().invoke(cli, ["compare", str(old), str(new), "--redline", str(out)])
    assert again.exit_code == 1 and "already exists" in again.output
    assert out.read_bytes() == blob
    over_input = ["compare", str(old), str(new), "--redline", str(new), "--force"]
    refused = CliRunner().invoke(cli, over_input)
    assert refused.exit_code == 1 and "is also an input" in refused.output
    assert new.read_bytes() == returned[1]
    forced = CliRunner().invoke(
        cli, ["compare", str(old), str(new), "--redline", str(out), "--force", "--json"]
    )
    assert forced.exit_code == 1
    written = json.loads(forced.output)["redline"]
    assert written["redline"] == str(out) and written["insertions"] >= 1
