"""The additional-terms scanner (toolkit.scan): what it refuses, what it lets through.

The tables hold wording a lawyer might put in ``clauses.additional_terms``: terms that
grant exclusivity, lock the NHS out or in, confine benefits, override mandatory clauses
or hide the agreement (each with the principle it breaks), and careful wording that
must not be a false alarm, especially negations ("non-exclusive", "nothing in this
Agreement grants exclusive rights").
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit.exceptions import Problem, SpecError
from toolkit.scan import normalise, plain_text, scan_library_text, scan_term, scan_terms
from toolkit.spec import validate_spec

# (term, the principle it must be refused under)
REFUSED = [
    # -- exclusive, sole, first-refusal and preferential rights
    ("The Partner shall have an exclusive licence to use the Data.", 3),
    ("The Partner shall have an exclusive license to use the Data.", 3),
    ("The NHS Party grants the Partner the sole and exclusive right to access the Data.", 3),
    ("The Data is made available to the Partner exclusively.", 3),
    ("The Partner shall enjoy exclusivity over the cohort for 24 months.", 3),
    ("The Partner shall have a right of first refusal over any future data release.", 3),
    ("The Partner shall have a right of first negotiation in respect of any new dataset.", 3),
    ("The Partner shall have preferred access to the Data.", 3),
    ("The Partner shall be given preferential access to new data extracts.", 3),
    (
        "The licence is non-exclusive, save that the Partner shall have exclusive access to "
        "the ophthalmology cohort.",
        3,
    ),
    ("The Partner shall be the NHS Party's sole data partner for AI development.", 3),
    ("Only the Partner may use the Data to train commercial models.", 3),
    ("The Data shall be made available only to the Partner.", 3),
    ("The Partner shall receive the Data before it is offered to any other party.", 3),
    ("The Partner shall have priority access to all new imaging data.", 3),
    ("The Partner will be treated as the Trust's preferred supplier for imaging AI.", 3),
    ("The Partner shall have a first option to license any future datasets.", 3),
    ("No party other than the Partner shall be entitled to use the Data.", 3),
    ("This arrangement is semi-exclusive.", 3),
    ("The Partner shall hold an EXCLUSIVE LICENCE to the Data.", 3),
    (
        "The Partner shall have a non-exclusive licence until 2028, after which the licence "
        "becomes exclusive.",
        3,
    ),
    ("Nothing in this Agreement prevents the Partner from having exclusive access to the Data.", 3),
    ("No party has exclusive rights unless otherwise agreed in writing.", 3),
    (
        "The Partner shall have the exclusive right to commercialise products developed with "
        "the Data.",
        3,
    ),
    ("The Partner is granted exclusivity in the field of ophthalmology.", 3),
    ("The Data is licensed to the Partner on an exclusive basis.", 3),
    ("The Data shall be ring-fenced for the Partner.", 3),
    (
        "The NHS Party shall give the Partner a 12 month head start over any other user of "
        "the Data.",
        3,
    ),
    ("The Partner shall receive most favoured partner status in respect of future data.", 3),
    (
        "The Partner shall have the right to match any offer made by a third party for access"
        " to the Data.",
        3,
    ),
    ("All data exchanges shall take place exclusively via the Partner's proprietary API.", 3),
    (
        "The Company shall be entitled to exclusive use of the Dataset for the development of"
        " diagnostic algorithms.",
        3,
    ),
    ("The Trust hereby grants to the Licensee a sole licence to the Data.", 3),
    ("Access to the Data by any person other than the Partner is prohibited.", 3),
    (
        "The Partner shall have the first opportunity to license any additional datasets the "
        "Trust makes available.",
        3,
    ),
    ("The Partner shall be given first sight of any new data collections.", 3),
    ("The Partner's rights under this Agreement shall be exclusive in the United Kingdom.", 3),
    ("The Licensee shall enjoy a period of exclusivity of 12 months from the Effective Date.", 3),
    ("The Partner shall have a right of first refusal.", 3),
    ("The Partner is the only party permitted to use the Data for commercial purposes.", 3),
    (
        "The Trust shall grant to the Company, for the Term, the exclusive right to develop "
        "AI models using the Data.",
        3,
    ),
    (
        "The Trust agrees that the Partner shall be its exclusive technology partner for "
        "radiology AI.",
        3,
    ),
    ("The Partner will have sole rights to any commercial exploitation of the Data.", 3),
    (
        "The NHS Party shall notify the Partner of any approach from another company and give"
        " the Partner the opportunity to match it.",
        3,
    ),
    ("The Partner shall have an exclusive, worldwide, royalty-free licence to the Data.", 3),
    ("This is an exclusive arrangement.", 3),
    # -- lock-outs: the NHS kept from sharing or working with others
    ("No other party may access the Data during the Term.", 3),
    ("No third party shall be granted access to the Data for 12 months.", 3),
    ("The NHS Party shall not share the Data with any other commercial organisation.", 3),
    ("The NHS Party shall not provide the Data to any third party.", 3),
    (
        "The NHS Party shall not make the Data available to any other company developing "
        "similar products.",
        3,
    ),
    ("The Trust agrees not to license the dataset to any competitor of the Partner.", 3),
    ("The parties agree a six month lock-out period.", 3),
    ("The NHS Party agrees to a standstill on negotiations with other parties.", 3),
    (
        "For the Term, the NHS Party shall deal only with the Partner in respect of AI "
        "development using the Data.",
        3,
    ),
    (
        "The NHS Party shall not enter into any similar agreement with any other party during"
        " the Term.",
        3,
    ),
    ("The NHS Party shall not negotiate with any competitor of the Partner.", 3),
    ("The Partner may restrict the NHS Party from sharing the Data with others.", 3),
    (
        "During the Exclusivity Period the Trust will not engage in discussions with any "
        "other prospective data partner.",
        3,
    ),
    (
        "The NHS Party undertakes that it will not, for a period of 18 months, license the "
        "Data to a third party for a competing purpose.",
        3,
    ),
    ("The Trust shall refrain from making the Data available to any other commercial entity.", 3),
    (
        "The Data is provided to the Partner on the basis that the Trust will not provide "
        "equivalent data to another organisation for a period of two years.",
        3,
    ),
    (
        "Save with the Partner's consent, the NHS Party shall not share the Data with third "
        "parties.",
        3,
    ),
    # -- benefits confined to one organisation or region
    ("The Product shall be provided only for the benefit of the Trust.", 3),
    ("The benefits of this Agreement shall be applied solely within the North West region.", 3),
    ("The Product shall be deployed solely within Greater Manchester.", 3),
    ("The algorithm shall not be made available to other NHS bodies.", 3),
    ("Any national rollout of the Product requires the Partner's prior written consent.", 3),
    ("Use of the Tool by other NHS trusts shall be subject to a separate licence fee.", 3),
    ("The discount is limited to the NHS Party.", 3),
    ("The Outputs may be used solely for the benefit of the NHS Party's patients.", 3),
    ("The Product shall not be rolled out nationally.", 3),
    ("No other NHS organisation may use the Product without the Partner's consent.", 3),
    ("Wider NHS adoption of the Tool is conditional on the Partner's agreement.", 3),
    ("The in-kind licence applies only to the Trust's hospitals.", 3),
    ("Any improvements to the Tool shall be made available solely to the Trust.", 3),
    ("The licence to use the Product is restricted to the NHS Party's own sites.", 3),
    (
        "Deployment of the Product outside the ICB area shall require the Company's written "
        "consent.",
        3,
    ),
    ("The Partner shall not be obliged to provide the Product to other NHS organisations.", 3),
    ("The savings generated by the Product shall accrue only to the NHS Party.", 3),
    ("The Company may refuse to license the Product to any other NHS body.", 3),
    ("Roll-out to other trusts is subject to commercial negotiation with the Partner.", 3),
    # -- proprietary formats, gateways and supplier lock-in
    ("The NHS Party may access the Outputs only through the Partner's platform.", 3),
    ("The Outputs will be delivered in the Partner's proprietary format.", 3),
    ("The NHS Party may not export the Outputs from the Partner's platform.", 3),
    ("Data held on the Partner's platform may not be exported.", 3),
    ("The Partner is not required to support open standards or interoperability.", 3),
    ("The Trust shall not use any competing software during the Term.", 3),
    (
        "The NHS Party agrees to purchase licences for the Product from the Partner for five "
        "years.",
        3,
    ),
    ("The Partner may charge a fee for the export of the Data at the end of the Term.", 3),
    ("The Trust may only access the results via the Company's cloud portal.", 3),
    ("All Outputs shall be supplied in the Partner's proprietary file format.", 3),
    ("The Trust undertakes not to procure any competing product during the Term.", 3),
    ("Data must be submitted using the Partner's proprietary data schema.", 3),
    ("The Trust shall not migrate the Data to an alternative supplier during the Term.", 3),
    # -- overriding, disapplying or watering down mandatory clauses
    ("Notwithstanding clause 14 (Transparency), the Partner's name shall not be published.", 4),
    (
        "Notwithstanding anything to the contrary in this Agreement, the Partner may use the "
        "Data for any purpose.",
        2,
    ),
    ("Clause 8 (Non-exclusivity) shall not apply.", 3),
    ("The transparency obligations shall not apply to this Agreement.", 4),
    ("These additional terms prevail over the rest of this Agreement.", 2),
    ("The Partner's standard terms of business shall prevail over this Agreement.", 2),
    ("The NHS Party waives the transparency obligations under this Agreement.", 4),
    ("The NHS Party waives its right to publish the results.", 4),
    ("The Partner's obligations under the benefit clause are limited to reasonable endeavours.", 1),
    (
        "The Partner's obligations under clause 5 (Data protection) are suspended during the "
        "pilot.",
        5,
    ),
    ("The benefits are aspirational and not legally binding.", 1),
    ("The Partner shall have no obligation to achieve the benefits.", 1),
    ("The requirement for board approval is waived.", 2),
    ("Clause 12 shall be disapplied for the purposes of this Project.", 2),
    (
        "The non-exclusivity provisions of this Agreement shall not apply to the Partner's "
        "affiliates.",
        3,
    ),
    (
        "In the event of any inconsistency, this Schedule shall take precedence over clauses "
        "1 to 20.",
        2,
    ),
    ("The obligations in clause 14 (Transparency) are suspended until the Product is launched.", 4),
    ("The publication requirements are waived for the first 24 months.", 4),
    ("The benefit targets are indicative only.", 1),
    ("The Partner shall have no contractual obligation to deliver the Benefits.", 1),
    (
        "The transparency clause shall be read as subject to the Partner's commercial "
        "confidentiality.",
        4,
    ),
    ("Clause 14 is deleted.", 2),
    ("The Partner's benefit obligations shall be satisfied by a one-off payment of £10,000.", 1),
    # -- confidentiality that would hide the agreement
    ("The parties shall keep the existence and terms of this Agreement confidential.", 4),
    ("The existence of this Agreement shall remain strictly confidential.", 4),
    ("This Agreement is confidential.", 4),
    ("The NHS Party shall not disclose that it has entered into this Agreement.", 4),
    ("There shall be no public announcement of the partnership.", 4),
    (
        "Neither party shall make any public announcement about this Agreement without the "
        "other's consent.",
        4,
    ),
    ("The Partner's identity shall not be disclosed.", 4),
    ("This Agreement shall not be published.", 4),
    ("The Partner's name shall not be entered on the transparency register.", 4),
    ("Neither party shall disclose the terms of this Agreement to any third party.", 4),
    ("The Partner may veto any publication of the results.", 4),
    ("Publication of the findings requires the Partner's prior written approval.", 4),
    ("The benefits of this Agreement shall be kept confidential.", 4),
    ("The parties shall treat the fact of their collaboration as strictly confidential.", 4),
    ("The Trust shall not name the Partner in any publication or register.", 4),
    ("Neither party shall make any announcement regarding this Agreement.", 4),
    ("The terms of this Agreement, including its existence, are confidential.", 4),
    ("No press release concerning the partnership shall be issued.", 4),
    ("The Partner's identity shall remain confidential.", 4),
    ("The Trust shall not publish any information about this Agreement.", 4),
    ("The parties agree not to disclose the existence of this agreement.", 4),
    (
        "Without the Partner's consent, the Trust shall not reveal that the Partner is "
        "involved in the project.",
        4,
    ),
    ("Any announcement of the partnership requires the written approval of both parties.", 4),
    # -- found by a red team and their paraphrases: first offer, matching, regional or
    # single-organisation benefits, price discrimination, secrecy, clauses disapplied
    (
        "Before granting any third party access to the imaging archive, the Trust shall first "
        "offer the same access to the Partner and allow the Partner sixty days to accept.",
        3,
    ),
    (
        "If the Trust receives a proposal from another company for access to the Data, it shall "
        "notify the Partner and the Partner may match the terms offered.",
        3,
    ),
    (
        "The discount on the Data-Derived Product shall be available only to NHS organisations "
        "within the Yorkshire and Humber region.",
        3,
    ),
    ("The free licence is available only to trusts in Greater Manchester.", 3),
    (
        "The in-kind benefit is personal to the NHS Party and may not be extended to any other "
        "NHS body.",
        3,
    ),
    ("The benefits of the Product shall be confined to patients of the NHS Party.", 3),
    ("Other NHS bodies may use the Data-Derived Product only at the Partner's full list price.", 3),
    (
        "Neither Party shall disclose to any person the existence of this Agreement, the identity "
        "of the Partner or the purpose of the project.",
        4,
    ),
    (
        "The commercial terms, the benefits plan and the fact that the Trust has entered into "
        "this Agreement are confidential and shall be withheld from any publication or "
        "transparency register.",
        4,
    ),
    (
        "This Agreement shall not be listed on any public register and its existence shall not be "
        "announced.",
        4,
    ),
    ("The Partner shall have a sole and ex-clusive licence to the Data.", 3),
    ("The Partner shall have an ex-clusive licence.", 3),
    ("The Partner shall have an exclu-sive licence.", 3),
    ("Clause 4 (Benefits for patients and the NHS) shall not bind the Partner.", 1),
    ("Clause 7 (Transparency) shall not apply.", 4),
    ("The Non-exclusivity clause shall not bind the Partner.", 3),
    (
        "The NHS Party shall not respond to any Freedom of Information request about this "
        "Agreement without the Partner's consent.",
        4,
    ),
    ("The Trust shall offer any new imaging dataset to the Partner first.", 3),
    (
        "The NHS Party shall first offer any future data release to the Company on the same terms.",
        3,
    ),
    ("Any future dataset shall be offered to the Partner in the first instance.", 3),
    (
        "Before licensing the Data to another company, the Trust shall give the Partner the "
        "opportunity to acquire the same licence.",
        3,
    ),
    (
        "Prior to entering into any agreement with a third party for the Data, the NHS Party "
        "shall offer the Partner the same terms.",
        3,
    ),
    ("The Partner shall have a last look at any competing proposal.", 3),
    ("The Partner shall have the right to match any third-party proposal within 30 days.", 3),
    ("The Partner shall be given the opportunity to match the terms of any competing offer.", 3),
    ("Where another organisation bids for access to the Data, the Partner may equal that bid.", 3),
    ("The Partner shall have matching rights in respect of any offer for the Data.", 3),
    (
        "The Trust agrees to a 90-day standstill during which it will not discuss the Data with "
        "others.",
        3,
    ),
    ("The Partner has a right of first offer on any new dataset.", 3),
    ("The Partner may counter any offer the Trust receives for the Data.", 3),
    (
        "Before accepting any proposal from another developer, the Trust shall allow the Partner "
        "45 days to make a counter-offer.",
        3,
    ),
    ("The Trust shall first propose any new collaboration on the Data to the Licensee.", 3),
    (
        "If the NHS Party receives an approach from a competitor, the Partner may better the "
        "terms offered.",
        3,
    ),
    (
        "The Product shall be available only to trusts within the Cheshire and Merseyside ICS "
        "area.",
        3,
    ),
    ("The licence is restricted to the Humber and North Yorkshire ICS area.", 3),
    ("The Tool is for use only by the Trust.", 3),
    ("The Product is licensed only for use by the NHS Party's clinicians.", 3),
    ("The free licence shall be restricted to hospitals in Kent.", 3),
    ("Discounted pricing is available exclusively to GP practices in Leeds.", 3),
    (
        "The royalty-free licence is limited to organisations within the Trust's integrated care "
        "system.",
        3,
    ),
    ("The benefits are personal to the Trust.", 3),
    ("The licence is personal to the NHS Party and is not transferable to other NHS bodies.", 3),
    ("Other trusts shall pay the Partner's standard commercial price for the Product.", 3),
    (
        "NHS organisations other than the Trust may license the Tool only at full commercial "
        "rates.",
        3,
    ),
    ("The discount shall not apply to other NHS organisations.", 3),
    ("The Partner's list price shall apply to any other NHS body.", 3),
    ("The Product may be offered to other NHS bodies only at the Partner's market price.", 3),
    (
        "The app shall be made available solely to patients registered with practices in "
        "Birmingham.",
        3,
    ),
    ("The benefits shall accrue only to residents of the North East.", 3),
    ("The savings shall be available only to patients of the Trust.", 3),
    ("The parties shall not disclose the identity of the Partner to anyone.", 4),
    ("Neither party shall reveal to any third party the purpose of this Agreement.", 4),
    ("The existence of the partnership shall not be announced.", 4),
    ("The Partner's involvement shall not be mentioned in any annual report.", 4),
    ("The benefits plan shall be withheld from the transparency register.", 4),
    (
        "The parties agree that the fact that they are working together shall remain confidential.",
        4,
    ),
    ("The identity of the Partner shall not be published.", 4),
    ("The NHS Party shall not confirm or deny the existence of this Agreement.", 4),
    ("Details of this Agreement shall be omitted from the Trust's publication scheme.", 4),
    ("The Trust shall not answer Freedom of Information requests relating to this Agreement.", 4),
    (
        "Any Freedom of Information request about this Agreement shall be referred to the Partner "
        "for decision.",
        4,
    ),
    ("The Partner may veto the Trust's response to any Freedom of Information request.", 4),
    ("The Trust shall not disclose to the press the names of the parties.", 4),
    ("The value of this Agreement is confidential and shall be kept out of any publication.", 4),
    ("The parties shall not publicise the purpose of the collaboration.", 4),
    ("Clause 4 (Benefits) does not bind the Partner.", 1),
    ("Clause 14 (Transparency) shall not be binding on the Partner.", 4),
    ("The Partner is not bound by clause 8 (Non-exclusivity).", 3),
    ("The Transparency clause shall not bind either party.", 4),
    ("The National application clause shall not apply to the Partner.", 3),
    ("Clause 5 (Data protection) shall not be enforceable against the Partner.", 5),
    ("The Benefits clause shall have no effect.", 1),
    ("The Partner shall not be bound by the transparency clause.", 4),
    ("The Partner shall be exempt from the Non-exclusivity clause.", 3),
    ("The Freedom of Information clause shall not apply.", 4),
    ("The Partner shall have exclu-sive access to the Data.", 3),
    ("The Partner shall have preferen-tial access to the Data.", 3),
    ("The Partner has ex-clusivity over the cohort.", 3),
    ("The Partner shall have an exclu- sive licence.", 3),
    (
        "The Trust will give the Partner an opportunity to match any third party offer before "
        "accepting it.",
        3,
    ),
    ("Any new data release shall first be offered to the Partner.", 3),
    (
        "The Partner shall be entitled to a last look before the Trust concludes any agreement "
        "with another party.",
        3,
    ),
    (
        "For six months after the Effective Date the Trust shall not invite proposals from other "
        "companies.",
        3,
    ),
    ("The Partner shall be notified of, and may match, any proposal from a competitor.", 3),
    ("The Product shall be supplied only to NHS trusts in the South West.", 3),
    ("Use of the Product shall be restricted to the Trust's ICS.", 3),
    ("The licence covers only the Lead NHS Party and its hospitals.", 3),
    ("The Product may be used only within the West Yorkshire ICB area.", 3),
    (
        "Only the Trust may use the Product free of charge; other NHS bodies must pay the "
        "standard licence fee.",
        3,
    ),
    ("Other ICBs shall be charged the full licence fee.", 3),
    ("The parties shall keep the names of the parties confidential.", 4),
    ("No party shall disclose to the public the existence of this Agreement.", 4),
    ("The Agreement and the identity of the Partner shall not be entered on any register.", 4),
    ("The purpose of the project shall not be made public.", 4),
    ("The NHS Party shall not publish the benefits plan.", 4),
    (
        "Notwithstanding clause 4 (Benefits for patients and the NHS), the Partner need only use "
        "reasonable endeavours.",
        1,
    ),
    ("The benefits clause is not binding on the Partner.", 1),
    ("Clause 12 (Transparency) is disapplied.", 4),
    ("The benefits are for the Trust's patients alone.", 3),
    ("Only patients of the Trust shall benefit from the Product.", 3),
    ("Trusts outside Greater Manchester shall pay the full licence fee.", 3),
    ("The discount is reserved for trusts in the Midlands.", 3),
    ("The parties shall say nothing publicly about this Agreement.", 4),
    ("The Trust shall keep its relationship with the Partner confidential.", 4),
    ("The partnership shall not be publicised.", 4),
    ("The transparency provisions do not bind the Partner.", 4),
    (
        "The Partner shall be consulted, and given first refusal, before any third party is "
        "granted access.",
        3,
    ),
]

# Wording a careful lawyer might use that must pass, negations above all.
ACCEPTED = [
    "The licence is non-exclusive.",
    "The licence is non exclusive.",
    "The licence is nonexclusive and non-transferable.",
    "The rights granted are not exclusive.",
    "Nothing in this Agreement grants exclusive rights.",
    "No party has exclusive rights.",
    "This Agreement does not grant any exclusive licence.",
    (
        "Nothing in this Agreement gives the Partner any exclusive, sole or preferential right "
        "over the Data."
    ),
    "The Partner acknowledges that it has no exclusive rights in the Data.",
    "Neither the NHS Party nor the Partner shall grant any exclusive licence of the Data.",
    "The NHS Party shall not grant exclusive rights to anyone.",
    "The Partner shall not seek exclusivity.",
    "The Partner waives any claim to exclusivity.",
    "Any purported grant of exclusive rights is void.",
    "All sums are exclusive of VAT.",
    "The courts of England and Wales have exclusive jurisdiction.",
    "This clause sets out the Partner's sole and exclusive remedy for late delivery.",
    "The Partner shall use the Data exclusively for the Purpose.",
    "The Partner shall use the Data solely for the purposes of the Project.",
    "The Partner shall process the Data exclusively within the secure data environment.",
    "The Partner shall bear the costs at its sole expense.",
    "The NHS Party may decide at its sole discretion.",
    "The NHS Party retains sole control of the Data.",
    "The Data shall remain the exclusive property of the NHS Party.",
    "The NHS Party is the sole controller of the Data.",
    "The NHS Party shall have the sole right to decide who may access the Data.",
    "The NHS Party remains free to share the Data with any other party.",
    "Nothing prevents the NHS Party from sharing the Data with third parties.",
    "The NHS Party shall not be obliged to share the Data with any other party.",
    "The NHS Party shall not share the Partner's Confidential Information with any third party.",
    "The NHS Party shall not disclose any personal data to any third party without a lawful basis.",
    "No third party shall have access to the Data without the NHS Party's prior written consent.",
    "The Partner shall not share the Data with any third party.",
    "The Partner shall not disclose the Data to any other person.",
    "The Partner shall access the Data only through the NHS Party's secure data environment.",
    "The Data shall be processed solely within the United Kingdom.",
    "The Data shall be used only within the Trust's SDE.",
    "The Partner shall report only to the Trust.",
    "The Product shall be made available to all NHS organisations on the same terms.",
    "The NHS Party shall receive priority access to new features of the Product.",
    "The Partner shall offer the NHS most favoured customer pricing.",
    "The Partner may delay publication by up to 60 days to file a patent application.",
    "Each Party shall keep the other's Confidential Information confidential.",
    "The Partner shall keep the Data confidential.",
    (
        "Each party shall keep the terms of this Agreement confidential, save as required by the "
        "Transparency clause and the Freedom of Information Act 2000."
    ),
    (
        "Nothing in this clause prevents the NHS Party from disclosing the existence of this "
        "Agreement."
    ),
    "The Partner shall not disclose the identity of any patient.",
    "Notwithstanding the expiry of this Agreement, clause 9 survives.",
    "Notwithstanding that the Partner has paid the fee, the NHS Party may terminate.",
    "Notwithstanding clause 19 (Insurance), the Partner shall maintain cyber cover of £5 million.",
    "This Agreement prevails over any terms the Partner attaches to an invoice.",
    "No failure or delay in exercising any right shall operate as a waiver of it.",
    "The Partner's liability under clause 11 is limited to £1 million.",
    "The Partner shall pay the Fee within 30 days of invoice.",
    (
        "The Partner shall use open standards and shall provide the Outputs in a non-proprietary "
        "format."
    ),
    "The Partner shall not use proprietary formats.",
    "The Partner shall provide interoperability using FHIR.",
    "The Partner's proprietary software remains the property of the Partner.",
    (
        "No later than 30 days after the Effective Date, the Partner shall provide a data "
        "management plan."
    ),
    "The benefits set out in the Benefits Plan are binding obligations of the Partner.",
    "The Partner shall report on the Benefits every six months.",
    (
        "The Partner shall provide the NHS Party with a free licence to the Product for use "
        "across the NHS."
    ),
    "The parties shall publish a summary of this Agreement on their websites.",
    "The Partner shall not solicit the employees of the NHS Party.",
    (
        "Nothing in this Agreement restricts the NHS Party's freedom to share the Data with any "
        "other person."
    ),
    "The Partner shall have no right of first refusal.",
    "The Partner shall not be entitled to any preferential access to the Data.",
    "Exclusive arrangements are prohibited.",
    "The Partner shall be paid on a non-exclusive, royalty-free basis.",
    "The Partner may use the Data in the SDE only.",
    "The Partner shall deliver the training described in Schedule 3 within six months.",
    "Each party shall bear its own costs.",
    (
        "The Product shall be offered to other NHS bodies on terms no less favourable than those "
        "offered to the Trust."
    ),
    "The Partner shall not publish the Data.",
    "The NHS Party may publish the results.",
    "This Agreement is governed by the law of England and Wales.",
    "The NHS Party has exclusive control over access to the Data and may share it with anyone.",
    "Publication shall not be delayed by more than 60 days.",
    "The Partner shall comply with the transparency obligations.",
    "The Partner waives any right to object to the NHS Party sharing the Data with others.",
    "The Trust retains the right to grant licences of the Data to any other person.",
    "The Company acknowledges that the licence granted is neither exclusive nor transferable.",
    "The Partner shall not use the Data except for the Purpose.",
    "The Partner shall not attempt to re-identify any individual.",
    "The Partner shall only access the Data within the Trust's trusted research environment.",
    "The Partner shall not sub-license the Data to any third party.",
    "The Company may not assign this Agreement without the Trust's consent.",
    "The Partner shall pay the Trust 4% of Net Revenue, exclusive of VAT.",
    "The Partner shall not make any public statement about the Trust's patients.",
    "Each party may publish the existence and purpose of this Agreement.",
    "The Trust shall publish a summary of the benefits on its website within 30 days.",
    "The Partner shall deliver the Outputs in an open, machine-readable format.",
    "The Partner shall not charge for the export of data.",
    "All intellectual property in the Data remains vested exclusively in the Trust.",
    "The Trust is solely responsible for the accuracy of the Data it supplies.",
    "Any dispute shall be subject to the exclusive jurisdiction of the courts of England.",
    "The Partner shall provide the Product free of charge to every NHS body in England.",
    "Nothing in this Agreement limits the Trust's right to share the Data with others.",
    "The Partner shall keep all Data strictly confidential.",
    "The Partner shall not disclose Confidential Information of the Trust to any person.",
    "The Trust may share the Data with any other party, including competitors of the Partner.",
    "The Partner has no right of first refusal or priority access.",
    (
        "The Partner shall use reasonable endeavours to publish the results in a peer-reviewed "
        "journal."
    ),
    "The Partner shall notify the Trust before any publication and the Trust may comment.",
    "The Partner shall use the Data solely in accordance with this Agreement.",
    "Clause 9 survives termination of this Agreement.",
    "Payment shall be made exclusively by BACS transfer.",
    "The Trust shall have early sight of any draft publication.",
    "The licence is granted on a non exclusive basis for the Term.",
    "There is no exclusivity.",
    (
        "The Partner shall not share the Data with any other party and shall not attempt to "
        "re-identify individuals."
    ),
    "The Trust shall not be required to provide any further data.",
    "The Trust may at its sole discretion refuse a request for further data.",
    "Any licence of the Data to the Partner is non-exclusive and revocable.",
    (
        "The Partner shall make the Product available to the NHS nationally on the terms in "
        "Schedule 3."
    ),
    "The Partner shall not claim, and this Agreement does not confer, any exclusive right.",
    "The Trust will not charge the Partner for the first extract.",
    "The Partner shall deliver the Product in formats that follow NHS open standards.",
    "The Trust shall decide which researchers may access the Data.",
    "The Partner shall treat the Data as confidential and shall not make it public.",
    "Neither party shall use the other's logo without consent.",
    "Nothing in this agreement obliges the Trust to use the Product.",
    "The Partner shall provide quarterly reports to the Trust's board.",
    "The Trust shall keep a record of all access to the Data.",
    "The Partner shall offer the same discount to any other NHS organisation that asks.",
    (
        "Where the Product is rolled out nationally, the Partner shall offer it at the discounted"
        " price."
    ),
    (
        "The Partner shall ensure that no other party gains access to the Data through the "
        "Partner's systems."
    ),
    (
        "The Partner shall not grant any third party exclusive rights to the Product that would "
        "prevent NHS use."
    ),
    "The parties shall hold a launch event to announce the partnership.",
    "The existence of this agreement will be published on the Trust's website.",
    # -- look-alikes of the red team's wordings that must pass
    (
        "Neither Party shall make any press announcement about this Agreement without the other's "
        "approval, which shall not be unreasonably withheld; this does not limit the transparency "
        "clause."
    ),
    "The Partner shall be bound by clause 4 (Benefits for patients and the NHS).",
    "The Trust is not bound to accept the Partner's proposals.",
    "The Partner is not bound by any obligation to the Trust's other suppliers.",
    "The Trust is exempt from the fees in Schedule 2.",
    "The Partner shall not be required to comply with any instruction that would breach the law.",
    "Each NHS body shall pay no more than the price paid by the NHS Party.",
    "The Product shall be deployed first in Leeds, then across the NHS.",
    "The Partner shall comply with clause 14 (Transparency).",
    "The Trust shall publish this Agreement on the transparency register.",
    "The Partner shall match the Trust's contribution to the research fund.",
    "The Partner may match the Data to its reference datasets within the SDE.",
    (
        "The parties shall agree a press release before the launch, without limiting clause 14 "
        "(Transparency)."
    ),
    "The Trust may publish the Partner's name and the purpose of the project.",
    "The Partner shall keep the Data confidential and shall not disclose it to any person.",
    "The NHS Party reserves the right of first offer of any new product for its own patients.",
    "Licence fees are exclusive of VAT and payable quarterly.",
    "The Trust retains a right to match any price offered by the Partner to other customers.",
    "Before sharing the Data with any third party, the Trust shall complete a DPIA.",
    (
        "The Partner's proprietary software remains its property and is not bound by the open "
        "source licence."
    ),
    (
        "The Partner shall offer the Product to NHS organisations in Greater Manchester and to "
        "every other NHS body on the same terms."
    ),
    "The Product will be piloted in Greater Manchester and then rolled out nationally.",
    (
        "The Product shall initially be deployed only within the Trust and thereafter made "
        "available across the NHS."
    ),
    (
        "The pilot shall run only at sites in Leeds before being offered to all NHS organisations "
        "on the same terms."
    ),
    "The Trust may publish this Agreement and its benefits plan.",
    "The Trust may publish the existence, parties, purpose and benefits of this Agreement.",
    "Press releases shall be agreed in advance, without limiting clause 14 (Transparency).",
    "All fees are exclusive of VAT.",
    (
        "The Partner shall give the NHS Party a first offer of any new product developed from the "
        "Data."
    ),
    "The Partner shall first offer any new product to the NHS Party at a discount.",
    "The NHS Party shall have a right of first refusal over any new product.",
    "The NHS Party may match any price the Partner offers to a third party.",
    (
        "The Trust shall notify the Partner before publishing the results so that the Partner may "
        "comment."
    ),
    (
        "The NHS Party shall consult the Partner before responding to any Freedom of Information "
        "request about this Agreement."
    ),
    (
        "The NHS Party shall not respond to a Freedom of Information request without first "
        "consulting the Partner."
    ),
    (
        "The NHS Party shall not disclose the Partner's trade secrets in response to any Freedom "
        "of Information request."
    ),
    "Personal data shall be excluded from any publication.",
    "Patient identifiers shall be withheld from any publication.",
    "The Product shall be provided to other NHS bodies at the same discounted price as the Trust.",
    "Other NHS bodies may use the Product at no more than the price paid by the Trust.",
    (
        "The Partner shall make the Product available to all NHS organisations, including trusts "
        "in Greater Manchester."
    ),
    "The Partner shall provide training only to staff of the Trust.",
    "Access to the Data is restricted to staff of the Trust.",
    "The Partner shall use the Data only for the care of patients of the Trust.",
    "The licence granted to the Partner is personal to the Partner.",
    "The NHS Party retains the right to license the Data to any other person.",
    "The licence is non-exclusive and non-transferable.",
    (
        "Before sharing the Data with any third party, the Partner shall obtain the Trust's prior "
        "written consent."
    ),
    "The Trust shall first offer the Partner a place on the steering group.",
    "Clause 9 (Insurance) shall not bind the Partner after expiry.",
    "The Partner shall be bound by clause 14 (Transparency).",
    "Nothing in this clause limits clause 14 (Transparency).",
    "The parties shall issue a joint press release announcing the partnership.",
    "The Partner shall not disclose to any person the Data or any patient's identity.",
    "The Partner shall not disclose to any third party the terms of the Trust's other contracts.",
    "The discount shall apply to all NHS organisations.",
    (
        "The Product will be made available to NHS bodies within the Yorkshire and Humber region "
        "first, and thereafter nationally."
    ),
    "The benefits shall be shared with other NHS bodies on the terms in Schedule 3.",
    (
        "The standard price shall not apply to any NHS body, each of which shall receive the "
        "discounted price."
    ),
    "The Trust shall offer the Partner's staff an induction before they access the SDE.",
    "The Trust shall say publicly that it has entered into this Agreement.",
    "The Trust shall publish the Partner's name, the purpose and the benefits plan on its website.",
]


def _principles(text: str) -> set[int]:
    return {problem.principle for problem in scan_term(text, "t")}


@pytest.mark.parametrize(("text", "principle"), REFUSED, ids=lambda v: str(v)[:60])
def test_refused(text, principle):
    problems = scan_term(text, "clauses.additional_terms[0]")
    assert principle in {p.principle for p in problems}, [p.describe() for p in problems]


@pytest.mark.parametrize("text", ACCEPTED, ids=lambda v: v[:60])
def test_accepted(text):
    assert scan_term(text, "t") == [], [p.describe() for p in scan_term(text, "t")]


# -- what a problem says -------------------------------------------------------------


def test_a_problem_names_the_path_quotes_the_words_and_gives_a_hint():
    (problem,) = scan_term(
        "The Partner shall have a sole and exclusive licence to the Data.",
        "clauses.additional_terms[2]",
    )
    assert isinstance(problem, Problem)
    assert problem.path == "clauses.additional_terms[2]"
    assert problem.principle == 3
    assert '"' in problem.message and "exclusive licence" in problem.message
    assert "non-exclusive" in problem.hint
    assert "principle 3" in problem.describe()


def test_the_quote_is_the_original_wording_not_the_normalised_one():
    (problem,) = scan_term("The Partner shall have an EXCLUSIVE Licence over the Data.", "t")
    assert "EXCLUSIVE Licence" in problem.message


def test_scan_terms_numbers_each_term():
    problems = scan_terms(
        ["The Partner shall pay within 30 days.", "The Partner shall have exclusive access."]
    )
    assert [p.path for p in problems] == ["clauses.additional_terms[1]"]


def test_every_offending_passage_of_a_term_is_reported():
    text = (
        "The Partner shall have exclusive access to the Data. The existence of this "
        "Agreement shall remain confidential."
    )
    assert _principles(text) == {3, 4}


def test_an_override_takes_the_principle_of_the_clause_it_overrides():
    assert _principles("Clause 9 (Benefits) shall not apply.") == {1}
    assert _principles("Clause 9 (Transparency) shall not apply.") == {4}
    assert _principles("Clause 9 (Data protection) shall not apply.") == {5}
    assert _principles("Clause 9 (Non-exclusivity) shall not apply.") == {3}


def test_a_clause_that_shall_not_bind_is_disapplied():
    assert _principles(
        "Clause 4 (Benefits for patients and the NHS) shall not bind the Partner."
    ) == {1}
    assert _principles("The Partner is not bound by clause 8 (Non-exclusivity).") == {3}
    assert _principles("Clause 9 (Insurance) shall not bind the Partner.") == set()


def test_gagging_freedom_of_information_is_transparency_not_a_lock_out():
    text = (
        "The NHS Party shall not respond to any Freedom of Information request about this "
        "Agreement without the Partner's consent."
    )
    assert _principles(text) == {4}


def test_an_override_of_a_clause_not_mandatory_is_not_a_finding():
    assert _principles("Clause 9 (Insurance) shall not apply.") == set()


# -- normalisation: the same words however they are typed -----------------------------


@pytest.mark.parametrize(
    "variant",
    [
        "non-exclusive",
        "non exclusive",
        "nonexclusive",
        "Non\u2011exclusive",  # non-breaking hyphen
        "non\u2013exclusive",  # en dash
        "NON-EXCLUSIVE",
        "non-\nexclusive",
        "non\u00adexclusive",  # soft hyphen
    ],
)
def test_non_exclusive_however_it_is_typed(variant):
    assert scan_term(f"The licence granted to the Partner is {variant}.", "t") == []


@pytest.mark.parametrize("spelling", ["licence", "license", "LICENCE", "Licensed"])
def test_uk_and_us_spelling(spelling):
    assert _principles(f"The Partner is granted an exclusive {spelling} to the Data.") == {3}
    assert _principles(f"The Partner is granted a non-exclusive {spelling} to the Data.") == set()


def test_invisible_characters_and_look_alike_letters_do_not_hide_a_term():
    assert _principles("The Partner shall have exclu\u200bsive access to the Data.") == {3}
    assert _principles("The Partner shall have \u0435xclusive access to the Data.") == {3}
    assert _principles("The Partner shall have \uff45xclusive access to the Data.") == {3}


@pytest.mark.parametrize(
    "split", ["ex-clusive", "exclu-sive", "ex-clu-sive", "exclu\u2010sive", "exclu-\nsive"]
)
def test_a_hyphen_splitting_a_word_does_not_hide_it(split):
    assert _principles(f"The Partner shall have a sole and {split} licence to the Data.") == {3}


def test_joining_split_words_keeps_non_exclusive_apart():
    assert normalise("non-exclusive") == "non exclusive"
    assert normalise("ex-clusive, non-ex-clusive") == "exclusive, non exclusive"
    assert _principles("The licence is non-ex-clusive.") == set()


def test_curly_quotes_and_apostrophes():
    assert _principles("The Trust\u2019s \u201cpreferred supplier\u201d is the Partner.") == {3}
    assert _principles("The NHS Party\u2019s data remains its exclusive property.") == set()


def test_normalise_keeps_words_and_lowers_case():
    assert normalise("Non\u2013Exclusive  LICENCE") == "non exclusive licence"


# -- sentences, lead-ins and negation scope -------------------------------------------


def test_a_negative_lead_in_governs_every_limb_of_a_list():
    text = (
        "Nothing in this Agreement gives the Partner:\n"
        "(a) any exclusive right to the Data;\n"
        "(b) any right of first refusal; or\n"
        "(c) priority access to new data."
    )
    assert scan_term(text, "t") == []


def test_a_positive_lead_in_is_still_read_in_each_limb():
    text = "The Partner shall have:\n(a) a licence to the Data; and\n(b) exclusive access to it."
    assert _principles(text) == {3}


def test_negation_does_not_carry_into_the_next_sentence():
    assert _principles("The licence is non-exclusive. The Partner has exclusive access.") == {3}


def test_negation_does_not_carry_past_an_exception():
    assert _principles("No party has exclusive rights, except that the Partner has exclusivity.")


def test_double_negation_is_a_grant():
    assert _principles("Nothing in this Agreement prevents the Partner obtaining exclusive rights.")


def test_a_conditional_negation_still_contemplates_exclusivity():
    assert _principles("The licence shall not be exclusive unless the Trust agrees.") == {3}
    assert _principles("The licence shall not be exclusive, save as required by law.") == set()


def test_confidentiality_made_subject_to_transparency_is_accepted():
    text = (
        "Each party shall keep the terms of this Agreement confidential. This does not "
        "apply to anything the Transparency clause requires to be published."
    )
    assert scan_term(text, "t") == []


# -- library text ---------------------------------------------------------------------


def test_plain_text_reads_jinja_as_words():
    source = (
        "- [@a] {{ partner.name }} shall comply with clause {{ ref('non_exclusivity') }}.\n"
        "{% if draft %}\n- It is a draft.\n{% endif %}\n"
        "- **Notice** is given to {{ lead_nhs_party.name }} "
        "on {{ agreement.effective_date | date }}."
    )
    text = plain_text(source)
    assert "the Partner shall comply with clause non exclusivity." in text
    assert "Notice is given to the NHS Party on [value]." in text
    assert "{%" not in text and "[@a]" not in text


def test_a_fallback_position_granting_exclusivity_is_found():
    source = (
        "- Every right granted to {{ partner.name }} is non-exclusive, save that "
        "{{ partner.name }} shall have exclusive access to the Data for 24 months."
    )
    (problem,) = scan_library_text(source, "positions.p1.text")
    assert problem.path == "positions.p1.text" and problem.principle == 3


def test_the_shipped_library_passes_its_own_scanner(library):
    found = []
    for clause in library.clauses.values():
        texts = [clause.text] + [p.text for p in clause.positions] + list(clause.defines.values())
        for text in texts:
            found += [f"{clause.id}: {p.message}" for p in scan_library_text(text, clause.id)]
    for model in library.models.values():
        found += [f"{model.id}: {p.message}" for p in scan_library_text(model.schedule, model.id)]
    assert found == []


# -- through the deal spec --------------------------------------------------------------


def test_validation_refuses_an_exclusive_additional_term(deal, library):
    deal["clauses"] = {
        "additional_terms": [
            "The Partner shall provide quarterly progress reports.",
            "The NHS Party shall not make the Data available to any other company.",
        ]
    }
    # As a draft, so that the missing approvals of the terms are open items, not problems.
    with pytest.raises(SpecError) as caught:
        validate_spec(deal, library, source="deal.yaml", draft=True)
    problems = caught.value.problems
    assert [(p.path, p.principle) for p in problems] == [("clauses.additional_terms[1]", 3)]


def test_validation_accepts_careful_additional_terms(deal, library):
    deal["clauses"] = {"additional_terms": ACCEPTED[:20]}
    validate_spec(deal, library, source="deal.yaml", draft=True)


def test_the_cli_reports_the_term_and_the_principle(run, deal, write_spec, tmp_path):
    deal["clauses"] = {"additional_terms": ["The parties agree a six-month lock-out period."]}
    out = tmp_path / "c.docx"
    result = run("assemble", write_spec(deal), "-o", out)
    assert result.exit_code == 1
    assert "clauses.additional_terms[0]" in result.output
    assert "lock-out" in result.output and "principle 3" in result.output
    assert not out.exists()


# -- properties -------------------------------------------------------------------------

_SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_SETTINGS
@given(st.text(max_size=400))
def test_any_text_scans_without_error(text):
    for problem in scan_term(text, "t"):
        assert problem.path == "t" and problem.principle in (1, 2, 3, 4, 5)
        assert problem.message and problem.hint


_WORDS = st.sampled_from(
    "the partner nhs party trust shall not no nothing exclusive exclusively sole only "
    "first refusal preferred access data share with any other third region benefit "
    "notwithstanding clause transparency publish confidential existence agreement "
    "non licence license unless save that , ; : . ( )".split()
)


@_SETTINGS
@given(st.lists(_WORDS, max_size=60))
def test_word_salad_scans_without_error(words):
    scan_term(" ".join(words), "t")


def _retype(text: str, how: str) -> str:
    if how == "upper":
        return text.upper()
    if how == "title":
        return text.title()
    if how == "spaces":
        return text.replace(" ", "  \t ")
    if how == "curly":
        return text.replace("'", "\u2019")
    if how == "dashes":
        return text.replace("-", "\u2013")
    if how == "nbsp":
        return text.replace(" ", "\u00a0")
    if how == "spelling":
        return re.sub(
            "licen[cs]e", lambda m: "license" if m.group() == "licence" else "licence", text
        )
    raise AssertionError(how)


_HOW = st.sampled_from(["upper", "title", "spaces", "curly", "dashes", "nbsp", "spelling"])


@_SETTINGS
@given(st.sampled_from(REFUSED), _HOW)
def test_retyping_a_refused_term_does_not_let_it_through(case, how):
    text, principle = case
    assert principle in _principles(_retype(text, how))


@_SETTINGS
@given(st.sampled_from(ACCEPTED), _HOW)
def test_retyping_an_accepted_term_does_not_make_it_a_problem(text, how):
    assert _principles(_retype(text, how)) == set()
