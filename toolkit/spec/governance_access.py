"""Access and transfers: DSPT in proportion to access, locations, provenance, minimisation.

The DSPT follows personal data into the partner's hands or systems; UK GDPR Chapter V
governs storage or access outside the UK; the ICO code expects each dataset's items and
provenance, and Article 5(1)(c) a reason for every identifier.
"""

from __future__ import annotations

import re

from toolkit.exceptions import Problem
from toolkit.spec.governance_facts import (
    DSPT_ACCEPTED,
    partner_holds_personal_data,
    personal_data,
)
from toolkit.spec.governance_facts import problem as _p

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


def check_access(spec: dict, draft: bool) -> list[Problem]:
    """Return the problems with DSPT, locations and transfers, and dataset provenance."""
    return [*_dspt(spec, draft), *_transfers(spec), *_data_provenance(spec, draft)]


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
            # An approved term is a mapping {text, approval}; a plain one is a string.
            found = _OVERSEAS.search(term["text"] if isinstance(term, dict) else term)
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
