"""The value commands end to end: recommend, compare, init --scenarios, board-paper."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import yaml
from click.testing import CliRunner

from toolkit.cli import cli

REPO = Path(__file__).resolve().parent.parent
ROYALTY = str(REPO / "examples/deals/valid-royalty.yaml")
HYBRID = str(REPO / "examples/deals/valid-hybrid-equity-royalty.yaml")
HYBRID_SCENARIOS = str(REPO / "examples/scenarios/hybrid-equity-royalty.yaml")
AUDIT = Path(sys.executable).parent / "openxml-audit"


def run(*args):
    return CliRunner().invoke(cli, list(args))


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


def test_compare_writes_table_json_and_reproducible_chart(tmp_path):
    chart = tmp_path / "value.png"
    result = run(
        "models",
        "compare",
        HYBRID,
        "--scenarios",
        HYBRID_SCENARIOS,
        "--json",
        "--chart",
        str(chart),
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert "3.5% a year real" in data["basis"] and data["options"][0]["this_deal"]
    svg = chart.with_suffix(".svg").read_bytes()
    again = run(
        "models",
        "compare",
        HYBRID,
        "--scenarios",
        HYBRID_SCENARIOS,
        "--chart",
        str(chart),
        "--force",
    )
    assert again.exit_code == 0 and "Green Book" in again.output
    assert chart.with_suffix(".svg").read_bytes() == svg
    refused = run(
        "models", "compare", HYBRID, "--scenarios", HYBRID_SCENARIOS, "--chart", str(chart)
    )
    assert refused.exit_code == 1 and "already exists" in refused.output


def test_compare_refuses_scenarios_for_another_deal():
    result = run("models", "compare", ROYALTY, "--scenarios", HYBRID_SCENARIOS)
    assert result.exit_code == 1 and "deal_reference" in result.output


def test_init_scenarios_writes_a_skeleton_that_validates(tmp_path):
    target = tmp_path / "scenarios.yaml"
    assert run("init", "--scenarios", "-o", str(target)).exit_code == 0
    assert yaml.safe_load(target.read_text())["discount_rate_percent"] == 3.5
    assert run("init", "--scenarios", "-o", str(target)).exit_code == 1
    assert run("init").exit_code == 2


def test_board_paper_is_word_valid_and_complete(tmp_path):
    from docx import Document

    paper = tmp_path / "paper.docx"
    result = run("board-paper", HYBRID, "--scenarios", HYBRID_SCENARIOS, "-o", str(paper))
    assert result.exit_code == 0, result.output
    audit = subprocess.run(
        [str(AUDIT), "-f", "microsoft365", str(paper)], capture_output=True, text=True
    )
    assert audit.returncode == 0 and "no findings" in audit.stdout, audit.stdout
    text = "\n".join(p.text for p in Document(paper).paragraphs)
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
    assert run("board-paper", HYBRID, "-o", str(paper)).exit_code == 1  # no --force
