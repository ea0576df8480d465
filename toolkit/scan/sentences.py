"""Cutting normalised text into sentences and list limbs, and library Jinja into words.

A lead-in ending in a colon is carried into each limb of the list it introduces, so
that "The NHS Party shall not: (a) ...; (b) ..." is read limb by limb with its verb.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from toolkit.scan.normalise import Normalised, compiled

__all__ = ["MAX_LOOKBACK", "Sentence", "plain_text", "sentences"]

_JINJA_COMMENT = r"(?s)\{#.*?#\}"
_JINJA_TAG = r"(?s)\{%.*?%\}"
_JINJA_EXPR = r"(?s)\{\{(.*?)\}\}"
_CALL = r"""^-?\s*(ref|schedule)\(\s*['"]([\w.]+)['"]"""
_MARKUP_ITEM = r"(?m)^(\s*)- (?:\[@[a-z0-9_]+\] )?"


def plain_text(source: str) -> str:
    """Return a library text (Jinja plus line markup) as plain words for scanning.

    Both branches of every ``{% if %}`` are kept; a reference reads as the clause id in
    words ("clause {{ ref('non_exclusivity') }}" as "clause non exclusivity");
    the Partner's and NHS Party's names read as "the Partner" and "the NHS Party";
    other values read as "[value]".
    """

    def expression(match: re.Match) -> str:
        inner = match.group(1).strip()
        call = compiled(_CALL).match(inner)
        if call:
            words = call.group(2).replace("_", " ")
            # The wording already says "clause"; a schedule() call renders "Schedule N".
            return words if call.group(1) == "ref" else f"schedule {words}"
        head = inner.lstrip("-").strip().split("|")[0].strip()
        if head.startswith("partner"):
            return "the Partner"
        if head.startswith(("lead_nhs_party", "nhs_parties", "party")):
            return "the NHS Party"
        return "[value]"

    text = compiled(_JINJA_COMMENT).sub(" ", source)
    text = compiled(_JINJA_TAG).sub(" ", text)
    text = compiled(_JINJA_EXPR).sub(expression, text)
    text = compiled(_MARKUP_ITEM).sub(r"\1", text)
    text = text.replace("**", "")
    return "\n".join(
        line.strip().strip("|").replace("|", ";") if line.strip().startswith("|") else line
        for line in text.split("\n")
    )


# -- sentences -----------------------------------------------------------------------

_BOUNDARY = r"[.!?;:](?= |\n|$)|\n"
_ABBREVIATION = (
    r"(?:^|[ (])(?:e\.g|i\.e|etc|cl|cls|no|nos|para|paras|sch|art|arts|s|ss|reg|regs|sec|"
    r"ltd|plc|co|inc|llp|v|vs|mr|mrs|ms|dr|st|p|pp|fig|approx|u\.k|[a-z])$"
)
_CONTINUES_LINE = r"(?:[,(]|\b(?:and|or|and/or|but|including|to|of|the|a|an))$"


# Real sentences are far shorter; capping them keeps scanning linear in the text's length
# whatever is thrown at it.
_MAX_SENTENCE = 1000
# Negations further back than this do not govern the words being read.
MAX_LOOKBACK = 400


def _chunks(text: str, start: int, end: int, mark: str) -> list[tuple[int, int, str]]:
    pieces = []
    while end - start > _MAX_SENTENCE:
        cut = text.rfind(", ", start, start + _MAX_SENTENCE)
        if cut <= start:
            cut = text.rfind(" ", start, start + _MAX_SENTENCE)
        if cut <= start:
            cut = start + _MAX_SENTENCE
        pieces.append((start, cut + 1, ","))
        start = cut + 1
    pieces.append((start, end, mark))
    return pieces


class Sentence(NamedTuple):
    """A sentence or list limb, with the lead-in(s) that govern it."""

    text: str  # lead-ins and the limb, joined by spaces (normalised)
    index: list[int]  # text position -> position in the normalised document
    limb_start: int  # where the limb itself starts in ``text``


def _continues(doc: Normalised, before: str, after: int) -> bool:
    """Whether a line break falls inside a sentence (wrapped text, "non-\nexclusive")."""
    if not before or before[-1] in ".;:!?" or after >= len(doc.index):
        return False
    return doc.original[doc.index[after]].islower()


def sentences(doc: Normalised) -> list[Sentence]:
    text = doc.text
    spans: list[tuple[int, int, str]] = []
    start = 0
    for match in compiled(_BOUNDARY).finditer(text):
        mark = match.group()
        before = text[start : match.start()].rstrip()
        if mark == "." and compiled(_ABBREVIATION).search(before):
            continue
        if mark == "\n" and (
            compiled(_CONTINUES_LINE).search(before) or _continues(doc, before, match.end())
        ):
            continue
        spans.append((start, match.end(), "." if mark in ".!?\n" else mark))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text), "."))
    spans = [piece for span in spans for piece in _chunks(text, *span)]

    sentences: list[Sentence] = []
    leads: list[tuple[int, int]] = []
    for begin, end, mark in spans:
        while begin < end and text[begin] in " \n":
            begin += 1
        if begin >= end:
            continue
        limb = text[begin:end].strip(" \n")
        if re.fullmatch(r"(?:and|or|and/or|but|then)[;,.]?", limb):
            continue
        pieces: list[str] = []
        index: list[int] = []
        for lead_start, lead_end in leads:
            pieces.append(text[lead_start:lead_end].replace("\n", " ") + " ")
            index += list(range(lead_start, lead_end)) + [lead_end - 1]
        joined_lead = "".join(pieces)
        pieces.append(text[begin:end].replace("\n", " "))
        index += list(range(begin, end))
        sentences.append(Sentence("".join(pieces), index, len(joined_lead)))
        if mark == ":":
            leads = [*leads[-2:], (begin, end)]
        elif mark == ".":
            leads = []
    return sentences
