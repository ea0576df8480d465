"""Output safety: inputs never replaced, no clobbering, symlinks count, nothing half-written."""

from __future__ import annotations

import os

import pytest

from toolkit.exceptions import OutputError
from toolkit.output import (
    FileSet,
    check_target,
    install,
    same_file,
    temporary_beside,
    write_atomically,
)


def test_an_input_is_refused_even_with_force(tmp_path):
    spec = tmp_path / "deal.yaml"
    spec.write_text("precious")
    link = tmp_path / "link.docx"
    link.symlink_to(spec)
    for target in (spec, tmp_path / "sub" / ".." / "deal.yaml", link):
        (tmp_path / "sub").mkdir(exist_ok=True)
        with pytest.raises(OutputError, match="is also an input of this command"):
            check_target(target, force=True, inputs=[spec])
    assert spec.read_text() == "precious"


@pytest.mark.parametrize("kind", ["dangling", "looping"])
def test_a_broken_symlink_counts_as_an_existing_file(tmp_path, kind):
    target = tmp_path / "out.docx"
    target.symlink_to(tmp_path / ("nowhere" if kind == "dangling" else "out.docx"))
    with pytest.raises(OutputError, match="already exists; nothing written"):
        check_target(target, force=False)
    with pytest.raises(OutputError, match="already exists"):
        write_atomically(target, b"new")
    assert os.path.islink(target)
    write_atomically(target, b"new", force=True)
    assert target.read_bytes() == b"new" and not target.is_symlink()


def test_a_file_that_appears_meanwhile_is_kept(tmp_path):
    target = tmp_path / "out.docx"

    def someone_else_writes(_temporary):
        target.write_bytes(b"theirs")

    with pytest.raises(OutputError, match="appeared while the output was being made"):
        write_atomically(target, b"ours", verify=someone_else_writes)
    assert target.read_bytes() == b"theirs"
    assert [p.name for p in tmp_path.iterdir()] == ["out.docx"]  # no temporary left
    write_atomically(target, b"ours", verify=someone_else_writes, force=True)
    assert target.read_bytes() == b"ours"


def test_a_failed_verification_leaves_nothing(tmp_path):
    target = tmp_path / "out.docx"

    def refuse(_temporary):
        raise OutputError("bad")

    with pytest.raises(OutputError, match="bad"):
        write_atomically(target, b"data", verify=refuse)
    assert list(tmp_path.iterdir()) == []


def test_install_without_hard_links_still_refuses_to_clobber(tmp_path, monkeypatch):
    def no_links(*_args, **_kwargs):
        raise OSError(1, "Operation not permitted")  # EPERM, as on file systems without links

    monkeypatch.setattr(os, "link", no_links)
    target = tmp_path / "out.pdf"
    temporary = temporary_beside(target)
    temporary.write_bytes(b"pdf")
    install(temporary, target, force=False)
    assert target.read_bytes() == b"pdf" and not temporary.exists()
    again = temporary_beside(target)
    again.write_bytes(b"other")
    with pytest.raises(OutputError, match="already exists"):
        install(again, target, force=False)
    assert target.read_bytes() == b"pdf"


def test_cli_refuses_a_spec_as_its_own_output_even_with_force(run, deal, write_spec, tmp_path):
    spec = write_spec(deal, name="deal.pdf")
    before = spec.read_bytes()
    result = run("assemble", spec, "-o", tmp_path / "deal.docx", "--pdf", "--force")
    assert result.exit_code == 1
    assert "is also an input of this command" in result.output
    assert spec.read_bytes() == before
    same = run("assemble", spec, "-o", spec, "--force")
    assert same.exit_code == 1 and spec.read_bytes() == before


def test_init_never_replaces_a_deal_spec(run, deal, write_spec):
    spec = write_spec(deal)
    before = spec.read_bytes()
    result = run("init", "--model", "royalty", "-o", spec, "--force")
    assert result.exit_code == 1
    assert "is a deal spec" in result.output
    assert spec.read_bytes() == before


def test_a_file_set_knows_a_file_by_any_of_its_names(tmp_path):
    spec = tmp_path / "deal.yaml"
    spec.write_text("x", encoding="utf-8")
    other = tmp_path / "other.yaml"
    other.write_text("x", encoding="utf-8")
    linked = tmp_path / "hard.yaml"
    os.link(spec, linked)
    (tmp_path / "sub").mkdir()
    symlink = tmp_path / "sub" / "soft.yaml"
    symlink.symlink_to(spec)
    inputs = FileSet([spec, tmp_path / "planned.docx"])
    assert inputs.find(linked) == spec  # a hard link: the same file
    assert inputs.find(symlink) == spec
    assert inputs.find(tmp_path / "sub" / ".." / "deal.yaml") == spec
    assert inputs.find(tmp_path / "planned.docx") == tmp_path / "planned.docx"  # not yet made
    assert inputs.find(other) is None  # same content, another file
    assert inputs.find(tmp_path / "new.docx") is None
    with pytest.raises(OutputError, match="is also an input"):
        check_target(linked, force=True, inputs=inputs)
    assert same_file(symlink, linked) and not same_file(spec, other)
