"""The kinds of party a deal spec names, and how a contract calls each of them.

One table, so that a new kind is added in one place: its name in running text
("the partner, a university, ...": ``name``) and the description after a party's
name in the parties list (``description``, with its article, or a set phrase such
as NHS England's).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PartyKind:
    """How a contract names one kind of party."""

    name: str
    description: str
    nhs: bool


PARTY_KINDS: dict[str, PartyKind] = {
    "nhs_trust": PartyKind("NHS trust", "an NHS trust", nhs=True),
    "foundation_trust": PartyKind("NHS foundation trust", "an NHS foundation trust", nhs=True),
    "icb": PartyKind("integrated care board", "an integrated care board", nhs=True),
    "gp_practice": PartyKind("GP practice", "a GP practice", nhs=True),
    "nhs_england": PartyKind("NHS England", "the body corporate known as NHS England", nhs=True),
    "health_board": PartyKind("health board", "a health board", nhs=True),
    "other_nhs_body": PartyKind("NHS body", "a body of the NHS", nhs=True),
    "company": PartyKind("company", "a company", nhs=False),
    "university": PartyKind("university", "a university", nhs=False),
    "charity": PartyKind("charity", "a charity", nhs=False),
    "other": PartyKind("organisation", "an organisation", nhs=False),
}
# The kinds an NHS party and a partner may be, in the table's order.
NHS_KINDS = tuple(kind for kind, entry in PARTY_KINDS.items() if entry.nhs)
PARTNER_KINDS = tuple(kind for kind, entry in PARTY_KINDS.items() if not entry.nhs)
# Kind -> name, as clause texts see it (``party.kind_name``).
KIND_NAMES = {kind: entry.name for kind, entry in PARTY_KINDS.items()}
# Kind -> description, as the parties list writes it.
KIND_DESCRIPTIONS = {kind: entry.description for kind, entry in PARTY_KINDS.items()}
