"""Roles and legal bases: who is controller or processor, each party's bases, direct care.

Controller status is a question of fact (UK GDPR Articles 4(7), 26, 28); a company
rarely exercises official authority (Article 6(3), DPA 2018 s.8); implied consent
covers only individual care (National Data Guardian).
"""

from __future__ import annotations

import re

from toolkit.exceptions import Problem
from toolkit.spec.governance_facts import (
    SERVICE_MODELS,
    data_value_models,
    personal_data,
)
from toolkit.spec.governance_facts import problem as _p

# Article 9 conditions that the DPA 2018 makes depend on a Schedule 1 condition (s.10).
_NEEDS_SCHEDULE_1 = {"9(2)(b)", "9(2)(g)", "9(2)(h)", "9(2)(i)", "9(2)(j)"}
_PUBLIC_TASK = "6(1)(e)"
_LEGITIMATE_INTERESTS = "6(1)(f)"
_NON_PUBLIC_PARTNERS = {"company", "charity", "other"}
# Purposes that are not individual care: developing, training or testing something, or
# research. ("validated" as an adjective describes a finished product, so is not here.)
_NOT_CARE = re.compile(
    r"\b(?:research\w*|commerciali[sz]\w*|product development|proof of concept|"
    r"(?:develop(?:s|ing|ment)?|build(?:s|ing)?|train(?:s|ing)?|(?:safety-)?test(?:s|ing)?"
    r"(?!\s+results?)|refin(?:e|es|ing|ement)|improv(?:e|es|ing|ement)|"
    r"validat(?:e|es|ing|ion)|prototyp(?:e|es|ing)|pilot(?:s|ing)?|evaluat(?:e|es|ing|ion))"
    r"(?:\W+\w+){0,6}?\W+(?:algorithms?|apps?|applications?|models?|"
    r"products?|tools?|software|devices?|systems?|AI))\b",
    re.I,
)
# Words by which a justification says why something is necessary, not merely that it is.


def check_roles(spec: dict, draft: bool) -> list[Problem]:
    """Return the problems with the parties' roles, legal bases and any direct-care claim."""
    return [*_roles(spec), *_legal_bases(spec, draft), *_direct_care(spec)]


def _roles(spec: dict) -> list[Problem]:
    problems = []
    partner_role = spec["partner"]["role"]
    nhs_roles = [party["role"] for party in spec["nhs_parties"]]
    if not personal_data(spec):
        if partner_role != "no_personal_data":
            problems.append(
                _p(
                    "partner.role",
                    f"the partner is given the role '{partner_role}' but receives only "
                    "anonymised data, which is not personal data",
                    "Set partner.role: no_personal_data, or correct data.identifiability.",
                )
            )
        return problems
    if partner_role == "no_personal_data":
        problems.append(
            _p(
                "partner.role",
                f"the partner receives {spec['data']['identifiability']} data, which is "
                "personal data, so it must have a data protection role",
                "Controller status is a question of fact: set joint_controller, "
                "independent_controller or processor.",
            )
        )
    if partner_role == "joint_controller" and "joint_controller" not in nhs_roles:
        problems.append(
            _p(
                "partner.role",
                "the partner is a joint controller, but no NHS party is a joint controller "
                "with it (UK GDPR Article 26 needs at least two)",
                "Make the NHS party that decides the purposes and means with the partner "
                "a joint_controller, or make the partner an independent_controller.",
            )
        )
    if partner_role != "joint_controller" and nhs_roles.count("joint_controller") == 1:
        index = nhs_roles.index("joint_controller")
        problems.append(
            _p(
                f"nhs_parties[{index}].role",
                "a party cannot be a joint controller alone",
                "Set independent_controller, or name the other joint controller.",
            )
        )
    if partner_role == "processor":
        if set(spec["data"]["uses"]) & {"research", "product_development"}:
            problems.append(
                _p(
                    "partner.role",
                    "a processor acts only on the controller's instructions, yet the data "
                    "is to be used for research or product development, which the partner "
                    "decides and benefits from: that makes it a controller (Article 28(10))",
                    "Make the partner a joint or independent controller with its own "
                    "lawful basis, or limit data.uses to the NHS's own purposes.",
                )
            )
        trained = [
            index
            for index, model in enumerate((spec.get("ai_product") or {}).get("models") or [])
            if model.get("trained_on_data")
        ]
        if trained:
            problems.append(
                _p(
                    f"ai_product.models[{trained[0]}].trained_on_data",
                    "a processor would train its own model on the NHS party's data, which "
                    "serves the partner's product, not only the controller's instructions: "
                    "that makes the partner a controller of that use (Article 28(10))",
                    "Use a model trained before or apart from this data (trained_on_data: "
                    "false), or make the partner a controller with its own lawful basis and a "
                    "basis under the duty of confidentiality (s251 support or consent).",
                )
            )
        owner = (spec.get("ip") or {}).get("foreground_owner")
        if owner != "nhs":
            # The contract would otherwise say two things: the spec's owner, and the
            # processor's duty to make nothing for itself. Refuse rather than override.
            problems.append(
                _p(
                    "ip.foreground_owner",
                    f"the partner is a processor, yet Foreground IP is to be owned by "
                    f"'{owner}': a processor makes nothing from the controller's data for "
                    "itself (Article 28(3)(a) and 28(10)), and what is made from the NHS "
                    "party's data is the NHS party's to safeguard (principle 2)",
                    "Set ip.foreground_owner: nhs (the Partner keeps its product and "
                    "platform as Background IP), or, if the partner is really to own or "
                    "share what is made, make it a controller with its own lawful basis.",
                )
            )
        data_models = data_value_models(spec)
        if data_models:
            problems.append(
                _p(
                    "partner.role",
                    f"a processor cannot pay for or profit from the data through the "
                    f"'{data_models[0]}' model: a partner that does is deciding why the "
                    "data is used, so it is a controller",
                    "Make the partner a controller, or use a service model "
                    f"({', '.join(sorted(SERVICE_MODELS))}).",
                )
            )
    return problems


def _controllers(spec: dict) -> list[tuple[str, dict, str]]:
    """Return (path, party, kind) for every party that is a controller."""
    parties = [
        (f"nhs_parties[{i}]", party, party["kind"]) for i, party in enumerate(spec["nhs_parties"])
    ]
    if spec["partner"]["role"] in ("joint_controller", "independent_controller"):
        parties.append(("partner", spec["partner"], spec["partner"]["kind"]))
    return parties


def _legal_bases(spec: dict, draft: bool) -> list[Problem]:
    problems = []
    special = spec["data"]["special_category"]
    for index, party in enumerate(spec["nhs_parties"]):
        if not party.get("statutory_power") and not draft:
            problems.append(
                _p(
                    f"nhs_parties[{index}].statutory_power",
                    f"the legal power of {party['name']} to share the data and to enter "
                    "into this commercial arrangement is not recorded",
                    "Name the statute, for example 'National Health Service Act 2006, "
                    "s.43 and s.44 (income generation)'; the ICO code expects it. Or "
                    "assemble with --draft.",
                    2,
                )
            )
    if not personal_data(spec):
        # The NHS party still anonymises personal data, so it needs a basis for that.
        for index, party in enumerate(spec["nhs_parties"]):
            if not (party.get("lawful_basis") or {}).get("article_6"):
                problems.append(
                    _p(
                        f"nhs_parties[{index}].lawful_basis.article_6",
                        f"{party['name']} anonymises personal data before it is shared, "
                        "which is itself processing and needs an Article 6 basis",
                        'State it, usually "6(1)(e)".',
                    )
                )
        return problems
    for path, party, kind in _controllers(spec):
        basis = party.get("lawful_basis") or {}
        article_6, article_9 = basis.get("article_6"), basis.get("article_9")
        if not article_6:
            problems.append(
                _p(
                    f"{path}.lawful_basis.article_6",
                    f"{party['name']} is a controller of personal data and needs its own "
                    "UK GDPR Article 6 lawful basis",
                    'State it, for example "6(1)(e)" for an NHS body or "6(1)(f)" for a company.',
                )
            )
        if special and not article_9:
            problems.append(
                _p(
                    f"{path}.lawful_basis.article_9",
                    f"{party['name']} processes health data and needs an Article 9 condition",
                    'State it, for example "9(2)(h)" for care or "9(2)(j)" for research.',
                )
            )
        if special and article_9 in _NEEDS_SCHEDULE_1 and not basis.get("dpa_schedule_1"):
            problems.append(
                _p(
                    f"{path}.lawful_basis.dpa_schedule_1",
                    f"Article {article_9} applies only with a condition in Schedule 1 to "
                    "the Data Protection Act 2018 (section 10)",
                    'Name it, for example "Part 1 paragraph 2" (health or social care) '
                    'or "Part 1 paragraph 4" (research).',
                )
            )
        if path == "partner" and article_6 == _PUBLIC_TASK and kind in _NON_PUBLIC_PARTNERS:
            if not party.get("statutory_function"):
                problems.append(
                    _p(
                        "partner.lawful_basis.article_6",
                        f"{party['name']} is a {kind}, not a public authority: it can rely "
                        "on Article 6(1)(e) only for a task laid down by law (Article 6(3), "
                        "DPA 2018 s.8), and none is named",
                        "Use 6(1)(f) with a legitimate interests assessment, or name the "
                        "statutory function in partner.statutory_function.",
                    )
                )
        if article_6 == _LEGITIMATE_INTERESTS:
            if path != "partner":
                problems.append(
                    _p(
                        f"{path}.lawful_basis.article_6",
                        f"{party['name']} is a public authority and cannot rely on "
                        "legitimate interests for its tasks (Article 6(1), last sentence)",
                        'Use "6(1)(e)" with the statutory power that the task rests on.',
                    )
                )
            elif not party.get("legitimate_interests_assessment") and not draft:
                problems.append(
                    _p(
                        "partner.legitimate_interests_assessment",
                        f"{party['name']} relies on legitimate interests without a recorded "
                        "legitimate interests assessment",
                        "Give its reference, or assemble with --draft while it is done.",
                    )
                )
    return problems


def _direct_care(spec: dict) -> list[Problem]:
    data = spec["data"]
    if data["confidentiality_basis"] != "direct_care":
        return []
    problems = []
    why = (
        "Individual care is the only purpose implied consent covers (National Data "
        "Guardian; the Royal Free-DeepMind finding). Use s251 support from the "
        "Confidentiality Advisory Group (confidentiality_basis: s251), or the patients' "
        "explicit consent."
    )
    if spec["partner"]["role"] != "processor":
        problems.append(
            _p(
                "data.confidentiality_basis",
                "direct care is claimed, but the partner is not acting as the NHS party's "
                f"processor (its role is '{spec['partner']['role']}')",
                "A partner that decides why the data is used is not providing care. " + why,
            )
        )
    data_models = data_value_models(spec)
    if data_models:
        problems.append(
            _p(
                "data.confidentiality_basis",
                f"direct care is claimed, but the '{data_models[0]}' model has the partner "
                "pay for or profit from its own use of the data",
                why,
            )
        )
    other_uses = [use for use in data["uses"] if use not in ("direct_care", "deployment")]
    if other_uses:
        problems.append(
            _p(
                "data.uses",
                f"direct care is claimed, but the data is also used for {other_uses[0]}",
                why,
            )
        )
    purpose = spec["purpose"]
    found = _NOT_CARE.search(f"{purpose['aim']}. {purpose['description']}")
    if found:
        problems.append(
            _p(
                "purpose.description",
                f"direct care is claimed, but the purpose describes '{found.group(0)}', "
                "which is not the care of the individual patients whose records are used",
                why,
            )
        )
    return problems
