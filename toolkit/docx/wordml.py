"""WordprocessingML for the parts of a contract the template leaves to the toolkit."""

from __future__ import annotations

from dataclasses import dataclass, field

from toolkit.contract.markup import OpenItem, Paragraph, Table, Text
from toolkit.contract.model import DEFINITIONS_ID, Contract, RenderedClause, ResolvedRef
from toolkit.docx.conventions import (
    BODY_STYLES,
    CLAUSE_STYLES,
    COMMENT_REFERENCE_STYLE,
    CONTENTS_STYLE,
    DEFINITION_END_MARK,
    DEFINITION_MARK,
    DEFINITION_STYLE,
    EXECUTION_BOOKMARK,
    PARTY_STYLE,
    SCHEDULE_BODY_STYLES,
    SCHEDULE_STYLES,
    SECTION_HEADING_STYLE,
    SIGNATURE_STYLE,
    TABLE_HEADING_STYLE,
    TABLE_STYLE,
    TABLE_TEXT_STYLE,
    bookmark_name,
)
from toolkit.spec.party_kinds import KIND_DESCRIPTIONS

TEXT_WIDTH = 9026


def text_xml(text: str) -> str:
    """Escape text for a w:t element; braces too, so docxtpl never sees a tag in data."""
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("{", "&#123;")
        .replace("}", "&#125;")
    )


def _text(text: str) -> str:
    # An empty element is written as lxml writes it, so the document's XML is the same
    # whether or not it went through a parse.
    if not text:
        return '<w:t xml:space="preserve"/>'
    return f'<w:t xml:space="preserve">{text_xml(text)}</w:t>'


def _run(text: str, bold: bool = False, extra: str = "") -> str:
    props = ("<w:b/>" if bold else "") + extra
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f"<w:r>{rpr}{_text(text)}</w:r>"


def _defined(term: str) -> str:
    """Return a defined term as introduced: bold, in quotation marks."""
    return _run(DEFINITION_MARK) + _run(term, bold=True) + _run(DEFINITION_END_MARK)


def _field(instruction: str, result: str, result_props: str = "") -> str:
    rpr = f"<w:rPr>{result_props}</w:rPr>" if result_props else ""
    return (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        f"<w:r>{rpr}{_text(result)}</w:r>"
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


@dataclass
class WordWriter:
    """Turns an assembled contract into body XML; keeps bookmark and comment ids."""

    contract: Contract
    comments: list[str] = field(default_factory=list)
    _bookmark_id: int = 0

    def _bookmark(self, name: str, inner: str) -> str:
        self._bookmark_id += 1
        number = self._bookmark_id
        return (
            f'<w:bookmarkStart w:id="{number}" w:name="{name}"/>{inner}'
            f'<w:bookmarkEnd w:id="{number}"/>'
        )

    def _segments(self, segments: list, bold: bool = False) -> str:
        xml = []
        for segment in segments:
            if isinstance(segment, Text):
                xml.append(_run(segment.text, segment.bold or bold))
            elif isinstance(segment, ResolvedRef):
                xml.append(_field(f"REF {segment.bookmark} \\w \\h", segment.display))
            elif isinstance(segment, OpenItem):
                xml.append(self._open_item(segment))
        return "".join(xml)

    def _open_item(self, item: OpenItem) -> str:
        number = len(self.comments)
        self.comments.append(f"Open item: {item.description} is still to be given.")
        return (
            f'<w:commentRangeStart w:id="{number}"/>'
            + _run(str(item), extra='<w:highlight w:val="yellow"/>')
            + f'<w:commentRangeEnd w:id="{number}"/>'
            f'<w:r><w:rPr><w:rStyle w:val="{COMMENT_REFERENCE_STYLE}"/></w:rPr>'
            f'<w:commentReference w:id="{number}"/></w:r>'
        )

    def _paragraph(self, style: str, inner: str, keep_next: bool = False) -> str:
        keep = "<w:keepNext/>" if keep_next else ""
        return f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{keep}</w:pPr>{inner}</w:p>'

    def _spacer(self, after: int) -> str:
        """Return an empty body paragraph with ``after`` twips of space below it."""
        return (
            f'<w:p><w:pPr><w:pStyle w:val="{BODY_STYLES[0]}"/>'
            f'<w:spacing w:after="{after}"/></w:pPr></w:p>'
        )

    def _part(self, part: RenderedClause) -> str:
        schedule = part.clause.is_schedule
        numbered = SCHEDULE_STYLES if schedule else CLAUSE_STYLES
        body = SCHEDULE_BODY_STYLES if schedule else BODY_STYLES
        xml = [self._paragraph(numbered[0], self._bookmark(part.bookmark, _run(part.clause.title)))]
        definitions = part.id == DEFINITIONS_ID
        for index, block in enumerate(part.blocks):
            if isinstance(block, Table):
                xml.append(self._table(block))
                continue
            # A lead-in stays on the page of the table it introduces.
            leads_table = index + 1 < len(part.blocks) and isinstance(part.blocks[index + 1], Table)
            inner = self._segments(block.segments)
            if block.label:
                inner = self._bookmark(_label_bookmark(part, block), inner)
            if block.numbered:
                style = numbered[block.level]
            elif definitions and block.level == 1 and _is_definition(block):
                style = DEFINITION_STYLE
            else:
                style = body[block.level]
            xml.append(self._paragraph(style, inner, keep_next=leads_table))
        return "".join(xml)

    def _table(self, table: Table) -> str:
        widths = column_widths(table)
        grid = "".join(f'<w:gridCol w:w="{width}"/>' for width in widths)
        rows = []
        for index, row in enumerate(table.rows):
            header = index == 0
            cells = "".join(
                f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>'
                + self._paragraph(
                    TABLE_HEADING_STYLE if header else TABLE_TEXT_STYLE, self._segments(cell)
                )
                + "</w:tc>"
                for width, cell in zip(widths, row, strict=False)
            )
            trpr = (
                "<w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>"
                if header
                else ("<w:trPr><w:cantSplit/></w:trPr>")
            )
            rows.append(f"<w:tr>{trpr}{cells}</w:tr>")
        return (
            f'<w:tbl><w:tblPr><w:tblStyle w:val="{TABLE_STYLE}"/>'
            f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
            '<w:tblLook w:val="0420" w:firstRow="1" w:lastRow="0" w:firstColumn="0" '
            'w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr>'
            f"<w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>" + self._spacer(after=0)
            # Word needs a paragraph between a table and what follows it.
        )

    def contents(self) -> str:
        """Return a contents list already filled in, inside a live TOC field."""
        entries = []
        parts = self.contract.parts
        for index, part in enumerate(parts):
            begin = (
                '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
                '<w:r><w:instrText xml:space="preserve"> TOC \\o "1-1" \\h \\z \\u </w:instrText>'
                '</w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>'
                if index == 0
                else ""
            )
            end = '<w:r><w:fldChar w:fldCharType="end"/></w:r>' if index == len(parts) - 1 else ""
            link = (
                f'<w:hyperlink w:anchor="{part.bookmark}" w:history="1">'
                + _run(part.display_number)
                + "<w:r><w:tab/></w:r>"
                + _run(part.clause.title)
                + "<w:r><w:tab/></w:r>"
                + _field(f"PAGEREF {part.bookmark} \\h", "")
                + "</w:hyperlink>"
            )
            entries.append(self._paragraph(CONTENTS_STYLE, begin + link + end))
        return "".join(entries)

    def parties(self) -> str:
        """Return the numbered list of parties."""
        context = self.contract.context
        xml = []
        for party in context["nhs_parties"]:
            ods = f" (ODS code {party['ods_code']})" if party.get("ods_code") else ""
            lead = context["consortium"] and party["lead"]
            xml.append(
                self._paragraph(
                    PARTY_STYLE,
                    _run(party["name"], bold=True)
                    + _run(f", {KIND_DESCRIPTIONS[party['kind']]}{ods}, of {party['address']}")
                    + (
                        _run(" (an ")
                        + _defined("NHS Party")
                        + (_run(" and the ") + _defined("Lead NHS Party") if lead else "")
                        + _run(")")
                        if context["consortium"]
                        else _run(" (the ") + _defined("NHS Party") + _run(")")
                    )
                    + _run(";"),
                )
            )
        partner = context["partner"]
        registered = (
            f" registered at Companies House with number {partner['company_number']}"
            if partner.get("company_number")
            else ""
        )
        xml.append(
            self._paragraph(
                PARTY_STYLE,
                _run(partner["name"], bold=True)
                + _run(
                    f", {KIND_DESCRIPTIONS[partner['kind']]}{registered}, of {partner['address']}"
                )
                + _run(" (the ")
                + _defined("Partner")
                + _run(")."),
            )
        )
        return "".join(xml)

    def clauses(self) -> str:
        """Return every numbered clause."""
        return "".join(self._part(part) for part in self.contract.clauses)

    def schedules(self) -> str:
        """Return every schedule."""
        return "".join(self._part(part) for part in self.contract.schedules)

    def signatures(self) -> str:
        """Return the execution page: a signature block for every party."""
        context = self.contract.context
        xml = [
            f'<w:p><w:pPr><w:pStyle w:val="{SECTION_HEADING_STYLE}"/><w:pageBreakBefore/></w:pPr>'
            + self._bookmark(EXECUTION_BOOKMARK, _run("Execution"))
            + "</w:p>",
            self._paragraph(
                BODY_STYLES[0],
                _run(
                    "Each Party has signed this Agreement by its authorised signatory. "
                    "It may be signed in counterparts and by electronic signature."
                ),
            ),
        ]
        signers = [
            (party["name"], party["signatory"], context["consortium"] and party["lead"])
            for party in context["nhs_parties"]
        ]
        signers.append((context["partner"]["name"], context["partner"]["signatory"], False))
        for name, signatory, lead in signers:
            xml.append(self._signature_block(name, signatory, lead))
        return "".join(xml)

    def _signature_block(self, name: str, signatory: dict, lead: bool) -> str:
        rows = [
            ("Signature", "", True),
            ("Name", signatory["name"], False),
            ("Position", signatory["role"], False),
            ("Date", "", True),
        ]
        cells = []
        for label, value, line in rows:
            border = (
                '<w:tcBorders><w:bottom w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
                "</w:tcBorders>"
                if line
                else ""
            )
            cells.append(
                '<w:tr><w:trPr><w:cantSplit/><w:trHeight w:val="560"/></w:trPr>'
                f'<w:tc><w:tcPr><w:tcW w:w="2000" w:type="dxa"/><w:vAlign w:val="bottom"/>'
                f"</w:tcPr>{self._paragraph(SIGNATURE_STYLE, _run(label))}</w:tc>"
                f'<w:tc><w:tcPr><w:tcW w:w="5000" w:type="dxa"/>{border}'
                f'<w:vAlign w:val="bottom"/></w:tcPr>'
                f"{self._paragraph(SIGNATURE_STYLE, _run(value))}</w:tc></w:tr>"
            )
        return (
            self._paragraph(
                SIGNATURE_STYLE,
                _run("Signed for and on behalf of ")
                + _run(name, bold=True)
                + (_run(" (as Lead NHS Party)") if lead else ""),
                keep_next=True,
            )
            + '<w:tbl><w:tblPr><w:tblW w:w="7000" w:type="dxa"/>'
            '<w:tblLook w:val="0000"/></w:tblPr>'
            '<w:tblGrid><w:gridCol w:w="2000"/><w:gridCol w:w="5000"/></w:tblGrid>'
            + "".join(cells)
            + "</w:tbl>"
            + self._spacer(after=360)
        )


def column_widths(table: Table) -> list[int]:
    """Share the text width among columns: each fits its longest word, the rest by text."""
    from toolkit.contract.model import segments_text

    columns = max(len(row) for row in table.rows)
    minimums, weights = [], []
    for index in range(columns):
        texts = [segments_text(row[index]) for row in table.rows if index < len(row)]
        longest_word = max((len(word) for text in texts for word in text.split()), default=1)
        # About 110 twips a character at the table's type size, plus cell margins.
        minimums.append(min(longest_word * 110 + 250, TEXT_WIDTH // 2))
        weights.append(min(max(sum(len(t) for t in texts) / max(len(texts), 1), 1), 60))
    if sum(minimums) >= TEXT_WIDTH:
        widths = [TEXT_WIDTH * m // sum(minimums) for m in minimums]
    else:
        spare = TEXT_WIDTH - sum(minimums)
        widths = [m + int(spare * w / sum(weights)) for m, w in zip(minimums, weights, strict=True)]
    widths[-1] += TEXT_WIDTH - sum(widths)
    return widths


def _label_bookmark(part: RenderedClause, block: Paragraph) -> str:
    return bookmark_name(f"{part.id}.{block.label}")


def _is_definition(block: Paragraph) -> bool:
    first = block.segments[0] if block.segments else None
    return isinstance(first, Text) and first.text == DEFINITION_MARK
