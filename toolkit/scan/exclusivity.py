"""Rules of principle 3: exclusive, sole, first-refusal and preferential rights."""

from __future__ import annotations

import re

from toolkit.scan.predicates import (
    Context,
    keep_preference,
    not_benign_exclusive,
    object_not_partners,
    offer_of_rights,
)
from toolkit.scan.rule import EXCLUSIVE_HINT, Rule
from toolkit.scan.vocabulary import (
    GRANT_NOUNS,
    PARTNER_ENTITY,
)


def not_partners_own(text: str, match: re.Match, context: Context) -> bool:
    """NHS data kept for the Partner alone, not the Partner's own secrets kept for it."""
    if re.search(
        r"\b(?:partner's|company's|licensee's|supplier's) (?:own )?(?:confidential|trade|source|"
        r"background|commercially sensitive|pricing|know how)|confidential information of the "
        r"partner|trade secrets?",
        text[: match.start()],
    ):
        return False
    return object_not_partners(text, match, context)


RULES = (
    Rule(
        "exclusive",
        3,
        (
            r"\b(?P<prefix>(?:semi|co|quasi|de facto|effective|virtual) ?)?"
            # French and Welsh too: "droit exclusif", "hawl ecsgliwsif", "trwydded
            # unigryw"; and the thing itself, a monopoly.
            r"(?P<word>exclusi[vf]\w*|exklusiv\w*|esclusiv\w*|ecsgliwsi\w*|unigryw\w*|"
            r"monopol\w*)\b"
        ),
        "grants exclusive rights",
        EXCLUSIVE_HINT,
        conditional=True,
        holder=True,
        check=not_benign_exclusive,
        refuse=(
            "This is an exclusive arrangement.",
            "This arrangement is semi-exclusive.",
            "The Partner shall have an ex-clusive licence.",
        ),
        accept=(
            "There is no exclusivity.",
            "The licence is non-exclusive.",
            "The licence is non exclusive.",
        ),
    ),
    Rule(
        "sole",
        3,
        (
            rf"\bsole (?:and exclusive )?(?:and only )?{GRANT_NOUNS}\b|"
            rf"\bsolely (?:to|with|by|for the (?:benefit|use) of|available to|accessible (?:to|by))"
            rf" {PARTNER_ENTITY}(?!'s|s')|"
            rf"\bthe (?:only|sole|exclusive) (?:party|organi[sz]ation|company|entity|person|"
            rf"commercial \w+|recipient|licensee|user|provider|partner|developer|supplier|one)"
            rf" (?:\w+ ){{0,2}}?(?:permitted|entitled|allowed|able|authori[sz]ed|to|who|that|"
            rf"which|with)\b"
        ),
        "grants sole rights",
        EXCLUSIVE_HINT,
        conditional=True,
        holder=True,
        refuse=(
            "The Partner shall have a sole and ex-clusive licence to the Data.",
            "The Trust hereby grants to the Licensee a sole licence to the Data.",
            "The Partner shall be the NHS Party's sole data partner for AI development.",
        ),
        accept=(
            "The NHS Party retains sole control of the Data.",
            "The NHS Party is the sole controller of the Data.",
            "The NHS Party shall have the sole right to decide who may access the Data.",
        ),
    ),
    Rule(
        "first_refusal",
        3,
        (
            r"\b(?:(?:right|rights|option) of first (?:refusal|negotiation|offer|look|option|"
            r"notice|access)|first (?:right|option) (?:of|to) (?:refus\w*|negotiat\w*|offer|"
            r"acquire|licen[cs]e|access|match|purchase|obtain)|first refusal|first negotiation|"
            r"first look|last look|(?:right|opportunity|option|chance) to match|matching rights?|"
            r"(?:an |any )?option (?:over|on|"
            r"to (?:acquire|license|licence|access|obtain|purchase)) (?:\w+ ){0,3}?(?:data|"
            r"datasets?|cohorts?|records?|future|further|additional))\b"
        ),
        "grants a right of first refusal or negotiation",
        EXCLUSIVE_HINT,
        conditional=True,
        holder=True,
        refuse=(
            "The Partner shall have a right of first refusal.",
            "The Partner has a right of first offer on any new dataset.",
            "The Partner shall have a last look at any competing proposal.",
        ),
        accept=(
            "The Partner shall have no right of first refusal.",
            "The Partner has no right of first refusal or priority access.",
            "The NHS Party shall have a right of first refusal over any new product.",
        ),
    ),
    Rule(
        "first_offer",
        3,
        (
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
        EXCLUSIVE_HINT,
        conditional=True,
        check=offer_of_rights,
        refuse=(
            "Any new data release shall first be offered to the Partner.",
            "The Partner may counter any offer the Trust receives for the Data.",
            "The Trust shall offer any new imaging dataset to the Partner first.",
        ),
        accept=("The Trust shall first offer the Partner a place on the steering group.",),
    ),
    Rule(
        "preferential",
        3,
        (
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
        EXCLUSIVE_HINT,
        conditional=True,
        holder=True,
        check=keep_preference,
        refuse=(
            "The Partner shall have preferred access to the Data.",
            "The Partner shall have preferen-tial access to the Data.",
            "The Partner shall have priority access to all new imaging data.",
        ),
        accept=(
            "The Trust shall have early sight of any draft publication.",
            "The Partner shall offer the NHS most favoured customer pricing.",
            "The Partner shall not be entitled to any preferential access to the Data.",
        ),
    ),
    Rule(
        "only_partner",
        3,
        (
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
        EXCLUSIVE_HINT,
        refuse=(
            "The Data shall be ring-fenced for the Partner.",
            "The Data shall be made available only to the Partner.",
            "Only the Partner may use the Data to train commercial models.",
        ),
        accept=(),
    ),
    Rule(
        "partner_alone",
        3,
        (
            rf"\b{PARTNER_ENTITY},? alone,? (?:[\w']+ ){{0,2}}?(?:may|can|shall|will|is|are|has|"
            rf"have|receives?|obtains?|gets?|holds?|enjoys?|accesses|uses|holding|having|owning|"
            rf"controlling|receiving|accessing|using)\b(?! (?:be )?"
            rf"(?:responsible|liable|accountable|answerable|bear|bears|pay|pays|meet|fund|"
            rf"indemnif\w*|insure)\b)|"
            rf"\b(?:anyone|anybody|everyone|everybody|others|any(?: other)? (?:one|person|party|"
            rf"organi[sz]ation|company|entity|body|business|firm|third party|user)|all (?:other )?"
            rf"(?:persons|parties|organi[sz]ations|companies|entities|bodies|businesses|firms|"
            rf"users)) (?:but|except|other than|apart from|save|besides|excluding|bar) "
            rf"{PARTNER_ENTITY}(?!'s|s')|"
            rf"\b(?:none|no one|nobody|no other) (?:\w+ )?but {PARTNER_ENTITY}|"
            rf"\b{PARTNER_ENTITY} and no(?: one|body| other [\w']+) else\b|"
            rf"\b{PARTNER_ENTITY} and no other\b|\bfor {PARTNER_ENTITY}(?:'s)? eyes only\b"
        ),
        "reserves NHS data to the Partner alone",
        EXCLUSIVE_HINT,
        negatable=False,
        check=not_partners_own,
        refuse=(
            "The Partner alone may access the imaging archive.",
            "The Data shall not be licensed to anyone but the Partner.",
            "Access is for the Company's eyes only.",
            "The cohort will be offered to the Partner and no one else.",
        ),
        accept=(
            "The Partner alone is responsible for the clinical safety of the product.",
            "The Partner alone shall bear the cost of the secure data environment.",
            "The NHS Party shall not disclose the Partner's confidential information to anyone "
            "other than the Partner.",
        ),
    ),
)
