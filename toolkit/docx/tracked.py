"""Tracked changes in WordprocessingML: reading a paragraph's text and marking edits to it.

The redline (``toolkit.docx.redline``) decides *what* changed; this module knows *how*
Word records it. Every edit is made so that accepting all changes gives the new text
and formatting and rejecting all gives the old:

- removed text: its runs are wrapped in ``w:del`` (``w:t`` becomes ``w:delText``);
- added text: new runs, wrapped in ``w:ins``, carrying the new text's formatting;
- changed formatting: the run takes the new properties and keeps the old ones in a
  ``w:rPrChange``; a changed paragraph style keeps the old one in a ``w:pPrChange``;
- a removed or added paragraph also has its paragraph mark deleted or inserted.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from lxml import etree

from toolkit.docx.conventions import W_NS, w

# Run children that carry text a reader sees, and what each reads as.
_TEXT_CHILDREN = {w("t"): None, w("tab"): "\t", w("br"): "\n", w("cr"): "\n"}
# Content that is not what the document now says: tracked deletions, moved-away text.
_NOT_PRESENT = {w("del"), w("moveFrom")}
# Run properties that do not change what a reader sees (spelling language, ids).
_IGNORED_PROPERTIES = {w("rPrChange"), w("lang"), w("noProof"), w("webHidden")}
# Where a paragraph's mark properties (w:rPr) stand among a w:pPr's children: before these.
_AFTER_MARK = {w("sectPr"), w("pPrChange")}


@dataclass
class Revision:
    """Who and when every tracked change of a redline is attributed to; hands out ids."""

    author: str
    date: str
    next_id: int = 1

    def mark(self, tag: str) -> etree._Element:
        """Return a new ``w:ins``, ``w:del``, ``w:rPrChange`` or ``w:pPrChange`` element."""
        element = etree.Element(w(tag), nsmap={"w": W_NS})
        element.set(w("id"), str(self.next_id))
        element.set(w("author"), self.author)
        element.set(w("date"), self.date)
        self.next_id += 1
        return element


@dataclass
class Atom:
    """One piece of a paragraph's text: the run holding it and its place in the text."""

    run: etree._Element
    text: str
    start: int


# -- reading ---------------------------------------------------------------------


def top_paragraphs(body: etree._Element) -> list[etree._Element]:
    """Return the body's paragraphs in order, in tables too, but not those in text boxes."""
    return [
        paragraph
        for paragraph in body.iter(w("p"))
        if next(paragraph.iterancestors(w("p")), None) is None
    ]


def _present_runs(paragraph: etree._Element):
    """Yield the runs of a paragraph that hold what it now says, in order."""
    for run in paragraph.iter(w("r")):
        if any(ancestor.tag in _NOT_PRESENT for ancestor in run.iterancestors()):
            continue
        if next(run.iterancestors(w("p"))) is not paragraph:
            continue  # a text box's run inside this paragraph's drawing
        yield run


def _child_text(child: etree._Element) -> str | None:
    if child.tag not in _TEXT_CHILDREN:
        return None
    fixed = _TEXT_CHILDREN[child.tag]
    return fixed if fixed is not None else (child.text or "")


def run_pieces(paragraph: etree._Element) -> list[tuple[str, etree._Element | None]]:
    """Return (text, run properties) for each text-bearing piece of a paragraph, in order."""
    pieces = []
    for run in _present_runs(paragraph):
        properties = run.find(w("rPr"))
        for child in run:
            text = _child_text(child)
            if text:
                pieces.append((text, properties))
    return pieces


def paragraph_text(paragraph: etree._Element) -> str:
    """Return the text a reader sees in a paragraph (tracked deletions left out)."""
    return "".join(text for text, _ in run_pieces(paragraph))


def properties_key(properties: etree._Element | None) -> str:
    """Return a canonical form of run properties, leaving out those a reader cannot see."""
    if properties is None:
        return ""
    kept = [
        _element_key(child)
        for child in properties
        if isinstance(child.tag, str) and child.tag not in _IGNORED_PROPERTIES
    ]
    return "".join(sorted(kept))


def _element_key(element: etree._Element) -> str:
    """Return an element's tag, attributes and children as text, whatever its namespace prefixes."""
    attributes = ",".join(f"{name}={value}" for name, value in sorted(element.attrib.items()))
    children = "".join(_element_key(child) for child in element if isinstance(child.tag, str))
    return f"<{element.tag} {attributes}>{children}</>"


def char_properties(paragraph: etree._Element) -> list[etree._Element | None]:
    """Return the run properties of each character of the paragraph's text."""
    found: list[etree._Element | None] = []
    for text, properties in run_pieces(paragraph):
        found += [properties] * len(text)
    return found


def paragraph_style(paragraph: etree._Element) -> str | None:
    """Return the paragraph's style id, or None."""
    style = paragraph.find(f"{w('pPr')}/{w('pStyle')}")
    return style.get(w("val")) if style is not None else None


# -- preparing a paragraph for edits --------------------------------------------------


def atoms(paragraph: etree._Element, boundaries: set[int]) -> list[Atom]:
    """Split the paragraph's runs so each holds one piece of text and no piece crosses a
    boundary offset; return the pieces in order."""
    for run in list(_present_runs(paragraph)):
        _explode(run)
    found: list[Atom] = []
    offset = 0
    for run in list(_present_runs(paragraph)):
        child = next((c for c in run if _child_text(c)), None)
        if child is None:
            continue
        text = _child_text(child) or ""
        cuts = sorted(b - offset for b in boundaries if offset < b < offset + len(text))
        if child.tag != w("t") or not cuts:
            found.append(Atom(run, text, offset))
            offset += len(text)
            continue
        pieces = [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)]
        previous = run
        for piece in pieces:
            piece_run = _text_run(run.find(w("rPr")), piece)
            previous.addnext(piece_run)
            previous = piece_run
            found.append(Atom(piece_run, piece, offset))
            offset += len(piece)
        run.getparent().remove(run)
    return found


def _explode(run: etree._Element) -> None:
    """Give each child of a run (text, tab, field character ...) a run of its own."""
    children = [child for child in run if child.tag != w("rPr")]
    if len(children) < 2:
        return
    properties = run.find(w("rPr"))
    previous = run
    for child in children[1:]:
        single = etree.Element(w("r"))
        if properties is not None:
            single.append(copy.deepcopy(properties))
        single.append(child)
        previous.addnext(single)
        previous = single


def _text_run(properties: etree._Element | None, text: str) -> etree._Element:
    """Return a new run holding ``text`` (tabs and line breaks as Word writes them)."""
    run = etree.Element(w("r"))
    if properties is not None:
        run.append(copy.deepcopy(properties))
    for index, line in enumerate(text.split("\n")):
        if index:
            etree.SubElement(run, w("br"))
        for number, chunk in enumerate(line.split("\t")):
            if number:
                etree.SubElement(run, w("tab"))
            if chunk:
                element = etree.SubElement(run, w("t"))
                element.text = chunk
                element.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return run


# -- marking edits ------------------------------------------------------------------------


def delete_run(run: etree._Element, revision: Revision) -> None:
    """Mark a run as deleted: wrap it in w:del, its text as deleted text."""
    for element in run.iter(w("t"), w("instrText")):
        element.tag = w("delText") if element.tag == w("t") else w("delInstrText")
    mark = revision.mark("del")
    run.addprevious(mark)
    mark.append(run)


def inserted_runs(
    pieces: list[tuple[str, etree._Element | None]], revision: Revision
) -> etree._Element:
    """Return a w:ins holding new runs for (text, run properties) pieces."""
    mark = revision.mark("ins")
    for text, properties in pieces:
        mark.append(_text_run(_clean_properties(properties), text))
    return mark


def _clean_properties(properties: etree._Element | None) -> etree._Element | None:
    if properties is None:
        return None
    cleaned = copy.deepcopy(properties)
    for change in cleaned.findall(w("rPrChange")):
        cleaned.remove(change)
    return cleaned


def change_properties(run: etree._Element, new: etree._Element | None, revision: Revision) -> None:
    """Give a run new run properties, recording its old ones in a w:rPrChange."""
    old = run.find(w("rPr"))
    replacement = _clean_properties(new)
    if replacement is None:
        replacement = etree.Element(w("rPr"))
    change = revision.mark("rPrChange")
    previous = etree.SubElement(change, w("rPr"))
    if old is not None:
        for child in _clean_properties(old):
            previous.append(child)
        run.remove(old)
    replacement.append(change)
    run.insert(0, replacement)


def change_style(paragraph: etree._Element, style: str | None, revision: Revision) -> None:
    """Give a paragraph a new style, recording its old one in a w:pPrChange."""
    properties = _paragraph_properties(paragraph)
    old = properties.find(w("pStyle"))
    change = revision.mark("pPrChange")
    previous = etree.SubElement(change, w("pPr"))
    if old is not None:
        previous.append(copy.deepcopy(old))
        properties.remove(old)
    if style is not None:
        element = etree.Element(w("pStyle"))
        element.set(w("val"), style)
        properties.insert(0, element)
    properties.append(change)


def _paragraph_properties(paragraph: etree._Element) -> etree._Element:
    properties = paragraph.find(w("pPr"))
    if properties is None:
        properties = etree.Element(w("pPr"))
        paragraph.insert(0, properties)
    return properties


def mark_paragraph(paragraph: etree._Element, tag: str, revision: Revision) -> None:
    """Mark a paragraph's mark as inserted ("ins") or deleted ("del")."""
    properties = _paragraph_properties(paragraph)
    mark_properties = properties.find(w("rPr"))
    if mark_properties is None:
        mark_properties = etree.Element(w("rPr"))
        following = next((c for c in properties if c.tag in _AFTER_MARK), None)
        if following is None:
            properties.append(mark_properties)
        else:
            following.addprevious(mark_properties)
    mark_properties.insert(0, revision.mark(tag))


def delete_paragraph(paragraph: etree._Element, revision: Revision) -> None:
    """Mark all of a paragraph as deleted: its runs, and its mark unless a cell needs it."""
    for run in list(_present_runs(paragraph)):
        delete_run(run, revision)
    parent = paragraph.getparent()
    last_in_cell = parent.tag == w("tc") and not any(
        sibling.tag == w("p") for sibling in paragraph.itersiblings()
    )
    if not last_in_cell:
        mark_paragraph(paragraph, "del", revision)


def new_paragraph(
    source: etree._Element, known_styles: set[str], revision: Revision
) -> etree._Element:
    """Return an inserted copy of a paragraph: its style (if the document has it) and text."""
    paragraph = etree.Element(w("p"))
    style = paragraph_style(source)
    properties = etree.SubElement(paragraph, w("pPr"))
    if style in known_styles:
        etree.SubElement(properties, w("pStyle")).set(w("val"), style)
    mark_paragraph(paragraph, "ins", revision)
    pieces = run_pieces(source)
    if pieces:
        paragraph.append(inserted_runs(pieces, revision))
    return paragraph
