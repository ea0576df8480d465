"""The commented deal-spec skeleton that `init` writes for a partnership model."""

from __future__ import annotations

import datetime as dt

import yaml

from toolkit.library import PartnershipModel

_SKELETON = """\
# Deal spec for a {name} data partnership ({model_id}).
# Replace every example value, then run:  nhs-contracts validate {filename}
# Reference: the README's "Deal spec" section. Unknown keys are refused.
spec_version: 1
agreement:
  reference: TRUST-DP-{year}-001       # required; shown in the header and the manifest
  effective_date: {start}           # required, YYYY-MM-DD
  term_months: 36                      # required, 1 to 120
  governing_law: england_and_wales     # england_and_wales | scotland | northern_ireland
nhs_parties:                           # one or more; more than one is a consortium with one lead
  - name: Example Hospitals NHS Foundation Trust
    kind: foundation_trust             # nhs_trust | foundation_trust | icb | gp_practice | nhs_england | health_board | other_nhs_body
    ods_code: RXX
    address: 1 Hospital Road, Exampletown EX1 1AA
    signatory: {{name: Alex Example, role: Chief Executive}}
    board_approval: {{date: {approval}, minute_ref: "BM/{year}/001"}}   # principle 2; may be left open with --draft
    lead: true
partner:
  name: Example Health Analytics Ltd
  kind: company                        # company | university | charity | other
  company_number: "01234567"
  address: 2 Example Street, London EC1A 1AA
  signatory: {{name: Sam Example, role: Director}}
partnership_model: {model_id}
model_terms:                           # checked by the {model_id} model's own schema
{terms}
additional_models: []                  # optional hybrids: [{{model: ID, terms: {{...}}}}]
purpose:
  aim: Improve the early detection of a named condition in NHS patients   # principle 1: explicit aim
  description: What the project does with the data, and how it helps patients or the NHS.
benefits:                              # principle 1: at least one, each with a number in its target
  - description: Earlier diagnosis for patients
    beneficiary: patients              # patients | nhs_organisation | nhs_national
    measure: Median days from first test to diagnosis
    target: reduce by 20%
    by: {benefit_by}                 # within the term
data:
  description: The records to be shared, their source and period.
  datasets:
    - {{name: Outpatient attendances, period: 2018-2025}}
  identifiability: pseudonymised       # anonymised | pseudonymised | identifiable
  access: sde                          # sde (the default) | aggregate | extract
  extract_justification: null          # required when access is extract
  special_category: true
  lawful_basis: {{article_6: "6(1)(e)", article_9: "9(2)(h)"}}   # required unless anonymised
  confidentiality_basis: s251          # anonymised | consent | s251 | direct_care
  national_data_opt_out: applied       # applied | not_applicable (then give national_data_opt_out_reason)
  dpia_reference: DPIA-{year}-001       # required unless anonymised; may be left open with --draft
  partner_dspt_status: standards_met   # standards_met | standards_exceeded
  retention_months: 36
  storage_location: uk                 # uk | uk_eea
ip:
  foreground_owner: joint              # nhs | partner | joint
clauses:
  include: []                          # optional clause ids (nhs-contracts clauses list --model {model_id})
  positions: {{}}                        # clause id: approved fallback position id
  additional_terms: []                 # free-text terms; flagged as non-standard and scanned
"""


def _terms_yaml(model: PartnershipModel) -> str:
    lines = []
    for key, value in model.terms_example.items():
        dumped = yaml.safe_dump({key: value}, sort_keys=False, allow_unicode=True, width=1000)
        block = ["  " + line for line in dumped.rstrip("\n").split("\n")]
        help_text = model.terms_help.get(key)
        if help_text:
            block[0] += f"   # {help_text}"
        lines += block
    return "\n".join(lines)


def skeleton(
    model: PartnershipModel, filename: str = "deal.yaml", today: dt.date | None = None
) -> str:
    """Return a commented deal-spec skeleton for a model; it validates as written."""
    today = today or dt.date.today()
    start = dt.date(today.year + 1, 1, 1)
    return _SKELETON.format(
        name=model.name,
        model_id=model.id,
        filename=filename,
        year=start.year,
        start=start.isoformat(),
        approval=dt.date(today.year, today.month, 1).isoformat(),
        benefit_by=dt.date(start.year + 2, 6, 30).isoformat(),
        terms=_terms_yaml(model),
    )
