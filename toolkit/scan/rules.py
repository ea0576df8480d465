"""Every rule of the screen, by family; each family's module holds its rules' examples."""

from __future__ import annotations

from toolkit.scan import benefits, exclusivity, lockout, overrides, secrecy
from toolkit.scan.rule import Rule

__all__ = ["RULES", "rule"]

RULES: tuple[Rule, ...] = (
    *exclusivity.RULES,
    *lockout.RULES,
    *benefits.RULES,
    *overrides.RULES,
    *secrecy.RULES,
)


def rule(rule_id: str) -> Rule:
    """Return the rule called ``rule_id``."""
    for candidate in RULES:
        if candidate.id == rule_id:
            return candidate
    raise KeyError(rule_id)
