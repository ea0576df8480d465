"""Shared fixtures: the shipped library, a valid deal, and ways to break them."""

from __future__ import annotations

import copy
import io
import os
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from toolkit.cli import cli
from toolkit.library import load_library
from toolkit.library.files import LIBRARY_DIRS, default_library_dir

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples" / "deals"
# LibreOffice and poppler's pdftotext, which the `libreoffice` tests need.
HAVE_LIBREOFFICE = bool(
    (shutil.which("soffice") or shutil.which("libreoffice")) and shutil.which("pdftotext")
)


def pytest_configure(config):
    """Register the suite's markers (``-m "not libreoffice and not slow"`` for a quick run)."""
    config.addinivalue_line(
        "markers", "libreoffice: needs LibreOffice (soffice) and pdftotext; fails in CI without"
    )
    config.addinivalue_line("markers", "slow: takes several seconds; leave out for a quick run")


def pytest_collection_modifyitems(config, items):
    """Skip `libreoffice` tests on a workstation without it; in CI (CI=true) they fail instead."""
    if HAVE_LIBREOFFICE or os.environ.get("CI") == "true":
        return
    skip = pytest.mark.skip(reason="needs LibreOffice (soffice) and pdftotext; in CI this fails")
    for item in items:
        if "libreoffice" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session", autouse=True)
def _private_cache(tmp_path_factory):
    """Keep the toolkit's cache in a folder of the test session, never the user's own.

    Session-wide and autouse, so it is in place before any other fixture loads a library.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NHS_CONTRACTS_CACHE_DIR", str(tmp_path_factory.mktemp("toolkit-cache")))
        patch.delenv("NHS_CONTRACTS_NO_CACHE", raising=False)
        yield


@pytest.fixture(autouse=True)
def _cache_on(monkeypatch):
    """Start every test with the cache on: `--no-cache` in an in-process CLI run turns it
    off for the rest of that process (and its environment), as it should for a real
    command. Set, not deleted, so that the variable is removed again afterwards."""
    from toolkit import cache

    monkeypatch.setattr(cache, "_disabled", False)
    monkeypatch.setenv(cache.NO_CACHE_ENV, "")


@pytest.fixture(autouse=True)
def _private_register(tmp_path_factory, monkeypatch):
    """Give every test its own register of issued contracts, never the user's own.

    Outside ``tmp_path``, so that tests listing their folder see only their own files.
    """
    folder = tmp_path_factory.mktemp("register")
    monkeypatch.setenv("NHS_CONTRACTS_REGISTER", str(folder / "register.sqlite3"))


@pytest.fixture(scope="session")
def library():
    """The library shipped with the toolkit, loaded once."""
    return load_library()


@pytest.fixture(scope="session")
def _valid_deal_data():
    return yaml.safe_load((FIXTURES / "v1-royalty-deal.yaml").read_text(encoding="utf-8"))


@pytest.fixture
def deal(_valid_deal_data):
    """A fresh copy of a complete, valid royalty deal spec (a dict to modify)."""
    return copy.deepcopy(_valid_deal_data)


@pytest.fixture
def write_spec(tmp_path):
    """Write a deal-spec dict to a YAML file and return its path."""

    def _write(data, name="deal.yaml"):
        path = tmp_path / name
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
        return path

    return _write


@pytest.fixture
def library_copy(tmp_path):
    """A writable copy of the shipped library, to break on purpose."""
    target = tmp_path / "library"
    source = default_library_dir()
    for name in LIBRARY_DIRS:
        shutil.copytree(source / name, target / name)
    return target


@pytest.fixture
def run():
    """Run the CLI in-process; return the click Result."""
    runner = CliRunner()

    def _run(*args):
        return runner.invoke(cli, [str(a) for a in args], catch_exceptions=False)

    return _run


def libreoffice_convert(path: Path, target: str, out_dir: Path) -> Path:
    """Convert a document with headless LibreOffice (its own profile); return the result."""
    out_dir.mkdir(exist_ok=True)
    subprocess.run(
        [
            shutil.which("soffice") or "soffice",
            f"-env:UserInstallation={(out_dir / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            target,
            "--outdir",
            str(out_dir),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    result = out_dir / f"{path.stem}.{target.split(':')[0]}"
    assert result.exists(), "LibreOffice wrote nothing"
    return result


def rewrite_zip_part(path: Path, part: str, change: Callable[[bytes], bytes | None]) -> Path:
    """Rewrite one part of a .docx in place; ``change`` returns new bytes, or None to drop it."""
    with zipfile.ZipFile(path) as archive:
        members = [(info, archive.read(info.filename)) for info in archive.infolist()]
    assert part in {info.filename for info, _ in members}, f"{path} has no part {part}"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in members:
            if info.filename == part:
                data = change(data)
                if data is None:
                    continue
            target.writestr(info, data)
    path.write_bytes(out.getvalue())
    return path


def edit_library_file(root: Path, relative: str, change: Callable[[dict], dict | None]) -> Path:
    """Edit a YAML file of a library copy, e.g. ``(library_copy, "clauses/x/y.yaml", change)``.

    ``change`` receives the loaded document and changes it in place (or returns a new
    one); the file is written back and its path returned.
    """
    path = Path(root) / relative
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    changed = change(document)
    document = document if changed is None else changed
    path.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path
