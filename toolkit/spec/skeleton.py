"""The commented deal-spec skeleton that `init` writes for a partnership model."""

from __future__ import annotations

import datetime as dt

import yaml

from toolkit.library import PartnershipModel
from toolkit.spec.commercial import PROCUREMENT_MODELS

_SKELETON = """\
# Deal spec for a {name} data partnership ({model_id}), spec version 2.
# Every value below is an example that validates: replace each with the deal's own
# facts, then run:  nhs-contracts validate {filename}
# Reference: the README's "Deal spec" section. Unknown keys are refused. A value you
# do not know yet may be set to null: it is then an open item that `assemble --draft`
# lists and a final assembly refuses.
spec_version: 2
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
    nation: england                    # where the data comes from: england | wales | scotland | northern_ireland
    role: joint_controller             # joint_controller | independent_controller (a matter of fact, not of choice)
    lawful_basis:                      # this party's own bases under UK GDPR and the DPA 2018
      article_6: "6(1)(e)"             # an NHS body performs a public task
      article_9: "9(2)(j)"             # research; 9(2)(h) for care and management of health services
      dpa_schedule_1: Part 1 paragraph 4   # the DPA 2018 Schedule 1 condition that goes with it
    statutory_power: National Health Service Act 2006, s.43 (powers of NHS foundation trusts)   # the power to share and to trade (ICO code)
    caldicott_guardian: {{name: Dr Sam Guardian, approval_date: {approval}}}   # approval may be open in --draft
partner:
  name: Example Health Analytics Ltd
  kind: company                        # company | university | charity | other
  company_number: "01234567"           # UK formats for a UK jurisdiction; the registry number otherwise
  jurisdiction: england_and_wales      # where the partner is incorporated, e.g. delaware_usa
  address: 2 Example Street, London EC1A 1AA
  signatory: {{name: Sam Example, role: Director}}
  role: joint_controller               # joint_controller | independent_controller | processor | no_personal_data
  lawful_basis:
    article_6: "6(1)(f)"               # a company normally relies on legitimate interests, with an assessment
    article_9: "9(2)(j)"
    dpa_schedule_1: Part 1 paragraph 4
  statutory_function: null             # only if the partner relies on 6(1)(e): the function it performs
  legitimate_interests_assessment: LIA-{year}-001   # required with 6(1)(f)
partnership_model: {model_id}
model_terms:                           # checked by the {model_id} model's own schema
{terms}
additional_models: []                  # optional hybrids: [{{model: ID, terms: {{...}}}}]
purpose:
  aim: Improve the early detection of a named condition in NHS patients   # principle 1: explicit aim
  description: What the project does with the data, and how it helps patients or the NHS.
benefits:                              # principle 1: at least one, one for patients, each with a number in its target
  - description: Earlier diagnosis for patients
    beneficiary: patients              # patients | nhs_organisation | nhs_national
    measure: Median days from first test to diagnosis
    target: reduce from 40 days to 32 days
    by: {benefit_by}                 # within the term
    delivered_by: {delivered_by}             # partner | nhs | joint: who is answerable for delivering it
    baseline_source: Median days from first test to diagnosis in the 12 months before the Effective Date, from the NHS Party's records
    evaluator: The NHS Party's research and development office   # independent of whoever delivers it
data:
  description: The records to be shared, their source and period.
  datasets:                            # Schedule 1 lists each with its items and provenance
    - name: Outpatient attendances
      period: 2018-2025
      source: Example Hospitals NHS Foundation Trust patient administration system
      controller: Example Hospitals NHS Foundation Trust   # who controls the data at source
      items: [attendance date, specialty, outcome, age band, sex]
      approximate_records: 100000
      linkage: None by the Partner     # who links what, on which key
      free_text: false
      imaging: false
      genomic: false
      pseudonymisation_key_holder: Example Hospitals NHS Foundation Trust
  identifiability: pseudonymised       # anonymised | pseudonymised | identifiable
  access: sde                          # sde (the default) | aggregate | extract
  extract_justification: null          # required when access is extract
  identifiable_justification: null     # required when identifiable: why nothing less will do
  anonymisation_assessment: null       # required when anonymised: the assessment's reference
  uses: [research, product_development]   # direct_care | research | product_development | service_evaluation | planning | deployment
  special_category: true
  confidentiality_basis: s251          # anonymised | consent | s251 (England and Wales) | pbpp (Scotland) | ni_2016_act | direct_care
  national_data_opt_out: applied       # applied (England) | not_applicable (then give national_data_opt_out_reason)
  dpia_reference: DPIA-{year}-001       # required unless anonymised; may be left open with --draft
  partner_dspt_status: standards_met   # standards_met | standards_exceeded
  retention_months: 36
  secure_data_environment:             # who runs the environment the partner works in
    name: Example Hospitals Secure Data Environment
    operator: Example Hospitals NHS Foundation Trust
    operator_kind: nhs                 # nhs | partner | third_party
    operator_dspt_status: standards_met
  approvals:                           # by jurisdiction; an entry may be null where it does not apply
    cag: {{reference: {year}/CAG/0001, conditions: [The national data opt-out is applied before disclosure]}}   # s251 support
    rec: null                          # {{reference: ..., iras_id: ...}} for a research ethics approval
    pbpp: null                         # Scotland: the Public Benefit and Privacy Panel
  storage_location: uk                 # uk | uk_eea | outside_uk
  access_location: uk                  # where the data is accessed from, including remote support
  overseas_countries: []               # each country outside the UK, when either location is not uk
  transfer_route: null                 # adequacy | idta | addendum, when data leaves the UK
  sub_processors: []                   # each organisation processing the data for a party
ip:
  foreground_owner: joint              # nhs | partner | joint
commercial:
  liability_cap_gbp: {liability_cap}           # each Party's total liability a year; within the model's range
  data_protection_cap_gbp: {data_protection_cap}     # data protection, confidentiality and security; never below the general cap
  insurance:                           # minimum cover the Partner keeps, in pounds
    professional_indemnity_gbp: 5000000
    public_liability_gbp: 5000000
    product_liability_gbp: 5000000     # required once a product is used in care
    cyber_gbp: {cyber}
  parent_company_guarantee:
    required: false                    # true: name the guarantor, its company number and jurisdiction
    reason_not_required: The Partner's net assets and insurance cover the caps (credit check CR-{year}-001)
  subsidy_control:                     # Subsidy Control Act 2022
    assessment: not_a_subsidy          # not_engaged | not_a_subsidy | minimal_financial_assistance | assessed_compliant
    reference: SC-{year}-001
  procurement:                         # Procurement Act 2023 or the Provider Selection Regime
    assessment: {procurement}       # not_engaged | procurement_act_2023 | provider_selection_regime | exempt
    reference: {procurement_reference}
ai_product:                            # null if the deal builds no model or product
  intended_purpose: Flags outpatients at risk of a late diagnosis for clinical review; it does not diagnose
  deployment: {deployment}             # research_only | shadow | live_care
  device_class: class_iia              # not_a_device | class_i | class_iia | class_iib | class_iii
  regulatory_route: {regulatory_route}      # not_applicable | ukca | ce_recognised | ukni | in_development
  dtac_status: in_progress             # not_applicable | not_started | in_progress | passed
  nice_evidence_tier: b                # a | b | c (the NICE evidence standards framework)
  clinical_safety_officers:            # DCB0129 (the Partner) and DCB0160 (the NHS Party)
    partner: {{name: Dr Chris Safety, registration: GMC 0000001}}
    nhs: {{name: Dr Jo Safety, registration: GMC 0000002}}
  models:                              # the model inventory
    - {{name: Example risk model, kind: gradient-boosted classifier, trained_on_data: true}}
  models_at_exit: retain_if_tested     # retain_if_tested | delete | transfer_to_nhs
  escrow: true                         # weights and documentation held for NHS continuity
clauses:
  include: []                          # optional clause ids (nhs-contracts clauses list --model {model_id})
  positions: {{}}                        # clause id: approved fallback position id
  additional_terms: []                 # each: {{text: ..., approval: {{name, role, date, reference}}}}; scanned
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


def _within(value: int, limits: tuple | list | dict | None) -> int:
    """Return value moved into a model's (min, max) range for a cap, if it has one."""
    if not limits:
        return value
    low, high = (limits["min"], limits["max"]) if isinstance(limits, dict) else limits
    return int(min(max(value, low), high))


def skeleton(
    model: PartnershipModel, filename: str = "deal.yaml", today: dt.date | None = None
) -> str:
    """Return a commented version-2 deal-spec skeleton for a model; it validates as written."""
    today = today or dt.date.today()
    start = dt.date(today.year + 1, 1, 1)
    limits = model.limits or {}
    cap = _within(5_000_000, limits.get("liability_cap_gbp"))
    super_cap = max(cap, _within(10_000_000, limits.get("data_protection_cap_gbp")))
    # A model under which the NHS takes a product into its services (gain share) is a
    # live deployment and engages procurement law; the others are research builds.
    live = model.id in PROCUREMENT_MODELS
    return _SKELETON.format(
        name=model.name,
        model_id=model.id,
        filename=filename,
        year=start.year,
        start=start.isoformat(),
        approval=dt.date(today.year, today.month, 1).isoformat(),
        benefit_by=dt.date(start.year + 2, 6, 30).isoformat(),
        terms=_terms_yaml(model),
        delivered_by="joint  ",
        liability_cap=cap,
        data_protection_cap=super_cap,
        cyber=max(5_000_000, -(-super_cap // 4)),
        procurement="procurement_act_2023" if live else "not_engaged         ",
        procurement_reference=f"PA23-{start.year}-001" if live else "null",
        deployment="live_care    " if live else "research_only",
        regulatory_route="ukca          " if live else "in_development",
    )
