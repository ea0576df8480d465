"""Scanning free text for terms the five principles forbid.

A deal spec's ``clauses.additional_terms`` are free text a lawyer writes; the library's
fallback positions and model schedules are text the Centre writes. Either could, by
accident or design, grant exclusivity over NHS data, confine the benefits to one trust
or region, tie the NHS to one supplier's platform, switch off a mandatory clause or
hide the agreement. This module finds such wording.

How it reads: the text is normalised (case, accents, look-alike letters, hyphens and
dashes, curly quotes, invisible characters), cut into sentences and list limbs (a
lead-in ending in a colon is carried into each limb), and each sentence is matched
against rules for the wordings lawyers use. Negation is handled per rule: "non-
exclusive", "nothing in this Agreement grants ... exclusive rights" and "no party has
exclusive rights" are not findings, while "not ... unless", "nothing ... prevents"
and "non-exclusive, save that ... exclusive" are. Rules whose wording is itself
negative ("the NHS Party shall not share the Data with any other party") are not
cancelled by their own negation.

It is a screen, not a lawyer: it errs on the side of refusing, and every finding
quotes the words that caused it so that a person can judge and redraft.

Pure functions only; no I/O, no click.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import NamedTuple

from toolkit.exceptions import Problem

__all__ = [
    "Finding",
    "normalise",
    "plain_text",
    "scan_library_text",
    "scan_term",
    "scan_terms",
    "scan_text",
]


class _LazyPattern:
    """A regular expression compiled on first use, so that importing this module is cheap.

    (The rules are large; compiling them all would slow every ``nhs-contracts`` command,
    even ``--help``.)
    """

    __slots__ = ("_flags", "_pattern", "_source")

    def __init__(self, source: str, flags: int = 0):
        self._source = source
        self._flags = flags
        self._pattern: re.Pattern | None = None

    def __getattr__(self, name: str):
        if self._pattern is None:
            self._pattern = re.compile(self._source, self._flags)
        return getattr(self._pattern, name)


def _lazy(source: str, flags: int = 0) -> _LazyPattern:
    return _LazyPattern(source, flags)


# -- normalising -------------------------------------------------------------------

_DASHES = set("-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d_")
_QUOTES = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201b": "'",
    "\u2032": "'",
    "`": "'",
    "\u00b4": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u201f": '"',
    "\u00ab": '"',
    "\u00bb": '"',
}
# Cyrillic and Greek letters that look like Latin ones: "exclusivе" with a Cyrillic e
# must still read as "exclusive".
_CONFUSABLES = str.maketrans(
    "\u0430\u0435\u043e\u0440\u0441\u0443\u0445\u0456\u0455\u0458\u0501\u04cf\u0442\u043a"
    "\u043c\u043d\u0432\u03bf\u03b1\u03b5\u03b9\u03ba\u03bd\u03c1\u03c4\u03c5\u03c7",
    "aeopcyxisjdltkmhboaeiknptux",
)
_LINE_BREAKS = set("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


class _Normalised:
    """Lower-cased, simplified text with a map from each of its characters to the original."""

    def __init__(self, original: str):
        self.original = original
        chars: list[str] = []
        index: list[int] = []
        for position, char in enumerate(original):
            for piece in _simplify(char):
                if piece == " " and (not chars or chars[-1] in " \n"):
                    continue
                if piece == "\n":
                    while chars and chars[-1] == " ":
                        chars.pop()
                        index.pop()
                    if not chars or chars[-1] == "\n":
                        continue
                chars.append(piece)
                index.append(position)
        _join_split_words(chars, index, original)
        self.text = "".join(chars)
        self.index = index

    def quote(self, start: int, end: int) -> str:
        """Return the original words behind ``text[start:end]``, tidied and shortened."""
        start = max(0, min(start, len(self.index) - 1))
        end = max(start + 1, min(end, len(self.index)))
        words = " ".join(self.original[self.index[start] : self.index[end - 1] + 1].split())
        words = words.strip(" ,;:")
        if len(words) > 120:
            words = words[:117].rstrip() + "..."
        return words


# Words that a hyphen (or a hyphen and a line break) may split to slip past the rules:
# "ex-clusive", "exclu-\nsive". The pieces are joined only when together they make one of
# these words, so "non-exclusive" stays "non exclusive".
_SPLIT_WORD = _lazy(
    r"(?:exclusiv\w*|preferen\w*|prefer(?:red|ential)|priorit\w*|confidential\w*|"
    r"transparen\w*|proprietary|interoperab\w*|disappl\w*|notwithstanding|"
    r"announce\w*|publish\w*|publication|secret\w*)"
)
_SPLIT_GAP = _lazy(r"(?<=[a-z])[ \n](?=[a-z])")


def _join_split_words(chars: list[str], index: list[int], original: str) -> None:
    """Join the pieces of a word split by a hyphen ("ex-clusive"), in place."""
    if not any(char in _DASHES for char in original):
        return
    text = "".join(chars)
    drop: list[int] = []
    for gap in _SPLIT_GAP.finditer(text):
        at = gap.start()
        between = original[index[at - 1] + 1 : index[at + 1]]
        if not any(char in _DASHES for char in between):
            continue
        before_gap = text[max(0, at - 40) : at]
        after_gap = text[at + 1 : at + 41]
        head = re.search(r"[a-z]+$", before_gap)
        tail = re.match(r"[a-z]+", after_gap)
        # Look one hyphen further each way, for "ex-clu-sive".
        left = re.search(r"[a-z]+(?:[ \n][a-z]+)?$", before_gap)
        right = re.match(r"[a-z]+(?:[ \n][a-z]+)?", after_gap)
        for before, after in (
            (head.group(), tail.group()),
            (left.group(), tail.group()),
            (head.group(), right.group()),
        ):
            word = re.sub(r"[ \n]", "", before + after)
            if _SPLIT_WORD.fullmatch(word) and not _SPLIT_WORD.fullmatch(after):
                drop.append(at)
                break
    for at in reversed(drop):
        del chars[at]
        del index[at]


def _simplify(char: str) -> str:
    if char in _LINE_BREAKS:
        return "\n"
    if char in _DASHES:
        return " "
    if char in _QUOTES:
        return _QUOTES[char]
    out = []
    for piece in unicodedata.normalize("NFKD", char):
        category = unicodedata.category(piece)
        if category in ("Mn", "Me", "Cf"):
            continue  # accents, zero-width characters, soft hyphens
        if piece.isspace() or category.startswith(("C", "Z")):
            out.append(" ")
            continue
        if piece in _DASHES:
            out.append(" ")
            continue
        out.append(piece.lower().translate(_CONFUSABLES))
    return "".join(out)


def normalise(text: str) -> str:
    """Return ``text`` as the scanner reads it (lower case, hyphens as spaces, and so on)."""
    return _Normalised(text).text


# -- Jinja clause text as plain words ------------------------------------------------

_JINJA_COMMENT = _lazy(r"\{#.*?#\}", re.S)
_JINJA_TAG = _lazy(r"\{%.*?%\}", re.S)
_JINJA_EXPR = _lazy(r"\{\{(.*?)\}\}", re.S)
_CALL = _lazy(r"""^-?\s*(ref|schedule)\(\s*['"]([\w.]+)['"]""")
_MARKUP_ITEM = _lazy(r"^(\s*)- (?:\[@[a-z0-9_]+\] )?", re.M)


def plain_text(source: str) -> str:
    """Return a library text (Jinja plus line markup) as plain words for scanning.

    Both branches of every ``{% if %}`` are kept; a reference reads as the clause id in
    words ("clause {{ ref('non_exclusivity') }}" as "clause non exclusivity");
    the Partner's and NHS Party's names read as "the Partner" and "the NHS Party";
    other values read as "[value]".
    """

    def expression(match: re.Match) -> str:
        inner = match.group(1).strip()
        call = _CALL.match(inner)
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

    text = _JINJA_COMMENT.sub(" ", source)
    text = _JINJA_TAG.sub(" ", text)
    text = _JINJA_EXPR.sub(expression, text)
    text = _MARKUP_ITEM.sub(r"\1", text)
    text = text.replace("**", "")
    return "\n".join(
        line.strip().strip("|").replace("|", ";") if line.strip().startswith("|") else line
        for line in text.split("\n")
    )


# -- sentences -----------------------------------------------------------------------

_BOUNDARY = _lazy(r"[.!?;:](?= |\n|$)|\n")
_ABBREVIATION = _lazy(
    r"(?:^|[ (])(?:e\.g|i\.e|etc|cl|cls|no|nos|para|paras|sch|art|arts|s|ss|reg|regs|sec|"
    r"ltd|plc|co|inc|llp|v|vs|mr|mrs|ms|dr|st|p|pp|fig|approx|u\.k|[a-z])$"
)
_CONTINUES_LINE = _lazy(r"(?:[,(]|\b(?:and|or|and/or|but|including|to|of|the|a|an))$")


# Real sentences are far shorter; capping them keeps scanning linear in the text's length
# whatever is thrown at it.
_MAX_SENTENCE = 1000
# Negations further back than this do not govern the words being read.
_MAX_LOOKBACK = 400


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


class _Sentence(NamedTuple):
    """A sentence or list limb, with the lead-in(s) that govern it."""

    text: str  # lead-ins and the limb, joined by spaces (normalised)
    index: list[int]  # text position -> position in the normalised document
    limb_start: int  # where the limb itself starts in ``text``


def _continues(doc: _Normalised, before: str, after: int) -> bool:
    """Whether a line break falls inside a sentence (wrapped text, "non-\nexclusive")."""
    if not before or before[-1] in ".;:!?" or after >= len(doc.index):
        return False
    return doc.original[doc.index[after]].islower()


def _sentences(doc: _Normalised) -> list[_Sentence]:
    text = doc.text
    spans: list[tuple[int, int, str]] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        mark = match.group()
        before = text[start : match.start()].rstrip()
        if mark == "." and _ABBREVIATION.search(before):
            continue
        if mark == "\n" and (
            _CONTINUES_LINE.search(before) or _continues(doc, before, match.end())
        ):
            continue
        spans.append((start, match.end(), "." if mark in ".!?\n" else mark))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text), "."))
    spans = [piece for span in spans for piece in _chunks(text, *span)]

    sentences: list[_Sentence] = []
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
        sentences.append(_Sentence("".join(pieces), index, len(joined_lead)))
        if mark == ":":
            leads = [*leads[-2:], (begin, end)]
        elif mark == ".":
            leads = []
    return sentences


# -- vocabulary ----------------------------------------------------------------------


_NHS_NAME = (
    r"(?:lead |relevant |participating |each |every )?"
    r"(?:nhs part(?:y|ies)|nhs (?:trusts?|organi[sz]ations?|bod(?:y|ies)|england|"
    r"foundation trusts?)"
    r"|(?:foundation )?trusts?|icbs?|integrated care boards?|health boards?|gp practices?"
    r"|department of health(?: and social care)?|dhsc"
    r"|the nhs(?! (?:data|patients?|records?|numbers?|number|party data)\b))"
)
NHS_ENTITY = rf"(?:(?:the|each|any|every|a|an|no|neither) )?{_NHS_NAME}"
_NHS_SUBJECT = rf"(?:(?:the|each|any|every|no|neither) )?{_NHS_NAME}(?:,[^,]{{0,80}},)?"
_PARTNER_NAME = (
    r"(?:partner|partners|company|licensee|supplier|contractor|developer|collaborator|"
    r"sponsor|recipient|vendor|investor|university|customer|partner's affiliates?|"
    r"affiliates? of the partner)"
)
PARTNER_ENTITY = rf"(?:(?:the|each|any) )?{_PARTNER_NAME}\b"
_NEG_MODAL = (
    r"(?:(?:shall|will|must|may|can|should|is to|are to|agrees|agree|undertakes|undertake|"
    r"covenants|covenant|commits|commit)(?: not(?: to)?|n't)|cannot|can not|"
    r"shall (?:refrain|abstain) from|is (?:prohibited|restricted|precluded|prevented) from|"
    r"(?:is|are|shall be|will be) not (?:permitted|entitled|allowed|free) to)"
)
_OTHERS = (
    r"(?:any|another|other|others|third part(?:y|ies)|any third|anyone|any one|any person|"
    r"any party|competitors?|rivals?|similar|competing|comparable|alternative)"
)
_REGION_NAMES = (
    r"(?:london|north west|north east|north east and yorkshire|"
    r"yorkshire(?: and (?:the )?humber)?|humber|"
    r"east of england|east midlands|west midlands|midlands|south east|south west|"
    r"greater manchester|cheshire|merseyside|cumbria|lancashire|kent|surrey|sussex|essex|"
    r"norfolk|suffolk|devon|cornwall|birmingham|leeds|bristol|manchester|liverpool|"
    r"newcastle|sheffield|nottingham|leicester|oxford|cambridge|hampshire|dorset|wessex|"
    r"somerset|cumbria|northumbria|wales|scotland|northern ireland)"
)
_LOCAL = (
    rf"(?:(?:the )?(?:lead )?nhs part(?:y|ies)|(?:the )?trust|(?:the )?icb|(?:the )?gp practice|"
    rf"(?:the )?health board|"
    rf"(?:the |its |their |a |one |a single |a particular |the nhs party's |the trust's |"
    rf"the icb's |its own |local |this |that )"
    rf"(?:region|area|locality|catchment|footprint|system|integrated care system|ics|county|"
    rf"borough|city|geography|patch|network|sites?|hospitals?|populations?|patients|"
    rf"local health economy)|"
    rf"(?:the )?{_REGION_NAMES})(?!'s (?:sde|secure|systems?|premises|network|environment|"
    rf"trusted|data|infrastructure)| (?:sde|secure data|trusted research))\b"
)
_BENEFIT_NOUN = _lazy(
    r"\b(?:benefits?|products?|tools?|software|solutions?|algorithms?|technolog(?:y|ies)|"
    r"innovations?|improvements?|outputs?|results?|findings?|discounts?|licen[cs]es?|apps?|"
    r"applications?|services?|devices?|insights?|savings?|royalt(?:y|ies)|deliverables?|"
    r"pathways?|alerts?|alerting|know how|learning|models?|platform|offer|pricing|"
    r"roll ?out|deployment|adoption)\b"
)
_OTHER_NHS = (
    r"(?:(?:any |the )?(?:other|another|further|additional|different|wider|rest of the|remaining|"
    r"neighbou?ring|non participating) (?:nhs\b|trusts?|icbs?|integrated care|"
    r"organi[sz]ations?|bod(?:y|ies)|regions?|hospitals?|practices?|health|providers?|"
    r"systems?|areas?|parts of the nhs|commissioners?|sites?|localit(?:y|ies)|ics)|"
    r"the wider nhs|the rest of the nhs|(?:the )?nhs (?:nationally|as a whole|generally|"
    r"more widely|in england|elsewhere)|nation(?:ally|wide)|national(?:ly)? (?:level|basis|"
    r"scale)|across the nhs|throughout the nhs)"
)

# Topics of the mandatory clauses, for overrides: (pattern, principle, name).
_MANDATORY_TOPICS: tuple[tuple[re.Pattern, int, str], ...] = tuple(
    (_lazy(pattern), principle, name)
    for pattern, principle, name in (
        (
            r"\bnon ?exclusiv\w*|\bexclusiv\w*|\bnational application\b|\bopen standards?\b|"
            r"\binteroperab\w*|\block ?in\b|\bonward sharing\b",
            3,
            "non-exclusivity and openness",
        ),
        (
            r"\btransparen\w*|\bpublicat\w*|\bpublish\w*|\bfreedom of information\b|\bfoia?\b",
            4,
            "transparency",
        ),
        (r"\bbenefits?\b|\bpatient benefit\b|\bpurpose and aim\b", 1, "patient and NHS benefit"),
        (r"\bfair value\b|\bboard approval\b|\bvalue sharing\b|\bfair terms\b", 2, "fair value"),
        (
            r"\bdata protection\b|\b(?:uk )?gdpr\b|\bdpia\b|\bdspt\b|\bdata security\b|"
            r"\binformation security\b|\bsecurity standards\b|\bopt ?outs?\b|\blawful basis\b|"
            r"\bcaldicott\b|\bcommon law duty\b|\bconfidentiality\b|\bre ?identif\w*|"
            r"\bretention\b|\bdestruction\b|\bdata minimi[sz]\w*|\bdata protection act\b",
            5,
            "legal compliance",
        ),
    )
)
_OTHER_TOPICS = _lazy(
    r"\b(?:liabilit\w*|indemnit\w*|insurance|notices?|counterparts?|force majeure|disputes?|"
    r"dispute resolution|governing law|jurisdiction|invoic\w*|payment terms|payments?|interest|"
    r"assignment|variations?|anti ?bribery|audit|termination|warrant\w*|costs?|expenses?|"
    r"set ?off|severance|severability|entire agreement|third party rights|subcontract\w*|"
    r"change control|intellectual property|ip|fees?|royalt\w*|milestones?|equity|shares?|"
    r"definitions?|interpretation|insolvency|non solicitation|employees|staff)\b"
)
_CLAUSE_REF = _lazy(
    r"\b(?:clauses?|schedules?|paragraphs?|sections?|parts?|annex(?:es)?|appendix)\s+"
    r"(?:\d[\w.()]*|[ivx]+\b|[a-z]\b|[a-z ]{3,40}?\b(?=\)|,|$| shall| will| is| are| does))"
    r"|\bthe (?:mandatory|standard|approved|main|core|other|remaining) (?:clauses|terms|"
    r"provisions)\b|\b(?:anything|any (?:other )?(?:provision|term|clause|obligation)s?|"
    r"all other|the rest of|the (?:provisions|terms|body) of) (?:\w+ ){0,3}?"
    r"(?:this|the) agreement\b|\banything (?:to the contrary|else|contained)\b|"
    r"\b(?:this|the) agreement\b"
)


def _topic(text: str) -> tuple[int, str] | None:
    """Return the (principle, name) of the first mandatory topic mentioned, if any."""
    best: tuple[int, int, str] | None = None
    for pattern, principle, name in _MANDATORY_TOPICS:
        match = pattern.search(text)
        if match and (best is None or match.start() < best[0]):
            best = (match.start(), principle, name)
    return None if best is None else (best[1], best[2])


# -- negation ------------------------------------------------------------------------

_CONNECTOR = _lazy(
    r"\b(?:except that|save that|provided (?:always )?that|but|however|although|though|"
    r"whereas|whilst|while|after which|following which|thereafter|save where|except where|"
    r"except to the extent|save to the extent|subject to|on condition that|so long as|"
    r"instead|rather)\b|\b(?:and|or)(?=,? (?:(?:thereafter|then|afterwards|after that|"
    r"subsequently)\b))|\band (?=(?:shall|will|may|must|has|have|is|are|grants?|gives?|"
    r"confers?|agrees?|undertakes?|allows?|permits?|provides?|receives?|obtains?|retains?|"
    r"acquires?|the partner|the company|the licensee|the nhs|the trust|it (?:shall|will|may|"
    r"has|is|grants?))\b)"
)
_PARENTHETICAL = _lazy(
    r", (?:which|who|whom|whose|being|not being|that is|although|though|whether or not)\b"
    r"[^,]*,"
)
# Words that negate what follows them anywhere in its part of the sentence.
_NEGATOR = _lazy(
    r"\b(?:not(?! (?:only|just|merely|least|limited to|withstanding)\b)|never|nothing|none|"
    r"neither|nor|cannot|no(?! (?:later|earlier|less|more|fewer|sooner|longer)\b)|"
    r"without(?! (?:prejudice|limitation|limiting|delay|undue delay|(?:the |its |their |any )?"
    r"(?:[\w]+'s? )?(?:prior )?(?:express )?(?:written )?(?:consent|approval|agreement|"
    r"permission|authori[sz]ation)|cost|charge|further))|free (?:of|from))\b|n't\b"
)
# Verbs that negate their own object ("prevents the Partner from having exclusive
# rights"), so count only close to the words they govern.
_BLOCKER = _lazy(
    r"\b(?:prohibit\w*|forbid\w*|preclud\w*|prevent\w*|refrain\w*|restrict\w*|"
    r"limit(?:s|ed|ing)?|disclaim\w*|waive[sd]?|renounce[sd]?|exclud\w*|bar(?:s|red)? "
    r"from|void\w*|nullif\w*)\b"
)
_POST_NEGATOR = _lazy(
    r"^(?:[^,;]{0,80}?)\b(?:(?:is|are|shall be|will be|be|being|becomes?) (?:hereby )?(?:void|null|"
    r"prohibited|forbidden|excluded|not permitted|not allowed|not granted|unenforceable|"
    r"invalid|of no (?:force or )?effect|disclaimed|waived)|(?:has|have|shall have|will have) "
    r"no (?:force or )?effect|(?:shall|will|may|must|is|are|can) not (?:be )?(?:granted|given|"
    r"permitted|agreed|sought|included|created|conferred|allowed|claimed|asserted|implied|"
    r"requested|offered)|(?:is|are) expressly excluded|shall not arise|does not (?:exist|"
    r"arise))\b"
)
_CONDITIONAL = _lazy(
    r"\b(?:unless|until|(?:except|save|other than|apart from|but for|excluding)"
    r"(?: (?:where|if|when|for|in|during|with|that|as|within|over|the partner|its))?)\b"
    r"(?! (?:[\w']+ ){0,4}?(?:required|permitted|compelled) (?:by|under) (?:law|statute|any|"
    r"applicable|the law))"
)


def _scope_start(text: str, position: int) -> int:
    start = max(0, position - _MAX_LOOKBACK)
    for match in _CONNECTOR.finditer(text, start, position):
        start = match.end()
    return start


def _scope_end(text: str, position: int) -> int:
    match = _CONNECTOR.search(text, position, position + _MAX_LOOKBACK)
    return match.start() if match else min(len(text), position + _MAX_LOOKBACK)


def _negated(text: str, start: int, end: int, *, conditional: bool) -> bool:
    """Whether the words at ``text[start:end]`` are negated in their part of the sentence.

    The nearest negation before the words decides. A blocking verb close before them
    ("prevents ... from having") negates, unless it is itself negated ("nothing ...
    prevents", "shall not be prevented"). With ``conditional``, a negation followed by
    "unless", "until", "except" or "save" does not count: "no exclusive rights unless
    agreed" still contemplates exclusivity.
    """
    if re.search(r"\bnon ?$", text[:start]):
        negated = True
    else:
        scope = _scope_start(text, start)
        window = _PARENTHETICAL.sub(lambda m: " " * len(m.group()), text[scope:start])
        last_pure = None
        for cue in _NEGATOR.finditer(window):
            last_pure = cue
        last_blocker = None
        for cue in _BLOCKER.finditer(window):
            between = window[cue.end() :]
            if len(between.split()) <= 8 and not re.search(r"[,:]", between):
                last_blocker = cue
        if last_blocker is not None and (
            last_pure is None or last_blocker.start() > last_pure.end()
        ):
            before = window[: last_blocker.start()]
            words = before.split()[-6:]
            double = any(_NEGATOR.fullmatch(word) or word.endswith("n't") for word in words)
            negated = not double
        else:
            negated = last_pure is not None
        if not negated:
            after = text[end : _scope_end(text, end)]
            return bool(_POST_NEGATOR.search(after))
    if negated and conditional:
        after = text[end : _scope_end(text, end)]
        if _CONDITIONAL.search(after):
            return False
    return negated


# -- who holds the right -------------------------------------------------------------

_NHS_AFTER = _lazy(
    rf"^(?:[\w']+ ){{0,4}}?(?:of|by|to|for|with|in|in favour of|vested in|belongs? to|"
    rf"belonging to|reserved to|held by) {NHS_ENTITY}\b(?!'s|s')"
)
_PARTNER_AFTER = _lazy(
    rf"^(?:[\w']+ ){{0,4}}?(?:of|by|to|for|with|in favour of|vested in|belongs? to|"
    rf"belonging to|reserved to|held by) {PARTNER_ENTITY}"
)
_NHS_MENTION = _lazy(rf"\b{NHS_ENTITY}\b")
_PARTNER_MENTION = _lazy(rf"\b{PARTNER_ENTITY}")
_HOLDING = _lazy(
    r"^(?:'s|s')?(?:,[^,]*,)? ?(?:(?:shall|will|must|does|do|is|are|be|being|has|have|"
    r"retains?|keeps?|holds?|owns?|enjoys?|receives?|reserves?|exercises?|remains?|"
    r"continues?|at all times|always|alone|itself|themselves|the|a|an|its|their|all|any|full|"
    r"absolute|and|right|rights|ownership|control|title|to|as|at|entitled|be entitled to|"
    r"its own|in|sole|exclusive|data|dataset|datasets|records|information)\b ?)*$"
)


_RELATIONSHIP = _lazy(
    r"(?:^|\b)(?:[\w']+ )?(?:(?:data|commercial|technology|ai|industry|research|strategic) )?"
    r"(?:partners?|suppliers?|providers?|collaborators?|licensees?|vendors?|developers?|"
    r"distributors?|resellers?|agents?|contractors?)\b"
)


def _nhs_holds(text: str, start: int, end: int) -> bool:
    """Whether the exclusive or preferential right at ``text[start:end]`` is the NHS's own.

    "The NHS Party retains sole control of the Data" and "the Data remains the exclusive
    property of the NHS Party" protect the NHS; they grant nothing to anyone else.
    """
    after = text[end : end + 90].lstrip()
    if re.search(
        rf"\b{NHS_ENTITY} (?:shall |will |also |itself )?(?:retains?|reserves?|keeps?)"
        rf"(?: to itself| for itself)? (?:the |a |an |all |any |its )?(?:own )?$",
        text[max(0, start - 120) : start],
    ):
        return True  # "the Trust retains a right to match any price the Partner offers"
    if (
        _PARTNER_AFTER.search(after)
        or _RELATIONSHIP.match(after)
        or _RELATIONSHIP.search(text[start:end].split(" ", 1)[-1])
    ):
        return False  # "the Trust's preferred supplier" binds the NHS to the Partner
    if _NHS_AFTER.search(after):
        return True
    before = text[_scope_start(text, start) : start]
    last_nhs = max((m.end() for m in _NHS_MENTION.finditer(before)), default=-1)
    last_partner = max((m.end() for m in _PARTNER_MENTION.finditer(before)), default=-1)
    if last_nhs < 0 or last_partner > last_nhs:
        return False
    return bool(_HOLDING.match(before[last_nhs:].strip()))


# -- rules ---------------------------------------------------------------------------


class _Rule(NamedTuple):
    id: str
    principle: int
    pattern: re.Pattern
    message: str
    hint: str
    negatable: bool = True
    conditional: bool = False  # "not ... unless" still counts
    holder: bool = False  # "the NHS Party retains sole control" is fine
    check: Callable[[str, re.Match, _Context], bool] | None = None


class _Context(NamedTuple):
    whole: str  # the whole normalised text
    original_of: Callable[[int, int], str]  # sentence positions -> the original words
    library: bool
    carve_out: bool  # the text makes confidentiality subject to transparency


_EXCLUSIVE_HINT = (
    "No right over NHS data may be exclusive, sole or preferential (principle 3); every "
    "contract already says all rights are non-exclusive. Delete this, or redraft it on "
    "non-exclusive terms."
)
_LOCKOUT_HINT = (
    "The NHS Party must stay free to share its data with, and work with, anyone else "
    "(principle 3). Delete the restriction."
)
_BENEFIT_HINT = (
    "Benefits must be capable of being applied across the NHS nationally (principle 3); "
    "remove the limitation. The national application clause already governs wider use."
)
_LOCKIN_HINT = (
    "The NHS must not be tied to one supplier's format, platform or products (principle 3): "
    "use open standards and keep the NHS free to export and move its data."
)
_OVERRIDE_HINT = (
    "Additional terms cannot disapply, override or water down the mandatory clauses. "
    "Delete this, or ask the Centre for an approved fallback position."
)
_SECRECY_HINT = (
    "Confidentiality may protect the Data and genuine trade secrets, never the existence, "
    "parties, purpose or benefits of the agreement (principle 4). Delete this, or make it "
    "expressly subject to the transparency, publication and freedom of information clauses."
)
_BENEFIT_SOFT_HINT = (
    "The benefits must be explicit and quantified commitments (principle 1); do not make "
    "them aspirational or unenforceable."
)

_GRANT_NOUNS = (
    r"(?:rights?|licen[cs]\w*|access|use|user|users|partner|provider|supplier|developer|"
    r"distributor|beneficiary|owner|ownership|recipient|source|commerciali[sz]\w*|party|"
    r"organi[sz]ation|company|entity|means|route|channel|gateway|way|method|purchaser|buyer|"
    r"custodian|holder|title|possession|control|vendor|agent|reseller|controller|"
    r"arrangement|dealing|basis|relationship|position|data partner|commercial partner|"
    r"option|entitlement|privilege|interest|exploitation|property)"
)


def _not_benign_exclusive(text: str, match: re.Match, context: _Context) -> bool:
    after = text[match.end() : match.end() + 60]
    word = match.group("word")
    if re.match(
        r"^ (?:jurisdiction|remed(?:y|ies)|competence|venue|forum|liability|"
        r"and non exclusive|or non exclusive|categories|alternatives|options)",
        after,
    ) or (word == "exclusive" and after.startswith(" of ")):
        return False  # "exclusive of VAT", "exclusive jurisdiction", "exclusive remedy"
    if word.startswith("exclusively") and not re.search(
        rf"\b(?:data|datasets?|records?|cohorts?|access|accessed|licen[cs]\w*|rights?|"
        rf"{_PARTNER_NAME}|available|provided|granted|supplied|shared|disclosed|offered|owned|"
        rf"owner|ownership|title|use|used|exploit\w*|commerciali[sz]\w*|through|via|platform|"
        rf"api|portal)\b",
        text,
    ):
        return False  # "payment shall be made exclusively by BACS transfer"
    if re.search(r"\bmutually $", text[: match.start()]):
        return False
    if word.startswith("exclusively") and re.match(
        r"^ (?:for (?:the |any |a |its |such )?(?:purposes?|project|study|research|"
        r"permitted|agreed|approved|following|stated|specified|uses? (?:set out|described|"
        r"permitted))|in accordance with|as (?:permitted|set out|described|specified|"
        r"authori[sz]ed|instructed)|on (?:the )?(?:nhs party's |trust's |documented |written )*"
        r"instructions|within (?:the )?(?:secure data environment|sde|trusted research "
        r"environment|tre|uk|united kingdom|european economic area|eea|england)|"
        r"(?:to|by) (?:process|use|analy[sz]e))",
        after,
    ):
        return False
    return True


def _keep_preference(text: str, match: re.Match, context: _Context) -> bool:
    # "priority access for the NHS Party" or "most favoured pricing to the NHS" help the NHS.
    if re.match(rf"^ (?:\w+ ){{0,3}}?(?:to|for) {NHS_ENTITY}\b", text[match.end() :]):
        return False
    # "Before first access, each user must be trained" is about time, not priority.
    return not (
        re.match(r"(?:first|early|earlier|advance) ", match.group())
        and re.search(
            r"\b(?:before|after|on|upon|from|until|prior to|following|at|since|"
            r"pending|between|of|by)(?: (?:the|its|their|each|every|any))?\s$",
            text[: match.start()],
        )
    )


def _object_not_partners(text: str, match: re.Match, context: _Context) -> bool:
    """Drop NHS undertakings about the Partner's own confidential material or lawful basis."""
    rest = text[match.start() : match.end() + 160]
    obj = text[match.end() : match.end() + 80]
    if re.match(
        r"^ (?:(?!(?:from|on|in|with|to|through|via|into|onto|out|of|by) )[\w']+ ){0,4}?"
        r"(?:the partner's|partner's|confidential information|trade secrets?|"
        r"source code|background ip|know how of the partner|(?:any |an |the )?(?:exclusive|sole|"
        r"preferential|priority|exclusivity)|(?:any |the |its )?(?:shares|securities|equity|"
        r"stock|warrants|shareholding)\b)",
        obj,
    ):
        return False
    if re.search(
        r"\b(?:without (?:a |an |any )?(?:lawful|legal) basis|unlawful\w*|in breach of|"
        r"contrary to (?:the )?(?:law|data protection|uk gdpr)|otherwise than in accordance "
        r"with (?:the )?(?:law|data protection|uk gdpr)|without (?:appropriate|adequate) "
        r"safeguards)\b",
        rest,
    ):
        return False
    return True


def _others_named(text: str, match: re.Match, context: _Context) -> bool:
    rest = text[match.end() : match.end() + 160]
    if not re.search(rf"\b{_OTHERS}\b|\bother\b", text[match.start() : match.end()] + rest):
        return False
    return _object_not_partners(text, match, context)


def _nhs_not_controlling(text: str, match: re.Match, context: _Context) -> bool:
    """Whether the NHS Party is not the one controlling access.

    "No third party may access the Data without the NHS Party's consent" is the NHS's
    own control, not a lock-out.
    """
    rest = text[match.start() : _scope_end(text, match.end()) + 200]
    return not re.search(
        rf"\b(?:without|except with|unless|save with|other than with|with) (?:\w+ ){{0,3}}?"
        rf"{NHS_ENTITY}(?:'s|s')? (?:\w+ ){{0,3}}?(?:consent|approval|agreement|authori[sz]ation|"
        rf"permission|instructions?|direction)|\b(?:except|save|other than|unless) (?:as|where|"
        rf"with|if) {NHS_ENTITY} (?:\w+ ){{0,2}}?(?:permits?|authori[sz]es?|directs?|agrees?|"
        rf"approves?|consents?|decides?|chooses?|allows?)|(?:through|within|in|via) (?:the )?"
        rf"(?:nhs party's |trust's )?(?:secure data environment|sde|trusted research environment|"
        rf"tre)\b",
        rest,
    )


def _about_foi(text: str, match: re.Match, context: _Context) -> bool:
    """ "shall not respond to any FOI request": transparency (principle 4), not a lock-out."""
    return bool(
        re.match(
            r"^ (?:to )?(?:[\w']+ ){0,3}?(?:freedom of information|foia?|eir|environmental "
            r"information|information|subject access|access to information) (?:act )?"
            r"(?:requests?|applications?|enquir(?:y|ies)|regulations)",
            text[match.end() :],
        )
    )


_THEN_NATIONAL = _lazy(
    r"\b(?:then|thereafter|after which|following which|subsequently|afterwards|before being|"
    r"prior to|followed by|and then|with a view to|ahead of)\b[^.;]{0,100}?\b(?:nation(?:al|"
    r"ally|wide)|nhs ?wide|across (?:the )?(?:nhs|england)|(?:all|every|other) (?:nhs|trusts?|"
    r"icbs?|regions?|organi[sz]ations?|bod(?:y|ies))|the (?:wider|whole|rest of the) nhs|more "
    r"widely)\b"
)


def _then_national(text: str, match: re.Match, context: _Context) -> bool:
    """A regional pilot that is then rolled out nationally confines nothing."""
    after = text[match.start() :]
    return bool(_THEN_NATIONAL.search(after)) and not re.search(
        r"\b(?:subject to|conditional|requires?|only with|at the partner's|consent|approval)\b",
        after,
    )


def _local_group(text: str, match: re.Match, context: _Context) -> bool:
    """ "only to trusts in Greater Manchester", "confined to patients of the NHS Party"."""
    if _BENEFIT_NOUN.search(text[: match.start()]) is None or _then_national(text, match, context):
        return False
    start = match.start("place")
    places = [start] + [
        start + found.end()
        for found in re.finditer(r" (?:in|within|of|across|at) ", text[start : start + 60])
    ]
    for at in places:
        if re.match(_LOCAL, text[at:]):
            return True
        found = re.match(r"(?:the )?[a-z][\w']*(?: [a-z][\w']*){0,3}", text[at:])
        original = context.original_of(at, at + found.end()) if found else ""
        words = re.sub(r"^the\s+", "", original.strip(), flags=re.I)
        if words[:1].isupper() and not _PLACE_EXCLUDED.match(words):
            return True
    return False


def _offer_of_rights(text: str, match: re.Match, context: _Context) -> bool:
    """ "first offer the Partner any new dataset", not "first offer the Partner a seat"."""
    found = match.group()
    if not re.match(r"first (?:offer|present|propose)", found) or re.search(
        r" (?:to|with) (?:the |each |any )?\w+$", found
    ):
        return True
    return bool(
        re.match(
            r"^ (?:[\w']+ ){0,4}?(?:data|datasets?|access|licen[cs]\w*|rights?|opportunity|option|"
            r"terms|cohorts?|records?|extracts?|releases?|images?|archives?|collaboration|deal|"
            r"agreement|partnership|contract)\b",
            text[match.end() :],
        )
    )


def _bound_target(text: str, match: re.Match, context: _Context) -> bool:
    target = match.group("target") or ""
    if _NEUTRALISED.search(text, match.end()):
        return False
    return _override_applies(target)


def _with_benefit_context(text: str, match: re.Match, context: _Context) -> bool:
    if _then_national(text, match, context):
        return False
    if re.search(r"\b(?:benefit|use|advantage)s? of\b", match.group()):
        return True
    return bool(_BENEFIT_NOUN.search(text))


def _benefit_object(text: str, match: re.Match, context: _Context) -> bool:
    """Keep "the Product shall not be offered to other NHS bodies"; drop the Partner's data duty."""
    if re.search(
        r"\b(?:the|any|nhs|patient|such) (?:data|dataset|datasets|records|"
        r"confidential information|personal data)\b",
        match.group(),
    ):
        return False
    if re.search(
        r"\b(?:nhs|trusts?|icbs?|health|hospitals?|practices?|commissioners?|"
        r"regions?|nation\w*|localit\w*|areas?|sites?|ics|integrated care)\b",
        match.group(),
    ) and not re.search(r"\bthe data\b", text):
        return True
    return _BENEFIT_NOUN.search(text) is not None and not re.search(
        r"\b(?:the|any|nhs|patient) data\b", text
    )


_PLACE_EXCLUDED = _lazy(
    r"^(?:the )?(?:united kingdom|uk|england|great britain|gb|eea|european|secure|sde|tre|"
    r"trusted|nhs|agreement|accordance|schedule|clause|writing|the form|data|partner|company)\b",
    re.I,
)


def _named_place(text: str, match: re.Match, context: _Context) -> bool:
    """ "solely within Greater Manchester": a capitalised place in the original words."""
    original = context.original_of(match.start("place"), match.end("place"))
    words = re.sub(r"^the\s+", "", original.strip(), flags=re.I)
    if not words[:1].isupper() or _PLACE_EXCLUDED.match(words):
        return False
    return _BENEFIT_NOUN.search(text) is not None and not _then_national(text, match, context)


def _gate_not_nhs(text: str, match: re.Match, context: _Context) -> bool:
    gate = match.group("gate") or ""
    if re.search(
        r"\bpartner|\bparties|\bboth|\beach party|\bmutual|\bfurther|\bseparate|"
        r"\badditional|\bfees?|\bpayments?|\bcommercial",
        gate,
    ):
        return True
    return not re.search(
        r"\b(?:nhs|trust|icb|mhra|nice|regulat\w*|ethics|hra|caldicott|cag|board|secretary "
        r"of state|department|dhsc|ce mark\w*|ukca)\b",
        gate,
    )


_NEUTRALISED = _lazy(
    r"\b(?:has|have|shall have|will have) no (?:force or )?effect|\b(?:is|are|shall be|will be)"
    r" (?:void|ineffective|of no (?:force or )?effect|disregarded)|\b(?:clause [\w ]{1,40}|the "
    r"mandatory clauses?|the other clause|this agreement) (?:shall |will )?prevails?\b"
)
_PURE_NEGATIVE = _lazy(r"\b(?:no|not|nothing|neither|never|none)\b|n't\b")


def _override_target(text: str, match: re.Match, context: _Context) -> bool:
    target = match.group("target") or ""
    if _NEUTRALISED.search(text, match.end()):
        return False
    return _override_applies(target)


def _disapplied(text: str, match: re.Match, context: _Context) -> bool:
    """ "Clause 8 shall not apply", but not "No Benefit may be removed"."""
    target = match.group("target") or ""
    if _PURE_NEGATIVE.search(target) or _NEUTRALISED.search(text, match.end()):
        return False
    # The usual exceptions to a confidentiality duty narrow it; they switch nothing off.
    if re.match(r"^ to (?:any )?information (?:that|which)\b", text[match.end() :]):
        return False
    if context.library and not (_CLAUSE_REF.search(target) or "this clause" in target):
        return False  # library wording may state facts ("the opt-out does not apply")
    return _override_applies(target)


def _override_applies(target: str) -> bool:
    topic = _topic(target)
    if topic:
        # Voiding or waiving exclusivity itself ("any grant of exclusive rights is void")
        # protects the NHS; switching off non-exclusivity does not.
        return not (
            topic[0] == 3
            and re.search(r"\bexclusiv", target)
            and not re.search(r"\bnon ?exclusiv", target)
            and not _topic(re.sub(r"\bexclusiv\w*", "", target))
        )
    if _OTHER_TOPICS.search(target):
        return False
    return bool(_CLAUSE_REF.search(target))


def _prevails_over(text: str, match: re.Match, context: _Context) -> bool:
    subject = match.group("subject") or ""
    over = match.group("over") or ""
    if _PURE_NEGATIVE.search(subject) or _NEUTRALISED.search(text, match.end()):
        return False
    benign_subject = (
        r"\b(?:this agreement|the agreement|the (?:mandatory|approved|standard) "
        r"(?:clauses|terms)|clauses? \d|the clauses|clause (?:non exclusivity|transparency|"
        r"patient benefit|fair value|data protection)|"
        + (r"this clause|" if context.library else "")
        + r"the non exclusivity|"
        r"the transparency|the law)\b"
    )
    if re.search(benign_subject, subject) and not re.search(
        r"\b(?:additional|partner's|partner|supplier's|licensee's|schedule|order form|"
        r"statement of work|side letter|these terms|this term)\b",
        subject,
    ):
        return False
    if over:
        if re.search(
            r"\b(?:these additional terms|this additional term|the partner's|"
            r"partner's|any other agreement|the partner)\b",
            over,
        ) and not re.search(r"\b(?:this agreement|the agreement|clauses?|mandatory)\b", over):
            return False
        return _override_applies(over) or bool(re.search(r"\b(?:all|any|every)\b", over))
    return bool(
        re.search(
            r"\b(?:additional|partner's|supplier's|licensee's|side letter|"
            r"order form|statement of work|these terms|this term)\b",
            subject,
        )
    )


def _waived_topic(text: str, match: re.Match, context: _Context) -> bool:
    target = match.group("target") or ""
    if not _topic(target):
        return bool(
            re.search(
                r"\b(?:obligations?|duties|requirements?) under (?:clause|"
                r"schedule)s? \d",
                target,
            )
        ) and not _OTHER_TOPICS.search(target)
    return _override_applies(target)


def _limited_obligations(text: str, match: re.Match, context: _Context) -> bool:
    target = (match.group("pre") or "") + " " + (match.group("target") or "")
    if _PURE_NEGATIVE.search(target) or _NEUTRALISED.search(text, match.end()):
        return False
    return _override_applies(target)


_CARVE_OUT = _lazy(
    r"\b(?:except|save|other than|subject to|without prejudice to|apart from|excluding|"
    r"but not|does not apply to|shall not apply to|not restrict|not prevent|not limit|"
    r"not affect|not prejudice|not derogate from|not override|without limiting|"
    r"without derogating from|nothing in "
    r"(?:this|the) \w+ (?:prevents|restricts|limits|affects))\b[^.;]{0,160}?"
    r"\b(?:transparen\w*|publication|publish\w*|register|freedom of information|foia?|"
    r"disclos\w* (?:the )?existence)\b"
)


def _no_transparency_carveout(text: str, match: re.Match, context: _Context) -> bool:
    """Confidentiality expressly subject to transparency and publication does not hide."""
    return not context.carve_out


def _not_misleading(text: str, match: re.Match, context: _Context) -> bool:
    """ "no public statement that is inconsistent with the published summary" keeps it honest."""
    if re.match(
        r"^ (?:about|concerning|regarding|relating to|in relation to|in respect of|on|as to) "
        r"(?!(?:this|the|their|its) (?:agreement|partnership|collaboration|arrangement|deal|"
        r"relationship|project|contract)|the parties|its existence|the existence|the benefits)",
        text[match.end() :],
    ):
        return False
    if re.match(
        r"^(?: [\w']+){0,6}? (?:that|which) (?:is|are|would be|could be) "
        r"(?:\w+ )?(?:inconsistent|misleading|false|inaccurate|untrue|disparaging|"
        r"defamatory)",
        text[match.end() :],
    ):
        return False
    return _no_transparency_carveout(text, match, context)


def _hide_not_patients(text: str, match: re.Match, context: _Context) -> bool:
    after = text[match.end() : match.end() + 50]
    if re.match(
        r"^ ?(?:of )?(?:any |the |an )?(?:patients?|individuals?|data subjects?|"
        r"persons?|staff|employees|people)\b",
        after,
    ):
        return False
    if match.group().endswith(" terms") and re.match(
        r"^ of (?:the |any |its )?(?:[\w']+'s? )?(?:other|another|separate|unrelated|"
        r"previous|earlier) ",
        after,
    ):
        return False  # "the terms of the Trust's other contracts"
    return _no_transparency_carveout(text, match, context)


def _withholds_the_agreement(text: str, match: re.Match, context: _Context) -> bool:
    """ "the fact of this Agreement ... withheld from the register"; not personal data."""
    before = text[: match.start()]
    if re.search(
        r"\b(?:personal data|patients?|individuals?|data subjects?|trade secrets?|source "
        r"code|confidential information|special category|identifiable|names? of (?:any )?"
        r"(?:patients?|staff|employees|individuals?))\b",
        before,
    ):
        return False
    return bool(
        re.search(
            r"\b(?:existence|fact|benefits?|parties|partner(?:'s)?(?: (?:name|identity))?|"
            r"purpose|this agreement|the agreement|partnership|collaboration|deal|contract|"
            r"value|payments?|arrangement)\b",
            before,
        )
    ) and _no_transparency_carveout(text, match, context)


def _foi_not_consultation(text: str, match: re.Match, context: _Context) -> bool:
    """A duty to consult or notify the Partner about a request is allowed; consent is not."""
    rest = text[match.end() : _scope_end(text, match.end()) + 120]
    if re.search(
        r"\bwithout (?:first )?(?:having )?(?:consult\w*|notif\w*|inform\w*|giving (?:\w+ )?"
        r"notice|telling)\b",
        rest,
    ) and not re.search(r"\b(?:consent|approval|agreement|permission)\b", rest):
        return False
    if re.search(r"\b(?:later|earlier|sooner|more|less) than\b", rest):
        return False  # "shall not respond later than 20 working days"
    return not re.search(
        r"\b(?:the partner's|partner's) (?:confidential|trade|commercially)|trade secrets?|"
        r"confidential information|personal data",
        match.group(),
    )


def _agreement_is_subject(text: str, match: re.Match, context: _Context) -> bool:
    before = text[_scope_start(text, match.start()) : match.start()]
    if not re.fullmatch(
        r"(?:\W*(?:\(?[a-z0-9]{1,4}\)|\d+(?:\.\d+)*)?\W*)?(?:(?:the parties|each party|both "
        r"parties|the partner|the nhs party) (?:agree|acknowledge|confirm|accept)s? that )?"
        r"(?:the (?:existence|terms|contents?|fact|details|nature) (?:and \w+ )?of )?",
        before.strip() + (" " if before.strip() else ""),
    ):
        return False
    return _no_transparency_carveout(text, match, context)


def _r(pattern: str) -> _LazyPattern:
    return _lazy(pattern)


_RULES: tuple[_Rule, ...] = (
    # ---- principle 3: exclusivity, sole and preferential rights
    _Rule(
        "exclusive",
        3,
        _r(
            r"\b(?P<prefix>(?:semi|co|quasi|de facto|effective|virtual) ?)?"
            r"(?P<word>exclusiv\w*)\b"
        ),
        "grants exclusive rights",
        _EXCLUSIVE_HINT,
        conditional=True,
        holder=True,
        check=_not_benign_exclusive,
    ),
    _Rule(
        "sole",
        3,
        _r(
            rf"\bsole (?:and exclusive )?(?:and only )?{_GRANT_NOUNS}\b|"
            rf"\bsolely (?:to|with|by|for the (?:benefit|use) of|available to|accessible (?:to|by))"
            rf" {PARTNER_ENTITY}(?!'s|s')|"
            rf"\bthe (?:only|sole|exclusive) (?:party|organi[sz]ation|company|entity|person|"
            rf"commercial \w+|recipient|licensee|user|provider|partner|developer|supplier|one)"
            rf" (?:\w+ ){{0,2}}?(?:permitted|entitled|allowed|able|authori[sz]ed|to|who|that|"
            rf"which|with)\b"
        ),
        "grants sole rights",
        _EXCLUSIVE_HINT,
        conditional=True,
        holder=True,
    ),
    _Rule(
        "first_refusal",
        3,
        _r(
            r"\b(?:(?:right|rights|option) of first (?:refusal|negotiation|offer|look|option|"
            r"notice|access)|first (?:right|option) (?:of|to) (?:refus\w*|negotiat\w*|offer|"
            r"acquire|licen[cs]e|access|match|purchase|obtain)|first refusal|first negotiation|"
            r"first look|last look|(?:right|opportunity|option|chance) to match|matching rights?|"
            r"(?:an |any )?option (?:over|on|"
            r"to (?:acquire|license|licence|access|obtain|purchase)) (?:\w+ ){0,3}?(?:data|"
            r"datasets?|cohorts?|records?|future|further|additional))\b"
        ),
        "grants a right of first refusal or negotiation",
        _EXCLUSIVE_HINT,
        conditional=True,
        holder=True,
    ),
    _Rule(
        "first_offer",
        3,
        _r(
            rf"\bfirst (?:offer|present|propose)\w* (?:[\w']+ ){{0,6}}?(?:to |with )?"
            rf"{PARTNER_ENTITY}(?!'s|s')|\bfirst be (?:offered|presented|proposed|made available)"
            rf" to {PARTNER_ENTITY}(?!'s|s')|\b(?:offer|present|propose)\w* (?:[\w']+ ){{0,6}}?to "
            rf"{PARTNER_ENTITY} (?:first|in the first instance|before (?:any|all|it|they|"
            rf"offering|approaching)|ahead of)\b|\b{PARTNER_ENTITY},? (?:[\w',]+ ){{0,5}}?(?:may|"
            rf"shall be entitled to|is entitled to|can|will be entitled to|(?:has|shall have|"
            rf"will have) the (?:right|option|opportunity) to|shall be (?:allowed|permitted|"
            rf"given the (?:right|opportunity|option)) to|will be given the (?:right|"
            rf"opportunity|option) to|is to be given the (?:right|opportunity|option) to) "
            rf"(?:\w+ ){{0,2}}?(?:match|equal|better|beat|top|counter|improve on|improve upon)"
            rf"\w*,? (?:the |any |such |that |those |each |every |a |an )?(?:[\w']+ ){{0,2}}?"
            rf"(?:terms|offers?|proposals?|bids?|price|deal|approach|counter ?offer)\b|"
            rf"\b(?:before|prior to) (?:granting|giving|offering|providing|licen[cs]ing|sharing|"
            rf"making|entering|selling|disclosing|releasing|agreeing|negotiating|concluding|"
            rf"signing|accepting|allowing|permitting)\b[^.;]{{0,120}}?\b(?:third part(?:y|ies)|"
            rf"other (?:part(?:y|ies)|compan(?:y|ies)|organi[sz]ations?|persons?|partners?|"
            rf"providers?|suppliers?|developers?|licensees?|bidders?)|another (?:party|company|"
            rf"organi[sz]ation|person|partner|provider|supplier|developer)|competitors?|anyone "
            rf"else|any person)\b[^.;]{{0,120}}?\b(?:to|give|gives|offer|offers|allow|allows|"
            rf"afford|affords|grant|grants|invite|invites) {PARTNER_ENTITY}(?!'s|s')[^.;]{{0,80}}?"
            rf"\b(?:opportunity|option|right|chance|first|accept|match|offer|refus\w*|counter|"
            rf"same terms)\b|\b(?:last (?:look|call|refusal)|right to counter|counter ?offer "
            rf"right|matching (?:right|period|offer)|standstill)\b"
        ),
        "gives the Partner a right of first offer or to match other offers",
        _EXCLUSIVE_HINT,
        conditional=True,
        check=lambda text, match, context: _offer_of_rights(text, match, context),
    ),
    _Rule(
        "not_bound",
        0,
        _r(
            r"\b(?:(?:is|are|shall be|will be|be)(?: not|n't) bound by|(?:shall|will|must|is to|"
            r"are to)(?: not|n't) be bound by|(?:shall|will|need|does|"
            r"do)(?: not|n't)(?: have to| need to)? (?:comply|be required to comply) with|"
            r"(?:is|are|shall be|will be) (?:exempt|exempted|excused|released) from)"
            r"(?P<target>(?: [\w'()]+){1,10})"
        ),
        "disapplies {topic}",
        _OVERRIDE_HINT,
        negatable=False,
        check=lambda text, match, context: _bound_target(text, match, context),
    ),
    _Rule(
        "preferential",
        3,
        _r(
            r"\b(?:(?:preferred|preferential|privileged|favou?red|most favou?red(?: (?:nation|"
            r"customer|partner|supplier|licensee))?) (?:access|rights?|terms|treatment|status|"
            r"basis|partner|supplier|provider|position|pricing|prices?|licensee|collaborator|"
            r"vendor|party|data partner|commercial partner|route)|preferentially|(?:give|gives|"
            r"grant|grants|accord|accords|afford|affords)(?: \w+){0,3} (?:preference|priority)|"
            r"(?:priority|prioriti[sz]ed|privileged|advance|early|earlier|first) (?:access|"
            r"rights? of access|sight|call|use of the data|pick|opportunity|chance|notice of|"
            r"offer of|choice)|priority (?:rights?|"
            r"treatment|status|basis|over (?:any |all )?(?:other|third))|prioriti[sz]e[sd]? "
            r"(?:\w+ ){0,3}?(?:the partner|requests? (?:from|by) the partner|the partner's)|"
            r"ahead of (?:any |all )?(?:other|third|competitors?|anyone)|before (?:it is |they "
            r"are |being |the data is |the data are )?(?:offered|made available|provided|shared|"
            r"disclosed|licen[cs]ed|released|given) to (?:any |all )?(?:other|third|anyone)|"
            r"head start|first mover)\b"
        ),
        "grants preferential or priority rights",
        _EXCLUSIVE_HINT,
        conditional=True,
        holder=True,
        check=_keep_preference,
    ),
    _Rule(
        "only_partner",
        3,
        _r(
            rf"\bonly {PARTNER_ENTITY} (?:\w+ ){{0,2}}?(?:may|shall|can|will|is|are|has|have)\b|"
            rf"\b(?:available|provided|supplied|licen[cs]ed|offered|shared|granted|released|given|"
            rf"sold|disclosed|accessible|made available) (?:\w+ ){{0,2}}?(?:only|solely|"
            rf"exclusively) (?:to|with|by|for) {PARTNER_ENTITY}(?!'s|s')|\bno (?:one|person|"
            rf"party|parties|organi[sz]ations?|compan(?:y|ies)|entit(?:y|ies)|bod(?:y|ies)) "
            rf"(?:other than|except|apart from|besides|save) {PARTNER_ENTITY}|\bto the exclusion "
            rf"of (?:all |any )?(?:others?|other part(?:y|ies)|any other|third part(?:y|ies)|"
            rf"competitors?|anyone)|\bring ?fenc\w* (?:\w+ ){{0,3}}?(?:for|to) {PARTNER_ENTITY}|"
            rf"\breserved (?:\w+ )?(?:to|for) {PARTNER_ENTITY}(?!'s)|\b(?:any|all|"
            rf"every) (?:other )?"
            rf"(?:persons?|part(?:y|ies)|organi[sz]ations?|entit(?:y|ies)|one|bod(?:y|ies)|"
            rf"compan(?:y|ies)|users?) (?:other than|except|apart from|besides|save) "
            rf"{PARTNER_ENTITY}(?!'s|s') (?:\w+ ){{0,3}}?(?:is|are|shall be|will be|be|may not|"
            rf"shall not|must not|cannot) ?(?:\w+ )?(?:prohibited|excluded|not permitted|barred|"
            rf"forbidden|refused|denied|access|use)"
        ),
        "reserves NHS data to the Partner alone",
        _EXCLUSIVE_HINT,
    ),
    # ---- principle 3: lock-outs
    _Rule(
        "no_other_party",
        3,
        _r(
            r"\b(?:no (?:(?:other|third|further|additional|competing|rival|commercial|outside) )+"
            r"(?:part(?:y|ies)|persons?|organi[sz]ations?|compan(?:y|ies)|entit(?:y|ies)|"
            r"bod(?:y|ies)|researchers?|partners?|competitors?|users?|institutions?|suppliers?|"
            r"providers?|developers?|licensees?)|no one else|nobody else|none other)\b"
            r"(?: [\w']+){0,4}? (?:may|shall|will|can|is to|are to|is permitted|are permitted|"
            r"is entitled|are entitled|be permitted|be entitled|be granted|be given|is granted|"
            r"are granted|has|have|receives?|obtains?|gets?)\b(?: [\w']+){0,4}? (?:access|use|"
            r"receive|obtain|license|licen[cs]e|copies|copy|analy[sz]e|exploit|commerciali[sz]e|"
            r"develop|process|data|rights?)\b"
        ),
        "stops anyone else using the data (a lock-out)",
        _LOCKOUT_HINT,
        check=_nhs_not_controlling,
    ),
    _Rule(
        "nhs_shall_not_share",
        3,
        _r(
            rf"\b{_NHS_SUBJECT} (?:[\w']+ ){{0,4}}?(?:{_NEG_MODAL}|(?:shall|will|may|must))"
            rf"(?:,[^,]{{0,60}},)? (?:(?:directly|indirectly|itself|knowingly|otherwise|or|and|"
            rf"seek to|offer to|agree to|attempt to|be entitled to|be permitted to|be free to|"
            rf"during the term|for the term|for [\w ]{{1,20}}? (?:months|years)),? )*"
            rf"(?:shar(?:e|ing)|provid(?:e|ing)|mak(?:e|ing)|licen[cs](?:e|ing)|disclos(?:e|ing)|"
            rf"grant(?:ing)?|giv(?:e|ing)|suppl(?:y|ying)|sell(?:ing)?|offer(?:ing)?|"
            rf"transfer(?:ring)?|releas(?:e|ing)|allow(?:ing)?|permit(?:ting)?|enter(?:ing)?|"
            rf"negotiat(?:e|ing)|agree(?:ing)?|conclud(?:e|ing)|sign(?:ing)?|solicit(?:ing)?|"
            rf"seek(?:ing)?|engag(?:e|ing)|deal(?:ing)?|work(?:ing)?|collaborat(?:e|ing)|"
            rf"partner(?:ing)?|contract(?:ing)?|discuss(?:ing)?|entertain(?:ing)?|"
            rf"commerciali[sz](?:e|ing)|us(?:e|ing)|exploit(?:ing)?|approach(?:ing)?|"
            rf"respond(?:ing)?|accept(?:ing)?|invit(?:e|ing)|request(?:ing)?|tender(?:ing)?|"
            rf"canvass(?:ing)?|(?:hold|holding|open|opening) (?:discussions|talks))"
            rf"\b"
        ),
        "stops the NHS Party sharing its data or working with others (a lock-out)",
        _LOCKOUT_HINT,
        check=lambda text, match, context: (
            bool(
                re.search(
                    r"\b(?:not|n't|cannot|refrain|abstain|prohibited|restricted|precluded|"
                    r"prevented)\b|\b(?:no|neither) ",
                    match.group(),
                )
            )
            and _others_named(text, match, context)
            and not _about_foi(text, match, context)
        ),
    ),
    _Rule(
        "nhs_only_with_partner",
        3,
        _r(
            rf"\b{_NHS_SUBJECT} (?:shall|will|must|agrees to|undertakes to|commits to)"
            rf"(?: [\w']+){{0,6}}? (?:only|exclusively|solely) (?:[\w']+ ){{0,3}}?with "
            rf"{PARTNER_ENTITY}|\b{_NHS_SUBJECT} (?:shall|will|must|agrees to|undertakes to) "
            rf"(?:only|exclusively|solely) (?:deal|work|partner|collaborate|contract|engage|"
            rf"negotiate|share)"
        ),
        "commits the NHS Party to deal only with the Partner",
        _LOCKOUT_HINT,
    ),
    _Rule(
        "restrict_nhs",
        3,
        _r(
            rf"\b(?:restrict|restricts|prevent|prevents|prohibit|prohibits|preclude|precludes|"
            rf"stop|stops|bar|bars|limit|limits|veto|object to|approve) (?:\w+ )?{NHS_ENTITY}"
            rf"(?:'s|s')? (?:from )?(?:sharing|providing|licensing|making|working|collaborating|"
            rf"partnering|dealing|entering|negotiating|granting|disclosing|supplying|offering|"
            rf"releasing|using the data|using any data)\b"
        ),
        "lets the NHS Party be stopped from sharing its data or working with others",
        _LOCKOUT_HINT,
    ),
    _Rule(
        "lockout_words",
        3,
        _r(
            r"\b(?:lock ?outs?|no ?shop|non ?solicitation of (?:other )?(?:offers|partners|bids|"
            r"proposals)|stand ?still|(?:non ?compete|non ?competition) (?:\w+ ){0,3}?"
            r"(?:nhs party|trust)|exclusivity period|embargo\w*)\b"
        ),
        "imposes a lock-out or standstill",
        _LOCKOUT_HINT,
        check=lambda text, match, context: (
            not match.group().startswith("embargo")
            or bool(re.search(rf"\b{_OTHERS}\b|\bother\b", text))
        ),
    ),
    # ---- principle 3: benefits confined to one organisation or area
    _Rule(
        "benefit_local",
        3,
        _r(
            rf"\b(?:only|solely|exclusively|purely|just|entirely) (?:for|to|within|in|at|by|"
            rf"across|among|amongst) (?:the )?(?:(?:benefit|use|advantage|patients?|population|"
            rf"residents) (?:of |by )?(?:the )?)?{_LOCAL}|\b(?:covers?|benefits?|serves?|includes?|"
            rf"reach(?:es)?) (?:only|solely|exclusively) (?:the )?{_LOCAL}|"
            rf"\b(?:for|to) (?:the )?(?:use|benefit) of {NHS_ENTITY} alone|"
            rf"\bfor {NHS_ENTITY}(?:'s)? (?:own )?(?:patients|"
            rf"population|residents|use|benefit|sites|hospitals) (?:alone|only|exclusively)\b|"
            rf"\bonly (?:(?:the )?(?:patients?|residents|staff|clinicians|hospitals|sites|"
            rf"population) (?:of|at|in|registered with) )?{NHS_ENTITY} "
            rf"(?:\w+ ){{0,2}}?(?:may|shall|will|can|is entitled to|are entitled to|(?:is|are) "
            rf"permitted to) (?:\w+ ){{0,2}}?(?:use|benefit|receive|deploy|obtain|have|enjoy)\b"
            rf"(?! (?:the |any |its )?(?:data|dataset|records)\b)"
        ),
        "confines the benefits to one organisation or area",
        _BENEFIT_HINT,
        check=_with_benefit_context,
    ),
    _Rule(
        "benefit_named_place",
        3,
        _r(
            r"\b(?:only|solely|exclusively|purely|entirely) (?:within|in|across|to) "
            r"(?P<place>(?:the )?[a-z][\w']*(?: [a-z][\w']*){0,3})"
        ),
        "confines the benefits to one area",
        _BENEFIT_HINT,
        check=_named_place,
    ),
    _Rule(
        "benefit_limited_to",
        3,
        _r(
            rf"\b(?:limited|restricted|confined|exclusive|reserved) to (?:the )?(?:(?:use|benefit)"
            rf" (?:of|by) (?:the )?)?{_LOCAL}"
        ),
        "confines the benefits to one organisation or area",
        _BENEFIT_HINT,
        check=_with_benefit_context,
    ),
    _Rule(
        "benefit_group_local",
        3,
        _r(
            r"\b(?:only|solely|exclusively|purely|just|entirely|limited|restricted|confined|"
            r"reserved|personal) (?:available )?(?:to|for|within|in|by|among|amongst|across|at) "
            r"(?:the )?(?:(?:benefit|use) (?:of|by) (?:the )?)?(?:(?:nhs|participating|member|"
            r"local|constituent|eligible) )?(?:organi[sz]ations?|trusts?|bod(?:y|ies)|icbs?|"
            r"hospitals?|(?:gp )?practices?|patients?|providers?|commissioners?|residents?|"
            r"sites?|populations?|systems?|clinicians?|staff|users?|people|places?|pcns?|"
            r"primary care networks?) (?:[\w']+ ){0,2}?(?:in|within|of|across|located in|based "
            r"in|belonging to|forming part of|served by|registered with|treated by|under the "
            r"care of|covered by|that are members of|inside) (?P<place>(?:the )?[a-z][\w']*"
            r"(?: [a-z][\w']*){0,4})"
        ),
        "confines the benefits to one organisation or area",
        _BENEFIT_HINT,
        check=lambda text, match, context: _local_group(text, match, context),
    ),
    _Rule(
        "benefit_personal",
        3,
        _r(
            rf"\b(?:is|are|shall be|will be|remains?|shall remain|will remain) personal to "
            rf"{NHS_ENTITY}\b"
        ),
        "confines the benefits to one organisation",
        _BENEFIT_HINT,
        check=lambda text, match, context: (
            _BENEFIT_NOUN.search(text[: match.start()]) is not None
            and not _then_national(text, match, context)
        ),
    ),
    _Rule(
        "other_nhs_full_price",
        3,
        _r(
            rf"(?:\b{_OTHER_NHS}|\b(?:nhs |other )?(?:organi[sz]ations?|trusts?|bod(?:y|ies)|icbs?|"
            rf"providers?) (?:other than {NHS_ENTITY}|(?:outside|beyond|not in) (?:the )?"
            rf"[\w']+(?: [\w']+)?))\b(?: [\w']+){{0,8}}? (?:at|on payment of|upon "
            rf"payment of|subject to payment of|for|on|pay|paying|be charged|be charged at|"
            rf"charged|charged at|on the basis of|will pay|shall pay) (?:the |a |its |their )?"
            rf"(?:partner's |company's |supplier's )?(?:full|standard|normal|usual|commercial|"
            rf"list|market|undiscounted|prevailing|published|retail|higher|non nhs|private)"
            rf"(?: list| commercial| market| retail| licen[cs]e| subscription)? (?:price|prices|"
            rf"pricing|rates?|fees?|terms|charges?|cost|tariff)\b|\b(?:full|standard|normal|usual|commercial|list|market|"
            rf"undiscounted|prevailing|published|retail)(?: list| commercial| market| retail)? "
            rf"(?:price|prices|pricing|rates?|fees?|charges?|tariff)(?: [\w']+){{0,4}}? (?:for|to|"
            rf"payable by|charged to|appl(?:y|ies) to|shall apply to|will apply to|(?:is|are|shall"
            rf" be|will be) (?:payable|charged) by) {_OTHER_NHS}|\b(?:discount|saving|free "
            rf"licen[cs]e|concession|preferential price|reduced price|benefit)s?(?: [\w']+)"
            rf"{{0,6}}? (?:(?:shall|will|does|do|is to|are to)(?: not|n't) (?:apply|extend|be "
            rf"extended|be available) to|(?:is|are|shall be|will be) not (?:available|extended) to)"
            rf" {_OTHER_NHS}"
        ),
        "charges the rest of the NHS more than the NHS Party for the benefits",
        _BENEFIT_HINT,
        negatable=False,
    ),
    _Rule(
        "benefit_not_elsewhere",
        3,
        _r(
            rf"\b(?:(?:shall|will|may|must|is to|are to|can)(?: not|n't)|cannot) (?:\w+ ){{0,3}}?"
            rf"(?:be )?(?:made available|available|offered|provided|supplied|licen[cs]ed|sold|"
            rf"rolled out|deployed|extended|shared|used|distributed|marketed|implemented|adopted|"
            rf"accessible|given|disclosed|transferred|spread|scaled|applied|provide|offer|supply|"
            rf"make available|license|licence|extend|deploy|roll out|sell|share|give) "
            rf"(?:[\w']+ ){{0,4}}?(?:to|by|in|across|within|with|for|at|throughout) {_OTHER_NHS}|"
            rf"\b(?:(?:shall|will|may|must|is to|are to|can)(?: not|n't)|cannot) (?:\w+ ){{0,2}}?"
            rf"(?:be )?(?:made available|available|offered|provided|supplied|rolled out|deployed|"
            rf"extended|used|applied|implemented|adopted) (?:nationally|nationwide|more widely|"
            rf"elsewhere|beyond (?:the )?{_LOCAL})|\b(?:may|can|shall be entitled to|is entitled "
            rf"to|reserves the right to) (?:\w+ )?(?:refuse|decline|withhold) (?:\w+ ){{0,3}}?"
            rf"(?:to|from) (?:[\w']+ ){{0,5}}?{_OTHER_NHS}|\bno other (?:nhs )?(?:bod(?:y|ies)|"
            rf"trusts?|"
            rf"organi[sz]ations?|icbs?|hospitals?|practices?|regions?|commissioners?|providers?)\b"
            rf"(?: [\w']+){{0,3}}? (?:may|shall|will|can) (?:\w+ ){{0,3}}?(?:use|benefit|access|"
            rf"receive|deploy|adopt|have|obtain|be given|be offered|be provided|be supplied)\b"
        ),
        "stops the benefits reaching the rest of the NHS",
        _BENEFIT_HINT,
        check=lambda text, match, context: _benefit_object(text, match, context),
    ),
    _Rule(
        "national_gated",
        3,
        _r(
            r"\b(?:nation(?:al|ally|wide)|nhs ?wide|system ?wide|wider (?:nhs|use|adoption|"
            r"roll ?out|deployment|spread|implementation)|(?:roll(?:ed|ing)? ?out|deploy(?:ment|"
            r"ed)?"
            r"|adoption|spread|scal(?:e|ing) up|expansion|extension|implementation|use|supply|"
            r"provision|availability) (?:[\w']+ ){0,4}?(?:(?:to|across|in|within|throughout|by) "
            r"(?:any )?(?:other|another|the nhs|nhs|the wider|the rest)|(?:outside|beyond) "
            r"(?:the |its |their )?[\w']+|elsewhere))\b[^.;]{0,120}?(?P<gate>(?:requires?|required|"
            r"shall require|will require|subject to|conditional (?:up)?on|dependent (?:up)?on|only "
            r"with|only after|needs?|contingent (?:up)?on) (?:[\w']+ ){0,4}?(?:consent|approval|"
            r"agreement|permission|licen[cs]es?|authori[sz]ation|fees?|payments?|negotiation|terms|"
            r"contract)\b(?: (?:of|from|by) (?:the )?[\w']+(?: [\w']+)?)?|(?:at|in) the (?:sole |"
            r"absolute )?discretion of (?:the )?\w+|(?:the partner|it) (?:\w+ ){0,2}?(?:may|shall "
            r"be entitled to|can|reserves the right to) (?:\w+ ){0,2}?(?:refuse|withhold|veto|"
            r"block|prevent|restrict|limit|charge|decline|deny))"
        ),
        "makes wider NHS use of the benefits depend on the Partner's consent or further terms",
        _BENEFIT_HINT,
        negatable=False,
        check=_gate_not_nhs,
    ),
    _Rule(
        "national_gated_reverse",
        3,
        _r(
            r"\b(?P<gate>(?:the partner's|partner) (?:prior |written |express )*(?:consent|"
            r"approval|agreement|permission))\b[^.;]{0,40}?(?:required|needed|necessary)?"
            r"[^.;]{0,40}?(?:before|for|to) (?:\w+ ){0,4}?(?:nation(?:al|ally|wide)|wider|other "
            r"(?:nhs|trusts?|icbs?|regions?|organi[sz]ations?)|roll(?:ed|ing)? ?out|deploy\w*|"
            r"extend\w*|expan\w*)"
        ),
        "makes wider NHS use of the benefits depend on the Partner's consent",
        _BENEFIT_HINT,
        negatable=False,
    ),
    _Rule(
        "nhs_not_spread",
        3,
        _r(
            rf"\b{_NHS_SUBJECT} (?:[\w']+ ){{0,2}}?{_NEG_MODAL} (?:seek|promote|support|"
            rf"facilitate|encourage|enable|permit|allow|pursue|share|spread) (?:\w+ ){{0,3}}?"
            rf"(?:national|wider|nhs ?wide|other (?:nhs|trusts?|icbs?|regions?|organi[sz]ations?))"
        ),
        "stops the NHS Party spreading the benefits across the NHS",
        _BENEFIT_HINT,
        negatable=False,
    ),
    # ---- principle 3: proprietary formats, gateways and supplier lock-in
    _Rule(
        "only_through_platform",
        3,
        _r(
            rf"\b(?:only|solely|exclusively)\b(?: [\w']+){{0,4}}? (?:through|via|using|by means "
            rf"of|on|in|within|from|with|by) (?:the |a |an )?(?:(?:{_PARTNER_NAME}(?:'s|s')|its "
            rf"(?=proprietary|own)|their (?=proprietary|own))(?: own)?(?: proprietary| closed| "
            rf"hosted)?|proprietary|closed) (?:\w+ )?(?:platforms?|apis?|gateways?|portals?|"
            rf"systems?|software|interfaces?|environments?|cloud|infrastructure|tools?|"
            rf"applications?|apps?|formats?|technolog(?:y|ies)|networks?|data models?|schemas?|"
            rf"viewers?|services?|products?|solutions?)\b|\b{_PARTNER_NAME}(?:'s|s') (?:\w+ )?"
            rf"(?:platform|api|gateway|portal|system|software|interface|environment|cloud|format)"
            rf" (?:\w+ ){{0,2}}?(?:is|shall be|will be|remains?) the (?:only|sole|exclusive) "
            rf"(?:means|route|channel|gateway|way|method|interface|platform)"
        ),
        "ties the NHS to the Partner's platform or format",
        _LOCKIN_HINT,
    ),
    _Rule(
        "proprietary_format",
        3,
        _r(
            r"\bproprietary (?:[\w']+ )?(?:formats?|file formats?|standards?|protocols?|schemas?|"
            r"data models?|encodings?|data structures?|codings?|terminolog(?:y|ies))\b"
        ),
        "requires a proprietary format or standard",
        _LOCKIN_HINT,
    ),
    _Rule(
        "no_export",
        3,
        _r(
            rf"\b{_NHS_SUBJECT} (?:[\w']+ ){{0,2}}?(?:shall|will|may|must|is|are|can)(?: not|n't)"
            rf" (?:\w+ ){{0,3}}?(?:export|extract|migrate|port|download|retrieve|take|move|"
            rf"remove|transfer|copy|obtain|switch|change supplier)\b|\b(?:data|outputs?|results?|"
            rf"models?|records?|information|nhs data|derived data|its data)\b(?: [\w']+){{0,6}}? "
            rf"(?:held|stored|hosted|processed|residing|kept|generated|created) (?:on|in|within|by)"
            rf" (?:the )?{_PARTNER_NAME}(?:'s|s')? (?:\w+ ){{0,2}}?(?:platform|systems?|cloud|"
            rf"infrastructure|environment|software|servers?)\b[^.;]{{0,60}}?(?:may|shall|will|can|"
            rf"must)(?: not|n't) (?:\w+ ){{0,2}}?(?:be )?(?:exported|extracted|migrated|ported|"
            rf"downloaded|retrieved|transferred|returned|copied|moved|removed)|\b(?:partner|it) "
            rf"(?:may|shall be entitled to|will) (?:charge|levy|invoice) (?:\w+ ){{0,4}}?"
            rf"(?:for|on) (?:the |any )?(?:export|migration|extraction|return|transfer|"
            rf"portability|exit)"
        ),
        "stops the NHS taking its data or outputs elsewhere",
        _LOCKIN_HINT,
        check=lambda text, match, context: _object_not_partners(text, match, context),
    ),
    _Rule(
        "no_open_standards",
        3,
        _r(
            r"\b(?:no|not (?:be )?(?:under any|required|obliged)|not have any|without any|is not "
            r"required|shall not be required|will not be required|has no|have no|need not)\b"
            r"(?: [\w']+){0,3}? (?:to )?(?:[\w']+ ){0,2}?(?:provide|support|use|adopt|comply with|"
            r"maintain|offer|enable|implement|follow|publish|make available|allow)\b(?: [\w']+)"
            r"{0,3}? (?:open (?:standards?|apis?|formats?|interfaces?)|interoperab\w*|exports?|"
            r"data portability|portability|migration|fhir|hl7|snomed|machine readable|standard "
            r"formats?|non proprietary)"
        ),
        "releases the Partner from open standards and interoperability",
        _LOCKIN_HINT,
        negatable=False,
    ),
    _Rule(
        "nhs_must_buy",
        3,
        _r(
            rf"\b{_NHS_SUBJECT} (?:[\w']+ ){{0,2}}?(?:shall|will|must|agrees to|undertakes to|"
            rf"commits to|is required to|is obliged to) (?:\w+ ){{0,2}}?(?:use|procure|purchase|"
            rf"buy|adopt|license|licence|deploy|subscribe to|source|obtain) (?:\w+ ){{0,4}}?"
            rf"(?:only|exclusively|solely)\b|\b{_NHS_SUBJECT} (?:[\w']+ ){{0,2}}?(?:shall|will|"
            rf"must|agrees to|undertakes to) (?:only|exclusively|solely) (?:use|procure|purchase|"
            rf"buy|adopt|license|deploy|subscribe to|source)\b|\b{_NHS_SUBJECT} (?:[\w']+ ){{0,2}}?"
            rf"{_NEG_MODAL} (?:\w+ ){{0,1}}?(?:use|procure|purchase|buy|adopt|license|licence|"
            rf"deploy|develop|build|evaluate|trial|pilot|commission|subscribe to|source) "
            rf"(?:\w+ ){{0,3}}?(?:other|competing|competitor'?s?|alternative|rival|third party|"
            rf"similar|comparable|equivalent|substitute)\b|\b{_NHS_SUBJECT} (?:[\w']+ ){{0,2}}?"
            rf"(?:shall|will|must|agrees to|undertakes to|commits to) (?:\w+ ){{0,2}}?(?:purchase|"
            rf"procure|buy|subscribe to) (?:\w+ ){{0,5}}?(?:from {PARTNER_ENTITY}|"
            rf"{_PARTNER_NAME}(?:'s|s') (?:products?|software|services?|platform|licen[cs]es?))|"
            rf"\b(?:vendor )?lock ?in\b"
        ),
        "ties the NHS Party to the Partner's products",
        _LOCKIN_HINT,
    ),
    # ---- overriding or watering down mandatory clauses
    _Rule(
        "notwithstanding",
        0,
        _r(
            r"\bnotwithstanding (?!that\b|the (?:expiry|termination|completion|end|fact)\b|"
            r"(?:any )?(?:expiry|termination)\b)(?P<target>[^,;]{1,120})"
        ),
        "overrides {topic}",
        _OVERRIDE_HINT,
        check=_override_target,
    ),
    _Rule(
        "disapplies",
        0,
        _r(
            r"(?P<target>[^,;]{0,100}?)\b(?:(?:shall|will|does|do|is to|are to)(?: not|n't) apply|"
            r"(?:shall|will) (?:cease to|no longer) apply|"
            r"(?:shall|will|does|do|is to|are to)(?: not|n't) (?:bind|be binding (?:on|upon)|"
            r"be enforceable against|be enforced against|have effect)|(?:is|are|shall be|will be)"
            r" not (?:binding|enforceable) (?:on|upon|against)|(?:shall|will) no longer bind|"
            r"(?:is|are|shall be|will be|be) (?:hereby )?"
            r"(?:disapplied|deleted|removed|struck out|suspended|waived|varied|amended|modified|"
            r"replaced|deemed deleted|of no (?:force or )?effect|void|inapplicable|switched off|"
            r"relaxed|dis ?applied)|shall have no (?:force|effect|application)|(?:is|are|shall be)"
            r" not binding|(?:shall|will|is to|are to) be (?:read|construed|interpreted|applied) "
            r"(?:as )?(?:subject to|narrowly|restrictively|as limited by|as qualified by)|"
            r"(?:is|are|shall be) (?:made )?subject to the partner's)\b"
        ),
        "disapplies {topic}",
        _OVERRIDE_HINT,
        negatable=False,
        check=_disapplied,
    ),
    _Rule(
        "prevails",
        0,
        _r(
            r"(?P<subject>[^,;]{0,80}?)\b(?:prevails?|shall prevail|will prevail|takes? "
            r"precedence|shall take precedence|will take precedence|overrides?|shall override|"
            r"supersedes?|shall supersede|shall govern|will govern|shall control|will control)"
            r"\b(?: (?:over|to the extent of any (?:conflict|inconsistency) with|in place of|"
            r"and replaces?))?(?P<over>[^,;]{0,80})"
        ),
        "overrides {topic}",
        _OVERRIDE_HINT,
        negatable=False,
        check=_prevails_over,
    ),
    _Rule(
        "waives",
        0,
        _r(
            r"\b(?:waive[sd]?|waiving|waiver of|release[sd]? (?:\w+ )?from|releasing (?:\w+ )?"
            r"from|excuse[sd]? from|exempt(?:s|ed)? from|relieve[sd]? (?:\w+ )?of|dispense[sd]? "
            r"with|disapplies|disapply|switch(?:es)? off)(?P<target>(?: [\w'()]+){1,10})"
        ),
        "waives {topic}",
        _OVERRIDE_HINT,
        check=_waived_topic,
    ),
    _Rule(
        "limits_obligations",
        0,
        _r(
            r"(?P<pre>\b(?:[\w']+ ){0,3})(?:obligations?|duties|commitments|undertakings|"
            r"responsibilities|requirements?)(?P<target>(?: [\w'()]+){0,12}?) (?:are|is|shall be|"
            r"will be|be|become|becomes) "
            r"(?:hereby )?(?:limited|suspended|capped|reduced|excluded|qualified|restricted|"
            r"deferred|postponed|released|discharged|diluted|conditional|satisfied|subject to the "
            r"partner's|at the partner's discretion|in the partner's discretion|optional|"
            r"discretionary|voluntary)\b"
        ),
        "limits {topic}",
        _OVERRIDE_HINT,
        negatable=False,
        check=_limited_obligations,
    ),
    _Rule(
        "benefits_soft",
        1,
        _r(
            r"\b(?:the )?(?:benefits?|targets?|(?:benefit|performance) (?:targets?|measures?)|"
            r"outcomes?|improvements?|benefits plan)\b(?: (?!and\b|or\b|but\b)[\w']+){0,8}? "
            r"(?:are|is|shall be|will be|be|remain|remains)(?: [\w']+){0,2}? (?:aspirational|"
            r"indicative|non binding|not (?:legally |contractually )?binding|unenforceable|not "
            r"enforceable|targets only|estimates? only|for guidance|for information|goals? only|"
            r"best efforts|(?:an? )?(?:estimate|aim|aspiration|goal)s? only|illustrative|"
            r"not (?:a |an )?(?:contractual |legal )?(?:obligations?|commitments?))\b|"
            r"\b(?:no|not (?:be )?under any|not have any|without any|nor any)(?: legal| contractual"
            r"| binding)? (?:obligation|duty|commitment|requirement|liability) to (?:\w+ ){0,2}?"
            r"(?:achieve|deliver|meet|realise|realize|attain|secure|provide|report on|report)"
            r"(?: [\w']+){0,3}? (?:benefits?|targets?|outcomes?|improvements?)\b"
        ),
        "makes the promised benefits non-binding",
        _BENEFIT_SOFT_HINT,
        negatable=False,
    ),
    # ---- principle 4: confidentiality that would hide the agreement
    _Rule(
        "keep_secret",
        4,
        _r(
            r"\b(?:keep|treat|hold|maintain|regard|remain|retain)(?: [\w']+){0,2}? (?:the )?"
            r"(?:very )?(?:existence|fact|terms|contents?|nature|details|subject matter|purpose|"
            r"identity|identities|parties|benefits|value)(?: and [\w']+)? (?:of|in) (?:this|the|"
            r"their|its|our) (?:agreement|partnership|arrangement|collaboration|deal|relationship|"
            r"project|contract|working relationship)\b[^.;]{0,60}?\b(?:confidential|secret|"
            r"private|in confidence)\b|"
            r"\b(?:keep|treat|hold|maintain)s? (?:this|the) (?:agreement|partnership|arrangement|"
            r"collaboration|deal|relationship|"
            r"contract) (?:and [\w' ]{1,30} )?(?:as )?(?:strictly )?"
            r"(?:confidential|secret|private|in confidence)\b|\b(?:the )?(?:very )?(?:existence|"
            r"fact|"
            r"terms|contents?|nature|details|identity|identities|names?|parties|purpose|benefits)"
            r"(?: and [\w']+)? (?:of|in) (?:this|the|their|its) (?:agreement|partnership|"
            r"arrangement|collaboration|deal|relationship|contract|partner|parties|other party)\b"
            r"(?:,? [\w'()]+,?){0,6}? "
            r"(?:is|are|shall be|"
            r"shall remain|will be|will remain|remains?|must be|must remain|be|to be)(?: kept| "
            r"treated as| held)?(?: strictly)? (?:confidential|secret|private)\b|"
            r"\b(?:keep|treat|hold|maintain)s?(?: [\w']+){0,2}? (?:the )?(?:names?|"
            r"identit(?:y|ies)|involvement) of (?:the )?(?:parties|partner|other party|"
            r"each party)\b[^.;]{0,40}?"
            r"\b(?:confidential|secret|private|in confidence)\b|"
            r"\b(?:keep|treat|hold|maintain)s? (?:its|their|the) (?:relationship|partnership|"
            r"collaboration|dealings|involvement|association) with (?:the )?(?:partner|trust|nhs "
            r"party|company|other party|each other)\b[^.;]{0,40}?\b(?:confidential|secret|"
            r"private|in confidence)\b|"
            r"\bthe (?:very )?fact that (?:[\w']+ ){1,8}?(?:entered into|signed|concluded|(?:is|"
            r"are) (?:a )?part(?:y|ies) to|(?:is|are) working (?:with|together)|"
            r"works? (?:with|together)|"
            r"partnered|"
            r"collaborat\w*|agreed)\b[^.;]{0,60}?\b(?:is|are|shall be|will be|shall remain|"
            r"remains?|must be|must remain|be kept)(?: kept| treated as| held)?(?: strictly)? "
            r"(?:confidential|secret|private)\b"
        ),
        "would keep the agreement itself secret",
        _SECRECY_HINT,
        check=lambda text, match, context: _no_transparency_carveout(text, match, context),
    ),
    _Rule(
        "agreement_confidential",
        4,
        _r(
            r"\b(?:this|the) (?:agreement|partnership|arrangement|collaboration|deal|contract)"
            r"(?: and (?:its|all its|the) (?:terms|contents|existence|schedules))?(?: [\w']+){0,2}?"
            r" (?:is|are|shall be|shall remain|will be|will remain|remains?|must be|must remain)"
            r"(?: kept| treated as| held)?(?: strictly)? (?:confidential|secret|private)\b"
        ),
        "would keep the agreement itself secret",
        _SECRECY_HINT,
        check=_agreement_is_subject,
    ),
    _Rule(
        "not_disclose_that",
        4,
        _r(
            r"\b(?:(?:shall|will|may|must|is to|are to|should)(?: not|n't)|cannot|agrees? not to|"
            r"undertakes? not to|(?:neither|no) (?:party|parties|of the parties|nhs party)"
            r"[^.;]{0,40}?(?:shall|will|may|must))(?: [\w']+){0,2}? (?:disclose|reveal|publish|"
            r"announce|publici[sz]e|confirm|acknowledge|make public|communicate|mention|divulge|"
            r"advertise|state)(?: [\w']+){0,3}? (?:the fact )?that\b"
        ),
        "would hide the agreement",
        _SECRECY_HINT,
        check=lambda text, match, context: _no_transparency_carveout(text, match, context),
    ),
    _Rule(
        "not_disclose_agreement",
        4,
        _r(
            r"\b(?:(?:shall|will|may|must|is to|are to|should)(?: not|n't)|cannot|agrees? not to|"
            r"undertakes? not to|(?:neither|no) (?:party|parties|of the parties|nhs party)"
            r"[^.;]{0,40}?(?:shall|will|may|must))(?: [\w']+){0,2}? (?:disclose|reveal|publish|"
            r"announce|publici[sz]e|make public|confirm|acknowledge|divulge|name|identify|"
            r"advertise|register|list)(?: to (?:any |a |the |all )?(?:other )?(?:persons?|third "
            r"part(?:y|ies)|one|anyone|public|press|media|part(?:y|ies)|organi[sz]ations?))?"
            r"(?: [\w']+){0,3}? (?:existence|terms|identity|identities|"
            r"names?|involvement|participation|parties|purpose|benefits|nature|value|the "
            r"partner(?!'s (?:confidential|data|software|trade|source|background))|the other "
            r"part(?:y|ies)|the partnership|this agreement|the agreement|the collaboration|"
            r"the arrangement|the "
            r"relationship|the deal|this partnership|that it has|its (?:relationship|"
            r"collaboration|partnership))\b"
        ),
        "would hide the agreement, its parties, purpose or benefits",
        _SECRECY_HINT,
        check=_hide_not_patients,
    ),
    _Rule(
        "no_announcement",
        4,
        _r(
            r"\bno (?:[\w']+ ){0,2}?(?:public )?(?:announcements?|press releases?|publicity|public "
            r"statements?|statements?|publications?|disclosures?|advertisements?|marketing|"
            r"references?)\b(?: [\w']+){0,3}? (?:of|about|concerning|regarding|relating to|in "
            r"respect of|in relation to|on|to)(?: [\w']+){0,3}? (?:this agreement|the agreement|"
            r"the partnership|the collaboration|the arrangement|the deal|the relationship|the "
            r"project|the parties|its existence|the existence|the benefits|the purpose|this "
            r"partnership)\b|\b(?:(?:shall|will|may|must)(?: not|n't)|cannot|(?:neither|no) "
            r"(?:party|parties|of the parties)[^.;]{0,40}?(?:shall|will|may|must))(?: [\w']+){0,3}?"
            r" (?:make|issue|release|publish|give)(?: [\w']+){0,2}? (?:public )?(?:announcements?|"
            r"press releases?|public statements?|publicity)\b|\b(?:announcements?|press releases?|"
            r"publicity|public statements?)(?: [\w']+){0,8}? (?:require|requires|shall require|"
            r"are subject to|is subject to|subject to|only with|need)(?: [\w']+){0,4}? (?:consent|"
            r"approval|agreement) (?:of|from) (?:the partner|both parties|the other part(?:y|ies)|"
            r"each party|the parties)"
        ),
        "would stop the partnership being announced",
        _SECRECY_HINT,
        negatable=False,
        check=_not_misleading,
    ),
    _Rule(
        "partner_anonymous",
        4,
        _r(
            rf"\b(?:the )?{_PARTNER_NAME}(?:'s|s') (?:name|identity|involvement|participation|"
            rf"role)(?: [\w']+){{0,4}}? (?:shall|will|must|is to)(?: not be| remain| be kept)"
            rf" (?:disclosed|published|named|identified|revealed|confidential|anonymous|secret|"
            rf"withheld|redacted)|\b(?:shall|will|must) not be (?:entered|recorded|listed|included"
            rf"|published|disclosed|shown|named|mentioned)(?: [\w']+){{0,3}}? (?:on|in) "
            rf"(?:the |any |a )?(?:public |nhs |national |trust )?(?:transparency|"
            rf"registers?|websites?|publication scheme|foi|annual report|board papers)|\b(?:this "
            rf"agreement|the agreement|its terms|its existence|the (?:existence|purpose|nature|"
            rf"benefits|value|parties) of (?:this|the) (?:agreement|project|partnership|"
            rf"collaboration|arrangement|deal)|the partnership|the collaboration|the parties|"
            rf"the identity of the "
            rf"partner|the partner's identity|the terms of this agreement|the transparency "
            rf"summary|the summary|the benefits(?: plan)?|the parties' names|the partner's name)"
            rf"(?: [\w']+){{0,3}}? (?:shall|will|must|may)(?: not|n't) be (?:published|disclosed|"
            rf"made public|released|announced|registered|listed|confirmed|acknowledged|revealed|"
            rf"publici[sz]ed|advertised)|\b(?:say|state|disclose|reveal|publish|announce) "
            rf"nothing (?:publicly |in public )?(?:about|concerning|regarding|on|of) (?:this|the) "
            rf"(?:agreement|partnership|collaboration|arrangement|deal|project)\b|"
            rf"\b(?:treated as|deemed|regarded as) (?:\w+ )?exempt "
            rf"(?:from "
            rf"(?:disclosure|publication)|information)|\bexempt from (?:the )?(?:freedom of "
            rf"information|foi|disclosure under)|\bshall (?:claim|apply|rely on|invoke) (?:all |"
            rf"any "
            rf"|every )?(?:available |applicable )?exemptions?"
        ),
        "would hide the agreement or who is party to it",
        _SECRECY_HINT,
        negatable=False,
        check=lambda text, match, context: _no_transparency_carveout(text, match, context),
    ),
    _Rule(
        "withheld_from_publication",
        4,
        _r(
            r"\b(?:withheld|withhold|excluded|exclude|omitted|omit|kept|keep|left|leave)"
            r" (?:out of|off|from) (?:any |the |all |every |its |their )?(?:trust's |nhs party's |"
            r"nhs's |parties' )?(?:public |nhs |trust )?"
            r"(?:publications?|transparency (?:registers?|reports?|summar(?:y|ies)|statements?)|"
            r"registers?|websites?|publication schemes?|disclosure logs?|annual reports?|the "
            r"public domain|public view)\b"
        ),
        "would hide the agreement from publication or the transparency register",
        _SECRECY_HINT,
        negatable=False,
        check=lambda text, match, context: _withholds_the_agreement(text, match, context),
    ),
    _Rule(
        "foi_gagged",
        4,
        _r(
            rf"\b{_NHS_SUBJECT} (?:[\w']+ ){{0,2}}?{_NEG_MODAL} (?:\w+ ){{0,2}}?(?:respond(?:ing)? "
            rf"to|answer(?:ing)?|reply(?:ing)? to|comply(?:ing)? with|deal(?:ing)? with|"
            rf"process(?:ing)?|release|disclose|provide|handle)(?: [\w']+){{0,6}}? "
            rf"(?:freedom of information|foia?|eir|environmental information|information "
            rf"requests?|requests? for information)\b|\b(?:freedom of information|foia?|eir|"
            rf"information) (?:act )?(?:requests?|applications?)(?: [\w']+){{0,10}}? (?:shall|"
            rf"will|must) (?:be )?(?:referred to|decided by|determined by|answered by|approved by|"
            rf"handled by|subject to (?:the )?(?:prior )?(?:written )?(?:consent|approval|veto|"
            rf"agreement) of) (?:the )?{_PARTNER_NAME}\b|\b{PARTNER_ENTITY} (?:[\w']+ ){{0,2}}?"
            rf"(?:may|shall|will|can|has the right to|is entitled to|shall be entitled to) "
            rf"(?:\w+ ){{0,2}}?(?:veto|decide|determine|approve|control|block|prevent|refuse)"
            rf"(?: [\w']+){{0,6}}? (?:freedom of information|foia?|eir|information requests?|"
            rf"requests? for information)\b"
        ),
        "would let the Partner control or stop freedom of information responses",
        "The NHS Party decides its own freedom of information responses; it may consult the "
        "Partner, never need its consent (principle 4). Delete this, or make it a duty to "
        "consult.",
        negatable=False,
        check=lambda text, match, context: _foi_not_consultation(text, match, context),
    ),
    _Rule(
        "publication_veto",
        4,
        _r(
            rf"\b{PARTNER_ENTITY}(?: [\w']+){{0,3}}? (?:may|shall|will|can|has the right to|is "
            rf"entitled to|shall be entitled to|reserves the right to)(?: [\w']+){{0,2}}? (?:veto|"
            rf"block|prevent|suppress|prohibit|stop|refuse|withhold (?:its )?(?:consent|approval)"
            rf" (?:to|for)|require the (?:removal|deletion|withdrawal) of|edit|amend|approve)"
            rf"(?: [\w']+){{0,3}}? (?:publication|publishing|the publication|disclosure|"
            rf"announcement|release|any publication|publications)\b|\b(?:publication|publishing|"
            rf"any publication|publications|publication of (?:the )?(?:results|findings|outputs|"
            rf"benefits))(?: [\w']+){{0,6}}? (?:requires?|shall require|is subject to|are subject "
            rf"to|subject to|conditional (?:up)?on|only with|with)(?: [\w']+){{0,3}}? (?:the "
            rf"partner's|of the partner|partner's)(?: [\w']+){{0,2}}? (?:consent|approval|"
            rf"agreement|permission|sign ?off)"
        ),
        "lets the Partner prevent publication",
        "The Partner may ask for a short delay to protect patentable inventions (see the "
        "publication clause), never a veto over publication (principle 4).",
    ),
)

_FAMILY_PRINCIPLE_FALLBACK = 2


# -- scanning ------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """One passage of a text that breaks a principle."""

    rule: str
    principle: int
    quote: str
    message: str
    hint: str
    start: int
    end: int


def scan_text(text: str, *, library: bool = False) -> list[Finding]:
    """Return every passage of ``text`` that a principle forbids, in order.

    ``library`` reads ``text`` as library clause wording (so that "this clause prevails"
    refers to the library's own clause).
    """
    if not isinstance(text, str) or not text.strip():
        return []
    doc = _Normalised(text)
    findings: list[Finding] = []
    carve_out = bool(_CARVE_OUT.search(doc.text))
    for sentence in _sentences(doc):
        words = sentence.text
        context = _Context(
            whole=doc.text,
            original_of=lambda start, end, s=sentence: doc.quote(
                s.index[start], s.index[max(start, end - 1)] + 1
            ),
            library=library,
            carve_out=carve_out,
        )
        for rule in _RULES:
            for match in rule.pattern.finditer(words):
                if match.end() <= sentence.limb_start:
                    continue  # found in a lead-in: reported with the lead-in itself
                if rule.negatable and _negated(
                    words, match.start(), match.end(), conditional=rule.conditional
                ):
                    continue
                if rule.holder and _nhs_holds(words, match.start(), match.end()):
                    continue
                if rule.check is not None and not rule.check(words, match, context):
                    continue
                findings.append(_finding(rule, doc, sentence, match))
    return _without_overlaps(findings)


def _finding(rule: _Rule, doc: _Normalised, sentence: _Sentence, match: re.Match) -> Finding:
    start, end = match.start(), match.end()
    while start < end and sentence.text[start] in " ,":
        start += 1
    start = max(start, sentence.limb_start)
    start, end = _widen(sentence.text, start, end, sentence.limb_start)
    doc_start = sentence.index[start]
    doc_end = sentence.index[end - 1] + 1
    quote = doc.quote(doc_start, doc_end)
    principle = rule.principle
    message = rule.message
    if "{topic}" in message:
        topic = _topic(match.group()) or _topic(sentence.text)
        if topic is None:
            principle = _FAMILY_PRINCIPLE_FALLBACK
            message = message.format(
                topic="other clauses of the agreement, which may include its mandatory clauses"
            )
        else:
            principle = topic[0]
            message = message.format(topic=f"a mandatory clause ({topic[1]})")
    return Finding(rule.id, principle, quote, message, rule.hint, doc_start, doc_end)


def _widen(text: str, start: int, end: int, floor: int) -> tuple[int, int]:
    """Widen a short match to a readable quote: a word or two before, a few after."""
    if end - start >= 40:
        return start, end
    before = re.search(r"(?:[\w'/()]+ ){0,2}$", text[floor:start])
    if before:
        start = floor + before.start()
    after = re.match(r"(?: [\w'/()£$%.]+(?=[ ,;:]|$)){0,5}", text[end:])
    if after:
        end += after.end()
    return start, end


def _without_overlaps(findings: list[Finding]) -> list[Finding]:
    kept: list[Finding] = []
    for finding in sorted(findings, key=lambda f: (f.start, -(f.end - f.start))):
        if any(
            finding.start < other.end
            and other.start < finding.end
            and (finding.principle == other.principle)
            for other in kept
        ):
            continue
        kept.append(finding)
    return kept


def _problems(findings: Iterable[Finding], path: str) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[str] = set()
    for finding in findings:
        message = f'{finding.message}: "{finding.quote}"'
        if message in seen:
            continue
        seen.add(message)
        problems.append(Problem(path, message, finding.principle, finding.hint))
    return problems


def scan_term(text: str, path: str = "") -> list[Problem]:
    """Return the problems with one free-text term, each at ``path``."""
    return _problems(scan_text(text), path)


def scan_terms(terms: Iterable[str], prefix: str = "clauses.additional_terms") -> list[Problem]:
    """Return the problems with a list of additional terms, at ``prefix[i]``."""
    problems: list[Problem] = []
    for index, term in enumerate(terms):
        problems += scan_term(term, f"{prefix}[{index}]")
    return problems


def scan_library_text(source: str, path: str) -> list[Problem]:
    """Return the problems with a library text (Jinja clause wording), at ``path``."""
    return _problems(scan_text(plain_text(source), library=True), path)
