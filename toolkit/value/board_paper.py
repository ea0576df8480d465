"""The board paper: a Word paper putting a deal, its value and its compliance to the board."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

from toolkit.principles import PRINCIPLES
from toolkit.value.simulate import MODEL_NAMES, Comparison, money

HOW_SECURED = {
    1: "The aim and every benefit, with its measure, target and date, are terms of the contract.",
    2: "Value is shared on the model below; the board's approval is recorded in the contract.",
    3: "Access is non-exclusive; nothing limits national use of benefits or open standards.",
    4: "The agreement and a plain-English summary are published; FOI requests are answered.",
    5: "UK GDPR, DPA 2018, the common law duty of confidentiality and the NDG standards apply.",
}
MITIGATIONS = {
    "Counterparty": "Payment terms with suspension of access for non-payment; open-book audit; "
    "royalty survives a sale or change of control.",
    "Concentration": "Earlier, more certain value (minimum royalty, milestones or a fee) alongside "
    "the share in the product's success.",
    "Illiquid": "Independent valuation, anti-dilution, tag-along, short lock-up and a "
    "minimum-value top-up; hold the shares at arm's length.",
    "In ": "Review the charges and the value share at each price review; record why the terms "
    "are fair.",
    "Cost recovery": "Add a model that captures the value of the data, or record why cost "
    "recovery alone is fair.",
    "The NHS keeps": "Record the valuation basis and why the share is fair for the NHS as a whole.",
}


def build_paper(contract: Any, comparison: Comparison, recommendation: Any, png: bytes) -> bytes:
    """Return the board paper as .docx bytes."""
    from docx import Document
    from docx.shared import Cm, Pt

    spec = contract.spec.data
    deal = comparison.deal
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(2.2)
    style = doc.styles["Normal"]
    style.font.name, style.font.size = "Arial", Pt(10.5)
    props = doc.core_properties
    props.title, props.author = (
        f"Board paper: {deal.title}",
        deal.nhs_names[0] if deal.nhs_names else "",
    )
    stamp = dt.datetime.combine(deal.effective_date, dt.time())
    props.created = props.modified = stamp
    props.last_modified_by, props.revision = props.author, 1

    doc.add_heading(f"Board paper: {deal.title}", 0)
    source = comparison.scenario.source
    basis = "default assumptions" if source == "(defaults)" else f"the scenarios file {source}"
    doc.add_paragraph(
        f"Agreement {deal.reference} between {_names(deal.nhs_names)} and {deal.partner_name}. "
        f"Prepared with the NHS data-partnership contract toolkit from the deal spec and {basis}."
    )
    models = [MODEL_NAMES.get(m, m) for m, _ in deal.models]
    deal_value = comparison.deal_option()

    doc.add_heading("1. Decision sought", 1)
    doc.add_paragraph(
        f"The Board is asked to approve the {deal.title} with {deal.partner_name} for "
        f"{deal.term_months} months from {deal.effective_date:%-d %B %Y}, sharing value on the "
        f"{' and '.join(models)} model{'s' if len(models) > 1 else ''}, and to record that it is "
        f"satisfied the terms are fair for the organisation and for the NHS as a whole "
        f"(principle 2: the board is ultimately responsible). Expected value to the NHS: "
        f"{money(deal_value.expected_pv)} in present value (range {money(deal_value.p10)} to "
        f"{money(deal_value.p90)}), against {money(deal_value.costs_pv)} of the NHS's own costs."
    )

    doc.add_heading("2. The deal in plain English", 1)
    purpose, data = spec.get("purpose", {}), spec.get("data", {})
    doc.add_paragraph(f"Aim: {purpose.get('aim', '')}.")
    if purpose.get("description"):
        doc.add_paragraph(" ".join(str(purpose["description"]).split()))
    doc.add_paragraph(
        f"Data: {data.get('description', '')}. It is {data.get('identifiability', '')} and is "
        f"reached {_ACCESS.get(data.get('access'), data.get('access', ''))}."
    )
    doc.add_paragraph("The benefits the contract commits to:")
    rows = [("Benefit", "Measure", "Target", "By")]
    rows += [
        (b["description"], b["measure"], b["target"], _date(b.get("by")))
        for b in spec.get("benefits", [])
    ]
    _table(doc, rows)

    doc.add_heading("3. The partnership model and why", 1)
    for model_id, _ in deal.models:
        model = contract.library.model(model_id)
        if model is not None:
            doc.add_paragraph(f"{model.name}. {' '.join(model.summary.split())}")
    mine = set(m for m, _ in deal.models)
    ranked = [c for c in recommendation.ranked if set(c.models) == mine]
    if ranked:
        place = recommendation.ranked.index(ranked[0]) + 1
        doc.add_paragraph(
            f"Against the deal's profile this structure ranks {place} of the fitting options:"
        )
        for reason in _unique(ranked[0].reasons):
            doc.add_paragraph(_reason_text(reason), style="List Bullet")
    others = [
        " + ".join(MODEL_NAMES.get(m, m) for m in c.models) for c in recommendation.ranked[:4]
    ]
    doc.add_paragraph("Other fitting structures considered: " + "; ".join(others) + ".")
    refused = [c for c in recommendation.refused if len(c.models) == 1]
    if refused:
        doc.add_paragraph("Not suitable for this deal:")
        for c in refused:
            doc.add_paragraph(
                f"{MODEL_NAMES.get(c.models[0], c.models[0])}: {c.refusals[0]['reason']}",
                style="List Bullet",
            )

    doc.add_heading("4. Value analysis", 1)
    rows = [
        ("Option", "If all goes to plan", "Expected", "P10", "P50", "P90", "NHS share of value")
    ]
    for o in comparison.options:
        share = "" if o.nhs_share is None else f"{o.nhs_share:.0%}"
        rows.append(
            (
                o.label,
                money(o.plan_pv),
                money(o.expected_pv),
                money(o.p10),
                money(o.p50),
                money(o.p90),
                share,
            )
        )
    _table(doc, rows)
    doc.add_paragraph(
        f"The NHS's own cost of providing the data is {money(deal_value.costs_pv)} in present "
        "value. "
        f"The NHS's share is its expected value over the value the deal creates (the product's "
        f"operating profit and any savings)."
    )
    doc.add_picture(io.BytesIO(png), width=Cm(16.5))
    doc.add_paragraph(comparison.basis).runs[0].italic = True
    for note in comparison.notes:
        doc.add_paragraph(note, style="List Bullet")

    doc.add_heading("5. Risks and mitigations", 1)
    rows = [("Risk", "Mitigation")]
    for risk in deal_value.risks:
        rows.append((risk, next((v for k, v in MITIGATIONS.items() if risk.startswith(k)), "")))
    for model_id, _ in deal.models:
        model = contract.library.model(model_id)
        for caution in model.cautions[:2] if model else ():
            rows.append((caution, "Secured by the contract's standard clauses; see section 6."))
    _table(doc, rows)

    doc.add_heading("6. Compliance, principle by principle", 1)
    rows = [("Principle", "How the contract secures it", "Clauses")]
    for number, name in PRINCIPLES.items():
        parts = [p for p in contract.parts if number in p.clause.principles]
        refs = ", ".join(f"{p.display_number} ({p.clause.title})" for p in parts)
        rows.append((f"{number}. {name.capitalize()}", HOW_SECURED[number], refs or "None"))
    _table(doc, rows)

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
        _table(doc, rows)
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
    _drop_styles_with_effects(doc)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _drop_styles_with_effects(doc: Any) -> None:
    """Drop the default template's stale stylesWithEffects part, which Word would repair."""
    for rel_id, rel in list(doc.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            del doc.part.rels[rel_id]


_ACCESS = {
    "sde": "only inside the NHS's secure data environment",
    "aggregate": "as aggregate statistics only",
    "extract": "as an extract held by the partner",
}


def _names(names: tuple[str, ...]) -> str:
    return " and ".join(names) if len(names) < 3 else ", ".join(names[:-1]) + " and " + names[-1]


def _date(value: Any) -> str:
    return f"{value:%-d %B %Y}" if isinstance(value, dt.date) else str(value or "")


def _approval(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(str(v) for v in value.values() if v)
    return str(value or "")


def _unique(reasons: list[dict]) -> list[dict]:
    return list({r["reason"]: r for r in reasons}.values())


def _reason_text(reason: dict) -> str:
    tags = [f"principle {reason['principle']}"] if reason.get("principle") else []
    return reason["reason"] + (f" ({'; '.join(tags)})" if tags else "")


def _table(doc: Any, rows: list[tuple]) -> None:
    table = doc.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = doc.styles["Table Grid"]
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            cell = table.cell(r, c)
            cell.text = str(value)
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = _pt(8.5)
                    run.bold = r == 0
    doc.add_paragraph()


def _pt(size: float) -> Any:
    from docx.shared import Pt

    return Pt(size)


def write_board_paper(
    spec_path: str | Path,
    output: str | Path,
    *,
    scenarios: str | Path | None = None,
    library: Any = None,
    force: bool = False,
) -> Path:
    """Value a deal, assemble its contract in memory and write the board paper atomically."""
    from toolkit.contract.assemble import assemble_contract
    from toolkit.output import check_target, write_atomically
    from toolkit.value.chart import render_chart
    from toolkit.value.deal import load_deal
    from toolkit.value.recommend import profile_from_spec, recommend
    from toolkit.value.simulate import compare_files

    output = Path(output)
    check_target(output, force=force, inputs=[p for p in (spec_path, scenarios) if p])
    spec, library = load_deal(spec_path, library)
    comparison = compare_files(spec_path, scenarios, library)
    contract = assemble_contract(spec, library)
    forecast = comparison.scenario.section("product").get("net_revenue_gbp") or [0]
    profile = profile_from_spec(spec, expected_revenue_gbp=max(forecast) or None)
    recommendation = recommend(profile, library, top=8)
    data = build_paper(contract, comparison, recommendation, render_chart(comparison, "png"))
    write_atomically(output, data, force=force)
    return output
