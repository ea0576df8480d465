"""Commands that browse and maintain the library: models, clauses, library lint and lock."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from toolkit.cli.group import (
    cli,
    emit_json,
    json_option,
    library_option,
    load_library_at,
)


@cli.group()
def models() -> None:
    """Browse the partnership models."""


@models.command("list")
@library_option
@json_option
def models_list(library_dir: Path | None, as_json: bool) -> None:
    """List the partnership models and what each is for."""
    library = load_library_at(library_dir)
    items = sorted(library.models.values(), key=lambda m: m.id)
    if as_json:
        emit_json([m.as_dict() for m in items])
        return
    width = max((len(m.id) for m in items), default=0)
    for model in items:
        click.echo(f"{model.id.ljust(width)}  {model.name}: {_first_sentence(model.summary)}")


@models.command("show")
@click.argument("model_id")
@library_option
@json_option
def models_show(model_id: str, library_dir: Path | None, as_json: bool) -> None:
    """Show one partnership model: summary, when to use it, cautions, terms."""
    model = load_library_at(library_dir).require_model(model_id)
    if as_json:
        emit_json(model.as_dict(full=True))
        return
    click.echo(f"{model.name} ({model.id})\n")
    click.echo(click.wrap_text(model.summary) + "\n")
    click.echo(
        "When to use it:\n"
        + click.wrap_text(model.when_to_use, initial_indent="  ", subsequent_indent="  ")
        + "\n"
    )
    click.echo("Cautions:")
    for caution in model.cautions:
        click.echo(click.wrap_text(caution, initial_indent="  - ", subsequent_indent="    "))
    click.echo("\nTerms (model_terms):")
    for key, rule in model.terms_schema.items():
        required = "required" if rule.get("required") else "optional"
        help_text = model.terms_help.get(key, "")
        click.echo(
            f"  {key} ({rule.get('type', 'any')}, {required})"
            + (f": {help_text}" if help_text else "")
        )
    click.echo("\nClauses: " + ", ".join(model.clauses))
    click.echo("Combines with: " + (", ".join(model.combines_with) or "none"))


def _first_sentence(text: str) -> str:
    head = " ".join(text.split())
    end = head.find(". ")
    return head if end < 0 else head[: end + 1]


@cli.group()
def clauses() -> None:
    """Browse the clause library."""


@clauses.command("list")
@click.option("--category", help="Only clauses of this category.")
@click.option("--model", "model_id", help="Only clauses a contract on this model can hold.")
@library_option
@json_option
def clauses_list(
    category: str | None, model_id: str | None, library_dir: Path | None, as_json: bool
) -> None:
    """List the clauses of the library."""
    items = load_library_at(library_dir).find_clauses(category=category, model_id=model_id)
    if as_json:
        emit_json([c.as_dict() for c in items])
        return
    if not items:
        click.echo("No clauses match.")
        return
    width = max(len(c.id) for c in items)
    for clause in items:
        principles = ",".join(str(p) for p in clause.principles) or "-"
        flag = "" if clause.status == "approved" else f" [{clause.status}]"
        click.echo(
            f"{clause.id.ljust(width)}  {clause.version:<7} {clause.category:<12} "
            f"P{principles:<6} {clause.title}{flag}"
        )


@clauses.command("show")
@click.argument("clause_id")
@library_option
@json_option
def clauses_show(clause_id: str, library_dir: Path | None, as_json: bool) -> None:
    """Show one clause: its metadata, text and approved fallback positions."""
    clause = load_library_at(library_dir).require_clause(clause_id)
    if as_json:
        emit_json(clause.as_dict(full=True))
        return
    models_text = "all" if clause.in_every_contract else ", ".join(clause.models)
    click.echo(f"{clause.title} ({clause.id}, version {clause.version}, {clause.status})")
    click.echo(
        f"Category: {clause.category}; "
        f"principles: {', '.join(map(str, clause.principles)) or 'none'}"
    )
    click.echo(f"Basis: {clause.basis}")
    click.echo(f"Models: {models_text}")
    click.echo("\n" + clause.text.rstrip())
    for position in clause.positions:
        click.echo(f"\nPosition {position.id}: {position.title}")
        if position.note:
            click.echo(f"  {position.note}")
        click.echo(position.text.rstrip())


@cli.group()
def library() -> None:
    """Maintain the clause library (for the Centre)."""


@library.command("lint")
@library_option
@json_option
def library_lint(library_dir: Path | None, as_json: bool) -> None:
    """Validate the whole library: schemas, references, coverage, rendering, lock."""
    from toolkit.library.lint import lint_library

    report = lint_library(library_dir)
    if as_json:
        emit_json(report.as_dict())
    else:
        for line in report.lines():
            click.echo(line)
        verdict = "passed" if report.ok else f"failed with {len(report.problems)} problem(s)"
        click.echo(
            f"Library {report.root}: {report.clauses} clauses, {report.models} models; "
            f"lint {verdict}."
        )
    if not report.ok:
        sys.exit(1)


@library.command("lock")
@library_option
def library_lock(library_dir: Path | None) -> None:
    """Record the approved texts' hashes after a reviewed change and version bump."""
    from toolkit.library.lint import lock_library

    changed = lock_library(library_dir)
    for line in changed:
        click.echo(f"locked {line}")
    click.echo(
        f"Lock updated: {len(changed)} clause(s) changed."
        if changed
        else "Lock already up to date."
    )
