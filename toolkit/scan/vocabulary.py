"""The words the rules are built from: who is the NHS, who is the Partner, which places
and benefits, and the topics of the mandatory clauses.

Each is a regular-expression fragment over normalised text (lower case, hyphens as
spaces), so that a rule reads ``rf"only {PARTNER_ENTITY} may"``.
"""

from __future__ import annotations

from toolkit.scan.normalise import compiled

NHS_NAME = (
    r"(?:lead |relevant |participating |each |every )?"
    r"(?:nhs part(?:y|ies)|nhs (?:trusts?|organi[sz]ations?|bod(?:y|ies)|england|"
    r"foundation trusts?)"
    r"|(?:foundation )?trusts?|icbs?|integrated care boards?|health boards?|gp practices?"
    r"|department of health(?: and social care)?|dhsc"
    r"|the nhs(?! (?:data|patients?|records?|numbers?|number|party data)\b))"
)
NHS_ENTITY = rf"(?:(?:the|each|any|every|a|an|no|neither) )?{NHS_NAME}"
NHS_SUBJECT = rf"(?:(?:the|each|any|every|no|neither) )?{NHS_NAME}(?:,[^,]{{0,80}},)?"
PARTNER_NAME = (
    r"(?:partner|partners|company|licensee|supplier|contractor|developer|collaborator|"
    r"sponsor|recipient|vendor|investor|university|customer|partner's affiliates?|"
    r"affiliates? of the partner)"
)
PARTNER_ENTITY = rf"(?:(?:the|each|any) )?{PARTNER_NAME}\b"
NEG_MODAL = (
    r"(?:(?:shall|will|must|may|can|should|is to|are to|agrees|agree|undertakes|undertake|"
    r"covenants|covenant|commits|commit)(?: not(?: to)?|n't)|cannot|can not|"
    r"shall (?:refrain|abstain) from|is (?:prohibited|restricted|precluded|prevented) from|"
    r"(?:is|are|shall be|will be) not (?:permitted|entitled|allowed|free) to)"
)
OTHERS = (
    r"(?:any|another|other|others|third part(?:y|ies)|any third|anyone|any one|any person|"
    r"any party|competitors?|rivals?|similar|competing|comparable|alternative)"
)
REGION_NAMES = (
    r"(?:london|north west|north east|north east and yorkshire|"
    r"yorkshire(?: and (?:the )?humber)?|humber|"
    r"east of england|east midlands|west midlands|midlands|south east|south west|"
    r"greater manchester|cheshire|merseyside|cumbria|lancashire|kent|surrey|sussex|essex|"
    r"norfolk|suffolk|devon|cornwall|birmingham|leeds|bristol|manchester|liverpool|"
    r"newcastle|sheffield|nottingham|leicester|oxford|cambridge|hampshire|dorset|wessex|"
    r"somerset|cumbria|northumbria|wales|scotland|northern ireland)"
)
LOCAL = (
    rf"(?:(?:the )?(?:lead )?nhs part(?:y|ies)|(?:the )?trust|(?:the )?icb|(?:the )?gp practice|"
    rf"(?:the )?health board|"
    rf"(?:the |its |their |a |one |a single |a particular |the nhs party's |the trust's |"
    rf"the icb's |its own |local |this |that )"
    rf"(?:region|area|locality|catchment|footprint|system|integrated care system|ics|county|"
    rf"borough|city|geography|patch|network|sites?|hospitals?|populations?|patients|"
    rf"local health economy)|"
    rf"(?:the )?{REGION_NAMES})(?!'s (?:sde|secure|systems?|premises|network|environment|"
    rf"trusted|data|infrastructure)| (?:sde|secure data|trusted research))\b"
)
BENEFIT_NOUN = (
    r"\b(?:benefits?|products?|tools?|software|solutions?|algorithms?|technolog(?:y|ies)|"
    r"innovations?|improvements?|outputs?|results?|findings?|discounts?|licen[cs]es?|apps?|"
    r"applications?|services?|devices?|insights?|savings?|royalt(?:y|ies)|deliverables?|"
    r"pathways?|alerts?|alerting|know how|learning|models?|platform|offer|pricing|"
    r"roll ?out|deployment|adoption)\b"
)
OTHER_NHS = (
    r"(?:(?:any |the )?(?:other|another|further|additional|different|wider|rest of the|remaining|"
    r"neighbou?ring|non participating) (?:nhs\b|trusts?|icbs?|integrated care|"
    r"organi[sz]ations?|bod(?:y|ies)|regions?|hospitals?|practices?|health|providers?|"
    r"systems?|areas?|parts of the nhs|commissioners?|sites?|localit(?:y|ies)|ics)|"
    r"the wider nhs|the rest of the nhs|(?:the )?nhs (?:nationally|as a whole|generally|"
    r"more widely|in england|elsewhere)|nation(?:ally|wide)|national(?:ly)? (?:level|basis|"
    r"scale)|across the nhs|throughout the nhs)"
)

# Topics of the mandatory clauses, for overrides: (pattern, principle, name).
MANDATORY_TOPICS: tuple[tuple[str, int, str], ...] = tuple(
    (pattern, principle, name)
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
OTHER_TOPICS = (
    r"\b(?:liabilit\w*|indemnit\w*|insurance|notices?|counterparts?|force majeure|disputes?|"
    r"dispute resolution|governing law|jurisdiction|invoic\w*|payment terms|payments?|interest|"
    r"assignment|variations?|anti ?bribery|audit|termination|warrant\w*|costs?|expenses?|"
    r"set ?off|severance|severability|entire agreement|third party rights|subcontract\w*|"
    r"change control|intellectual property|ip|fees?|royalt\w*|milestones?|equity|shares?|"
    r"definitions?|interpretation|insolvency|non solicitation|employees|staff)\b"
)
CLAUSE_REF = (
    r"\b(?:clauses?|schedules?|paragraphs?|sections?|parts?|annex(?:es)?|appendix)\s+"
    r"(?:\d[\w.()]*|[ivx]+\b|[a-z]\b|[a-z ]{3,40}?\b(?=\)|,|$| shall| will| is| are| does))"
    r"|\bthe (?:mandatory|standard|approved|main|core|other|remaining) (?:clauses|terms|"
    r"provisions)\b|\b(?:anything|any (?:other )?(?:provision|term|clause|obligation)s?|"
    r"all other|the rest of|the (?:provisions|terms|body) of) (?:\w+ ){0,3}?"
    r"(?:this|the) agreement\b|\banything (?:to the contrary|else|contained)\b|"
    r"\b(?:this|the) agreement\b"
)


def topic(text: str) -> tuple[int, str] | None:
    """Return the (principle, name) of the first mandatory topic mentioned, if any."""
    best: tuple[int, int, str] | None = None
    for pattern, principle, name in MANDATORY_TOPICS:
        match = compiled(pattern).search(text)
        if match and (best is None or match.start() < best[0]):
            best = (match.start(), principle, name)
    return None if best is None else (best[1], best[2])


GRANT_NOUNS = (
    r"(?:rights?|licen[cs]\w*|access|use|user|users|partner|provider|supplier|developer|"
    r"distributor|beneficiary|owner|ownership|recipient|source|commerciali[sz]\w*|party|"
    r"organi[sz]ation|company|entity|means|route|channel|gateway|way|method|purchaser|buyer|"
    r"custodian|holder|title|possession|control|vendor|agent|reseller|controller|"
    r"arrangement|dealing|basis|relationship|position|data partner|commercial partner|"
    r"option|entitlement|privilege|interest|exploitation|property)"
)


PLACE_EXCLUDED = (
    r"(?i)^(?:the )?(?:united kingdom|uk|england|great britain|gb|eea|european|secure|sde|tre|"
    r"trusted|nhs|agreement|accordance|schedule|clause|writing|the form|data|partner|company)\b"
)
