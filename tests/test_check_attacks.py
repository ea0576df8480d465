"""Attacks on `check` by class (issue 9): every edit a reader would see is caught and
classified, whichever clause, paragraph, story or field it lands in.

One contract is issued per session; each example edits a fresh copy's XML directly,
as a counterparty's tool would, and checks it against the register.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from check_support import (
    add_part,
    clause_paragraphs,
    edit_xml,
    issue,
    paragraph_with,
    run_with,
)
from conftest import EXAMPLES, rewrite_zip_part
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from toolkit.check import check_contract
from toolkit.check.report import Classification
from toolkit.docx.conventions import R_NS, W_NS
from toolkit.docx.reader import read_contract
from toolkit.principles import MANDATORY_IDS

W = f"{{{W_NS}}}"
SENTENCE = "The Partner has the exclusive right to use the Data."
MANIFEST_PART = "customXml/item90.xml"
ATTACK_SETTINGS = settings(
    max_examples=6,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(scope="session")
def issued(tmp_path_factory, library):
    """The contract the attacks start from, issued once."""
    return issue(EXAMPLES / "valid-royalty.yaml", tmp_path_factory.mktemp("attacked"), library)


@pytest.fixture(scope="session")
def clauses(issued):
    """The manifest's clause entries (id, title, bookmark, mandatory)."""
    return read_contract(issued.path).manifest["clauses"]


def fresh(issued, tmp_path, name="returned.docx") -> Path:
    """A copy of the issued contract, the issue recorded in this test's register."""
    return issued.copy_to(tmp_path / name)


def seen_findings(report, clause=None):
    return [
        f for f in report.findings if f.kind == "seen" and (clause is None or f.clause == clause)
    ]


# -- formatting that changes what a reader sees, anywhere ---------------------------------

FORMATS = {
    "hidden": "<w:rPr><w:vanish/></w:rPr>",
    "white": '<w:rPr><w:color w:val="FFFFFF"/></w:rPr>',
    "near-white": '<w:rPr><w:color w:val="FDFEFD"/></w:rPr>',
    "one point": '<w:rPr><w:sz w:val="2"/><w:szCs w:val="2"/></w:rPr>',
    "struck": "<w:rPr><w:strike/></w:rPr>",
    "double struck": "<w:rPr><w:dstrike/></w:rPr>",
    "raised": '<w:rPr><w:position w:val="60"/></w:rPr>',
    "squeezed": '<w:rPr><w:spacing w:val="-40"/></w:rPr>',
}


def apply_format(paragraph, rpr: str, part_of_word: bool) -> str:
    """Give the paragraph's first run ``rpr`` (only its first 4 letters if ``part_of_word``)."""
    run = next(
        r for r in paragraph.iter(W + "r") if r.find(W + "t") is not None and r.find(W + "t").text
    )
    text = run.find(W + "t").text
    for old in run.findall(W + "rPr"):
        run.remove(old)
    if part_of_word and len(text) > 4:
        head = run_with(text[:4], rpr)
        run.find(W + "t").text = text[4:]
        run.addprevious(head)
        return text[:4]
    run.insert(0, etree.fromstring(f'<w:rPr xmlns:w="{W_NS}">{rpr[7:-8]}</w:rPr>'))
    return text


@ATTACK_SETTINGS
@given(data=st.data())
def test_formatting_on_any_paragraph_of_any_clause_is_caught(
    issued, clauses, library, tmp_path_factory, data
):
    entry = data.draw(st.sampled_from(clauses), label="clause")
    name = data.draw(st.sampled_from(sorted(FORMATS)), label="format")
    part_of_word = data.draw(st.booleans(), label="part of a word")
    path = fresh(issued, tmp_path_factory.mktemp("fmt"))
    chosen = {}

    def change(root):
        paragraphs = clause_paragraphs(root, entry["bookmark"])
        index = data.draw(st.integers(0, len(paragraphs) - 1), label="paragraph")
        chosen["text"] = apply_format(paragraphs[index], FORMATS[name], part_of_word)

    edit_xml(path, "word/document.xml", change)
    report = check_contract(path, library)
    assert not report.ok, "\n".join(report.lines())
    found = seen_findings(report, entry["id"])
    assert found, "\n".join(report.lines())
    expected = (
        Classification.MANDATORY if entry["id"] in MANDATORY_IDS else Classification.NON_STANDARD
    )
    assert {f.classification for f in found} == {expected}
    assert any(chosen["text"].strip()[:3] in f.message for f in found)


def test_a_style_definition_alone_that_hides_every_sub_clause_is_caught(issued, library, tmp_path):
    path = fresh(issued, tmp_path)

    def hide(root):
        style = next(s for s in root.iter(W + "style") if s.get(W + "styleId") == "ClauseLevel2")
        rpr = style.find(W + "rPr")
        if rpr is None:
            rpr = etree.SubElement(style, W + "rPr")
        etree.SubElement(rpr, W + "vanish")

    edit_xml(path, "word/styles.xml", hide)
    report = check_contract(path, library)
    assert not report.ok
    hidden = [f for f in seen_findings(report) if " is hidden: " in f.message]
    assert {f.clause for f in hidden} >= MANDATORY_IDS & {f.clause for f in hidden}
    assert any(f.classification is Classification.MANDATORY for f in hidden)
    assert len({f.clause for f in hidden}) > 10


def test_every_numbering_start_changed_is_caught(issued, library, tmp_path):
    path = fresh(issued, tmp_path)
    edit_xml(
        path,
        "word/numbering.xml",
        lambda root: [node.set(W + "val", "3") for node in root.iter(W + "start")],
    )
    report = check_contract(path, library)
    assert not report.ok
    shifted = [f for f in seen_findings(report) if "numbers shown differ" in f.message]
    assert shifted, "\n".join(report.lines())
    assert any(f.classification is Classification.MANDATORY for f in shifted)


# -- text outside the main body ---------------------------------------------------------


def _footnote_parts(kind: str) -> bytes:
    tag = "footnotes" if kind == "footnote" else "endnotes"
    return (
        f'<w:{tag} xmlns:w="{W_NS}"><w:{kind} w:id="5"><w:p><w:r><w:t>{SENTENCE}</w:t></w:r>'
        f"</w:p></w:{kind}></w:{tag}>"
    ).encode()


@pytest.mark.parametrize(
    "story", ["header", "footer", "footnote", "endnote", "comment", "fallback"]
)
def test_text_in_every_story_is_caught(issued, clauses, library, tmp_path, story):
    path = fresh(issued, tmp_path)
    target = next(e for e in clauses if e["id"] == "non_exclusivity")
    if story in ("header", "footer"):
        edit_xml(path, f"word/{story}1.xml", lambda root: root.append(paragraph_with(SENTENCE)))
    else:

        def anchor(root):
            paragraph = clause_paragraphs(root, target["bookmark"])[1]
            if story in ("footnote", "endnote"):
                reference = f'<w:r xmlns:w="{W_NS}"><w:{story}Reference w:id="5"/></w:r>'
            elif story == "comment":
                reference = f'<w:r xmlns:w="{W_NS}"><w:commentReference w:id="5"/></w:r>'
            else:
                reference = (
                    f'<w:r xmlns:w="{W_NS}" xmlns:mc="http://schemas.openxmlformats.org/'
                    'markup-compatibility/2006" xmlns:v="urn:schemas-microsoft-com:vml">'
                    '<mc:AlternateContent><mc:Choice Requires="wps"><w:t/></mc:Choice>'
                    "<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r>"
                    f"<w:t>{SENTENCE}</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape>"
                    "</w:pict></mc:Fallback></mc:AlternateContent></w:r>"
                )
            paragraph.append(etree.fromstring(reference))

        edit_xml(path, "word/document.xml", anchor)
        if story in ("footnote", "endnote"):
            add_part(path, f"word/{story}s.xml", _footnote_parts(story))
        elif story == "comment":
            add_part(
                path,
                "word/comments.xml",
                f'<w:comments xmlns:w="{W_NS}"><w:comment w:id="5" w:author="X"><w:p><w:r>'
                f"<w:t>{SENTENCE}</w:t></w:r></w:p></w:comment></w:comments>".encode(),
            )
    report = check_contract(path, library)
    assert not report.ok
    found = [f for f in seen_findings(report) if SENTENCE in f.message]
    assert found, "\n".join(report.lines())
    if story not in ("header", "footer"):
        # Anchored in the mandatory non-exclusivity clause: a mandatory problem.
        assert found[0].clause == "non_exclusivity"
        assert found[0].classification is Classification.MANDATORY


# -- containers the clause reader skips ---------------------------------------------------


@pytest.mark.parametrize("container", ["toc-style", "gallery", "toc-field"])
def test_text_in_contents_containers_is_caught(issued, clauses, library, tmp_path, container):
    path = fresh(issued, tmp_path)
    target = next(e for e in clauses if e["id"] == "transparency")

    def plant(root):
        anchor = clause_paragraphs(root, target["bookmark"])[1]
        if container == "toc-style":
            anchor.addnext(paragraph_with(SENTENCE, "TOC1"))
        elif container == "gallery":
            sdt = etree.fromstring(
                f'<w:sdt xmlns:w="{W_NS}"><w:sdtPr><w:docPartObj><w:docPartGallery '
                'w:val="Table of Contents"/></w:docPartObj></w:sdtPr><w:sdtContent/></w:sdt>'
            )
            sdt.find(W + "sdtContent").append(paragraph_with(SENTENCE))
            anchor.addnext(sdt)
        else:
            begin = etree.fromstring(
                f'<w:p xmlns:w="{W_NS}"><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r>'
                '<w:instrText xml:space="preserve"> TOC \\o "1-1" </w:instrText></w:r><w:r>'
                '<w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>Contents</w:t></w:r></w:p>'
            )
            end = etree.fromstring(
                f'<w:p xmlns:w="{W_NS}"><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
            )
            anchor.addnext(begin)
            begin.addnext(paragraph_with(SENTENCE))
            begin.getnext().addnext(paragraph_with("The NHS Party waives clause 1."))
            begin.getnext().getnext().addnext(end)

    edit_xml(path, "word/document.xml", plant)
    report = check_contract(path, library)
    assert not report.ok
    assert any(SENTENCE in f.message for f in report.findings), "\n".join(report.lines())


# -- fields ------------------------------------------------------------------------------


def _first_ref_result(root):
    """Return the w:t holding the displayed result of the first REF field in the body."""
    state = None
    for node in root.iter(W + "instrText", W + "fldChar", W + "t"):
        if node.tag == W + "instrText" and node.text and node.text.strip().startswith("REF"):
            state = "instr"
        elif (
            node.tag == W + "fldChar"
            and state == "instr"
            and node.get(W + "fldCharType") == "separate"
        ):
            state = "result"
        elif node.tag == W + "t" and state == "result":
            return node
    raise AssertionError("no REF field")


@pytest.mark.parametrize("shown", ["99", SENTENCE])
def test_a_ref_field_showing_something_else_is_caught(issued, library, tmp_path, shown):
    path = fresh(issued, tmp_path)
    edit_xml(
        path, "word/document.xml", lambda root: setattr(_first_ref_result(root), "text", shown)
    )
    report = check_contract(path, library)
    assert not report.ok
    assert any(
        f"shows \u201c{shown}\u201d where updating it shows" in f.message for f in report.findings
    )


def test_a_quote_field_whose_result_differs_from_its_literal_is_caught(
    issued, clauses, library, tmp_path
):
    path = fresh(issued, tmp_path)
    target = next(e for e in clauses if e["id"] == "non_exclusivity")

    def plant(root):
        paragraph = clause_paragraphs(root, target["bookmark"])[1]
        for run in list(paragraph.iter(W + "r")):
            run.getparent().remove(run)
        paragraph.append(
            etree.fromstring(f'<w:r xmlns:w="{W_NS}"><w:fldChar w:fldCharType="begin"/></w:r>')
        )
        for xml in (
            '<w:r><w:instrText xml:space="preserve"> QUOTE "exclusive." </w:instrText></w:r>',
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r>',
            "<w:r><w:t>non-exclusive.</w:t></w:r>",
            '<w:r><w:fldChar w:fldCharType="end"/></w:r>',
        ):
            paragraph.append(etree.fromstring(xml.replace("<w:r>", f'<w:r xmlns:w="{W_NS}">', 1)))

    edit_xml(path, "word/document.xml", plant)
    report = check_contract(path, library)
    assert not report.ok
    assert any(
        f.clause == "non_exclusivity" and f.classification is Classification.MANDATORY
        for f in report.findings
    )


# -- content filled in on opening, properties, manifests -------------------------------------


def test_a_data_bound_content_control_is_caught(issued, clauses, library, tmp_path):
    path = fresh(issued, tmp_path)
    target = next(e for e in clauses if e["id"] == "non_exclusivity")

    def plant(root):
        paragraph = clause_paragraphs(root, target["bookmark"])[1]
        sdt = etree.fromstring(
            f'<w:sdt xmlns:w="{W_NS}"><w:sdtPr><w:dataBinding w:xpath="/x[1]" '
            'w:storeItemID="{00000000-0000-0000-0000-000000000001}"/></w:sdtPr>'
            "<w:sdtContent><w:r><w:t>non-exclusive</w:t></w:r></w:sdtContent></w:sdt>"
        )
        paragraph.append(sdt)

    edit_xml(path, "word/document.xml", plant)
    add_part(path, "customXml/item7.xml", b"<x>exclusive</x>")
    report = check_contract(path, library)
    assert not report.ok
    assert any("bound to custom XML data" in f.message for f in report.findings)
    assert any("custom XML data part" in f.message for f in report.findings)


def test_an_imported_chunk_is_caught(issued, library, tmp_path):
    path = fresh(issued, tmp_path)
    edit_xml(
        path,
        "word/document.xml",
        lambda root: root.find(W + "body").insert(
            0,
            etree.fromstring(f'<w:altChunk xmlns:w="{W_NS}" xmlns:r="{R_NS}" r:id="rId99"/>'),
        ),
    )
    add_part(path, "word/afchunk.htm", f"<html><body>{SENTENCE}</body></html>".encode())
    report = check_contract(path, library)
    assert not report.ok
    assert any("altChunk" in f.message for f in report.findings)


def test_a_changed_document_property_is_caught(issued, library, tmp_path):
    path = fresh(issued, tmp_path)
    rewrite_zip_part(
        path,
        "docProps/core.xml",
        lambda data: re.sub(rb"<dc:title>[^<]*", b"<dc:title>Exclusive licence", data),
    )
    report = check_contract(path, library)
    assert not report.ok
    assert any("document property 'title'" in f.message for f in report.findings)


def test_a_second_manifest_is_caught(issued, library, tmp_path):
    path = fresh(issued, tmp_path)
    import zipfile

    with zipfile.ZipFile(path) as archive:
        manifest = archive.read(MANIFEST_PART)
    add_part(path, "customXml/item91.xml", manifest)
    report = check_contract(path, library)
    assert not report.ok
    assert any(
        "manifest parts" in f.message and f.classification is Classification.MANDATORY
        for f in report.findings
    )


def test_a_transplanted_manifest_from_an_edited_spec_is_caught(issued, library, tmp_path, run):
    # The other side edits the deal spec and re-assembles it with the public toolkit.
    import yaml

    spec = yaml.safe_load((EXAMPLES / "valid-royalty.yaml").read_text(encoding="utf-8"))
    text = yaml.safe_dump(spec, sort_keys=False, allow_unicode=True)
    edited = text.replace("minimum_annual_royalty_gbp: 25000", "minimum_annual_royalty_gbp: 1000")
    assert edited != text
    spec_path = tmp_path / "edited.yaml"
    spec_path.write_text(edited, encoding="utf-8")
    fresh(issued, tmp_path, "issued.docx")  # the genuine issue is in the register
    forged = tmp_path / "forged.docx"
    from toolkit.api import assemble

    assemble(spec_path, forged, library=library, register=tmp_path / "their-register.sqlite3")
    report = check_contract(forged, library)
    assert not report.ok
    (finding,) = [f for f in report.findings if "matches nothing that was issued" in f.message]
    assert finding.classification is Classification.MANDATORY
    assert "minimum_annual_royalty_gbp: issued 25000, document 1000" in finding.message


# -- malformed manifests -------------------------------------------------------------------


MALFORMED = ("huge integer", "deep nesting", "wrong types", "not an object")


@pytest.mark.parametrize("shape", MALFORMED)
def test_a_malformed_manifest_gets_a_clear_problem(issued, library, tmp_path, run, shape):
    path = fresh(issued, tmp_path)

    def rewrite(data: bytes) -> bytes:
        if shape == "not an object":
            return data.replace(b">{", b">[{", 1).replace(b"}</manifest>", b"}]</manifest>")
        if shape == "deep nesting":
            body = '{"spec": ' + "[" * 5000 + "]" * 5000 + "}"
        elif shape == "huge integer":
            body = '{"agreement_reference": ' + "9" * 5000 + "}"
        else:
            body = json.dumps({"clauses": {"a": 1}, "draft": "yes", "library": []})
        return re.sub(
            rb"(<manifest[^>]*>).*(</manifest>)",
            lambda m: m.group(1) + body.encode() + m.group(2),
            data,
            flags=re.S,
        )

    rewrite_zip_part(path, MANIFEST_PART, rewrite)
    result = run("check", path)
    assert result.exit_code == 1
    assert "internal error" not in result.output and "Traceback" not in result.output
    assert "the manifest is damaged" in result.output, result.output


# -- approved positions ----------------------------------------------------------------------


def test_a_clause_retyped_into_an_approved_position_is_named(issued, clauses, library, tmp_path):
    import yaml

    from toolkit.api import assemble

    ids = {entry["id"] for entry in clauses}
    clause = next(c for c in library.clauses.values() if c.positions and c.id in ids)
    position = clause.positions[0]
    spec = yaml.safe_load((EXAMPLES / "valid-royalty.yaml").read_text(encoding="utf-8"))
    spec.setdefault("clauses", {}).setdefault("positions", {})[clause.id] = position.id
    spec_path = tmp_path / "with-position.yaml"
    spec_path.write_text(yaml.safe_dump(spec, sort_keys=False, allow_unicode=True), "utf-8")
    other = tmp_path / "position.docx"
    assemble(spec_path, other, library=library, register=tmp_path / "elsewhere.sqlite3")
    bookmark = next(e["bookmark"] for e in clauses if e["id"] == clause.id)
    import zipfile

    with zipfile.ZipFile(other) as archive:
        source = etree.fromstring(archive.read("word/document.xml"))
    wanted = clause_paragraphs(source, bookmark)[1:]
    path = fresh(issued, tmp_path)

    def retype(root):
        current = clause_paragraphs(root, bookmark)
        for paragraph in current[1:]:
            paragraph.getparent().remove(paragraph)
        anchor = current[0]
        for paragraph in wanted:
            # retyped: one run per paragraph, straight quotes
            text = "".join(t.text or "" for t in paragraph.iter(W + "t"))
            for run in list(paragraph.iter(W + "r")):
                run.getparent().remove(run)
            paragraph.append(run_with(text.replace("\u201c", '"').replace("\u201d", '"')))
            anchor.addnext(paragraph)
            anchor = paragraph

    edit_xml(path, "word/document.xml", retype)
    report = check_contract(path, library)
    found = [f for f in report.findings if f.clause == clause.id and f.kind == "deviation"]
    assert found, "\n".join(report.lines())
    assert found[0].classification is Classification.APPROVED_POSITION, "\n".join(report.lines())
    assert found[0].position["id"] == position.id
    assert found[0].as_dict()["position"]["guidance"] == position.note
