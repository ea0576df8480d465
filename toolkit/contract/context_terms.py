"""The render context of the additional (non-standard) terms: each term and its approval."""

from __future__ import annotations

from toolkit.contract.markup import OpenItem
from toolkit.spec.approvals import APPROVAL_FIELDS, term_approval, term_text

__all__ = ["additional_terms_context"]

_FIELD_NAMES = {
    "name": "approver",
    "role": "approver's role",
    "date": "date",
    "reference": "reference",
}


def additional_terms_context(doc: dict) -> dict:
    """Return each additional term's wording and approval, an open item where it is missing.

    A final contract never reaches here without complete approvals (toolkit.spec.approvals
    refuses it), so an open item can only appear in a --draft, where it marks what the
    NHS Party must still obtain before signing.
    """
    terms = doc["clauses"]["additional_terms"]
    approvals = []
    for number, term in enumerate(terms, start=1):
        approval = dict(term_approval(term) or {})
        missing = [key for key in APPROVAL_FIELDS if not approval.get(key)]
        if missing:
            what = ", ".join(_FIELD_NAMES[key] for key in missing)
            approval = {
                "open": OpenItem(
                    f"Approval of non-standard term {number} of the additional terms "
                    f"({what} missing)"
                )
            }
        approvals.append(approval)
    return {
        "additional_terms": [term_text(term) for term in terms],
        "additional_term_approvals": approvals,
    }
