"""The exact output of `check` and `compare` (in the sqlite-utils style: the whole stdout).

A lawyer reads these lines, and tools read the JSON: any change to either is a change
to the product, made on purpose, here.
"""

from __future__ import annotations

import json
import os

import docx
import pytest
from check_support import issue
from conftest import EXAMPLES

from toolkit.docx.reader import read_contract

REFERENCE = "LTH-DP-2027-004"
ISSUED = (
    "Every right granted to the Partner under this Agreement, including every right to "
    "access and use the Data, is non-exclusive."
)
RETURNED = ISSUED.replace("is non-exclusive.", "is exclusive.")
PRINCIPLE_3 = "[principle 3: no exclusivity, no lock-in]"


@pytest.fixture(scope="session")
def issued(tmp_path_factory, library):
    """The contract as issued, once."""
    return issue(EXAMPLES / "valid-royalty.yaml", tmp_path_factory.mktemp("output"), library)


@pytest.fixture
def setting(issued, library, tmp_path):
    """The issued copy, its register and the values every report starts with."""
    path = issued.copy_to(tmp_path / "returned.docx")
    clauses = len(read_contract(path).manifest["clauses"])
    register = os.environ["NHS_CONTRACTS_REGISTER"]
    return {
        "path": path,
        "clauses": clauses,
        "head": (
            f"{path}: agreement {REFERENCE}; checked against library {library.name} "
            f"version {library.version}.\n"
            f"Compared with: the register {register} (issued {issued.record.issued_at}).\n"
        ),
        "library": library,
    }


def exclusive(path) -> None:
    """The other side's edit: the mandatory non-exclusivity clause made exclusive."""
    document = docx.Document(str(path))
    paragraph = next(p for p in document.paragraphs if p.text == ISSUED)
    paragraph.text = RETURNED
    document.save(str(path))


def test_check_output_for_a_clean_contract(run, setting):
    result = run("check", setting["path"])
    assert result.exit_code == 0
    assert result.output == (
        setting["head"]
        + "\n"
        + f"OK: the contract matches the approved text ({setting['clauses']} clauses and "
        "schedules checked).\n"
    )


def test_check_output_for_a_mandatory_deviation(run, setting):
    exclusive(setting["path"])
    result = run("check", setting["path"])
    assert result.exit_code == 1
    assert result.output == (
        setting["head"]
        + "Differences read from the approved text to the document: [-approved text the "
        "document lacks-] {+document text the approved text lacks+}.\n"
        "\n"
        "Mandatory clauses:\n"
        "  - clause 17 (Non-exclusivity): the mandatory non-exclusivity clause has been "
        f"altered and no longer says \u2018non-exclusive\u2019 {PRINCIPLE_3} (mandatory)\n"
        "\n"
        "Deviations from the approved text:\n"
        "  - clause 17 (Non-exclusivity): differs from the approved text (version 1.0.0) "
        "(mandatory); the added words break principle 3 (grants exclusive rights): "
        "\u201cis exclusive\u201d\n"
        "      clause 17.1: changed: \u2026 access and use the Data, is [-non-exclusive.-] "
        "{+exclusive.+}\n"
        "\n"
        "NOT OK: the contract differs from what the toolkit assembles (1 mandatory-clause "
        "problem, 1 deviation).\n"
    )


def test_check_json_shape(run, setting):
    exclusive(setting["path"])
    result = run("check", setting["path"], "--json")
    assert result.exit_code == 1
    report = json.loads(result.output)
    library = setting["library"]
    assert {k: v for k, v in report.items() if k not in ("mandatory", "deviations")} == {
        "ok": False,
        "verified": True,
        "compared_with": "register",
        "compared_with_detail": setting["head"].splitlines()[1][len("Compared with: ") : -1],
        "contract": str(setting["path"]),
        "manifest": True,
        "agreement_reference": REFERENCE,
        "library": {"name": library.name, "version": library.version},
        "manifest_library_version": library.version,
        "clauses_checked": setting["clauses"],
        "added": [],
        "seen": [],
        "manifest_problems": [],
        "notes": [],
    }
    common = {
        "clause": "non_exclusivity",
        "number": "17",
        "title": "Non-exclusivity",
        "label": "clause 17 (Non-exclusivity)",
        "classification": "mandatory",
        "principle": 3,
        "position": None,
    }
    assert report["mandatory"] == [
        common
        | {
            "section": "mandatory",
            "message": "the mandatory non-exclusivity clause has been altered and no longer "
            "says \u2018non-exclusive\u2019",
            "prohibited_wording": [],
            "changes": [],
        }
    ]
    assert report["deviations"] == [
        common
        | {
            "section": "deviation",
            "message": "differs from the approved text (version 1.0.0)",
            "prohibited_wording": [
                {
                    "principle": 3,
                    "words": "is exclusive",
                    "why": "grants exclusive rights",
                    "rule": "exclusive",
                }
            ],
            "changes": [
                {
                    "kind": "changed",
                    "where": "clause 17.1",
                    "diff": "\u2026 access and use the Data, is [-non-exclusive.-] {+exclusive.+}",
                    "issued": ISSUED,
                    "returned": RETURNED,
                    "words_removed": ["non-exclusive."],
                    "words_added": ["exclusive."],
                    "expected": ISSUED,
                    "found": RETURNED,
                }
            ],
        }
    ]


def test_check_output_without_an_issued_record(run, setting, tmp_path):
    alone = tmp_path / "alone.docx"
    alone.write_bytes(setting["path"].read_bytes())
    empty = tmp_path / "empty.sqlite3"
    result = run("--register", empty, "check", alone)
    assert result.exit_code == 1
    library = setting["library"]
    assert result.output == (
        f"{alone}: agreement {REFERENCE}; checked against library {library.name} version "
        f"{library.version}.\n"
        f"Compared with: only what the document's own manifest claims: the register {empty} "
        f"holds no contract issued as '{REFERENCE}'.\n"
        "\n"
        "NOT VERIFIED: the document matches what its own manifest claims, but no record of "
        "what was issued was available to compare it with. Check it against the register "
        "(--register), the issued .docx (--against) or the issued deal spec (--spec) before "
        "relying on it.\n"
    )


def test_compare_output(run, setting, tmp_path):
    old = tmp_path / "turn1.docx"
    old.write_bytes(setting["path"].read_bytes())
    exclusive(setting["path"])
    new = setting["path"]
    library = setting["library"]
    result = run("compare", old, new)
    assert result.exit_code == 1
    assert result.output == (
        f"{new}: agreement {REFERENCE}; checked against library {library.name} version "
        f"{library.version}.\n"
        f"Compared with: the previous turn {old}.\n"
        "Differences read from the approved text to the document: [-approved text the "
        "document lacks-] {+document text the approved text lacks+}.\n"
        "\n"
        "Deviations from the approved text:\n"
        "  - clause 17 (Non-exclusivity): changed since the previous turn (mandatory); the "
        "added words break principle 3 (grants exclusive rights): \u201cis exclusive\u201d\n"
        "      clause 17 (Non-exclusivity), paragraph 2: changed: \u2026 access and use the "
        "Data, is [-non-exclusive.-] {+exclusive.+}\n"
        "\n"
        "CHANGED: 1 change since the previous turn.\n"
    )
    same = run("compare", old, old)
    assert same.exit_code == 0
    assert same.output.endswith(
        f"Compared with: the previous turn {old}.\n"
        "\n"
        "UNCHANGED: the words and what a reader sees are as in the previous turn.\n"
    )
