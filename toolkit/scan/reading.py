"""Reading a text against the rules: sentence by sentence, each with its grammar and check.

Imported only when a text is screened for the first time: results are kept (see
``toolkit.scan.scan_text``), and a run over known texts never needs the rules.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from toolkit import cache
from toolkit.scan import Finding
from toolkit.scan.grammar import negated, nhs_holds
from toolkit.scan.normalise import Normalised, compiled
from toolkit.scan.predicates import CARVE_OUT, Context
from toolkit.scan.prefilter import Prefilter
from toolkit.scan.rule import Rule
from toolkit.scan.rules import RULES
from toolkit.scan.sentences import Sentence, sentences
from toolkit.scan.vocabulary import topic

__all__ = ["screen"]

# An override of wording that names no mandatory topic is still a matter of fair terms.
_FAMILY_PRINCIPLE_FALLBACK = 2


def screen(text: str, library: bool) -> tuple[Finding, ...]:
    """Return the findings in one text, read sentence by sentence against every rule."""
    doc = Normalised(text)
    findings: list[Finding] = []
    carve_out = bool(compiled(CARVE_OUT).search(doc.text))
    for sentence in sentences(doc):
        words = sentence.text
        possible = _possible_rules(words)
        context = Context(
            whole=doc.text,
            original_of=lambda start, end, s=sentence: doc.quote(
                s.index[start], s.index[max(start, end - 1)] + 1
            ),
            library=library,
            carve_out=carve_out,
        )
        for rule, may_match in zip(RULES, possible, strict=True):
            if not may_match:
                continue  # the sentence lacks all the strings of a set the pattern requires
            for match in rule.matches(words):
                if match.end() <= sentence.limb_start:
                    continue  # found in a lead-in: reported with the lead-in itself
                if rule.negatable and negated(
                    words, match.start(), match.end(), conditional=rule.conditional
                ):
                    continue
                if rule.holder and nhs_holds(words, match.start(), match.end()):
                    continue
                if rule.check is not None and not rule.check(words, match, context):
                    continue
                findings.append(_finding(rule, doc, sentence, match))
    return tuple(_without_overlaps(findings))


def _possible_rules(sentence: str) -> Sequence[bool]:
    """Return, per rule, whether its pattern could match ``sentence`` (False: it cannot)."""
    return _prefilter().candidates(sentence)


@functools.cache
def _prefilter() -> Prefilter:
    """Return the rules' prefilter, from the toolkit's cache when it was read before.

    Reading the patterns costs about as much as compiling them all; the result depends
    only on the toolkit's code, which keys the cache.
    """
    key = cache.make_key("screen-prefilter")
    kept = cache.load("screen-prefilter", key)
    if isinstance(kept, Prefilter) and len(kept.required) == len(RULES):
        return kept
    built = Prefilter([rule.pattern for rule in RULES])
    cache.store("screen-prefilter", key, built)
    return built


def _finding(rule: Rule, doc: Normalised, sentence: Sentence, match: re.Match) -> Finding:
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
        mandatory = topic(match.group()) or topic(sentence.text)
        if mandatory is None:
            principle = _FAMILY_PRINCIPLE_FALLBACK
            message = message.format(
                topic="other clauses of the agreement, which may include its mandatory clauses"
            )
        else:
            principle = mandatory[0]
            message = message.format(topic=f"a mandatory clause ({mandatory[1]})")
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
