"""The mandatory-clause guarantee, from the deal spec, the model file and the written file.

The library and template sides are attacked in test_attacks.py.
"""

from __future__ import annotations

import re

import pytest
import yaml
from conftest import edit_library_file

from toolkit import api as toolkit_main
from toolkit.docx.reader import read_contract
from toolkit.exceptions import GuaranteeError
from toolkit.library import load_library
from toolkit.principles import MANDATORY_CLAUSES

MANDATORY = [clause.id for clause in MANDATORY_CLAUSES]


def _manifest_ids(path):
    return [entry["id"] for entry in read_contract(path).manifest["clauses"]]


@pytest.mark.parametrize("model_id", ["royalty", "equity", "in_kind", "cost_recovery"])
@pytest.mark.parametrize("draft", [False, True])
def test_every_model_draft_and_final_carries_the_mandatory_clauses(
    run, library, write_spec, tmp_path, model_id, draft
):
    from toolkit.spec.skeleton import skeleton

    spec = write_spec(yaml.safe_load(skeleton(library.model(model_id))))
    out = tmp_path / "c.docx"
    args = ["assemble", spec, "-o", out] + (["--draft"] if draft else [])
    assert run(*args).exit_code == 0
    ids = _manifest_ids(out)
    for clause_id in MANDATORY:
        assert clause_id in ids
    found = read_contract(out).by_bookmark()
    for entry in read_contract(out).manifest["clauses"]:
        if entry["mandatory"]:
            assert len(found[entry["bookmark"]].lines) > 1


def test_a_model_file_listing_only_its_value_clause_still_gets_them(
    run, library_copy, deal, write_spec, tmp_path
):
    edit_library_file(
        library_copy,
        "partnership_models/royalty.yaml",
        lambda model: model.update(clauses=["value_royalty"]),
    )
    out = tmp_path / "c.docx"
    result = run("assemble", write_spec(deal), "-o", out, "--library", library_copy)
    assert result.exit_code == 0, result.output
    ids = _manifest_ids(out)
    assert all(clause_id in ids for clause_id in MANDATORY)


def test_a_spec_cannot_exclude_a_mandatory_clause(run, deal, write_spec, tmp_path):
    deal["clauses"] = {"exclude": ["non_exclusivity"]}
    result = run("assemble", write_spec(deal), "-o", tmp_path / "c.docx")
    assert result.exit_code == 1
    assert "clauses.exclude: unknown key 'exclude'" in result.output
    assert not (tmp_path / "c.docx").exists()


def test_a_spec_cannot_pick_an_unapproved_position(run, deal, write_spec, tmp_path):
    deal["clauses"] = {"positions": {"non_exclusivity": "exclusive_for_five_years"}}
    result = run("assemble", write_spec(deal), "-o", tmp_path / "c.docx")
    assert result.exit_code == 1
    assert "has no approved position 'exclusive_for_five_years'" in result.output


def test_a_spec_cannot_include_a_draft_clause_in_a_final_contract(
    run, library_copy, deal, write_spec, tmp_path
):
    edit_library_file(
        library_copy, "clauses/commercial/insurance.yaml", lambda c: c.update(status="draft")
    )
    spec = write_spec(deal)
    result = run("assemble", spec, "-o", tmp_path / "c.docx", "--library", library_copy)
    assert result.exit_code == 1
    assert "clause 'insurance' is draft; a final contract may hold only approved clauses" in (
        result.output
    )
    draft = run("assemble", spec, "-o", tmp_path / "c.docx", "--library", library_copy, "--draft")
    assert draft.exit_code == 0, draft.output


def test_a_mandatory_clause_narrowed_to_some_models_is_refused(
    library_copy, deal, write_spec, tmp_path
):
    edit_library_file(
        library_copy,
        "clauses/transparency/transparency.yaml",
        lambda c: c.update(models=["equity"]),
    )
    with pytest.raises(GuaranteeError) as caught:
        toolkit_main.assemble(
            write_spec(deal), tmp_path / "c.docx", library=load_library(library_copy)
        )
    assert "'transparency' must be used by all models" in str(caught.value)
    assert "principle 4" in str(caught.value)


def test_the_written_file_is_read_back_before_success(monkeypatch, deal, write_spec, tmp_path):
    """If the Word output lost a mandatory clause, nothing is written."""
    from toolkit.docx import package

    real = package.render_docx

    def losing_non_exclusivity(contract, version, manifest=None):
        import io
        import zipfile

        data = real(contract, version, manifest)
        part = contract.part("non_exclusivity")
        source = zipfile.ZipFile(io.BytesIO(data))
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as target:
            for name in source.namelist():
                blob = source.read(name)
                if name == "word/document.xml":
                    blob = re.sub(
                        rb'<w:bookmarkStart w:id="\d+" w:name="' + part.bookmark.encode() + rb'"/>',
                        b"",
                        blob,
                    )
                target.writestr(name, blob)
        return out.getvalue()

    monkeypatch.setattr(package, "render_docx", losing_non_exclusivity)
    out = tmp_path / "c.docx"
    with pytest.raises(GuaranteeError) as caught:
        toolkit_main.assemble(write_spec(deal), out)
    assert "the written document lacks the non-exclusivity clause" in str(caught.value)
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["deal.yaml"]


def test_the_benefit_clause_states_every_quantified_benefit(deal, write_spec, tmp_path):
    deal["benefits"].append(
        {
            "description": "Fewer emergency readmissions",
            "beneficiary": "nhs_organisation",
            "measure": "30-day readmission rate after AKI",
            "target": "reduce from 14% to 11%",
            "by": "2029-12-31",
        }
    )
    out = tmp_path / "c.docx"
    toolkit_main.assemble(write_spec(deal), out)
    document = read_contract(out)
    entry = next(e for e in document.manifest["clauses"] if e["id"] == "patient_benefit")
    text = " ".join(document.by_bookmark()[entry["bookmark"]].lines)
    for benefit in deal["benefits"]:
        assert benefit["measure"] in text and benefit["target"] in text
