"""The command group, its error funnel, and the options and helpers every command shares."""

from __future__ import annotations

import io
import json
import os
import sys
from pathlib import Path

import click

from toolkit import __version__
from toolkit.exceptions import ProblemsError, ToolkitError

_JSON = "toolkit.json"  # ctx.meta key: the running command reports as JSON
_DEBUG = "toolkit.debug"  # ctx.meta key: show tracebacks of unexpected errors
_REGISTER = "toolkit.register"  # ctx.meta key: the register path given with --register

library_option = click.option(
    "--library",
    "library_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Clause library folder (default: the library shipped with the toolkit).",
)


def _remember_json(ctx: click.Context, _param: click.Parameter, value: bool) -> bool:
    # Eager, so the funnel knows to answer in JSON even when a later option fails.
    if value:
        ctx.meta[_JSON] = True
    return value


json_option = click.option(
    "--json",
    "as_json",
    is_flag=True,
    is_eager=True,
    callback=_remember_json,
    help="Report as JSON.",
)


def emit_json(value) -> None:
    """Print a value as indented JSON."""
    click.echo(json.dumps(value, indent=2, ensure_ascii=False, default=str))


def _silence_stdout() -> None:
    """Point stdout at the null device so that the interpreter's last flush cannot fail."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        pass


class ToolkitGroup(click.Group):
    """A command group whose every command reports errors the same way.

    A toolkit error becomes a clear message on stderr (or, under --json, a JSON error
    object on stdout) with exit code 1; a closed output pipe ends quietly; any other
    exception is an internal error whose traceback --debug (or NHS_CONTRACTS_DEBUG=1)
    shows. Built once here so that no command can forget it.
    """

    group_class = type  # subgroups are ToolkitGroups too

    def invoke(self, ctx: click.Context):
        """Run the command, turning every error into the toolkit's report of it."""
        try:
            return super().invoke(ctx)
        except ToolkitError as exc:
            if ctx.meta.get(_JSON):
                emit_json(
                    {
                        "ok": False,
                        "error": exc.summary() if isinstance(exc, ProblemsError) else str(exc),
                        "source": getattr(exc, "source", None),
                        "problems": [p.as_dict() for p in getattr(exc, "problems", [])],
                    }
                )
                ctx.exit(1)
            raise click.ClickException(str(exc)) from None
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit):
            raise
        except BrokenPipeError:
            _silence_stdout()
            sys.exit(141)  # as if killed by SIGPIPE, which is what a reader closing expects
        except Exception as exc:
            if ctx.meta.get(_DEBUG):
                raise
            message = (
                f"internal error ({type(exc).__name__}: {exc}); nothing was written; "
                "run with --debug (or NHS_CONTRACTS_DEBUG=1) to see the traceback, "
                "and report it with the input that caused it."
            )
            if ctx.meta.get(_JSON):
                emit_json({"ok": False, "error": message, "source": None, "problems": []})
                ctx.exit(1)
            raise click.ClickException(message) from None

    def main(self, *args, **kwargs):
        """Run the command line; flush output here so that a closed pipe ends quietly."""
        try:
            try:
                return super().main(*args, **kwargs)
            finally:
                sys.stdout.flush()
        except BrokenPipeError:
            _silence_stdout()
            sys.exit(141)


def load_library_at(library_dir: Path | None):
    """Load the library given with --library, or the shipped one."""
    from toolkit.library import load_library

    return load_library(library_dir)


def current_register_path() -> Path | None:
    """Return the register given with --register, or None for the default one."""
    ctx = click.get_current_context(silent=True)
    return ctx.meta.get(_REGISTER) if ctx is not None else None


def _set_debug(ctx: click.Context, _param: click.Parameter, value: bool) -> bool:
    if value:
        ctx.meta[_DEBUG] = True
    return value


def _set_no_cache(ctx: click.Context, param: click.Parameter, value: bool) -> bool:
    if value:
        from toolkit.cache import NO_CACHE_ENV, disable

        disable()
        os.environ[NO_CACHE_ENV] = "1"  # and in any worker process a batch starts
    return value


@click.group(cls=ToolkitGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="nhs-contracts")
@click.option(
    "--debug",
    is_flag=True,
    is_eager=True,
    envvar="NHS_CONTRACTS_DEBUG",
    callback=_set_debug,
    expose_value=False,
    help="Show the traceback of an unexpected error (also NHS_CONTRACTS_DEBUG=1).",
)
@click.option(
    "--register",
    "register_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Register of issued contracts (SQLite; default: in your data folder, "
    "or NHS_CONTRACTS_REGISTER).",
)
@click.option(
    "--no-cache",
    is_flag=True,
    is_eager=True,
    callback=_set_no_cache,
    expose_value=False,
    help="Check the library afresh instead of using the cache of checked libraries "
    "(also NHS_CONTRACTS_NO_CACHE=1).",
)
@click.pass_context
def cli(ctx: click.Context, register_path: Path | None) -> None:
    """Assemble NHS data-partnership contracts from the approved clause library.

    Every contract carries the clauses national policy demands: quantified
    patient benefit, non-exclusivity, transparency, fair value and legal
    compliance. Exit codes: 0 done; 1 refused or problems found; 2 usage error.
    """
    if register_path is not None:
        ctx.meta[_REGISTER] = register_path


def write_text(text: str, output: Path | None, force: bool, what: str) -> None:
    """Print a skeleton, or write it to ``output`` (never over a deal spec)."""
    if output is None:
        click.echo(text, nl=False)
        return
    from toolkit.api import write_skeleton

    write_skeleton(text, output, force=force)
    click.echo(f"Wrote {output}: {what}.")
