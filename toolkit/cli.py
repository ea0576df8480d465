"""The `nhs-contracts` command line: each command calls one library function."""

from __future__ import annotations

import io
import json
import os
import sys
from pathlib import Path

import click

from toolkit import __version__
from toolkit.exceptions import ProblemsError, ToolkitError

_JSON = "toolkit.json"  # ctx.meta key: the running command reports as JSON
_DEBUG = "toolkit.debug"  # ctx.meta key: show tracebacks of unexpected errors
_REGISTER = "toolkit.register"  # ctx.meta key: the register path given with --register

library_option = click.option(
    "--library",
    "library_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Clause library folder (default: the library shipped with the toolkit).",
)


def _remember_json(ctx: click.Context, _param: click.Parameter, value: bool) -> bool:
    # Eager, so the funnel knows to answer in JSON even when a later option fails.
    if value:
        ctx.meta[_JSON] = True
    return value


json_option = click.option(
    "--json",
    "as_json",
    is_flag=True,
    is_eager=True,
    callback=_remember_json,
    help="Report as JSON.",
)


def _emit_json(value) -> None:
    click.echo(json.dumps(value, indent=2, ensure_ascii=False, default=str))


def _silence_stdout() -> None:
    """Point stdout at the null device so that the interpreter's last flush cannot fail."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        pass


class ToolkitGroup(click.Group):
    """A command group whose every command reports errors the same way.

    A toolkit error becomes a clear message on stderr (or, under --json, a JSON error
    object on stdout) with exit code 1; a closed output pipe ends quietly; any other
    exception is an internal error whose traceback --debug (or NHS_CONTRACTS_DEBUG=1)
    shows. Built once here so that no command can forget it.
    """

    group_class = type  # subgroups are ToolkitGroups too

    def invoke(self, ctx: click.Context):
        """Run the command, turning every error into the toolkit's report of it."""
        try:
            return super().invoke(ctx)
        except ToolkitError as exc:
            if ctx.meta.get(_JSON):
                _emit_json(
                    {
                        "ok": False,
                        "error": exc.summary() if isinstance(exc, ProblemsError) else str(exc),
                        "source": getattr(exc, "source", None),
                        "problems": [p.as_dict() for p in getattr(exc, "problems", [])],
                    }
                )
                ctx.exit(1)
            raise click.ClickException(str(exc)) from None
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit):
            raise
        except BrokenPipeError:
            _silence_stdout()
            sys.exit(141)  # as if killed by SIGPIPE, which is what a reader closing expects
        except Exception as exc:
            if ctx.meta.get(_DEBUG):
                raise
            message = (
                f"internal error ({type(exc).__name__}: {exc}); nothing was written; "
                "run with --debug (or NHS_CONTRACTS_DEBUG=1) to see the traceback, "
                "and report it with the input that caused it."
            )
            if ctx.meta.get(_JSON):
                _emit_json({"ok": False, "error": message, "source": None, "problems": []})
                ctx.exit(1)
            raise click.ClickException(message) from None

    def main(self, *args, **kwargs):
        """Run the command line; flush output here so that a closed pipe ends quietly."""
        try:
            try:
                return super().main(*args, **kwargs)
            finally:
                sys.stdout.flush()
        except BrokenPipeError:
            _silence_stdout()
            sys.exit(141)


def _load(library_dir: Path | None):
    from toolkit.library import load_library

    return load_library(library_dir)


def current_register_path() -> Path | None:
    """Return the register given with --register, or None for the default one."""
    ctx = click.get_current_context(silent=True)
    return ctx.meta.get(_REGISTER) if ctx is not None else None


def _set_debug(ctx: click.Context, _param: click.Parameter, value: bool) -> bool:
    if value:
        ctx.meta[_DEBUG] = True
    return value


def _set_no_cache(ctx: click.Context, param: click.Parameter, value: bool) -> bool:
    if value:
        from toolkit.library.cache import NO_CACHE_ENV, disable

        disable()
        os.environ[NO_CACHE_ENV] = "1"  # and in any worker process a batch starts
    return value


@click.group(cls=ToolkitGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="nhs-contracts")
@click.option(
    "--debug",
    is_flag=True,
    is_eager=True,
    envvar="NHS_CONTRACTS_DEBUG",
    callback=_set_debug,
    expose_value=False,
    help="Show the traceback of an unexpected error (also NHS_CONTRACTS_DEBUG=1).",
)
@click.option(
    "--register",
    "register_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Register of issued contracts (SQLite; default: in your data folder, "
    "or NHS_CONTRACTS_REGISTER).",
)
@click.option(
    "--no-cache",
    is_flag=True,
    is_eager=True,
    callback=_set_no_cache,
    expose_value=False,
    help="Check the library afresh instead of using the cache of checked libraries "
    "(also NHS_CONTRACTS_NO_CACHE=1).",
)
@click.pass_context
def cli(ctx: click.Context, register_path: Path | None) -> None:
    """Assemble NHS data-partnership contracts from the approved clause library.

    Every contract carries the clauses national policy demands: quantified
    patient benefit, non-exclusivity, transparency, fair value and legal
    compliance. Exit codes: 0 done; 1 refused or problems found; 2 usage error.
    """
    if register_path is not None:
        ctx.meta[_REGISTER] = register_path


@cli.command()
@click.option("--model", "model_id", help="Partnership model id (see `models list`).")
@click.option("--scenarios", "scenarios", is_flag=True, help="Write a scenarios skeleton instead.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write (default: print).",
)
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

        _write_text(scenarios_skeleton(), output, force, "a scenarios file to fill in")
        return
    if model_id is None:
        raise click.UsageError("give --model ID (see `models list`) or --scenarios")
    from toolkit.spec.skeleton import skeleton

    model = _load(library_dir).require_model(model_id)
    text = skeleton(model, output.name if output else "deal.yaml")
    if output is None:
        click.echo(text, nl=False)
        return
    from toolkit.api import write_skeleton

    write_skeleton(text, output, force=force)
    click.echo(f"Wrote {output}: a deal spec for the {model.name} model, to fill in.")


@cli.command()
@click.argument("spec", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write (default: print).",
)
@click.option("--force", is_flag=True, help="Replace an existing file.")
def upgrade(spec: Path, output: Path | None, force: bool) -> None:
    """Rewrite a version-1 deal spec as version 2, marking with TODO what to add or confirm."""
    from toolkit.spec import load_spec
    from toolkit.spec.upgrade import upgrade_spec

    text = upgrade_spec(load_spec(spec), source=str(spec))
    _write_text(text, output, force, "a version-2 deal spec; complete every TODO, then validate")


@cli.command()
@click.argument("spec", type=click.Path(path_type=Path))
@click.option("--draft", is_flag=True, help="Allow the open items a draft may have.")
@library_option
@json_option
def validate(spec: Path, draft: bool, library_dir: Path | None, as_json: bool) -> None:
    """Check a deal spec against the schema, the library and the principles; write nothing."""
    from toolkit.api import prepare_contract

    contract = prepare_contract(spec, _load(library_dir), draft=draft)
    summary = {
        "ok": True,
        "spec": str(spec),
        "partnership_models": contract.spec.model_ids,
        "clauses": len(contract.clauses),
        "schedules": len(contract.schedules),
        "open_items": [item.description for item in contract.open_items],
    }
    if as_json:
        _emit_json(summary)
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
        library=_load(library_dir),
        draft=draft,
        force=force,
        pdf=pdf,
        register=current_register_path(),
    )
    if as_json:
        _emit_json({"ok": True, **result.as_dict()})
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
    from toolkit.batch import Progress, assemble_batch, expand_specs, plan_batch

    items = plan_batch(expand_specs(specs), folder, force=force, pdf=pdf)
    library = _load(library_dir)
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
        _emit_json(result.as_dict())
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
    library = _load(library_dir)
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
        _emit_json(
            report.as_dict()
            | ({"redline": written.as_dict()} if written else {})
            | ({"next_spec": next_turn.as_dict()} if next_turn else {})
        )
    else:
        for line in report.lines():
            click.echo(line)
        if written is not None:
            click.echo(
                f"Redline written to {written.path} ({written.insertions} insertions, "
                f"{written.deletions} deletions, {written.formatting} formatting changes, "
                f"{written.comments} comments)."
            )
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

    report = compare_contracts(old, new, _load(library_dir))
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
        _emit_json(report.as_dict() | ({"redline": written.as_dict()} if written else {}))
    else:
        for line in report.lines():
            click.echo(line)
        if written is not None:
            click.echo(
                f"Redline written to {written.path} ({written.insertions} insertions, "
                f"{written.deletions} deletions, {written.formatting} formatting changes, "
                f"{written.comments} comments)."
            )
    if report.problems():
        sys.exit(1)


@cli.group()
def models() -> None:
    """Browse the partnership models."""


@models.command("list")
@library_option
@json_option
def models_list(library_dir: Path | None, as_json: bool) -> None:
    """List the partnership models and what each is for."""
    library = _load(library_dir)
    items = sorted(library.models.values(), key=lambda m: m.id)
    if as_json:
        _emit_json([m.as_dict() for m in items])
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
    model = _load(library_dir).require_model(model_id)
    if as_json:
        _emit_json(model.as_dict(full=True))
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


def _write_text(text: str, output: Path | None, force: bool, what: str) -> None:
    if output is None:
        click.echo(text, nl=False)
        return
    from toolkit.api import write_skeleton

    write_skeleton(text, output, force=force)
    click.echo(f"Wrote {output}: {what}.")


def _ask(name: str, value, prompt: str, **kwargs):
    """Return an answer given as a flag, else ask for it on a terminal, else None."""
    if value is not None or not sys.stdin.isatty():
        return value
    return click.prompt(prompt, **kwargs)


@models.command("recommend")
@click.option("--spec", type=click.Path(path_type=Path), help="Read the answers from a deal spec.")
@click.option("--partner-kind", type=click.Choice(["company", "university", "charity", "other"]))
@click.option("--maturity", type=click.Choice(["startup", "scaleup", "established", "listed"]))
@click.option("--can-pay-cash/--cannot-pay-cash", "can_pay_cash_now", default=None)
@click.option("--product-in-nhs-care/--no-product-in-nhs-care", "product_in_nhs_care", default=None)
@click.option("--commercial/--non-commercial", default=None, help="Commercial use of the outputs.")
@click.option(
    "--identifiability", type=click.Choice(["anonymised", "pseudonymised", "identifiable"])
)
@click.option("--access", type=click.Choice(["sde", "aggregate", "extract"]))
@click.option("--expected-revenue", "expected_revenue_gbp", type=float, help="£ a year.")
@click.option("--risk-appetite", type=click.Choice(["low", "medium", "high"]))
@click.option("--can-hold-shares/--cannot-hold-shares", default=None)
@click.option("--cashable-savings/--no-cashable-savings", default=None)
@click.option("--recurring-access/--one-off-access", default=None)
@library_option
@json_option
def models_recommend(spec: Path | None, library_dir: Path | None, as_json: bool, **answers) -> None:
    """Rank the models and hybrids that fit a deal, with reasons; say which do not fit and why.

    Answers come from flags, from --spec, or (on a terminal) one question at a time.
    """
    from toolkit.value.recommend import profile_from_spec, recommend

    library = _load(library_dir)
    if spec is None:
        kinds = click.Choice(["company", "university", "charity", "other"])
        stages = click.Choice(["startup", "scaleup", "established", "listed"])
        levels = click.Choice(["anonymised", "pseudonymised", "identifiable"])
        routes = click.Choice(["sde", "aggregate", "extract"])
        appetites = click.Choice(["low", "medium", "high"])
        questions = [
            ("partner_kind", "Partner kind", {"type": kinds}),
            ("maturity", "Partner maturity", {"type": stages}),
            ("can_pay_cash_now", "Can the partner pay cash now?", {"type": bool}),
            ("product_in_nhs_care", "Will a product be deployed in NHS care?", {"type": bool}),
            ("identifiability", "Data identifiability", {"type": levels}),
            ("access", "Access route", {"type": routes}),
            (
                "expected_revenue_gbp",
                "Expected product revenue a year (£, 0 if none)",
                {"type": float},
            ),
            ("risk_appetite", "The trust's appetite for risk", {"type": appetites}),
            ("can_hold_shares", "Has the trust power and approval to hold shares?", {"type": bool}),
        ]
        for name, prompt, kwargs in questions:
            answers[name] = _ask(name, answers[name], prompt, **kwargs)
    from toolkit.value.deal import load_deal

    source = load_deal(spec, library)[0] if spec is not None else {}
    result = recommend(profile_from_spec(source, **answers), library)
    if as_json:
        _emit_json(result.as_dict())
        return
    for line in result.lines():
        click.echo(line)


@models.command("compare")
@click.argument("spec", type=click.Path(path_type=Path))
@click.option(
    "--scenarios",
    "scenarios",
    type=click.Path(path_type=Path),
    required=True,
    help="Scenarios file (YAML; `init --scenarios` writes a skeleton).",
)
@click.option(
    "--chart",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the chart here (.png) and beside it as .svg.",
)
@click.option("--force", is_flag=True, help="Replace existing chart files.")
@library_option
@json_option
def models_compare(
    spec: Path,
    scenarios: Path,
    chart: Path | None,
    force: bool,
    library_dir: Path | None,
    as_json: bool,
) -> None:
    """Value the deal's model and its alternatives for the NHS, year by year (Green Book)."""
    from toolkit.value.simulate import compare_files

    result = compare_files(spec, scenarios, _load(library_dir))
    written = []
    if chart is not None:
        from toolkit.value.chart import write_chart

        written = write_chart(result, chart, force=force, inputs=(spec, scenarios))
    if as_json:
        _emit_json({"ok": True, **result.as_dict(), "chart": [str(p) for p in written]})
        return
    for line in result.table_lines():
        click.echo(line)
    for path in written:
        click.echo(f"Chart written to {path}.")


@cli.command("board-paper")
@click.argument("spec", type=click.Path(path_type=Path))
@click.option("--scenarios", type=click.Path(path_type=Path), help="Scenarios file (YAML).")
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), required=True, help="The .docx to write."
)
@click.option("--force", is_flag=True, help="Replace an existing file.")
@library_option
@json_option
def board_paper(
    spec: Path,
    scenarios: Path | None,
    output: Path,
    force: bool,
    library_dir: Path | None,
    as_json: bool,
) -> None:
    """Write a Word board paper: decision, deal, model, value, risks, compliance, open items."""
    from toolkit.value.board_paper import write_board_paper

    path = write_board_paper(
        spec, output, scenarios=scenarios, library=_load(library_dir), force=force
    )
    if as_json:
        _emit_json({"ok": True, "docx": str(path)})
        return
    click.echo(f"Board paper written to {path}.")


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
    items = _load(library_dir).find_clauses(category=category, model_id=model_id)
    if as_json:
        _emit_json([c.as_dict() for c in items])
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
    clause = _load(library_dir).require_clause(clause_id)
    if as_json:
        _emit_json(clause.as_dict(full=True))
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
        _emit_json(report.as_dict())
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


def main() -> None:
    """Entry point of the console script."""
    cli(prog_name="nhs-contracts")
