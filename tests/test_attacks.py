"""Attacks on the guarantees, from the deal spec, the library, the template and the disk.

Whatever the input, `nhs-contracts validate` and `assemble`:
- never show a traceback (exit code 0, 1 or 2; no "Traceback", no "internal error");
- never write a contract that lacks a mandatory clause (every success is read back
  from the .docx: each mandatory clause's bookmark, from the manifest, holds text);
- never leave a half-written file (on failure the output does not exist and the
  folder holds no temporary file).

The property tests use hypothesis with few examples (each one runs the CLI); the
explicit tests break a copy of the library in every way the guarantee must survive.
"""

from __future__ import annotations

import copy
import datetime as dt
import os
import re
import tempfile
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import edit_library_file, rewrite_zip_part
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit.cli import cli
from toolkit.docx.reader import read_contract
from toolkit.principles import MANDATORY_CLAUSES

FIXTURE = Path(__file__).parent / "fixtures" / "v1-royalty-deal.yaml"
VALID_DEAL = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))
MANDATORY = {clause.id: clause for clause in MANDATORY_CLAUSES}

# Values that have broken document generators before: template syntax, Word XML,
# XML entities, control and bidi characters, huge and odd numbers, dates as text.
INJECTIONS = [
    "{{ 7*7 }}",
    "{% raw %}",
    "{% endraw %}",
    "{{p clauses }}",
    "{%p if true %}",
    "{# comment",
    "<w:p>",
    "</w:t></w:r></w:p><w:p><w:r><w:t>",
    "&",
    "&amp;",
    "<![CDATA[x]]>",
    "]]>",
    "**bold**",
    "- [@label] item",
    "| a | b |",
    "\ue000",
    "\u202eevil",
    "\u200b",
    "\x00",
    "\x07",
    "\x1b[31m",
    "\r\n",
    "\ud7ff",
    "\U0001f600",
    "Zoë O\u2019Brien-Smith",
    "الشروط",
    "A" * 5000,
]
JUNK = st.one_of(
    st.sampled_from(INJECTIONS),
    st.sampled_from(
        [None, True, False, 0, -1, 10**30, -(10**30), 1e308, float("nan"), float("inf")]
    ),
    st.sampled_from(["2027-02-30", "2027-01-01", "01/01/2027", "tomorrow", "", " ", "null"]),
    st.integers(),
    st.floats(),
    st.text(max_size=30),
    st.dates(),
    st.lists(st.none() | st.integers() | st.text(max_size=5), max_size=3),
    st.dictionaries(st.text(max_size=8), st.none() | st.text(max_size=5), max_size=3),
    st.just({"nested": [{"junk": [None, {"deeper": "{{ 7*7 }}"}]}]}),
)
YAML_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=20)
    | st.dates()
    | st.sampled_from(INJECTIONS),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.text(max_size=12) | st.sampled_from(list(VALID_DEAL)), children, max_size=4
        )
    ),
    max_leaves=15,
)
FEW = settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
SOME = settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


# -- helpers -------------------------------------------------------------------------


def _invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def _no_traceback(result) -> None:
    """The CLI ended deliberately, with a documented exit code and no traceback."""
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"uncaught {result.exception!r}:\n{result.output}") from (
            result.exception
        )
    assert result.exit_code in (0, 1, 2), result.output
    assert "Traceback" not in result.output
    assert "internal error" not in result.output, result.output


def _mandatory_clauses_in(path: Path) -> None:
    """Every mandatory clause is in the written file, under its bookmark, with text."""
    document = read_contract(path)
    assert document.manifest is not None, "no manifest in the written contract"
    entries = {entry["id"]: entry for entry in document.manifest["clauses"]}
    found = document.by_bookmark()
    for clause_id in MANDATORY:
        assert clause_id in entries, f"manifest lacks {clause_id}"
        part = found.get(entries[clause_id]["bookmark"])
        assert part is not None, f"the document lacks the {clause_id} clause"
        assert len(part.lines) > 1 and any(line.strip() for line in part.lines[1:]), clause_id


def _attempt(spec_bytes: bytes, *extra, validate: bool = True) -> tuple:
    """Validate and assemble a spec in a fresh folder; check every guarantee; return results."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        spec = root / "deal.yaml"
        spec.write_bytes(spec_bytes)
        validated = _invoke("validate", spec, *extra) if validate else None
        if validated is not None:
            _no_traceback(validated)
        out_dir = root / "out"
        out_dir.mkdir()
        out = out_dir / "contract.docx"
        assembled = _invoke("assemble", spec, "-o", out, *extra)
        _no_traceback(assembled)
        if assembled.exit_code == 0:
            assert [p.name for p in out_dir.iterdir()] == ["contract.docx"]
            _mandatory_clauses_in(out)
            text = "\n".join(read_contract(out).paragraphs)
        else:
            assert list(out_dir.iterdir()) == [], "a failed assembly left files behind"
            text = ""
        # validate and assemble agree on whether the spec is acceptable
        if validated is not None and validated.exit_code == 0:
            assert assembled.exit_code == 0, assembled.output
        return validated, assembled, text


def _dump(value) -> bytes:
    return yaml.safe_dump(value, sort_keys=False, allow_unicode=True).encode("utf-8")


def _paths(value, prefix=()):
    """Every place in a nested value: tuples of keys and indices."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield (*prefix, key)
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield (*prefix, index)
            yield from _paths(item, (*prefix, index))


def _parent(value, path):
    for part in path[:-1]:
        value = value[part]
    return value


# -- the deal spec, arbitrary and nearly valid ---------------------------------------


@FEW
@given(YAML_VALUES)
def test_any_yaml_value_as_a_spec_is_refused_cleanly(value):
    validated, assembled, _ = _attempt(_dump(value))
    assert validated.exit_code != 0 and assembled.exit_code != 0


@FEW
@given(st.binary(max_size=300) | st.text(max_size=300).map(lambda t: t.encode("utf-8")))
def test_any_bytes_as_a_spec_are_refused_cleanly(raw):
    validated, assembled, _ = _attempt(raw)
    assert validated.exit_code != 0 and assembled.exit_code != 0


_RENAMES = st.sampled_from(["typo", "upper", "plural", "exclusive", "sole_rights", "junk"])


def _rename(key, how, junk: str):
    text = str(key)
    return {
        "typo": text[:-1] + "x" if text else "x",
        "upper": text.upper(),
        "plural": text + "s",
        "exclusive": f"exclusive_{text}",
        "sole_rights": "sole_rights",
        "junk": junk or "?",
    }[how]


@st.composite
def near_valid_deals(draw):
    deal = copy.deepcopy(VALID_DEAL)
    for _ in range(draw(st.integers(1, 3))):
        paths = list(_paths(deal))
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = _parent(deal, path)
        key = path[-1]
        action = draw(st.sampled_from(["drop", "rename", "replace", "replace", "add", "inject"]))
        if action == "drop":
            del parent[key]
        elif action == "rename" and isinstance(parent, dict):
            new = _rename(key, draw(_RENAMES), draw(st.text(max_size=8)))
            parent[new] = parent.pop(key)
        elif action == "add" and isinstance(parent[key], dict):
            parent[key][draw(st.text(min_size=1, max_size=10))] = draw(JUNK)
        elif action == "inject" and isinstance(parent[key], str):
            parent[key] = parent[key] + draw(st.sampled_from(INJECTIONS))
        else:
            parent[key] = draw(JUNK)
    return deal


@SOME
@given(near_valid_deals(), st.booleans())
def test_a_mutated_deal_is_refused_or_assembled_whole(deal, draft):
    _attempt(_dump(deal), *(["--draft"] if draft else []))


# Free-text fields where any text is a legitimate value (the schema forbids only
# control characters): what the spec says must appear in the contract literally.
_TEXT_FIELDS = [
    ("purpose", "aim"),
    ("purpose", "description"),
    ("benefits", 0, "description"),
    ("data", "description"),
    ("partner", "name"),
    ("nhs_parties", 0, "name"),
]
_LITERALS = [
    "{{ 7*7 }}",
    "{% raw %}",
    "{{p clauses }}",
    "<w:p>",
    "</w:t></w:r></w:p>",
    "&",
    "&amp;",
    "**not bold**",
    "- [@x] not an item",
    "\u202eright-to-left",
    "Zoë O\u2019Brien",
    "\U0001f600",
]


@FEW
@given(st.sampled_from(_TEXT_FIELDS), st.sampled_from(_LITERALS))
def test_spec_values_appear_in_the_contract_literally(field, literal):
    deal = copy.deepcopy(VALID_DEAL)
    parent = _parent(deal, field)
    parent[field[-1]] = f"Marker {literal} end"
    _, assembled, text = _attempt(_dump(deal), validate=False)
    assert assembled.exit_code == 0, assembled.output
    assert f"Marker {literal} end" in text
    if "7*7" in literal:
        assert "Marker 49 end" not in text


def test_huge_and_odd_numbers_are_clear_errors(deal):
    for term in (10**30, -5, 0, 1.5, "60", float("nan"), float("inf")):
        deal["agreement"]["term_months"] = term
        _, assembled, _ = _attempt(_dump(deal), validate=False)
        assert assembled.exit_code == 1, (term, assembled.output)
        assert "agreement.term_months" in assembled.output


def test_a_boolean_is_not_a_number(deal):
    deal["agreement"]["term_months"] = True
    _, assembled, _ = _attempt(_dump(deal), validate=False)
    assert assembled.exit_code == 1
    assert "agreement.term_months" in assembled.output


def test_an_additional_term_granting_exclusivity_is_refused(deal):
    deal["clauses"] = {
        "additional_terms": ["The Partner shall have a sole and exclusive licence to the Data."]
    }
    validated, assembled, _ = _attempt(_dump(deal))
    assert validated.exit_code == 1 and assembled.exit_code == 1
    assert "clauses.additional_terms[0]" in assembled.output
    assert "principle 3" in assembled.output


# -- breaking a copy of the library ---------------------------------------------------


def _clause_file(library_dir: Path, clause_id: str) -> Path:
    (path,) = (library_dir / "clauses").glob(f"*/{clause_id}.yaml")
    return path


def _edit_clause(library_dir: Path, clause_id: str, change) -> None:
    path = _clause_file(library_dir, clause_id)
    edit_library_file(library_dir, str(path.relative_to(library_dir)), change)


def _bump(document: dict) -> None:
    major, minor, _patch = (int(part) for part in document["version"].split("."))
    document["version"] = f"{major}.{minor + 1}.0"


def _refused(run, library_dir, spec, tmp_path, *words, draft=False):
    out = tmp_path / "out" / "contract.docx"
    out.parent.mkdir(exist_ok=True)
    args = ["assemble", spec, "-o", out, "--library", library_dir] + (["--draft"] if draft else [])
    result = _invoke(*args)
    _no_traceback(result)
    assert result.exit_code == 1, result.output
    for word in words:
        assert word in result.output, (word, result.output)
    assert list(out.parent.iterdir()) == []
    return result


def _lint_fails(library_dir, *words):
    result = _invoke("library", "lint", "--library", library_dir)
    _no_traceback(result)
    assert result.exit_code == 1, result.output
    for word in words:
        assert word in result.output, (word, result.output)
    return result


@pytest.fixture
def lint_without_samples(monkeypatch):
    """Lint minus its in-memory assembly of every model and fallback (slow; tested elsewhere).

    The checks these tests exercise (the scanner, the template) do not depend on it.
    """
    monkeypatch.setattr("toolkit.library.lint._sample_contracts", lambda library, report: None)


@pytest.mark.parametrize("clause_id", sorted(MANDATORY))
def test_a_deleted_mandatory_clause_is_refused(
    run, library_copy, deal, write_spec, tmp_path, lint_without_samples, clause_id
):
    _clause_file(library_copy, clause_id).unlink()
    principle = f"principle {MANDATORY[clause_id].principle}"
    _refused(run, library_copy, write_spec(deal), tmp_path, clause_id, principle)
    _lint_fails(library_copy, clause_id)


@pytest.mark.parametrize(("status", "draft"), [("draft", False), ("deprecated", True)])
def test_a_mandatory_clause_not_approved_is_refused(
    run, library_copy, deal, write_spec, tmp_path, lint_without_samples, status, draft
):
    _edit_clause(library_copy, "transparency", lambda d: d.update(status=status))
    _refused(
        run,
        library_copy,
        write_spec(deal),
        tmp_path,
        "transparency",
        status,
        "principle 4",
        draft=draft,
    )
    _lint_fails(library_copy, "transparency")


@pytest.mark.parametrize("clause_id", sorted(MANDATORY))
def test_a_mandatory_clause_edited_without_a_version_bump_is_refused_by_the_lock(
    run, library_copy, deal, write_spec, tmp_path, lint_without_samples, clause_id
):
    def gut(document):
        document["text"] = "- The Parties may agree otherwise.\n"

    _edit_clause(library_copy, clause_id, gut)
    principle = f"principle {MANDATORY[clause_id].principle}"
    _refused(run, library_copy, write_spec(deal), tmp_path, clause_id, principle, "locked")
    _lint_fails(library_copy, "without a version bump")


@pytest.mark.parametrize(
    ("clause_id", "gut", "says"),
    [
        (
            "non_exclusivity",
            lambda text: text.replace("non-exclusive", "limited"),
            "non_exclusivity: the non-exclusivity clause no longer says 'non-exclusive'",
        ),
        (
            "transparency",
            lambda text: re.sub("(?i)publish", "consider", text),
            "transparency: the transparency clause no longer says 'publish'",
        ),
        (
            "patient_benefit",
            # keeps every label other clauses refer to, but states no benefit
            lambda text: "".join(
                f"- [@{label}] The Partner shall aim to benefit patients.\n"
                for label in re.findall(r"\[@([a-z_]+)\]", text)
            ),
            "the benefit clause (patient_benefit) does not state this",
        ),
    ],
)
def test_a_gutted_mandatory_clause_bumped_and_relocked_is_still_refused(
    run, library_copy, deal, write_spec, tmp_path, clause_id, gut, says
):
    def change(document):
        document["text"] = gut(document["text"])
        for position in document.get("positions") or []:
            position["text"] = gut(position["text"])
        _bump(document)

    _edit_clause(library_copy, clause_id, change)
    locked = _invoke("library", "lock", "--library", library_copy)
    assert locked.exit_code == 0, locked.output
    principle = f"principle {MANDATORY[clause_id].principle}"
    _refused(run, library_copy, write_spec(deal), tmp_path, says, principle)
    _refused(run, library_copy, write_spec(deal), tmp_path, says, principle, draft=True)
    # Only lint's sample assemblies can see this: it must still fail.
    _lint_fails(library_copy, says)


def _add_position(library_dir: Path, clause_id: str, position_id: str, text: str) -> None:
    def change(document):
        document.setdefault("positions", [])
        document["positions"] = list(document["positions"]) + [
            {"id": position_id, "title": "Partner's preferred wording", "text": text}
        ]
        _bump(document)

    _edit_clause(library_dir, clause_id, change)
    locked = _invoke("library", "lock", "--library", library_dir)
    assert locked.exit_code == 0, locked.output


_WEAK = "- The Partner's rights are as the Parties agree from time to time.\n"
_EXCLUSIVE = (
    "- Every right granted to the Partner under this Agreement is non-exclusive, save that "
    "the Partner shall have exclusive access to the Data for 24 months.\n"
)


def test_a_fallback_that_weakens_a_mandatory_clause_is_refused(
    run, library_copy, deal, write_spec, tmp_path, lint_without_samples
):
    _add_position(library_copy, "non_exclusivity", "weak", _WEAK)
    _refused(
        run, library_copy, write_spec(deal), tmp_path, "non_exclusivity", "weak", "principle 3"
    )
    _lint_fails(library_copy, "weak")


def test_a_fallback_granting_exclusivity_fails_lint(library_copy, lint_without_samples):
    _add_position(library_copy, "non_exclusivity", "carve_out", _EXCLUSIVE)
    _lint_fails(library_copy, "positions.carve_out.text", "exclusive access", "principle 3")


def test_a_fallback_granting_exclusivity_on_any_clause_fails_lint(
    library_copy, lint_without_samples
):
    _add_position(
        library_copy,
        "data_access",
        "first_look",
        "- The Partner shall have a right of first refusal over any new data release.\n",
    )
    _lint_fails(library_copy, "positions.first_look.text", "first refusal")


def test_a_fallback_granting_exclusivity_refuses_assembly(
    run, library_copy, deal, write_spec, tmp_path
):
    _add_position(library_copy, "non_exclusivity", "carve_out", _EXCLUSIVE)
    _refused(
        run, library_copy, write_spec(deal), tmp_path, "non_exclusivity", "carve_out", "principle 3"
    )


def test_choosing_a_fallback_that_grants_exclusivity_is_refused(
    run, library_copy, deal, write_spec, tmp_path
):
    _add_position(library_copy, "non_exclusivity", "carve_out", _EXCLUSIVE)
    deal["clauses"] = {"positions": {"non_exclusivity": "carve_out"}}
    _refused(run, library_copy, write_spec(deal), tmp_path, "carve_out", "principle 3")


def test_a_model_schedule_granting_exclusivity_fails_lint(library_copy, lint_without_samples):
    edit_library_file(
        library_copy,
        "partnership_models/royalty.yaml",
        lambda model: model.update(
            schedule=model["schedule"]
            + "\nThe Partner shall have preferential access to future data releases.\n"
        ),
    )
    _lint_fails(library_copy, "royalty.yaml", "schedule", "preferential access")


# -- breaking the master template -------------------------------------------------------


def _rewrite_template(library_dir: Path, change) -> None:
    rewrite_zip_part(
        library_dir / "templates" / "contract.docx",
        "word/document.xml",
        lambda data: change(data.decode("utf-8")).encode("utf-8"),
    )


def test_a_template_without_the_clauses_placeholder_is_refused(
    run, library_copy, deal, write_spec, tmp_path, lint_without_samples
):
    _rewrite_template(library_copy, lambda xml: xml.replace("{{p clauses }}", ""))
    _refused(run, library_copy, write_spec(deal), tmp_path, "{{p clauses }}")
    _lint_fails(library_copy, "{{p clauses }}")


@pytest.mark.parametrize(
    "change",
    [
        lambda xml: xml.replace("{{p clauses }}", "{{ clauses }}"),
        lambda xml: xml.replace("{{p clauses }}", "{% if false %}{{p clauses }}{% endif %}"),
        lambda xml: xml.replace("{{p clauses }}", "{{p clauses }}{%"),
        lambda xml: xml.replace("<w:body>", "<w:body><w:p><w:r><w:t>{{ 7*", 1),
    ],
    ids=["inline", "hidden", "broken-jinja", "broken-early"],
)
def test_a_template_that_hides_or_breaks_the_clauses_is_refused_or_complete(
    run, library_copy, deal, write_spec, tmp_path, change
):
    _rewrite_template(library_copy, change)
    out = tmp_path / "out" / "contract.docx"
    out.parent.mkdir()
    result = _invoke("assemble", write_spec(deal), "-o", out, "--library", library_copy)
    _no_traceback(result)
    if result.exit_code == 0:
        _mandatory_clauses_in(out)
    else:
        assert list(out.parent.iterdir()) == []


def test_a_template_that_is_not_a_docx_is_refused(run, library_copy, deal, write_spec, tmp_path):
    (library_copy / "templates" / "contract.docx").write_bytes(b"not a zip file")
    _refused(run, library_copy, write_spec(deal), tmp_path, "contract.docx")


# -- the output path ---------------------------------------------------------------------


def test_an_existing_output_is_not_replaced_without_force(deal, write_spec, tmp_path):
    out = tmp_path / "out" / "contract.docx"
    out.parent.mkdir()
    out.write_bytes(b"the signed version")
    result = _invoke("assemble", write_spec(deal), "-o", out)
    _no_traceback(result)
    assert result.exit_code == 1 and "already exists" in result.output
    assert out.read_bytes() == b"the signed version"
    assert [p.name for p in out.parent.iterdir()] == ["contract.docx"]


def test_an_existing_pdf_blocks_assembly_before_anything_is_written(deal, write_spec, tmp_path):
    out = tmp_path / "out" / "contract.docx"
    out.parent.mkdir()
    out.with_suffix(".pdf").write_bytes(b"old pdf")
    result = _invoke("assemble", write_spec(deal), "-o", out, "--pdf")
    _no_traceback(result)
    assert result.exit_code == 1 and "already exists" in result.output
    assert not out.exists()


def test_an_output_that_is_a_folder_is_refused(deal, write_spec, tmp_path):
    out = tmp_path / "contract.docx"
    out.mkdir()
    result = _invoke("assemble", write_spec(deal), "-o", out)
    _no_traceback(result)
    assert result.exit_code == 1 and "is a folder" in result.output
    assert list(out.iterdir()) == []


def test_an_output_in_a_missing_folder_is_refused(deal, write_spec, tmp_path):
    out = tmp_path / "missing" / "contract.docx"
    result = _invoke("assemble", write_spec(deal), "-o", out)
    _no_traceback(result)
    assert result.exit_code == 1 and "does not exist" in result.output
    assert not out.parent.exists()


def _unwritable_folder(tmp_path: Path) -> Path:
    """A folder this process cannot create files in, even as root."""
    if os.geteuid() != 0:
        folder = tmp_path / "locked"
        folder.mkdir()
        folder.chmod(0o555)
        return folder
    # chmod does not stop root; /proc/sys refuses new files to everyone.
    folder = Path("/proc/sys")
    if folder.is_dir() and not os.access(folder, os.W_OK):
        return folder
    pytest.skip("running as root with no folder that refuses writes to root")


def test_an_output_in_an_unwritable_folder_is_refused(deal, write_spec, tmp_path):
    folder = _unwritable_folder(tmp_path)
    try:
        before = set(os.listdir(folder))
        out = folder / "contract.docx"
        result = _invoke("assemble", write_spec(deal), "-o", out)
        _no_traceback(result)
        assert result.exit_code == 1 and "not writable" in result.output
        assert set(os.listdir(folder)) == before
    finally:
        if folder.is_relative_to(tmp_path):
            folder.chmod(0o755)


def test_a_folder_that_refuses_the_temporary_file_is_a_clear_error(
    monkeypatch, deal, write_spec, tmp_path
):
    # Past the permission check (as if access() were wrong), creating the file fails.
    folder = _unwritable_folder(tmp_path)
    try:
        monkeypatch.setattr("toolkit.output.os.access", lambda *args: True)
        result = _invoke("assemble", write_spec(deal), "-o", folder / "contract.docx")
        _no_traceback(result)
        assert result.exit_code == 1 and "nothing written" in result.output
        assert not (folder / "contract.docx").exists()
    finally:
        if folder.is_relative_to(tmp_path):
            folder.chmod(0o755)


def test_a_failure_while_moving_into_place_leaves_nothing(monkeypatch, deal, write_spec, tmp_path):
    out = tmp_path / "out" / "contract.docx"
    out.parent.mkdir()

    def refuse(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("toolkit.output.os.replace", refuse)
    monkeypatch.setattr("toolkit.output.os.link", refuse)
    result = _invoke("assemble", write_spec(deal), "-o", out)
    _no_traceback(result)
    assert result.exit_code == 1 and "No space left" in result.output
    assert list(out.parent.iterdir()) == []


def test_a_contract_failing_its_read_back_leaves_nothing(monkeypatch, deal, write_spec, tmp_path):
    from toolkit.docx import verify
    from toolkit.exceptions import GuaranteeError, Problem

    def lose_a_clause(contract, path, rendered):
        raise GuaranteeError(str(path), [Problem("transparency", "missing", 4)])

    monkeypatch.setattr(verify, "verify_written", lose_a_clause)
    out = tmp_path / "out" / "contract.docx"
    out.parent.mkdir()
    result = _invoke("assemble", write_spec(deal), "-o", out)
    _no_traceback(result)
    assert result.exit_code == 1 and "principle 4" in result.output
    assert list(out.parent.iterdir()) == []


def test_a_successful_assembly_holds_every_mandatory_clause(deal, write_spec, tmp_path):
    deal["agreement"]["effective_date"] = dt.date(2027, 1, 1).isoformat()
    validated, assembled, _ = _attempt(_dump(deal))
    assert validated.exit_code == 0 and assembled.exit_code == 0, assembled.output
