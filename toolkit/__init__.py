"""NHS data-partnership contract toolkit: assemble contracts from an approved clause library."""

from __future__ import annotations

from toolkit.exceptions import (
    ContractReadError,
    ConversionError,
    GuaranteeError,
    LibraryError,
    OutputError,
    Problem,
    RenderError,
    SpecError,
    ToolkitError,
)
from toolkit.lazy import lazy_names

__version__ = "0.1.0"

# The rest of the API loads on first use, so that `nhs-contracts --help` stays fast.
_LAZY = {
    "AssemblyResult": "toolkit.api",
    "assemble": "toolkit.api",
    "prepare_contract": "toolkit.api",
    "Library": "toolkit.library",
    "load_library": "toolkit.library",
    "DealSpec": "toolkit.spec",
    "load_spec": "toolkit.spec",
    "validate_spec": "toolkit.spec",
    "CheckReport": "toolkit.check",
    "check_contract": "toolkit.check",
    "LintReport": "toolkit.library.lint",
    "lint_library": "toolkit.library.lint",
}


__getattr__ = lazy_names(__name__, _LAZY)


__all__ = [
    "AssemblyResult",
    "CheckReport",
    "ContractReadError",
    "ConversionError",
    "DealSpec",
    "GuaranteeError",
    "Library",
    "LibraryError",
    "LintReport",
    "OutputError",
    "Problem",
    "RenderError",
    "SpecError",
    "ToolkitError",
    "__version__",
    "assemble",
    "check_contract",
    "lint_library",
    "load_library",
    "load_spec",
    "prepare_contract",
    "validate_spec",
]
