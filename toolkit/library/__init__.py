"""The clause library: clause files, partnership model files and the master template."""

from __future__ import annotations

import difflib
import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from toolkit import cache
from toolkit.exceptions import LibraryError, Problem, UnknownIdError
from toolkit.library import files as data
from toolkit.library import schemas
from toolkit.library.positions import apply_overrides
from toolkit.library.rules import rule_problems


@dataclass(frozen=True)
class Position:
    """An approved fallback wording of a clause."""

    id: str
    title: str
    note: str
    text: str  # the whole clause text as the position has it (overrides applied)
    replaces: tuple[str, ...] = ()  # the labelled sub-clauses it replaces, if an override


@dataclass(frozen=True)
class Clause:
    """One approved clause (or schedule) of the library."""

    id: str
    kind: str
    title: str
    version: str
    status: str
    category: str
    order: int
    principles: tuple[int, ...]
    basis: str
    models: tuple[str, ...] | str
    ico: tuple[str, ...]
    variables: dict
    defines: dict[str, str]
    requires: tuple[str, ...]
    text: str
    positions: tuple[Position, ...]
    path: Path

    @property
    def is_schedule(self) -> bool:
        """Whether the clause is a schedule rather than a numbered clause."""
        return self.kind == "schedule"

    @property
    def in_every_contract(self) -> bool:
        """Whether every contract includes the clause, whatever its model."""
        return self.models == "all"

    def usable_with(self, model_ids: set[str]) -> bool:
        """Whether a deal using these models may include the clause."""
        return self.in_every_contract or bool(model_ids & set(self.models))

    def position(self, position_id: str | None) -> Position | None:
        """Return the named fallback position, or None for the standard text."""
        for position in self.positions:
            if position.id == position_id:
                return position
        return None

    def as_dict(self, *, full: bool = False) -> dict:
        """Return the clause as a JSON-ready mapping; ``full`` adds its text and positions."""
        value = {
            "id": self.id,
            "kind": self.kind,
            "title": self.title,
            "version": self.version,
            "status": self.status,
            "category": self.category,
            "principles": list(self.principles),
            "models": self.models if self.models == "all" else list(self.models),
            "basis": self.basis,
            "positions": [p.id for p in self.positions],
        }
        if full:
            value.update(
                text=self.text,
                defines=self.defines,
                requires=list(self.requires),
                ico=list(self.ico),
                positions=[
                    {"id": p.id, "title": p.title, "note": p.note, "text": p.text}
                    for p in self.positions
                ],
            )
        return value

    def text_hash(self) -> str:
        """Return the hash the library lock keeps for the approved text and positions."""
        digest = hashlib.sha256(self.text.encode("utf-8"))
        for position in self.positions:
            digest.update(b"\0" + position.id.encode() + b"\0" + position.text.encode("utf-8"))
        for term in sorted(self.defines):
            digest.update(b"\0" + term.encode() + b"\0" + self.defines[term].encode("utf-8"))
        return digest.hexdigest()


@dataclass(frozen=True)
class PartnershipModel:
    """A way of sharing the value of a deal with the NHS."""

    id: str
    name: str
    summary: str
    when_to_use: str
    cautions: tuple[str, ...]
    combines_with: tuple[str, ...]
    clauses: tuple[str, ...]
    terms_schema: dict
    terms_example: dict
    terms_help: dict
    schedule: str
    path: Path
    rules: tuple[dict, ...] = ()  # machine-readable cautions (toolkit.library.rules)
    limits: dict = field(default_factory=dict)  # field -> (min, max) of the deal's caps

    def as_dict(self, *, full: bool = False) -> dict:
        """Return the model as a JSON-ready mapping; ``full`` adds its guidance and terms."""
        value = {
            "id": self.id,
            "name": self.name,
            "summary": self.summary,
            "combines_with": list(self.combines_with),
            "clauses": list(self.clauses),
        }
        if full:
            value.update(
                when_to_use=self.when_to_use,
                cautions=list(self.cautions),
                terms_schema=self.terms_schema,
                terms_help=self.terms_help,
                terms_example=self.terms_example,
            )
        return value


@dataclass
class Library:
    """A loaded clause library: clauses, partnership models, template and lock."""

    root: Path
    name: str
    version: str
    lock: dict[str, dict]
    clauses: dict[str, Clause] = field(default_factory=dict)
    models: dict[str, PartnershipModel] = field(default_factory=dict)
    content_hash: str = ""

    @property
    def template(self) -> Path:
        """Return the path of the Word master template."""
        return data.template_path(self.root)

    def clause(self, clause_id: str) -> Clause | None:
        """Return a clause by id, or None."""
        return self.clauses.get(clause_id)

    def model(self, model_id: str) -> PartnershipModel | None:
        """Return a partnership model by id, or None."""
        return self.models.get(model_id)

    def require_clause(self, clause_id: str) -> Clause:
        """Return a clause by id; raise UnknownIdError, with a "did you mean", if none."""
        clause = self.clauses.get(clause_id)
        if clause is None:
            raise self._unknown("clause", clause_id, self.clauses)
        return clause

    def require_model(self, model_id: str) -> PartnershipModel:
        """Return a model by id; raise UnknownIdError, with a "did you mean", if none."""
        model = self.models.get(model_id)
        if model is None:
            raise self._unknown("partnership model", model_id, self.models)
        return model

    def find_clauses(
        self, *, category: str | None = None, model_id: str | None = None
    ) -> list[Clause]:
        """Return the clauses, in contract order, of a category and usable with a model."""
        if model_id is not None:
            self.require_model(model_id)
        return [
            clause
            for clause in sorted(
                self.clauses.values(), key=lambda c: (c.is_schedule, c.order, c.id)
            )
            if (category is None or clause.category == category)
            and (model_id is None or clause.usable_with({model_id}))
        ]

    def _unknown(self, noun: str, wanted: str, known: dict) -> UnknownIdError:
        close = difflib.get_close_matches(wanted, list(known), n=1, cutoff=0.6)
        hint = f"Did you mean '{close[0]}'?" if close else ""
        if len(known) <= 12:  # a short list helps; the whole clause list would drown the hint
            hint = f"{hint} Known {noun}s: {', '.join(sorted(known))}.".strip()
        return UnknownIdError(
            str(self.root), Problem(wanted, f"no {noun} '{wanted}' in the library.", hint=hint)
        )

    def terms(self) -> set[str]:
        """Return every term any clause of the library defines."""
        return {term for clause in self.clauses.values() for term in clause.defines}

    def relative(self, path: Path) -> str:
        """Return a library file's path as the library's own users name it."""
        return _relative(self.root, path)

    def lock_matches(self, clause: Clause) -> bool:
        """Whether an approved clause's text is the one locked for its version."""
        entry = self.lock.get(clause.id)
        return bool(
            entry and entry["version"] == clause.version and entry["sha256"] == clause.text_hash()
        )


def _relative(root: Path, path: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def _read_checked(path: Path, schema: dict, embedded: str) -> tuple[dict, list[Problem]]:
    """Read a library file; check it, the Cerberus schema it embeds, and its id."""
    document, problems = schemas.validate(data.read_yaml(path), schema)
    if not problems:
        problems += schemas.check_schema(document[embedded], embedded)
        if document["id"] != path.stem:
            problems.append(
                Problem("id", f"'{document['id']}' differs from the file name '{path.stem}'")
            )
    return document, problems


def _load_clause(root: Path, path: Path) -> Clause:
    document, problems = _read_checked(path, schemas.CLAUSE_SCHEMA, "variables")
    if not problems:
        if document["category"] != path.parent.name:
            problems.append(
                Problem(
                    "category",
                    f"'{document['category']}' differs from the folder '{path.parent.name}'",
                )
            )
    if problems:
        raise LibraryError(_relative(root, path), problems)
    positions = _positions(document, problems)
    if problems:
        raise LibraryError(_relative(root, path), problems)
    models = document["models"]
    return Clause(
        id=document["id"],
        kind=document["kind"],
        title=document["title"].strip(),
        version=document["version"],
        status=document["status"],
        category=document["category"],
        order=document["order"],
        principles=tuple(document["principles"]),
        basis=document["basis"].strip(),
        models=models if models == "all" else tuple(models),
        ico=tuple(document.get("ico", ())),
        variables=document["variables"],
        defines={term: text.strip() for term, text in document["defines"].items()},
        requires=tuple(document["requires"]),
        text=document["text"],
        positions=positions,
        path=path,
    )


def _positions(document: dict, problems: list[Problem]) -> tuple[Position, ...]:
    """Return a clause's positions, each with its overrides applied to the clause text."""
    positions = []
    for index, entry in enumerate(document["positions"]):
        text = entry.get("text")
        replaces = entry.get("replaces") or {}
        if replaces:
            text, found = apply_overrides(document["text"], replaces, f"positions[{index}]")
            problems += found
        positions.append(
            Position(
                entry["id"],
                entry["title"].strip(),
                entry.get("note", "").strip(),
                text,
                tuple(replaces),
            )
        )
    return tuple(positions)


def _load_model(root: Path, path: Path) -> PartnershipModel:
    document, problems = _read_checked(path, schemas.MODEL_SCHEMA, "terms_schema")
    if not problems:
        _, example_problems = schemas.validate(
            document["terms_example"], document["terms_schema"], prefix="terms_example"
        )
        problems += example_problems
        problems += rule_problems(document["rules"], document["terms_schema"])
    if problems:
        raise LibraryError(_relative(root, path), problems)
    return PartnershipModel(
        id=document["id"],
        name=document["name"].strip(),
        summary=document["summary"].strip(),
        when_to_use=document["when_to_use"].strip(),
        cautions=tuple(c.strip() for c in document["cautions"]),
        combines_with=tuple(document["combines_with"]),
        clauses=tuple(document["clauses"]),
        terms_schema=schemas.with_date_coercion(document["terms_schema"]),
        terms_example=document["terms_example"],
        terms_help=document["terms_help"],
        schedule=document["schedule"],
        path=path,
        rules=tuple(document["rules"]),
        limits={k: (v["min"], v["max"]) for k, v in document["limits"].items()},
    )


def _content_hash(root: Path, paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(_relative(root, path).encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def load_library(path: str | Path | None = None, *, collect: list | None = None) -> Library:
    """Load and schema-check a whole library; ``path`` None means the shipped one.

    With ``collect`` given, errors in single files are appended to it and loading
    goes on, so that lint can report them all; otherwise the first one is raised.
    """
    root = data.resolve_library_dir(path)
    # A library checked before, with the same files and the same toolkit, is taken from
    # the private cache (toolkit.cache) instead of being checked again.
    content_hash = _hash_if_readable(root)
    cache_key = cache.make_key(str(root), "" if root.is_absolute() else os.getcwd(), content_hash)
    cache_name = "library-" + hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]
    cached = cache.load(cache_name, cache_key)
    if isinstance(cached, Library) and content_hash and cached.content_hash == content_hash:
        return cached
    meta_path = data.library_file(root)
    meta, problems = schemas.validate(data.read_yaml(meta_path), schemas.LIBRARY_SCHEMA)
    if problems:
        raise LibraryError(_relative(root, meta_path), problems)
    library = Library(root=root, name=meta["name"], version=meta["version"], lock=meta["lock"])

    def _gather(loader, paths, target, noun):
        for file in paths:
            try:
                item = loader(root, file)
            except LibraryError as exc:
                if collect is None:
                    raise
                collect.append(exc)
                continue
            if item.id in target:
                error = LibraryError(
                    _relative(root, file),
                    [
                        Problem(
                            "id",
                            f"duplicate {noun} id '{item.id}' "
                            f"(also in {_relative(root, target[item.id].path)})",
                        )
                    ],
                )
                if collect is None:
                    raise error
                collect.append(error)
                continue
            target[item.id] = item

    clause_paths = data.clause_files(root)
    model_paths = data.model_files(root)
    _gather(_load_clause, clause_paths, library.clauses, "clause")
    _gather(_load_model, model_paths, library.models, "model")
    library.content_hash = _hash_if_readable(root)
    # Only a wholly valid library, unchanged while it was read, is worth keeping.
    if content_hash and library.content_hash == content_hash and not collect:
        cache.store(cache_name, cache_key, library)
    return library


def _hash_if_readable(root: Path) -> str:
    """Return the hash of the library's files, or "" if one cannot be read (never cached)."""
    try:
        return _content_hash(root, _library_paths(root))
    except OSError:
        return ""


def _library_paths(root: Path) -> list[Path]:
    """Return every file a loaded library depends on, in a stable order."""
    template = data.template_path(root)
    return [data.library_file(root), *data.clause_files(root), *data.model_files(root)] + (
        [template] if template.exists() else []
    )
