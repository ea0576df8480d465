"""PDF output through headless LibreOffice: page numbers, cross-references, batches, failures.

These tests need LibreOffice (soffice) and poppler's pdftotext. Without them they are
skipped on a workstation, but not in CI (CI=true), where a missing tool must fail.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import rewrite_zip_part
from docx import Document

import toolkit.pdf.office
from toolkit.api import assemble, prepare_contract
from toolkit.cli import cli
from toolkit.contract.markup import Table
from toolkit.contract.model import ResolvedRef, bookmark_name, segments_text
from toolkit.exceptions import ConversionError
from toolkit.pdf import convert_to_pdf
from toolkit.pdf.print_copy import copy_without_comments

FIXTURES = Path(__file__).parent / "fixtures"
needs_libreoffice = pytest.mark.libreoffice
FOOTER = re.compile(r"^\s*Page (\d+) of (\d+)\s*$", re.MULTILINE)


def pdf_pages(pdf: Path, *, layout: bool = True) -> list[str]:
    """Return the text of each page of a PDF, as pdftotext reads it."""
    command = ["pdftotext", *(["-layout"] if layout else []), str(pdf), "-"]
    text = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1]  # every page ends with a form feed


def heading_pattern(number: str, title: str) -> re.Pattern:
    """A clause or schedule heading as printed: its number, then its title in capitals."""
    words = [re.escape(word) for word in f"{number} {title}".upper().split()]
    return re.compile(r"^\s*" + r"\s+".join(words) + r"\s*$", re.MULTILINE)


def contents_entries(page: str) -> list[tuple[str, str, int]]:
    """Return (number, title, page) for each line of a printed contents list."""
    entry = re.compile(r"^\s*(Schedule \d+|\d+)\s+(.+?)\s*\.{3,}\s*(\d+)\s*$", re.MULTILINE)
    return [(number, title, int(page)) for number, title, page in entry.findall(page)]


def contents(pages: list[str]) -> tuple[list[int], list[tuple[str, str, int]]]:
    """Return the indexes of the contents pages and the entries listed on them."""
    first = next(index for index, page in enumerate(pages) if "CONTENTS" in page)
    indexes, entries = [], []
    for index in range(first, len(pages)):
        found = contents_entries(pages[index])
        if not found:
            break
        indexes.append(index)
        entries += found
    return indexes, entries


def stale_pipes() -> set[str]:
    """LibreOffice's named pipes in /tmp that no process listens on any more."""
    live = Path("/proc/net/unix")
    if not live.exists():
        return set()
    listening = {line.split()[-1] for line in live.read_text().splitlines() if "OSL_PIPE" in line}
    return {str(path) for path in Path("/tmp").glob("OSL_PIPE_*")} - listening  # noqa: S108


@pytest.fixture(scope="module")
def contract_pdf(tmp_path_factory, library):
    """One contract assembled with --pdf: (contract, .docx, PDF, CLI output)."""
    folder = tmp_path_factory.mktemp("pdf")
    spec = folder / "deal.yaml"
    shutil.copyfile(FIXTURES / "v1-royalty-deal.yaml", spec)
    docx = folder / "contract.docx"
    result = CliRunner().invoke(cli, ["assemble", str(spec), "-o", str(docx), "--pdf"])
    assert result.exit_code == 0, result.output
    return prepare_contract(spec, library), docx, folder / "contract.pdf", result.output


@needs_libreoffice
def test_assemble_writes_a_pdf_beside_the_docx(contract_pdf):
    _, docx, pdf, output = contract_pdf
    assert docx.is_file()
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert f"PDF written to {pdf}" in output
    leftovers = [p.name for p in pdf.parent.iterdir() if p.name.startswith(".")]
    assert leftovers == [], "temporary files were left beside the PDF"


@needs_libreoffice
def test_contents_list_gives_the_pages_the_headings_are_on(contract_pdf):
    contract, _, pdf, _ = contract_pdf
    pages = pdf_pages(pdf)
    contents_pages, entries = contents(pages)
    expected = [(part.display_number, part.clause.title) for part in contract.parts]
    assert [(number, title) for number, title, _ in entries] == expected
    for number, title, page_number in entries:
        pattern = heading_pattern(number, title)
        found = [
            index + 1
            for index, page in enumerate(pages)
            if index not in contents_pages and pattern.search(page)
        ]
        assert found == [page_number], f"{number} {title}: listed on page {page_number}"


@needs_libreoffice
def test_cross_references_name_the_numbers_their_targets_carry(contract_pdf):
    contract, _, pdf, _ = contract_pdf
    reference = contract.spec.reference
    # Running text in reading order, without the running header and footer; headings
    # as laid out (in reading order a heading's number and title come apart).
    body = "\n".join(
        "\n".join(
            line
            for line in page.splitlines()
            if line.strip() != reference and not FOOTER.match(line)
        )
        for page in pdf_pages(pdf, layout=False)
    )
    laid_out = "\n".join(pdf_pages(pdf))
    headings = {part.bookmark: part for part in contract.parts}
    items = {}
    for part in contract.parts:
        for block in part.blocks:
            if not isinstance(block, Table) and block.label:
                items[bookmark_name(f"{part.id}.{block.label}")] = (part, block)

    checked = 0
    for part in contract.parts:
        for block in part.blocks:
            runs = (
                [cell for row in block.rows for cell in row]
                if isinstance(block, Table)
                else [block.segments]
            )
            for segments in runs:
                before = ""
                for segment in segments:
                    if isinstance(segment, ResolvedRef):
                        checked += 1
                        # The reference, in context, reads as assembled ...
                        words = before.split()[-3:] + segment.display.split()
                        in_context = r"\s+".join(map(re.escape, words)) + r"(?!\.?\d)"
                        assert re.search(in_context, body), f"{part.id}: {' '.join(words)}"
                        # ... and names the number its target is printed with.
                        if segment.bookmark in headings:
                            target = headings[segment.bookmark]
                            assert segment.display == target.display_number
                            pattern = heading_pattern(target.display_number, target.clause.title)
                            assert pattern.search(laid_out), f"no heading {segment.display}"
                        else:
                            target_part, item = items[segment.bookmark]
                            assert segment.display == item.number
                            if item.level == 1 and not target_part.clause.is_schedule:
                                first = segments_text(item.segments).split()[:3]
                                printed = r"\s+".join(map(re.escape, [item.number, *first]))
                                assert re.search(r"^" + printed, laid_out, re.MULTILINE), (
                                    f"no paragraph {item.number}"
                                )
                    before += segments_text([segment])
    assert checked >= 3, "the contract should cross-refer to clauses and schedules"


@needs_libreoffice
def test_page_count_and_page_n_of_n_footers(contract_pdf):
    _, _, pdf, _ = contract_pdf
    pages = pdf_pages(pdf)
    assert 4 <= len(pages) <= 60
    for number, page in enumerate(pages, start=1):
        footers = FOOTER.findall(page)
        if number == 1 and not footers:
            continue  # the cover page may have no footer
        assert footers == [(str(number), str(len(pages)))], f"page {number}"


@needs_libreoffice
def test_one_libreoffice_start_converts_a_batch(tmp_path, deal, write_spec, monkeypatch):
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    references = ("RFL-DP-2027-101", "RFL-DP-2027-102")
    documents = []
    for reference in references:
        deal["agreement"]["reference"] = reference
        spec = write_spec(deal, name=f"{reference}.yaml")
        documents.append(assemble(spec, tmp_path / f"{reference}.docx").docx)
    documents[0].with_suffix(".pdf").write_bytes(b"an old PDF")  # replaced: force
    broken = tmp_path / "broken.docx"
    broken.write_bytes(documents[1].read_bytes()[:20000])  # a truncated zip

    starts = []
    real_popen = subprocess.Popen

    def counting_popen(command, *args, **kwargs):
        if any(str(part).startswith("-env:UserInstallation=") for part in command):
            starts.append(command)
        return real_popen(command, *args, **kwargs)

    monkeypatch.setattr(subprocess, "Popen", counting_popen)
    with pytest.raises(ConversionError) as caught:
        convert_to_pdf([documents[0], broken, documents[1]], force=True)

    assert len(starts) == 1, "one LibreOffice start serves the whole batch"
    # The document LibreOffice cannot open fails alone; the others are converted.
    pdfs = [document.with_suffix(".pdf") for document in documents]
    message = str(caught.value)
    assert f"No PDF was written for {broken}: LibreOffice could not open it" in message
    assert f"PDFs written: {pdfs[0]}, {pdfs[1]}." in message
    assert not broken.with_suffix(".pdf").exists()
    for pdf, reference in zip(pdfs, references, strict=True):
        pages = pdf_pages(pdf)
        assert reference in pages[1]
        _, entries = contents(pages)
        assert entries and all(page > 1 for _, _, page in entries)
    assert list(scratch.iterdir()) == [], "the temporary folder was left behind"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_missing_libreoffice_is_a_clear_error(tmp_path, deal, write_spec, run, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.setattr(toolkit.pdf.office, "KNOWN_LOCATIONS", ())
    spec = write_spec(deal)
    docx = tmp_path / "contract.docx"
    result = run("assemble", spec, "-o", docx, "--pdf")
    assert result.exit_code == 1
    assert "LibreOffice is needed for --pdf but was not found" in result.output
    assert f"No PDF was written for {docx}" in result.output
    assert "Traceback" not in result.output
    assert docx.is_file()
    assert not docx.with_suffix(".pdf").exists()


def test_existing_pdf_is_not_replaced_without_force(tmp_path, deal, write_spec, run):
    spec = write_spec(deal)
    docx = tmp_path / "contract.docx"
    pdf = tmp_path / "contract.pdf"
    pdf.write_bytes(b"an old PDF")
    result = run("assemble", spec, "-o", docx, "--pdf")
    assert result.exit_code == 1
    assert "already exists" in result.output and "--force" in result.output
    assert pdf.read_bytes() == b"an old PDF"

    docx.write_bytes(b"not looked at")
    with pytest.raises(ConversionError, match="already exists"):
        convert_to_pdf([docx])
    assert pdf.read_bytes() == b"an old PDF"


@needs_libreoffice
def test_a_run_out_of_time_is_stopped_and_cleaned_up(
    tmp_path, tmp_path_factory, deal, write_spec, monkeypatch
):
    docx = assemble(write_spec(deal), tmp_path / "contract.docx").docx
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    # The helper dawdles once connected, so LibreOffice is up, holding its pipes, when
    # the time runs out.
    helper = toolkit.pdf.office.HELPER_SCRIPT.read_text(encoding="utf-8")
    connected = "    results: dict[str, str | None] = {}\n"
    assert connected in helper
    dawdling = tmp_path_factory.mktemp("helper") / "uno_helper.py"
    dawdling.write_text(helper.replace(connected, "    time.sleep(600)\n"), encoding="utf-8")
    monkeypatch.setattr(toolkit.pdf.office, "HELPER_SCRIPT", dawdling)
    stale = stale_pipes()
    with pytest.raises(ConversionError, match="did not finish within 3 s"):
        convert_to_pdf([docx], timeout=3)
    assert not docx.with_suffix(".pdf").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["contract.docx", "deal.yaml", "scratch"]
    assert list(scratch.iterdir()) == [], "the temporary folder was left behind"
    assert stale_pipes() <= stale, "a stopped LibreOffice's pipes were left in /tmp"


@needs_libreoffice
def test_plain_conversion_when_uno_is_unusable(tmp_path, deal, write_spec, monkeypatch, caplog):
    docx = assemble(write_spec(deal), tmp_path / "contract.docx").docx
    monkeypatch.setattr(toolkit.pdf.office, "find_uno_python", lambda soffice: None)
    with caplog.at_level("WARNING", logger="toolkit.pdf"):
        (pdf,) = convert_to_pdf([docx])
    assert "no page numbers" in caplog.text
    assert "CONTENTS" in pdf_pages(pdf)[1]


COMMENTS_EXTENDED = (
    "http://schemas.microsoft.com/office/2011/relationships/commentsExtended",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.commentsExtended+xml",
)


def word_style_comments(path: Path) -> Path:
    """Rewrite a commented .docx as another editor might save it: other bytes, same meaning.

    The WordprocessingML prefix becomes ``x``, reference runs carry revision ids and
    more formatting, and a commentsExtended part (Word's) sits beside comments.xml.
    """

    def reprefix(xml: bytes) -> bytes:
        for old, new in ((b"<w:", b"<x:"), (b"</w:", b"</x:"), (b" w:", b" x:")):
            xml = xml.replace(old, new)
        return xml.replace(b"xmlns:w=", b"xmlns:x=")

    def word_runs(xml: bytes) -> bytes:
        xml = re.sub(
            rb'<w:r><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr>',
            b'<w:r w:rsidR="00AB12CD"><w:rPr><w:rStyle w:val="CommentReference"/>'
            b'<w:sz w:val="16"/></w:rPr>',
            xml,
        )
        return reprefix(xml)

    rewrite_zip_part(path, "word/document.xml", word_runs)
    rewrite_zip_part(path, "word/comments.xml", reprefix)
    relationship = (
        f'<Relationship Id="rIdX1" Type="{COMMENTS_EXTENDED[0]}" '
        'Target="commentsExtended.xml"/></Relationships>'
    ).encode()
    override = (
        f'<Override PartName="/word/commentsExtended.xml" ContentType="{COMMENTS_EXTENDED[1]}"/>'
        "</Types>"
    ).encode()
    rewrite_zip_part(
        path, "word/_rels/document.xml.rels", lambda x: x.replace(b"</Relationships>", relationship)
    )
    rewrite_zip_part(path, "[Content_Types].xml", lambda x: x.replace(b"</Types>", override))
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr(
            "word/commentsExtended.xml",
            '<w15:commentsEx xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml"/>',
        )
    return path


@pytest.fixture
def commented_draft(tmp_path, deal, write_spec):
    """A draft with open items, so with comments, saved as another editor might."""
    for party in deal["nhs_parties"]:
        party.pop("board_approval", None)
    result = assemble(write_spec(deal), tmp_path / "draft.docx", draft=True)
    assert result.contract.open_items, "the draft should have open items"
    return word_style_comments(result.docx)


def test_the_printed_copy_has_no_comments_however_they_were_written(commented_draft, tmp_path):
    original = Document(str(commented_draft))
    assert len(list(original.comments)) >= 2
    with zipfile.ZipFile(commented_draft) as archive:
        assert b"<x:commentReference" in archive.read("word/document.xml")
    copy = tmp_path / "copy.docx"

    copy_without_comments(commented_draft, copy)

    with zipfile.ZipFile(copy) as archive:
        names = archive.namelist()
        assert not [name for name in names if "comment" in name.lower()]
        for name in names:
            if name.endswith((".xml", ".rels")):
                blob = archive.read(name)
                assert b"comment" not in blob.replace(b"CommentReference", b""), name
    # Every word is still there, and the package still opens (no dangling parts).
    printed = Document(str(copy))
    assert [p.text for p in printed.paragraphs] == [p.text for p in original.paragraphs]
    assert list(printed.comments) == []


def test_the_printed_copy_of_a_document_without_comments_keeps_every_part(
    tmp_path, deal, write_spec
):
    final = assemble(write_spec(deal), tmp_path / "final.docx").docx
    copy = tmp_path / "copy.docx"
    copy_without_comments(final, copy)
    with zipfile.ZipFile(final) as before, zipfile.ZipFile(copy) as after:
        assert before.namelist() == after.namelist()
        for name in before.namelist():
            assert before.read(name) == after.read(name), name


@needs_libreoffice
def test_a_commented_draft_is_printed_with_page_numbers_and_no_comments(commented_draft, caplog):
    with caplog.at_level("WARNING", logger="toolkit.pdf"):
        (pdf,) = convert_to_pdf([commented_draft])
    assert "no page numbers" not in caplog.text, "the UNO conversion should have served"
    pages = pdf_pages(pdf)
    _, entries = contents(pages)
    assert entries and all(page > 1 for _, _, page in entries)
    text = "\n".join(pages)
    assert "[●]" in text
    comments = [comment.text for comment in Document(str(commented_draft)).comments]
    assert comments and all(comment.startswith("Open item:") for comment in comments)
    assert "Open item" not in text, "a comment was printed"


def test_a_dangling_symlink_at_the_pdf_path_counts_as_taken(tmp_path):
    docx = tmp_path / "contract.docx"
    docx.write_bytes(b"not looked at")
    pdf = tmp_path / "contract.pdf"
    pdf.symlink_to(tmp_path / "nowhere.pdf")
    with pytest.raises(ConversionError, match="already exists"):
        convert_to_pdf([docx])
    assert pdf.is_symlink() and not (tmp_path / "nowhere.pdf").exists()


def test_the_same_document_twice_is_refused_before_libreoffice_starts(tmp_path):
    docx = tmp_path / "contract.docx"
    docx.write_bytes(b"not looked at")
    with pytest.raises(ConversionError, match="given twice"):
        convert_to_pdf([docx, tmp_path / "." / "contract.docx"])
    assert not (tmp_path / "contract.pdf").exists()
