"""The private cache of checked libraries, scan results and compiled clause texts."""

from __future__ import annotations

import hashlib
import os
import pathlib
import pickle
import subprocess
import sys
from pathlib import Path

import cerberus.schema
import pytest

from toolkit import cache
from toolkit.library import load_library, schemas
from toolkit.spec import schema as spec_schema

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    """An empty private cache folder of this test's own."""
    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.CACHE_DIR_ENV, str(folder))
    return folder


def _library_entry(folder: Path) -> Path:
    (entry,) = folder.glob("library-*.pickle")
    return entry


def _same_library(a, b) -> bool:
    return (
        a.content_hash == b.content_hash
        and a.clauses == b.clauses
        and a.models.keys() == b.models.keys()
        and a.lock == b.lock
    )


def test_a_library_is_checked_once_then_read_from_the_cache(cache_dir, library_copy, monkeypatch):
    first = load_library(library_copy)
    assert _library_entry(cache_dir).stat().st_mode & 0o777 == 0o600
    assert cache_dir.stat().st_mode & 0o777 == 0o700

    def refuse(*args, **kwargs):
        raise AssertionError("the library was checked again")

    monkeypatch.setattr(schemas, "validate", refuse)
    assert _same_library(load_library(library_copy), first)


@pytest.mark.parametrize(
    "damage",
    [
        lambda blob: blob[: len(blob) // 2],  # truncated
        lambda blob: blob[:-10] + b"0123456789",  # altered at the end
        lambda blob: b"",  # emptied
        lambda blob: blob.replace(cache.FORMAT, b"nhs-contracts-cache 0\n", 1),  # old format
    ],
    ids=["truncated", "altered", "empty", "other-format"],
)
def test_a_damaged_entry_is_ignored_and_rebuilt(cache_dir, library_copy, damage):
    first = load_library(library_copy)
    entry = _library_entry(cache_dir)
    entry.write_bytes(damage(entry.read_bytes()))
    assert _same_library(load_library(library_copy), first)
    # ... and rewritten whole.
    assert cache.load(entry.stem, entry.read_bytes().split(b"\n")[1].decode()) is not None


def test_an_entry_that_is_not_a_pickle_is_ignored(cache_dir):
    key = cache.make_key("x")
    cache.store("probe", key, {"a": 1})
    entry = cache_dir / "probe.pickle"
    payload = b"not a pickle at all"

    header = cache.FORMAT + key.encode() + b"\n"
    entry.write_bytes(header + hashlib.sha256(payload).digest() + payload)
    assert cache.load("probe", key) is None
    assert cache.load("probe", cache.make_key("y")) is None  # another key: never returned


class _Planted:
    """A pickle that would create a file when loaded: what an attacker would plant."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (pathlib.Path.touch, (self.marker,))


def _plant(folder: Path, name: str, key: str, marker: Path) -> Path:

    payload = pickle.dumps(_Planted(marker))
    entry = folder / f"{name}.pickle"
    entry.write_bytes(
        cache.FORMAT + key.encode() + b"\n" + hashlib.sha256(payload).digest() + payload
    )
    return entry


def test_a_planted_entry_is_loaded_only_from_a_private_file(cache_dir, tmp_path):
    key = cache.make_key("probe")
    cache.store("probe", key, 1)  # creates the folder
    marker = tmp_path / "code-ran"
    entry = _plant(cache_dir, "probe", key, marker)
    for mode in (0o620, 0o602, 0o666):  # writable by the group or by anyone
        entry.chmod(mode)
        assert cache.load("probe", key) is None
        assert not marker.exists()
    entry.chmod(0o600)
    cache.load("probe", key)  # a private file is trusted: proves the probe would run
    assert marker.exists()


def test_a_folder_others_can_write_is_not_used(cache_dir, library_copy, tmp_path):
    cache_dir.mkdir(mode=0o700)
    key = cache.make_key("probe")
    marker = tmp_path / "code-ran"
    _plant(cache_dir, "probe", key, marker).chmod(0o600)
    for mode in (0o770, 0o707, 0o777):
        cache_dir.chmod(mode)
        assert cache.cache_dir() is None
        assert cache.load("probe", key) is None
        assert not marker.exists()
        load_library(library_copy)  # works, uncached
        assert not list(cache_dir.glob("library-*"))
    cache_dir.chmod(0o700)


def test_a_folder_under_a_parent_others_can_write_is_not_used(tmp_path, monkeypatch):
    parent = tmp_path / "shared"
    parent.mkdir()
    parent.chmod(0o777)  # anyone could swap the cache folder for their own
    monkeypatch.setenv(cache.CACHE_DIR_ENV, str(parent / "cache"))
    assert cache.cache_dir() is None
    parent.chmod(0o1777)  # the sticky bit (as /tmp has) stops that
    assert cache.cache_dir() == parent / "cache"


def test_symlinks_are_not_followed(cache_dir, tmp_path, monkeypatch):
    key = cache.make_key("probe")
    cache.store("probe", key, 1)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o700)
    marker = tmp_path / "code-ran"
    planted = _plant(elsewhere, "probe", key, marker)
    planted.chmod(0o600)
    (cache_dir / "probe.pickle").unlink()
    (cache_dir / "probe.pickle").symlink_to(planted)
    assert cache.load("probe", key) is None
    linked = tmp_path / "linked-cache"
    linked.symlink_to(elsewhere)
    monkeypatch.setenv(cache.CACHE_DIR_ENV, str(linked))
    assert cache.cache_dir() is None
    assert not marker.exists()


def test_no_cache_setting_reads_and_writes_nothing(cache_dir, library_copy, monkeypatch):
    monkeypatch.setenv(cache.NO_CACHE_ENV, "1")
    load_library(library_copy)
    assert not cache_dir.exists() or not list(cache_dir.iterdir())


def test_an_edited_library_is_checked_again(cache_dir, library_copy):
    load_library(library_copy)
    clause = next((library_copy / "clauses").glob("*/*.yaml"))
    text = clause.read_text(encoding="utf-8")
    clause.write_text(text.replace("\ntitle:", "\ntitle: Edited", 1), encoding="utf-8")
    reloaded = load_library(library_copy)
    assert reloaded.clause(clause.stem).title.startswith("Edited")


def test_a_broken_edit_is_reported_not_hidden_by_the_cache(cache_dir, library_copy):
    from toolkit.exceptions import LibraryError

    load_library(library_copy)
    clause = next((library_copy / "clauses").glob("*/*.yaml"))
    clause.write_text("id: [unclosed\n", encoding="utf-8")
    with pytest.raises(LibraryError):
        load_library(library_copy)


def test_the_key_covers_the_toolkit_and_python(monkeypatch):
    key = cache.make_key("library", "hash")
    monkeypatch.setattr(cache, "_fingerprint", "another toolkit or Python")
    assert cache.make_key("library", "hash") != key
    assert cache.make_key("library", "other hash") != cache.make_key("library", "hash")


def test_every_schema_the_toolkit_trusts_passes_cerberus_own_check(monkeypatch, library):
    """Validators skip Cerberus's check of their schema; so every one must pass it here."""
    from toolkit.api import prepare_contract
    from toolkit.exceptions import ToolkitError

    used: list[dict] = [
        schemas.CLAUSE_SCHEMA,
        schemas.MODEL_SCHEMA,
        schemas.LIBRARY_SCHEMA,
        spec_schema.SPEC_SCHEMA,
    ]
    original = schemas.make_validator

    def recording(schema, **kwargs):
        used.append(schema)
        return original(schema, **kwargs)

    monkeypatch.setattr(schemas, "make_validator", recording)
    for spec in sorted((REPO / "examples" / "deals").glob("*.yaml")):
        try:
            prepare_contract(spec, library, draft=True)
        except ToolkitError:
            pass  # the invalid examples still use the schemas
    assert len(used) > 4
    for schema in used:
        # Cerberus's own check, with the toolkit's validator (it knows `plain_text`).
        cerberus.schema.DefinitionSchema(original(schema), schema)


def _assemble(spec: Path, out: Path, env: dict) -> bytes:
    result = subprocess.run(
        [sys.executable, "-m", "toolkit", "assemble", str(spec), "-o", str(out), "--draft"],
        env=env,
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert result.returncode == 0, result.stderr
    return out.read_bytes()


@pytest.mark.slow
def test_contracts_are_byte_identical_with_and_without_the_cache(tmp_path):
    spec = REPO / "examples" / "deals" / "valid-cost_recovery.yaml"
    env = dict(os.environ, **{cache.CACHE_DIR_ENV: str(tmp_path / "cache")})
    env.pop(cache.NO_CACHE_ENV, None)
    cold = _assemble(spec, tmp_path / "cold.docx", env)
    assert sorted(p.name for p in (tmp_path / "cache").iterdir()) == [
        "clause-templates.pickle",
        "confusable-letters.pickle",
        next(p.name for p in (tmp_path / "cache").glob("library-*")),
        "screen-prefilter.pickle",
        "screen-results.pickle",
        "text-scans.pickle",
    ]
    warm = _assemble(spec, tmp_path / "warm.docx", env)
    uncached = _assemble(spec, tmp_path / "none.docx", dict(env, **{cache.NO_CACHE_ENV: "1"}))
    assert cold == warm == uncached


def test_lint_reuses_the_sample_contracts_of_an_unchanged_library(
    cache_dir, library_copy, monkeypatch
):
    from toolkit.library import lint

    calls = []
    original = lint._sample_contracts

    def counting(library, report):
        calls.append(library.content_hash)
        original(library, report)

    monkeypatch.setattr(lint, "_sample_contracts", counting)
    first = lint.lint_library(library_copy)
    again = lint.lint_library(library_copy)
    assert len(calls) == 1
    assert again.problems == first.problems
    model = next((library_copy / "partnership_models").glob("*.yaml"))
    model.write_text(model.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    lint.lint_library(library_copy)
    assert len(calls) == 2 and calls[0] != calls[1]


def test_the_no_cache_option_reads_and_writes_nothing(cache_dir, run, monkeypatch):
    monkeypatch.setattr(cache, "_disabled", False)  # restored after the test
    monkeypatch.delenv(cache.NO_CACHE_ENV, raising=False)
    result = run("--no-cache", "models", "list")
    assert result.exit_code == 0, result.output
    assert not cache_dir.exists() or not list(cache_dir.glob("library-*"))
    monkeypatch.setattr(cache, "_disabled", False)
    monkeypatch.delenv(cache.NO_CACHE_ENV, raising=False)
    assert run("models", "list").exit_code == 0
    assert list(cache_dir.glob("library-*"))


def test_a_memo_beyond_its_limit_forgets_its_oldest_entries(cache_dir):
    memo = cache.Memo("probe-limit", limit=3)
    for index in range(5):
        memo.set(f"k{index}", index)
    memo.flush()
    again = cache.Memo("probe-limit", limit=3)
    assert [again.get(f"k{index}") for index in range(5)] == [None, None, 2, 3, 4]


_SCREEN_RUN = """
import sys
from toolkit import scan
found = scan.scan_text(sys.argv[1])
print(len(found), found[0].rule if found else "-", int("toolkit.scan.rules" in sys.modules))
"""


def _screen_in_a_process(text: str, env: dict, code: str = _SCREEN_RUN) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", code, text],
        env=env,
        capture_output=True,
        text=True,
        cwd=REPO,
        check=True,
    )
    return result.stdout.split()


@pytest.mark.parametrize(
    "text",
    [
        "The Partner shall have the exclusive right to use the Data.",
        "The Partner shall publish a summary of the benefits each year.",
    ],
)
def test_a_text_screened_before_gets_the_same_result_without_reading_the_rules(tmp_path, text):
    env = dict(os.environ, **{cache.CACHE_DIR_ENV: str(tmp_path / "cache")})
    env.pop(cache.NO_CACHE_ENV, None)
    first = _screen_in_a_process(text, env)
    again = _screen_in_a_process(text, env)
    uncached = _screen_in_a_process(text, dict(env, **{cache.NO_CACHE_ENV: "1"}))
    assert first[:2] == again[:2] == uncached[:2]
    assert first[2] == uncached[2] == "1"
    assert again[2] == "0"  # the rules were not even loaded: the result came from the cache
    assert (first[0] != "0") == ("exclusive" in text)


def test_the_cached_prefilter_is_the_one_the_rules_give(cache_dir, monkeypatch):
    from toolkit.scan import reading
    from toolkit.scan.prefilter import Prefilter
    from toolkit.scan.rules import RULES

    reading._prefilter.cache_clear()
    monkeypatch.setattr(reading, "_prefilter", reading._prefilter)  # restored after the test
    built = reading._prefilter()
    reading._prefilter.cache_clear()
    kept = reading._prefilter()
    assert kept is not built  # read back from the cache folder
    assert kept.required == built.required == Prefilter([r.pattern for r in RULES]).required


_LOOK_ALIKES_RUN = """
import sys
from toolkit.scan.normalise import latin_letter
letters = [latin_letter(char) for char in sys.argv[1]]
print("".join(letters), int("confusable_homoglyphs.confusables" in sys.modules))
"""


def test_look_alike_letters_are_read_from_the_cache_as_the_table_gives_them(tmp_path):
    # Cyrillic, Greek, Armenian and mathematical look-alikes of "exclusive".
    text = "\u0435\u0445\u0441\u217c\u057d\u0455\u0456\u03bd\U0001d5be"
    env = dict(os.environ, **{cache.CACHE_DIR_ENV: str(tmp_path / "cache")})
    env.pop(cache.NO_CACHE_ENV, None)

    first = _screen_in_a_process(text, env, _LOOK_ALIKES_RUN)
    again = _screen_in_a_process(text, env, _LOOK_ALIKES_RUN)
    uncached = _screen_in_a_process(text, dict(env, **{cache.NO_CACHE_ENV: "1"}), _LOOK_ALIKES_RUN)
    assert first[0] == again[0] == uncached[0] == "exclusive"
    assert first[1] == uncached[1] == "1"
    assert again[1] == "0"  # the table came from the cache: its package was not loaded
