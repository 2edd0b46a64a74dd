"""Fixtures shared by the test modules."""

from __future__ import annotations

import pytest

from python_checks.build_fixtures import Build, build_sample


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """One generated sample built once per test session. Tests only read it, or work on a copy
    (Build.copy); building it once keeps `make test` within minutes."""
    build, result = build_sample(tmp_path_factory.mktemp("sample_build"))
    assert result.ok, result.output[-4000:]
    return build
