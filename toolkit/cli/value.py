"""Commands for trusts: models recommend, models compare, board-paper."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from toolkit.cli.browse import models
from toolkit.cli.group import (
    cli,
    emit_json,
    json_option,
    library_option,
    load_library_at,
)


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

    library = load_library_at(library_dir)
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
        emit_json(result.as_dict())
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

    result = compare_files(spec, scenarios, load_library_at(library_dir))
    written = []
    if chart is not None:
        from toolkit.value.chart import write_chart

        written = write_chart(result, chart, force=force, inputs=(spec, scenarios))
    if as_json:
        emit_json({"ok": True, **result.as_dict(), "chart": [str(p) for p in written]})
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
        spec, output, scenarios=scenarios, library=load_library_at(library_dir), force=force
    )
    if as_json:
        emit_json({"ok": True, "docx": str(path)})
        return
    click.echo(f"Board paper written to {path}.")
