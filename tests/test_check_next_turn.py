"""`check --accept-positions --write-spec NEXT.yaml`: the next turn is assembled, not hand-edited.

The other side retypes a clause into an approved fallback position (plain python-docx
edits); check recognises it, accepts it, and writes the ISSUED deal spec with that
position recorded; assembling that spec gives the next draft, against which the
returned clause is clean.
"""

from __future__ import annotations

import json

import pytest
import yaml
from check_support import issue, position_lines, retype_clause
from conftest import EXAMPLES

from toolkit.docx.reader import read_contract

CLAUSE, POSITION = "termination", "notice_longer"


@pytest.fixture(scope="session")
def issued(tmp_path_factory, library):
    """The first turn, issued once."""
    return issue(EXAMPLES / "valid-royalty.yaml", tmp_path_factory.mktemp("next-turn"), library)


@pytest.fixture
def returned(issued, library, tmp_path):
    """The issued contract with one clause retyped into an approved position."""
    spec = read_contract(issued.path).manifest["spec"]
    lines = position_lines(spec, CLAUSE, POSITION, library)
    return retype_clause(issued.copy_to(tmp_path / "returned.docx"), lines)


def test_a_retyped_position_is_accepted_and_recorded_in_the_next_spec(
    run, returned, library, tmp_path
):
    plain = run("check", returned)
    assert plain.exit_code == 1, plain.output  # a deviation, until accepted
    assert f"matches approved position '{POSITION}'" in plain.output
    next_spec = tmp_path / "next.yaml"
    result = run("check", returned, "--accept-positions", "--write-spec", next_spec)
    assert result.exit_code == 0, result.output
    assert "1 approved position accepted" in result.output
    assert f"positions accepted: {CLAUSE} -> {POSITION}" in result.output
    written = yaml.safe_load(next_spec.read_text(encoding="utf-8"))
    assert written["clauses"]["positions"] == {CLAUSE: POSITION}
    issued_spec = read_contract(returned).manifest["spec"]
    # everything else is the issued spec, unchanged
    assert {k: v for k, v in written.items() if k != "clauses"} == {
        k: v for k, v in issued_spec.items() if k != "clauses"
    }

    # The next draft is assembled from it; the returned clause is clean against it.
    second = tmp_path / "second.docx"
    assembled = run("assemble", next_spec, "-o", second)
    assert assembled.exit_code == 0, assembled.output
    assert read_contract(second).manifest["spec"]["clauses"]["positions"] == {CLAUSE: POSITION}
    against = run("check", returned, "--against", second, "--json")
    report = json.loads(against.output)
    sections = ("mandatory", "deviations", "added", "seen")
    about = [f for s in sections for f in report[s] if f["clause"] == CLAUSE]
    assert about == [], about
    # ... and the only other finding is that its manifest names the old issue
    differences = [c["diff"] for f in report["mandatory"] for c in f["changes"]]
    assert differences == [
        f"clauses.positions.{CLAUSE}: issued {POSITION}, missing from the document"
    ], report["mandatory"]
    assert run("check", second).exit_code == 0


def test_other_deviations_are_not_carried_and_keep_the_exit_code(run, returned, tmp_path):
    import docx

    document = docx.Document(str(returned))
    paragraph = next(p for p in document.paragraphs if "is non-exclusive." in p.text)
    paragraph.text = paragraph.text.replace("is non-exclusive.", "is exclusive.")
    document.save(str(returned))
    next_spec = tmp_path / "next.yaml"
    result = run("check", returned, "--accept-positions", "--write-spec", next_spec, "--json")
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["next_spec"]["positions_accepted"] == {CLAUSE: POSITION}
    assert any("Non-exclusivity" in line for line in report["next_spec"]["not_carried"])
    assert yaml.safe_load(next_spec.read_text())["clauses"]["positions"] == {CLAUSE: POSITION}


def test_write_spec_refuses_to_overwrite_and_never_writes_over_an_input(run, returned, tmp_path):
    taken = tmp_path / "taken.yaml"
    taken.write_text("kept\n")
    result = run("check", returned, "--accept-positions", "--write-spec", taken)
    assert result.exit_code == 1
    assert "already exists" in result.output and "--force" in result.output
    assert taken.read_text() == "kept\n"
    forced = run("check", returned, "--accept-positions", "--write-spec", taken, "--force")
    assert forced.exit_code == 0, forced.output
    assert "positions:" in taken.read_text()
    before = returned.read_bytes()
    onto = run("check", returned, "--accept-positions", "--write-spec", returned, "--force")
    assert onto.exit_code == 1
    assert "is also an input" in onto.output
    assert returned.read_bytes() == before


def test_write_spec_needs_accept_positions_and_an_issued_record(run, returned, tmp_path):
    result = run("check", returned, "--write-spec", tmp_path / "n.yaml")
    assert result.exit_code == 2
    assert "add --accept-positions" in result.output
    alone = tmp_path / "alone.docx"
    alone.write_bytes(returned.read_bytes())
    unrecorded = run(
        "--register",
        tmp_path / "empty.sqlite3",
        "check",
        alone,
        "--accept-positions",
        "--write-spec",
        tmp_path / "n.yaml",
    )
    assert unrecorded.exit_code == 1
    assert "never from what the returned file claims" in unrecorded.output
    assert not (tmp_path / "n.yaml").exists()


def test_a_later_check_recognises_the_position_from_the_cache(returned, library, monkeypatch):
    from toolkit import cache
    from toolkit.check import check_contract, rendering
    from toolkit.check.report import Classification

    def positions(report):
        return [
            (f.clause, (f.position or {}).get("id"))
            for f in report.findings
            if f.classification is Classification.APPROVED_POSITION
        ]

    first = check_contract(returned, library)
    assert positions(first) == [(CLAUSE, POSITION)]
    cache.flush()
    folder = cache.cache_dir()
    assert folder is not None and (folder / "position-lines.pickle").is_file()

    def refuse(*args, **kwargs):
        raise AssertionError("the position was rendered again")

    monkeypatch.setattr(rendering, "_render_with", refuse)
    # A new memo, as a later process has: it reads what the first check wrote.
    monkeypatch.setattr(rendering, "_POSITIONS", cache.Memo("position-lines", limit=2_000))
    assert positions(check_contract(returned, library)) == [(CLAUSE, POSITION)]
