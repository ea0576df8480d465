"""Commands on deal specs and contracts: init, upgrade, validate, assemble, check, compare."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from toolkit.cli.group import (
    cli,
    current_register_path,
    emit_json,
    json_option,
    library_option,
    load_library_at,
    write_text,
)

output_option = click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write (default: print).",
)


@cli.command()
@click.option("--model", "model_id", help="Partnership model id (see `models list`).")
@click.option("--scenarios", "scenarios", is_flag=True, help="Write a scenarios skeleton instead.")
@output_option
@click.option("--force", is_flag=True, help="Replace an existing file.")
@library_option
def init(
    model_id: str | None,
    scenarios: bool,
    output: Path | None,
    force: bool,
    library_dir: Path | None,
) -> None:
    """Write a commented deal-spec skeleton for a model (or, with --scenarios, a scenarios one)."""
    if scenarios:
        from toolkit.value.scenarios import scenarios_skeleton

        write_text(scenarios_skeleton(), output, force, "a scenarios file to fill in")
        return
    if model_id is None:
        raise click.UsageError("give --model ID (see `models list`) or --scenarios")
    from toolkit.spec.skeleton import skeleton

    model = load_library_at(library_dir).require_model(model_id)
    text = skeleton(model, output.name if output else "deal.yaml")
    write_text(text, output, force, f"a deal spec for the {model.name} model, to fill in")


@cli.command()
@click.argument("spec", type=click.Path(path_type=Path))
@output_option
@click.option("--force", is_flag=True, help="Replace an existing file.")
def upgrade(spec: Path, output: Path | None, force: bool) -> None:
    """Rewrite a version-1 deal spec as version 2, marking with TODO what to add or confirm."""
    from toolkit.spec import load_spec
    from toolkit.spec.upgrade import upgrade_spec

    text = upgrade_spec(load_spec(spec), source=str(spec))
    write_text(text, output, force, "a version-2 deal spec; complete every TODO, then validate")


@cli.command()
@click.argument("spec", type=click.Path(path_type=Path))
@click.option("--draft", is_flag=True, help="Allow the open items a draft may have.")
@library_option
@json_option
def validate(spec: Path, draft: bool, library_dir: Path | None, as_json: bool) -> None:
    """Check a deal spec against the schema, the library and the principles; write nothing."""
    from toolkit.api import prepare_contract

    contract = prepare_contract(spec, load_library_at(library_dir), draft=draft)
    summary = {
        "ok": True,
        "spec": str(spec),
        "partnership_models": contract.spec.model_ids,
        "clauses": len(contract.clauses),
        "schedules": len(contract.schedules),
        "open_items": [item.description for item in contract.open_items],
    }
    if as_json:
        emit_json(summary)
        return
    models = " + ".join(contract.spec.model_ids)
    click.echo(
        f"{spec}: valid ({models}; {len(contract.clauses)} clauses, "
        f"{len(contract.schedules)} schedules)."
    )
    for item in contract.open_items:
        click.echo(f"  open item: {item.description}")


@cli.command()
@click.argument("specs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    required=True,
    help="The .docx to write; for several specs (or a folder of them), the folder to write into.",
)
@click.option("--draft", is_flag=True, help="Allow open items and mark the contract DRAFT.")
@click.option("--pdf", is_flag=True, help="Also write a PDF beside the .docx (needs LibreOffice).")
@click.option("--force", is_flag=True, help="Replace existing output files.")
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Worker processes for a batch.",
)
@library_option
@json_option
def assemble(
    specs: tuple[Path, ...],
    output: Path,
    draft: bool,
    pdf: bool,
    force: bool,
    jobs: int,
    library_dir: Path | None,
    as_json: bool,
) -> None:
    """Validate deal specs, then write their contracts (.docx, and with --pdf PDFs).

    One spec gives `-o FILE.docx`; several specs, or a folder of them, give one
    contract per spec in the folder `-o DIR/`, named after each spec. A refused spec
    does not stop a batch; its reasons are listed at the end (exit code 1).
    """
    is_batch = (
        len(specs) > 1
        or specs[0].is_dir()
        # A folder named like a contract is a mistake, not a request for a batch.
        or (output.is_dir() and output.suffix.lower() != ".docx")
        or str(output).endswith(("/", os.sep))
    )
    if is_batch:
        _assemble_batch(specs, output, draft, pdf, force, jobs, library_dir, as_json)
        return
    from toolkit.api import assemble as assemble_contract

    result = assemble_contract(
        specs[0],
        output,
        library=load_library_at(library_dir),
        draft=draft,
        force=force,
        pdf=pdf,
        register=current_register_path(),
    )
    if as_json:
        emit_json({"ok": True, **result.as_dict()})
        return
    contract = result.contract
    kind = "Draft contract" if draft else "Contract"
    click.echo(
        f"{kind} written to {result.docx} ({len(contract.clauses)} clauses, "
        f"{len(contract.schedules)} schedules); mandatory clauses verified in the file."
    )
    if result.pdf:
        click.echo(f"PDF written to {result.pdf}.")
    for item in contract.open_items:
        click.echo(f"  open item: {item.description}")


def _assemble_batch(specs, folder, draft, pdf, force, jobs, library_dir, as_json) -> None:
    import gc

    from toolkit.cli import ORIGINAL_GC_THRESHOLD

    previous = gc.get_threshold()
    gc.set_threshold(*ORIGINAL_GC_THRESHOLD)  # a batch runs long: collect as Python would
    try:
        _run_batch(specs, folder, draft, pdf, force, jobs, library_dir, as_json)
    finally:
        gc.set_threshold(*previous)


def _run_batch(specs, folder, draft, pdf, force, jobs, library_dir, as_json) -> None:
    from toolkit.batch import Progress, assemble_batch, expand_specs, plan_batch

    items = plan_batch(expand_specs(specs), folder, force=force, pdf=pdf)
    library = load_library_at(library_dir)
    progress = Progress(len(items), quiet=as_json)
    try:
        result = assemble_batch(
            items,
            library,
            draft=draft,
            force=force,
            pdf=pdf,
            jobs=jobs,
            register_path=current_register_path(),
            progress=progress,
        )
    finally:
        progress.close()
    if as_json:
        emit_json(result.as_dict())
    else:
        kind = "draft contracts" if draft else "contracts"
        click.echo(f"{len(result.written)} of {len(items)} {kind} written to {folder}.")
        if result.pdfs:
            click.echo(f"{len(result.pdfs)} PDFs written.")
        for outcome in result.refused:
            click.echo(f"Refused {outcome.error}:", err=True)
            for problem in outcome.problems:
                click.echo(f"  - {_describe(problem)}", err=True)
        if result.pdf_error:
            click.echo(f"PDF: {result.pdf_error}", err=True)
    if not result.ok:
        sys.exit(1)


def _describe(problem: dict) -> str:
    from toolkit.exceptions import Problem

    return Problem(**problem).describe()


@cli.command()
@click.argument("contract", type=click.Path(path_type=Path))
@click.option(
    "--against",
    type=click.Path(path_type=Path),
    help="The .docx as issued, to compare with (instead of the register).",
)
@click.option(
    "--spec",
    "spec_path",
    type=click.Path(path_type=Path),
    help="The deal spec as issued, to compare with (instead of the register).",
)
@click.option(
    "--redline",
    type=click.Path(path_type=Path),
    help="Also write the deviations as Word tracked changes to this .docx.",
)
@click.option(
    "--accept-positions",
    is_flag=True,
    help="Accept every deviation that matches an approved position of its clause.",
)
@click.option(
    "--write-spec",
    "next_spec_path",
    type=click.Path(path_type=Path),
    help="With --accept-positions: write the next turn's deal spec (the issued one with "
    "the accepted positions recorded) to this YAML file.",
)
@click.option("--force", is_flag=True, help="Replace an existing redline or next-turn spec.")
@library_option
@json_option
def check(
    contract: Path,
    against: Path | None,
    spec_path: Path | None,
    redline: Path | None,
    accept_positions: bool,
    next_spec_path: Path | None,
    force: bool,
    library_dir: Path | None,
    as_json: bool,
) -> None:
    """Check a returned contract .docx against what was issued, as a reader sees it.

    Exit code 0 only when the contract is what was issued (cosmetic differences and,
    with --accept-positions, approved positions aside); 1 when it differs, or when
    nothing issued could be found to compare it with.
    """
    from toolkit.check import check_contract

    if next_spec_path is not None and not accept_positions:
        raise click.UsageError(
            "--write-spec records the positions accepted with --accept-positions; "
            "add --accept-positions"
        )
    inputs = [p for p in (contract, against, spec_path) if p is not None]
    if next_spec_path is not None:
        from toolkit.output import check_target

        check_target(next_spec_path, force=force, inputs=inputs)  # refuse before the work
    library = load_library_at(library_dir)
    report = check_contract(
        contract,
        library,
        against=against,
        spec=spec_path,
        register=current_register_path(),
        accept_positions=accept_positions,
    )
    next_turn = None
    if next_spec_path is not None:
        from toolkit.check.next_turn import write_next_spec

        if not report.verified and not as_json:
            for line in report.lines():
                click.echo(line)
        next_turn = write_next_spec(report, next_spec_path, force=force, inputs=inputs)
    written = None
    if redline is not None:
        from toolkit.docx.redline import issued_base, notes_from_findings, write_redline

        base = issued_base(
            contract, library, against=against, spec=spec_path, register=current_register_path()
        )
        written = write_redline(
            base,
            contract.read_bytes(),
            redline,
            notes=notes_from_findings(report.findings),
            force=force,
            inputs=inputs,
        )
    if as_json:
        emit_json(
            report.as_dict()
            | ({"redline": written.as_dict()} if written else {})
            | ({"next_spec": next_turn.as_dict()} if next_turn else {})
        )
    else:
        for line in report.lines():
            click.echo(line)
        if written is not None:
            click.echo(written.describe())
        for line in next_turn.lines() if next_turn else ():
            click.echo(line)
    if not report.ok:
        sys.exit(1)


@cli.command()
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
@click.option(
    "--redline",
    type=click.Path(path_type=Path),
    help="Also write the changes from OLD to NEW as Word tracked changes to this .docx.",
)
@click.option("--force", is_flag=True, help="Replace an existing redline file.")
@library_option
@json_option
def compare(
    old: Path,
    new: Path,
    redline: Path | None,
    force: bool,
    library_dir: Path | None,
    as_json: bool,
) -> None:
    """Show what changed between two turns of a contract, clause by clause, classified.

    Exit code 0 when nothing a reader sees has changed, 1 when something has.
    """
    from toolkit.check.compare import compare_contracts

    report = compare_contracts(old, new, load_library_at(library_dir))
    written = None
    if redline is not None:
        from toolkit.docx.redline import notes_from_findings, write_redline

        written = write_redline(
            old.read_bytes(),
            new.read_bytes(),
            redline,
            notes=notes_from_findings(report.findings),
            force=force,
            inputs=[old, new],
        )
    if as_json:
        emit_json(report.as_dict() | ({"redline": written.as_dict()} if written else {}))
    else:
        for line in report.lines():
            click.echo(line)
        if written is not None:
            click.echo(written.describe())
    if report.problems():
        sys.exit(1)
