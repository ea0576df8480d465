"""NHS data-partnership contract toolkit: assemble contracts from an approved clause library."""

from __future__ import annotations

import importlib
from typing import Any

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


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'toolkit' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


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
