"""The `nhs-contracts` command line: each command calls one library function.

The group and its error funnel are in `group`; the commands are registered by
importing the modules that define them.
"""

from __future__ import annotations

import gc

# A command makes many objects, few of them in cycles, and soon ends: collecting as
# often as Python does by default cost it 20 to 100 ms. Set before the imports, which
# make most of them. A batch, which runs long, goes back to the setting found here.
ORIGINAL_GC_THRESHOLD = gc.get_threshold()
COMMAND_GC_THRESHOLD = (100_000, 10, 10)
gc.set_threshold(*COMMAND_GC_THRESHOLD)

from toolkit.cli import browse, contracts, value  # noqa: E402, F401 - they register the commands
from toolkit.cli.group import cli  # noqa: E402

__all__ = ["COMMAND_GC_THRESHOLD", "ORIGINAL_GC_THRESHOLD", "cli", "main"]


def main() -> None:
    """Entry point of the console script."""
    try:
        cli(prog_name="nhs-contracts")
    finally:
        # The process is ending: spare the interpreter's shutdown its full garbage
        # collections over every object the command made (about 0.1 s of a command).
        # Exit handlers still run and standard output and error are still flushed; only
        # objects in reference cycles go unfinalised (files are closed by `with`).
        gc.freeze()
