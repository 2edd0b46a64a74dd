"""Fixtures shared by the test modules, and the order `make test` starts them in."""

from __future__ import annotations

import pytest

from python_checks.build_fixtures import Build, build_sample

# `make test` runs pytest on every core (pytest-xdist, one module per worker at a time, in this
# order: `--dist loadfile --no-loadscope-reorder`). The longest modules go first, so that no worker
# starts one of them when the others are nearly done; the rest follow in file order. Measured
# from `--durations` in the CI log (setup included); the order only affects the wall time.
LONGEST_FIRST = (
    "test_postgres_parity.py",  # Postgres build of everything, compare, a daily run: ~7 min
    "test_incremental.py",
    "test_guards.py",
    "test_bench.py",
    "test_connector_shapes.py",
    "test_publish.py",
    "test_weight_change.py",
    "test_orchestrate.py",
    "test_publish_served.py",
    "test_alerts.py",
    "test_pipeline.py",
    "test_bad_raw_input.py",
    "test_build_generated.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The modules in LONGEST_FIRST order (a stable sort: tests keep their order within one)."""
    rank = {name: position for position, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """One generated sample built once per test session (once per worker under xdist). Tests
    only read it, or work on a copy (Build.copy); building it once keeps `make test` within
    minutes."""
    build, result = build_sample(tmp_path_factory.mktemp("sample_build"))
    assert result.ok, result.output[-4000:]
    return build
