"""Checks that rules share: a rule's pattern finds candidate words, and a check decides
whether they really break a principle ("exclusive of VAT" does not).

Every check takes the sentence, the match and the :class:`Context`, and returns True
when the match is a finding.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

from toolkit.scan.grammar import scope_end, scope_start
from toolkit.scan.normalise import compiled
from toolkit.scan.vocabulary import (
    BENEFIT_NOUN,
    CLAUSE_REF,
    LOCAL,
    NHS_ENTITY,
    OTHER_TOPICS,
    OTHERS,
    PARTNER_NAME,
    PLACE_EXCLUDED,
    topic,
)


class Context(NamedTuple):
    whole: str  # the whole normalised text
    original_of: Callable[[int, int], str]  # sentence positions -> the original words
    library: bool
    carve_out: bool  # the text makes confidentiality subject to transparency


def not_benign_exclusive(text: str, match: re.Match, context: Context) -> bool:
    after = text[match.end() : match.end() + 60]
    word = match.group("word")
    if re.match(
        r"^ (?:jurisdiction|remed(?:y|ies)|competence|venue|forum|liability|"
        r"and non exclusive|or non exclusive|categories|alternatives|options)",
        after,
    ) or (word == "exclusive" and after.startswith(" of ")):
        return False  # "exclusive of VAT", "exclusive jurisdiction", "exclusive remedy"
    if re.match(
        r"^ (?:[\w']+ ){0,2}?(?:responsib\w*|liab\w*|obligations?|dut(?:y|ies)|burdens?|"
        r"accountab\w*|risks?|costs?|expenses?|charge of|care of)\b",
        after,
    ):
        return False  # a burden the Partner carries alone grants it nothing
    if word.startswith("exclusively") and re.match(
        r"^ (?:[\w']+ ){0,3}?(?:open|non proprietary|publicly|public|creative commons|cc by|"
        r"open government|ogl)\b",
        after,
    ):
        return False  # "published exclusively under an open licence" is openness itself
    if word.startswith("exclusively") and not re.search(
        rf"\b(?:data|datasets?|records?|cohorts?|access|accessed|licen[cs]\w*|rights?|"
        rf"{PARTNER_NAME}|available|provided|granted|supplied|shared|disclosed|offered|owned|"
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


def keep_preference(text: str, match: re.Match, context: Context) -> bool:
    # "priority access for the NHS Party" or "most favoured pricing to the NHS" help the NHS.
    if re.match(rf"^ (?:\w+ ){{0,3}}?(?:to|for) {NHS_ENTITY}\b", text[match.end() :]):
        return False
    # "Before first access, each user must be trained" is about time, not priority.
    return not (
        re.match(r"(?:first|early|earlier|advance) ", match.group())
        and re.search(
            r"\b(?:before|after|on|upon|from|until|prior to|following|at|since|"
            r"pending|between|of|by)(?: (?:the|its|their|each|every|any))?(?: \w+'s?)?\s$",
            text[: match.start()],
        )
    )


def object_not_partners(text: str, match: re.Match, context: Context) -> bool:
    """Drop NHS undertakings about the Partner's own confidential material or lawful basis."""
    rest = text[match.start() : match.end() + 160]
    obj = text[match.end() : match.end() + 80]
    if re.match(
        r"^ (?:(?!(?:from|on|in|with|to|through|via|into|onto|out|of|by) )[\w']+ ){0,4}?"
        r"(?:the partner's|partner's|confidential information|trade secrets?|"
        r"source code|background ip|know how of the partner|(?:any |an |the )?(?:exclusive|sole|"
        r"preferential|priority|exclusivity)|(?:any |the |its )?(?:shares|securities|equity|"
        r"stock|warrants|shareholding)\b|(?:to )?(?:any |a |an |the )?(?:variation|amendment|"
        r"change|waiver|modification|extension|renewal)s?\b)",
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


def others_named(text: str, match: re.Match, context: Context) -> bool:
    rest = text[match.end() : match.end() + 160]
    if not re.search(rf"\b{OTHERS}\b|\bother\b", text[match.start() : match.end()] + rest):
        return False
    return object_not_partners(text, match, context)


def nhs_not_controlling(text: str, match: re.Match, context: Context) -> bool:
    """Whether the NHS Party is not the one controlling access.

    "No third party may access the Data without the NHS Party's consent" is the NHS's
    own control, not a lock-out.
    """
    rest = text[match.start() : scope_end(text, match.end()) + 200]
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


def about_foi(text: str, match: re.Match, context: Context) -> bool:
    """ "shall not respond to any FOI request": transparency (principle 4), not a lock-out."""
    return bool(
        re.match(
            r"^ (?:to )?(?:[\w']+ ){0,3}?(?:freedom of information|foia?|eir|environmental "
            r"information|information|subject access|access to information) (?:act )?"
            r"(?:requests?|applications?|enquir(?:y|ies)|regulations)",
            text[match.end() :],
        )
    )


_THEN_NATIONAL = (
    r"\b(?:then|thereafter|after which|following which|subsequently|afterwards|before being|"
    r"prior to|followed by|and then|with a view to|ahead of)\b[^.;]{0,100}?\b(?:nation(?:al|"
    r"ally|wide)|nhs ?wide|across (?:the )?(?:nhs|england)|(?:all|every|other) (?:nhs|trusts?|"
    r"icbs?|regions?|organi[sz]ations?|bod(?:y|ies))|the (?:wider|whole|rest of the) nhs|more "
    r"widely)\b"
)


def then_national(text: str, match: re.Match, context: Context) -> bool:
    """A regional pilot that is then rolled out nationally confines nothing."""
    after = text[match.start() :]
    return bool(compiled(_THEN_NATIONAL).search(after)) and not re.search(
        r"\b(?:subject to|conditional|requires?|only with|at the partner's|consent|approval)\b",
        after,
    )


def local_group(text: str, match: re.Match, context: Context) -> bool:
    """ "only to trusts in Greater Manchester", "confined to patients of the NHS Party"."""
    if compiled(BENEFIT_NOUN).search(text[: match.start()]) is None or then_national(
        text, match, context
    ):
        return False
    start = match.start("place")
    places = [start] + [
        start + found.end()
        for found in re.finditer(r" (?:in|within|of|across|at) ", text[start : start + 60])
    ]
    for at in places:
        if re.match(LOCAL, text[at:]):
            return True
        found = re.match(r"(?:the )?[a-z][\w']*(?: [a-z][\w']*){0,3}", text[at:])
        original = context.original_of(at, at + found.end()) if found else ""
        words = re.sub(r"^the\s+", "", original.strip(), flags=re.I)
        if words[:1].isupper() and not compiled(PLACE_EXCLUDED).match(words):
            return True
    return False


def offer_of_rights(text: str, match: re.Match, context: Context) -> bool:
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


def bound_target(text: str, match: re.Match, context: Context) -> bool:
    target = match.group("target") or ""
    if compiled(NEUTRALISED).search(text, match.end()):
        return False
    return override_applies(target)


def with_benefit_context(text: str, match: re.Match, context: Context) -> bool:
    if then_national(text, match, context):
        return False
    if re.search(r"\b(?:benefit|use|advantage)s? of\b", match.group()):
        return True
    return bool(compiled(BENEFIT_NOUN).search(text))


def benefit_object(text: str, match: re.Match, context: Context) -> bool:
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
    return compiled(BENEFIT_NOUN).search(text) is not None and not re.search(
        r"\b(?:the|any|nhs|patient) data\b", text
    )


def named_place(text: str, match: re.Match, context: Context) -> bool:
    """ "solely within Greater Manchester": a capitalised place in the original words."""
    original = context.original_of(match.start("place"), match.end("place"))
    words = re.sub(r"^the\s+", "", original.strip(), flags=re.I)
    if not words[:1].isupper() or compiled(PLACE_EXCLUDED).match(words):
        return False
    return compiled(BENEFIT_NOUN).search(text) is not None and not then_national(
        text, match, context
    )


def gate_not_nhs(text: str, match: re.Match, context: Context) -> bool:
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


NEUTRALISED = (
    r"\b(?:has|have|shall have|will have) no (?:force or )?effect|\b(?:is|are|shall be|will be)"
    r" (?:void|ineffective|of no (?:force or )?effect|disregarded)|\b(?:clause [\w ]{1,40}|the "
    r"mandatory clauses?|the other clause|this agreement) (?:shall |will )?prevails?\b"
)
PURE_NEGATIVE = r"\b(?:no|not|nothing|neither|never|none)\b|n't\b"


def override_target(text: str, match: re.Match, context: Context) -> bool:
    target = match.group("target") or ""
    if compiled(NEUTRALISED).search(text, match.end()):
        return False
    return override_applies(target)


_STATUTE = (
    r"\b(?:sections?|s|ss|regulations?|reg|articles?|art|paragraphs?|para|schedules?|parts?) "
    r"[\w.()]+ (?:of|to) (?:the )?[\w ()]{1,80}?\b(?:act|regulations?|order|directive|gdpr)"
    r"(?: \d{4})?\b"
)


def disapplied(text: str, match: re.Match, context: Context) -> bool:
    """ "Clause 8 shall not apply", but not "No Benefit may be removed"."""
    # "section 251 of the National Health Service Act 2006 does not apply" states the law;
    # a section of an Act is not a clause of this agreement.
    target = re.sub(_STATUTE, " ", match.group("target") or "")
    if compiled(PURE_NEGATIVE).search(target) or compiled(NEUTRALISED).search(text, match.end()):
        return False
    # The usual exceptions to a confidentiality duty narrow it; they switch nothing off.
    if re.match(r"^ to (?:any )?information (?:that|which)\b", text[match.end() :]):
        return False
    if context.library and not (compiled(CLAUSE_REF).search(target) or "this clause" in target):
        return False  # library wording may state facts ("the opt-out does not apply")
    return override_applies(target)


def override_applies(target: str) -> bool:
    found = topic(target)
    if found:
        # Voiding or waiving exclusivity itself ("any grant of exclusive rights is void")
        # protects the NHS; switching off non-exclusivity does not.
        return not (
            found[0] == 3
            and re.search(r"\bexclusiv", target)
            and not re.search(r"\bnon ?exclusiv", target)
            and not topic(re.sub(r"\bexclusiv\w*", "", target))
        )
    if compiled(OTHER_TOPICS).search(target):
        return False
    return bool(compiled(CLAUSE_REF).search(target))


def prevails_over(text: str, match: re.Match, context: Context) -> bool:
    subject = match.group("subject") or ""
    over = match.group("over") or ""
    # "Nothing in any Schedule ... limits or overrides clause 5" protects the clause.
    if (
        re.match(r"\W*(?:nothing|no|neither|none)\b", text[scope_start(text, match.start()) :])
        or compiled(PURE_NEGATIVE).search(subject)
        or compiled(NEUTRALISED).search(text, match.end())
    ):
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
        return override_applies(over) or bool(re.search(r"\b(?:all|any|every)\b", over))
    return bool(
        re.search(
            r"\b(?:additional|partner's|supplier's|licensee's|side letter|"
            r"order form|statement of work|these terms|this term)\b",
            subject,
        )
    )


def waived_topic(text: str, match: re.Match, context: Context) -> bool:
    target = match.group("target") or ""
    if not topic(target):
        return bool(
            re.search(
                r"\b(?:obligations?|duties|requirements?) under (?:clause|"
                r"schedule)s? \d",
                target,
            )
        ) and not compiled(OTHER_TOPICS).search(target)
    return override_applies(target)


def limited_obligations(text: str, match: re.Match, context: Context) -> bool:
    target = (match.group("pre") or "") + " " + (match.group("target") or "")
    if compiled(PURE_NEGATIVE).search(target) or compiled(NEUTRALISED).search(text, match.end()):
        return False
    return override_applies(target)


CARVE_OUT = (
    r"\b(?:except|save|other than|subject to|without prejudice to|apart from|excluding|"
    r"but not|does not apply to|shall not apply to|not restrict|not prevent|not limit|"
    r"not affect|not prejudice|not derogate from|not override|without limiting|"
    r"without derogating from|nothing in "
    r"(?:this|the) \w+ (?:prevents|restricts|limits|affects))\b[^.;]{0,160}?"
    r"\b(?:transparen\w*|publication|publish\w*|register|freedom of information|foia?|"
    r"disclos\w* (?:the )?existence)\b"
)


def no_transparency_carveout(text: str, match: re.Match, context: Context) -> bool:
    """Confidentiality expressly subject to transparency and publication does not hide."""
    return not context.carve_out


def not_misleading(text: str, match: re.Match, context: Context) -> bool:
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
    return no_transparency_carveout(text, match, context)


def hide_not_patients(text: str, match: re.Match, context: Context) -> bool:
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
    return no_transparency_carveout(text, match, context)


def withholds_the_agreement(text: str, match: re.Match, context: Context) -> bool:
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
    ) and no_transparency_carveout(text, match, context)


def foi_not_consultation(text: str, match: re.Match, context: Context) -> bool:
    """A duty to consult or notify the Partner about a request is allowed; consent is not."""
    rest = text[match.end() : scope_end(text, match.end()) + 120]
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


def agreement_is_subject(text: str, match: re.Match, context: Context) -> bool:
    before = text[scope_start(text, match.start()) : match.start()]
    if not re.fullmatch(
        r"(?:\W*(?:\(?[a-z0-9]{1,4}\)|\d+(?:\.\d+)*)?\W*)?(?:(?:the parties|each party|both "
        r"parties|the partner|the nhs party) (?:agree|acknowledge|confirm|accept)s? that )?"
        r"(?:the (?:existence|terms|contents?|fact|details|nature) (?:and \w+ )?of )?",
        before.strip() + (" " if before.strip() else ""),
    ):
        return False
    return no_transparency_carveout(text, match, context)
