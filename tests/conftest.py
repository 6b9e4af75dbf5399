"""Shared fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus" / "newstest2013"
SEED = REPO / "samples" / "seed.txt"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()
