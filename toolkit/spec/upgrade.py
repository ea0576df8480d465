"""Rewriting a version-1 deal spec as version 2, marking what the user must add or confirm.

A field version 1 implied (for example, joint controllership for personal data) is
written with that meaning and a `# TODO: confirm` note; a field version 1 had no
answer for is written open (null), which `validate` refuses in a final contract and
`assemble --draft` shows as an open item. Commercial fields come from
`toolkit.spec.commercial.UPGRADE_DEFAULTS`, when that module defines them.
"""

from __future__ import annotations

import copy
import re
from typing import Any

import yaml

from toolkit.exceptions import Problem, SpecError

_NATION = {
    "england_and_wales": "england",
    "scotland": "scotland",
    "northern_ireland": "northern_ireland",
}
_SCHEDULE_1 = {
    "9(2)(h)": "Part 1 paragraph 2",
    "9(2)(i)": "Part 1 paragraph 3",
    "9(2)(j)": "Part 1 paragraph 4",
}
# Where a field is new in version 2, what the user must do about it. Paths have no
# list indexes: the note applies to every party or dataset.
TODO = {
    "nhs_parties.nation": "confirm the nation this party's data comes from (england, wales, "
    "scotland, northern_ireland)",
    "nhs_parties.role": "confirm: joint_controller or independent_controller (a question of fact)",
    "nhs_parties.lawful_basis": "confirm this party's own Article 6 basis, Article 9 condition and "
    "DPA 2018 Schedule 1 condition",
    "nhs_parties.statutory_power": "name the statute giving this body power to share the data and "
    "to trade (e.g. NHS Act 2006 s.43 and s.44)",
    "nhs_parties.caldicott_guardian": "name the Caldicott Guardian who approves the sharing (null "
    "makes approval a condition in the contract)",
    "partner.role": "confirm: joint_controller, independent_controller, processor or "
    "no_personal_data",
    "partner.lawful_basis": "confirm the partner's own bases; version 1 gave every party the same",
    "partner.statutory_function": "only if the partner relies on 6(1)(e): the law that gives it "
    "the task",
    "partner.legitimate_interests_assessment": "reference of the partner's legitimate interests "
    "assessment, if it relies on 6(1)(f)",
    "data.datasets.source": "the system or organisation the dataset comes from",
    "data.datasets.controller": "the controller of the dataset at source",
    "data.datasets.items": "list the data items (fields) shared",
    "data.datasets.approximate_records": "approximate number of records (or patients)",
    "data.datasets.linkage": "linkage keys and datasets, or null for none",
    "data.datasets.free_text": "true if free text is included",
    "data.datasets.imaging": "true if images are included",
    "data.datasets.genomic": "true if genomic data is included",
    "data.datasets.pseudonymisation_key_holder": "who holds the re-identification key (never "
    "the partner)",
    "data.uses": "confirm: direct_care, research, product_development, service_evaluation, "
    "planning, deployment",
    "data.identifiable_justification": "identifiable data only: why identifiers are necessary",
    "data.anonymisation_assessment": "anonymised data only: the anonymisation assessment reference",
    "data.secure_data_environment": "the environment, its operator and the operator's DSPT status",
    "data.approvals": "CAG (s251), REC/IRAS, PBPP (Scotland), NI Privacy Advisory Committee",
    "data.access_location": "where the data is accessed from (remote access counts)",
    "data.overseas_countries": "every country outside the UK where data is stored or accessed",
    "data.transfer_route": "adequacy, idta or addendum when data leaves the UK",
    "data.sub_processors": "every sub-processor or host: name, service, location",
}


def upgrade_spec(raw: Any, *, source: str, commercial_defaults: dict | None = None) -> str:
    """Return the version-2 YAML text of a version-1 deal spec, with TODO notes."""
    if not isinstance(raw, dict) or raw.get("spec_version") != 1:
        version = raw.get("spec_version") if isinstance(raw, dict) else None
        raise SpecError(
            source,
            [
                Problem(
                    "spec_version",
                    f"only a version-1 deal spec can be upgraded (this one is {version!r})",
                    hint="A version-2 spec needs no upgrade; check the file is a deal spec.",
                )
            ],
        )
    if commercial_defaults is None:
        commercial_defaults = _commercial_defaults()
    document = upgraded(raw, commercial_defaults)
    text = yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)
    notes = {**commercial_todo(commercial_defaults), **TODO}
    header = (
        "# Upgraded from spec_version 1 by `nhs-contracts upgrade`. Every line marked TODO\n"
        "# is new in version 2: fill it in or confirm it, then run `nhs-contracts validate`.\n"
    )
    return header + _annotate(text, notes)


def upgraded(raw: dict, commercial_defaults: dict | None = None) -> dict:
    """Return the version-2 form of a version-1 deal spec (as data)."""
    spec = copy.deepcopy(raw)
    spec["spec_version"] = 2
    data = spec.get("data") if isinstance(spec.get("data"), dict) else {}
    personal = data.get("identifiability") != "anonymised"
    basis = data.pop("lawful_basis", None) or {}
    nation = _NATION.get((spec.get("agreement") or {}).get("governing_law"), None)
    for party in spec.get("nhs_parties") or []:
        if isinstance(party, dict):
            party.setdefault("nation", nation)
            # Version 1's contract made the parties joint controllers of personal data.
            party.setdefault("role", "joint_controller" if personal else "independent_controller")
            party.setdefault("lawful_basis", _bases(basis, personal, public=True))
            party.setdefault("statutory_power", None)
            party.setdefault("caldicott_guardian", None)
    partner = spec.get("partner") if isinstance(spec.get("partner"), dict) else {}
    company = partner.get("kind") != "university"
    partner.setdefault("role", "joint_controller" if personal else "no_personal_data")
    partner_basis = _bases(basis, personal, public=not company) if personal else None
    partner.setdefault("lawful_basis", partner_basis)
    partner.setdefault("statutory_function", None)
    partner.setdefault("legitimate_interests_assessment", None)
    for dataset in data.get("datasets") or []:
        if isinstance(dataset, dict):
            for key in ("source", "controller", "items", "approximate_records", "linkage"):
                dataset.setdefault(key, None)
            for key in ("free_text", "imaging", "genomic"):
                dataset.setdefault(key, False)
            dataset.setdefault("pseudonymisation_key_holder", None)
    direct = data.get("confidentiality_basis") == "direct_care"
    data.setdefault("uses", ["direct_care"] if direct else ["research"])
    data.setdefault("identifiable_justification", None)
    data.setdefault("anonymisation_assessment", None)
    data.setdefault("secure_data_environment", None)
    data.setdefault("approvals", {"cag": None, "rec": None, "pbpp": None})
    data.setdefault("access_location", data.get("storage_location", "uk"))
    data.setdefault("overseas_countries", [])
    data.setdefault("transfer_route", None)
    data.setdefault("sub_processors", [])
    _merge_defaults(spec, commercial_defaults or {})
    return spec


def commercial_todo(defaults: dict) -> dict[str, str]:
    """Return TODO notes for the commercial fields an upgrade adds."""
    notes = {}
    for key, value in defaults.items():
        path = key.removesuffix("[]")
        if isinstance(value, dict) and (key.endswith("[]") or key in ("partner",)):
            for inner in value:
                notes[f"{path}.{inner}"] = "commercial field new in version 2: fill in or confirm"
        else:
            notes[path] = "commercial section new in version 2: fill in (see the README)"
    return notes


def _merge_defaults(spec: dict, defaults: dict) -> None:
    """Add defaults: `key[]` applies to each item of a list; a dict merges into a dict."""
    for key, value in defaults.items():
        if key.endswith("[]"):
            for item in spec.get(key[:-2]) or []:
                if isinstance(item, dict) and isinstance(value, dict):
                    for inner, default in value.items():
                        item.setdefault(inner, copy.deepcopy(default))
        elif isinstance(value, dict) and isinstance(spec.get(key), dict):
            for inner, default in value.items():
                spec[key].setdefault(inner, copy.deepcopy(default))
        else:
            spec.setdefault(key, copy.deepcopy(value))


def _bases(basis: dict, personal: bool, *, public: bool) -> dict | None:
    """Return one party's bases from version 1's single set."""
    article_6 = basis.get("article_6")
    # A company is not a public authority; 6(1)(e) is rarely open to it (Article 6(3)).
    if not public and article_6 == "6(1)(e)":
        article_6 = "6(1)(f)"
    article_9 = basis.get("article_9") if personal else None
    return {
        "article_6": article_6 or ("6(1)(e)" if public else None),
        "article_9": article_9,
        "dpa_schedule_1": _SCHEDULE_1.get(article_9 or ""),
    }


_KEY = re.compile(r"^(?P<indent>\s*)(?P<dash>- )?(?P<key>[A-Za-z_][A-Za-z0-9_]*):")


def _commercial_defaults() -> dict:
    """Return the commercial section's upgrade defaults, if it defines any."""
    from toolkit.spec import commercial

    return getattr(commercial, "UPGRADE_DEFAULTS", {})


def _annotate(text: str, notes: dict[str, str]) -> str:
    """Add a `# TODO:` note to each line that holds a field new in version 2."""
    lines = []
    stack: list[tuple[int, str]] = []
    for line in text.split("\n"):
        match = _KEY.match(line)
        if match:
            indent = len(match.group("indent")) + (2 if match.group("dash") else 0)
            while stack and stack[-1][0] >= indent:
                stack.pop()
            stack.append((indent, match.group("key")))
            note = notes.get(".".join(key for _, key in stack))
            if note:
                line += f"  # TODO: {note}"
        lines.append(line)
    return "\n".join(lines)
