"""`nhs-contracts check`: reading a contract back and reporting every deviation."""

from __future__ import annotations

import copy
import json
import re
import shutil
import zipfile
from pathlib import Path

import docx
import pytest
from check_support import issue
from conftest import edit_library_file, libreoffice_convert, rewrite_zip_part
from docx.oxml.ns import qn

from toolkit.api import assemble
from toolkit.check import check_contract, normalise_title, word_diff
from toolkit.docx.reader import read_contract

FIXTURES = Path(__file__).parent / "fixtures"
MANIFEST_PART = "customXml/item90.xml"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_libreoffice = pytest.mark.libreoffice


# -- helpers ---------------------------------------------------------------------


@pytest.fixture(scope="session")
def pristine(tmp_path_factory, library):
    """A contract issued once from the valid royalty deal with the shipped library."""
    return issue(FIXTURES / "v1-royalty-deal.yaml", tmp_path_factory.mktemp("pristine"), library)


@pytest.fixture
def unrecorded(pristine, tmp_path):
    """A copy of the issued contract that this test's register does not know."""
    target = tmp_path / "unrecorded" / "contract.docx"
    target.parent.mkdir()
    shutil.copyfile(pristine.path, target)
    return target


@pytest.fixture
def contract(pristine, tmp_path):
    """A fresh copy of the issued contract, to edit; the issue is in this test's register."""
    return pristine.copy_to(tmp_path / "contract.docx")


def manifest_entry(path, clause_id):
    """Return a clause's entry in the contract's manifest."""
    manifest = read_contract(path).manifest
    return next(entry for entry in manifest["clauses"] if entry["id"] == clause_id)


def label(path, clause_id):
    """Return the label `check` gives a clause: 'clause 9 (Non-exclusivity)'."""
    entry = manifest_entry(path, clause_id)
    number = entry["number"]
    where = number if number.startswith("Schedule") else f"clause {number}"
    return f"{where} ({entry['title']})"


def preceding(path, clause_id):
    """Return the id of the clause before the given one."""
    ids = [entry["id"] for entry in read_contract(path).manifest["clauses"]]
    return ids[ids.index(clause_id) - 1]


def _style(paragraph):
    style = paragraph.find(qn("w:pPr") + "/" + qn("w:pStyle"))
    return style.get(qn("w:val")) if style is not None else ""


def _text(element):
    return "".join(node.text or "" for node in element.iter(qn("w:t")))


def clause_paragraphs(document, title):
    """Return the w:p elements of the clause or schedule with this heading."""
    found, inside = [], False
    for paragraph in document.element.body.iter(qn("w:p")):
        if _style(paragraph) in ("Heading1", "ScheduleHeading", "SectionHeading"):
            inside = _text(paragraph) == title
        if inside:
            found.append(paragraph)
    assert found, f"no clause headed {title!r}"
    return found


def edit(path, change):
    """Open the .docx with python-docx, apply ``change(document)``, save it in place."""
    document = docx.Document(str(path))
    change(document)
    document.save(str(path))
    return path


def replace_text(document, old, new):
    """Replace text inside single runs, everywhere in the body (tables too)."""
    count = 0
    for node in document.element.body.iter(qn("w:t")):
        if node.text and old in node.text:
            node.text = node.text.replace(old, new)
            count += 1
    assert count, f"{old!r} not found"


rewrite_part = rewrite_zip_part


def edit_manifest(path, change):
    """Change the manifest's JSON with ``change(manifest)`` and write it back."""
    from toolkit.docx.manifest import manifest_xml, parse_manifest_xml

    def _change(data):
        manifest = parse_manifest_xml(data)
        change(manifest)
        return manifest_xml(manifest)

    return rewrite_part(path, MANIFEST_PART, _change)


def check(run, path, *args):
    return run("check", path, *args)


def libreoffice_round_trip(path, out_dir):
    """Open and save a .docx in LibreOffice (no changes) and return the new file."""
    return libreoffice_convert(path, "docx:MS Word 2007 XML", out_dir)


# -- a contract as assembled ---------------------------------------------------------


def test_a_contract_as_assembled_checks_clean(run, contract):
    result = check(run, contract)
    assert result.exit_code == 0, result.output
    assert "OK: the contract matches the approved text" in result.output
    assert "agreement RFL-DP-2027-001" in result.output


def test_json_report_of_a_clean_contract(run, contract):
    result = check(run, contract, "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["ok"] is True
    assert report["manifest"] is True
    assert report["agreement_reference"] == "RFL-DP-2027-001"
    assert report["mandatory"] == report["deviations"] == report["added"] == []
    assert report["manifest_problems"] == []
    assert report["clauses_checked"] == len(read_contract(contract).manifest["clauses"])


def test_library_function_returns_a_report(contract, library):
    report = check_contract(contract, library)
    assert report.ok
    assert report.findings == []
    assert report.has_manifest


@pytest.mark.parametrize(
    "example",
    sorted((Path(__file__).resolve().parent.parent / "examples" / "deals").glob("valid-*.yaml")),
    ids=lambda path: path.stem,
)
def test_every_example_contract_checks_clean(run, library, example, tmp_path):
    # Dates in model terms (instalments, share issue dates) survive the manifest's JSON.
    out = tmp_path / "contract.docx"
    assemble(example, out, library=library)
    report = check_contract(out, library)
    assert report.ok, "\n".join(report.lines())


def test_a_draft_with_open_items_checks_clean(run, deal, write_spec, tmp_path):
    del deal["nhs_parties"][0]["board_approval"]
    del deal["data"]["dpia_reference"]
    deal["clauses"] = {"additional_terms": ["Reports go to {{ 7*7 }} & <w:p> people."]}
    out = tmp_path / "draft.docx"
    assembled = run("assemble", write_spec(deal), "-o", out, "--draft")
    assert assembled.exit_code == 0, assembled.output
    result = check(run, out)
    assert result.exit_code == 0, result.output
    assert "OK: the contract matches the approved text" in result.output


# -- the four kinds of deviation ----------------------------------------------------


def test_a_returned_turn_is_compared_with_the_issue_it_is_when_a_draft_came_later(
    contract, library, tmp_path
):
    """The same deal spec issued as final and, later, as a draft: a returned turn of the
    final contract is compared with the final issue, not with the newer draft."""
    edit(contract, lambda d: replace_text(d, "reduce by 25%", "reduce by 5%"))
    alone = check_contract(contract, library)
    draft = issue(FIXTURES / "v1-royalty-deal.yaml", tmp_path / "draft", library, draft=True)
    draft.copy_to(tmp_path / "draft.docx")  # now the newest issue under the reference
    both = check_contract(contract, library)
    assert [f.message for f in both.findings] == [f.message for f in alone.findings]
    assert both.basis_detail == alone.basis_detail
    assert alone.findings and not any("category" in f.message for f in both.findings)


def test_deleting_a_paragraph_of_the_non_exclusivity_clause_is_caught(run, contract):
    def delete_second_paragraph(document):
        paragraphs = clause_paragraphs(document, "Non-exclusivity")
        paragraphs[2].getparent().remove(paragraphs[2])

    deleted = _text(clause_paragraphs(docx.Document(str(contract)), "Non-exclusivity")[2])
    edit(contract, delete_second_paragraph)
    result = check(run, contract)
    assert result.exit_code == 1
    name = label(contract, "non_exclusivity")
    number = manifest_entry(contract, "non_exclusivity")["number"]
    assert (
        f"{name}: the mandatory non-exclusivity clause has been altered "
        "[principle 3: no exclusivity, no lock-in]"
    ) in result.output
    assert f"{name}: differs from the approved text" in result.output
    assert f"clause {number}.2: removed: [-{deleted}-]" in result.output
    # Mandatory findings come first.
    assert result.output.index("Mandatory clauses:") < result.output.index("Deviations")


def test_changing_non_exclusive_to_exclusive_is_caught(run, contract):
    edit(contract, lambda d: replace_text(d, "is non-exclusive.", "is exclusive."))
    result = check(run, contract)
    assert result.exit_code == 1
    name = label(contract, "non_exclusivity")
    assert (
        f"{name}: the mandatory non-exclusivity clause has been altered and no longer "
        "says \u2018non-exclusive\u2019"
    ) in result.output
    assert "[-non-exclusive.-] {+exclusive.+}" in result.output


def test_removing_the_transparency_clause_is_caught(run, contract):
    def remove(document):
        for paragraph in clause_paragraphs(document, "Transparency"):
            paragraph.getparent().remove(paragraph)

    name = label(contract, "transparency")
    edit(contract, remove)
    result = check(run, contract)
    assert result.exit_code == 1
    assert (
        f"{name}: the mandatory transparency clause is missing [principle 4: transparency]"
    ) in result.output


def test_a_new_clause_is_caught_and_named(run, contract):
    def add_clause(document):
        heading = clause_paragraphs(document, "Transparency")[0]
        new = copy.deepcopy(heading)
        for mark in [*new.iter(qn("w:bookmarkStart")), *new.iter(qn("w:bookmarkEnd"))]:
            mark.getparent().remove(mark)
        texts = list(new.iter(qn("w:t")))
        texts[0].text = "Exclusivity"
        for node in texts[1:]:
            node.getparent().remove(node)
        body = copy.deepcopy(clause_paragraphs(document, "Transparency")[1])
        for run_ in list(body.iter(qn("w:r")))[1:]:
            run_.getparent().remove(run_)
        next(body.iter(qn("w:t"))).text = "The Partner has a right of first refusal."
        heading.addprevious(new)
        heading.addprevious(body)

    before = label(contract, preceding(contract, "transparency"))
    edit(contract, add_clause)
    result = check(run, contract)
    assert result.exit_code == 1
    assert (
        f"new clause \u201cExclusivity\u201d after {before} is not in the manifest "
        "and not from the library"
    ) in result.output
    assert "{+The Partner has a right of first refusal.+}" in result.output
    assert "Text not from the library:" in result.output


def test_a_paragraph_added_to_a_clause_is_caught(run, contract):
    def add_paragraph(document):
        first = clause_paragraphs(document, "Transparency")[1]
        new = copy.deepcopy(first)
        for run_ in list(new.iter(qn("w:r")))[1:]:
            run_.getparent().remove(run_)
        next(new.iter(qn("w:t"))).text = "The Partner may veto any publication."
        first.addnext(new)

    name = label(contract, "transparency")
    number = manifest_entry(contract, "transparency")["number"]
    edit(contract, add_paragraph)
    result = check(run, contract)
    assert result.exit_code == 1
    assert f"{name}: the mandatory transparency clause has been altered" in result.output
    assert (
        f"{name}: added paragraph not from the library (after clause {number}.1): "
        "\u201cThe Partner may veto any publication.\u201d"
    ) in result.output


def test_editing_a_benefit_target_is_caught_everywhere_it_appears(run, contract):
    edit(contract, lambda d: replace_text(d, "reduce by 25%", "reduce by 5%"))
    result = check(run, contract)
    assert result.exit_code == 1
    name = label(contract, "patient_benefit")
    assert (
        f"{name}: the mandatory patient and NHS benefit clause has been altered "
        "[principle 1: explicit aim and benefit]"
    ) in result.output
    assert "reduce by [-25%" in result.output
    assert "{+5%" in result.output
    assert f"{label(contract, 'benefits_plan')}: differs from the approved text" in result.output


def test_deleting_the_definitions_clause_is_caught(run, contract):
    def remove(document):
        for paragraph in clause_paragraphs(document, "Definitions"):
            paragraph.getparent().remove(paragraph)

    name = label(contract, "definitions")
    edit(contract, remove)
    result = check(run, contract)
    assert result.exit_code == 1
    assert f"{name}: is missing from the document" in result.output
    assert "Mandatory clauses:" not in result.output


def test_a_moved_clause_is_caught(run, contract):
    def move(document):
        transparency = clause_paragraphs(document, "Transparency")
        target = clause_paragraphs(document, "Definitions")[0]
        for paragraph in transparency:
            target.addprevious(paragraph)

    name = label(contract, "transparency")
    edit(contract, move)
    result = check(run, contract)
    assert result.exit_code == 1
    assert f"{name}: has been moved: it now comes first" in result.output


def test_a_change_of_party_name_on_the_front_page_is_caught(run, contract):
    def rename(document):
        for paragraph in document.paragraphs:
            if _style(paragraph._p) == "PartyList":
                for node in paragraph._p.iter(qn("w:t")):
                    if node.text == "Example Health AI Ltd":
                        node.text = "Other Health AI Ltd"
                        return
        raise AssertionError("party not found")

    edit(contract, rename)
    result = check(run, contract)
    assert result.exit_code == 1
    assert "Front matter (cover, key details, parties): differs from" in result.output
    assert "[-Example-] {+Other+}" in result.output


def test_tracked_changes_are_read_as_accepted(run, contract):
    def track(document):
        for node in document.element.body.iter(qn("w:t")):
            if node.text and "is non-exclusive." in node.text:
                old_run = node.getparent()
                new_run = copy.deepcopy(old_run)
                next(new_run.iter(qn("w:t"))).text = node.text.replace("non-exclusive", "exclusive")
                node.tag = qn("w:delText")
                deleted = old_run.makeelement(qn("w:del"), {qn("w:id"): "901", qn("w:author"): "X"})
                inserted = old_run.makeelement(
                    qn("w:ins"), {qn("w:id"): "902", qn("w:author"): "X"}
                )
                old_run.addprevious(deleted)
                deleted.append(old_run)
                deleted.addnext(inserted)
                inserted.append(new_run)
                return
        raise AssertionError("text not found")

    edit(contract, track)
    result = check(run, contract)
    assert result.exit_code == 1
    assert "no longer says \u2018non-exclusive\u2019" in result.output
    assert "checked as if all were accepted" in result.output


def test_json_report_of_a_deviation(run, contract):
    edit(contract, lambda d: replace_text(d, "is non-exclusive.", "is exclusive."))
    result = check(run, contract, "--json")
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["ok"] is False
    assert [f["clause"] for f in report["mandatory"]] == ["non_exclusivity"]
    assert report["mandatory"][0]["principle"] == 3
    (deviation,) = report["deviations"]
    assert deviation["clause"] == "non_exclusivity"
    (change,) = deviation["changes"]
    assert change["kind"] == "changed"
    assert "[-non-exclusive.-] {+exclusive.+}" in change["diff"]
    assert change["found"].endswith("is exclusive.")


# -- editors' habits that are not deviations ------------------------------------------


def test_a_wrong_cross_reference_number_is_flagged(run, contract):
    # Issue 9: a REF field must show what it computes; a stale or forged number misleads.
    def stale(data):
        return re.sub(
            rb"(REF _Cl_\w+ \\w \\h </w:instrText></w:r><w:r><w:fldChar "
            rb'w:fldCharType="separate"/></w:r><w:r><w:t xml:space="preserve">)[^<]*',
            rb"\g<1>99",
            data,
        )

    rewrite_part(contract, "word/document.xml", stale)
    assert "99" in "\n".join(read_contract(contract).paragraphs)
    result = check(run, contract)
    assert result.exit_code == 1, result.output
    assert "a REF field in clause 1 (Definitions) shows \u201c99\u201d where updating it" in (
        result.output
    )
    # The words of the clause are unchanged: only the field is reported.
    assert "Deviations from the approved text" not in result.output


def test_dropped_heading_bookmarks_are_found_by_title(run, contract):
    def drop(data):
        return re.sub(rb'<w:bookmarkStart w:id="\d+" w:name="_Cl_[0-9a-f]{16}"/>', b"", data)

    rewrite_part(contract, "word/document.xml", drop)
    result = check(run, contract)
    assert result.exit_code == 0, result.output
    assert "lost their hidden bookmark and were found by their titles" in result.output


def test_dropped_bookmarks_and_a_deleted_clause_are_still_caught(run, contract):
    def drop(data):
        return re.sub(rb'<w:bookmarkStart w:id="\d+" w:name="_Cl_[0-9a-f]{16}"/>', b"", data)

    def remove(document):
        for paragraph in clause_paragraphs(document, "Transparency"):
            paragraph.getparent().remove(paragraph)

    rewrite_part(contract, "word/document.xml", drop)
    edit(contract, remove)
    result = check(run, contract)
    assert result.exit_code == 1
    assert "the mandatory transparency clause is missing" in result.output


@needs_libreoffice
def test_a_libreoffice_round_trip_without_changes_checks_clean(run, contract, tmp_path):
    saved = libreoffice_round_trip(contract, tmp_path / "lo")
    document = read_contract(saved)
    assert document.manifest == read_contract(contract).manifest  # the manifest survives
    result = check(run, saved)
    assert result.exit_code == 0, result.output
    assert "OK: the contract matches the approved text" in result.output


@needs_libreoffice
def test_a_libreoffice_round_trip_keeps_an_edit_visible(run, contract, tmp_path):
    edit(contract, lambda d: replace_text(d, "is non-exclusive.", "is exclusive."))
    saved = libreoffice_round_trip(contract, tmp_path / "lo")
    result = check(run, saved)
    assert result.exit_code == 1
    assert "no longer says \u2018non-exclusive\u2019" in result.output
    assert "[-non-exclusive.-] {+exclusive.+}" in result.output


# -- the manifest -------------------------------------------------------------------


def test_a_tampered_clause_hash_in_the_manifest_is_caught(run, contract):
    def tamper(manifest):
        entry = next(e for e in manifest["clauses"] if e["id"] == "transparency")
        entry["text_sha256"] = "0" * 64

    name = label(contract, "transparency")
    edit_manifest(contract, tamper)
    result = check(run, contract)
    assert result.exit_code == 1
    assert (
        f"{name}: the manifest's text hash matches neither the document nor the approved "
        "text: the manifest has been edited"
    ) in result.output
    assert "Manifest and library:" in result.output


def test_a_tampered_deal_spec_in_the_manifest_is_caught(run, unrecorded, pristine, tmp_path):
    def tamper(manifest):
        manifest["spec"]["benefits"][0]["target"] = "reduce by 5%"

    # With no issued record, the manifest is checked against its own hash ...
    edit_manifest(unrecorded, tamper)
    result = check(run, unrecorded)
    assert result.exit_code == 1
    assert (
        "the deal spec in the manifest does not match the hash recorded with it (spec_sha256)"
    ) in result.output
    # ... and against the register, the differing value is named.
    contract = pristine.copy_to(tmp_path / "recorded.docx")
    original = read_contract(contract).manifest["spec"]["benefits"][0]["target"]
    edit_manifest(contract, tamper)
    result = check(run, contract)
    assert result.exit_code == 1
    assert "the deal spec in the document's manifest matches nothing that was issued" in (
        result.output
    )
    assert f"benefits[0].target: issued {original}, document reduce by 5%" in result.output


def test_a_clause_dropped_from_the_manifest_is_caught(run, contract):
    def tamper(manifest):
        manifest["clauses"] = [e for e in manifest["clauses"] if e["id"] != "transparency"]

    name = label(contract, "transparency")
    edit_manifest(contract, tamper)
    result = check(run, contract)
    assert result.exit_code == 1
    assert (
        f"{name}: is in the contract re-assembled from the manifest's deal spec, but the "
        "manifest does not list it"
    ) in result.output


def test_a_manifest_spec_that_no_longer_validates_falls_back_to_hashes(run, unrecorded):
    contract = unrecorded

    def tamper(manifest):
        manifest["spec"]["data"]["partner_dspt_status"] = "not_met"

    edit_manifest(contract, tamper)
    clean = check(run, contract)
    assert clean.exit_code == 1
    assert "cannot be re-assembled with this library" in clean.output
    assert "partner_dspt_status" in clean.output
    assert "Deviations" not in clean.output

    edit(contract, lambda d: replace_text(d, "is non-exclusive.", "is exclusive."))
    result = check(run, contract)
    assert result.exit_code == 1
    name = label(contract, "non_exclusivity")
    assert f"{name}: the mandatory non-exclusivity clause has been altered" in result.output
    assert f"{name}: differs from the text recorded in the manifest" in result.output


def test_a_damaged_manifest_is_reported(run, contract):
    rewrite_part(contract, MANIFEST_PART, lambda data: data.replace(b'"clauses"', b"clauses"))
    result = check(run, contract)
    assert result.exit_code == 1
    assert "the manifest is damaged: customXml/item90.xml holds a manifest" in result.output


def test_a_different_library_version_is_reported(run, contract, library_copy):
    meta = library_copy / "clauses" / "library.yaml"
    text = meta.read_text(encoding="utf-8")
    meta.write_text(re.sub(r"(?m)^version: .*$", "version: 9.9.9", text), encoding="utf-8")
    recorded = read_contract(contract).manifest["library"]["version"]
    result = check(run, contract, "--library", library_copy)
    assert result.exit_code == 1
    assert (
        f"the contract was assembled with library version {recorded}; this library is version 9.9.9"
    ) in result.output


def test_a_changed_approved_clause_in_the_library_is_reported(run, contract, library_copy):
    edit_library_file(
        library_copy,
        "clauses/general/counterparts.yaml",
        lambda clause: clause.update(
            version="9.0.0", text=clause["text"].rstrip("\n") + " This sentence is new.\n"
        ),
    )
    locked = run("library", "lock", "--library", library_copy)
    assert locked.exit_code == 0, locked.output
    name = label(contract, "counterparts")
    result = check(run, contract, "--library", library_copy)
    assert result.exit_code == 1
    assert (
        f"{name}: the document holds the text recorded in the manifest, but re-assembling "
        "the manifest's deal spec with this library gives different text (clause version "
        f"{manifest_entry(contract, 'counterparts')['version']} then, 9.0.0 now)"
    ) in result.output
    # Differences read from the approved text to the document, which lacks the sentence.
    assert "[-This sentence is new.-]" in result.output


# -- no manifest, not a contract ------------------------------------------------------


def drop_manifest(path):
    """Remove the manifest part and the relationship to it, as another tool might."""
    rewrite_part(path, MANIFEST_PART, lambda data: None)
    return rewrite_part(
        path,
        "word/_rels/document.xml.rels",
        lambda data: re.sub(rb"<Relationship [^>]*item90\.xml\"/>", b"", data),
    )


def test_a_docx_without_manifest_is_compared_by_headings(run, contract):
    drop_manifest(contract)
    docx.Document(str(contract))  # still a sound package
    result = check(run, contract)
    assert result.exit_code == 1
    assert "the document carries no nhs-contracts manifest" in result.output
    assert "Clause headings were compared with the library instead" in result.output
    assert "Mandatory clauses:" not in result.output


def test_a_docx_without_manifest_lacking_a_mandatory_heading(run, contract):
    def remove(document):
        for paragraph in clause_paragraphs(document, "Transparency"):
            paragraph.getparent().remove(paragraph)

    drop_manifest(contract)
    edit(contract, remove)
    result = check(run, contract, "--json")
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["manifest"] is False
    assert [f["clause"] for f in report["mandatory"]] == ["transparency"]
    assert report["mandatory"][0]["message"] == (
        "no heading of the mandatory transparency clause (\u201cTransparency\u201d) was found"
    )


def test_a_plain_word_document_reports_every_mandatory_heading_absent(run, tmp_path):
    path = tmp_path / "letter.docx"
    document = docx.Document()
    document.add_heading("Exclusivity", level=1)
    document.add_paragraph("The Partner has sole access to all data.")
    document.save(str(path))
    result = check(run, path)
    assert result.exit_code == 1
    for role in ("patient and NHS benefit", "non-exclusivity", "transparency"):
        assert f"no heading of the mandatory {role} clause" in result.output
    assert "heading \u201cExclusivity\u201d matches no clause of the library" in result.output


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.write_text("not a zip"), "not a readable Word (.docx) file"),
        (lambda p: None, "file not found"),
        (lambda p: p.mkdir(), "not a readable Word (.docx) file"),
        (
            lambda p: zipfile.ZipFile(p, "w").writestr("a.txt", "x"),
            "not a readable Word (.docx) file",
        ),
    ],
    ids=["text-file", "missing", "folder", "other-zip"],
)
def test_what_is_not_a_docx_gets_a_clear_error(run, tmp_path, make, message):
    path = tmp_path / "contract.docx"
    make(path)
    result = check(run, path)
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output
    as_json = check(run, path, "--json")
    assert as_json.exit_code == 1
    assert message in json.loads(as_json.output)["error"]


# -- the pieces -----------------------------------------------------------------------


def test_word_diff_marks_removed_and_added_words():
    assert word_diff("a b c", "a x c") == "a [-b-] {+x+} c"
    assert word_diff("a b", "a b c") == "a b {+c+}"
    long = " ".join(f"w{i}" for i in range(40))
    diff = word_diff(long, long.replace("w20", "CHANGED"))
    assert "[-w20-] {+CHANGED+}" in diff
    assert diff.startswith("\u2026 w14")
    assert diff.endswith("w26 \u2026")


def test_headings_compare_without_number_or_case():
    assert normalise_title("17. Non-Exclusivity") == "non-exclusivity"
    assert normalise_title("Schedule 2  Benefits plan") == "benefits plan"
    assert normalise_title("Transparency") == "transparency"


def test_a_mangled_manifest_is_reported_without_a_crash(run, contract, pristine, tmp_path):
    # Issue 9: values of the wrong type make the manifest unreadable, named field by field.
    def mangle(manifest):
        manifest["clauses"][3]["title"] = ["not", "text"]
        manifest["clauses"][3]["bookmark"] = {"not": "text"}
        manifest["library"] = 5
        manifest["spec"]["benefits"] = "none"

    edit_manifest(contract, mangle)
    result = check(run, contract)
    assert result.exit_code == 1
    assert "internal error" not in result.output
    assert "the manifest is damaged: customXml/item90.xml holds a manifest" in result.output
    assert "library: should be a mapping, found 5" in result.output
    assert "clauses[3].title: should be text" in result.output

    other = pristine.copy_to(tmp_path / "other.docx")
    edit_manifest(other, lambda manifest: manifest.update(clauses="nonsense", spec=None))
    result = check(run, other, "--json")
    assert result.exit_code == 1
    report = json.loads(result.output)
    (damaged,) = [f for f in report["manifest_problems"] if "damaged" in f["message"]]
    assert "clauses: should be a list, found 'nonsense'" in damaged["message"]
    assert "spec: should be a mapping, found None" in damaged["message"]


def test_check_is_listed_in_help(run):
    result = run("check", "--help")
    assert result.exit_code == 0
    assert "--library" in result.output
    assert "--json" in result.output


# -- the issued rendering, kept between checks ----------------------------------------


def test_a_second_check_of_a_turn_uses_the_kept_issued_contract(contract, library, monkeypatch):
    from toolkit.check import rendering
    from toolkit.contract import assemble

    edit(contract, lambda d: replace_text(d, "is non-exclusive.", "is exclusive."))
    first = check_contract(contract, library)

    def refuse(*args, **kwargs):
        raise AssertionError("the issued contract was assembled or rendered again")

    monkeypatch.setattr(rendering, "_render", refuse)
    monkeypatch.setattr(assemble, "assemble_contract", refuse)
    again = check_contract(contract, library)
    assert [(f.kind, f.clause, f.message) for f in again.findings] == [
        (f.kind, f.clause, f.message) for f in first.findings
    ]
    assert any(f.clause == "non_exclusivity" for f in again.findings)


def test_only_the_most_recent_issued_renderings_are_kept(tmp_path, monkeypatch):
    import os

    from toolkit import cache
    from toolkit.check import rendering

    monkeypatch.setenv(cache.CACHE_DIR_ENV, str(tmp_path / "cache"))
    for index in range(rendering.KEPT + 5):
        cache.store(f"issued-{index:04d}", "key", index)
        entry = tmp_path / "cache" / f"issued-{index:04d}.pickle"
        os.utime(entry, (1_000_000 + index, 1_000_000 + index))
    cache.store("library-probe", "key", 0)  # another kind of entry: never pruned with them
    cache.prune("issued-", rendering.KEPT)
    kept = sorted(p.name for p in (tmp_path / "cache").glob("issued-*.pickle"))
    assert kept == [f"issued-{index:04d}.pickle" for index in range(5, rendering.KEPT + 5)]
    assert (tmp_path / "cache" / "library-probe.pickle").exists()
