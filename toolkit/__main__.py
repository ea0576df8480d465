"""Run the command line as ``python -m toolkit``."""

from toolkit.cli import cli

if __name__ == "__main__":
    cli(prog_name="nhs-contracts")
