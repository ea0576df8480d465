"""Editors' housekeeping is not a deviation; a table style is part of what a reader sees.

A contract re-saved the way Word saves it, with no edits (runs split at arbitrary points
with their formatting, rsid attributes and the rsid table, proofing marks, the _GoBack
bookmark, rendered page breaks, a style's display name changed, Word's own fontTable and
webSettings parts), checks clean. Text hidden or recoloured only through a table style,
whole-table or conditional (first row, first column), is caught.
"""

from __future__ import annotations

import random
from copy import deepcopy

import pytest
from check_support import W, edit_xml, issue
from conftest import EXAMPLES, rewrite_zip_part
from lxml import etree

from toolkit.check import check_contract
from toolkit.check.report import Classification
from toolkit.docx.conventions import W_NS


@pytest.fixture(scope="session")
def issued(tmp_path_factory, library):
    """The contract to re-save, issued once."""
    return issue(EXAMPLES / "valid-royalty.yaml", tmp_path_factory.mktemp("resaved"), library)


def _rsid(rng: random.Random) -> str:
    return f"{rng.randrange(16**8):08X}"


def _split_runs(root, rng: random.Random) -> None:
    """Split runs of plain text at random points, each half keeping the run's formatting."""
    for run in list(root.iter(W + "r")):
        texts = run.findall(W + "t")
        if len(texts) != 1 or len(texts[0].text or "") < 2 or rng.random() < 0.4:
            continue
        text = texts[0].text
        at = rng.randrange(1, len(text))
        twin = deepcopy(run)
        texts[0].text = text[:at]
        twin.find(W + "t").text = text[at:]
        for node in (texts[0], twin.find(W + "t")):
            node.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        run.addnext(twin)


def _word_marks(root, rng: random.Random, session: list[str]) -> None:
    """Add rsids, proofing marks and rendered page breaks as Word does."""
    for paragraph in root.iter(W + "p"):
        paragraph.set(W + "rsidR", rng.choice(session))
        paragraph.set(W + "rsidRDefault", rng.choice(session))
        paragraph.set(W + "rsidP", rng.choice(session))
        runs = paragraph.findall(W + "r")
        for run in runs:
            run.set(W + "rsidR", rng.choice(session))
            if rng.random() < 0.3:
                run.set(W + "rsidRPr", rng.choice(session))
        if runs and rng.random() < 0.2:
            start = etree.Element(W + "proofErr")
            start.set(W + "type", "spellStart")
            end = etree.Element(W + "proofErr")
            end.set(W + "type", "spellEnd")
            runs[0].addprevious(start)
            runs[0].addnext(end)
        if runs and rng.random() < 0.05:
            properties = runs[0].find(W + "rPr")
            where = 1 if properties is not None else 0
            runs[0].insert(where, etree.Element(W + "lastRenderedPageBreak"))


def word_resave(path, seed: int) -> None:
    """Transform an issued contract the way Word re-saves it, without changing any word."""
    rng = random.Random(seed)
    session = [_rsid(rng) for _ in range(6)]

    def document(root):
        _split_runs(root, rng)
        _word_marks(root, rng, session)
        paragraphs = [p for p in root.iter(W + "p") if "".join(p.itertext()).strip()]
        target = paragraphs[len(paragraphs) // 2]
        start = etree.SubElement(target, W + "bookmarkStart")
        start.set(W + "id", "9999")
        start.set(W + "name", "_GoBack")
        end = etree.SubElement(target, W + "bookmarkEnd")
        end.set(W + "id", "9999")

    edit_xml(path, "word/document.xml", document)
    for part in ("word/header1.xml", "word/footer1.xml"):
        edit_xml(path, part, lambda root: (_split_runs(root, rng), _word_marks(root, rng, session)))

    def settings(root):
        rsids = etree.SubElement(root, W + "rsids")
        etree.SubElement(rsids, W + "rsidRoot").set(W + "val", session[0])
        for value in session:
            etree.SubElement(rsids, W + "rsid").set(W + "val", value)

    edit_xml(path, "word/settings.xml", settings)

    def styles(root):
        for style in root.iter(W + "style"):
            if style.get(W + "styleId") in ("Heading1", "Normal"):
                name = style.find(W + "name")
                name.set(W + "val", f"Renamed {style.get(W + 'styleId')}")

    edit_xml(path, "word/styles.xml", styles)
    rewrite_zip_part(
        path,
        "word/fontTable.xml",
        lambda _: (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:fonts xmlns:w="{W_NS}">'
            '<w:font w:name="Calibri"><w:panose1 w:val="020F0502020204030204"/></w:font>'
            '<w:font w:name="Times New Roman"/><w:font w:name="Calibri Light"/></w:fonts>'
        ).encode(),
    )
    rewrite_zip_part(
        path,
        "word/webSettings.xml",
        lambda _: (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:webSettings '
            f'xmlns:w="{W_NS}"><w:optimizeForBrowser/><w:allowPNG/></w:webSettings>'
        ).encode(),
    )


@pytest.mark.parametrize("seed", [1, 2])
def test_a_word_style_save_without_edits_checks_clean(run, issued, tmp_path, seed):
    path = issued.copy_to(tmp_path / "resaved.docx")
    word_resave(path, seed)
    result = run("check", path, "--json")
    assert result.exit_code == 0, result.output
    import json

    report = json.loads(result.output)
    findings = [
        f
        for key in ("mandatory", "deviations", "added", "seen", "manifest_problems")
        for f in report[key]
    ]
    assert findings == [], findings


# -- what a table style shows ----------------------------------------------------------

HIDE = {"hidden": "<w:vanish/>", "white": '<w:color w:val="FFFFFF"/>'}


def _table_style(condition: str | None, effect: str):
    """Return a change to styles.xml giving the contract's table style ``effect``."""

    def change(root):
        style = next(s for s in root.iter(W + "style") if s.get(W + "styleId") == "ContractTable")
        properties = etree.fromstring(f'<w:rPr xmlns:w="{W_NS}">{HIDE[effect]}</w:rPr>')
        if condition is None:
            anchor = style.find(W + "tblPr")
            anchor.addprevious(properties)
            return
        conditional = next(
            (c for c in style.iter(W + "tblStylePr") if c.get(W + "type") == condition), None
        )
        if conditional is None:
            conditional = etree.SubElement(style, W + "tblStylePr")
            conditional.set(W + "type", condition)
        for old in conditional.findall(W + "rPr"):
            conditional.remove(old)
        conditional.insert(0, properties)

    return change


@pytest.mark.parametrize(
    ("condition", "effect"),
    [(None, "hidden"), ("firstRow", "white"), ("firstCol", "hidden"), ("band1Horz", "white")],
)
def test_text_hidden_or_recoloured_by_a_table_style_is_caught(
    issued, library, tmp_path, condition, effect
):
    path = issued.copy_to(tmp_path / "styled.docx")
    edit_xml(path, "word/styles.xml", _table_style(condition, effect))
    report = check_contract(path, library)
    assert not report.ok, "\n".join(report.lines())
    seen = [f for f in report.findings if f.kind == "seen"]
    expected = "hidden" if effect == "hidden" else "coloured FFFFFF"
    assert any(f"is {expected}" in f.message for f in seen), "\n".join(report.lines())
    assert all(f.classification is not Classification.COSMETIC for f in seen)


@pytest.mark.parametrize(
    "conditions", [("wholeTable",), ("wholeTable", "band1Vert", "firstRow", "nwCell")]
)
def test_a_style_whose_id_spells_a_table_entry_keeps_its_own_formatting(conditions):
    """Style ids are the document's to choose: one must not pass for a table's resolved
    properties (and so hide its own hidden text once a table of that style was read)."""
    from toolkit.check.formatting import StyleSheet, effects

    spelled = f"table T1 {' '.join(conditions)}"  # how such an entry was once keyed
    styles = etree.fromstring(
        f'<w:styles xmlns:w="{W_NS}">'
        '<w:style w:type="table" w:styleId="T1"><w:rPr><w:b/></w:rPr></w:style>'
        f'<w:style w:type="paragraph" w:styleId="{spelled}"><w:rPr><w:vanish/></w:rPr>'
        "</w:style></w:styles>"
    )
    sheet = StyleSheet.read(styles)
    sheet.table_run("T1", conditions)  # a table of that style read first
    serious, _ = effects(sheet.run(spelled, None, None))
    assert "hidden" in serious
    assert "hidden" in sheet.run_effects(spelled, None, None)[0]
