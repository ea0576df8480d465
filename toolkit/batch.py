"""Batch assembly: many deal specs, one contract each, into one folder, optionally in parallel.

The library is loaded and warmed (by assembling the first spec) in this process before
any worker starts, so that forked workers share it instead of loading it again. A
refused spec is reported with its reasons and does not stop the batch. Each worker
records its contracts in the register itself; the register is safe for that.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from toolkit.exceptions import OutputError, ToolkitError
from toolkit.library import Library
from toolkit.output import FileSet, check_target, same_file

SPEC_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class BatchItem:
    """One deal spec of a batch and the contract it is to become."""

    spec: Path
    docx: Path


@dataclass(frozen=True)
class Outcome:
    """What became of one deal spec: written (with its details) or refused (with reasons)."""

    spec: Path
    docx: Path
    written: dict | None = None  # AssemblyResult.as_dict() when written
    error: str = ""
    problems: tuple[dict, ...] = ()

    @property
    def ok(self) -> bool:
        """Whether the contract was written."""
        return self.written is not None


@dataclass
class BatchResult:
    """Every outcome of a batch, in the order of the specs, and any PDF failure."""

    outcomes: list[Outcome] = field(default_factory=list)
    pdf_error: str = ""
    pdfs: list[Path] = field(default_factory=list)

    @property
    def written(self) -> list[Outcome]:
        """The outcomes whose contract was written."""
        return [o for o in self.outcomes if o.ok]

    @property
    def refused(self) -> list[Outcome]:
        """The outcomes whose spec was refused."""
        return [o for o in self.outcomes if not o.ok]

    @property
    def ok(self) -> bool:
        """Whether every contract (and every PDF asked for) was written."""
        return not self.refused and not self.pdf_error

    def as_dict(self) -> dict:
        """Return the summary as a JSON-ready mapping."""
        return {
            "ok": self.ok,
            "written": [{"spec": str(o.spec), **(o.written or {})} for o in self.written],
            "refused": [
                {"spec": str(o.spec), "error": o.error, "problems": list(o.problems)}
                for o in self.refused
            ],
            "pdf_error": self.pdf_error or None,
        }


def expand_specs(paths: Iterable[str | os.PathLike]) -> list[Path]:
    """Return the deal specs named, a folder standing for its .yaml and .yml files."""
    specs: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix in SPEC_SUFFIXES and p.is_file())
            if not found:
                raise OutputError(f"{path}: a folder with no deal specs (.yaml) in it.")
            specs += found
        else:
            specs.append(path)
    return specs


def plan_batch(specs: list[Path], folder: Path, *, force: bool, pdf: bool) -> list[BatchItem]:
    """Name each spec's contract in ``folder`` after the spec; refuse clashes before writing."""
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{folder}: is a file; a batch writes into a folder.")
    if not folder.parent.is_dir():
        raise OutputError(f"{folder}: the folder {folder.parent} does not exist; nothing written.")
    folder.mkdir(exist_ok=True)
    items: list[BatchItem] = []
    taken: dict[str, Path] = {}
    inputs = FileSet(specs)
    for spec in specs:
        docx = folder / f"{spec.stem}.docx"
        if docx.name in taken:
            if same_file(taken[docx.name], spec):
                raise OutputError(f"{spec}: given twice; nothing written.")
            raise OutputError(
                f"{spec} and {taken[docx.name]} would both be written to {docx}; "
                "rename one of them. Nothing written."
            )
        taken[docx.name] = spec
        targets = [docx, docx.with_suffix(".pdf")] if pdf else [docx]
        for target in targets:
            check_target(target, force=force, inputs=inputs)
        items.append(BatchItem(spec, docx))
    return items


# The worker's state: set once per process, before the first item (inherited on fork).
_STATE: dict = {}


def _start_worker(
    library: Library,
    draft: bool,
    force: bool,
    register_path,
    gc_threshold: tuple[int, ...] | None = None,
) -> None:
    from toolkit.register import open_register

    if gc_threshold is not None:  # a spawned worker collects garbage as its parent does
        gc.set_threshold(*gc_threshold)
    _STATE.update(library=library, draft=draft, force=force)
    _STATE["register"] = open_register(register_path)


def _assemble_one(item: BatchItem) -> Outcome:
    from toolkit.api import assemble

    try:
        result = assemble(
            item.spec,
            item.docx,
            library=_STATE["library"],
            draft=_STATE["draft"],
            force=_STATE["force"],
            register=_STATE["register"],
        )
    except ToolkitError as exc:
        summary = getattr(exc, "summary", None)
        return Outcome(
            item.spec,
            item.docx,
            error=summary() if callable(summary) else str(exc),
            problems=tuple(p.as_dict() for p in getattr(exc, "problems", [])),
        )
    return Outcome(item.spec, item.docx, written=result.as_dict())


def assemble_batch(
    items: list[BatchItem],
    library: Library,
    *,
    draft: bool = False,
    force: bool = False,
    pdf: bool = False,
    jobs: int = 1,
    register_path: str | os.PathLike | None = None,
    progress: Callable[[Outcome], None] | None = None,
) -> BatchResult:
    """Assemble every item, ``jobs`` at a time; report each outcome to ``progress``."""
    by_spec: dict[BatchItem, Outcome] = {}
    for outcome in _outcomes(items, library, draft, force, jobs, register_path):
        by_spec[BatchItem(outcome.spec, outcome.docx)] = outcome
        if progress is not None:
            progress(outcome)
    result = BatchResult([by_spec[item] for item in items])
    written = [o.docx for o in result.written]
    if pdf and written:
        from toolkit.pdf import convert_to_pdf

        try:  # one LibreOffice start for the whole batch
            result.pdfs = convert_to_pdf(written, force=force)
        except ToolkitError as exc:
            result.pdf_error = str(exc)
    return result


def _outcomes(
    items: list[BatchItem], library: Library, draft: bool, force: bool, jobs: int, register_path
) -> Iterator[Outcome]:
    if not items:
        return
    _start_worker(library, draft, force, register_path)
    try:
        # The first contract is made here: it warms the caches the forked workers inherit.
        yield _assemble_one(items[0])
        rest = items[1:]
        if jobs <= 1 or len(rest) <= 1:
            yield from map(_assemble_one, rest)
            return
    finally:
        _STATE.pop("register").close()
    context = _pool_context()
    # What forked workers inherit (the warmed library) is never garbage: frozen, their
    # collections skip it (Python's gc.freeze, meant for this). Only a freeze made here
    # is undone.
    freeze = context.get_start_method() == "fork" and gc.get_freeze_count() == 0
    if freeze:
        gc.freeze()
    try:
        with ProcessPoolExecutor(
            max_workers=min(jobs, len(rest)),
            mp_context=context,
            initializer=_start_worker,
            initargs=(library, draft, force, register_path, gc.get_threshold()),
        ) as pool:
            futures = [pool.submit(_assemble_one, item) for item in rest]
            for future in as_completed(futures):
                yield future.result()
    finally:
        if freeze:
            gc.unfreeze()


def _pool_context():
    # fork shares the loaded, warmed library; elsewhere each worker gets a pickled copy.
    if "fork" in multiprocessing.get_all_start_methods() and sys.platform != "darwin":
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


class Progress:
    """Show a batch's progress: a bar on a terminal, plain lines otherwise, nothing if quiet."""

    def __init__(self, total: int, *, stream: TextIO | None = None, quiet: bool = False):
        self.total = total
        self.done = 0
        self.stream = stream if stream is not None else sys.stderr
        self.quiet = quiet
        self._bar = None
        if not quiet and self.stream.isatty():
            from rich.console import Console
            from rich.progress import Progress as Bar

            self._bar = Bar(console=Console(file=self.stream), transient=True)
            self._task = self._bar.add_task("Assembling", total=total)
            self._bar.start()

    def __call__(self, outcome: Outcome) -> None:
        """Report one outcome."""
        self.done += 1
        if self.quiet:
            return
        if self._bar is not None:
            self._bar.update(self._task, advance=1)
            return
        verdict = f"wrote {outcome.docx}" if outcome.ok else "refused"
        self.stream.write(f"[{self.done}/{self.total}] {outcome.spec}: {verdict}\n")
        self.stream.flush()

    def close(self) -> None:
        """Remove the bar, if there is one."""
        if self._bar is not None:
            self._bar.stop()
