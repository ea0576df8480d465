"""The `nhs-contracts` command line: each command calls one library function.

The group and its error funnel are in `group`; the commands are registered by
importing the modules that define them.
"""

from __future__ import annotations

from toolkit.cli import browse, contracts, value  # noqa: F401 - they register the commands
from toolkit.cli.group import cli

__all__ = ["cli", "main"]


def main() -> None:
    """Entry point of the console script."""
    cli(prog_name="nhs-contracts")
