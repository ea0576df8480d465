"""Batch assembly: one contract per spec into a folder, refusals reported at the end."""

from __future__ import annotations

import copy
import json

from toolkit.register import open_register


def _three_specs(deal, write_spec):
    """Two valid specs around a refused one (exclusive rights), with distinct references."""
    first, refused, last = (copy.deepcopy(deal) for _ in range(3))
    first["agreement"]["reference"] = "BATCH-001"
    refused["agreement"]["reference"] = "BATCH-002"
    refused["model_terms"]["exclusive"] = True
    last["agreement"]["reference"] = "BATCH-003"
    return [
        write_spec(first, "a-first.yaml"),
        write_spec(refused, "b-refused.yaml"),
        write_spec(last, "c-last.yaml"),
    ]


def test_batch_with_a_refused_spec_in_the_middle_and_two_jobs(run, deal, write_spec, tmp_path):
    specs = _three_specs(deal, write_spec)
    out = tmp_path / "out"
    result = run("assemble", *specs, "-o", f"{out}/", "--jobs", "2")
    assert result.exit_code == 1, result.output
    assert sorted(p.name for p in out.iterdir()) == ["a-first.docx", "c-last.docx"]
    assert f"2 of 3 contracts written to {out}/." in result.output or (
        f"2 of 3 contracts written to {out}." in result.output
    )
    assert f"Refused {specs[1]}: 1 problem in the deal spec:" in result.output
    assert "model_terms.exclusive" in result.output
    with open_register() as register:
        assert [len(register.find(f"BATCH-00{n}")) for n in (1, 2, 3)] == [1, 0, 1]


def test_a_batch_collects_garbage_as_python_does_and_leaves_nothing_frozen(
    run, deal, write_spec, tmp_path, monkeypatch
):
    import gc

    from toolkit.cli import COMMAND_GC_THRESHOLD, ORIGINAL_GC_THRESHOLD, contracts

    seen = []
    batch = contracts._run_batch

    def watched(*args):
        seen.append((gc.get_threshold(), gc.get_freeze_count()))
        return batch(*args)

    monkeypatch.setattr(contracts, "_run_batch", watched)
    before = gc.get_threshold()
    gc.set_threshold(*COMMAND_GC_THRESHOLD)  # as the command line sets it for one command
    try:
        specs = _three_specs(deal, write_spec)
        result = run("assemble", *specs, "-o", f"{tmp_path / 'out'}/", "--jobs", "2")
        assert result.exit_code == 1, result.output  # the refused spec
        assert seen == [(ORIGINAL_GC_THRESHOLD, 0)]
        assert gc.get_threshold() == COMMAND_GC_THRESHOLD  # put back afterwards
        assert gc.get_freeze_count() == 0  # what the workers inherited is collectable again
    finally:
        gc.set_threshold(*before)


def test_a_spawned_worker_collects_garbage_as_its_parent_does(library, tmp_path):
    import gc

    from toolkit import batch

    before = gc.get_threshold()
    try:
        batch._start_worker(library, False, False, tmp_path / "register.sqlite3", (1234, 5, 6))
        assert gc.get_threshold() == (1234, 5, 6)
    finally:
        batch._STATE.pop("register").close()
        batch._STATE.clear()
        gc.set_threshold(*before)


def test_batch_json_summarises_written_and_refused(run, deal, write_spec, tmp_path):
    specs = _three_specs(deal, write_spec)
    folder = specs[0].parent
    out = tmp_path / "json-out"
    result = run("assemble", folder, "-o", out, "--json")  # a folder of specs
    assert result.exit_code == 1
    summary = json.loads(result.output)
    assert summary["ok"] is False
    assert [w["docx"] for w in summary["written"]] == [
        str(out / "a-first.docx"),
        str(out / "c-last.docx"),
    ]
    assert [r["spec"] for r in summary["refused"]] == [str(specs[1])]
    assert summary["refused"][0]["problems"][0]["path"] == "model_terms.exclusive"
    assert summary["refused"][0]["problems"][0]["principle"] == 3


def test_batch_refuses_clashing_names_before_writing(run, deal, write_spec, tmp_path):
    (tmp_path / "x").mkdir()
    one = write_spec(deal, "deal.yaml")
    two = write_spec(deal, "x/deal.yaml")
    result = run("assemble", one, two, "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert "would both be written to" in result.output
    assert not (tmp_path / "out" / "deal.docx").exists()


def test_plain_progress_lines_off_a_terminal(run, deal, write_spec, tmp_path):
    specs = _three_specs(deal, write_spec)
    result = run("assemble", specs[0], specs[2], "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert f"[1/2] {specs[0]}: wrote {tmp_path / 'out' / 'a-first.docx'}" in result.output
    assert "2 of 2 contracts written" in result.output
