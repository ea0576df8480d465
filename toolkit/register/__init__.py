"""The register of issued contracts: every contract the toolkit writes, in SQLite.

``check`` compares a returned contract with its issued record here, never with what the
returned file claims about itself. Several processes (a batch's workers) may write at
once: the database runs in WAL mode with a busy timeout, and each record is one
transaction.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from toolkit.exceptions import RegisterError
from toolkit.register import rows
from toolkit.register.schema import SCHEMA_VERSION, migrate

__all__ = [
    "SCHEMA_VERSION",
    "IssuedContract",
    "Register",
    "default_register_path",
    "open_register",
]

ENVIRONMENT_VARIABLE = "NHS_CONTRACTS_REGISTER"
_SELECT = (
    "SELECT reference, spec_json, manifest_json, docx_sha256, draft, "
    "toolkit_version, library_version, library_hash, issued_at FROM issued_contract WHERE "
)
BUSY_TIMEOUT_SECONDS = 60.0  # a batch's workers queue for the write lock this long at most


@dataclass(frozen=True)
class IssuedContract:
    """One contract as the toolkit issued it."""

    reference: str
    spec: dict  # the normalised deal spec, JSON-safe (dates as ISO strings)
    manifest: dict  # the manifest written into the .docx
    docx_sha256: str
    draft: bool
    toolkit_version: str
    library_version: str
    library_hash: str
    issued_at: str  # ISO 8601 UTC

    def as_dict(self) -> dict:
        """Return the record as a JSON-ready mapping."""
        return {
            "reference": self.reference,
            "draft": self.draft,
            "docx_sha256": self.docx_sha256,
            "issued_at": self.issued_at,
            "toolkit_version": self.toolkit_version,
            "library_version": self.library_version,
            "library_hash": self.library_hash,
            "spec": self.spec,
            "manifest": self.manifest,
        }


def default_register_path() -> Path:
    """Return the register's path: $NHS_CONTRACTS_REGISTER, else in the user's data folder."""
    configured = os.environ.get(ENVIRONMENT_VARIABLE)
    if configured:
        return Path(configured).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("nhs-contracts", appauthor=False)) / "register.sqlite3"


def open_register(path: str | Path | None = None) -> Register:
    """Open (creating or migrating if need be) the register at ``path`` or the default one."""
    return Register(Path(path) if path is not None else default_register_path())


class Register:
    """An open register of issued contracts; also a context manager."""

    def __init__(self, path: Path):
        self.path = Path(path)
        if self.path.is_dir():
            raise RegisterError(f"{self.path}: is a folder; give the register's file name.")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            self._connection = sqlite3.connect(
                self.path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None
            )
        except (OSError, sqlite3.Error) as exc:
            raise RegisterError(f"{self.path}: cannot open the register ({exc}).") from None
        try:
            self._connection.execute("PRAGMA journal_mode = WAL")
            self._connection.execute("PRAGMA foreign_keys = ON")
            migrate(self._connection)
        except sqlite3.DatabaseError as exc:
            self._connection.close()
            raise RegisterError(
                f"{self.path}: is not a usable register of issued contracts ({exc})."
            ) from None
        except ValueError as exc:
            self._connection.close()
            raise RegisterError(f"{self.path}: {exc}; upgrade the toolkit.") from None

    def __enter__(self) -> Register:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def close(self) -> None:
        """Close the database connection."""
        self._connection.close()

    def record(self, issued: IssuedContract, *, file_name: str | None = None) -> None:
        """Record an issued contract, with its transparency details, in one transaction."""
        try:
            self._write(issued, file_name)
        except sqlite3.Error as exc:
            raise RegisterError(f"{self.path}: cannot record {issued.reference} ({exc}).") from None

    def find(self, reference: str) -> list[IssuedContract]:
        """Return the contracts issued under an agreement reference, newest first."""
        return list(self.issued_under(reference))

    def issued_under(self, reference: str) -> Iterator[IssuedContract]:
        """Yield the contracts issued under a reference, newest first, each decoded when reached.

        The rows are read at once (the register may be closed before they are used); a
        caller that stops at the first match does not decode every earlier issue's spec
        and manifest.
        """
        rows = self._rows("reference = ? ORDER BY issued_at DESC, id DESC", reference)
        return map(_issued_contract, rows)

    def find_by_docx_sha256(self, sha256: str) -> IssuedContract | None:
        """Return the newest contract issued as exactly these .docx bytes, or None."""
        found = self._select("docx_sha256 = ? ORDER BY issued_at DESC, id DESC LIMIT 1", sha256)
        return found[0] if found else None

    def latest(self, limit: int = 50) -> list[IssuedContract]:
        """Return the most recently issued contracts, newest first."""
        return self._select("1 ORDER BY issued_at DESC, id DESC LIMIT ?", int(limit))

    def _write(self, issued: IssuedContract, file_name: str | None) -> None:
        connection = self._connection
        connection.execute("BEGIN IMMEDIATE")
        try:
            cursor = connection.execute(
                # names are this package's constants; every value is a parameter
                f"INSERT INTO issued_contract ({', '.join(rows.CONTRACT_COLUMNS)}) "  # noqa: S608
                f"VALUES ({', '.join('?' for _ in rows.CONTRACT_COLUMNS)})",
                rows.contract_row(issued, file_name),
            )
            contract_id = cursor.lastrowid
            for table, columns, values in rows.detail_rows(issued):
                connection.executemany(
                    f"INSERT INTO {table} (contract_id, {', '.join(columns)}) "  # noqa: S608
                    f"VALUES (?, {', '.join('?' for _ in columns)})",
                    [(contract_id, *row) for row in values],
                )
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise

    def _select(self, condition: str, *parameters) -> list[IssuedContract]:
        return [_issued_contract(row) for row in self._rows(condition, *parameters)]

    def _rows(self, condition: str, *parameters) -> list[tuple]:
        try:
            return self._connection.execute(
                _SELECT + condition,  # conditions are this module's constants
                parameters,
            ).fetchall()
        except sqlite3.Error as exc:
            raise RegisterError(f"{self.path}: cannot read the register ({exc}).") from None


def _issued_contract(row: tuple) -> IssuedContract:
    return IssuedContract(
        reference=row[0],
        spec=json.loads(row[1]),
        manifest=json.loads(row[2]),
        docx_sha256=row[3],
        draft=bool(row[4]),
        toolkit_version=row[5],
        library_version=row[6],
        library_hash=row[7],
        issued_at=row[8],
    )
