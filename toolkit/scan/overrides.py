"""Rules against overriding, disapplying or watering down the mandatory clauses."""

from __future__ import annotations

from toolkit.scan.predicates import (
    bound_target,
    disapplied,
    limited_obligations,
    override_target,
    prevails_over,
    waived_topic,
)
from toolkit.scan.rule import OVERRIDE_HINT, Rule

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
            r"supersedes?|shall supersede|shall govern|will govern|shall control|will control)"
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
)
