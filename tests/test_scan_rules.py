"""Every rule of the screen against the sentences it carries: each must be refused, each
near miss accepted. The examples live beside the rules (toolkit/scan/<family>.py) so that
a lawyer reading a rule sees what it catches and what it lets through."""

from __future__ import annotations

import pytest

from toolkit.scan import normalise, scan_text
from toolkit.scan.rules import RULES, rule

_REFUSE = [(r.id, text) for r in RULES for text in r.refuse]
_ACCEPT = [(r.id, text) for r in RULES for text in r.accept]


def test_every_rule_has_an_example_to_refuse_and_a_hint_and_principle():
    for each in RULES:
        assert each.refuse, f"rule {each.id} carries no sentence it must refuse"
        assert each.hint.strip() and each.message.strip()
        assert each.principle in (0, 1, 2, 3, 4, 5)
    assert len({each.id for each in RULES}) == len(RULES)


@pytest.mark.parametrize(("rule_id", "text"), _REFUSE, ids=lambda v: str(v)[:50])
def test_a_rule_refuses_its_examples(rule_id, text):
    assert rule(rule_id).regex.search(normalise(text)), "the rule's own words must match"
    findings = scan_text(text)
    assert findings, f"{rule_id} should refuse: {text}"
    assert all(finding.quote for finding in findings)


@pytest.mark.parametrize(("rule_id", "text"), _ACCEPT, ids=lambda v: str(v)[:50])
def test_the_screen_accepts_each_rules_near_misses(rule_id, text):
    assert scan_text(text) == []
