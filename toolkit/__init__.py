"""NHS data-partnership contract toolkit: assemble contracts from an approved clause library."""

__version__ = "0.1.0"

from toolkit.exceptions import (  # noqa: E402
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
from toolkit.library import Library, load_library  # noqa: E402
from toolkit.main import AssemblyResult, assemble, prepare_contract  # noqa: E402
from toolkit.spec import DealSpec, load_spec, validate_spec  # noqa: E402

__all__ = [
    "AssemblyResult",
    "ContractReadError",
    "ConversionError",
    "DealSpec",
    "GuaranteeError",
    "Library",
    "LibraryError",
    "OutputError",
    "Problem",
    "RenderError",
    "SpecError",
    "ToolkitError",
    "__version__",
    "assemble",
    "load_library",
    "load_spec",
    "prepare_contract",
    "validate_spec",
]
