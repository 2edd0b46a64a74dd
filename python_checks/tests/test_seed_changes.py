"""A seed file whose columns change between versions, loaded into a database built before."""

from __future__ import annotations

import csv
from pathlib import Path

from python_checks.build_fixtures import Build, copy_project
from python_checks.dbt_runner import run_dbt

SEED = "product_event_areas"


def _stored_columns(build: Build) -> list[str]:
    rows = build.query(
        "select column_name from information_schema.columns"
        f" where table_name = '{SEED}' order by ordinal_position"
    )
    return [name for (name,) in rows]


def _table(build: Build) -> str:
    (schema,) = build.query(
        f"select table_schema from information_schema.tables where table_name = '{SEED}'"
    )
    return f'"{schema[0]}".{SEED}'


def test_a_seed_with_changed_columns_is_recreated_by_a_plain_seed_run(
    sample_build: Build, tmp_path: Path
) -> None:
    """Drop one column of the seed file and add another: a plain `dbt seed` (no --full-refresh)
    of the database built with the old file recreates the table with the file's columns and
    rows; run again on the same file, it reloads the table without recreating it."""
    project = copy_project(tmp_path / "project")
    seed = project / "seeds" / f"{SEED}.csv"
    with seed.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    dropped = rows[0].index("description")
    changed = [
        [*row[:dropped], *row[dropped + 1 :], "owner" if index == 0 else f"team_{index}"]
        for index, row in enumerate(rows)
    ]
    with seed.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(changed)

    copy = sample_build.copy(tmp_path / "db")
    before = _stored_columns(copy)
    assert "description" in before
    assert "owner" not in before

    def seed_run() -> str:
        result = run_dbt(
            ["seed", "--select", SEED],
            raw_dir=copy.raw_dir,
            db_path=copy.db_path,
            work_dir=copy.work_dir,
            project_dir=project,
        )
        assert result.ok, result.output[-4000:]
        return result.output

    first = seed_run()
    assert f"Seed {SEED}: the file has columns" in first
    assert _stored_columns(copy) == changed[0]
    assert sorted(copy.query(f"select event_name, owner from {_table(copy)}")) == sorted(
        (row[0], row[-1]) for row in changed[1:]
    )

    second = seed_run()
    assert "recreating the table" not in second
    assert _stored_columns(copy) == changed[0]
    assert copy.query(f"select count(*) from {_table(copy)}") == [(len(changed) - 1,)]
