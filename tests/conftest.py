"""Shared fixtures."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "tests" / "data"
CORPUS = DATA / "newstest2013"  # real news text, see its README for attribution
SEED = REPO / "samples" / "seed.txt"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def seed_dir(tmp_path: Path) -> Path:
    """An input folder holding the seed article."""
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEED, folder / "seed.txt")
    return folder


@pytest.fixture(autouse=True)
def no_installed_argos_packages(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Tests see only the Argos packages they install: `auto` means Apertium unless a test
    installs a package, whatever this machine has installed for its user."""
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path_factory.mktemp("argos-empty")))
