"""Rules against overriding, disapplying or watering down the mandatory clauses."""

from __future__ import annotations

import re

from toolkit.scan.normalise import compiled
from toolkit.scan.predicates import (
    NEUTRALISED,
    PURE_NEGATIVE,
    Context,
    bound_target,
    disapplied,
    limited_obligations,
    override_applies,
    override_target,
    prevails_over,
    waived_topic,
)
from toolkit.scan.rule import OVERRIDE_HINT, Rule

_PARTNER_PAPER = (
    r"\b(?:msa|master (?:services? |subscription |licen[cs]e )?agreement|eula|side letters?|"
    r"order forms?|statements? of work|sow|(?:partner|partner's|supplier's|licensee's|company's|"
    r"vendor's|its)(?: [\w']+){0,3}? (?:terms|conditions|t&cs|t cs|policy|policies|contract|"
    r"paper|standard form|agreement|licen[cs]e|schedule))\b"
)


def subordinated(text: str, match: re.Match, context: Context) -> bool:
    """ "superseded by the Partner's MSA", or a mandatory clause displaced by anything."""
    by = match.group("by")
    target = match.group("target") or ""
    if compiled(PURE_NEGATIVE).search(target) or compiled(NEUTRALISED).search(text, match.end()):
        return False
    if re.search(_PARTNER_PAPER, by):
        return True
    if match.group("verb") in ("subject", "governed", "controlled", "qualified"):
        return False  # "subject to clause 12" is ordinary drafting
    return override_applies(target)


RULES = (
    Rule(
        "not_bound",
        0,
        (
            r"\b(?:(?:is|are|shall be|will be|be)(?: not|n't) bound by|(?:shall|will|must|is to|"
            r"are to)(?: not|n't) be bound by|(?:shall|will|need|does|"
            r"do)(?: not|n't)(?: have to| need to)? (?:comply|be required to comply) with|"
            r"(?:is|are|shall be|will be) (?:exempt|exempted|excused|released) from)"
            r"(?P<target>(?: [\w'()]+){1,10})"
        ),
        "disapplies {topic}",
        OVERRIDE_HINT,
        negatable=False,
        check=bound_target,
        refuse=(
            "The Partner is not bound by clause 8 (Non-exclusivity).",
            "The Partner shall not be bound by the transparency clause.",
            "The Partner shall be exempt from the Non-exclusivity clause.",
        ),
        accept=(
            "The Trust is exempt from the fees in Schedule 2.",
            "The Partner is not bound by any obligation to the Trust's other suppliers.",
            (
                "The Partner shall not be required to comply with any instruction that "
                "would breach "
                "the law."
            ),
        ),
    ),
    Rule(
        "notwithstanding",
        0,
        (
            r"\bnotwithstanding (?!that\b|the (?:expiry|termination|completion|end|fact)\b|"
            r"(?:any )?(?:expiry|termination)\b)(?P<target>[^,;]{1,120})"
        ),
        "overrides {topic}",
        OVERRIDE_HINT,
        check=override_target,
        refuse=(
            (
                "Notwithstanding anything to the contrary in this Agreement, the Partner "
                "may use the "
                "Data for any purpose."
            ),
            (
                "Notwithstanding clause 4 (Benefits for patients and the NHS), the Partner "
                "need only "
                "use reasonable endeavours."
            ),
        ),
        accept=(
            (
                "Notwithstanding clause 19 (Insurance), the Partner shall maintain cyber "
                "cover of £5 "
                "million."
            ),
        ),
    ),
    Rule(
        "disapplies",
        0,
        (
            r"(?P<target>[^,;]{0,100}?)\b(?:(?:shall|will|does|do|is to|are to)(?: not|n't) apply|"
            r"(?:shall|will) (?:cease to|no longer) apply|"
            r"(?:shall|will|does|do|is to|are to)(?: not|n't) (?:bind|be binding (?:on|upon)|"
            r"be enforceable against|be enforced against|have effect)|(?:is|are|shall be|will be)"
            r" not (?:binding|enforceable) (?:on|upon|against)|(?:shall|will) no longer bind|"
            r"(?:is|are|shall be|will be|be) (?:hereby )?"
            r"(?:disapplied|deleted|removed|struck out|suspended|waived|varied|amended|modified|"
            r"replaced|deemed deleted|of no (?:force or )?effect|void|inapplicable|switched off|"
            r"disregarded|ignored|overridden|read down|treated as (?:deleted|void|struck "
            r"out|not written)|"
            r"relaxed|dis ?applied)|shall have no (?:force|effect|application)|(?:is|are|shall be)"
            r" not binding|(?:shall|will|is to|are to) be (?:read|construed|interpreted|applied) "
            r"(?:as )?(?:subject to|narrowly|restrictively|as limited by|as qualified by)|"
            r"(?:is|are|shall be) (?:made )?subject to the partner's)\b"
        ),
        "disapplies {topic}",
        OVERRIDE_HINT,
        negatable=False,
        check=disapplied,
        refuse=(
            "Clause 14 is deleted.",
            "Clause 12 (Transparency) is disapplied.",
            "Clause 7 (Transparency) shall not apply.",
        ),
        accept=(
            "Clause 9 (Insurance) shall not bind the Partner after expiry.",
            (
                "The standard price shall not apply to any NHS body, each of which shall "
                "receive the "
                "discounted price."
            ),
        ),
    ),
    Rule(
        "prevails",
        0,
        (
            r"(?P<subject>[^,;]{0,80}?)\b(?:prevails?|shall prevail|will prevail|takes? "
            r"precedence|shall take precedence|will take precedence|overrides?|shall override|"
            r"supersedes?|shall supersede|shall govern|will govern|shall control|will control|"
            r"takes? priority|shall take priority|will take priority|(?:has|have|shall have|will "
            r"have) priority|ranks? (?:ahead of|above|before)|outranks?|trumps?|"
            r"(?:is|shall be|will be) paramount)"
            r"\b(?: (?:over|to the extent of any (?:conflict|inconsistency) with|in place of|"
            r"and replaces?))?(?P<over>[^,;]{0,80})"
        ),
        "overrides {topic}",
        OVERRIDE_HINT,
        negatable=False,
        check=prevails_over,
        refuse=(
            "These additional terms prevail over the rest of this Agreement.",
            "The Partner's standard terms of business shall prevail over this Agreement.",
            (
                "In the event of any inconsistency, this Schedule shall take precedence "
                "over clauses 1"
                " to 20."
            ),
        ),
        accept=("This Agreement prevails over any terms the Partner attaches to an invoice.",),
    ),
    Rule(
        "waives",
        0,
        (
            r"\b(?:waive[sd]?|waiving|waiver of|release[sd]? (?:\w+ )?from|releasing (?:\w+ )?"
            r"from|excuse[sd]? from|exempt(?:s|ed)? from|relieve[sd]? (?:\w+ )?of|dispense[sd]? "
            r"with|disapplies|disapply|switch(?:es)? off)(?P<target>(?: [\w'()]+){1,10})"
        ),
        "waives {topic}",
        OVERRIDE_HINT,
        check=waived_topic,
        refuse=(
            "The NHS Party waives its right to publish the results.",
            "The NHS Party waives the transparency obligations under this Agreement.",
        ),
        accept=("No failure or delay in exercising any right shall operate as a waiver of it.",),
    ),
    Rule(
        "limits_obligations",
        0,
        (
            r"(?P<pre>\b(?:[\w']+ ){0,3})(?:obligations?|duties|commitments|undertakings|"
            r"responsibilities|requirements?)(?P<target>(?: [\w'()]+){0,12}?) (?:are|is|shall be|"
            r"will be|be|become|becomes) "
            r"(?:hereby )?(?:limited|suspended|capped|reduced|excluded|qualified|restricted|"
            r"deferred|postponed|released|discharged|diluted|conditional|satisfied|subject to the "
            r"partner's|at the partner's discretion|in the partner's discretion|optional|"
            r"discretionary|voluntary)\b"
        ),
        "limits {topic}",
        OVERRIDE_HINT,
        negatable=False,
        check=limited_obligations,
        refuse=(
            "The Partner's benefit obligations shall be satisfied by a one-off payment of £10,000.",
            (
                "The Partner's obligations under the benefit clause are limited to reasonable "
                "endeavours."
            ),
        ),
        accept=(),
    ),
    Rule(
        "subordinated",
        0,
        (
            r"(?P<target>[^,;]{0,100}?)\b(?:(?:is|are|shall be|will be|be|becomes?|being) )?"
            r"(?:hereby )?(?P<verb>superseded|overridden|overriden|displaced|replaced|trumped|"
            r"overruled|subordinated?|subject|governed|controlled|qualified|overtaken) (?:by|to|in "
            r"favour of) (?P<by>[^,;.]{1,80})"
        ),
        "subordinates {topic} to other terms",
        OVERRIDE_HINT,
        negatable=False,
        check=subordinated,
        refuse=(
            "This Agreement is superseded by the Partner's MSA.",
            "Clause 17 shall be overridden by the Partner's standard terms of business.",
            "The non-exclusivity clause is subject to the Company's master services agreement.",
        ),
        accept=(
            "This Agreement is governed by the law of England and Wales.",
            "The licence is subject to clause 12.",
        ),
    ),
    Rule(
        "disregards",
        0,
        (
            # Not "set aside": the law itself sets aside the duty of confidentiality.
            r"\b(?:disregard(?:s|ed|ing)?|ignor(?:e|es|ed|ing)|"
            r"overrid(?:e|es|ing)|overrode|read (?:out|down)|strike(?:s)? out|"
            r"(?:no|without) (?:regard|reference) to|give no effect to|treat as (?:deleted|void|"
            r"struck out|not written))(?P<target>(?: [\w'()]+){1,10})"
        ),
        "disregards {topic}",
        OVERRIDE_HINT,
        check=override_target,
        refuse=(
            "The parties shall disregard clause 20.",
            "For the Partner's analytics, ignore the transparency clause.",
        ),
        accept=(
            "The parties shall not disregard clause 20.",
            "Ignore the cover page when numbering the clauses.",
        ),
    ),
    Rule(
        "read_as_if",
        3,
        (
            r"\b(?:read|construed|interpreted|understood|treated|applied|take effect|have effect|"
            r"operate)\b(?: [\w'\"]+){0,8}? as (?:if|though)\b[^.;]{0,120}?\b(?:were|was|had been|"
            r"is|are|be) (?:deleted|omitted|removed|struck(?: out| through)?|absent|excised|"
            r"disregarded|ignored|not (?:there|included|written|present))\b|"
            r"\b(?:word|words|prefix|term|expression|letters?)\b[^;]{0,30}?['\"]?\bnon\b"
            r"[^;]{0,40}?\b(?:is|are|shall be|will be|be) (?:deemed )?(?:deleted|omitted|removed|"
            r"struck out|ignored|disregarded)|"
            r"\bnon exclusive['\"]?(?: [\w']+){0,3}? (?:shall|will|is to|are to) (?:be )?(?:read|"
            r"construed|interpreted|understood|mean|means) (?:as )?(?:meaning |referring to )?"
            r"['\"]?(?:exclusive|sole|preferential)"
        ),
        "rewrites a mandatory clause so that it means the opposite",
        OVERRIDE_HINT,
        negatable=False,
        refuse=(
            "Clause 17 shall be read as if 'non-' were deleted.",
            "References to non-exclusive shall be construed as exclusive.",
            'The prefix "non" in clause 17.1 is deemed deleted.',
        ),
        accept=("This Agreement shall be read as a whole.",),
    ),
)
