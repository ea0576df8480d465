"""Fallback positions as overrides: a position names the sub-clauses it replaces."""

from __future__ import annotations

import pytest
from conftest import edit_library_file

from toolkit.contract.assemble import assemble_contract
from toolkit.exceptions import LibraryError
from toolkit.library import load_library
from toolkit.library.positions import apply_overrides, clause_labels
from toolkit.spec import validate_spec

TEXT = """{% set x = 1 %}
- [@a] First:
  - nested one
{% if y %}
  - nested two
{% endif %}
- [@b] Second.
{% if q %}
- [@c] Third:
  - c one
{% if r %}
  - c two
{% endif %}
{% endif %}
- Last.
"""


def test_an_override_replaces_the_sub_clause_and_everything_nested_in_it():
    text, problems = apply_overrides(TEXT, {"a": "New first.", "c": "New third."}, "p")
    assert problems == []
    assert "nested one" not in text and "nested two" not in text and "c two" not in text
    assert "- [@a] New first." in text and "- [@c] New third." in text
    assert "- [@b] Second." in text and "- Last." in text
    # The blocks that wrap a replaced sub-clause stay balanced.
    assert text.count("{% if") == text.count("{% endif %}")


def test_an_override_keeps_the_relative_indent_of_its_further_lines():
    text, _ = apply_overrides(
        TEXT, {"b": "Second:\n  - its own item\n- [@d] A new sub-clause."}, "p"
    )
    assert "- [@b] Second:\n  - its own item\n- [@d] A new sub-clause." in text


def test_an_override_of_a_missing_label_is_a_clear_problem():
    _, problems = apply_overrides(TEXT, {"zz": "x"}, "positions[0]")
    assert [p.path for p in problems] == ["positions[0].replaces.zz"]
    assert "a, b, c" in problems[0].hint
    assert clause_labels(TEXT) == {"a", "b", "c"}


def test_a_library_position_naming_an_unknown_sub_clause_is_refused(library_copy):
    def change(doc):
        doc["positions"][0] = {
            "id": "bad",
            "title": "Bad",
            "note": "Never.",
            "replaces": {"no_such_label": "Text."},
        }

    edit_library_file(library_copy, "clauses/commercial/liability.yaml", change)
    with pytest.raises(LibraryError) as caught:
        load_library(library_copy)
    assert "positions[0].replaces.no_such_label" in str(caught.value)


def test_a_position_with_both_text_and_replaces_is_refused(library_copy):
    def change(doc):
        doc["positions"][0]["text"] = doc["text"]

    edit_library_file(library_copy, "clauses/commercial/liability.yaml", change)
    with pytest.raises(LibraryError) as caught:
        load_library(library_copy)
    assert "positions" in str(caught.value)


def test_at_least_fifteen_clauses_have_approved_positions_with_guidance(library):
    with_positions = [c for c in library.clauses.values() if c.positions]
    assert len(with_positions) >= 15
    for clause in with_positions:
        for position in clause.positions:
            assert len(position.note.split()) >= 12, (clause.id, position.id)
            assert position.title


def test_most_positions_are_overrides_not_copies(library):
    positions = [p for c in library.clauses.values() for p in c.positions]
    overrides = [p for p in positions if p.replaces]
    assert len(overrides) >= len(positions) - 3


def _lines(raw, library, positions=None):
    raw = dict(raw, clauses={"positions": positions or {}})
    contract = assemble_contract(validate_spec(raw, library, source="t"), library)
    return {part.id: part.text_lines() for part in contract.parts}


@pytest.mark.parametrize(
    "clause_id, position_id, expected",
    [
        ("liability", "aggregate_over_term", "in aggregate for the whole Term"),
        ("termination", "notice_longer", "at least 12 months' written notice"),
        ("value_royalty", "rate_band_uplift", "above £10,000,000"),
        (
            "intellectual_property",
            "research_outputs_after_filing",
            "earlier of its first publication",
        ),
        ("model_governance", "independent_memorisation_testing", "independent assessor"),
    ],
)
def test_an_override_changes_only_the_sub_clause_it_names(
    deal, library, clause_id, position_id, expected
):
    standard = _lines(deal, library)[clause_id]
    changed = _lines(deal, library, {clause_id: position_id})[clause_id]
    assert len(standard) == len(changed)
    differing = [i for i, (a, b) in enumerate(zip(standard, changed, strict=True)) if a != b]
    assert len(differing) == 1
    assert expected in changed[differing[0]]


def test_an_old_style_whole_text_position_still_works(deal, library_copy):
    # The shipped library has only overrides now; a whole-text position must still work.
    def add_whole_text_position(clause):
        text = clause["text"].replace("Each Party may publish", "Each Party may freely publish", 1)
        assert text != clause["text"]
        clause.setdefault("positions", []).append(
            {"id": "whole_text", "title": "Whole text", "note": "For a test.", "text": text}
        )

    edit_library_file(
        library_copy, "clauses/transparency/publication.yaml", add_whole_text_position
    )
    copy = load_library(library_copy)
    changed = _lines(deal, copy, {"publication": "whole_text"})["publication"]
    standard = _lines(deal, copy)["publication"]
    assert changed != standard
    assert any("may freely publish" in line for line in changed)
