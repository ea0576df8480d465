"""Jurisdiction: the confidentiality route and opt-out for the nation the data comes from.

Section 251 of the NHS Act 2006 covers England and Wales; Scotland uses the Public
Benefit and Privacy Panel; Northern Ireland the Health and Social Care (Control of Data
Processing) Act (Northern Ireland) 2016; the national data opt-out is England's alone.
"""

from __future__ import annotations

from toolkit.exceptions import Problem
from toolkit.spec.governance_facts import nations, personal_data
from toolkit.spec.governance_facts import problem as _p


def check_jurisdiction(spec: dict, draft: bool) -> list[Problem]:
    """Return the problems with the confidentiality route, approvals and opt-out by nation."""
    return _jurisdiction(spec, draft)


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
