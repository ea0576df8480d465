"""Deal specs: every free-text field screened, real benefit targets, approvals of
non-standard terms, and bounded inputs (numbers, dates, file sizes, pipes)."""

from __future__ import annotations

import copy
import datetime as dt
import math
import os

import pytest

from toolkit.exceptions import SpecError
from toolkit.library import schemas
from toolkit.spec import end_of_term, load_spec, validate_spec
from toolkit.spec.screen import screen_spec, strings
from toolkit.spec.targets import target_problem

_APPROVAL = {
    "name": "Jane Doe",
    "role": "Director of Governance",
    "date": "2026-12-01",
    "reference": "BM/2026/120",
}


def _problems(deal, library, *, draft=False):
    try:
        validate_spec(deal, library, source="deal.yaml", draft=draft)
    except SpecError as error:
        return error.problems
    return []


# -- every free-text field ----------------------------------------------------------------

_FIELDS = [
    (("agreement", "title"), "Exclusive Data Partnership Agreement"),
    (("purpose", "aim"), "Give the Partner sole access to the AKI cohort"),
    (("purpose", "description"), "The Trust will keep this deal under wraps."),
    (("benefits", 0, "description"), "Earlier treatment for patients of the Trust only"),
    (("benefits", 0, "measure"), "Time to treatment, with the Partner alone holding the data"),
    (("data", "description"), "Inpatient results, withheld from all other companies"),
    (("data", "datasets", 0, "name"), "Pathology results (exclusive to the Partner)"),
    (("partner", "address"), "1 Example Street; the Partner shall have exclusive rights"),
    (("partner", "signatory", "role"), "Director, holder of the exclusive licence"),
    (("nhs_parties", 0, "name"), "Royal Free London NHS Foundation Trust, which grants a monopoly"),
]


@pytest.mark.parametrize(("path", "text"), _FIELDS, ids=lambda v: str(v)[:40])
def test_prohibited_wording_in_any_field_is_refused_with_its_path(deal, library, path, text):
    deal = copy.deepcopy(deal)
    node = deal
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = text
    where = schemas.join_path("", path)
    found = [p for p in _problems(deal, library, draft=True) if p.path == where]
    assert found, f"nothing at {where}"
    assert found[0].principle in (3, 4) and '"' in found[0].message


def test_model_term_strings_are_screened(deal, library):
    problems = screen_spec(
        {
            "model_terms": {
                "base": "net revenue, payable to the Partner alone who shall have exclusive rights"
            }
        }
    )
    assert [p.path for p in problems] == ["model_terms.base"]


def test_strings_walks_every_value_at_any_depth():
    spec = {"a": [{"b": "x"}, "y"], "c": {"d": {"e": "z"}}, "n": 3}
    assert list(strings(spec)) == [("a[0].b", "x"), ("a[1]", "y"), ("c.d.e", "z")]


def test_a_statement_of_fact_in_a_reason_is_not_an_override():
    assert (
        screen_spec(
            {
                "data": {
                    "national_data_opt_out_reason": "the opt-out does not apply "
                    "because the data are anonymised"
                }
            }
        )
        == []
    )


def test_the_valid_spec_passes_the_screen(deal):
    assert screen_spec(deal) == []


# -- benefit targets ----------------------------------------------------------------------

TARGETS = [
    "reduce by 25%",
    "reduce median time to treatment from 6 hours to 4 hours",
    "95% of patients treated within 4 hours",
    "fewer than 200 bed days a year",
    "save £2m a year",
    "halve the waiting list",
    "increase uptake to 80 per cent",
    "500 fewer emergency admissions",
    "reduce by 15 percentage points",
    "cut falls by 1 in 5",
    "at least 2,000 patients screened",
    "reduce HbA1c by 5 mmol/mol",
    "from 40% to 60% of eligible patients by Q4 2028",
]
NOT_TARGETS = [
    "as agreed at the phase 2 review",
    "reduce by 0%",
    "from 95 to 95 minutes",
    "at least 1 patient",
    "(see note 1)",
    "improve outcomes",
    "by Q3 2028",
    "KPI 4",
    "see section 2.3",
    "fewer type 2 diabetes complications",
    "deliver target 3 by 2028",
    "improve in line with objective 2",
    "0 minutes",
    "as set out in schedule 4",
]


@pytest.mark.parametrize("target", TARGETS)
def test_a_real_target(target):
    assert target_problem(target) is None


@pytest.mark.parametrize("target", NOT_TARGETS)
def test_not_a_target(target):
    assert target_problem(target)


def test_an_unreal_target_is_refused_under_principle_1(deal, library):
    deal = copy.deepcopy(deal)
    deal["benefits"][0]["target"] = "from 95 to 95 minutes"
    problem = next(p for p in _problems(deal, library) if p.path == "benefits[0].target")
    assert problem.principle == 1 and "no change" in problem.message


# -- approvals of non-standard terms --------------------------------------------------------


def test_a_final_contract_needs_an_approval_for_each_additional_term(deal, library):
    deal = copy.deepcopy(deal)
    deal["clauses"] = {"additional_terms": ["The Partner shall report quarterly."]}
    problems = _problems(deal, library)
    assert [(p.path, p.principle) for p in problems] == [
        ("clauses.additional_terms[0].approval", 2)
    ]
    assert "name, role, date, reference missing" in problems[0].message
    assert _problems(deal, library, draft=True) == []


def test_an_approved_term_is_accepted_and_its_text_still_screened(deal, library):
    deal = copy.deepcopy(deal)
    deal["clauses"] = {
        "additional_terms": [
            {"text": "The Partner shall report quarterly.", "approval": _APPROVAL},
            {"text": "The Partner alone may use the Data.", "approval": _APPROVAL},
        ]
    }
    problems = _problems(deal, library)
    assert [(p.path, p.principle) for p in problems] == [("clauses.additional_terms[1].text", 3)]


def test_an_incomplete_approval_names_what_is_missing(deal, library):
    deal = copy.deepcopy(deal)
    approval = {key: value for key, value in _APPROVAL.items() if key != "reference"}
    deal["clauses"] = {
        "additional_terms": [{"text": "Reports are quarterly.", "approval": approval}]
    }
    (problem,) = _problems(deal, library)
    assert "reference missing" in problem.message


# -- bounded inputs -------------------------------------------------------------------------


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_nan_and_infinity_are_refused_wherever_numbers_are_read(deal, library, value):
    deal = copy.deepcopy(deal)
    deal["agreement"]["term_months"] = value
    deal["model_terms"]["rate_percent"] = value
    paths = {p.path: p.message for p in _problems(deal, library)}
    assert "agreement.term_months" in paths
    assert any(path.startswith("model_terms.rate_percent") for path in paths)
    assert all("NaN" not in message or "not a number" in message for message in paths.values())


def test_a_huge_integer_is_refused(deal, library):
    deal = copy.deepcopy(deal)
    deal["agreement"]["term_months"] = 10**5000
    assert any("too large" in p.message for p in _problems(deal, library))


@pytest.mark.parametrize("year", [1, 1899, 2201, 9999])
def test_dates_outside_1900_to_2200_are_refused(deal, library, year):
    deal = copy.deepcopy(deal)
    deal["agreement"]["effective_date"] = dt.date(year, 1, 1)
    problem = next(p for p in _problems(deal, library) if p.path == "agreement.effective_date")
    assert "outside the years 1900 to 2200" in problem.message


def test_an_overlong_text_field_is_refused(deal, library):
    deal = copy.deepcopy(deal)
    deal["purpose"]["description"] = "word " * 5000
    assert any(p.path == "purpose.description" for p in _problems(deal, library))


def test_end_of_term_is_arithmetic_and_refuses_the_edge_of_the_calendar():
    assert end_of_term(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 28)
    assert end_of_term(dt.date(9999, 6, 1), 6) == dt.date(9999, 11, 30)
    with pytest.raises(SpecError, match="outside the calendar"):
        end_of_term(dt.date(9999, 12, 31), 120)


def test_a_fifo_is_refused_at_once(tmp_path):
    fifo = tmp_path / "spec.yaml"
    os.mkfifo(fifo)
    with pytest.raises(SpecError, match="not a regular file"):
        load_spec(fifo)


def test_a_device_is_refused_at_once():
    with pytest.raises(SpecError, match="not a regular file"):
        load_spec("/dev/zero")


def test_a_huge_file_is_refused(tmp_path):
    big = tmp_path / "spec.yaml"
    big.write_bytes(b"a" * 1_000_001)
    with pytest.raises(SpecError, match="larger than"):
        load_spec(big)


def test_cerberus_problems_are_still_worded_by_the_toolkit():
    _, problems = schemas.validate({"a": "x", "b": True}, {"a": {"type": "integer"}})
    assert {p.path: p.message for p in problems} == {
        "a": "must be a whole number, not text ('x')",
        "b": "unknown key 'b'",
    }


def test_the_manifest_records_who_approved_each_non_standard_term(deal, library, write_spec):
    from toolkit.api import prepare_contract
    from toolkit.docx.manifest_build import build_manifest

    deal = copy.deepcopy(deal)
    deal["clauses"] = {
        "additional_terms": [
            {"text": "The Partner shall present its progress once a year.", "approval": _APPROVAL}
        ]
    }
    contract = prepare_contract(write_spec(deal), library)
    manifest = build_manifest(contract, "0")
    assert manifest["additional_term_approvals"] == [_APPROVAL]
