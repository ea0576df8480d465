"""Benchmark: the cost of assembling a contract against a bare docxtpl render.

Run from the repository root:

    python benchmarks/bench.py            # the figures
    python benchmarks/bench.py --profile  # plus where the time goes

Targets (PRODUCT.md, "How good is good enough"):
- assembling a ~40-clause contract costs at most 1.5 times a bare docxtpl render of a
  document of the same size (same paragraphs and characters of Jinja-bearing text,
  rendered with the same context);
- `nhs-contracts --help` answers in well under 0.2 s.

Measured in one process: validation and assembly (toolkit.api.prepare_contract), the
Word rendering (toolkit.docx.package.render_docx) and the atomic write with its read-back
check (toolkit.output.write_atomically + toolkit.api.verify_docx), with the library
loaded once beforehand (its load time is reported separately). Also measured, as
subprocesses: `nhs-contracts --help` and a whole `nhs-contracts assemble`.
"""

from __future__ import annotations

import argparse
import copy
import io
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

BASE_DEAL = REPO / "tests" / "fixtures" / "valid-royalty.yaml"
TARGET_CLAUSES = 40
RATIO_TARGET = 1.5
HELP_TARGET = 0.2


def _median(times: list[float]) -> float:
    return statistics.median(times)


def _timed(function, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return times


# -- the deal ------------------------------------------------------------------------


def build_deal(library, folder: Path) -> tuple[Path, int]:
    """Write a royalty deal whose contract has at least TARGET_CLAUSES clauses."""
    import yaml

    from toolkit.api import prepare_contract
    from toolkit.exceptions import ToolkitError

    deal = yaml.safe_load(BASE_DEAL.read_text(encoding="utf-8"))
    spec = folder / "deal.yaml"

    def write(data) -> int:
        spec.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
        return len(prepare_contract(spec, library).clauses)

    count = write(deal)
    if count < TARGET_CLAUSES:
        models = {deal["partnership_model"]}
        optional = sorted(
            clause.id
            for clause in library.clauses.values()
            if not clause.in_every_contract
            and not clause.is_schedule
            and clause.status == "approved"
            and clause.usable_with(models)
        )
        included: list[str] = []
        for clause_id in optional:
            trial = copy.deepcopy(deal)
            trial.setdefault("clauses", {})["include"] = included + [clause_id]
            try:
                count = write(trial)
            except ToolkitError:  # a clause this deal cannot take; skip it
                continue
            included.append(clause_id)
            deal = trial
            if count >= TARGET_CLAUSES:
                break
        count = write(deal)
    return spec, count


# -- the two things compared ---------------------------------------------------------


def toolkit_assembly(spec: Path, library, out: Path):
    """One in-process assembly, as `nhs-contracts assemble --force` does it."""
    from toolkit import __version__
    from toolkit.api import prepare_contract, verify_docx
    from toolkit.docx.package import render_docx
    from toolkit.output import write_atomically

    def run(parts: dict | None = None):
        start = time.perf_counter()
        contract = prepare_contract(spec, library)
        prepared = time.perf_counter()
        data = render_docx(contract, __version__)
        rendered = time.perf_counter()
        if out.exists():
            out.unlink()
        write_atomically(out, data, verify=lambda path: verify_docx(contract, path))
        written = time.perf_counter()
        if parts is not None:
            parts["prepare"].append(prepared - start)
            parts["render"].append(rendered - prepared)
            parts["write+verify"].append(written - rendered)
        return contract

    return run


def _as_expression(text: str, substitutions: list[tuple[str, str]]) -> str:
    """The paragraph as Jinja that renders to the same words."""
    jinja = text.replace("{", "{{ '{' }}").replace("}", "{{ '}' }}")
    used = False
    for value, expression in substitutions:
        if value and value in jinja:
            jinja = jinja.replace(value, "{{ " + expression + " }}")
            used = True
    if not used:
        first, _, rest = jinja.partition(" ")
        safe = first.replace("\\", "\\\\").replace("'", "\\'")
        jinja = "{{ '" + safe + "' }}" + (" " + rest if rest else "")
    return jinja


def bare_docxtpl(contract, written: Path, out: Path):
    """A bare docxtpl render of a document of the same size, with the same context."""
    from docx import Document
    from docxtpl import DocxTemplate
    from jinja2 import Environment

    from toolkit.docx.reader import read_contract

    paragraphs = read_contract(written).paragraphs
    context = contract.context
    substitutions = sorted(
        (
            (str(value), expression)
            for value, expression in [
                (context["partner"]["name"], "partner.name"),
                (context["lead_nhs_party"]["name"], "lead_nhs_party.name"),
                (context["agreement"]["reference"], "agreement.reference"),
                (context["agreement"]["title"], "agreement.title"),
                (context["purpose"]["aim"], "purpose.aim"),
                (context["data"]["description"], "data.description"),
            ]
            + [
                (benefit[key], f"benefits[{index}].{key}")
                for index, benefit in enumerate(context["benefits"])
                for key in ("description", "measure", "target")
            ]
        ),
        key=lambda pair: -len(pair[0]),
    )
    document = Document()
    for text in paragraphs:
        document.add_paragraph(_as_expression(text, substitutions))
    buffer = io.BytesIO()
    document.save(buffer)
    template_bytes = buffer.getvalue()
    environment = Environment(autoescape=True)  # noqa: S701 - autoescaped; a baseline

    def run():
        template = DocxTemplate(io.BytesIO(template_bytes))
        template.render(context, jinja_env=environment)
        result = io.BytesIO()
        template.save(result)
        out.write_bytes(result.getvalue())

    return run, len(paragraphs), sum(len(text) for text in paragraphs)


# -- subprocesses --------------------------------------------------------------------


def _command(env: dict) -> tuple[list[str], str]:
    """The console script if it runs this checkout's toolkit, else ``python -m toolkit``."""
    script = Path(sys.executable).with_name("nhs-contracts")
    if script.exists():
        found = subprocess.run(
            [sys.executable, "-c", "import toolkit; print(toolkit.__file__)"],
            env=env,
            cwd=tempfile.gettempdir(),
            capture_output=True,
            text=True,
        ).stdout.strip()
        if found and Path(found).resolve() == (REPO / "toolkit" / "__init__.py").resolve():
            return [str(script)], "nhs-contracts"
    return [sys.executable, "-m", "toolkit"], "python -m toolkit (this checkout)"


def _environment(bytecode: bool, cache: Path) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    if bytecode:
        # As an installed toolkit runs: compiled modules cached (outside the repository).
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(cache)
    else:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env["PYTHONPYCACHEPREFIX"] = str(cache / "never-written")
    return env


def time_process(args: list[str], runs: int, env: dict) -> list[float]:
    subprocess.run(args, env=env, capture_output=True, check=True)  # warm the caches
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(args, env=env, capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return times


# -- profiling ---------------------------------------------------------------------------


def profile_assembly(run, top: int) -> None:
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(3):
        run()
    profiler.disable()
    stats = pstats.Stats(profiler, stream=sys.stdout)
    print("\n== cProfile, 3 in-process assemblies, by cumulative time (toolkit code) ==")
    stats.sort_stats("cumulative").print_stats(r"toolkit/", top)
    print("== by own time (all code) ==")
    stats.sort_stats("tottime").print_stats(top)


def profile_imports(env: dict, top: int) -> None:
    args = [sys.executable, "-X", "importtime", "-c", "import toolkit.cli"]
    subprocess.run(args, env=env, capture_output=True, check=True, cwd=tempfile.gettempdir())
    result = subprocess.run(
        args, env=env, capture_output=True, text=True, check=True, cwd=tempfile.gettempdir()
    )
    rows = []
    for line in result.stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)", line)
        if match:
            own, total, indent, name = match.groups()
            rows.append((int(total), int(own), len(indent) // 2, name))
    print("\n== python -X importtime -c 'import toolkit.cli' (what --help pays for) ==")
    print(f"{'cumulative':>11} {'own':>8}  module")
    for total, own, depth, name in sorted(rows, reverse=True)[:top]:
        print(f"{total / 1000:9.1f}ms {own / 1000:6.1f}ms  {'  ' * depth}{name}")


# -- main --------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=15, help="in-process repetitions")
    parser.add_argument("--process-runs", type=int, default=10, help="subprocess repetitions")
    parser.add_argument("--library", type=Path, default=None, help="clause library folder")
    parser.add_argument("--profile", action="store_true", help="show where the time goes")
    parser.add_argument("--top", type=int, default=25, help="rows of each profile")
    options = parser.parse_args()

    from toolkit.library import load_library

    folder = Path(tempfile.mkdtemp(prefix="nhs-bench-"))
    try:
        load_times = _timed(lambda: load_library(options.library), 5)
        library = load_library(options.library)
        spec, clause_count = build_deal(library, folder)
        out = folder / "contract.docx"
        assembly = toolkit_assembly(spec, library, out)
        contract = assembly()  # warm-up (and the file the baseline copies)
        bare, paragraphs, characters = bare_docxtpl(contract, out, folder / "bare.docx")
        bare()  # warm-up

        parts = {"prepare": [], "render": [], "write+verify": []}
        toolkit_times, bare_times = [], []
        for _ in range(options.runs):  # interleaved, so both see the same machine load
            toolkit_times += _timed(lambda: assembly(parts), 1)
            bare_times += _timed(bare, 1)
        ratio = _median(toolkit_times) / _median(bare_times)

        cache = folder / "pycache"
        command, label = _command(_environment(True, cache))
        help_warm = time_process(
            command + ["--help"], options.process_runs, _environment(True, cache)
        )
        help_cold = time_process(
            command + ["--help"], options.process_runs, _environment(False, cache)
        )
        python_start = time_process(
            [sys.executable, "-c", "pass"], options.process_runs, _environment(True, cache)
        )
        whole = time_process(
            command
            + ["assemble", str(spec), "-o", str(folder / "cli.docx"), "--force"]
            + (["--library", str(options.library)] if options.library else []),
            max(3, options.process_runs // 2),
            _environment(True, cache),
        )

        print(
            f"Contract: {len(contract.clauses)} clauses and {len(contract.schedules)} "
            f"schedules ({clause_count} clauses counted by the deal builder); "
            f"{paragraphs} paragraphs, {characters} characters of text."
        )
        print(
            f"Medians of {options.runs} in-process runs (library loaded once: "
            f"{_median(load_times) * 1000:.0f} ms to load):"
        )
        print(f"  toolkit assembly     {_median(toolkit_times) * 1000:8.1f} ms")
        for name, times in parts.items():
            print(f"    {name:<18} {_median(times) * 1000:8.1f} ms")
        print(f"  bare docxtpl render  {_median(bare_times) * 1000:8.1f} ms")
        verdict = "meets" if ratio <= RATIO_TARGET else "MISSES"
        print(f"  ratio                {ratio:8.2f}   ({verdict} the target of {RATIO_TARGET})")
        print(f"Medians of {options.process_runs} processes:")
        help_verdict = "meets" if _median(help_warm) < HELP_TARGET else "MISSES"
        print(
            f"  nhs-contracts --help {_median(help_warm) * 1000:8.1f} ms   "
            f"({help_verdict} the target of {HELP_TARGET * 1000:.0f} ms; bytecode cached)"
        )
        print(
            f"  ... without bytecode {_median(help_cold) * 1000:8.1f} ms   "
            "(PYTHONDONTWRITEBYTECODE: every module compiled each run)"
        )
        print(
            f"  python -c pass       {_median(python_start) * 1000:8.1f} ms   "
            "(the interpreter's own start-up)"
        )
        print(f"  assemble, whole process {_median(whole) * 1000:5.1f} ms")
        print(f"  (processes run: {label})")

        if options.profile:
            profile_assembly(lambda: assembly(), options.top)
            profile_imports(_environment(True, cache), options.top)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
