"""The rules that tie a version-2 spec's roles, bases, jurisdictions and access together.

Each refusal names the principle at stake (5, legal compliance, unless said otherwise)
and what to do. The rules follow the ICO data sharing code, the HRA/CAG guidance on
section 251, NHS England's national data opt-out policy, the Scottish Public Benefit
and Privacy Panel, the Health and Social Care (Control of Data Processing) Act
(Northern Ireland) 2016 and the DSPT's scope.
"""

from __future__ import annotations

import re

from toolkit.exceptions import Problem

DSPT_ACCEPTED = ("standards_met", "standards_exceeded")
# Models in which the partner pays for, or profits from, its own use of the data. The
# partner is then deciding why the data is used, so it is a controller, never a mere
# processor, and the use is not individual care. Any model not listed as a service to
# the NHS counts as one of these, so a new model is treated safely by default.
SERVICE_MODELS = frozenset({"gain_share", "in_kind"})
# Article 9 conditions that the DPA 2018 makes depend on a Schedule 1 condition (s.10).
_NEEDS_SCHEDULE_1 = {"9(2)(b)", "9(2)(g)", "9(2)(h)", "9(2)(i)", "9(2)(j)"}
_PUBLIC_TASK = "6(1)(e)"
_LEGITIMATE_INTERESTS = "6(1)(f)"
_NON_PUBLIC_PARTNERS = {"company", "charity", "other"}
# Countries with UK adequacy regulations (DPA 2018 s.17A), besides the EEA. The United
# States is adequate only for organisations certified under the UK Extension, which a
# deal spec cannot show, so a US transfer needs the IDTA or the Addendum.
_ADEQUATE = {
    "andorra", "argentina", "canada", "faroe islands", "guernsey", "isle of man", "israel",
    "japan", "jersey", "new zealand", "republic of korea", "south korea", "switzerland",
    "uruguay", "gibraltar",
    "austria", "belgium", "bulgaria", "croatia", "cyprus", "czech republic", "czechia",
    "denmark", "estonia", "finland", "france", "germany", "greece", "hungary", "iceland",
    "ireland", "italy", "latvia", "liechtenstein", "lithuania", "luxembourg", "malta",
    "netherlands", "norway", "poland", "portugal", "romania", "slovakia", "slovenia",
    "spain", "sweden",
}  # fmt: skip
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
_NECESSITY = re.compile(
    r"\b(?:because|since|cannot|can ?not|could not|only|necessary|necessity|requires?|"
    r"required to|needs? to|must|so that|in order to|impossible|without)\b",
    re.I,
)
_FORMALITY = re.compile(
    r"^(?:as )?(?:per|see|in line with|in accordance with|required by|needed for|"
    r"necessary for) (?:the )?(?:dpia|project|purpose|study|agreement|protocol)\W*$",
    re.I,
)
# A free-text term that moves or opens data to another country.
_OVERSEAS = re.compile(
    r"\b(?:outside (?:the )?(?:UK|United Kingdom)|overseas|offshore|abroad|cross-border|"
    r"United States|USA|U\.S\.|US[- ](?:affiliate|parent|subsidiary|entity|team|servers?|"
    r"cloud|group)|India|China|Israel|Canada|Australia|Singapore|Philippines|"
    r"international transfer|transferred? to (?:its|an?) (?:affiliate|parent|group))\b",
)


def _p(path: str, message: str, hint: str, principle: int = 5) -> Problem:
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


def check_all(spec: dict, draft: bool) -> list[Problem]:
    """Return every problem with a version-2 spec's information governance."""
    return [
        *_roles(spec),
        *_legal_bases(spec, draft),
        *_direct_care(spec),
        *_jurisdiction(spec, draft),
        *_dspt(spec, draft),
        *_transfers(spec),
        *_data_provenance(spec, draft),
    ]


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
        data_models = [m for m in _models(spec) if m not in SERVICE_MODELS]
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


def _models(spec: dict) -> list[str]:
    return [spec["partnership_model"]] + [m["model"] for m in spec["additional_models"]]


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
    data_models = [m for m in _models(spec) if m not in SERVICE_MODELS]
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


def _jurisdiction(spec: dict, draft: bool) -> list[Problem]:
    problems = []
    data = spec["data"]
    basis = data["confidentiality_basis"]
    where = nations(spec)
    approvals = data.get("approvals") or {}
    outside_ew = sorted(where & {"scotland", "northern_ireland"})
    if basis == "s251" and outside_ew:
        route = {
            "scotland": "in Scotland, approval of the Public Benefit and Privacy Panel "
            "(confidentiality_basis: pbpp)",
            "northern_ireland": "in Northern Ireland, the Health and Social Care (Control "
            "of Data Processing) Act (Northern Ireland) 2016 on the Privacy Advisory "
            "Committee's advice (confidentiality_basis: ni_2016_act)",
        }
        problems.append(
            _p(
                "data.confidentiality_basis",
                "section 251 of the NHS Act 2006 applies only in England and Wales, but "
                f"data comes from {' and '.join(n.replace('_', ' ').title() for n in outside_ew)}",
                "Use the route for that nation: "
                + "; ".join(route[n] for n in outside_ew)
                + "; or the patients' explicit consent.",
            )
        )
    for route_basis, nation, label in (
        ("pbpp", "scotland", "the Public Benefit and Privacy Panel (Scotland)"),
        ("ni_2016_act", "northern_ireland", "the Northern Ireland 2016 Act"),
    ):
        if basis == route_basis and where != {nation}:
            problems.append(
                _p(
                    "data.confidentiality_basis",
                    f"{label} covers only data from {nation.replace('_', ' ').title()}",
                    "Use s251 for data from England and Wales, or make separate agreements "
                    "for each nation's data.",
                )
            )
    if personal_data(spec) and basis not in ("consent", "direct_care"):
        for nation in sorted(where):
            if nation == "scotland" and basis not in ("pbpp", "s251"):
                problems.append(
                    _p(
                        "data.confidentiality_basis",
                        f"'{basis}' is not a route for Scottish patients' confidential data",
                        "Use pbpp with the Panel's approval reference, or consent.",
                    )
                )
            if nation == "northern_ireland" and basis not in ("ni_2016_act", "s251"):
                problems.append(
                    _p(
                        "data.confidentiality_basis",
                        f"'{basis}' is not a route for Northern Irish patients' confidential data",
                        "Use ni_2016_act with the Privacy Advisory Committee's reference, "
                        "or consent.",
                    )
                )
    needed = {
        "s251": ("cag", "the Confidentiality Advisory Group's s251 support"),
        "pbpp": ("pbpp", "the Public Benefit and Privacy Panel's approval"),
        "ni_2016_act": (
            "ni_privacy_advisory_committee",
            "the Privacy Advisory Committee's advice and the Department's authorisation",
        ),
    }
    if basis in needed and personal_data(spec) and not draft:
        key, label = needed[basis]
        if not (approvals.get(key) or {}).get("reference"):
            problems.append(
                _p(
                    f"data.approvals.{key}.reference",
                    f"the confidentiality basis is '{basis}', but the reference for "
                    f"{label} is missing",
                    "Record the approval reference, or assemble with --draft until it is granted.",
                )
            )
    opt_out = data["national_data_opt_out"]
    if opt_out == "applied" and "england" not in where:
        problems.append(
            _p(
                "data.national_data_opt_out",
                "the national data opt-out is an England-only policy, and no NHS party is "
                "in England",
                "Set national_data_opt_out: not_applicable; the contract then describes "
                "the objection routes that apply in that nation.",
            )
        )
    if (
        opt_out == "not_applicable"
        and basis == "s251"
        and "england" in where
        and personal_data(spec)
    ):
        problems.append(
            _p(
                "data.national_data_opt_out",
                "the national data opt-out must be applied to English patients' data "
                "disclosed under s251",
                "Set national_data_opt_out: applied.",
            )
        )
    if (
        opt_out == "not_applicable"
        and not data.get("national_data_opt_out_reason")
        and personal_data(spec)
        and "england" in where
        and basis not in ("consent", "direct_care")
    ):
        problems.append(
            _p(
                "data.national_data_opt_out_reason",
                "the national data opt-out is marked not applicable without a reason",
                "Say why it does not apply to this disclosure of English patients' data.",
            )
        )
    return problems


def _dspt(spec: dict, draft: bool) -> list[Problem]:
    problems = []
    data = spec["data"]
    status = data.get("partner_dspt_status")
    if partner_holds_personal_data(spec) and status not in DSPT_ACCEPTED:
        problems.append(
            _p(
                "data.partner_dspt_status",
                f"personal data will be in the partner's hands or systems, but its DSPT "
                f"status is '{status or 'not given'}', not 'standards met'",
                "The partner must reach DSPT standards met (or the equivalent assurance "
                "outside England) before it holds NHS personal data; or use an NHS-run "
                "secure data environment or aggregate outputs.",
            )
        )
    sde = data.get("secure_data_environment")
    if data["access"] == "sde":
        if not sde and not draft:
            problems.append(
                _p(
                    "data.secure_data_environment",
                    "access is through a secure data environment, but which one, and who "
                    "operates it, is not recorded",
                    "Give its name, operator, operator_kind (nhs, partner or third_party) "
                    "and the operator's DSPT status.",
                )
            )
        elif sde and sde["operator_dspt_status"] not in DSPT_ACCEPTED:
            problems.append(
                _p(
                    "data.secure_data_environment.operator_dspt_status",
                    f"the secure data environment's operator has DSPT status "
                    f"'{sde['operator_dspt_status']}', not 'standards met'",
                    "Use an environment whose operator meets the DSPT standards.",
                )
            )
    return problems


def _transfers(spec: dict) -> list[Problem]:
    problems = []
    data = spec["data"]
    places = {data["storage_location"], data["access_location"]}
    places |= {sub["location"] for sub in data["sub_processors"]}
    if personal_data(spec) and places - {"uk"}:
        route = data.get("transfer_route")
        if not route:
            problems.append(
                _p(
                    "data.transfer_route",
                    "personal data will be stored or accessed outside the UK (remote "
                    "access counts) without a transfer route (UK GDPR Chapter V)",
                    "Give transfer_route: adequacy, idta (International Data Transfer "
                    "Agreement) or addendum (to the EU standard contractual clauses), "
                    "with a transfer risk assessment; or keep storage and access in the UK.",
                )
            )
        if "outside_uk" in places:
            countries = [c.strip().lower() for c in data["overseas_countries"]]
            if not countries:
                problems.append(
                    _p(
                        "data.overseas_countries",
                        "personal data will reach a country outside the UK and the EEA, "
                        "but the country is not named",
                        "List every country where the data is stored or from which it is accessed.",
                    )
                )
            elif route == "adequacy":
                inadequate = [c for c in countries if c not in _ADEQUATE]
                if inadequate:
                    problems.append(
                        _p(
                            "data.transfer_route",
                            f"no UK adequacy regulations cover '{inadequate[0]}' for this transfer",
                            "Use the IDTA or the Addendum, with a transfer risk assessment.",
                        )
                    )
    if places == {"uk"}:
        for index, term in enumerate(spec["clauses"]["additional_terms"]):
            found = _OVERSEAS.search(term)
            if found:
                problems.append(
                    _p(
                        f"clauses.additional_terms[{index}]",
                        f"this term sends or opens data abroad ('{found.group(0)}'), but "
                        "the spec says the data is stored and accessed only in the UK",
                        "Record it in data.access_location or data.storage_location, "
                        "data.overseas_countries and data.transfer_route, so that the "
                        "transfer is checked and the contract's transfer terms apply.",
                    )
                )
    return problems


_PROVENANCE = {
    "source": "source",
    "controller": "controller",
    "items": "list of data items",
    "approximate_records": "approximate number of records",
}


def _justified(text: str | None) -> bool:
    words = " ".join((text or "").split())
    return (
        len(words.split()) >= 8 and bool(_NECESSITY.search(words)) and not _FORMALITY.match(words)
    )


def _data_provenance(spec: dict, draft: bool) -> list[Problem]:
    problems = []
    data = spec["data"]
    kind = data["identifiability"]
    if kind == "identifiable" and not _justified(data.get("identifiable_justification")):
        problems.append(
            _p(
                "data.identifiable_justification",
                "identifiable data is to be shared without a justification that says why "
                "pseudonymised or anonymised data would not serve",
                "Explain in a sentence or two why identifiers are necessary (for example, "
                "'clinicians must see which patient an alert concerns, so that they can "
                "act on it'); data minimisation (Article 5(1)(c)) requires it.",
            )
        )
    if data["access"] == "extract" and data.get("extract_justification"):
        if not _justified(data["extract_justification"]):
            problems.append(
                _p(
                    "data.extract_justification",
                    "the extract justification does not say why analysis in a secure data "
                    "environment would not serve",
                    "Name the necessity (what cannot be done in the environment, and why).",
                )
            )
    if kind == "anonymised" and not data.get("anonymisation_assessment") and not draft:
        problems.append(
            _p(
                "data.anonymisation_assessment",
                "the data is called anonymised, but no anonymisation assessment is recorded",
                "Give the reference of the assessment (ICO anonymisation guidance: the "
                "motivated intruder test, in the recipient's hands), or assemble with "
                "--draft.",
            )
        )
    for index, dataset in enumerate(data["datasets"]):
        for key, what in _PROVENANCE.items():
            if dataset.get(key) is None and not draft:
                problems.append(
                    _p(
                        f"data.datasets[{index}].{key}",
                        f"the {what} of '{dataset['name']}' is not recorded",
                        "The ICO code expects each dataset's items and provenance; record "
                        "it, or assemble with --draft.",
                    )
                )
        if kind == "pseudonymised" and not dataset.get("pseudonymisation_key_holder") and not draft:
            problems.append(
                _p(
                    f"data.datasets[{index}].pseudonymisation_key_holder",
                    f"who holds the key that re-identifies '{dataset['name']}' is not recorded",
                    "Name the organisation holding it; it must not be the partner.",
                )
            )
        holder = (dataset.get("pseudonymisation_key_holder") or "").strip().lower()
        partner_name = spec["partner"]["name"].strip().lower()
        if holder and (holder == partner_name or holder == "partner"):
            problems.append(
                _p(
                    f"data.datasets[{index}].pseudonymisation_key_holder",
                    "the partner holds the key to the pseudonymised data, so the data is "
                    "identifiable in its hands",
                    "Keep the key with the NHS party or a trusted third party, or treat "
                    "the data as identifiable.",
                )
            )
    return problems
