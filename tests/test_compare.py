"""`nhs-contracts compare OLD NEW`: what changed between two turns, clause by clause."""

from __future__ import annotations

import json

import docx
import pytest
from check_support import issue
from conftest import EXAMPLES
from docx.oxml.ns import qn


@pytest.fixture(scope="session")
def first_turn(tmp_path_factory, library):
    """The contract as issued: the first turn of the negotiation."""
    return issue(EXAMPLES / "valid-royalty.yaml", tmp_path_factory.mktemp("turns"), library)


def second_turn(first_turn, tmp_path, old, new):
    """The other side's turn: one phrase replaced in the body."""
    path = first_turn.copy_to(tmp_path / "turn2.docx")
    document = docx.Document(str(path))
    for node in document.element.body.iter(qn("w:t")):
        if node.text and old in node.text:
            node.text = node.text.replace(old, new)
            break
    else:
        raise AssertionError(f"{old!r} not found")
    document.save(str(path))
    return path


def test_two_identical_turns_compare_unchanged(run, first_turn):
    result = run("compare", first_turn.path, first_turn.path)
    assert result.exit_code == 0, result.output
    assert "UNCHANGED: the words and what a reader sees are as in the previous turn." in (
        result.output
    )


def test_a_changed_mandatory_clause_is_named_and_classified(run, first_turn, tmp_path):
    turn = second_turn(first_turn, tmp_path, "is non-exclusive.", "is exclusive.")
    result = run("compare", first_turn.path, turn)
    assert result.exit_code == 1
    assert "(Non-exclusivity): changed since the previous turn (mandatory)" in result.output
    assert "[-non-exclusive.-] {+exclusive.+}" in result.output
    assert "CHANGED: 1 change since the previous turn." in result.output


def test_compare_json_lists_each_change_with_its_words(run, first_turn, tmp_path):
    turn = second_turn(first_turn, tmp_path, "is non-exclusive.", "is exclusive.")
    result = run("compare", first_turn.path, turn, "--json")
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["compared_with"] == "previous turn"
    (change,) = report["deviations"]
    assert change["clause"] == "non_exclusivity"
    assert change["classification"] == "mandatory"
    (paragraph,) = change["changes"]
    assert paragraph["words_removed"] == ["non-exclusive."]
    assert paragraph["words_added"] == ["exclusive."]


def test_compare_without_manifests_is_a_clear_error(run, tmp_path):
    path = tmp_path / "letter.docx"
    docx.Document().save(str(path))
    result = run("compare", path, path)
    assert result.exit_code == 1
    assert "neither turn carries an nhs-contracts manifest" in result.output
    assert "Traceback" not in result.output
