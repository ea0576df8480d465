"""The screen: free text checked for terms the five principles forbid.

A deal spec's free text is written by a lawyer; the library's fallback positions and
model schedules by the Centre. Either could, by accident or design, grant exclusivity
over NHS data, confine the benefits to one trust or region, tie the NHS to one
supplier's platform, switch off a mandatory clause or hide the agreement. This package
finds such wording.

How it reads (one module each): the text is normalised (``normalise``: case, accents,
look-alike letters, entities, hyphens, split and spaced-out words), cut into sentences
and list limbs (``sentences``), and each sentence is matched against the rules
(``rules``, by family: ``exclusivity``, ``lockout``, ``benefits``, ``overrides``,
``secrecy``), read with their grammar (``grammar``: negation, who holds a right) and
their checks (``predicates``). Each rule carries the sentences it must refuse and
accept, and a test runs them all.

It is a screen, not a lawyer: it errs on the side of refusing, and every finding
quotes the words that caused it so that a person can judge and redraft.

Pure functions of the text; the only I/O is the toolkit's private cache (the rules'
prefilter and the results for texts screened before). No click.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from toolkit import cache
from toolkit.exceptions import Problem
from toolkit.scan.grammar import negated, nhs_holds
from toolkit.scan.normalise import Normalised, compiled, normalise
from toolkit.scan.predicates import CARVE_OUT, Context
from toolkit.scan.prefilter import Prefilter
from toolkit.scan.rule import Rule
from toolkit.scan.rules import RULES
from toolkit.scan.sentences import Sentence, plain_text, sentences
from toolkit.scan.vocabulary import topic

__all__ = [
    "Finding",
    "normalise",
    "plain_text",
    "scan_field",
    "scan_library_text",
    "scan_term",
    "scan_terms",
    "scan_text",
]

# An override of wording that names no mandatory topic is still a matter of fair terms.
_FAMILY_PRINCIPLE_FALLBACK = 2


@dataclass(frozen=True)
class Finding:
    """One passage of a text that breaks a principle."""

    rule: str
    principle: int
    quote: str
    message: str
    hint: str
    start: int
    end: int


def scan_text(text: str, *, library: bool = False) -> list[Finding]:
    """Return every passage of ``text`` that a principle forbids, in order.

    ``library`` reads ``text`` as library clause wording (so that "this clause prevails"
    refers to the library's own clause).
    """
    if not isinstance(text, str) or not text.strip():
        return []
    # The screen is a pure function of the text, and a batch of deal specs repeats most
    # of its strings (parties, addresses, roles, purposes): each is read once.
    return list(_scan(str(text), library))


@functools.lru_cache(maxsize=4096)
def _scan(text: str, library: bool) -> tuple[Finding, ...]:
    # Kept between runs too: validating a deal spec, assembling it and checking the
    # returned contract against it screen the same texts, and a process that screens
    # only known texts never compiles a rule's pattern (most of a short run's time).
    key = hashlib.sha256(f"{int(library)}\0{text}".encode("utf-8", "surrogatepass")).hexdigest()
    found = _RESULTS.get(key)
    if found is None:
        found = _screen(text, library)
        _RESULTS.set(key, found)
    return found


def _screen(text: str, library: bool) -> tuple[Finding, ...]:
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
                continue  # the sentence lacks every string the rule's pattern requires
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


# About 60 bytes an entry: the file stays under a megabyte or two.
_RESULTS = cache.Memo("screen-results", limit=20_000)


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


def _problems(findings: Iterable[Finding], path: str) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[str] = set()
    for finding in findings:
        message = f'{finding.message}: "{finding.quote}"'
        if message in seen:
            continue
        seen.add(message)
        problems.append(Problem(path, message, finding.principle, finding.hint))
    return problems


def scan_term(text: str, path: str = "") -> list[Problem]:
    """Return the problems with one free-text term, each at ``path``."""
    return _problems(scan_text(text), path)


def scan_field(text: str, path: str = "") -> list[Problem]:
    """Return the problems with a descriptive field of a deal spec (a purpose, a reason).

    Such fields state facts, so "the national data opt-out does not apply" is read as
    one unless it names a clause; grants, lock-outs and secrecy are found as anywhere.
    """
    return _problems(scan_text(text, library=True), path)


def scan_terms(terms: Iterable[str], prefix: str = "clauses.additional_terms") -> list[Problem]:
    """Return the problems with a list of additional terms, at ``prefix[i]``."""
    problems: list[Problem] = []
    for index, term in enumerate(terms):
        problems += scan_term(term, f"{prefix}[{index}]")
    return problems


def scan_library_text(source: str, path: str) -> list[Problem]:
    """Return the problems with a library text (Jinja clause wording), at ``path``."""
    return _problems(scan_text(plain_text(source), library=True), path)
