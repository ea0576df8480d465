"""Build templates/contract.docx, the Word master template, from this script.

The template is committed; this script is how it is made and changed. It defines
the styles, the multilevel numbering bound to them, the cover and key-details page,
the header and footer, and the docxtpl placeholders the toolkit fills.

    python scripts/build_master_template.py [OUT.docx]
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from docx import Document
from docx.enum.text import WD_BREAK
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm

from toolkit.docx.package import reproducible_package

W = nsdecls("w")
SETTINGS_AFTER_UPDATE_FIELDS = (
    "hdrShapeDefaults",
    "footnotePr",
    "endnotePr",
    "compat",
    "docVars",
    "rsids",
    "mathPr",
    "attachedSchema",
    "themeFontLang",
    "clrSchemeMapping",
    "doNotIncludeSubdocsInStats",
    "doNotAutoCompressPictures",
    "forceUpgrade",
    "captions",
    "readModeInkLockDown",
    "smartTagType",
    "schemaLibrary",
    "shapeDefaults",
    "doNotEmbedSmartTags",
    "decimalSymbol",
    "listSeparator",
)
FONT = "Arial"
TEXT_WIDTH = 9026  # A4 less two 2.54 cm margins, in twips

PARA_STYLES = [
    # (styleId, name, basedOn, pPr, rPr, outline level or None)
    (
        "Normal",
        "Normal",
        None,
        '<w:spacing w:after="120" w:line="264" w:lineRule="auto"/>',
        f'<w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:cs="{FONT}" w:eastAsia="{FONT}"/>'
        '<w:sz w:val="21"/><w:szCs w:val="21"/><w:lang w:val="en-GB"/>',
        None,
    ),
    (
        "Heading1",
        "heading 1",
        "Normal",
        '<w:keepNext/><w:keepLines/><w:numPr><w:numId w:val="1"/></w:numPr>'
        '<w:spacing w:before="240" w:after="120"/><w:ind w:left="720" w:hanging="720"/>',
        "<w:b/><w:bCs/><w:caps/>",
        0,
    ),
    (
        "ClauseLevel2",
        "Clause Level 2",
        "Normal",
        '<w:numPr><w:ilvl w:val="1"/><w:numId w:val="1"/></w:numPr>'
        '<w:ind w:left="720" w:hanging="720"/>',
        "",
        None,
    ),
    (
        "ClauseLevel3",
        "Clause Level 3",
        "Normal",
        '<w:numPr><w:ilvl w:val="2"/><w:numId w:val="1"/></w:numPr>'
        '<w:ind w:left="1440" w:hanging="720"/>',
        "",
        None,
    ),
    (
        "ClauseLevel4",
        "Clause Level 4",
        "Normal",
        '<w:numPr><w:ilvl w:val="3"/><w:numId w:val="1"/></w:numPr>'
        '<w:ind w:left="2160" w:hanging="720"/>',
        "",
        None,
    ),
    (
        "ScheduleHeading",
        "Schedule Heading",
        "Normal",
        '<w:keepNext/><w:pageBreakBefore/><w:numPr><w:numId w:val="2"/></w:numPr>'
        '<w:spacing w:before="0" w:after="240"/><w:ind w:left="1440" w:hanging="1440"/>',
        '<w:b/><w:bCs/><w:caps/><w:sz w:val="24"/><w:szCs w:val="24"/>',
        0,
    ),
    (
        "ScheduleLevel2",
        "Schedule Level 2",
        "Normal",
        '<w:numPr><w:ilvl w:val="1"/><w:numId w:val="2"/></w:numPr>'
        '<w:ind w:left="720" w:hanging="720"/>',
        "",
        None,
    ),
    (
        "ScheduleLevel3",
        "Schedule Level 3",
        "Normal",
        '<w:numPr><w:ilvl w:val="2"/><w:numId w:val="2"/></w:numPr>'
        '<w:ind w:left="720" w:hanging="720"/>',
        "",
        None,
    ),
    (
        "ScheduleLevel4",
        "Schedule Level 4",
        "Normal",
        '<w:numPr><w:ilvl w:val="3"/><w:numId w:val="2"/></w:numPr>'
        '<w:ind w:left="1440" w:hanging="720"/>',
        "",
        None,
    ),
    ("Body0", "Body Text Level 0", "Normal", "", "", None),
    ("Body1", "Body Text Level 1", "Normal", '<w:ind w:left="720"/>', "", None),
    ("Body2", "Body Text Level 2", "Normal", '<w:ind w:left="720"/>', "", None),
    ("Body3", "Body Text Level 3", "Normal", '<w:ind w:left="1440"/>', "", None),
    ("Body4", "Body Text Level 4", "Normal", '<w:ind w:left="2160"/>', "", None),
    ("Definition", "Definition", "Normal", '<w:ind w:left="720"/>', "", None),
    (
        "PartyList",
        "Party List",
        "Normal",
        '<w:numPr><w:numId w:val="3"/></w:numPr><w:ind w:left="720" w:hanging="720"/>',
        "",
        None,
    ),
    (
        "SectionHeading",
        "Section Heading",
        "Normal",
        '<w:keepNext/><w:spacing w:before="240" w:after="120"/>',
        "<w:b/><w:bCs/><w:caps/>",
        None,
    ),
    (
        "Title",
        "Title",
        "Normal",
        '<w:spacing w:before="960" w:after="360"/><w:jc w:val="center"/>',
        '<w:b/><w:bCs/><w:sz w:val="40"/><w:szCs w:val="40"/>',
        None,
    ),
    (
        "CoverText",
        "Cover Text",
        "Normal",
        '<w:spacing w:after="120"/><w:jc w:val="center"/>',
        "",
        None,
    ),
    (
        "CoverParty",
        "Cover Party",
        "Normal",
        '<w:spacing w:before="120" w:after="0"/><w:jc w:val="center"/>',
        '<w:b/><w:bCs/><w:sz w:val="24"/><w:szCs w:val="24"/>',
        None,
    ),
    (
        "DraftMark",
        "Draft Mark",
        "Normal",
        '<w:spacing w:after="240"/><w:jc w:val="center"/>',
        '<w:b/><w:bCs/><w:color w:val="C00000"/><w:sz w:val="32"/><w:szCs w:val="32"/>',
        None,
    ),
    ("TableText", "Table Text", "Normal", '<w:spacing w:before="40" w:after="40"/>', "", None),
    ("TableHeading", "Table Heading", "TableText", "", "<w:b/><w:bCs/>", None),
    (
        "TOCHeading",
        "TOC Heading",
        "Normal",
        '<w:spacing w:before="0" w:after="240"/>',
        '<w:b/><w:bCs/><w:caps/><w:sz w:val="24"/><w:szCs w:val="24"/>',
        None,
    ),
    (
        "TOC1",
        "toc 1",
        "Normal",
        f'<w:tabs><w:tab w:val="left" w:pos="1440"/>'
        f'<w:tab w:val="right" w:leader="dot" w:pos="{TEXT_WIDTH}"/></w:tabs>'
        '<w:spacing w:after="0" w:line="252" w:lineRule="auto"/>'
        '<w:ind w:left="1440" w:hanging="1440"/>',
        "",
        None,
    ),
    ("Signature", "Signature Block", "Normal", '<w:keepNext/><w:spacing w:after="60"/>', "", None),
    (
        "Header",
        "header",
        "Normal",
        f'<w:tabs><w:tab w:val="right" w:pos="{TEXT_WIDTH}"/></w:tabs><w:spacing w:after="0"/>',
        '<w:sz w:val="16"/><w:szCs w:val="16"/>',
        None,
    ),
    (
        "Footer",
        "footer",
        "Normal",
        '<w:spacing w:after="0"/><w:jc w:val="center"/>',
        '<w:sz w:val="16"/><w:szCs w:val="16"/>',
        None,
    ),
]


def _level(ilvl, fmt, text, style, left, hanging, suffix="tab"):
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:pStyle w:val="{style}"/><w:suff w:val="{suffix}"/>'
        f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
        f'<w:pPr><w:ind w:left="{left}" w:hanging="{hanging}"/></w:pPr></w:lvl>'
    )


def _spare_levels(first):
    return "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="none"/>'
        f'<w:lvlText w:val=""/><w:lvlJc w:val="left"/></w:lvl>'
        for i in range(first, 9)
    )


NUMBERING = (
    f"<w:numbering {W}>"
    # 1: the clauses, 1 / 1.1 / (a) / (i)
    '<w:abstractNum w:abstractNumId="1"><w:multiLevelType w:val="multilevel"/>'
    + _level(0, "decimal", "%1", "Heading1", 720, 720)
    + _level(1, "decimal", "%1.%2", "ClauseLevel2", 720, 720)
    + _level(2, "lowerLetter", "(%3)", "ClauseLevel3", 1440, 720)
    + _level(3, "lowerRoman", "(%4)", "ClauseLevel4", 2160, 720)
    + _spare_levels(4)
    + "</w:abstractNum>"
    # 2: the schedules, Schedule 1 / 1 / 1.1 / (a)
    '<w:abstractNum w:abstractNumId="2"><w:multiLevelType w:val="multilevel"/>'
    + _level(0, "decimal", "Schedule %1", "ScheduleHeading", 1440, 1440)
    + _level(1, "decimal", "%2", "ScheduleLevel2", 720, 720)
    + _level(2, "decimal", "%2.%3", "ScheduleLevel3", 720, 720)
    + _level(3, "lowerLetter", "(%4)", "ScheduleLevel4", 1440, 720)
    + _spare_levels(4)
    + "</w:abstractNum>"
    # 3: the parties, (1) / (2)
    '<w:abstractNum w:abstractNumId="3"><w:multiLevelType w:val="singleLevel"/>'
    + _level(0, "decimal", "(%1)", "PartyList", 720, 720)
    + "</w:abstractNum>"
    '<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>'
    '<w:num w:numId="2"><w:abstractNumId w:val="2"/></w:num>'
    '<w:num w:numId="3"><w:abstractNumId w:val="3"/></w:num>'
    "</w:numbering>"
)

TABLE_STYLE = (
    f'<w:style {W} w:type="table" w:customStyle="1" w:styleId="ContractTable">'
    '<w:name w:val="Contract Table"/><w:basedOn w:val="TableNormal"/><w:uiPriority w:val="59"/>'
    '<w:pPr><w:spacing w:after="0"/></w:pPr>'
    "<w:tblPr><w:tblBorders>"
    + "".join(
        f'<w:{edge} w:val="single" w:sz="4" w:space="0" w:color="808080"/>'
        for edge in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    + '</w:tblBorders><w:tblCellMar><w:left w:w="100" w:type="dxa"/>'
    '<w:right w:w="100" w:type="dxa"/></w:tblCellMar></w:tblPr>'
    '<w:tblStylePr w:type="firstRow"><w:rPr><w:b/></w:rPr>'
    '<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="E7EEF6"/></w:tcPr></w:tblStylePr>'
    "</w:style>"
)


def _style_xml(style_id, name, based_on, ppr, rpr, outline):
    custom = (
        ""
        if style_id in ("Normal", "Heading1", "Title", "Header", "Footer", "TOC1")
        else (' w:customStyle="1"')
    )
    if outline is not None:
        ppr += f'<w:outlineLvl w:val="{outline}"/>'
    return (
        f'<w:style {W} w:type="paragraph" w:styleId="{style_id}"{custom}>'
        f'<w:name w:val="{name}"/>'
        + (f'<w:basedOn w:val="{based_on}"/>' if based_on else "")
        + "<w:qFormat/>"
        + (f"<w:pPr>{ppr}</w:pPr>" if ppr else "")
        + (f"<w:rPr>{rpr}</w:rPr>" if rpr else "")
        + "</w:style>"
    )


# Styles the comments (open items in a draft, notes in a redline) refer to; Word
# repairs a file whose body names a style that styles.xml lacks.
COMMENT_STYLES = (
    f'<w:style {W} w:type="character" w:styleId="CommentReference">'
    '<w:name w:val="annotation reference"/><w:basedOn w:val="DefaultParagraphFont"/>'
    '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/>'
    '<w:rPr><w:sz w:val="16"/><w:szCs w:val="16"/></w:rPr></w:style>',
    f'<w:style {W} w:type="paragraph" w:styleId="CommentText">'
    '<w:name w:val="annotation text"/><w:basedOn w:val="Normal"/>'
    '<w:uiPriority w:val="99"/><w:unhideWhenUsed/>'
    '<w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
    '<w:rPr><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr></w:style>',
)


# Of python-docx's default styles, those kept: the defaults Word requires and a few a
# lawyer editing the contract may reach for. The rest (about 150 table and list
# styles) would only make every contract bigger and slower to check.
KEPT_DEFAULT_STYLES = frozenset(
    {
        "DefaultParagraphFont",
        "TableNormal",
        "NoList",
        "TableGrid",
        "ListParagraph",
        "Strong",
        "Emphasis",
        "Heading2",
        "Heading2Char",
        "Heading3",
        "Heading3Char",
    }
)


def build(out: Path) -> None:
    document = Document()
    styles = document.styles.element
    for style in list(styles.findall(qn("w:style"))):
        if style.get(qn("w:styleId")) not in KEPT_DEFAULT_STYLES:
            styles.remove(style)
    for spec in PARA_STYLES:
        styles.append(parse_xml(_style_xml(*spec)))
    styles.append(parse_xml(TABLE_STYLE))
    for xml in COMMENT_STYLES:
        styles.append(parse_xml(xml))
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is not None:
        styles.remove(defaults)

    numbering = document.part.numbering_part.element
    for child in list(numbering):
        numbering.remove(child)
    for child in parse_xml(NUMBERING):
        numbering.append(child)

    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.54))
    section.different_first_page_header_footer = True

    header = section.header.paragraphs[0]
    header.style = "Header"
    header.add_run("{% if draft %}DRAFT FOR DISCUSSION{% endif %}\t{{ agreement.reference }}")
    footer = section.footer.paragraphs[0]
    footer.style = "Footer"
    footer.add_run("Page ")
    for field in ("PAGE", "NUMPAGES"):
        for xml in (
            f'<w:fldChar {W} w:fldCharType="begin"/>',
            f'<w:instrText {W} xml:space="preserve"> {field} </w:instrText>',
            f'<w:fldChar {W} w:fldCharType="separate"/>',
            f"<w:t {W}>1</w:t>",
            f'<w:fldChar {W} w:fldCharType="end"/>',
        ):
            footer.add_run().element.append(parse_xml(xml))
        if field == "PAGE":
            footer.add_run(" of ")

    body = document
    add = body.add_paragraph
    add("{%p if draft %}")
    add("DRAFT FOR DISCUSSION: NOT FOR SIGNATURE", style="Draft Mark")
    add("{%p endif %}")
    add("{{ agreement.title }}", style="Title")
    add("between", style="Cover Text")
    add("{%p for party in nhs_parties %}")
    add("{{ party.name }}", style="Cover Party")
    add("{%p endfor %}")
    add("and", style="Cover Text")
    add("{{ partner.name }}", style="Cover Party")
    add("")
    add("Key details", style="Section Heading")
    table = body.add_table(rows=0, cols=2)
    table.style = "Contract Table"
    rows = [
        ("Agreement reference", "{{ agreement.reference }}"),
        ("Effective date", "{{ key.effective_date }}"),
        ("Term", "{{ key.term }}"),
        ("{{ key.nhs_parties_label }}", "{{ key.nhs_parties }}"),
        ("Board approval", "{{ key.board_approval }}"),
        ("Partner", "{{ key.partner }}"),
        ("Partnership model", "{{ key.models }}"),
        ("Purpose", "{{ purpose.aim }}"),
        ("Data", "{{ key.data }}"),
        ("Governing law", "{{ key.governing_law }}"),
        ("Clause library", "{{ key.library }}"),
    ]
    for label, value in rows:
        cells = table.add_row().cells
        cells[0].width, cells[1].width = Cm(4.5), Cm(11.4)
        cells[0].paragraphs[0].add_run(label).bold = True
        cells[0].paragraphs[0].style = "Table Text"
        cells[1].paragraphs[0].add_run(value)
        cells[1].paragraphs[0].style = "Table Text"
    add("").add_run().add_break(WD_BREAK.PAGE)
    add("Contents", style="TOC Heading")
    add("{{p contents }}")
    add("").add_run().add_break(WD_BREAK.PAGE)
    add(
        "This agreement is dated the date on which the last Party signs it, and takes "
        "effect on the Effective Date."
    )
    add("Parties", style="Section Heading")
    add("{{p parties }}")
    add("Agreed terms", style="Section Heading")
    add("{{p clauses }}")
    add("{{p schedules }}")
    add("{{p signatures }}")

    # Word updates the contents' page numbers on opening. The schema fixes where
    # updateFields may stand among the settings, so insert it before its successors.
    settings = document.settings.element
    update = parse_xml(f'<w:updateFields {W} w:val="true"/>')
    successors = {qn(f"w:{name}") for name in SETTINGS_AFTER_UPDATE_FIELDS}
    following = next((child for child in settings if child.tag in successors), None)
    if following is None:
        settings.append(update)
    else:
        following.addprevious(update)

    properties = document.core_properties
    properties.title = "NHS data partnership agreement"
    properties.author = "NHS data-partnership contract toolkit"
    properties.last_modified_by = "nhs-contracts"
    properties.created = properties.modified = dt.datetime(2026, 1, 1)
    properties.revision = 1
    out.write_bytes(reproducible_package(document))


if __name__ == "__main__":
    target = (
        Path(sys.argv[1])
        if len(sys.argv) > 1
        else (Path(__file__).resolve().parent.parent / "templates" / "contract.docx")
    )
    build(target)
    print(f"wrote {target}")
