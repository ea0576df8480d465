"""Benchmark: what a user waits for, process by process, against a bare docxtpl render.

Run from the repository root (or anywhere; it finds the toolkit it runs):

    python benchmarks/bench.py                 # the table
    python benchmarks/bench.py --rounds 9      # more rounds, steadier medians
    python benchmarks/bench.py --batch 200     # batch size (needs `assemble ... -o DIR/`)
    python benchmarks/bench.py --profile       # plus where one process spends its time

Everything is a whole process started from outside, because that is what a user pays:
interpreter start, imports, the library and its checks, the contract, the write and its
verification. The baseline is a whole process too (benchmarks/bare_render.py): import
docxtpl, render a template, save. Two baselines are built in the same run:

- ``bare-paragraphs``: a python-docx document holding the assembled contract's paragraphs
  (same number, same characters) as Jinja expressions over the same context;
- ``bare-package``: the assembled .docx itself as the template (the same parts and the
  same XML, so docxtpl does the same unzip, regex and re-zip work).

Rounds alternate the commands (in a rotating order) so that every command sees the same
machine load; each figure is a median, and each ratio is the median of per-round ratios.
"Warm" runs use a filled toolkit cache; "cold" runs get an empty cache folder each time
(NHS_CONTRACTS_CACHE_DIR), so they pay for checking the library and writing the cache.
Peak memory is the largest resident set of the command or any process it waited for (GNU
time, which starts each command, reports it; without it, wait4 on the command).
Besides `assemble`, the rows are: `validate` of the same spec (its texts screened
before, as when a lawyer validates, then assembles) and of a spec whose every sentence
is new (a new deal); `check` of the unchanged contract and of a returned turn with two
words changed (the second and later checks of a contract find its issued rendering in
the cache). No timing here is ever asserted by the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples" / "deals"
SPEC = EXAMPLES / "valid-royalty.yaml"
BARE = Path(__file__).resolve().parent / "bare_render.py"

# Targets (issue 13): seconds, or a ratio to the same-size bare render.
RATIO_TARGET = 1.5
TARGETS = {
    "validate": 0.5,
    "validate new": 0.5,
    "check": 0.5,
    "check edited": 0.5,
    "--help": 0.2,
    "library lint": 1.5,
}
BATCH_TARGET_PER_1000 = 60.0
TIME = shutil.which("time", path="/usr/bin:/bin")  # GNU time, for peak memory


@dataclass
class Sample:
    """One process run: wall and CPU seconds, peak resident MiB."""

    wall: float
    cpu: float
    peak_mib: float


@dataclass
class Series:
    """The runs of one command."""

    samples: list[Sample] = field(default_factory=list)

    def median(self, attribute: str) -> float:
        """Return the median of one measure over the runs."""
        return statistics.median(getattr(s, attribute) for s in self.samples)


def run_process(
    args: list[str], env: dict, cwd: Path, log: Path, allowed: tuple[int, ...] = (0,)
) -> Sample:
    """Run a whole process (output discarded, errors kept); return its costs."""
    actions = [
        (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
        (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
        (os.POSIX_SPAWN_OPEN, 2, str(log), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600),
    ]
    # Linux carries a process's peak memory across exec, so a command started straight
    # from this (larger) process would report this process's peak: GNU time, a small
    # program, starts it instead and reports the command's own peak (KiB).
    peak_file = log.with_name("peak.txt")
    launcher = [TIME, "-f", "%M", "-o", str(peak_file)] if TIME else []
    previous = os.getcwd()
    os.chdir(cwd)
    try:
        start = time.perf_counter()
        pid = os.posix_spawn((launcher or args)[0], launcher + args, env, file_actions=actions)
        _, status, usage = os.wait4(pid, 0)
        wall = time.perf_counter() - start
    finally:
        os.chdir(previous)
    code = os.waitstatus_to_exitcode(status)
    if code not in allowed:
        raise SystemExit(
            f"`{' '.join(args)}` exited with {code}:\n{log.read_text(errors='replace')[-3000:]}"
        )
    peak_kib = usage.ru_maxrss  # of the process and the children it waited for
    if launcher:
        peak_kib = int(peak_file.read_text().split()[-1])
    return Sample(wall, usage.ru_utime + usage.ru_stime, peak_kib / 1024)


def toolkit_command(env: dict) -> tuple[list[str], str]:
    """The console script if it runs this checkout's toolkit, else ``python -m toolkit``."""
    script = shutil.which("nhs-contracts", path=str(Path(sys.executable).parent))
    if script:
        found = subprocess.run(
            [sys.executable, "-c", "import toolkit; print(toolkit.__file__)"],
            env=env,
            cwd=tempfile.gettempdir(),
            capture_output=True,
            text=True,
        ).stdout.strip()
        if found and Path(found).resolve().parent.parent == REPO.resolve():
            return [script], "nhs-contracts (this checkout)"
        if found:
            return [script], f"nhs-contracts (installed: {Path(found).parent})"
    return [sys.executable, "-m", "toolkit"], "python -m toolkit (this checkout)"


def help_of(command: list[str], env: dict, *words: str) -> str:
    """Return a subcommand's --help text (to see which options this version has)."""
    result = subprocess.run(
        [*command, *words, "--help"], env=env, capture_output=True, text=True, check=False
    )
    return result.stdout


# -- the baselines ------------------------------------------------------------------------


def _as_expression(text: str, substitutions: list[tuple[str, str]]) -> str:
    """The paragraph as Jinja that renders to the same words."""
    jinja = text.replace("{", "\x01").replace("}", "\x02")
    used: list[str] = []
    for value, expression in substitutions:
        if value and value in jinja:
            # A token first, so that no later (shorter) value is replaced inside it.
            jinja = jinja.replace(value, f"\x03{len(used)}\x04")
            used.append("{{ " + expression + " }}")
    jinja = jinja.replace("\x01", "{{ '{' }}").replace("\x02", "{{ '}' }}")
    jinja = re.sub("\x03(\\d+)\x04", lambda m: used[int(m.group(1))], jinja)
    if not used:
        first, _, rest = jinja.partition(" ")
        safe = first.replace("\\", "\\\\").replace("'", "\\'")
        jinja = "{{ '" + safe + "' }}" + (" " + rest if rest else "")
    return jinja


def build_baselines(contract_docx: Path, folder: Path) -> tuple[Path, Path, Path, int, int]:
    """Write the two bare templates and their context; return paths and the contract's size."""
    import yaml
    from docx import Document

    from toolkit.docx.reader import read_contract

    deal = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    paragraphs = read_contract(contract_docx).paragraphs
    # The deal's own values, as a docxtpl program would be given them.
    context = json.loads(json.dumps(deal, default=str))
    substitutions = []
    for path, value in _leaves(context, ""):
        if isinstance(value, str) and len(value) >= 4:
            substitutions.append((value, path))
    substitutions.sort(key=lambda pair: -len(pair[0]))
    document = Document()
    for text in paragraphs:
        document.add_paragraph(_as_expression(text, substitutions))
    paragraphs_template = folder / "bare-paragraphs.docx"
    document.save(paragraphs_template)
    context_path = folder / "context.json"
    context_path.write_text(json.dumps(context), encoding="utf-8")
    package_template = folder / "bare-package.docx"
    shutil.copyfile(contract_docx, package_template)
    return (
        paragraphs_template,
        package_template,
        context_path,
        len(paragraphs),
        sum(len(text) for text in paragraphs),
    )


def _leaves(value, path: str):
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and key.isidentifier():
                yield from _leaves(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _leaves(item, f"{path}[{index}]")
    else:
        yield path, value


# -- the batch ------------------------------------------------------------------------------


def write_batch_specs(folder: Path, count: int) -> list[Path]:
    """Write ``count`` valid deal specs: the examples, each under new references."""
    import yaml

    sources = sorted(EXAMPLES.glob("valid-*.yaml"))
    folder.mkdir()
    written = []
    for number in range(count):
        source = sources[number % len(sources)]
        deal = yaml.safe_load(source.read_text(encoding="utf-8"))
        deal["agreement"]["reference"] = f"{deal['agreement']['reference']}-B{number:04d}"
        path = folder / f"{number:04d}-{source.stem}.yaml"
        path.write_text(yaml.safe_dump(deal, sort_keys=False, allow_unicode=True), "utf-8")
        written.append(path)
    return written


def write_fresh_specs(folder: Path, count: int) -> list[Path]:
    """Write ``count`` copies of the contract's deal spec, each with every free text new.

    The toolkit keeps what it screened before; a new deal's texts are new to it.
    """
    import yaml

    folder.mkdir()
    deal = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    written = []
    for number in range(count):
        path = folder / f"fresh-{number}.yaml"
        variant = _with_new_texts(deal, f"(variant {number} {os.getpid()})")
        path.write_text(yaml.safe_dump(variant, sort_keys=False, allow_unicode=True), "utf-8")
        written.append(path)
    return written


def _with_new_texts(value, mark: str):
    """Return the deal with a mark added to each sentence-like text (never to a name)."""
    if isinstance(value, dict):
        return {key: _with_new_texts(item, mark) for key, item in value.items()}
    if isinstance(value, list):
        return [_with_new_texts(item, mark) for item in value]
    if isinstance(value, str) and value.count(" ") >= 5 and value.rstrip().endswith("."):
        return f"{value.rstrip()[:-1]} {mark}."
    return value


def edit_contract(contract: Path, target: Path) -> Path:
    """Write a returned turn: one word changed in each of two clause paragraphs."""
    import zipfile

    with zipfile.ZipFile(contract) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    body = parts["word/document.xml"].decode("utf-8")
    for before, after in (("reasonable", "commercially reasonable"), (" promptly", " quickly")):
        body = body.replace(before, after, 1)
    parts["word/document.xml"] = body.encode("utf-8")
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            out.writestr(name, data)
    return target


# -- profile --------------------------------------------------------------------------------


def profile(command: list[str], env: dict, folder: Path, top: int) -> None:
    """Print the import-time and cProfile views of one warm `assemble` process."""
    out = folder / "profiled.docx"
    code = (
        "import sys, cProfile, pstats; from toolkit.cli import main; "
        f"sys.argv = ['nhs-contracts', 'assemble', {str(SPEC)!r}, '-o', {str(out)!r}, '--force']; "
        "p = cProfile.Profile(); p.enable()\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        f"p.disable(); pstats.Stats(p).sort_stats('cumulative').print_stats({top})"
    )
    print("\n== cProfile of one warm `assemble` process, by cumulative time ==")
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    print(result.stdout[-12000:])
    args = [sys.executable, "-X", "importtime", "-m", "toolkit", "validate", str(SPEC)]
    result = subprocess.run(args, env=env, capture_output=True, text=True)
    rows = []
    for line in result.stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)", line)
        if match:
            own, total, indent, name = match.groups()
            rows.append((int(total), int(own), len(indent) // 2, name))
    print("== python -X importtime: a warm `validate` ==")
    print(f"{'cumulative':>11} {'own':>8}  module")
    for total, own, depth, name in sorted(rows, reverse=True)[:top]:
        print(f"{total / 1000:9.1f}ms {own / 1000:6.1f}ms  {'  ' * depth}{name}")


# -- main ------------------------------------------------------------------------------------


def main() -> int:
    """Measure, then print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=7, help="runs of each command")
    parser.add_argument("--batch", type=int, default=200, help="specs in the batch (0: none)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="batch workers")
    parser.add_argument("--no-cold", action="store_true", help="skip the cold-cache runs")
    parser.add_argument("--profile", action="store_true", help="show where the time goes")
    parser.add_argument("--top", type=int, default=30, help="rows of each profile")
    options = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="nhs-bench-"))
    try:
        return _measure(options, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _measure(options, folder: Path) -> int:
    sys.path.insert(0, str(REPO))
    env = dict(os.environ)
    warm_cache = folder / "cache-warm"
    env["NHS_CONTRACTS_CACHE_DIR"] = str(warm_cache)
    env.pop("NHS_CONTRACTS_NO_CACHE", None)
    command, label = toolkit_command(env)
    log = folder / "stderr.txt"

    # A register of the bench's own, never the user's.
    env["NHS_CONTRACTS_REGISTER"] = str(folder / "register.sqlite")
    contract = folder / "contract.docx"
    run_process([*command, "assemble", str(SPEC), "-o", str(contract)], env, folder, log)
    para_template, package_template, context, paragraphs, characters = build_baselines(
        contract, folder
    )
    edited = edit_contract(contract, folder / "returned.docx")
    new_specs = write_fresh_specs(folder / "fresh-specs", options.rounds + 1)
    out = folder / "out.docx"
    python = [sys.executable]
    commands = {
        "assemble": [*command, "assemble", str(SPEC), "-o", str(out), "--force"],
        "bare-paragraphs": [*python, str(BARE), str(para_template), str(context), str(out)],
        "bare-package": [*python, str(BARE), str(package_template), str(context), str(out)],
        "validate": [*command, "validate", str(SPEC)],
        "validate new": [*command, "validate", str(new_specs[0])],
        "check": [*command, "check", str(contract)],
        "check edited": [*command, "check", str(edited)],
        "--help": [*command, "--help"],
        "models list": [*command, "models", "list"],
        "library lint": [*command, "library", "lint"],
        "python -c pass": [*python, "-c", "pass"],
    }
    toolkit_rows = set(commands) - {"bare-paragraphs", "bare-package", "python -c pass"}
    warm: dict[str, Series] = {name: Series() for name in commands}
    cold: dict[str, Series] = {name: Series() for name in toolkit_rows}
    # `check` and `library lint` report problems with exit code 1: still a full run.
    allowed = {
        name: (0, 1) if name.startswith(("check", "library lint")) else (0,) for name in commands
    }
    for name, args in commands.items():  # one warm-up each (fills the OS and toolkit caches)
        run_process(args, env, folder, log, allowed[name])
    names = list(commands)
    for round_number in range(options.rounds):
        # A deal spec whose texts the toolkit has not seen: what a new deal costs.
        commands["validate new"][-1] = str(new_specs[round_number + 1])
        shift = round_number % len(names)
        for name in names[shift:] + names[:shift]:
            warm[name].samples.append(run_process(commands[name], env, folder, log, allowed[name]))
            if name in cold and not options.no_cold:
                fresh = dict(env, NHS_CONTRACTS_CACHE_DIR=str(folder / f"cold-{round_number}"))
                cold[name].samples.append(
                    run_process(commands[name], fresh, folder, log, allowed[name])
                )
                shutil.rmtree(folder / f"cold-{round_number}", ignore_errors=True)

    def ratio(series: dict[str, Series], name: str, base: str) -> float:
        pairs = zip(series[name].samples, warm[base].samples, strict=False)
        return statistics.median(a.wall / b.wall for a, b in pairs)

    print(
        f"Contract: {SPEC.relative_to(REPO)}; {paragraphs} paragraphs, {characters:,} "
        f"characters of text. Toolkit run as: {label}. Python {sys.version.split()[0]}, "
        f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}."
    )
    print(
        f"Medians of {options.rounds} alternating rounds of whole processes "
        "(wall seconds; ratios are medians of per-round ratios).\n"
    )
    header = (
        f"{'command':<16}{'warm s':>8}{'CPU s':>8}{'cold s':>8}{'× bare-para':>13}"
        f"{'× bare-pkg':>12}{'peak MiB':>10}  target"
    )
    print(header)
    print("-" * len(header))
    for name in commands:
        series = warm[name]
        wall = series.median("wall")
        cold_wall = (
            f"{cold[name].median('wall'):8.3f}" if name in cold and cold[name].samples else " " * 8
        )
        para = f"{ratio(warm, name, 'bare-paragraphs'):13.2f}"
        package = f"{ratio(warm, name, 'bare-package'):12.2f}"
        target = ""
        if name == "assemble":
            verdict = "meets" if ratio(warm, name, "bare-paragraphs") <= RATIO_TARGET else "MISSES"
            target = f"≤ {RATIO_TARGET}× bare: {verdict}"
        elif name in TARGETS:
            verdict = "meets" if wall < TARGETS[name] else "MISSES"
            target = f"< {TARGETS[name]} s: {verdict}"
        print(
            f"{name:<16}{wall:8.3f}{series.median('cpu'):8.3f}{cold_wall}{para}{package}"
            f"{series.median('peak_mib'):10.1f}  {target}"
        )
    if cold["assemble"].samples:
        print(
            f"\nCold cache (first run after a library change): assemble is "
            f"{ratio(cold, 'assemble', 'bare-paragraphs'):.2f}× bare-paragraphs, "
            f"{ratio(cold, 'assemble', 'bare-package'):.2f}× bare-package."
        )

    if options.batch:
        _batch(options, command, env, folder, log, warm)
    if options.profile:
        profile(command, env, folder, options.top)
    return 0


def _batch(options, command, env, folder, log, warm) -> None:
    usage = help_of(command, env, "assemble")
    if "--jobs" not in usage:
        print("\nBatch: this version's `assemble` takes one spec (no --jobs); not measured.")
        return
    specs = write_batch_specs(folder / "batch-specs", options.batch)
    samples = []
    for attempt in range(2):
        target = folder / f"batch-out-{attempt}"
        target.mkdir()
        args = [*command, "assemble", *map(str, specs), "-o", f"{target}/"]
        args += ["--jobs", str(options.jobs)]
        samples.append(run_process(args, env, folder, log))
        written = len(list(target.glob("*.docx")))
        if written != len(specs):
            raise SystemExit(f"the batch wrote {written} contracts of {len(specs)}")
        shutil.rmtree(target)
    best = min(samples, key=lambda s: s.wall)
    per = best.wall / len(specs)
    bare = warm["bare-paragraphs"].median("wall")
    verdict = "meets" if per * 1000 < BATCH_TARGET_PER_1000 else "MISSES"
    print(
        f"\nBatch: {len(specs)} specs, --jobs {options.jobs}, one command (best of 2): "
        f"{best.wall:.1f} s wall, {best.cpu:.1f} s CPU, peak {best.peak_mib:.0f} MiB "
        f"(largest process).\n  {per * 1000:.0f} ms a contract = {per / bare:.3f}× one bare "
        f"render process; 1,000 contracts ≈ {per * 1000:.0f} s "
        f"(target < {BATCH_TARGET_PER_1000:.0f} s: {verdict})."
    )


if __name__ == "__main__":
    sys.exit(main())
