"""`upgrade`: a version-1 spec becomes version 2, every new field present and marked."""

from __future__ import annotations

import pytest
import yaml
from click.testing import CliRunner
from conftest import EXAMPLES

from toolkit.cli import cli
from toolkit.exceptions import SpecError
from toolkit.spec import load_spec
from toolkit.spec.upgrade import TODO, upgrade_spec, upgraded

V1 = EXAMPLES / "v1-royalty.yaml"


def test_upgraded_spec_is_version_2_with_bases_per_party():
    spec = upgraded(load_spec(V1))
    assert spec["spec_version"] == 2
    assert "lawful_basis" not in spec["data"]
    party = spec["nhs_parties"][0]
    assert party["lawful_basis"]["article_6"] == "6(1)(e)"
    assert party["lawful_basis"]["dpa_schedule_1"] == "Part 1 paragraph 4"
    # A company is not a public authority: the upgrade proposes legitimate interests.
    assert spec["partner"]["lawful_basis"]["article_6"] == "6(1)(f)"
    assert spec["partner"]["role"] == "joint_controller"
    assert party["statutory_power"] is None


def test_every_new_field_is_marked_todo():
    text = upgrade_spec(load_spec(V1), source="v1", commercial_defaults={})
    for path in TODO:
        key = path.rsplit(".", 1)[-1]
        assert any(f"{key}:" in line and "# TODO:" in line for line in text.splitlines()), path
    assert yaml.safe_load(text)["spec_version"] == 2


def test_commercial_defaults_are_added_and_marked():
    text = upgrade_spec(
        load_spec(V1), source="v1", commercial_defaults={"benefits[]": {"evaluator": None}}
    )
    lines = [line for line in text.splitlines() if line.strip().startswith("evaluator:")]
    assert len(lines) == 3 and all("# TODO:" in line for line in lines)


def test_a_version_2_spec_is_refused():
    with pytest.raises(SpecError) as caught:
        upgrade_spec(load_spec(EXAMPLES / "valid-royalty.yaml"), source="x")
    assert caught.value.problems[0].path == "spec_version"


def test_cli_upgrade_writes_and_never_clobbers(tmp_path):
    out = tmp_path / "v2.yaml"
    runner = CliRunner()
    result = runner.invoke(cli, ["upgrade", str(V1), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert yaml.safe_load(out.read_text())["spec_version"] == 2
    again = runner.invoke(cli, ["upgrade", str(V1), "-o", str(out)])
    assert again.exit_code == 1
    assert "Traceback" not in again.output


def test_the_readme_deal_spec_reference_is_generated_from_the_schema():
    from pathlib import Path

    from toolkit.spec.reference import readme_block, spec_reference
    from toolkit.spec.schema import SPEC_SCHEMA_V2

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    block = readme_block(readme)
    assert block == spec_reference(), "run: python -m toolkit.spec.reference README.md"
    # Every top-level field and every governance choice is in the reference.
    for field in SPEC_SCHEMA_V2:
        assert f"| `{field}" in block, field
    for value in ("pbpp", "ni_2016_act", "no_personal_data", "idta", "third_party"):
        assert f"`{value}`" in block, value


def test_an_upgraded_spec_assembles_as_a_draft_and_lists_what_to_fill(tmp_path):
    runner = CliRunner()
    upgraded_path = tmp_path / "v2.yaml"
    assert runner.invoke(cli, ["upgrade", str(V1), "-o", str(upgraded_path)]).exit_code == 0
    draft = runner.invoke(
        cli, ["assemble", str(upgraded_path), "--draft", "-o", str(tmp_path / "draft.docx")]
    )
    assert draft.exit_code == 0, draft.output
    assert "open item: Source of Pathology results" in draft.output
    final = runner.invoke(cli, ["validate", str(upgraded_path)])
    assert final.exit_code == 1
    assert "statutory_power" in final.output and "royalty_products" in final.output
