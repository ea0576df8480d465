"""Rules of principles 1 and 3: benefits confined to one place or body, or made soft."""

from __future__ import annotations

import re

from toolkit.scan.normalise import compiled
from toolkit.scan.predicates import (
    Context,
    benefit_object,
    gate_not_nhs,
    local_group,
    named_place,
    then_national,
    with_benefit_context,
)
from toolkit.scan.rule import BENEFIT_HINT, BENEFIT_SOFT_HINT, Rule
from toolkit.scan.vocabulary import (
    BENEFIT_NOUN,
    LOCAL,
    NEG_MODAL,
    NHS_ENTITY,
    NHS_NAME,
    NHS_SUBJECT,
    OTHER_NHS,
    PLACE_EXCLUDED,
    REGION_NAMES,
)


def benefit_is_personal(text: str, match: re.Match, context: Context) -> bool:
    """ "The licence is personal to the Trust", unless it is then rolled out nationally."""
    return compiled(BENEFIT_NOUN).search(text[: match.start()]) is not None and not then_national(
        text, match, context
    )


def local_who(text: str, match: re.Match, context: Context) -> bool:
    """ "patients of the Trust only", "Leeds residents only": a named body or place, and a "
    "benefit."""
    who = match.group("who")
    if compiled(BENEFIT_NOUN).search(text) is None or then_national(text, match, context):
        return False
    if re.search(
        r"\b(?:data|dataset|datasets|records|cohort|extract)\b", text[: match.start()]
    ) and not re.search(
        r"\b(?:available|deployed|offered|provided|applies|apply|free|"
        r"discount\w*|licen[cs]e)\b",
        text,
    ):
        return False  # "The Data covers patients of the Trust only" is scope, not a benefit
    if re.search(rf"\b(?:{NHS_NAME}|{REGION_NAMES})\b", who) or re.search(LOCAL, who):
        return True
    original = context.original_of(match.start("who"), match.end("who"))
    return any(
        word[:1].isupper() and not compiled(PLACE_EXCLUDED).match(word)
        for word in original.split()[1:] + original.split()[:1]
        if word.lower() not in ("the", "patients", "residents", "people", "staff", "users")
    )


RULES = (
    Rule(
        "benefit_local",
        3,
        (
            rf"\b(?:only|solely|exclusively|purely|just|entirely) (?:for|to|within|in|at|by|"
            rf"across|among|amongst) (?:the )?(?:(?:benefit|use|advantage|patients?|population|"
            rf"residents) (?:of |by )?(?:the )?)?{LOCAL}|\b(?:covers?|benefits?|serves?|includes?|"
            rf"reach(?:es)?) (?:only|solely|exclusively) (?:the )?{LOCAL}|"
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
        BENEFIT_HINT,
        check=with_benefit_context,
        refuse=(
            "The Tool is for use only by the Trust.",
            "The benefits are for the Trust's patients alone.",
            "Only patients of the Trust shall benefit from the Product.",
        ),
        accept=(
            "The Partner shall report only to the Trust.",
            (
                "The Product shall initially be deployed only within the Trust and thereafter made "
                "available across the NHS."
            ),
        ),
    ),
    Rule(
        "benefit_named_place",
        3,
        (
            r"\b(?:only|solely|exclusively|purely|entirely) (?:within|in|across|to) "
            r"(?P<place>(?:the )?[a-z][\w']*(?: [a-z][\w']*){0,3})"
        ),
        "confines the benefits to one area",
        BENEFIT_HINT,
        check=named_place,
        refuse=(
            "The in-kind licence applies only to the Trust's hospitals.",
            "The Product may be used only within the West Yorkshire ICB area.",
            "Discounted pricing is available exclusively to GP practices in Leeds.",
        ),
        accept=(
            "The Data shall be used only within the Trust's SDE.",
            "The Data shall be processed solely within the United Kingdom.",
            "The Partner shall provide training only to staff of the Trust.",
        ),
    ),
    Rule(
        "benefit_limited_to",
        3,
        (
            rf"\b(?:limited|restricted|confined|exclusive|reserved) to (?:the )?(?:(?:use|benefit)"
            rf" (?:of|by) (?:the )?)?{LOCAL}"
        ),
        "confines the benefits to one organisation or area",
        BENEFIT_HINT,
        check=with_benefit_context,
        refuse=(
            "The discount is limited to the NHS Party.",
            "Use of the Product shall be restricted to the Trust's ICS.",
            "The licence is restricted to the Humber and North Yorkshire ICS area.",
        ),
        accept=(),
    ),
    Rule(
        "benefit_group_local",
        3,
        (
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
        BENEFIT_HINT,
        check=local_group,
        refuse=(
            "The discount is reserved for trusts in the Midlands.",
            "The free licence shall be restricted to hospitals in Kent.",
            "The Product shall be supplied only to NHS trusts in the South West.",
        ),
        accept=(
            "Access to the Data is restricted to staff of the Trust.",
            (
                "The pilot shall run only at sites in Leeds before being offered to all NHS "
                "organisations on the same terms."
            ),
        ),
    ),
    Rule(
        "benefit_personal",
        3,
        (
            rf"\b(?:is|are|shall be|will be|remains?|shall remain|will remain) personal to "
            rf"{NHS_ENTITY}\b"
        ),
        "confines the benefits to one organisation",
        BENEFIT_HINT,
        check=benefit_is_personal,
        refuse=(
            "The benefits are personal to the Trust.",
            "The licence is personal to the NHS Party and is not transferable to other NHS bodies.",
            (
                "The in-kind benefit is personal to the NHS Party and may not be extended "
                "to any other"
                " NHS body."
            ),
        ),
        accept=(),
    ),
    Rule(
        "other_nhs_full_price",
        3,
        (
            rf"(?:\b{OTHER_NHS}|\b(?:nhs |other )?(?:organi[sz]ations?|trusts?|bod(?:y|ies)|icbs?|"
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
            rf" be|will be) (?:payable|charged) by) {OTHER_NHS}|\b(?:discount|saving|free "
            rf"licen[cs]e|concession|preferential price|reduced price|benefit)s?(?: [\w']+)"
            rf"{{0,6}}? (?:(?:shall|will|does|do|is to|are to)(?: not|n't) (?:apply|extend|be "
            rf"extended|be available) to|(?:is|are|shall be|will be) not (?:available|extended) to)"
            rf" {OTHER_NHS}"
        ),
        "charges the rest of the NHS more than the NHS Party for the benefits",
        BENEFIT_HINT,
        negatable=False,
        refuse=(
            "Other ICBs shall be charged the full licence fee.",
            "The discount shall not apply to other NHS organisations.",
            "The Partner's list price shall apply to any other NHS body.",
        ),
        accept=(),
    ),
    Rule(
        "benefit_not_elsewhere",
        3,
        (
            rf"\b(?:(?:shall|will|may|must|is to|are to|can)(?: not|n't)|cannot) (?:\w+ ){{0,3}}?"
            rf"(?:be )?(?:made available|available|offered|provided|supplied|licen[cs]ed|sold|"
            rf"rolled out|deployed|extended|shared|used|distributed|marketed|implemented|adopted|"
            rf"accessible|given|disclosed|transferred|spread|scaled|applied|provide|offer|supply|"
            rf"make available|license|licence|extend|deploy|roll out|sell|share|give) "
            rf"(?:[\w']+ ){{0,4}}?(?:to|by|in|across|within|with|for|at|throughout) {OTHER_NHS}|"
            rf"\b(?:(?:shall|will|may|must|is to|are to|can)(?: not|n't)|cannot) (?:\w+ ){{0,2}}?"
            rf"(?:be )?(?:made available|available|offered|provided|supplied|rolled out|deployed|"
            rf"extended|used|applied|implemented|adopted) (?:nationally|nationwide|more widely|"
            rf"elsewhere|beyond (?:the )?{LOCAL})|\b(?:may|can|shall be entitled to|is entitled "
            rf"to|reserves the right to) (?:\w+ )?(?:refuse|decline|withhold) (?:\w+ ){{0,3}}?"
            rf"(?:to|from) (?:[\w']+ ){{0,5}}?{OTHER_NHS}|\bno other (?:nhs )?(?:bod(?:y|ies)|"
            rf"trusts?|"
            rf"organi[sz]ations?|icbs?|hospitals?|practices?|regions?|commissioners?|providers?)\b"
            rf"(?: [\w']+){{0,3}}? (?:may|shall|will|can) (?:\w+ ){{0,3}}?(?:use|benefit|access|"
            rf"receive|deploy|adopt|have|obtain|be given|be offered|be provided|be supplied)\b"
        ),
        "stops the benefits reaching the rest of the NHS",
        BENEFIT_HINT,
        check=benefit_object,
        refuse=(
            "The Product shall not be rolled out nationally.",
            "The algorithm shall not be made available to other NHS bodies.",
            "The Company may refuse to license the Product to any other NHS body.",
        ),
        accept=(),
    ),
    Rule(
        "national_gated",
        3,
        (
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
        BENEFIT_HINT,
        negatable=False,
        check=gate_not_nhs,
        refuse=(
            "Wider NHS adoption of the Tool is conditional on the Partner's agreement.",
            "Use of the Tool by other NHS trusts shall be subject to a separate licence fee.",
            "Roll-out to other trusts is subject to commercial negotiation with the Partner.",
        ),
        accept=(),
    ),
    Rule(
        "national_gated_reverse",
        3,
        (
            r"\b(?P<gate>(?:the partner's|partner) (?:prior |written |express )*(?:consent|"
            r"approval|agreement|permission))\b[^.;]{0,40}?(?:required|needed|necessary)?"
            r"[^.;]{0,40}?(?:before|for|to) (?:\w+ ){0,4}?(?:nation(?:al|ally|wide)|wider|other "
            r"(?:nhs|trusts?|icbs?|regions?|organi[sz]ations?)|roll(?:ed|ing)? ?out|deploy\w*|"
            r"extend\w*|expan\w*)"
        ),
        "makes wider NHS use of the benefits depend on the Partner's consent",
        BENEFIT_HINT,
        negatable=False,
        refuse=(
            "The Partner's prior written consent is required before any national roll-out of the "
            "Product.",
        ),
        accept=(),
    ),
    Rule(
        "nhs_not_spread",
        3,
        (
            rf"\b{NHS_SUBJECT} (?:[\w']+ ){{0,2}}?{NEG_MODAL} (?:seek|promote|support|"
            rf"facilitate|encourage|enable|permit|allow|pursue|share|spread) (?:\w+ ){{0,3}}?"
            rf"(?:national|wider|nhs ?wide|other (?:nhs|trusts?|icbs?|regions?|organi[sz]ations?))"
        ),
        "stops the NHS Party spreading the benefits across the NHS",
        BENEFIT_HINT,
        negatable=False,
        refuse=("The NHS Party shall not promote national adoption of the alerting tool.",),
        accept=(),
    ),
    Rule(
        "benefits_soft",
        1,
        (
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
        BENEFIT_SOFT_HINT,
        negatable=False,
        refuse=(
            "The benefit targets are indicative only.",
            "The benefits are aspirational and not legally binding.",
            "The Partner shall have no obligation to achieve the benefits.",
        ),
        accept=(),
    ),
    Rule(
        "benefit_only_local",
        3,
        (
            rf"\b(?P<who>(?:patients?|residents?|populations?|people|citizens|communities|staff|"
            rf"clinicians|hospitals?|sites?|practices?|users?)\b(?: [\w'&]+){{0,6}}?|"
            rf"{NHS_ENTITY}(?:'s (?:own )?[\w']+)?|(?:the )?{REGION_NAMES}(?: [\w']+)?) "
            rf"(?:only|alone|exclusively|solely)\b(?! (?:to|for|by|as|with|if|when|where|after|"
            rf"until|in accordance|on|under|within|and)\b)"
        ),
        "confines the benefits to one organisation or area",
        BENEFIT_HINT,
        check=local_who,
        refuse=(
            "The free licence is available to patients of the Trust only.",
            "The discount applies to Leeds residents only.",
            "The alerting tool will be deployed for the ICB's population alone.",
        ),
        accept=(
            "The Data covers patients of the Trust only.",
            "The app is for use by patients only.",
        ),
    ),
    Rule(
        "benefit_no_duty_elsewhere",
        3,
        (
            r"\b(?:(?:is|are|shall be|will be) (?:not|under no) (?:required|obliged|obligated|"
            r"bound|obligation)|need not|has no obligation|have no obligation|shall have no "
            r"obligation|under no obligation|not (?:be )?(?:required|obliged))\b(?: to)? "
            r"(?:\w+ ){0,4}?(?:offer|provide|supply|make(?: [\w']+){0,3}? available|extend|deploy|"
            r"roll out|license|"
            r"licence|sell|give|share|apply)\b[^.;]{0,80}?\b(?:outside|beyond|elsewhere|other than "
            r"(?:in|to)|except (?:to|in)|to (?:any )?(?:other|another|further|the rest|the wider)|"
            r"nationally|more widely|across the nhs|other nhs|other (?:trusts?|icbs?|regions?|"
            r"areas?))\b"
        ),
        "leaves the rest of the NHS without the benefits",
        BENEFIT_HINT,
        negatable=False,
        check=benefit_object,
        refuse=(
            "The Partner is not required to offer the Product outside the North West.",
            "The Company need not make the discount available to other trusts.",
            "The Partner is under no obligation to extend the free licence beyond London.",
        ),
        accept=("The Partner is not required to provide the Data to any other party.",),
    ),
    Rule(
        "other_nhs_any_price",
        3,
        (
            rf"\b(?:charge|charges|charging|price|prices|pricing|invoice|bill)\b (?:[\w']+ "
            rf"){{0,3}}?"
            rf"{OTHER_NHS}\b(?: [\w']+){{0,4}}? (?:whatever|any (?:price|fee|amount|rate|sum|"
            rf"charge)|such (?:price|prices|fees?|rates?|amounts?|sums?|terms) as|at (?:its|the "
            rf"partner's) (?:sole |absolute |own )?discretion|as (?:it|the partner) (?:sees|thinks|"
            rf"deems) fit|freely|without (?:restriction|limit|any (?:limit|cap|restriction))|on "
            rf"its "
            rf"own terms|what(?:ever)? it (?:likes|wishes|wants|chooses))|"
            rf"\b(?:price|prices|pricing|fees?|charges?|terms)\b (?:[\w']+ ){{0,4}}?(?:for|to|"
            rf"charged to|payable by|offered to) {OTHER_NHS}\b(?: [\w']+){{0,4}}? (?:(?:is|are|"
            rf"shall "
            rf"be|will be) (?:at|in|for|a matter for) (?:the |its )?(?:partner's |sole |absolute |"
            rf"own )*discretion|(?:is|are|shall be|will be) (?:set|determined|decided|fixed) (?:by "
            rf"the partner|freely|unilaterally|at its discretion)|(?:is|are|shall be|will be) "
            rf"(?:unrestricted|uncapped|unregulated))"
            rf"|\b(?:set|charge|fix|determine|decide|choose|name)\w* (?:any|whatever|such) "
            rf"(?:price|prices|fee|fees|rate|rates|amount|charges?)(?: [\w']+){{0,4}}? "
            rf"(?:for|to|from|on) {OTHER_NHS}"
        ),
        "lets the Partner charge the rest of the NHS whatever it likes for the benefits",
        BENEFIT_HINT,
        negatable=False,
        refuse=(
            "The Partner may charge any other NHS organisation whatever price it chooses.",
            "Pricing for other trusts shall be at the Partner's sole discretion.",
            "The Company may price the tool to other NHS bodies as it sees fit.",
        ),
        accept=("The Partner shall charge other NHS bodies no more than the price in Schedule 2.",),
    ),
)
