"""The copy of a .docx that LibreOffice prints: the document without its comments.

LibreOffice 7.4 aborts (NoSuchElementException, signal 6) when it opens a document
with comments through UNO, so the export filter's own "do not print comments"
option cannot be relied on alone. A PDF shows no comments anyway: a draft's open
items stay visible in its text, highlighted as [●].

The comments are removed by structure, whoever wrote the document (the toolkit,
Word, LibreOffice): every comment anchor and reference in every part of the main
document's story, a run left holding nothing but its formatting, and the comment
parts with their relationships and content types.
"""

from __future__ import annotations

import posixpath
import shutil
import zipfile
from pathlib import Path

from lxml import etree

from toolkit.docx.conventions import CT_NS, REL_NS, W_NS, w

# Relationship types (by their last path segment) of the parts that hold comments.
COMMENT_RELATIONSHIPS = frozenset(
    {"comments", "commentsExtended", "commentsIds", "commentsExtensible"}
)
# Elements that anchor or cite a comment in a story.
COMMENT_MARKS = frozenset({w("commentRangeStart"), w("commentRangeEnd"), w("commentReference")})
MAIN_RELATIONSHIPS = "word/_rels/document.xml.rels"
CONTENT_TYPES = "[Content_Types].xml"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def copy_without_comments(source: Path, copy: Path) -> None:
    """Write ``copy``: the .docx ``source`` with its comments taken out.

    A file that is not a zip, or a part that is not well-formed XML, is copied as it
    is: LibreOffice then says what is wrong with the document.
    """
    try:
        archive = zipfile.ZipFile(source)
    except zipfile.BadZipFile:
        shutil.copyfile(source, copy)
        return
    with archive:
        try:
            members = {info.filename: archive.read(info) for info in archive.infolist()}
        except (zipfile.BadZipFile, OSError, EOFError, ValueError):
            shutil.copyfile(source, copy)
            return
        infos = archive.infolist()
    dropped = _drop_comment_parts(members)
    with zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as target:
        for info in infos:
            if info.filename in dropped:
                continue
            blob = members[info.filename]
            if info.filename.startswith("word/") and info.filename.endswith(".xml"):
                blob = _without_marks(blob)
            target.writestr(info, blob)


def _parse(blob: bytes) -> etree._Element | None:
    try:
        return etree.fromstring(blob, _PARSER)
    except etree.XMLSyntaxError:
        return None


def _serialise(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _drop_comment_parts(members: dict[str, bytes]) -> set[str]:
    """Remove the comment parts' relationships and content types; return their names."""
    relationships = _parse(members.get(MAIN_RELATIONSHIPS, b""))
    if relationships is None:
        return set()
    dropped = set()
    for relationship in relationships.findall(f"{{{REL_NS}}}Relationship"):
        kind = relationship.get("Type", "").rsplit("/", 1)[-1]
        if kind in COMMENT_RELATIONSHIPS and relationship.get("TargetMode") != "External":
            target = relationship.get("Target", "")
            name = posixpath.normpath(
                target.lstrip("/") if target.startswith("/") else posixpath.join("word", target)
            )
            dropped.add(name)
            relationships.remove(relationship)
    if not dropped:
        return set()
    members[MAIN_RELATIONSHIPS] = _serialise(relationships)
    types = _parse(members.get(CONTENT_TYPES, b""))
    if types is not None:
        for override in types.findall(f"{{{CT_NS}}}Override"):
            if override.get("PartName", "").lstrip("/") in dropped:
                types.remove(override)
        members[CONTENT_TYPES] = _serialise(types)
    return dropped


def _without_marks(blob: bytes) -> bytes:
    """Return a story part without comment anchors and references, or as it was."""
    if b"comment" not in blob:  # most parts: nothing to look for, nothing to parse
        return blob
    root = _parse(blob)
    if root is None or etree.QName(root).namespace != W_NS:
        return blob
    marks = [element for element in root.iter() if element.tag in COMMENT_MARKS]
    for mark in marks:
        parent = mark.getparent()
        parent.remove(mark)
        if parent.tag == w("r") and all(child.tag == w("rPr") for child in parent):
            parent.getparent().remove(parent)  # the run only carried the reference
    return _serialise(root)
