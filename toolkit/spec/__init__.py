"""The deal spec: loading, schema and principle checks, skeletons.

``DealSpec`` and its helpers are light; the checks (and what they import) are loaded
only when first asked for, so that reading an assembled contract does not load them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from toolkit.lazy import lazy_names
from toolkit.spec.deal import DealSpec, canonical_json, end_of_term

if TYPE_CHECKING:
    from toolkit.spec.checks import DSPT_ACCEPTED, is_quantified, load_spec, validate_spec

_LAZY = {
    "DSPT_ACCEPTED": "toolkit.spec.checks",
    "is_quantified": "toolkit.spec.checks",
    "load_spec": "toolkit.spec.checks",
    "validate_spec": "toolkit.spec.checks",
}


__getattr__ = lazy_names(__name__, _LAZY)


__all__ = [
    "DSPT_ACCEPTED",
    "DealSpec",
    "canonical_json",
    "end_of_term",
    "is_quantified",
    "load_spec",
    "validate_spec",
]
