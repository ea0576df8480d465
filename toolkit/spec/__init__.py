"""The deal spec: loading, schema and principle checks, skeletons."""

from toolkit.spec.checks import (
    DSPT_ACCEPTED,
    DealSpec,
    canonical_json,
    end_of_term,
    is_quantified,
    load_spec,
    validate_spec,
)

__all__ = [
    "DSPT_ACCEPTED",
    "DealSpec",
    "canonical_json",
    "end_of_term",
    "is_quantified",
    "load_spec",
    "validate_spec",
]
