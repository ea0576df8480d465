"""The written .docx: numbering, cross-references, definitions, data as data, manifest."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from conftest import EXAMPLES, rewrite_zip_part
from lxml import etree

from toolkit import __version__
from toolkit.api import assemble, prepare_contract
from toolkit.contract.assemble import _terms_in, uses_term
from toolkit.docx.conventions import W_NS
from toolkit.docx.package import render_docx
from toolkit.docx.reader import read_contract
from toolkit.library import load_library
from toolkit.scan import plain_text

VALID_EXAMPLES = sorted(EXAMPLES.glob("valid-*.yaml"))

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NS = {"w": W[1:-1]}


@pytest.fixture
def contract_file(deal, write_spec, tmp_path):
    def _make(data=None, draft=False, name="contract.docx"):
        out = tmp_path / name
        assemble(write_spec(data or deal), out, draft=draft, force=True)
        return out

    return _make


def part_xml(path, name="word/document.xml"):
    with zipfile.ZipFile(path) as archive:
        return etree.fromstring(archive.read(name))


def body_text(path):
    return "\n".join(read_contract(path).paragraphs)


def test_numbering_is_defined_once_and_bound_to_clause_styles(contract_file):
    out = contract_file()
    numbering = part_xml(out, "word/numbering.xml")
    styles = part_xml(out, "word/styles.xml")
    levels = numbering.xpath("//w:abstractNum[@w:abstractNumId='1']/w:lvl", namespaces=NS)
    formats = [
        (lvl.find(f"{W}numFmt").get(f"{W}val"), lvl.find(f"{W}lvlText").get(f"{W}val"))
        for lvl in levels[:4]
    ]
    assert formats == [
        ("decimal", "%1"),
        ("decimal", "%1.%2"),
        ("lowerLetter", "(%3)"),
        ("lowerRoman", "(%4)"),
    ]
    bound = {lvl.find(f"{W}pStyle").get(f"{W}val") for lvl in levels[:4]}
    assert bound == {"Heading1", "ClauseLevel2", "ClauseLevel3", "ClauseLevel4"}
    for style_id, level in (("Heading1", None), ("ClauseLevel2", "1"), ("ClauseLevel3", "2")):
        style = styles.xpath(f"//w:style[@w:styleId='{style_id}']", namespaces=NS)[0]
        assert style.find(f"{W}pPr/{W}numPr/{W}numId").get(f"{W}val") == "1"
        ilvl = style.find(f"{W}pPr/{W}numPr/{W}ilvl")
        assert (ilvl.get(f"{W}val") if ilvl is not None else None) == level


def test_no_number_is_typed_as_text(contract_file):
    out = contract_file()
    body = part_xml(out)
    for paragraph in body.iter(f"{W}p"):
        style = paragraph.find(f"{W}pPr/{W}pStyle")
        if style is not None and style.get(f"{W}val").startswith(("Clause", "Heading")):
            text = "".join(paragraph.itertext()).strip()
            assert not re.match(r"^\(?\d+(\.\d+)*\)?\s", text), text


def test_cross_references_are_ref_fields_with_the_right_number(contract_file, deal, library):
    out = contract_file()
    body = part_xml(out)
    contract = prepare_contract_from(deal, library)
    numbers = {part.bookmark: part.display_number for part in contract.parts}
    headings = {}
    for start in body.iter(f"{W}bookmarkStart"):
        headings[start.get(f"{W}name")] = start
    instructions = body.xpath("//w:instrText", namespaces=NS)
    refs = [i for i in instructions if i.text.strip().startswith("REF ")]
    assert len(refs) > 10
    for instruction in refs:
        bookmark = instruction.text.split()[1]
        assert bookmark in headings, bookmark
        run = instruction.getparent()
        # the cached result sits two runs on: begin, instr, separate, result
        result_run = run.getnext().getnext()
        result = "".join(result_run.itertext())
        if bookmark in numbers:
            assert result == numbers[bookmark]
        else:
            assert re.fullmatch(r"\d+\.\d+(\([a-z]+\))*|\d+\.\d+", result), result


def prepare_contract_from(deal, library, tmp=None):
    import tempfile
    from pathlib import Path

    import yaml

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "deal.yaml"
        path.write_text(yaml.safe_dump(deal), encoding="utf-8")
        return prepare_contract(path, library)


def test_optional_clauses_shift_numbers_and_references_follow(deal, library):
    plain = prepare_contract_from(deal, library)
    optional = [
        c.id
        for c in library.clauses.values()
        if not c.in_every_contract
        and not c.is_schedule
        and c.usable_with({"royalty"})
        and c.id not in {p.id for p in plain.parts}
    ]
    if not optional:
        deal["additional_models"] = [
            {"model": "upfront_fee", "terms": library.model("upfront_fee").terms_example}
        ]
    else:
        deal["clauses"] = {"include": optional[:1]}
    shifted = prepare_contract_from(deal, library)
    before = {p.id: p.number for p in plain.clauses}
    after = {p.id: p.number for p in shifted.clauses}
    moved = [cid for cid in before if after[cid] != before[cid]]
    assert moved, "adding a clause should move later clauses"
    for key, (_, display) in shifted.references.items():
        part = shifted.part(key)
        if part is not None:
            assert display == part.display_number


def test_definitions_hold_exactly_the_terms_used_in_order(contract_file, deal, library):
    contract = prepare_contract_from(deal, library)
    definitions = contract.part("definitions")
    terms = [
        block.segments[1].text
        for block in definitions.blocks
        if len(block.segments) > 1 and getattr(block.segments[0], "text", "") == "“"
    ]
    assert terms == sorted(terms, key=str.casefold)
    others = " ".join(" ".join(p.text_lines()) for p in contract.parts if p.id != "definitions")
    meanings = " ".join(" ".join(p.text_lines()) for p in [definitions])
    for term in terms:
        assert uses_term(others, term) or uses_term(meanings.replace(f"“{term}”", ""), term), term
    # Terms defined by clauses in this contract but left out must be unused.
    defined_here = {t for p in contract.parts for t in p.clause.defines}
    unused = defined_here - set(terms)
    assert unused, "the library defines terms this royalty contract does not use"
    for term in unused:
        assert not uses_term(others, term), term


def _term_regex(term: str) -> re.Pattern:
    """What using a defined term means, as a pattern: the word or its plural, standing
    alone, and not the start of a longer capitalised name."""
    forms = [re.escape(term) + "s?"]
    if term.endswith("y"):
        forms.append(re.escape(term[:-1]) + "ies")
    return re.compile(r"(?<![\w-])(?:" + "|".join(forms) + r")(?![\w-])(?! [A-Z][a-z])")


def test_a_defined_term_is_found_exactly_where_its_pattern_finds_it(library):
    texts = [plain_text(clause.text) for clause in library.clauses.values()]
    texts += [
        "the Partners agree",
        "a Partner Group company",
        "non-Partner",
        "Partner-led",
        "the Partner.",
        "Partner Xy",
        "Parties",
        "Party",
        "Partyx",
        "Data Controllers",
        "_Data",
        "Daten",
    ]
    terms = sorted(library.terms()) + ["Partner", "Party", "Data", "Data Controller"]
    compared = 0
    for term in terms:
        pattern = _term_regex(term)
        for text in texts:
            assert uses_term(text, term) == bool(pattern.search(text)), (term, text[:80])
            compared += 1
    assert compared > 1000


@pytest.mark.parametrize("example", VALID_EXAMPLES, ids=lambda path: path.stem)
def test_the_terms_found_clause_by_clause_are_those_the_whole_contract_uses(example, library):
    contract = prepare_contract(example, library)
    texts = [" ".join(part.text_lines()) for part in contract.parts]
    terms = frozenset(library.terms()) | {"Partner", "Party", "Data", "Data Controller"}
    whole = "\n".join(texts)
    found = set().union(*(_terms_in(text, terms) for text in texts))
    assert found == {term for term in terms if uses_term(whole, term)}
    assert len(found) > 10


@pytest.mark.parametrize("example", VALID_EXAMPLES, ids=lambda path: path.stem)
def test_docxtpl_would_find_nothing_to_fix_in_the_tables_the_toolkit_writes(example, library):
    from docxtpl import DocxTemplate

    from toolkit.docx.wordml import WordWriter

    writer = WordWriter(prepare_contract(example, library))
    template = DocxTemplate(library.template)
    namespaces = template.get_docx().element.nsmap.items()
    declarations = " ".join(f'xmlns:{prefix}="{uri}"' for prefix, uri in namespaces if prefix)
    tables = 0
    for block in (writer.contents(), writer.parties(), writer.clauses(), writer.schedules()):
        source = f"<wrapper {declarations}>{block}</wrapper>"
        fixed = template.fix_tables(source)
        tables += len(fixed.findall(f"{{{W_NS}}}tbl"))
        assert etree.tostring(fixed) == etree.tostring(etree.fromstring(source.encode()))
    assert tables > 0


def test_special_characters_and_template_syntax_appear_literally(contract_file, deal):
    name = "O'Brien & Sons <Health> {{ 7*7 }} {% if x %} </w:t><w:p> ]]>"
    deal["partner"]["name"] = name
    deal["purpose"]["aim"] = "Cut waiting times & costs by {{ 10 }}% <fast>"
    out = contract_file(deal)
    text = body_text(out)
    assert name in text
    assert "Cut waiting times & costs by {{ 10 }}% <fast>" in text
    assert "49" not in re.findall(r"\b49\b", text.replace("2049", ""))


def test_welsh_names_with_diacritics(contract_file, deal):
    deal["nhs_parties"][0].update(
        name="Bwrdd Iechyd Prifysgol Betsi Cadwaladr", kind="health_board", ods_code="7A1"
    )
    deal["nhs_parties"][0]["signatory"] = {"name": "Siân Ŵyn ap Rhys", "role": "Prif Weithredwr"}
    deal["partner"]["address"] = "Uned 5, Parc Busnes Llanelwy, Sir Ddinbych LL17 0JD"
    deal["benefits"][0]["description"] = "Gwell gofal i gleifion ym Mhen-y-bont ar Ogwr"
    out = contract_file(deal)
    text = body_text(out)
    for value in (
        "Bwrdd Iechyd Prifysgol Betsi Cadwaladr",
        "Siân Ŵyn ap Rhys",
        "Mhen-y-bont ar Ogwr",
    ):
        assert value in text


def test_a_hundred_benefits(contract_file, deal):
    deal["benefits"] = [
        {
            "description": f"Benefit number {i}",
            "beneficiary": ["patients", "nhs_organisation", "nhs_national"][i % 3],
            "measure": f"Measure {i}",
            "target": f"improve by {i + 1}%",
            "by": "2029-03-31",
        }
        for i in range(100)
    ]
    out = contract_file(deal)
    text = body_text(out)
    for i in (0, 49, 99):
        assert f"Benefit number {i}" in text and f"improve by {i + 1}%" in text


def test_the_same_inputs_give_byte_identical_output(contract_file):
    first = contract_file(name="one.docx").read_bytes()
    second = contract_file(name="two.docx").read_bytes()
    assert first == second


def test_zip_members_have_fixed_timestamps(contract_file):
    with zipfile.ZipFile(contract_file()) as archive:
        infos = archive.infolist()
    assert infos[0].filename == "[Content_Types].xml"
    assert {info.date_time for info in infos} == {(1980, 1, 1, 0, 0, 0)}


def test_document_properties_come_from_the_spec(contract_file):
    core = part_xml(contract_file(), "docProps/core.xml")
    text = etree.tostring(core, encoding="unicode")
    assert "RFL-DP-2027-001" in text
    assert "2027-01-01T00:00:00Z" in text


def test_manifest_records_every_clause(contract_file, library):
    out = contract_file()
    document = read_contract(out)
    manifest = document.manifest
    assert manifest["format"] == "nhs-contracts-manifest/1"
    assert manifest["library"]["version"] == library.version
    assert manifest["library"]["content_sha256"] == library.content_hash
    assert manifest["agreement_reference"] == "RFL-DP-2027-001"
    assert len(manifest["spec_sha256"]) == 64
    ids = [entry["id"] for entry in manifest["clauses"]]
    for mandatory in ("patient_benefit", "fair_value", "non_exclusivity", "transparency"):
        assert mandatory in ids
    found = document.by_bookmark()
    for entry in manifest["clauses"]:
        clause = library.clause(entry["id"])
        assert entry["version"] == clause.version
        assert entry["bookmark"] in found
        import hashlib

        lines = found[entry["bookmark"]].lines
        assert hashlib.sha256("\n".join(lines).encode()).hexdigest() == entry["text_sha256"]


def test_chosen_position_is_used_and_recorded(contract_file, deal, library):
    clause = next(c for c in library.clauses.values() if c.positions and c.in_every_contract)
    position = clause.positions[0]
    deal["clauses"] = {"positions": {clause.id: position.id}}
    out = contract_file(deal)
    entry = next(e for e in read_contract(out).manifest["clauses"] if e["id"] == clause.id)
    assert entry["position"] == position.id


def test_draft_is_marked_and_open_items_carry_comments(contract_file, deal):
    del deal["nhs_parties"][0]["board_approval"]
    deal["data"]["dpia_reference"] = None
    out = contract_file(deal, draft=True)
    body = part_xml(out)
    header_text = "".join(
        "".join(part_xml(out, name).itertext())
        for name in zipfile.ZipFile(out).namelist()
        if name.startswith("word/header")
    )
    assert "DRAFT" in header_text
    assert "DRAFT FOR DISCUSSION" in "".join(body.itertext())
    highlighted = body.xpath("//w:r[w:rPr/w:highlight]/w:t/text()", namespaces=NS)
    assert highlighted and set(highlighted) == {"[●]"}
    comments = part_xml(out, "word/comments.xml")
    comment_text = "".join(comments.itertext())
    assert "Board approval date for Royal Free London NHS Foundation Trust" in comment_text
    assert "DPIA reference" in comment_text
    ids = {c.get(f"{W}id") for c in comments.iter(f"{W}comment")}
    refs = {r.get(f"{W}id") for r in body.iter(f"{W}commentReference")}
    assert ids == refs and ids


def test_every_party_gets_a_signature_block(contract_file, deal):
    second = dict(deal["nhs_parties"][0], name="Whittington Health NHS Trust", lead=False)
    second.update(kind="nhs_trust", ods_code="RKE", signatory={"name": "A N Other", "role": "CEO"})
    deal["nhs_parties"].append(second)
    out = contract_file(deal)
    text = body_text(out)
    for name in (
        "Royal Free London NHS Foundation Trust",
        "Whittington Health NHS Trust",
        "Example Health AI Ltd",
    ):
        assert f"Signed for and on behalf of {name}" in text


def test_contents_lists_every_clause_and_schedule(contract_file):
    out = contract_file()
    body = part_xml(out)
    toc = body.xpath("//w:p[w:pPr/w:pStyle/@w:val='TOC1']", namespaces=NS)
    manifest = read_contract(out).manifest
    assert len(toc) == len(manifest["clauses"])
    first = "".join(toc[0].xpath(".//w:t/text()", namespaces=NS))
    assert first == "1Definitions"


def test_the_build_script_reproduces_the_master_template_byte_for_byte(tmp_path):
    import subprocess
    import sys

    repo = Path(__file__).resolve().parent.parent
    out = tmp_path / "contract.docx"
    subprocess.run(
        [sys.executable, str(repo / "scripts" / "build_master_template.py"), str(out)],
        check=True,
        capture_output=True,
        cwd=repo,
    )
    assert out.read_bytes() == (repo / "templates" / "contract.docx").read_bytes()


def test_each_template_renders_its_own_text_in_one_process(deal, write_spec, library_copy):
    # docxtpl's clean-up of a template part is kept per source: a second template, with
    # other words, must never be rendered from the first one's.
    rewrite_zip_part(
        library_copy / "templates" / "contract.docx",
        "word/document.xml",
        lambda xml: xml.replace(b"Key details", b"Key particulars"),
    )
    spec = write_spec(deal)
    texts = []
    for library in (load_library(), load_library(library_copy), load_library()):
        data = render_docx(prepare_contract(spec, library), __version__)
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            texts.append(archive.read("word/document.xml"))
    assert [b"Key particulars" in text for text in texts] == [False, True, False]
    assert [b"Key details" in text for text in texts] == [True, False, True]


def test_a_contract_assembled_after_others_in_one_process_is_the_one_assembled_alone(library):
    """What a process keeps between contracts (parsed texts, satisfied variables) never
    leaks from one contract into another: every example, assembled with those kept
    things forgotten first and then again in reverse order after all the others, gives
    the same bytes, draft and final."""
    from toolkit.contract import assemble as assembly
    from toolkit.contract import markup

    def written(example, draft):
        contract = prepare_contract(example, library, draft=draft)
        return render_docx(contract, __version__)

    runs = [(example, draft) for example in VALID_EXAMPLES for draft in (False, True)]
    alone = {}
    for run in runs:
        markup._parsed_once.cache_clear()
        assembly._SATISFIED.clear()
        alone[run] = written(*run)
    assert markup._parsed_once.cache_info().currsize > 0 and len(assembly._SATISFIED) > 0
    for run in reversed(runs):
        assert written(*run) == alone[run], run
