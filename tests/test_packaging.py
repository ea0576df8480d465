"""Packaging: every subpackage of the toolkit ships in the wheel."""

from __future__ import annotations

import configparser
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_setup_cfg_lists_every_subpackage():
    config = configparser.ConfigParser()
    config.read(REPO / "setup.cfg", encoding="utf-8")
    listed = set(config["options"]["packages"].split())
    on_disk = {
        ".".join(init.parent.relative_to(REPO).parts)
        for init in (REPO / "toolkit").rglob("__init__.py")
        if "__pycache__" not in init.parts
    }
    assert on_disk - listed == set(), "add these to setup.cfg [options] packages"
    assert {p for p in listed if not p.startswith("toolkit._library")} <= on_disk
