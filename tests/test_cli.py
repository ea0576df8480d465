"""The command line: help, exit codes and exact messages."""

from __future__ import annotations

import json

import click
import pytest

from toolkit.cli import cli


def _commands(group: click.Group, prefix=()):
    for name, command in group.commands.items():
        yield (*prefix, name)
        if isinstance(command, click.Group):
            yield from _commands(command, (*prefix, name))


@pytest.mark.parametrize("command", list(_commands(cli)), ids=" ".join)
def test_every_command_has_help(run, command):
    result = run(*command, "--help")
    assert result.exit_code == 0
    assert "Usage:" in result.output
    docstring = cli
    for name in command:
        docstring = docstring.commands[name]
    assert docstring.help and len(docstring.help.strip()) > 20


def test_top_level_help_lists_every_command(run):
    result = run("--help")
    for name in ("init", "validate", "assemble", "check", "models", "clauses", "library"):
        assert f"  {name}" in result.output


def test_unknown_option_is_a_usage_error(run):
    result = run("validate", "--no-such-option")
    assert result.exit_code == 2


def test_validate_accepts_a_valid_deal(run, deal, write_spec):
    spec = write_spec(deal)
    result = run("validate", spec)
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"{spec}: valid (royalty; ")


def test_validate_lists_every_problem_with_path_and_principle(run, deal, write_spec):
    deal["benefits"][0]["target"] = "improve outcomes"
    deal["data"]["partner_dspt_status"] = "approaching_standards"
    result = run("validate", write_spec(deal))
    assert result.exit_code == 1
    assert "2 problems in the deal spec" in result.output
    assert (
        "benefits[0].target: 'improve outcomes' states no number "
        "[principle 1: explicit aim and benefit]" in result.output
    )
    assert "data.partner_dspt_status" in result.output
    assert "[principle 5: legal compliance]" in result.output
    assert "Traceback" not in result.output


def test_validate_json_reports_problems(run, deal, write_spec):
    del deal["purpose"]
    result = run("validate", write_spec(deal), "--json")
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["ok"] is False
    assert report["problems"] == [
        {"path": "purpose", "message": "is required but missing", "principle": 1, "hint": "Add it."}
    ]


def test_validate_missing_file_is_a_clear_error(run, tmp_path):
    result = run("validate", tmp_path / "nope.yaml")
    assert result.exit_code == 1
    assert "nope.yaml: 1 problem in the deal spec" in result.output
    assert "file not found" in result.output


def test_assemble_writes_and_reports(run, deal, write_spec, tmp_path):
    out = tmp_path / "contract.docx"
    result = run("assemble", write_spec(deal), "-o", out)
    assert result.exit_code == 0, result.output
    assert out.exists()
    assert result.output.startswith(f"Contract written to {out} (")
    assert "mandatory clauses verified in the file" in result.output


def test_assemble_never_overwrites_without_force(run, deal, write_spec, tmp_path):
    out = tmp_path / "contract.docx"
    out.write_bytes(b"precious")
    result = run("assemble", write_spec(deal), "-o", out)
    assert result.exit_code == 1
    assert "already exists; nothing written. Use --force to replace it." in result.output
    assert out.read_bytes() == b"precious"
    assert run("assemble", write_spec(deal), "-o", out, "--force").exit_code == 0
    assert out.read_bytes()[:2] == b"PK"


def test_assemble_refusal_writes_nothing(run, deal, write_spec, tmp_path):
    deal["data"]["access"] = "extract"
    out = tmp_path / "contract.docx"
    result = run("assemble", write_spec(deal), "-o", out)
    assert result.exit_code == 1
    assert "data.extract_justification" in result.output
    assert list(tmp_path.iterdir()) == [tmp_path / "deal.yaml"]


def test_assemble_json(run, deal, write_spec, tmp_path):
    out = tmp_path / "c.docx"
    result = run("assemble", write_spec(deal), "-o", out, "--json")
    assert result.exit_code == 0
    report = json.loads(result.output)
    assert report["ok"] is True and report["docx"] == str(out) and report["draft"] is False


def test_draft_lists_open_items(run, deal, write_spec, tmp_path):
    del deal["nhs_parties"][0]["board_approval"]
    spec = write_spec(deal)
    refused = run("assemble", spec, "-o", tmp_path / "c.docx")
    assert refused.exit_code == 1
    assert "board approval date for Royal Free London NHS Foundation Trust is missing" in (
        refused.output
    )
    result = run("assemble", spec, "-o", tmp_path / "c.docx", "--draft")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Draft contract written to")
    assert "open item: Board approval date for Royal Free London NHS Foundation Trust" in (
        result.output
    )


def test_init_writes_a_skeleton_that_validates(run, tmp_path, library):
    for model_id in library.models:
        out = tmp_path / f"{model_id}.yaml"
        result = run("init", "--model", model_id, "-o", out)
        assert result.exit_code == 0, result.output
        assert run("validate", out).exit_code == 0


def test_init_refuses_an_unknown_model(run):
    result = run("init", "--model", "royaltee")
    assert result.exit_code == 1
    assert "no partnership model 'royaltee'" in result.output


def test_init_prints_without_output(run):
    result = run("init", "--model", "royalty")
    assert result.exit_code == 0
    assert "partnership_model: royalty" in result.output
    assert "# " in result.output


def test_models_list_and_show(run, library):
    listing = run("models", "list")
    assert listing.exit_code == 0
    for model_id in library.models:
        assert model_id in listing.output
    shown = run("models", "show", "equity")
    assert shown.exit_code == 0
    assert "Cautions:" in shown.output and "Terms (model_terms):" in shown.output
    assert run("models", "show", "nope").exit_code == 1


def test_models_list_json(run, library):
    models = json.loads(run("models", "list", "--json").output)
    assert {m["id"] for m in models} == set(library.models)


def test_clauses_list_filters(run, library):
    result = run("clauses", "list", "--category", "openness")
    assert result.exit_code == 0
    lines = result.output.strip().splitlines()
    assert lines and all(" openness " in line for line in lines)
    royalty = json.loads(run("clauses", "list", "--model", "royalty", "--json").output)
    ids = {c["id"] for c in royalty}
    assert "value_royalty" in ids and "value_equity" not in ids
    assert run("clauses", "list", "--model", "nope").exit_code == 1


def test_clauses_show(run):
    result = run("clauses", "show", "non_exclusivity")
    assert result.exit_code == 0
    assert "non-exclusive" in result.output
    missing = run("clauses", "show", "non_exclusivty")
    assert missing.exit_code == 1
    assert "Did you mean 'non_exclusivity'?" in missing.output


def test_library_lint_passes_on_the_shipped_library(run):
    result = run("library", "lint")
    assert result.exit_code == 0, result.output
    assert "lint passed." in result.output


def test_bad_library_folder_is_a_clear_error(run, tmp_path, deal, write_spec):
    result = run("validate", write_spec(deal), "--library", tmp_path)
    assert result.exit_code == 1
    assert "not a clause library" in result.output


def test_python_dash_m_runs_the_cli():
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "toolkit", "--version"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0
    assert result.stdout.startswith("nhs-contracts, version ")


# The error funnel, exactly as a user sees it (in the sqlite-utils style).


def test_unknown_model_is_a_json_error_under_json(run, library):
    result = run("models", "show", "royaltee", "--json")
    assert result.exit_code == 1
    known = ", ".join(sorted(library.models))
    hint = f"Did you mean 'royalty'? Known partnership models: {known}."
    assert json.loads(result.output) == {
        "ok": False,
        "error": f"no partnership model 'royaltee' in the library. {hint}",
        "source": str(library.root),
        "problems": [
            {
                "path": "royaltee",
                "message": "no partnership model 'royaltee' in the library.",
                "principle": None,
                "hint": hint,
            }
        ],
    }


def test_unknown_clause_is_a_plain_error_with_did_you_mean(run):
    result = run("clauses", "show", "non_exclusivty")
    assert result.exit_code == 1
    assert result.output == (
        "Error: no clause 'non_exclusivty' in the library. Did you mean 'non_exclusivity'?\n"
    )


def test_the_python_api_has_the_same_unknown_id_error(library):
    from toolkit.exceptions import UnknownIdError

    with pytest.raises(UnknownIdError, match="Did you mean 'non_exclusivity'"):
        library.require_clause("non_exclusivty")
    assert library.require_model("royalty").as_dict()["id"] == "royalty"
    assert library.model("nope") is None


def _broken(*_args, **_kwargs):
    raise KeyError("x")


def test_an_unexpected_error_is_an_internal_error_without_debug(run, monkeypatch):
    monkeypatch.setattr("toolkit.library.load_library", _broken)
    result = run("models", "list")
    assert result.exit_code == 1
    assert result.output == (
        "Error: internal error (KeyError: 'x'); nothing was written; run with --debug "
        "(or NHS_CONTRACTS_DEBUG=1) to see the traceback, and report it with the input "
        "that caused it.\n"
    )
    as_json = json.loads(run("models", "list", "--json").output)
    assert as_json["ok"] is False and as_json["error"].startswith("internal error (KeyError")


def test_debug_shows_the_traceback(run, monkeypatch):
    monkeypatch.setattr("toolkit.library.load_library", _broken)
    with pytest.raises(KeyError):
        run("--debug", "models", "list")
    monkeypatch.setenv("NHS_CONTRACTS_DEBUG", "1")
    with pytest.raises(KeyError):
        run("models", "list")


@pytest.mark.parametrize("command", ["models list", "clauses list"])
def test_a_closed_pipe_ends_quietly(command, tmp_path):
    import shutil
    import subprocess
    import sys

    program = shutil.which("nhs-contracts") or f"{sys.executable} -m toolkit"
    result = subprocess.run(
        f"{program} {command} | head -1",
        shell=True,
        capture_output=True,
        text=True,
        check=False,
        executable="/bin/bash",
    )
    assert result.returncode == 0
    assert len(result.stdout.splitlines()) == 1
    assert result.stderr == ""


def test_library_lint_output_exactly(run, library):
    result = run("library", "lint")
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"Library {library.root}: {len(library.clauses)} clauses, "
        f"{len(library.models)} models; lint passed.\n"
    )
    report = json.loads(run("library", "lint", "--json").output)
    assert report == {
        "ok": True,
        "library": str(library.root),
        "clauses": len(library.clauses),
        "models": len(library.models),
        "problems": [],
    }
