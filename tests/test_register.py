"""The register of issued contracts: schema, records, concurrency, and assemble recording."""

from __future__ import annotations

import multiprocessing
import sqlite3

import pytest

from toolkit.exceptions import RegisterError
from toolkit.register import (
    SCHEMA_VERSION,
    IssuedContract,
    default_register_path,
    open_register,
)


def _issued(reference="REF-1", sha="a" * 64, at="2027-01-01T00:00:00+00:00", **spec_extra):
    spec = {
        "agreement": {"reference": reference, "effective_date": "2027-01-01", "term_months": 60},
        "nhs_parties": [{"name": "A Trust", "kind": "nhs_trust", "ods_code": "RAL", "lead": True}],
        "partner": {"name": "B Ltd", "kind": "company", "company_number": "0123"},
        "partnership_model": "royalty",
        "purpose": {"aim": "Earlier treatment"},
        "benefits": [{"description": "d", "beneficiary": "patients", "target": "reduce by 25%"}],
        **spec_extra,
    }
    manifest = {"clauses": [{"id": "non_exclusivity", "version": "1.0.0", "mandatory": True}]}
    return IssuedContract(reference, spec, manifest, sha, False, "0.1.0", "1.0.0", "h" * 64, at)


def test_the_default_register_follows_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("NHS_CONTRACTS_REGISTER", str(tmp_path / "r.sqlite3"))
    assert default_register_path() == tmp_path / "r.sqlite3"
    monkeypatch.delenv("NHS_CONTRACTS_REGISTER")
    assert default_register_path().name == "register.sqlite3"
    assert "nhs-contracts" in str(default_register_path())


def test_record_and_find_newest_first(tmp_path):
    path = tmp_path / "deep" / "register.sqlite3"
    with open_register(path) as register:
        register.record(_issued(sha="1" * 64, at="2027-01-01T00:00:00+00:00"))
        register.record(_issued(sha="2" * 64, at="2027-02-01T00:00:00+00:00"))
        found = register.find("REF-1")
        assert [i.docx_sha256[0] for i in found] == ["2", "1"]
        assert found[0] == _issued(sha="2" * 64, at="2027-02-01T00:00:00+00:00")
        assert register.find("nope") == []
        assert register.find_by_docx_sha256("1" * 64).issued_at.startswith("2027-01")
        assert register.find_by_docx_sha256("f" * 64) is None
    database = sqlite3.connect(path)
    assert database.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert database.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    parties = database.execute(
        "SELECT role, name, identifier, lead FROM party WHERE contract_id = 1 ORDER BY position"
    )
    assert parties.fetchall() == [("nhs", "A Trust", "RAL", 1), ("partner", "B Ltd", "0123", 0)]
    row = database.execute("SELECT purpose_aim, partnership_model, draft FROM issued_contract")
    assert database.execute("SELECT count(*) FROM clause_use").fetchone() == (2,)
    assert row.fetchone() == ("Earlier treatment", "royalty", 0)


def test_issues_under_a_reference_can_be_read_after_the_register_is_closed(tmp_path):
    with open_register(tmp_path / "r.sqlite3") as register:
        for month in (1, 2, 3):
            register.record(_issued(sha=str(month) * 64, at=f"2027-0{month}-01T00:00:00+00:00"))
        issues = register.issued_under("REF-1")
        listed = register.find("REF-1")
    assert [i.docx_sha256[0] for i in issues] == ["3", "2", "1"]
    assert [i.docx_sha256[0] for i in listed] == ["3", "2", "1"]


def test_approvals_of_non_standard_terms_are_recorded(tmp_path):
    approval = {"name": "J Doe", "role": "Director of IG", "date": "2027-01-02", "reference": "X1"}
    terms = {"additional_terms": [{"text": "A term", "approval": approval}]}
    with open_register(tmp_path / "r.sqlite3") as register:
        register.record(_issued(clauses=terms))
    rows = sqlite3.connect(tmp_path / "r.sqlite3").execute("SELECT * FROM approval").fetchall()
    assert rows == [
        (1, 0, "clauses.additional_terms[0]", "J Doe", "Director of IG", "2027-01-02", "X1")
    ]


def test_a_file_that_is_not_a_register_is_a_clear_error(tmp_path):
    path = tmp_path / "r.sqlite3"
    path.write_bytes(b"not a database at all" * 100)
    with pytest.raises(RegisterError, match="is not a usable register"):
        open_register(path)
    with pytest.raises(RegisterError, match="is a folder"):
        open_register(tmp_path)


def test_a_register_from_a_newer_toolkit_is_refused(tmp_path):
    path = tmp_path / "r.sqlite3"
    open_register(path).close()
    database = sqlite3.connect(path)
    database.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    database.close()
    with pytest.raises(RegisterError, match="newer than this toolkit"):
        open_register(path)


def _write_many(path, worker, count):
    with open_register(path) as register:
        for number in range(count):
            register.record(_issued(reference=f"W{worker}", sha=f"{worker:02d}{number:062d}"))


def test_several_processes_record_at_once(tmp_path):
    path = tmp_path / "r.sqlite3"
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_write_many, args=(path, w, 15)) for w in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
    assert [w.exitcode for w in workers] == [0, 0, 0, 0]
    with open_register(path) as register:
        assert [len(register.find(f"W{w}")) for w in range(4)] == [15, 15, 15, 15]


def test_assemble_records_what_it_wrote(run, deal, write_spec, tmp_path):
    import hashlib

    out = tmp_path / "c.docx"
    register_path = tmp_path / "elsewhere.sqlite3"
    result = run("--register", register_path, "assemble", write_spec(deal), "-o", out, "--draft")
    assert result.exit_code == 0, result.output
    with open_register(register_path) as register:
        issued = register.find(deal["agreement"]["reference"])
    assert len(issued) == 1
    assert issued[0].docx_sha256 == hashlib.sha256(out.read_bytes()).hexdigest()
    assert issued[0].draft is True
    assert issued[0].spec["agreement"]["effective_date"] == str(deal["agreement"]["effective_date"])
    assert issued[0].manifest["agreement_reference"] == deal["agreement"]["reference"]
    with open_register(None) as default:  # the test's own default register stays empty
        assert default.find(deal["agreement"]["reference"]) == []


def test_a_refused_spec_is_not_recorded(run, deal, write_spec, tmp_path):
    deal["data"]["access"] = "extract"
    assert run("assemble", write_spec(deal), "-o", tmp_path / "c.docx").exit_code == 1
    with open_register() as register:
        assert register.find(deal["agreement"]["reference"]) == []
