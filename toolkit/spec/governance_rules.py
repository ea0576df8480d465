"""The rules that tie a version-2 spec's roles, bases, jurisdictions and access together.

Each refusal names the principle at stake (5, legal compliance, unless said otherwise)
and what to do. The rules follow the ICO data sharing code, the HRA/CAG guidance on
section 251, NHS England's national data opt-out policy, the Scottish Public Benefit
and Privacy Panel, the Health and Social Care (Control of Data Processing) Act
(Northern Ireland) 2016 and the DSPT's scope. They live in three modules by concern:
roles and bases, jurisdiction, and access and transfers.
"""

from __future__ import annotations

from toolkit.exceptions import Problem
from toolkit.spec.governance_access import check_access
from toolkit.spec.governance_facts import (  # noqa: F401  (the rules' public facts)
    DSPT_ACCEPTED,
    SERVICE_MODELS,
    nations,
    partner_holds_personal_data,
    personal_data,
)
from toolkit.spec.governance_jurisdiction import check_jurisdiction
from toolkit.spec.governance_roles import check_roles


def check_all(spec: dict, draft: bool) -> list[Problem]:
    """Return every problem with a version-2 spec's information governance."""
    return [
        *check_roles(spec, draft),
        *check_jurisdiction(spec, draft),
        *check_access(spec, draft),
    ]
