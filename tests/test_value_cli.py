"""The value commands end to end: recommend, compare, init --scenarios, board-paper."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from toolkit.cli import cli

REPO = Path(__file__).resolve().parent.parent
ROYALTY = str(REPO / "examples/deals/valid-royalty.yaml")
HYBRID = str(REPO / "examples/deals/valid-hybrid-equity-royalty.yaml")
HYBRID_SCENARIOS = REPO / "examples/scenarios/hybrid-equity-royalty.yaml"
AUDIT = Path(sys.executable).parent / "openxml-audit"


def run(*args):
    return CliRunner().invoke(cli, list(args))


@pytest.fixture(scope="module")
def scenarios(tmp_path_factory):
    """The hybrid example's scenarios with fewer simulations: these tests are about output."""
    data = yaml.safe_load(HYBRID_SCENARIOS.read_text(encoding="utf-8"))
    data["simulations"] = 1000
    path = tmp_path_factory.mktemp("scenarios") / "hybrid.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return str(path)


@pytest.fixture(scope="module")
def compared(tmp_path_factory, scenarios):
    """One `models compare --json --chart` run: its result and the chart it wrote."""
    chart = tmp_path_factory.mktemp("chart") / "value.png"
    result = run(
        "models", "compare", HYBRID, "--scenarios", scenarios, "--json", "--chart", str(chart)
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.output), chart


@pytest.fixture(scope="module")
def paper(tmp_path_factory, scenarios):
    """One board paper written through the CLI."""
    path = tmp_path_factory.mktemp("paper") / "paper.docx"
    result = run("board-paper", HYBRID, "--scenarios", scenarios, "-o", str(path))
    assert result.exit_code == 0, result.output
    return path


def test_recommend_from_flags_as_json():
    result = run(
        "models",
        "recommend",
        "--partner-kind",
        "university",
        "--maturity",
        "established",
        "--cannot-pay-cash",
        "--no-product-in-nhs-care",
        "--identifiability",
        "pseudonymised",
        "--access",
        "sde",
        "--expected-revenue",
        "0",
        "--risk-appetite",
        "low",
        "--cannot-hold-shares",
        "--json",
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["recommended"][0]["models"] == ["consent_to_commercialise", "cost_recovery"]
    assert ["equity"] in [c["models"] for c in data["not_suitable"]]


def test_recommend_from_a_spec():
    result = run("models", "recommend", "--spec", ROYALTY)
    assert result.exit_code == 0, result.output
    assert "royalty" in result.output.split("\n")[1]


def test_compare_json_states_the_basis_and_writes_png_and_svg(compared):
    data, chart = compared
    assert "3.5% a year real" in data["basis"] and data["options"][0]["this_deal"]
    assert data["chart"] == [str(chart), str(chart.with_suffix(".svg"))]
    assert chart.read_bytes().startswith(b"\x89PNG")
    assert b"<svg" in chart.with_suffix(".svg").read_bytes()


def test_chart_is_reproducible_and_never_overwritten_without_force(compared, scenarios):
    data, chart = compared
    svg = chart.with_suffix(".svg").read_bytes()
    refused = run("models", "compare", HYBRID, "--scenarios", scenarios, "--chart", str(chart))
    assert refused.exit_code == 1 and "already exists" in refused.output
    assert chart.with_suffix(".svg").read_bytes() == svg
    again = run(
        "models", "compare", HYBRID, "--scenarios", scenarios, "--chart", str(chart), "--force"
    )
    assert again.exit_code == 0 and "Green Book" in again.output
    assert chart.with_suffix(".svg").read_bytes() == svg


def test_compare_refuses_scenarios_for_another_deal():
    result = run("models", "compare", ROYALTY, "--scenarios", str(HYBRID_SCENARIOS))
    assert result.exit_code == 1 and "deal_reference" in result.output


def test_init_scenarios_writes_a_skeleton_that_validates(tmp_path):
    target = tmp_path / "scenarios.yaml"
    assert run("init", "--scenarios", "-o", str(target)).exit_code == 0
    assert yaml.safe_load(target.read_text())["discount_rate_percent"] == 3.5
    assert run("init", "--scenarios", "-o", str(target)).exit_code == 1
    assert run("init").exit_code == 2


def test_board_paper_passes_openxml_audit(paper):
    audit = subprocess.run(
        [str(AUDIT), "-f", "microsoft365", str(paper)], capture_output=True, text=True
    )
    assert audit.returncode == 0 and "no findings" in audit.stdout, audit.stdout


def test_board_paper_has_every_section_and_the_figures(paper, compared):
    from docx import Document

    from toolkit.value.simulate import money

    document = Document(paper)
    text = "\n".join(p.text for p in document.paragraphs)
    for heading in (
        "Decision sought",
        "plain English",
        "model and why",
        "Value analysis",
        "Risks and mitigations",
        "principle by principle",
        "Open items",
    ):
        assert heading in text
    cells = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
    deal = compared[0]["options"][0]
    assert {money(deal["expected_pv"]), money(deal["p10"]), money(deal["p90"])} <= cells
    assert "Figure 1." in text and "3.5% a year real" in text


def test_board_paper_is_byte_reproducible_without_timestamps(paper, scenarios):
    from toolkit.value.board_paper import board_paper_bytes

    first = paper.read_bytes()
    assert board_paper_bytes(HYBRID, scenarios=scenarios) == first
    with zipfile.ZipFile(io.BytesIO(first)) as package:
        assert {info.date_time for info in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = package.read("docProps/core.xml").decode()
    assert "dcterms:created" not in core and "dcterms:modified" not in core


def test_board_paper_is_never_overwritten_without_force_nor_over_its_inputs(paper, scenarios):
    before = paper.read_bytes()
    refused = run("board-paper", HYBRID, "--scenarios", scenarios, "-o", str(paper))
    assert refused.exit_code == 1 and "already exists" in refused.output
    onto_input = run("board-paper", HYBRID, "--scenarios", scenarios, "-o", scenarios, "--force")
    assert onto_input.exit_code == 1 and "input" in onto_input.output
    assert paper.read_bytes() == before


def test_cli_import_leaves_numpy_and_matplotlib_unloaded():
    # They take seconds to import; only the commands that compute or draw may load them.
    code = (
        "import sys, toolkit.cli; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'numpy', 'matplotlib'}))"
    )
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert found.returncode == 0 and found.stdout.strip() == "[]", found.stderr
