"""Reading a .docx into what a reader sees of it, story by story and clause by clause.

Every story is read: the body, headers, footers, footnotes, endnotes, comments and
text boxes (in both branches of ``mc:AlternateContent``). For each paragraph the model
keeps the effects that reach the reader (resolved through the styles, see
``formatting``) as spans of text, the number Word shows before it, and the displayed
result of every field. Body paragraphs, and the notes and comments anchored in them,
are tied to the clause they sit in, found by the clause's heading bookmark (or, if an
editor dropped it, by its heading text). The model never records run boundaries,
rsids, proofing marks or bookmarks, so editors' housekeeping cannot show up in it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from toolkit.check.formatting import Numbering, StyleSheet, effects, table_conditions
from toolkit.check.layout import normalise_title
from toolkit.docx.archive import DocxArchive, parse_xml
from toolkit.docx.conventions import (
    CONTENTS_STYLE_NAME,
    EXECUTION_BOOKMARK,
    HEADING_STYLE_NAME,
    HEADING_STYLES,
    R_NS,
    REL_NS,
    W_NS,
)
from toolkit.docx.elements import first_child, grandchild, paragraph_style

_W = f"{{{W_NS}}}"
_PAGE_FIELDS = {"PAGE", "NUMPAGES", "PAGEREF", "SECTIONPAGES"}
_SKIPPED = frozenset({_W + "del", _W + "moveFrom"})
_KEPT_WHEN_REJECTED = frozenset({_W + "ins", _W + "moveTo"})
_TEXT = frozenset({_W + "t", _W + "tab", _W + "br", _W + "cr", _W + "noBreakHyphen"})
_P, _R, _T, _VAL = _W + "p", _W + "r", _W + "t", _W + "val"
_DEL_TEXT, _NO_BREAK_HYPHEN = _W + "delText", _W + "noBreakHyphen"
_PPR, _RPR, _RSTYLE = _W + "pPr", _W + "rPr", _W + "rStyle"
_TBL_PR = _W + "tblPr"
_BOX, _FIELD_SIMPLE, _FIELD_CHAR, _INSTRUCTION = (
    _W + "txbxContent",
    _W + "fldSimple",
    _W + "fldChar",
    _W + "instrText",
)
_NOTE_REFERENCES = frozenset({_W + "footnoteReference", _W + "endnoteReference"})
_COMMENT_MARKS = frozenset({_W + "commentReference", _W + "commentRangeStart"})
_NOT_ENTERED = frozenset({_BOX, _FIELD_SIMPLE, _P})  # read as a whole, or a story of its own
_PROPERTIES = ("title", "subject", "identifier", "keywords", "category", "description")
# Relationship types Word or LibreOffice add when saving, which show nothing by themselves.
_HOUSEKEEPING = re.compile(
    r"/(settings|fontTable|webSettings|theme|stylesWithEffects|people|commentsExtended|"
    r"commentsIds|commentsExtensible|customXmlProps|core-properties|extended-properties|"
    r"thumbnail|custom-properties|numbering|styles|footnotes|endnotes|comments|header|footer|"
    r"customXml|glossaryDocument|hyperlink|image)$"
)
FRONT = "front matter"
EXECUTION = "execution page"


@dataclass
class Seen:
    """A document as a reader sees it."""

    # story -> its lines (page-number field results as "#"); the body is not listed.
    stories: dict[str, list[str]] = field(default_factory=dict)
    # (story, clause or None, effect, text or "" for a whole paragraph) -> count; effects
    # that change what is seen.
    effects: Counter = field(default_factory=Counter)
    # the same for cosmetic effects (font, underline, capitals)
    cosmetic: Counter = field(default_factory=Counter)
    # (story, clause, effect) for every effect present; (story, clause, text) of paragraphs
    kinds: set = field(default_factory=set)
    texts: set = field(default_factory=set)
    # effect key -> the paragraphs it was found in (for the report)
    samples: dict = field(default_factory=dict)
    # (story, clause, instruction, result) -> count
    fields: Counter = field(default_factory=Counter)
    # (clause, label shown, paragraph text) for every numbered body paragraph, in order
    numbers: list[tuple] = field(default_factory=list)
    # lines of contents (TOC-styled paragraphs, contents galleries, TOC fields)
    contents: list[str] = field(default_factory=list)
    # story -> the clause its anchor sits in (footnotes, endnotes, comments)
    anchors: dict[str, str | None] = field(default_factory=dict)
    relations: Counter = field(default_factory=Counter)
    properties: dict[str, str] = field(default_factory=dict)
    oddities: list[tuple[str, str | None]] = field(default_factory=list)


@dataclass
class _Reader:
    seen: Seen
    sheet: StyleSheet
    numbering: Numbering | None
    clauses: dict[str, str]  # heading bookmark -> clause id
    titles: dict[str, str]  # normalised heading title -> clause id
    rejected: bool
    clause: str | None = FRONT
    fields: list[list] = field(default_factory=list)  # [instruction, result, separated, clause]
    boxes: int = 0

    @property
    def skipped_tags(self) -> frozenset[str]:
        """The tags whose content this reading leaves out (deletions, or insertions)."""
        return _KEPT_WHEN_REJECTED if self.rejected else _SKIPPED

    def skipped(self, tag: str) -> bool:
        return tag in self.skipped_tags

    def in_contents(self) -> bool:
        return any(_name(entry[0]) == "TOC" for entry in self.fields)

    def story(self, root, story: str, body: bool = False) -> None:
        """Read one story; text boxes become stories of their own."""
        lines = self.seen.stories.setdefault(story, []) if not body else []
        self.fields = []
        for paragraph in root.iter(_P, _W + "dataBinding", _W + "altChunk"):
            if _in_box(paragraph, root) or _skipped_ancestor(paragraph, root, self):
                continue
            if paragraph.tag != _P:
                self.filled_on_opening(paragraph.tag, story, body)
                continue
            line = self.paragraph(paragraph, story, body)
            if line:
                lines.append(line)

    def paragraph(self, paragraph, story: str, body: bool) -> str:
        style = paragraph_style(paragraph)
        contents = bool(CONTENTS_STYLE_NAME.match(style)) or _in_gallery(paragraph)
        if body:
            self._follow_clause(paragraph, style)
        where = self.clause if body else self.seen.anchors.get(story, None)
        label, label_run = self.numbering.label(paragraph) if self.numbering else ("", {})
        table = self._table_style(paragraph)
        pieces: list[tuple[str, frozenset, frozenset]] = []
        words: list[str] = []
        contents = contents or self.in_contents()
        for node in _visible(paragraph, self):
            tag = node.tag
            if tag in _TEXT or (self.rejected and tag == _DEL_TEXT):
                text = (
                    (node.text or "")
                    if tag in (_T, _DEL_TEXT)
                    else ("-" if tag == _NO_BREAK_HYPHEN else " ")
                )
                if self.fields and self.fields[-1][2]:
                    self.fields[-1][1] += text
                if self.fields and self._in_page_field():
                    continue
                words.append(text)
                run = _run_of(node)
                serious, cosmetic = self.sheet.run_effects(
                    style, _char_style(run), _rpr(run), table
                )
                pieces.append((text, serious, cosmetic))
            elif tag == _BOX:
                self.boxes += 1
                outer = self.fields
                box = f"text box {self.boxes} in the {story}"
                self.seen.anchors[box] = where
                self.story(node, box)
                self.fields = outer
            elif tag in _NOTE_REFERENCES:
                kind = "footnote" if tag == _W + "footnoteReference" else "endnote"
                self.seen.anchors[f"{kind} {node.get(_W + 'id')}"] = where
            elif tag in _COMMENT_MARKS:
                self.seen.anchors.setdefault(f"comment {node.get(_W + 'id')}", where)
            elif tag == _FIELD_CHAR:
                self._field_char(node.get(_W + "fldCharType"), story, where, words)
            elif tag == _INSTRUCTION and self.fields and not self.fields[-1][2]:
                self.fields[-1][0] += node.text or ""
            elif tag == _FIELD_SIMPLE:
                instruction = node.get(_W + "instr", "")
                text = "".join(t.text or "" for t in node.iter(_T))
                self._record_field(instruction, text, story, where)
                words.append("#" if _name(instruction) in _PAGE_FIELDS else text)
        line = " ".join("".join(words).split())
        if contents:
            if line:
                self.seen.contents.append(line)
            return line
        if label:
            properties = self.sheet.run(style, None, grandchild(paragraph, _PPR, _RPR), table)
            properties.update(label_run)
            serious, cosmetic = effects(properties)
            pieces.insert(0, (f"\u27e8{label}\u27e9 ", serious, cosmetic))
            if body:
                self.seen.numbers.append((where, label, line))
        _spans(pieces, story if not body else "body", where, self.seen, line)
        return line

    def _table_style(self, paragraph) -> dict[str, str] | None:
        """Return what the table style (with its conditional formats) gives a cell's text."""
        cell = paragraph.getparent()
        while cell is not None and cell.tag != _W + "tc":
            cell = cell.getparent()
        row = cell.getparent() if cell is not None else None
        table = row.getparent() if row is not None else None
        if table is None or table.tag != _W + "tbl" or row.tag != _W + "tr":
            return None
        style = grandchild(table, _TBL_PR, _W + "tblStyle")
        rows = list(table.iterchildren(_W + "tr"))
        cells = list(row.iterchildren(_W + "tc"))
        conditions = table_conditions(
            grandchild(table, _TBL_PR, _W + "tblLook"),
            rows.index(row),
            len(rows),
            cells.index(cell) if cell in cells else 0,
            len(cells),
        )
        return self.sheet.table_run(
            style.get(_W + "val") if style is not None else None, conditions
        )

    def filled_on_opening(self, tag: str, story: str, body: bool) -> None:
        """Record content Word fills in on opening (a data binding, an imported chunk)."""
        where = self.clause if body else self.seen.anchors.get(story)
        if tag == _W + "dataBinding":
            what = (
                f"a content control in the {story} is bound to custom XML data: Word fills it "
                "in on opening"
            )
        else:
            what = f"an imported chunk (altChunk) in the {story}: Word fills it in on opening"
        self.seen.oddities.append((what, where))

    def _follow_clause(self, paragraph, style: str) -> None:
        marks = [node.get(_W + "name", "") for node in paragraph.iter(_W + "bookmarkStart")]
        for mark in marks:
            if mark in self.clauses:
                self.clause = self.clauses[mark]
                return
            if mark == EXECUTION_BOOKMARK:
                self.clause = EXECUTION
                return
        if style in HEADING_STYLES or HEADING_STYLE_NAME.match(style):
            text = "".join(t.text or "" for t in paragraph.iter(_W + "t"))
            key = self.titles.get(normalise_title(text))
            if key:
                self.clause = key

    def _field_char(self, kind: str | None, story: str, where, words: list[str]) -> None:
        if kind == "begin":
            self.fields.append(["", "", False, where])
        elif kind == "separate" and self.fields:
            self.fields[-1][2] = True
        elif kind == "end" and self.fields:
            instruction, result, _, started = self.fields.pop()
            if _name(instruction) in _PAGE_FIELDS and not self.in_contents():
                words.append("#")
            self._record_field(instruction, result, story, started)

    def _in_page_field(self) -> bool:
        return any(entry[2] and _name(entry[0]) in _PAGE_FIELDS for entry in self.fields)

    def _record_field(self, instruction: str, result: str, story: str, where) -> None:
        if self.in_contents() and _name(instruction) != "TOC":
            return  # the contents' own page references are rebuilt at will
        self.seen.fields[
            (story, where, _instruction(instruction), _result(instruction, result))
        ] += 1


def _spans(pieces, story: str, where, seen: Seen, line: str) -> None:
    """Record each effect as the spans of text it covers (run boundaries disappear).

    An effect over the whole paragraph is recorded as covering "" (the whole), so that
    a paragraph whose words changed keeps its formatting key; the words are the
    clause check's business.
    """
    seen.texts.add((story, where, line))
    whole = " ".join("".join(piece[0] for piece in pieces).split())
    for index, counter in ((1, seen.effects), (2, seen.cosmetic)):
        sets = [piece[index] for piece in pieces]
        names = set().union(*sets)
        # Usually every run of a paragraph has the same effects: each spans the whole.
        uniform = all(effect_set == sets[0] for effect_set in sets)
        for effect in names:
            seen.kinds.add((story, where, effect))
            if uniform:
                if whole:
                    key = (story, where, effect, "")
                    counter[key] += 1
                    seen.samples.setdefault(key, []).append(line)
                continue
            span: list[str] = []
            for piece in [*pieces, ("", frozenset(), frozenset())]:
                if effect in piece[index]:
                    span.append(piece[0])
                elif span:
                    text = " ".join("".join(span).split())
                    if text:
                        key = (story, where, effect, "" if text == whole else text)
                        counter[key] += 1
                        seen.samples.setdefault(key, []).append(line)
                    span = []


def _visible(paragraph, reader: _Reader):
    """Yield a paragraph's elements in order, leaving out what the reading does not show."""
    skipped = reader.skipped_tags
    # lxml walks the tree (elements only: no comments or processing instructions) and
    # leaves out a subtree on request.
    walk = etree.iterwalk(paragraph, events=("start",))
    next(walk)  # the paragraph itself
    for _, node in walk:
        tag = node.tag
        if tag in skipped:
            walk.skip_subtree()
            continue
        yield node
        if tag in _NOT_ENTERED:
            walk.skip_subtree()


def _skipped_ancestor(paragraph, root, reader: _Reader) -> bool:
    node = paragraph.getparent()
    while node is not None and node is not root:
        if reader.skipped(node.tag):
            return True
        node = node.getparent()
    return False


def _in_box(paragraph, root) -> bool:
    node = paragraph.getparent()
    while node is not None and node is not root:
        if node.tag == _BOX:
            return True
        node = node.getparent()
    return False


def _in_gallery(paragraph) -> bool:
    """Whether a paragraph sits in a content control marked as a contents gallery."""
    node = paragraph.getparent()
    while node is not None:
        if node.tag == _W + "sdt":
            gallery = node.find(f"{_W}sdtPr/{_W}docPartObj/{_W}docPartGallery")
            if gallery is not None and "content" in (gallery.get(_W + "val") or "").lower():
                return True
        node = node.getparent()
    return False


def _run_of(node):
    parent = node.getparent()
    return parent if parent is not None and parent.tag == _R else None


def _rpr(run):
    return first_child(run, _RPR) if run is not None else None


def _char_style(run) -> str | None:
    node = grandchild(run, _RPR, _RSTYLE) if run is not None else None
    return node.get(_VAL) if node is not None else None


def _name(instruction: str) -> str:
    return (instruction.split() or [""])[0].upper()


def _instruction(instruction: str) -> str:
    words = instruction.split()
    if words and words[0].upper() == "TOC":
        return "TOC"  # editors and LibreOffice rewrite its switches
    return " ".join([words[0].upper(), *words[1:]]) if words else ""


def _result(instruction: str, result: str) -> str:
    """Return a field's result as compared: page numbers depend on layout, so any number."""
    name = _name(instruction)
    result = " ".join(result.split())
    if name in _PAGE_FIELDS and re.fullmatch(r"[0-9ivxlcdmIVXLCDM]*", result):
        return "<page number>"
    if name == "TOC":
        return "<contents>"
    return result


def read_seen(
    source: str | Path | bytes,
    clauses: dict[str, str] | None = None,
    titles: dict[str, str] | None = None,
    *,
    rejected: bool = False,
) -> Seen:
    """Read a .docx into what a reader sees of it.

    ``clauses`` maps heading bookmarks to clause ids and ``titles`` normalised heading
    titles to clause ids; ``rejected`` reads tracked changes as if all were rejected.
    """
    archive = DocxArchive(source)
    seen = Seen()
    styles = parse_xml(archive, "word/styles.xml") if archive.has("word/styles.xml") else None
    sheet = StyleSheet.read(styles)
    numbering_root = (
        parse_xml(archive, "word/numbering.xml") if archive.has("word/numbering.xml") else None
    )
    reader = _Reader(
        seen, sheet, Numbering(numbering_root, sheet), clauses or {}, titles or {}, rejected
    )
    targets: dict[str, str] = {}
    rels_name = "word/_rels/document.xml.rels"
    if archive.has(rels_name):
        for rel in parse_xml(archive, rels_name).iter(f"{{{REL_NS}}}Relationship"):
            kind = (rel.get("Type") or "").rsplit("/", 1)[-1]
            target = rel.get("Target") or ""
            targets[rel.get("Id") or ""] = target
            if not _HOUSEKEEPING.search("/" + kind) or rel.get("TargetMode") == "External":
                seen.relations[f"{kind} {target if rel.get('TargetMode') else ''}".strip()] += 1
    document = parse_xml(archive, "word/document.xml")
    reader.story(document, "body", body=True)
    reader.numbering = None  # notes, comments and headers are not numbered with the body
    for index, sect in enumerate(document.iter(_W + "sectPr"), start=1):
        for ref in sect:
            if ref.tag in (_W + "headerReference", _W + "footerReference"):
                part = "word/" + targets.get(ref.get(f"{{{R_NS}}}id") or "", "").lstrip("/")
                if archive.has(part):
                    what = "header" if ref.tag.endswith("headerReference") else "footer"
                    kind = ref.get(_W + "type", "default")
                    reader.story(parse_xml(archive, part), f"{what} ({kind}) of section {index}")
    for name, noun in (
        ("word/footnotes.xml", "footnote"),
        ("word/endnotes.xml", "endnote"),
        ("word/comments.xml", "comment"),
    ):
        if archive.has(name):
            for item in parse_xml(archive, name).iter(_W + noun):
                if item.get(_W + "type") in ("separator", "continuationSeparator"):
                    continue
                reader.story(item, f"{noun} {item.get(_W + 'id')}")
    if archive.has("docProps/core.xml"):
        for node in parse_xml(archive, "docProps/core.xml"):
            name = node.tag.rsplit("}", 1)[-1]
            if name in _PROPERTIES:
                seen.properties[name] = " ".join((node.text or "").split())
    for name in archive.names:
        if name.startswith("customXml/item") and "Props" not in name:
            blob = archive.read(name)
            if b"urn:nhs-contracts:manifest" not in blob:
                seen.relations[f"custom XML data part {len(blob) > 0}"] += 1
        if "afchunk" in name.lower() or name.lower().endswith((".mht", ".html", ".htm", ".rtf")):
            seen.oddities.append((f"an imported chunk part {name}", None))
    return seen
