"""Facts about a version-2 deal spec that the governance rules share."""

from __future__ import annotations

from toolkit.exceptions import Problem

DSPT_ACCEPTED = ("standards_met", "standards_exceeded")
# Models in which the partner pays for, or profits from, its own use of the data. The
# partner is then deciding why the data is used, so it is a controller, never a mere
# processor, and the use is not individual care. Any model not listed as a service to
# the NHS counts as one of these, so a new model is treated safely by default.
SERVICE_MODELS = frozenset({"gain_share", "in_kind"})


def problem(path: str, message: str, hint: str, principle: int = 5) -> Problem:
    """Return a governance problem; principle 5 (legal compliance) unless said otherwise."""
    return Problem(path, message, principle, hint)


def nations(spec: dict) -> set[str]:
    """Return the nations the NHS parties (the data's sources) are in."""
    return {party["nation"] for party in spec["nhs_parties"]}


def personal_data(spec: dict) -> bool:
    """Whether the data is personal data (pseudonymised data is)."""
    return spec["data"]["identifiability"] != "anonymised"


def partner_holds_personal_data(spec: dict) -> bool:
    """Whether personal data reaches the partner's hands or systems.

    Not for aggregate outputs, nor for analysis inside a secure data environment that
    another body runs (its operator holds the DSPT); yes for an extract, for a partner
    acting as processor, and for an environment the partner runs.
    """
    data = spec["data"]
    if not personal_data(spec):
        return False
    if data["access"] == "extract" or spec["partner"]["role"] == "processor":
        return True
    # An environment the partner runs is the partner's system; one an NHS body or a
    # trusted research environment runs is not (its operator's assurance is checked).
    sde = data.get("secure_data_environment") or {}
    return data["access"] == "sde" and sde.get("operator_kind") == "partner"


def models(spec: dict) -> list[str]:
    """Return every partnership model the deal uses, the main one first."""
    return [spec["partnership_model"]] + [m["model"] for m in spec["additional_models"]]


def data_value_models(spec: dict) -> list[str]:
    """Return the models in which the partner pays for or profits from the data."""
    return [m for m in models(spec) if m not in SERVICE_MODELS]
