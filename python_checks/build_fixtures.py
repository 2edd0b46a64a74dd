"""A generated raw set built into its own DuckDB file, shared by the build tests."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb

from python_checks.dbt_runner import PROJECT_DIR, DbtResult, run_dbt
from python_checks.generate.config import GenerateConfig
from python_checks.generate.generator import generate

# Small enough for a test run, large enough for peer groups, stages and churn in every tier.
TEST_ACCOUNTS = 160
TEST_SEED = 7


@dataclass(frozen=True)
class Build:
    raw_dir: Path
    truth_dir: Path
    db_path: Path
    work_dir: Path

    def dbt(self, args: list[str], **kwargs: object) -> DbtResult:
        return run_dbt(
            args, raw_dir=self.raw_dir, db_path=self.db_path, work_dir=self.work_dir, **kwargs
        )

    def query(self, sql: str) -> list[tuple]:
        con = duckdb.connect(str(self.db_path), read_only=True)
        try:
            return con.execute(sql).fetchall()
        finally:
            con.close()

    def copy(self, root: Path) -> Build:
        """The same raw data with a copy of the database (for builds that change it)."""
        root.mkdir(parents=True, exist_ok=True)
        db_copy = root / "copy.duckdb"
        shutil.copyfile(self.db_path, db_copy)
        return Build(self.raw_dir, self.truth_dir, db_copy, root / "work")


def generate_sample(
    root: Path, accounts: int = TEST_ACCOUNTS, seed: int = TEST_SEED
) -> tuple[Path, Path]:
    raw, truth = root / "raw", root / "truth"
    generate(GenerateConfig(accounts=accounts, seed=seed, out=raw, truth=truth, quiet=True))
    return raw, truth


def build_sample(root: Path) -> tuple[Build, DbtResult]:
    raw, truth = generate_sample(root)
    build = Build(raw, truth, root / "build.duckdb", root / "work")
    return build, build.dbt(["build"])


def copy_project(target: Path) -> Path:
    """A copy of the dbt project (sources only) for tests that edit seeds or models."""
    ignore = shutil.ignore_patterns(
        ".venv", "data", "build", "target", "logs", ".git", "__pycache__"
    )
    shutil.copytree(PROJECT_DIR, target, ignore=ignore)
    return target
