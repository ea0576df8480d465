"""Rules of principle 3: lock-outs of other partners and lock-in to the Partner."""

from __future__ import annotations

import re

from toolkit.scan.predicates import (
    Context,
    about_foi,
    nhs_not_controlling,
    object_not_partners,
    others_named,
)
from toolkit.scan.rule import LOCKIN_HINT, LOCKOUT_HINT, Rule
from toolkit.scan.vocabulary import (
    NEG_MODAL,
    NHS_ENTITY,
    NHS_SUBJECT,
    OTHERS,
    PARTNER_ENTITY,
    PARTNER_NAME,
)


def nhs_refuses_others(text: str, match: re.Match, context: Context) -> bool:
    """ "The NHS Party shall not share the Data with any other party", not its FOI duty."""
    return (
        bool(
            re.search(
                r"\b(?:not|n't|cannot|refrain|abstain|prohibited|restricted|precluded|"
                r"prevented)\b|\b(?:no|neither) ",
                match.group(),
            )
        )
        and others_named(text, match, context)
        and not about_foi(text, match, context)
    )


def embargo_on_others(text: str, match: re.Match, context: Context) -> bool:
    """An embargo counts only when it shuts other parties out."""
    return not match.group().startswith("embargo") or bool(
        re.search(rf"\b{OTHERS}\b|\bother\b", text)
    )


PLATFORM = (
    r"(?:cloud|platforms?|infrastructure|systems?|environment|servers?|software|tools?|"
    r"technology|stack|products?|services?|ecosystem|data centres?|tenancy|tenant|hosting|"
    r"storage|apis?|formats?)\b"
)


def shuts_out_others(text: str, match: re.Match, context: Context) -> bool:
    """Other companies shut out of NHS data; not the Partner's own duty not to pass it on."""
    others = match.group("others")
    if not re.search(
        r"\b(?:other|rival|competing|competitors?|rivals?|all|every|anyone else|everyone else|"
        r"everybody else|others|industry|market)\b",
        others,
    ):
        return False  # a bare "third party" is the ordinary duty of confidence
    before = text[: match.start()]
    if re.search(
        rf"\b{PARTNER_ENTITY} (?:\w+ ){{0,3}}?(?:shall|will|must|may|agrees|undertakes)", before
    ) and not re.search(rf"\b{NHS_ENTITY}\b", before):
        return False  # the Partner keeping the Data from others protects it
    rest = text[match.end() : match.end() + 160]
    if re.search(r"\b(?:except|unless|save|other than)\b", rest) and not re.search(
        rf"\b{PARTNER_ENTITY}", rest
    ):
        return False  # "except under an approved data access agreement"
    return object_not_partners(text, match, context)


def unqualified_refusal(text: str, match: re.Match, context: Context) -> bool:
    """Turning away every other request, not refusing those that fail a standard."""
    rest = text[match.end() : match.end() + 80]
    return not re.match(
        r"^(?: [\w']+){0,3}? (?:that|which|who|whose|unless|if|where|without|not|failing|fails?|"
        r"does not|do not|in breach)\b",
        rest,
    )


def tied_in(text: str, match: re.Match, context: Context) -> bool:
    """Hosting on the Partner's platform locks in only when it is for good, or for all."""
    return bool(
        re.search(
            r"\b(?:all|every|entire|whole|only|solely|exclusively|for the (?:term|duration|life)|"
            r"throughout|for (?:at least |a (?:minimum )?(?:period of )?)?[\w]+ (?:years?|"
            r"months?)|minimum (?:term|period|commitment)|no other|any other|remain|remains|"
            r"permanently|indefinitely|until|tied|locked|bound|committed|wedded|captive)\b",
            text,
        )
    )


RULES = (
    Rule(
        "no_other_party",
        3,
        (
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
        LOCKOUT_HINT,
        check=nhs_not_controlling,
        refuse=(
            "No other party may access the Data during the Term.",
            "No third party shall be granted access to the Data for 12 months.",
        ),
        accept=(
            (
                "No third party shall have access to the Data without the NHS Party's prior"
                " written "
                "consent."
            ),
        ),
    ),
    Rule(
        "nhs_shall_not_share",
        3,
        (
            rf"\b{NHS_SUBJECT} (?:[\w']+ ){{0,4}}?(?:{NEG_MODAL}|(?:shall|will|may|must))"
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
        LOCKOUT_HINT,
        check=nhs_refuses_others,
        refuse=(
            "The NHS Party shall not provide the Data to any third party.",
            "The NHS Party shall not negotiate with any competitor of the Partner.",
            "The Trust agrees not to license the dataset to any competitor of the Partner.",
        ),
        accept=(
            "Other NHS bodies may use the Product at no more than the price paid by the Trust.",
            "The Trust shall offer the Partner's staff an induction before they access the SDE.",
            (
                "The Trust may share the Data with any other party, including competitors of the "
                "Partner."
            ),
        ),
    ),
    Rule(
        "nhs_only_with_partner",
        3,
        (
            rf"\b{NHS_SUBJECT} (?:shall|will|must|agrees to|undertakes to|commits to)"
            rf"(?: [\w']+){{0,6}}? (?:only|exclusively|solely) (?:[\w']+ ){{0,3}}?with "
            rf"{PARTNER_ENTITY}|\b{NHS_SUBJECT} (?:shall|will|must|agrees to|undertakes to) "
            rf"(?:only|exclusively|solely) (?:deal|work|partner|collaborate|contract|engage|"
            rf"negotiate|share)"
        ),
        "commits the NHS Party to deal only with the Partner",
        LOCKOUT_HINT,
        refuse=(
            (
                "For the Term, the NHS Party shall deal only with the Partner in respect of AI "
                "development using the Data."
            ),
        ),
        accept=(),
    ),
    Rule(
        "restrict_nhs",
        3,
        (
            rf"\b(?:restrict|restricts|prevent|prevents|prohibit|prohibits|preclude|precludes|"
            rf"stop|stops|bar|bars|limit|limits|veto|object to|approve) (?:\w+ )?{NHS_ENTITY}"
            rf"(?:'s|s')? (?:from )?(?:sharing|providing|licensing|making|working|collaborating|"
            rf"partnering|dealing|entering|negotiating|granting|disclosing|supplying|offering|"
            rf"releasing|using the data|using any data)\b"
        ),
        "lets the NHS Party be stopped from sharing its data or working with others",
        LOCKOUT_HINT,
        refuse=("The Partner may restrict the NHS Party from sharing the Data with others.",),
        accept=(
            "Nothing prevents the NHS Party from sharing the Data with third parties.",
            "The Partner waives any right to object to the NHS Party sharing the Data with others.",
            (
                "Nothing in this clause prevents the NHS Party from disclosing the "
                "existence of this "
                "Agreement."
            ),
        ),
    ),
    Rule(
        "lockout_words",
        3,
        (
            r"\b(?:lock ?outs?|no ?shop|non ?solicitation of (?:other )?(?:offers|partners|bids|"
            r"proposals)|stand ?still|(?:non ?compete|non ?competition) (?:\w+ ){0,3}?"
            r"(?:nhs party|trust)|exclusivity period|embargo\w*)\b"
        ),
        "imposes a lock-out or standstill",
        LOCKOUT_HINT,
        check=embargo_on_others,
        refuse=(
            "The parties agree a six month lock-out period.",
            (
                "During the Exclusivity Period the Trust will not engage in discussions "
                "with any other"
                " prospective data partner."
            ),
        ),
        accept=(),
    ),
    Rule(
        "only_through_platform",
        3,
        (
            rf"\b(?:only|solely|exclusively)\b(?: [\w']+){{0,4}}? (?:through|via|using|by means "
            rf"of|on|in|within|from|with|by) (?:the |a |an )?(?:(?:{PARTNER_NAME}(?:'s|s')|its "
            rf"(?=proprietary|own)|their (?=proprietary|own))(?: own)?(?: proprietary| closed| "
            rf"hosted)?|proprietary|closed) (?:\w+ )?(?:platforms?|apis?|gateways?|portals?|"
            rf"systems?|software|interfaces?|environments?|cloud|infrastructure|tools?|"
            rf"applications?|apps?|formats?|technolog(?:y|ies)|networks?|data models?|schemas?|"
            rf"viewers?|services?|products?|solutions?)\b|\b{PARTNER_NAME}(?:'s|s') (?:\w+ )?"
            rf"(?:platform|api|gateway|portal|system|software|interface|environment|cloud|format)"
            rf" (?:\w+ ){{0,2}}?(?:is|shall be|will be|remains?) the (?:only|sole|exclusive) "
            rf"(?:means|route|channel|gateway|way|method|interface|platform)"
        ),
        "ties the NHS to the Partner's platform or format",
        LOCKIN_HINT,
        refuse=(
            "The Trust may only access the results via the Company's cloud portal.",
            "The NHS Party may access the Outputs only through the Partner's platform.",
        ),
        accept=(),
    ),
    Rule(
        "proprietary_format",
        3,
        (
            r"\bproprietary (?:[\w']+ )?(?:formats?|file formats?|standards?|protocols?|schemas?|"
            r"data models?|encodings?|data structures?|codings?|terminolog(?:y|ies))\b"
        ),
        "requires a proprietary format or standard",
        LOCKIN_HINT,
        refuse=(
            "The Outputs will be delivered in the Partner's proprietary format.",
            "Data must be submitted using the Partner's proprietary data schema.",
            "All Outputs shall be supplied in the Partner's proprietary file format.",
        ),
        accept=(
            "The Partner shall not use proprietary formats.",
            (
                "The Partner shall use open standards and shall provide the Outputs in a non-"
                "proprietary format."
            ),
        ),
    ),
    Rule(
        "no_export",
        3,
        (
            rf"\b{NHS_SUBJECT} (?:[\w']+ ){{0,2}}?(?:shall|will|may|must|is|are|can)(?: not|n't)"
            rf" (?:\w+ ){{0,3}}?(?:export|extract|migrate|port|download|retrieve|take|move|"
            rf"remove|transfer|copy|obtain|switch|change supplier)\b|\b(?:data|outputs?|results?|"
            rf"models?|records?|information|nhs data|derived data|its data)\b(?: [\w']+){{0,6}}? "
            rf"(?:held|stored|hosted|processed|residing|kept|generated|created) (?:on|in|within|by)"
            rf" (?:the )?{PARTNER_NAME}(?:'s|s')? (?:\w+ ){{0,2}}?(?:platform|systems?|cloud|"
            rf"infrastructure|environment|software|servers?)\b[^.;]{{0,60}}?(?:may|shall|will|can|"
            rf"must)(?: not|n't) (?:\w+ ){{0,2}}?(?:be )?(?:exported|extracted|migrated|ported|"
            rf"downloaded|retrieved|transferred|returned|copied|moved|removed)|\b(?:partner|it) "
            rf"(?:may|shall be entitled to|will) (?:charge|levy|invoice) (?:\w+ ){{0,4}}?"
            rf"(?:for|on) (?:the |any )?(?:export|migration|extraction|return|transfer|"
            rf"portability|exit)"
        ),
        "stops the NHS taking its data or outputs elsewhere",
        LOCKIN_HINT,
        check=object_not_partners,
        refuse=(
            "Data held on the Partner's platform may not be exported.",
            "The NHS Party may not export the Outputs from the Partner's platform.",
            "The Partner may charge a fee for the export of the Data at the end of the Term.",
        ),
        accept=(),
    ),
    Rule(
        "no_open_standards",
        3,
        (
            r"\b(?:no|not (?:be )?(?:under any|required|obliged)|not have any|without any|is not "
            r"required|shall not be required|will not be required|has no|have no|need not)\b"
            r"(?: [\w']+){0,3}? (?:to )?(?:[\w']+ ){0,2}?(?:provide|support|use|adopt|comply with|"
            r"maintain|offer|enable|implement|follow|publish|make available|allow)\b(?: [\w']+)"
            r"{0,3}? (?:open (?:standards?|apis?|formats?|interfaces?)|interoperab\w*|exports?|"
            r"data portability|portability|migration|fhir|hl7|snomed|machine readable|standard "
            r"formats?|non proprietary)"
        ),
        "releases the Partner from open standards and interoperability",
        LOCKIN_HINT,
        negatable=False,
        refuse=("The Partner is not required to support open standards or interoperability.",),
        accept=(),
    ),
    Rule(
        "nhs_must_buy",
        3,
        (
            rf"\b{NHS_SUBJECT} (?:[\w']+ ){{0,2}}?(?:shall|will|must|agrees to|undertakes to|"
            rf"commits to|is required to|is obliged to) (?:\w+ ){{0,2}}?(?:use|procure|purchase|"
            rf"buy|adopt|license|licence|deploy|subscribe to|source|obtain) (?:\w+ ){{0,4}}?"
            rf"(?:only|exclusively|solely)\b|\b{NHS_SUBJECT} (?:[\w']+ ){{0,2}}?(?:shall|will|"
            rf"must|agrees to|undertakes to) (?:only|exclusively|solely) (?:use|procure|purchase|"
            rf"buy|adopt|license|deploy|subscribe to|source)\b|\b{NHS_SUBJECT} (?:[\w']+ ){{0,2}}?"
            rf"{NEG_MODAL} (?:\w+ ){{0,1}}?(?:use|procure|purchase|buy|adopt|license|licence|"
            rf"deploy|develop|build|evaluate|trial|pilot|commission|subscribe to|source) "
            rf"(?:\w+ ){{0,3}}?(?:other|competing|competitor'?s?|alternative|rival|third party|"
            rf"similar|comparable|equivalent|substitute)\b|\b{NHS_SUBJECT} (?:[\w']+ ){{0,2}}?"
            rf"(?:shall|will|must|agrees to|undertakes to|commits to) (?:\w+ ){{0,2}}?(?:purchase|"
            rf"procure|buy|subscribe to) (?:\w+ ){{0,5}}?(?:from {PARTNER_ENTITY}|"
            rf"{PARTNER_NAME}(?:'s|s') (?:products?|software|services?|platform|licen[cs]es?))|"
            rf"\b(?:vendor )?lock ?in\b"
        ),
        "ties the NHS Party to the Partner's products",
        LOCKIN_HINT,
        refuse=(
            "The Trust shall not use any competing software during the Term.",
            "The Trust undertakes not to procure any competing product during the Term.",
            (
                "The NHS Party agrees to purchase licences for the Product from the Partner"
                " for five "
                "years."
            ),
        ),
        accept=(),
    ),
    Rule(
        "withheld_from_others",
        3,
        (
            r"\b(?:withh[oe]ld(?:ing)?|withholds?|kept|keeps?|keep|denied|den(?:y|ies)|refused|"
            r"closed|barred|shut out|locked out|excluded|held back|not (?:be )?(?:made available|"
            r"available|accessible|provided|offered|given|licen[cs]ed|disclosed|shared|released|"
            r"sold|supplied|open)|unavailable|inaccessible)\b(?: [\w']+){0,3}? (?:from|to|for|by) "
            r"(?P<others>(?:all |any |every |each )?(?:the )?(?:other |third |rival |competing |"
            r"further |commercial )*(?:[\w']+ ){0,2}?(?:companies|company|firms?|businesses|"
            r"business|parties|party|"
            r"organi[sz]ations?|suppliers?|vendors?|developers?|competitors?|rivals?|industry|"
            r"market|third part(?:y|ies)|anyone else|everyone else|everybody else|others|"
            r"licensees?)\b(?: of (?:the )?partner)?)"
        ),
        "shuts other organisations out of the data (a lock-out)",
        LOCKOUT_HINT,
        check=shuts_out_others,
        refuse=(
            "The dataset will be withheld from all other companies for the term.",
            "The Data shall not be made available to competitors of the Partner.",
            "Access to the cohort shall be denied to rival developers.",
            "Requests aside, the archive stays closed to other companies until 2030.",
        ),
        accept=(
            "The Partner shall not make the Data available to any third party.",
            "The Data shall not be disclosed to any other party except under a data access "
            "agreement approved by the NHS Party.",
        ),
    ),
    Rule(
        "declines_others",
        3,
        (
            r"\b(?:decline[sd]?|declining|turn(?:s|ed|ing)? down|refuse[sd]?|refusing|reject(?:s|"
            r"ed|"
            r"ing)?|den(?:y|ies|ied|ying)|not (?:accept|entertain|consider|approve|grant|answer|"
            r"respond to|progress))\b(?: [\w']+){0,3}? (?:other|further|competing|rival|all|any|"
            r"every|third party|outside|new)\b(?: [\w']+){0,3}? (?:requests?|applications?|"
            r"approaches|offers?|proposals?|bids?|enquir(?:y|ies)|expressions of interest)\b|"
            r"\b(?:decline[sd]?|declining|turn(?:s|ed|ing)? down|refuse[sd]?|refusing|reject(?:s|"
            r"ed|ing)?) (?:\w+ ){0,2}?(?:requests?|applications?|approach(?:es)?|offers?|"
            r"proposals?|bids?|enquir(?:y|ies)) (?:from|by) (?:any |all |every )?(?:other|"
            r"another|third|rival|competing|competitors?|outside)\b|"
            r"\b(?:requests?|applications?|approaches|offers?|proposals?|bids?|enquir(?:y|ies))"
            r"(?: [\w']+){0,6}? (?:from|by) (?:any |all |every )?(?:other|third|rival|competing|"
            r"competitors?|outside)\b[^.;]{0,60}?\b(?:declined|turned down|refused|rejected|denied|"
            r"not be (?:accepted|entertained|considered|approved|granted|progressed))\b"
        ),
        "has the NHS Party turn away other partners (a lock-out)",
        LOCKOUT_HINT,
        check=unqualified_refusal,
        refuse=(
            "The Trust shall decline any other request for access to the imaging data.",
            "The NHS Party will turn down approaches from other AI companies during the term.",
            "Requests from competing developers shall be refused.",
        ),
        accept=(
            "The NHS Party shall decline any request that does not meet the DSPT standard.",
            "The Trust may refuse requests that fail its data access committee's review.",
        ),
    ),
    Rule(
        "tied_to_partner_platform",
        3,
        (
            rf"\b{NHS_SUBJECT} (?:[\w']+ ){{0,2}}?(?:shall|will|must|agrees to|undertakes to|"
            rf"commits to|is required to|is obliged to) (?:\w+ ){{0,3}}?(?:host|store|keep|hold|"
            rf"migrate|move|run|process|deploy|use|adopt|standardi[sz]e on|operate|maintain|"
            rf"transfer|put|place|consolidate|remain)\w*\b[^.;]{{0,100}}?\b(?:on|in|to|onto|into|"
            rf"within|with|through|via) (?:the )?{PARTNER_NAME}(?:'s|s') (?:[\w']+ ){{0,2}}?"
            rf"{PLATFORM}|"
            rf"\b(?:tied|locked|bound|committed|wedded|captive|locked in)(?: in)? to (?:the )?"
            rf"{PARTNER_NAME}(?:'s|s') (?:[\w']+ ){{0,2}}?{PLATFORM}|"
            rf"\block(?:ed|s)? (?:in|into) (?:to )?(?:the )?{PARTNER_NAME}(?:'s|s')"
        ),
        "ties the NHS to the Partner's cloud or platform (lock-in)",
        LOCKIN_HINT,
        check=tied_in,
        refuse=(
            "The Trust shall migrate its imaging archive to the Partner's cloud for the term.",
            "The NHS Party will host all of its pathology data on the Partner's platform.",
            "The ICB is tied to the Company's analytics platform until 2031.",
        ),
        accept=(
            "The NHS Party shall make the Data available in its secure data environment.",
            "The NHS Party may use the Partner's tool during the pilot and may stop at any time.",
        ),
    ),
)
