"""Reading a match in its sentence: is it negated, and whose right is it?"""

from __future__ import annotations

import re

from toolkit.scan.normalise import compiled
from toolkit.scan.sentences import MAX_LOOKBACK
from toolkit.scan.vocabulary import NHS_ENTITY, PARTNER_ENTITY

__all__ = ["negated", "nhs_holds", "scope_end", "scope_start"]

_CONNECTOR = (
    r"\b(?:except that|save that|provided (?:always )?that|but|however|although|though|"
    r"whereas|whilst|while|after which|following which|thereafter|save where|except where|"
    r"except to the extent|save to the extent|subject to|on condition that|so long as|"
    r"instead|rather)\b|\b(?:and|or)(?=,? (?:(?:thereafter|then|afterwards|after that|"
    r"subsequently)\b))|\band (?=(?:shall|will|may|must|has|have|is|are|grants?|gives?|"
    r"confers?|agrees?|undertakes?|allows?|permits?|provides?|receives?|obtains?|retains?|"
    r"acquires?|the partner|the company|the licensee|the nhs|the trust|it (?:shall|will|may|"
    r"has|is|grants?))\b)"
)
_PARENTHETICAL = (
    r", (?:which|who|whom|whose|being|not being|that is|although|though|whether or not)\b"
    r"[^,]*,"
)
# Words that negate what follows them anywhere in its part of the sentence.
_NEGATOR = (
    r"\b(?:not(?! (?:only|just|merely|least|limited to|withstanding)\b)|never|nothing|none|"
    r"neither|nor|cannot|no(?! (?:later|earlier|less|more|fewer|sooner|longer)\b)|"
    r"without(?! (?:prejudice|limitation|limiting|delay|undue delay|(?:the |its |their |any )?"
    r"(?:[\w]+'s? )?(?:prior )?(?:express )?(?:written )?(?:consent|approval|agreement|"
    r"permission|authori[sz]ation)|cost|charge|further))|free (?:of|from)|"
    # Welsh and French: "nad yw'n ecsgliwsif", "ne ... pas", "aucun droit exclusif".
    r"nad|nid|ni(?= (?:fydd|chaiff|chant|fyddant|roddir|all|ellir|wneir|yw|oes|bydd|cheir)\b)|"
    r"pas|aucune?|jamais|sans)\b|n't\b"
)
# A negation right before "non" cancels it: "not non-exclusive", "no longer
# non-exclusive", "anything other than non-exclusive".
_UNDOES_NON = (
    r"\b(?:not|never|no longer|nothing|neither|nor|cease(?:s|d)? to be|other than|anything but|"
    r"far from|rather than)(?: (?:be|been|being|a|an|the|merely|wholly|entirely|in any way|"
    r"strictly|to be))* $"
)
# Verbs that negate their own object ("prevents the Partner from having exclusive
# rights"), so count only close to the words they govern.
_BLOCKER = (
    r"\b(?:prohibit\w*|forbid\w*|preclud\w*|prevent\w*|refrain\w*|restrict\w*|"
    r"limit(?:s|ed|ing)?|disclaim\w*|waive[sd]?|renounce[sd]?|exclud\w*|bar(?:s|red)? "
    r"from|void\w*|nullif\w*)\b"
)
_POST_NEGATOR = (
    r"^(?:[^,;]{0,80}?)\b(?:(?:is|are|shall be|will be|be|being|becomes?) (?:hereby )?(?:void|null|"
    r"prohibited|forbidden|excluded|not permitted|not allowed|not granted|unenforceable|"
    r"invalid|of no (?:force or )?effect|disclaimed|waived)|(?:has|have|shall have|will have) "
    r"no (?:force or )?effect|(?:shall|will|may|must|is|are|can) not (?:be )?(?:granted|given|"
    r"permitted|agreed|sought|included|created|conferred|allowed|claimed|asserted|implied|"
    r"requested|offered)|(?:is|are) expressly excluded|shall not arise|does not (?:exist|"
    r"arise))\b"
)
_CONDITIONAL = (
    r"\b(?:unless|until|(?:except|save|other than|apart from|but for|excluding)"
    r"(?: (?:where|if|when|for|in|during|with|that|as|within|over|the partner|its))?)\b"
    r"(?! (?:[\w']+ ){0,4}?(?:required|permitted|compelled) (?:by|under) (?:law|statute|any|"
    r"applicable|the law))"
)


def scope_start(text: str, position: int) -> int:
    start = max(0, position - MAX_LOOKBACK)
    for match in compiled(_CONNECTOR).finditer(text, start, position):
        start = match.end()
    return start


def scope_end(text: str, position: int) -> int:
    match = compiled(_CONNECTOR).search(text, position, position + MAX_LOOKBACK)
    return match.start() if match else min(len(text), position + MAX_LOOKBACK)


def negated(text: str, start: int, end: int, *, conditional: bool) -> bool:
    """Whether the words at ``text[start:end]`` are negated in their part of the sentence.

    The nearest negation before the words decides. A blocking verb close before them
    ("prevents ... from having") negates, unless it is itself negated ("nothing ...
    prevents", "shall not be prevented"). With ``conditional``, a negation followed by
    "unless", "until", "except" or "save" does not count: "no exclusive rights unless
    agreed" still contemplates exclusivity.
    """
    non = re.search(r"\bnon ?$", text[:start])
    if non:
        undoes = compiled(_UNDOES_NON).search(text, max(0, non.start() - 60), non.start())
        if undoes:
            # "not non-exclusive" is exclusive, unless that negation is itself negated.
            return negated(text, undoes.start(), undoes.start(), conditional=False)
        found = True
    else:
        scope = scope_start(text, start)
        window = compiled(_PARENTHETICAL).sub(lambda m: " " * len(m.group()), text[scope:start])
        last_pure = None
        for cue in compiled(_NEGATOR).finditer(window):
            last_pure = cue
        last_blocker = None
        for cue in compiled(_BLOCKER).finditer(window):
            between = window[cue.end() :]
            if len(between.split()) <= 8 and not re.search(r"[,:]", between):
                last_blocker = cue
        if last_blocker is not None and (
            last_pure is None or last_blocker.start() > last_pure.end()
        ):
            before = window[: last_blocker.start()]
            words = before.split()[-6:]
            double = any(
                compiled(_NEGATOR).fullmatch(word) or word.endswith("n't") for word in words
            )
            found = not double
        else:
            found = last_pure is not None
        if not found:
            after = text[end : scope_end(text, end)]
            return bool(compiled(_POST_NEGATOR).search(after))
    if found and conditional:
        after = text[end : scope_end(text, end)]
        # The exception must qualify these words: in their own phrase ("no exclusive
        # rights unless agreed") or opening the next ("non-exclusive, save in ..."), not
        # in a later phrase about something else ("..., without any right to
        # sub-license except to its contractors").
        own_phrase, _, rest = after.partition(",")
        if compiled(_CONDITIONAL).search(own_phrase) or compiled(_CONDITIONAL).match(rest.lstrip()):
            return False
    return found


# -- who holds the right -------------------------------------------------------------

_NHS_AFTER = (
    rf"^(?:[\w']+ ){{0,4}}?(?:of|by|to|for|with|in|in favour of|vested in|belongs? to|"
    rf"belonging to|reserved to|held by) {NHS_ENTITY}\b(?!'s|s')"
)
_PARTNER_AFTER = (
    rf"^(?:[\w']+ ){{0,4}}?(?:of|by|to|for|with|in favour of|vested in|belongs? to|"
    rf"belonging to|reserved to|held by) {PARTNER_ENTITY}"
)
_NHS_MENTION = rf"\b{NHS_ENTITY}\b"
_PARTNER_MENTION = rf"\b{PARTNER_ENTITY}"
_HOLDING = (
    r"^(?:'s|s')?(?:,[^,]*,)? ?(?:(?:shall|will|must|does|do|is|are|be|being|has|have|"
    r"retains?|keeps?|holds?|owns?|enjoys?|receives?|reserves?|exercises?|remains?|"
    r"continues?|at all times|always|alone|itself|themselves|the|a|an|its|their|all|any|full|"
    r"absolute|and|right|rights|ownership|control|title|to|as|at|entitled|be entitled to|"
    r"its own|in|sole|exclusive|data|dataset|datasets|records|information)\b ?)*$"
)


_RELATIONSHIP = (
    r"(?:^|\b)(?:[\w']+ )?(?:(?:data|commercial|technology|ai|industry|research|strategic) )?"
    r"(?:partners?|suppliers?|providers?|collaborators?|licensees?|vendors?|developers?|"
    r"distributors?|resellers?|agents?|contractors?)\b"
)


def nhs_holds(text: str, start: int, end: int) -> bool:
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
        compiled(_PARTNER_AFTER).search(after)
        or compiled(_RELATIONSHIP).match(after)
        or compiled(_RELATIONSHIP).search(text[start:end].split(" ", 1)[-1])
    ):
        return False  # "the Trust's preferred supplier" binds the NHS to the Partner
    if compiled(_NHS_AFTER).search(after):
        return True
    before = text[scope_start(text, start) : start]
    last_nhs = max((m.end() for m in compiled(_NHS_MENTION).finditer(before)), default=-1)
    last_partner = max((m.end() for m in compiled(_PARTNER_MENTION).finditer(before)), default=-1)
    if last_nhs < 0 or last_partner > last_nhs:
        return False
    return bool(compiled(_HOLDING).match(before[last_nhs:].strip()))
