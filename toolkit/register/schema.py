"""The register's tables and their migrations, versioned by SQLite's ``user_version``.

The tables are shaped for the Centre's transparency register of agreements: one row
an issued contract (with its reference, purpose, dates, draft or final, hashes and
versions), its parties, benefits, clauses and approvals of non-standard terms in their
own tables, and the normalised spec and manifest kept whole as JSON for ``check``.
A migration is only ever appended: the list index plus one is the schema version.
"""

from __future__ import annotations

import sqlite3

MIGRATIONS: tuple[str, ...] = (
    # 1: issued contracts and what a transparency register publishes about them
    """
    CREATE TABLE issued_contract (
        id INTEGER PRIMARY KEY,
        reference TEXT NOT NULL,
        title TEXT,
        partnership_model TEXT,
        partnership_models TEXT NOT NULL,      -- JSON list: the model, then any hybrids
        purpose_aim TEXT,
        effective_date TEXT,
        term_months INTEGER,
        governing_law TEXT,
        draft INTEGER NOT NULL CHECK (draft IN (0, 1)),
        docx_sha256 TEXT NOT NULL,
        spec_sha256 TEXT,
        toolkit_version TEXT NOT NULL,
        library_version TEXT NOT NULL,
        library_hash TEXT NOT NULL,
        issued_at TEXT NOT NULL,                -- ISO 8601, UTC
        file_name TEXT,                         -- the name it was written under, if known
        spec_json TEXT NOT NULL,
        manifest_json TEXT NOT NULL
    );
    CREATE INDEX issued_contract_reference ON issued_contract (reference, issued_at);
    CREATE INDEX issued_contract_docx ON issued_contract (docx_sha256);
    CREATE TABLE party (
        contract_id INTEGER NOT NULL REFERENCES issued_contract (id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('nhs', 'partner')),
        name TEXT NOT NULL,
        kind TEXT,
        identifier TEXT,                        -- ODS code or company number
        lead INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (contract_id, position)
    );
    CREATE INDEX party_name ON party (name);
    CREATE TABLE benefit (
        contract_id INTEGER NOT NULL REFERENCES issued_contract (id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        description TEXT,
        beneficiary TEXT,
        measure TEXT,
        target TEXT,
        due_by TEXT,
        PRIMARY KEY (contract_id, position)
    );
    CREATE TABLE clause_use (
        contract_id INTEGER NOT NULL REFERENCES issued_contract (id) ON DELETE CASCADE,
        clause_id TEXT NOT NULL,
        version TEXT,
        position_id TEXT,
        text_sha256 TEXT,
        mandatory INTEGER NOT NULL DEFAULT 0,
        non_standard INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (contract_id, clause_id)
    );
    CREATE INDEX clause_use_clause ON clause_use (clause_id, version);
    CREATE TABLE approval (
        contract_id INTEGER NOT NULL REFERENCES issued_contract (id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        subject TEXT NOT NULL,                  -- what was approved, e.g. an additional term
        approved_by TEXT,
        role TEXT,
        approved_on TEXT,
        reference TEXT,
        PRIMARY KEY (contract_id, position)
    );
    """,
)

SCHEMA_VERSION = len(MIGRATIONS)


def migrate(connection: sqlite3.Connection) -> int:
    """Bring the database to the current schema inside one write transaction; return it.

    Raises ValueError if the database was made by a newer toolkit.
    """
    connection.execute("BEGIN IMMEDIATE")  # one process migrates; the others wait, then see it
    try:
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise ValueError(
                f"its schema version {version} is newer than this toolkit's {SCHEMA_VERSION}"
            )
        for number in range(version, SCHEMA_VERSION):
            for statement in MIGRATIONS[number].split(";"):
                if statement.strip():
                    connection.execute(statement)
        if version != SCHEMA_VERSION:
            connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION:d}")
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    return SCHEMA_VERSION
