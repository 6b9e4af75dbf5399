"""Shared fixtures."""

from __future__ import annotations

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
