"""Finding an element's children in a parsed part, without ElementPath's cost.

lxml's ``find`` runs a path expression even for a plain tag; the readers ask for a
paragraph's or a run's properties several times for every paragraph of a contract.
"""

from __future__ import annotations

__all__ = ["first_child", "grandchild"]


def first_child(node, tag: str):
    """Return ``node.find(tag)``: its first child with ``tag``, or None.

    A properties element comes first by the schema, so the first child is tried first.
    """
    if len(node) and node[0].tag == tag:
        return node[0]
    return next(node.iterchildren(tag), None)


def grandchild(node, child: str, tag: str):
    """Return ``node.find("child/tag")``: the first ``tag`` under any ``child``, or None."""
    parents = node.iterchildren(child)
    if len(node) and node[0].tag == child:  # the usual place of a properties element
        found = first_child(node[0], tag)
        if found is not None:
            return found
        next(parents)  # node[0], just searched
    for parent in parents:
        found = first_child(parent, tag)
        if found is not None:
            return found
    return None
