"""The board paper: a Word paper putting a deal, its value and its compliance to the board."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

from toolkit.principles import PRINCIPLES
from toolkit.value.paper_layout import add_labelled, add_table, document_bytes, new_document
from toolkit.value.simulate import MODEL_NAMES, Comparison, OptionValue, money

HOW_SECURED = {
    1: "The aim and every benefit, with its measure, target and date, are terms of the contract.",
    2: "Value is shared on the model below; the board's approval is recorded in the contract.",
    3: "Access is non-exclusive; nothing limits national use of benefits or open standards.",
    4: "The agreement and a plain-English summary are published; FOI requests are answered.",
    5: "UK GDPR, DPA 2018, the common law duty of confidentiality and the NDG standards apply.",
}
# Keyed by toolkit.value.simulate.Risk.kind.
MITIGATIONS = {
    "counterparty": "Payment terms with suspension of access for non-payment; open-book audit; "
    "royalty survives a sale or change of control.",
    "concentration": "Earlier, more certain value (minimum royalty, milestones or a fee) "
    "alongside the share in the product's success.",
    "illiquid_shares": "Independent valuation, anti-dilution, tag-along, short lock-up and a "
    "minimum-value top-up; hold the shares at arm's length.",
    "below_costs": "Review the charges and the value share at each price review; record why "
    "the terms are fair.",
    "costs_only": "Add a model that captures the value of the data, or record why cost "
    "recovery alone is fair.",
    "small_share": "Record the valuation basis and why the share is fair for the NHS as a whole.",
}
_ACCESS = {
    "sde": "only inside the NHS's secure data environment",
    "aggregate": "as aggregate statistics only",
    "extract": "as an extract held by the partner",
}
_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth")


def build_paper(contract: Any, comparison: Comparison, recommendation: Any, png: bytes) -> bytes:
    """Return the board paper as .docx bytes; the same inputs give the same bytes."""
    deal = comparison.deal
    models = [_model_name(m) for m, _ in deal.models]
    doc = new_document(
        title=f"Board paper: {deal.title}",
        author=deal.nhs_names[0] if deal.nhs_names else "",
        subject=f"Board paper for agreement {deal.reference}",
        keywords=", ".join(m for m, _ in deal.models),
    )
    doc.add_heading(f"Board paper: {deal.title}", 0)
    _summary(doc, comparison, models)
    _decision(doc, comparison, models)
    _the_deal(doc, contract.spec.data)
    _the_model(doc, contract, deal, recommendation)
    _value(doc, comparison, png)
    _risks(doc, contract, comparison)
    _compliance(doc, contract)
    _open_items(doc, contract)
    return document_bytes(doc)


def _summary(doc: Any, comparison: Comparison, models: list[str]) -> None:
    deal, value = comparison.deal, comparison.deal_option()
    source = comparison.scenario.source
    basis = "default assumptions" if source == "(defaults)" else f"scenarios file {source}"
    rows = [
        ("Purpose", "For decision"),
        ("Agreement", f"{deal.reference}: {deal.title}"),
        ("Parties", f"{_names(deal.nhs_names)} and {deal.partner_name}"),
        ("Term", f"{deal.term_months} months from {_date(deal.effective_date)}"),
        ("Partnership model", _and(models).capitalize()),
        (
            "Value to the NHS",
            f"{money(value.expected_pv)} expected, in present value "
            f"(P10 to P90: {money(value.p10)} to {money(value.p90)})",
        ),
        ("NHS cost of providing the data", f"{money(value.costs_pv)} in present value"),
        ("Prepared from", f"The deal spec and the {basis}, by the contract toolkit"),
    ]
    add_table(doc, rows, (4.5, 12.1), header=False)


def _decision(doc: Any, comparison: Comparison, models: list[str]) -> None:
    deal, value = comparison.deal, comparison.deal_option()
    plural = "s" if len(models) > 1 else ""
    doc.add_heading("1. Decision sought", 1)
    doc.add_paragraph(
        f"The Board is asked to approve the {deal.title} with {deal.partner_name} for "
        f"{deal.term_months} months from {_date(deal.effective_date)}, sharing value on the "
        f"{_and(models)} model{plural}, and to record that it is satisfied the terms are fair "
        "for the organisation and for the NHS as a whole (principle 2: the board is "
        f"ultimately responsible). The expected value to the NHS is {money(value.expected_pv)} "
        f"in present value, against {money(value.costs_pv)} of the NHS's own costs of "
        f"providing the data. {_spread(value)}"
    )


def _the_deal(doc: Any, spec: dict) -> None:
    doc.add_heading("2. The deal in plain English", 1)
    purpose, data = spec.get("purpose", {}), spec.get("data", {})
    add_labelled(doc, "Aim. ", f"{_sentence(purpose.get('aim', ''))}")
    if purpose.get("description"):
        doc.add_paragraph(" ".join(str(purpose["description"]).split()))
    access = _ACCESS.get(data.get("access"), data.get("access", ""))
    add_labelled(
        doc,
        "Data. ",
        f"{_sentence(data.get('description', ''))} It is {data.get('identifiability', '')} "
        f"and is reached {access}.",
    )
    benefits = spec.get("benefits", [])
    if benefits:
        doc.add_paragraph("The benefits the contract commits to:")
        rows = [("Benefit", "Measure", "Target", "By")]
        rows += [
            (b["description"], b["measure"], b["target"], _date(b.get("by"))) for b in benefits
        ]
        add_table(doc, rows, (5.2, 5.2, 3.6, 2.6))


def _the_model(doc: Any, contract: Any, deal: Any, recommendation: Any) -> None:
    doc.add_heading("3. The partnership model and why", 1)
    for model_id, _ in deal.models:
        model = contract.library.model(model_id)
        if model is not None:
            add_labelled(doc, f"{model.name}. ", " ".join(model.summary.split()))
    mine = {m for m, _ in deal.models}
    ranked = recommendation.ranked
    place = next((i for i, c in enumerate(ranked) if set(c.models) == mine), None)
    if place is None:
        doc.add_paragraph(
            f"Against the deal's profile this structure is not among the {len(ranked)} best "
            "fitting options; the board should ask why it was chosen over them."
        )
    else:
        ordinal = _ORDINALS[place] if place < len(_ORDINALS) else f"number {place + 1}"
        doc.add_paragraph(
            f"Against the deal's profile this structure ranks {ordinal} of the "
            f"{len(ranked)} fitting options, because:"
        )
        for reason in _unique(ranked[place].reasons):
            doc.add_paragraph(_reason_text(reason), style="List Bullet")
    others = [_structure(c.models) for c in ranked if set(c.models) != mine][:4]
    if others:
        doc.add_paragraph("Other fitting structures considered: " + "; ".join(others) + ".")
    refused = [c for c in recommendation.refused if len(c.models) == 1]
    if refused:
        doc.add_paragraph("Not suitable for this deal:")
        for c in refused:
            label = f"{_model_name(c.models[0]).capitalize()}: "
            add_labelled(doc, label, _sentence(c.refusals[0]["reason"]), style="List Bullet")


def _value(doc: Any, comparison: Comparison, png: bytes) -> None:
    from docx.shared import Cm

    data = comparison.scenario.data
    doc.add_heading("4. Value analysis", 1)
    doc.add_paragraph(
        "Each option is valued at today's prices, in present value. 'If all goes to plan' "
        "takes the partner's forecast in full. 'Expected' is the average over "
        f"{data['simulations']:,} simulations in which the product may fail to launch, the "
        "partner may fail and revenue varies; one simulation in ten falls below P10, half "
        "below P50 and nine in ten below P90. 'NHS share' is the expected value to the NHS "
        "as a share of the value the deal creates (the product's operating profit and any "
        "savings)."
    )
    rows = [("Option", "If all goes to plan", "Expected", "P10", "P50", "P90", "NHS share")]
    stress = []
    for o in comparison.options:
        rows.append((_option_label(o), *_figures(o)))
        if o.this_deal and not o.component:
            stress.append(len(rows) - 1)
    add_table(doc, rows, (5.0, 2.2, 2.0, 1.8, 1.8, 1.8, 1.8), numeric=range(1, 7), bold_rows=stress)
    doc.add_picture(io.BytesIO(png), width=Cm(16.5))
    caption = doc.add_paragraph(
        "Figure 1. Expected value to the NHS of each option, cumulative, year by year; "
        "the dotted line is the NHS's own cost of providing the data."
    )
    caption.runs[0].bold = True
    doc.add_paragraph(comparison.basis).runs[0].italic = True
    for note in comparison.notes:
        doc.add_paragraph(note, style="List Bullet")


def _risks(doc: Any, contract: Any, comparison: Comparison) -> None:
    doc.add_heading("5. Risks and mitigations", 1)
    risks = comparison.deal_option().risks
    if risks:
        rows = [("Risk", "Mitigation")]
        rows += [(risk.text, MITIGATIONS.get(risk.kind, "")) for risk in risks]
        add_table(doc, rows, (9.0, 7.6))
    else:
        doc.add_paragraph("The value analysis raises no specific risk for this structure.")
    cautions = []
    for model_id, _ in comparison.deal.models:
        model = contract.library.model(model_id)
        cautions += list(model.cautions) if model else []
    if cautions:
        doc.add_paragraph(
            "The library's guidance on the partnership model warns of the following (set out "
            "in full by nhs-contracts models show); the board should confirm that the "
            "negotiators have addressed each one:"
        )
        for caution in dict.fromkeys(_first_sentence(c) for c in cautions):
            doc.add_paragraph(caution, style="List Bullet")


def _compliance(doc: Any, contract: Any) -> None:
    doc.add_heading("6. Compliance, principle by principle", 1)
    rows = [("Principle", "How the contract secures it", "Clauses")]
    for number, name in PRINCIPLES.items():
        parts = [p for p in contract.parts if number in p.clause.principles]
        refs = "; ".join(f"{p.display_number} {p.clause.title}" for p in parts)
        rows.append((f"{number}. {name.capitalize()}", HOW_SECURED[number], refs or "None"))
    add_table(doc, rows, (3.4, 5.2, 8.0))


def _open_items(doc: Any, contract: Any) -> None:
    spec = contract.spec.data
    doc.add_heading("7. Open items and non-standard terms", 1)
    items = [i.description for i in contract.open_items]
    if items:
        doc.add_paragraph("Open items to close before signature:")
        for item in dict.fromkeys(items):
            doc.add_paragraph(item, style="List Bullet")
    else:
        doc.add_paragraph("There are no open items.")
    terms = (spec.get("clauses") or {}).get("additional_terms") or []
    if terms:
        rows = [("Non-standard term", "Approval")]
        for term in terms:
            text = term if isinstance(term, str) else term.get("text", "")
            approval = "" if isinstance(term, str) else _approval(term.get("approval"))
            rows.append((text, approval or "Needs a named approval before signature"))
        add_table(doc, rows, (10.6, 6.0))
    else:
        doc.add_paragraph(
            "The contract contains only approved library clauses: no non-standard terms."
        )
    for party in spec.get("nhs_parties", []):
        approval = party.get("board_approval") or {}
        if approval.get("date"):
            doc.add_paragraph(
                f"Board approval recorded for {party['name']}: {_date(approval['date'])}, minute "
                f"{approval.get('minute_ref', '')}."
            )


def _spread(value: OptionValue) -> str:
    if value.p10 < 0.5:
        return (
            f"In at least one simulation in ten the NHS receives nothing; in one in ten it "
            f"receives more than {money(value.p90)}."
        )
    return (
        f"In nine simulations out of ten the NHS receives at least {money(value.p10)}; in one "
        f"in ten more than {money(value.p90)}."
    )


def _first_sentence(text: str) -> str:
    text = " ".join(text.split())
    end = text.find(". ")
    return text if end < 0 else text[: end + 1]


def _figures(option: OptionValue) -> tuple[str, ...]:
    share = "" if option.nhs_share is None else f"{option.nhs_share:.0%}"
    values = (option.plan_pv, option.expected_pv, option.p10, option.p50, option.p90)
    return (*(money(v) for v in values), share)


def _option_label(option: OptionValue) -> str:
    if option.component:
        return f"   of which {_model_name(option.models[0])}"
    return option.label[:1].upper() + option.label[1:]


def _model_name(model_id: str) -> str:
    return MODEL_NAMES.get(model_id, model_id.replace("_", " "))


def _structure(models: tuple[str, ...]) -> str:
    return " with ".join(_model_name(m) for m in models).capitalize()


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _names(names: tuple[str, ...]) -> str:
    return _and(list(names)) if names else "the NHS party"


def _date(value: Any) -> str:
    # Not %-d: that is glibc only.
    return f"{value.day} {value:%B %Y}" if isinstance(value, dt.date) else str(value or "")


def _sentence(text: Any) -> str:
    text = " ".join(str(text).split())
    return text if not text or text.endswith((".", "!", "?")) else text + "."


def _approval(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(str(v) for v in value.values() if v)
    return str(value or "")


def _unique(reasons: list[dict]) -> list[dict]:
    return list({r["reason"]: r for r in reasons}.values())


def _reason_text(reason: dict) -> str:
    suffix = f" (principle {reason['principle']})" if reason.get("principle") else ""
    return reason["reason"] + suffix


def write_board_paper(
    spec_path: str | Path,
    output: str | Path,
    *,
    scenarios: str | Path | None = None,
    library: Any = None,
    force: bool = False,
) -> Path:
    """Value a deal, assemble its contract in memory and write the board paper atomically.

    The paper never replaces its own inputs (the deal spec or scenarios file), even with
    ``force``.
    """
    from toolkit.output import check_target, write_atomically

    output = Path(output)
    inputs = [spec_path] + ([scenarios] if scenarios is not None else [])
    check_target(output, force=force, inputs=inputs)
    data = board_paper_bytes(spec_path, scenarios=scenarios, library=library)
    write_atomically(output, data, force=force)
    return output


def board_paper_bytes(
    spec_path: str | Path, *, scenarios: str | Path | None = None, library: Any = None
) -> bytes:
    """Value a deal, assemble its contract in memory and return the board paper's bytes."""
    from toolkit.contract.assemble import assemble_contract
    from toolkit.value.chart import render_chart
    from toolkit.value.deal import load_deal
    from toolkit.value.recommend import profile_from_spec, recommend
    from toolkit.value.simulate import compare_files

    spec, library = load_deal(spec_path, library)
    comparison = compare_files(spec_path, scenarios, library)
    contract = assemble_contract(spec, library)
    forecast = comparison.scenario.section("product").get("net_revenue_gbp") or [0]
    profile = profile_from_spec(spec, expected_revenue_gbp=max(forecast) or None)
    recommendation = recommend(profile, library, top=8)
    return build_paper(contract, comparison, recommendation, render_chart(comparison, "png"))
