"""Deal-spec validation: the schema and every refusal the principles demand."""

from __future__ import annotations

import pytest
from conftest import EXAMPLES

from toolkit.exceptions import SpecError
from toolkit.spec import end_of_term, load_spec, validate_spec


def problems_of(deal, library, draft=False):
    try:
        validate_spec(deal, library, source="deal.yaml", draft=draft)
    except SpecError as exc:
        return {p.path: p for p in exc.problems}
    return {}


def test_the_valid_deal_passes(deal, library):
    spec = validate_spec(deal, library, source="deal.yaml")
    assert spec.model_ids == ["royalty"]
    assert spec.data["data"]["access"] == "sde"


def test_unknown_key_suggests_the_right_one(deal, library):
    deal["benfits"] = deal.pop("benefits")
    problems = problems_of(deal, library)
    assert problems["benfits"].message == "unknown key 'benfits'"
    assert problems["benfits"].hint == "Did you mean 'benefits'?"
    assert problems["benefits"].message == "is required but missing"


def test_nested_unknown_key_names_its_path(deal, library):
    deal["data"]["retension_months"] = 12
    problems = problems_of(deal, library)
    assert problems["data.retension_months"].hint == "Did you mean 'retention_months'?"


@pytest.mark.parametrize(
    "key", ["exclusive", "exclusivity", "exclusive_licence", "sole_rights", "first_refusal"]
)
def test_exclusivity_in_any_field_is_refused(deal, library, key):
    deal["model_terms"][key] = True
    problems = problems_of(deal, library)
    assert problems[f"model_terms.{key}"].principle == 3
    assert "exclusive" in problems[f"model_terms.{key}"].message


def test_exclusivity_anywhere_in_the_spec_is_refused(deal, library):
    deal["partner"]["exclusivity"] = {"years": 5}
    assert problems_of(deal, library)["partner.exclusivity"].principle == 3


def test_benefit_without_a_number_is_refused(deal, library):
    deal["benefits"][0]["target"] = "significantly improve outcomes"
    problem = problems_of(deal, library)["benefits[0].target"]
    assert problem.principle == 1
    assert "states no number" in problem.message


def test_benefit_outside_the_term_is_refused(deal, library):
    deal["benefits"][0]["by"] = "2033-01-01"
    problem = problems_of(deal, library)["benefits[0].by"]
    assert "outside the term (2027-01-01 to 2031-12-31)" in problem.message


def test_no_benefits_is_refused(deal, library):
    deal["benefits"] = []
    assert problems_of(deal, library)["benefits"].principle == 1


@pytest.mark.parametrize("identifiability", ["pseudonymised", "identifiable"])
def test_personal_data_needs_lawful_basis_and_dpia(deal, library, identifiability):
    deal["data"]["identifiability"] = identifiability
    deal["data"]["lawful_basis"] = None
    deal["data"]["dpia_reference"] = None
    problems = problems_of(deal, library)
    assert problems["data.lawful_basis.article_6"].principle == 5
    assert problems["data.lawful_basis.article_9"].principle == 5
    assert problems["data.dpia_reference"].principle == 5


def test_dpia_may_be_open_in_a_draft(deal, library):
    deal["data"]["dpia_reference"] = None
    assert "data.dpia_reference" in problems_of(deal, library)
    assert problems_of(deal, library, draft=True) == {}


def test_personal_data_needs_a_confidentiality_basis(deal, library):
    deal["data"]["confidentiality_basis"] = "anonymised"
    assert problems_of(deal, library)["data.confidentiality_basis"].principle == 5


def test_anonymised_data_needs_no_lawful_basis(deal, library):
    deal["data"].update(
        identifiability="anonymised",
        lawful_basis=None,
        dpia_reference=None,
        confidentiality_basis="anonymised",
        national_data_opt_out="not_applicable",
        national_data_opt_out_reason="The data are anonymised in line with the ICO's guidance.",
    )
    assert problems_of(deal, library) == {}


@pytest.mark.parametrize("status", ["approaching_standards", "not_published", "standards_not_met"])
def test_partner_without_dspt_standards_met_is_refused(deal, library, status):
    deal["data"]["partner_dspt_status"] = status
    problem = problems_of(deal, library)["data.partner_dspt_status"]
    assert problem.principle == 5
    assert status in problem.message


def test_extract_needs_justification(deal, library):
    deal["data"]["access"] = "extract"
    assert problems_of(deal, library)["data.extract_justification"].principle == 5
    deal["data"]["extract_justification"] = (
        "The validated model must run inside the partner's regulated device environment."
    )
    assert problems_of(deal, library) == {}


def test_s251_requires_the_opt_out_applied(deal, library):
    deal["data"]["national_data_opt_out"] = "not_applicable"
    deal["data"]["national_data_opt_out_reason"] = "Not needed"
    assert "data.national_data_opt_out" in problems_of(deal, library)


def test_final_contract_needs_board_approval(deal, library):
    deal["nhs_parties"][0]["board_approval"] = {"date": None, "minute_ref": None}
    problems = problems_of(deal, library)
    assert problems["nhs_parties[0].board_approval.date"].principle == 2
    assert problems["nhs_parties[0].board_approval.minute_ref"].principle == 2
    assert problems_of(deal, library, draft=True) == {}


def test_consortium_needs_exactly_one_lead(deal, library):
    second = dict(deal["nhs_parties"][0], name="North Central London ICB", kind="icb", lead=False)
    second["ods_code"] = "93C"
    deal["nhs_parties"].append(second)
    deal["nhs_parties"][0]["lead"] = False
    assert "exactly one lead" in problems_of(deal, library)["nhs_parties"].message
    deal["nhs_parties"][0]["lead"] = True
    assert problems_of(deal, library) == {}


def test_unknown_model_suggests_one(deal, library):
    deal["partnership_model"] = "royalties"
    assert problems_of(deal, library)["partnership_model"].hint == "Did you mean 'royalty'?"


def test_model_terms_are_checked_by_the_model_schema(deal, library):
    deal["model_terms"]["rate_percent"] = 95
    problem = problems_of(deal, library)["model_terms.rate_percent"]
    assert "above the maximum" in problem.message
    assert problem.principle == 2


def test_additional_model_must_be_combinable(deal, library):
    model = library.model("royalty")
    forbidden = next(m for m in library.models if m not in model.combines_with and m != "royalty")
    deal["additional_models"] = [
        {"model": forbidden, "terms": library.model(forbidden).terms_example}
    ]
    problem = problems_of(deal, library)["additional_models[0].model"]
    assert "cannot be combined with 'royalty'" in problem.message


def test_spec_version_must_be_1_or_2(deal, library):
    deal["spec_version"] = 3
    problem = problems_of(deal, library)["spec_version"]
    assert problem.message == "3 is not allowed"
    assert problem.hint == "Use one of: 1, 2."


def test_control_characters_are_refused(deal, library):
    deal["partner"]["name"] = "Example\x07 Ltd"
    assert "control" in problems_of(deal, library)["partner.name"].message


def test_every_problem_is_reported_at_once(deal, library):
    deal["benefits"][0]["target"] = "better"
    deal["data"]["access"] = "extract"
    deal["data"]["partner_dspt_status"] = "none"
    deal["agreement"]["term_months"] = 0
    problems = problems_of(deal, library)
    assert "agreement.term_months" in problems


def test_quoted_iso_dates_are_accepted(deal, library):
    deal["agreement"]["effective_date"] = "2027-01-01"
    assert problems_of(deal, library) == {}


def test_impossible_dates_are_a_clear_error(tmp_path):
    path = tmp_path / "deal.yaml"
    path.write_text("agreement:\n  effective_date: 2027-13-01\n", encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        load_spec(path)
    assert "not valid YAML" in str(caught.value)


def test_duplicate_keys_are_refused(tmp_path):
    path = tmp_path / "deal.yaml"
    path.write_text("benefits: []\nbenefits: []\n", encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        load_spec(path)
    assert "'benefits' appears twice" in str(caught.value)
    assert "line 2" in str(caught.value)


def test_a_list_instead_of_a_mapping_is_a_clear_error(library):
    with pytest.raises(SpecError) as caught:
        validate_spec(["not", "a", "mapping"], library, source="deal.yaml")
    assert "must be a mapping, not a list" in str(caught.value)


def test_end_of_term():
    import datetime as dt

    assert end_of_term(dt.date(2027, 1, 1), 60) == dt.date(2031, 12, 31)
    assert end_of_term(dt.date(2027, 1, 31), 1) == dt.date(2027, 2, 27)


@pytest.mark.parametrize(
    ("target", "quantified"),
    [
        ("reduce by 25%", True),
        ("increase from 52% to 71%", True),
        ("1,200 hours a year", True),
        ("halve the miss rate", True),
        ("improved by Q3 2028", False),
        ("improve by 2028", False),
        ("better outcomes by 31 March 2028", False),
    ],
)
def test_a_date_alone_does_not_quantify_a_benefit(deal, library, target, quantified):
    deal["benefits"][0]["target"] = target
    assert ("benefits[0].target" not in problems_of(deal, library)) is quantified


@pytest.mark.parametrize("justification", ["N/A", "none", "TBC", "See DPIA", "needed"])
def test_an_empty_extract_justification_is_refused(deal, library, justification):
    deal["data"]["access"] = "extract"
    deal["data"]["extract_justification"] = justification
    assert problems_of(deal, library)["data.extract_justification"].principle == 5


def test_short_text_is_measured_in_characters(deal, library):
    deal["model_terms"]["valuation_reference"] = "X"
    problem = problems_of(deal, library)["model_terms.valuation_reference"]
    assert problem.message == "needs at least 3 characters"


def test_an_alias_bomb_is_refused_quickly(tmp_path):
    import time

    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    previous = "a"
    for name in "bcdefghi":
        lines.append(f"{name}: &{name} [{', '.join(['*' + previous] * 9)}]")
        previous = name
    path = tmp_path / "laughs.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    started = time.monotonic()
    with pytest.raises(SpecError) as caught:
        load_spec(path)
    assert "through YAML aliases" in str(caught.value)
    assert time.monotonic() - started < 5


def test_tabs_get_a_hint(tmp_path):
    path = tmp_path / "deal.yaml"
    path.write_text("spec_version: 1\nagreement:\n\treference: X\n", encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        load_spec(path)
    assert "line 3, column 1" in str(caught.value)
    assert "spaces, not tabs" in str(caught.value)


def test_a_non_utf8_file_names_the_line(tmp_path):
    path = tmp_path / "deal.yaml"
    path.write_bytes("spec_version: 1\nnote: fee \xa3500\n".encode("cp1252"))
    with pytest.raises(SpecError) as caught:
        load_spec(path)
    assert "line 2: is not UTF-8 text (byte 0xa3)" in str(caught.value)


def _locations(value, path=()):
    """Yield the path of every value in a deal spec (keys and list indexes)."""
    if path:
        yield path
    if isinstance(value, (dict, list)):
        for key in list(value) if isinstance(value, dict) else range(len(value)):
            yield from _locations(value[key], (*path, key))


def test_a_value_of_the_wrong_kind_anywhere_is_refused_never_crashes(library):
    """Every example with values swapped for others of the wrong kind: refused or valid.

    The checks after the schema (principles, models' cautions, conflicts) read only what
    the schema accepted: no TypeError, AttributeError or KeyError escapes.
    """
    import copy
    import datetime as dt
    import random

    rng = random.Random(20261202)
    wrong = [None, "", "2027-01-01", "text", 3, -1, 2.5, True, [], {}, dt.date(2027, 5, 1)]
    deals = [load_spec(path) for path in sorted(EXAMPLES.glob("valid-*.yaml"))]
    refused = 0
    for _ in range(400):
        deal = copy.deepcopy(rng.choice(deals))
        for _ in range(rng.randint(1, 3)):
            # Half the time within a model's terms, which the models' own checks read.
            within = "model_terms" if rng.random() < 0.5 else None
            paths = list(_locations(deal))
            path = rng.choice([p for p in paths if p[0] == within] or paths)
            parent = deal
            for key in path[:-1]:
                parent = parent[key]
            if isinstance(parent, dict) and rng.random() < 0.25:
                del parent[path[-1]]
            else:
                parent[path[-1]] = rng.choice(wrong)
        try:
            validate_spec(deal, library, source="deal.yaml")
        except SpecError as exc:
            assert exc.problems
            refused += 1
    assert refused > 300


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.yaml")), ids=lambda path: path.stem)
def test_a_spec_normalises_as_cerberus_normalises_it_with_its_own_schema_copy(example):
    """The validator keeps its schema expanded and copies it plainly to normalise each
    document; Cerberus's own copy (which expands it again) gives the same document and
    the same errors."""
    import copy

    from toolkit.library import schemas
    from toolkit.spec.checks import schema_for

    raw = load_spec(example)
    schema = schema_for(raw)
    ours = schemas.make_validator(schema)
    theirs = schemas.make_validator(copy.deepcopy(schema))
    theirs.schema = copy.deepcopy(schema)  # Cerberus's DefinitionSchema, checked and expanded
    assert type(theirs.schema) is not type(ours.schema)
    verdict = ours.validate(copy.deepcopy(raw))
    assert theirs.validate(copy.deepcopy(raw)) == verdict
    assert repr(theirs.document) == repr(ours.document)
    assert [_error_fields(e) for e in theirs.errors] == [_error_fields(e) for e in ours.errors]


def _error_fields(error):
    return (error.document_path, error.schema_path, error.code, repr(error.value), error.info)
