"""The screen's prefilter never lets a sentence skip a rule whose pattern matches it.

The prefilter (toolkit.scan.prefilter) reads each rule's pattern for strings every match
must contain, and the screen runs a rule only on sentences that hold one of them. These
tests run every rule's own pattern over every sentence of the rules' examples, the
screen's corpus, the example deal specs and the library's texts, and check that each
sentence a rule matches is one the prefilter lets through.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from toolkit.scan import normalise, plain_text
from toolkit.scan.normalise import Normalised
from toolkit.scan.prefilter import Prefilter, required_sets
from toolkit.scan.rules import RULES
from toolkit.scan.sentences import sentences
from toolkit.spec.screen import strings

_ROOT = Path(__file__).parent.parent
_PREFILTER = Prefilter([rule.pattern for rule in RULES])


def _texts(library) -> list[str]:
    texts = [text for rule in RULES for text in (*rule.refuse, *rule.accept)]
    corpus = yaml.safe_load((_ROOT / "tests" / "corpus" / "wordings.yaml").read_text("utf-8"))
    texts += [text for entry in corpus["refuse"].values() for text in entry["wordings"]]
    texts += list(corpus["accept"])
    for spec in sorted((_ROOT / "examples" / "deals").glob("*.yaml")):
        texts += [text for _, text in strings(yaml.safe_load(spec.read_text("utf-8")))]
    for clause in library.clauses.values():
        texts += [plain_text(clause.text)]
        texts += [plain_text(position.text) for position in clause.positions if position.text]
    return texts


def test_no_sentence_any_rule_matches_is_skipped(library):
    checked = matched = 0
    for text in _texts(library):
        if not isinstance(text, str) or not text.strip():
            continue
        for sentence in sentences(Normalised(text)):
            possible = _PREFILTER.candidates(sentence.text)
            for rule, may_match in zip(RULES, possible, strict=True):
                checked += 1
                if next(rule.matches(sentence.text), None) is not None:
                    matched += 1
                    assert may_match, f"{rule.id} would be skipped on: {sentence.text}"
    assert matched > len(RULES)  # the rules' own examples at least
    assert checked > 100_000


def test_every_rule_has_strings_its_matches_require():
    """A rule the reader cannot make sense of would run on every sentence: none does."""
    missing = [
        rule.id for rule, needed in zip(RULES, _PREFILTER.required, strict=True) if not needed
    ]
    assert missing == []


@pytest.mark.parametrize(
    ("pattern", "text", "expected"),
    [
        (r"\bsole (?:and exclusive )?licen[cs]e\b", "a sole licence", True),
        (r"\bsole (?:and exclusive )?licen[cs]e\b", "the sole and only owner", False),
        (r"(?<!non )exclusiv\w*", "exclusivity", True),
        (r"(?<!non )exclusiv\w*", "exclusion", False),
        (r"(?:first|prior) (?:option|refusal)", "a right of prior refusal", True),
        (r"(?:first|prior) (?:option|refusal)", "first of all", False),
        (r"lock ?outs?", "a lockout period", True),
        (r"lock ?outs?", "the door was shut", False),
    ],
)
def test_the_strings_found_let_matches_through_and_keep_others_out(pattern, text, expected):
    prefilter = Prefilter([pattern])
    assert prefilter.candidates(normalise(text)) == [expected]


@pytest.mark.parametrize(
    "pattern",
    [
        r"(a)\1",  # a back-reference: not understood
        r"(?i)sole",  # inline flags: not understood
        r"\w+",  # no literal at all
        r"(?:sole)?",  # may match nothing
        r"sole|\w+",  # one branch requires nothing
    ],
)
def test_a_pattern_not_fully_understood_requires_nothing_and_always_runs(pattern):
    assert required_sets(pattern) is None
    assert Prefilter([pattern]).candidates("anything at all") == [True]
