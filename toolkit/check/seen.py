"""Comparing what a reader sees in the returned document with the issued document.

Both documents are read into the same model: for every story (body, headers,
footers, footnotes, endnotes, comments, text boxes in either branch of
``mc:AlternateContent``) the words of each paragraph with the effects that change
what a reader sees (hidden, struck through, invisible colour, tiny, raised or
lowered, highlighted); the displayed result of every field; the parts and
relationships of the package; and what Word fills in on opening (data bindings,
imported chunks). The issued document is the toolkit's own rendering of the issued
contract, so any difference is something the toolkit did not write. Nothing here
whitelists an attack: it compares two models, and only Word's and LibreOffice's
housekeeping (run splits, rsids, proofing marks, settings, fonts, themes) is
ignored because the model never records it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.check.report import SEEN, Change, ChangeKind, CheckReport, Classification
from toolkit.contract.model import Contract
from toolkit.docx.archive import DocxArchive, parse_xml
from toolkit.docx.conventions import R_NS, REL_NS, W_NS

_W = f"{{{W_NS}}}"
_TOGGLES = ("vanish", "specVanish", "webHidden", "strike", "dstrike")
_OFF = {"0", "false", "off", "none"}
# Relationship types Word or LibreOffice add when saving, which show nothing by themselves.
_HOUSEKEEPING = re.compile(
    r"/(settings|fontTable|webSettings|theme|stylesWithEffects|people|commentsExtended|"
    r"commentsIds|commentsExtensible|customXmlProps|core-properties|extended-properties|"
    r"thumbnail|custom-properties|numbering|styles|footnotes|endnotes|comments|header|footer|"
    r"customXml|glossaryDocument|hyperlink|image)$"
)
_PROPERTIES = ("title", "subject", "identifier", "keywords", "category", "description")
_PAGE_FIELDS = {"PAGE", "NUMPAGES", "PAGEREF", "SECTIONPAGES"}
_MAX_LISTED = 20


@dataclass
class Seen:
    """A document as a reader sees it."""

    stories: dict[str, list[str]] = field(default_factory=dict)
    effects: Counter = field(default_factory=Counter)  # (story, effect, text) -> count
    fields: Counter = field(default_factory=Counter)  # (story, instruction, result)
    styles: dict[str, frozenset] = field(default_factory=dict)  # style id -> effects
    numbering: list[tuple] = field(default_factory=list)
    relations: Counter = field(default_factory=Counter)
    properties: dict[str, str] = field(default_factory=dict)
    oddities: list[str] = field(default_factory=list)


def _effects(rpr) -> frozenset:
    """Return the effects of a run's properties that change what a reader sees."""
    if rpr is None:
        return frozenset()
    found = set()
    for name in _TOGGLES:
        node = rpr.find(_W + name)
        if node is not None and node.get(_W + "val", "1") not in _OFF:
            found.add("hidden" if name in ("vanish", "specVanish", "webHidden") else "struck")
    color = rpr.find(_W + "color")
    if color is not None and (color.get(_W + "val") or "").upper() not in ("AUTO", "000000", ""):
        found.add(f"coloured {color.get(_W + 'val')}")
    size = rpr.find(_W + "sz")
    if size is not None:
        found.add(f"size {size.get(_W + 'val')}")
    for name in ("position", "vertAlign", "highlight", "spacing", "w", "shd"):
        node = rpr.find(_W + name)
        if node is not None:
            value = node.get(_W + "val") or node.get(_W + "fill") or ""
            if value not in ("0", "baseline", "none", "100", "auto", ""):
                found.add(f"{name} {value}")
    return frozenset(found)


def _walk(root, story: str, seen: Seen) -> None:
    """Read one story: paragraphs, effects, fields; text boxes become stories of their own."""
    lines = seen.stories.setdefault(story, [])
    stack: list[list[str]] = []  # open fields: [instruction, result, separated]
    boxes = 0
    for paragraph in root.iter(_W + "p"):
        if paragraph.getparent() is not None and _in_box(paragraph, root):
            continue
        words: list[str] = []
        for node in paragraph.iter():
            tag = node.tag
            if tag in (_W + "del", _W + "moveFrom"):
                continue
            if tag == _W + "txbxContent":
                boxes += 1
                _walk(node, f"text box {boxes} in the {story}", seen)
            elif tag == _W + "dataBinding":
                seen.oddities.append(
                    f"a content control in the {story} is bound to custom XML data: Word "
                    "fills it in on opening"
                )
            elif tag == _W + "altChunk":
                seen.oddities.append(f"an imported chunk (altChunk) in the {story}")
            elif tag == _W + "fldChar":
                kind = node.get(_W + "fldCharType")
                if kind == "begin":
                    stack.append(["", "", False])
                elif kind == "separate" and stack:
                    stack[-1][2] = True
                elif kind == "end" and stack:
                    instr, result, _ = stack.pop()
                    seen.fields[(story, _instruction(instr), _result(instr, result))] += 1
            elif tag == _W + "instrText" and stack and not stack[-1][2]:
                stack[-1][0] += node.text or ""
            elif tag == _W + "fldSimple":
                instr = node.get(_W + "instr", "")
                text = "".join(t.text or "" for t in node.iter(_W + "t"))
                seen.fields[(story, _instruction(instr), _result(instr, text))] += 1
            elif tag == _W + "t" and not _deleted(node, paragraph):
                text = node.text or ""
                words.append(text)
                if stack and stack[-1][2]:
                    stack[-1][1] += text
                run = node.getparent()
                effects = _effects(run.find(_W + "rPr")) if run is not None else frozenset()
                for effect in effects:
                    seen.effects[(story, effect, " ".join(text.split()))] += 1
        line = " ".join("".join(words).split())
        if line:
            lines.append(line)


def _in_box(paragraph, root) -> bool:
    """Return whether a paragraph lies in a text box below ``root`` (read as its own story)."""
    node = paragraph.getparent()
    while node is not None and node is not root:
        if node.tag == _W + "txbxContent":
            return True
        node = node.getparent()
    return False


def _deleted(node, paragraph) -> bool:
    parent = node.getparent()
    while parent is not None and parent is not paragraph:
        if parent.tag in (_W + "del", _W + "moveFrom"):
            return True
        parent = parent.getparent()
    return False


def _instruction(instr: str) -> str:
    words = instr.split()
    return " ".join([words[0].upper(), *words[1:]]) if words else ""


def _result(instr: str, result: str) -> str:
    """Return a field's result as compared: page numbers depend on layout, so any number."""
    name = (instr.split() or [""])[0].upper()
    result = " ".join(result.split())
    if name in _PAGE_FIELDS and re.fullmatch(r"[0-9ivxlcdmIVXLCDM]*", result):
        return "<page number>"
    if name == "TOC":
        return "<contents>"
    return result


def read_seen(source: str | Path | bytes) -> Seen:
    """Read a .docx into what a reader sees of it."""
    archive = DocxArchive(source)
    seen = Seen()
    rels_name = "word/_rels/document.xml.rels"
    targets: dict[str, str] = {}
    if archive.has(rels_name):
        for rel in parse_xml(archive, rels_name).iter(f"{{{REL_NS}}}Relationship"):
            kind = (rel.get("Type") or "").rsplit("/", 1)[-1]
            target = rel.get("Target") or ""
            targets[rel.get("Id") or ""] = target
            if not _HOUSEKEEPING.search("/" + kind) or rel.get("TargetMode") == "External":
                seen.relations[f"{kind} {target if rel.get('TargetMode') else ''}".strip()] += 1
    document = parse_xml(archive, "word/document.xml")
    _walk(document, "body", seen)
    for index, sect in enumerate(document.iter(_W + "sectPr"), start=1):
        for ref in sect:
            if ref.tag in (_W + "headerReference", _W + "footerReference"):
                part = "word/" + targets.get(ref.get(f"{{{R_NS}}}id") or "", "").lstrip("/")
                if archive.has(part):
                    what = "header" if ref.tag.endswith("headerReference") else "footer"
                    kind = ref.get(_W + "type", "default")
                    _walk(parse_xml(archive, part), f"{what} ({kind}) of section {index}", seen)
    for name, noun, tag in (
        ("word/footnotes.xml", "footnote", "footnote"),
        ("word/endnotes.xml", "endnote", "endnote"),
        ("word/comments.xml", "comment", "comment"),
    ):
        if archive.has(name):
            for number, item in enumerate(parse_xml(archive, name).iter(_W + tag), start=1):
                if item.get(_W + "type") in ("separator", "continuationSeparator"):
                    continue
                _walk(item, f"{noun} {number}", seen)
    if archive.has("word/styles.xml"):
        for style in parse_xml(archive, "word/styles.xml").iter(_W + "style"):
            effects = _effects(style.find(_W + "rPr")) - {
                e for e in _effects(style.find(_W + "rPr")) if e.startswith("size ")
            }
            seen.styles[style.get(_W + "styleId") or ""] = frozenset(effects)
    if archive.has("word/numbering.xml"):
        for level in parse_xml(archive, "word/numbering.xml").iter(_W + "lvl"):
            values = tuple(
                (child.tag.rsplit("}", 1)[-1], child.get(_W + "val"))
                for child in level
                if child.tag in (_W + "start", _W + "numFmt", _W + "lvlText", _W + "isLgl")
            )
            seen.numbering.append(values + tuple(sorted(_effects(level.find(_W + "rPr")))))
        for override in parse_xml(archive, "word/numbering.xml").iter(_W + "startOverride"):
            seen.numbering.append((("startOverride", override.get(_W + "val")),))
    if archive.has("docProps/core.xml"):
        core = parse_xml(archive, "docProps/core.xml")
        for node in core:
            name = node.tag.rsplit("}", 1)[-1]
            if name in _PROPERTIES:
                seen.properties[name] = " ".join((node.text or "").split())
    for name in archive.names:
        if name.startswith("customXml/item") and "Props" not in name:
            blob = archive.read(name)
            if b"urn:nhs-contracts:manifest" not in blob:
                seen.relations[f"custom XML data part {len(blob) > 0}"] += 1
        if "afchunk" in name.lower() or name.lower().endswith((".mht", ".html", ".htm", ".rtf")):
            seen.oddities.append(f"an imported chunk part {name}")
    return seen


def compare_seen(issued_docx: bytes, path: Path, contract: Contract, report: CheckReport) -> None:
    """Report every difference a reader would see beyond the clause text."""
    issued, returned = read_seen(issued_docx), read_seen(path)

    def add(message: str, classification=Classification.NON_STANDARD, changes=()) -> None:
        report.add(SEEN, message, classification=classification, changes=list(changes))

    for story, lines in returned.stories.items():
        if story == "body":
            continue
        before = issued.stories.get(story, [])
        extra = [line for line in lines if line not in before]
        if extra:
            add(
                f"text in the {story} that the toolkit did not write: "
                + "; ".join(f"\u201c{line}\u201d" for line in extra[:_MAX_LISTED]),
                changes=[Change(ChangeKind.ADDED, story, "{+" + x + "+}", None, x) for x in extra],
            )
    for story, lines in issued.stories.items():
        if story != "body" and lines and story not in returned.stories:
            add(f"the {story} the toolkit wrote is missing")
    for key, count in (returned.effects - issued.effects).items():
        story, effect, text = key
        if text:
            add(
                f"text in the {story} is {_plain(effect)}: \u201c{text}\u201d"
                + (f" ({count} times)" if count > 1 else "")
            )
    for style, effects in returned.styles.items():
        if effects - issued.styles.get(style, frozenset()):
            new = ", ".join(sorted(_plain(e) for e in effects - issued.styles.get(style, set())))
            add(f"the style '{style}' has been changed so that its text is {new}")
    if Counter(returned.numbering) != Counter(issued.numbering):
        add(
            "the clause numbering definitions have been changed, so the numbers shown "
            "differ from those issued"
        )
    for key in returned.fields - issued.fields:
        story, instruction, result = key
        name = (instruction.split() or ["?"])[0]
        known = {i for (_, i, _) in issued.fields}
        if instruction in known:
            expected = next(r for (_, i, r) in issued.fields if i == instruction)
            add(
                f"a {name} field in the {story} shows \u201c{result}\u201d where updating it "
                f"shows \u201c{expected}\u201d"
            )
        else:
            add(
                f"a {name} field the toolkit never writes, in the {story}, "
                f"showing \u201c{result}\u201d"
            )
    for relation in returned.relations - issued.relations:
        add(f"a part the toolkit did not write: {relation}", Classification.MANDATORY)
    for oddity in dict.fromkeys(returned.oddities):
        add(f"{oddity} (what it shows is not what was issued)", Classification.MANDATORY)
    for name, value in returned.properties.items():
        if issued.properties.get(name, "") != value:
            add(
                f"the document property '{name}' reads \u201c{value}\u201d; issued "
                f"\u201c{issued.properties.get(name, '')}\u201d"
            )


def _plain(effect: str) -> str:
    """Return an effect in plain words."""
    name, _, value = effect.partition(" ")
    return {
        "hidden": "hidden",
        "struck": "struck through",
        "coloured": f"coloured {value}",
        "size": f"set in size {int(value) / 2:g} pt" if value.isdigit() else "resized",
        "position": "raised or lowered",
        "vertAlign": f"set as {value}",
        "highlight": f"highlighted {value}",
        "spacing": "squeezed or spread",
        "w": "scaled",
        "shd": f"shaded {value}",
    }.get(name, effect)
