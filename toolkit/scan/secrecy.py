"""Rules of principle 4: confidentiality that would hide the agreement itself."""

from __future__ import annotations

import re

from toolkit.scan.predicates import (
    Context,
    agreement_is_subject,
    foi_not_consultation,
    hide_not_patients,
    no_transparency_carveout,
    not_misleading,
    withholds_the_agreement,
)
from toolkit.scan.rule import SECRECY_HINT, Rule
from toolkit.scan.vocabulary import (
    NEG_MODAL,
    NHS_SUBJECT,
    PARTNER_ENTITY,
    PARTNER_NAME,
)


def about_nhs_money(text: str, match: re.Match, context: Context) -> bool:
    """The money the NHS receives, not the Partner's prices to its other customers."""
    if re.search(
        r"\b(?:partner's|company's|supplier's|its) (?:own )?(?:confidential|commercially "
        r"sensitive|trade|other customers?)|\bother customers\b|trade secrets?",
        match.group() + text[match.end() : match.end() + 80],
    ):
        return False
    return hide_not_patients(text, match, context)


def about_the_deal(text: str, match: re.Match, context: Context) -> bool:
    """What is kept quiet is the deal, its parties or its money, not the Data or patients."""
    what = (match.group("what") or "") + " " + match.group()
    if re.search(
        r"\b(?:data|patients?|personal|identit\w*|individuals?|trade secrets?|source code|"
        r"confidential information|passwords?|credentials|security)\b",
        what,
    ):
        return False
    return bool(
        re.search(
            r"\b(?:agreement|deal|partnership|arrangement|collaboration|contract|relationship|"
            r"terms|royalt\w*|price|pricing|fees?|payments?|value|existence|parties|partner|"
            r"this|it|cytundeb|bartneriaeth|partneriaeth|accord|contrat|partenariat)\b",
            what,
        )
    ) and no_transparency_carveout(text, match, context)


RULES = (
    Rule(
        "keep_secret",
        4,
        (
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
        SECRECY_HINT,
        check=no_transparency_carveout,
        refuse=(
            "The benefits of this Agreement shall be kept confidential.",
            "The parties shall keep the names of the parties confidential.",
            "The existence of this Agreement shall remain strictly confidential.",
        ),
        accept=(
            (
                "Each party shall keep the terms of this Agreement confidential, save as "
                "required by "
                "the Transparency clause and the Freedom of Information Act 2000."
            ),
        ),
    ),
    Rule(
        "agreement_confidential",
        4,
        (
            r"\b(?:this|the) (?:agreement|partnership|arrangement|collaboration|deal|contract)"
            r"(?: and (?:its|all its|the) (?:terms|contents|existence|schedules))?(?: [\w']+){0,2}?"
            r" (?:is|are|shall be|shall remain|will be|will remain|remains?|must be|must remain)"
            r"(?: kept| treated as| held)?(?: strictly)? (?:confidential|secret|private)\b"
        ),
        "would keep the agreement itself secret",
        SECRECY_HINT,
        check=agreement_is_subject,
        refuse=("This Agreement is confidential.",),
        accept=(),
    ),
    Rule(
        "not_disclose_that",
        4,
        (
            r"\b(?:(?:shall|will|may|must|is to|are to|should)(?: not|n't)|cannot|agrees? not to|"
            r"undertakes? not to|(?:neither|no) (?:party|parties|of the parties|nhs party)"
            r"[^.;]{0,40}?(?:shall|will|may|must))(?: [\w']+){0,2}? (?:disclose|reveal|publish|"
            r"announce|publici[sz]e|confirm|acknowledge|make public|communicate|mention|divulge|"
            r"advertise|state)(?: [\w']+){0,3}? (?:the fact )?that\b"
        ),
        "would hide the agreement",
        SECRECY_HINT,
        check=no_transparency_carveout,
        refuse=("The NHS Party shall not disclose that the Partner has access to the Data.",),
        accept=(),
    ),
    Rule(
        "not_disclose_agreement",
        4,
        (
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
        SECRECY_HINT,
        check=hide_not_patients,
        refuse=(
            "The NHS Party shall not publish the benefits plan.",
            "The Trust shall not publish any information about this Agreement.",
            "The parties shall not publicise the purpose of the collaboration.",
        ),
        accept=(
            "The Partner shall not disclose the identity of any patient.",
            (
                "The Partner shall not disclose to any third party the terms of the Trust's other "
                "contracts."
            ),
        ),
    ),
    Rule(
        "no_announcement",
        4,
        (
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
        SECRECY_HINT,
        negatable=False,
        check=not_misleading,
        refuse=(
            "There shall be no public announcement of the partnership.",
            "No press release concerning the partnership shall be issued.",
            "Neither party shall make any announcement regarding this Agreement.",
        ),
        accept=(
            "The Partner shall not make any public statement about the Trust's patients.",
            (
                "Neither Party shall make any press announcement about this Agreement without the "
                "other's approval, which shall not be unreasonably withheld; this does not "
                "limit the "
                "transparency clause."
            ),
        ),
    ),
    Rule(
        "partner_anonymous",
        4,
        (
            rf"\b(?:the )?{PARTNER_NAME}(?:'s|s') (?:name|identity|involvement|participation|"
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
        SECRECY_HINT,
        negatable=False,
        check=no_transparency_carveout,
        refuse=(
            "This Agreement shall not be published.",
            "The partnership shall not be publicised.",
            "The Partner's identity shall not be disclosed.",
        ),
        accept=(),
    ),
    Rule(
        "withheld_from_publication",
        4,
        (
            r"\b(?:withheld|withhold|excluded|exclude|omitted|omit|kept|keep|left|leave)"
            r" (?:out of|off|from) (?:any |the |all |every |its |their )?(?:trust's |nhs party's |"
            r"nhs's |parties' )?(?:public |nhs |trust )?"
            r"(?:publications?|transparency (?:registers?|reports?|summar(?:y|ies)|statements?)|"
            r"registers?|websites?|publication schemes?|disclosure logs?|annual reports?|the "
            r"public domain|public view)\b"
        ),
        "would hide the agreement from publication or the transparency register",
        SECRECY_HINT,
        negatable=False,
        check=withholds_the_agreement,
        refuse=(
            "The benefits plan shall be withheld from the transparency register.",
            "Details of this Agreement shall be omitted from the Trust's publication scheme.",
            "The value of this Agreement is confidential and shall be kept out of any publication.",
        ),
        accept=(
            "Personal data shall be excluded from any publication.",
            "Patient identifiers shall be withheld from any publication.",
        ),
    ),
    Rule(
        "foi_gagged",
        4,
        (
            rf"\b{NHS_SUBJECT} (?:[\w']+ ){{0,2}}?{NEG_MODAL} (?:\w+ ){{0,2}}?(?:respond(?:ing)? "
            rf"to|answer(?:ing)?|reply(?:ing)? to|comply(?:ing)? with|deal(?:ing)? with|"
            rf"process(?:ing)?|release|disclose|provide|handle)(?: [\w']+){{0,6}}? "
            rf"(?:freedom of information|foia?|eir|environmental information|information "
            rf"requests?|requests? for information)\b|\b(?:freedom of information|foia?|eir|"
            rf"information) (?:act )?(?:requests?|applications?)(?: [\w']+){{0,10}}? (?:shall|"
            rf"will|must) (?:be )?(?:referred to|decided by|determined by|answered by|approved by|"
            rf"handled by|subject to (?:the )?(?:prior )?(?:written )?(?:consent|approval|veto|"
            rf"agreement) of) (?:the )?{PARTNER_NAME}\b|\b{PARTNER_ENTITY} (?:[\w']+ ){{0,2}}?"
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
        check=foi_not_consultation,
        refuse=(
            "The Partner may veto the Trust's response to any Freedom of Information request.",
            (
                "The Trust shall not answer Freedom of Information requests relating to this "
                "Agreement."
            ),
            (
                "Any Freedom of Information request about this Agreement shall be referred to the "
                "Partner for decision."
            ),
        ),
        accept=(),
    ),
    Rule(
        "publication_veto",
        4,
        (
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
        refuse=(
            "The Partner may veto any publication of the results.",
            "Publication of the findings requires the Partner's prior written approval.",
        ),
        accept=(),
    ),
    Rule(
        "kept_quiet",
        4,
        (
            r"\b(?:keep|kept|keeps|keeping|hold|held|remain|remains|stay|stays|cadw|cadwer|cedwir|"
            r"cedwid|garder|gardent|rester)\b(?P<what>(?: [\w']+){0,6}?) (?:under wraps|quiet|"
            r"hush hush|"
            r"secret|private|off the record|out of the (?:public eye|public domain|press|news|"
            r"papers|media|spotlight)|away from (?:the )?(?:public|press|media)|behind closed "
            r"doors|"
            r"between (?:the parties|ourselves|us)|confidential|in confidence|under the radar|"
            r"low profile|on a need to know basis|yn gyfrinachol|gyfrinachol|cyfrinachol|"
            r"confidentiel\w*|(?:off|out of|from) (?:the )?(?:public|press|media|registers?|"
            r"websites?|transparency register))\b|"
            r"\b(?:this|the|our) (?:agreement|deal|partnership|arrangement|collaboration|contract|"
            r"relationship)(?: [\w']+){0,3}? (?:is|are|shall be|will be|must be|remains?|stays?) "
            r"(?:strictly )?(?:under wraps|hush hush|off the record|not (?:to be )?(?:made "
            r")?public|"
            r"non public|a secret|secret|between the parties)\b"
        ),
        "would keep the agreement itself secret",
        SECRECY_HINT,
        negatable=False,
        check=about_the_deal,
        refuse=(
            "The parties shall keep this deal under wraps.",
            "Both parties agree to keep the royalty rate out of the press.",
            "Our partnership is strictly hush-hush.",
            "Cedwir y cytundeb hwn yn gyfrinachol.",
        ),
        accept=(
            "The Partner shall keep the Data confidential.",
            "The parties shall keep patient identities confidential.",
        ),
    ),
    Rule(
        "money_hidden",
        4,
        (
            r"\b(?:(?:shall|will|may|must|is to|are to|should)(?: not|n't)|cannot|agrees? not to|"
            r"undertakes? not to|never)(?: [\w']+){0,2}? (?:disclose|reveal|publish|announce|"
            r"publici[sz]e|make public|release|share|show|include|report|register|list)"
            r"(?: [\w']+){0,4}? (?:royalt\w*|rates?|prices?|pricing|fees?|payments?|sums?|"
            r"amounts?|financial terms|commercial terms|consideration|revenue share|value sharing|"
            r"equity|share of (?:revenue|profits?)|model terms|valuation)\b|"
            r"\b(?:royalt\w*|prices?|pricing|fees?|payments?|financial terms|commercial terms|"
            r"consideration|revenue share|value sharing)\b(?: [\w']+){0,4}? (?:shall|will|must|may)"
            r"(?: not|n't) be (?:published|disclosed|made public|released|revealed|shown|included|"
            r"listed|registered|reported)|"
            r"\bredact(?:s|ed|ing|ion of)?\b(?: [\w']+){0,3}? (?:royalt\w*|prices?|pricing|fees?|"
            r"payments?|value|terms|financial|commercial|parties|partner's name|benefits)"
        ),
        "would hide what the NHS receives under the agreement",
        SECRECY_HINT,
        negatable=False,
        check=about_nhs_money,
        refuse=(
            "The NHS Party shall not publish the royalty rate.",
            "The minimum payments will not be disclosed in the transparency register.",
            "The Trust shall redact the royalty percentage from any published summary.",
        ),
        accept=(
            "The NHS Party shall not publish the Partner's confidential pricing for other "
            "customers.",
        ),
    ),
)
