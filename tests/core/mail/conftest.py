"""Fixtures for mail tests: the shared corpora folder (skipped when absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

CORPORA = Path(__file__).resolve().parents[3].parent / "shared" / "corpora"


@pytest.fixture(scope="session")
def corpora() -> Path:
    """The shared test corpora folder; tests using it skip when it is not there."""
    if not CORPORA.is_dir():
        pytest.skip(f"shared corpora not found at {CORPORA} (only present in the dev workspace)")
    return CORPORA
