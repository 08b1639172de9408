"""Fixtures for the accounts tests: every test starts with no access token cached."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from desktop_app.core.accounts import tokens


@pytest.fixture(autouse=True)
def empty_token_cache() -> Iterator[None]:
    """The in-memory access tokens (tokens._cache) of one test never reach the next."""
    with tokens._guard:
        tokens._cache.clear()
    yield
    with tokens._guard:
        tokens._cache.clear()
