"""The `nhs-contracts` command line: each command calls one library function.

The group and its error funnel are in `group`; the commands are registered by
importing the modules that define them.
"""

from __future__ import annotations

import gc

from toolkit.cli import browse, contracts, value  # noqa: F401 - they register the commands
from toolkit.cli.group import cli

__all__ = ["cli", "main"]


def main() -> None:
    """Entry point of the console script."""
    try:
        cli(prog_name="nhs-contracts")
    finally:
        # The process is ending: spare the interpreter's shutdown its full garbage
        # collections over every object the command made (about 0.1 s of a command).
        # Exit handlers still run and output is still flushed.
        gc.freeze()
