"""Finding an element's children in a parsed part, without ElementPath's cost.

lxml's ``find`` runs a path expression even for a plain tag; the readers ask for a
paragraph's or a run's properties several times for every paragraph of a contract.
"""

from __future__ import annotations

from toolkit.docx.conventions import W_NS

__all__ = ["first_child", "grandchild", "paragraph_style"]

_PPR, _PSTYLE, _VAL = f"{{{W_NS}}}pPr", f"{{{W_NS}}}pStyle", f"{{{W_NS}}}val"


def first_child(node, tag: str):
    """Return ``node.find(tag)``: its first child with ``tag``, or None.

    A properties element comes first by the schema, so the first child is tried first.
    """
    if len(node) and node[0].tag == tag:
        return node[0]
    return next(node.iterchildren(tag), None)


def grandchild(node, child: str, tag: str):
    """Return ``node.find("child/tag")``: the first ``tag`` under any ``child``, or None."""
    for parent in node.iterchildren(child):
        found = first_child(parent, tag)
        if found is not None:
            return found
    return None


def paragraph_style(paragraph) -> str:
    """Return the id of a paragraph's own style (its w:pStyle), or "" if it names none."""
    style = grandchild(paragraph, _PPR, _PSTYLE)
    return (style.get(_VAL) or "") if style is not None else ""
