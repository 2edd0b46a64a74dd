"""Plain dbt in a fresh clone (venv active, no Makefile, no DBT_* variables) opens its database.

profiles.yml defaults to build/dev.duckdb; DuckDB does not create missing folders, so the clone
must hold build/ (an empty folder kept in git).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from python_checks.dbt_runner import PROJECT_DIR, dbt_executable


def clone_files(target: Path) -> Path:
    """The files a clone of this checkout holds (tracked, plus new files not ignored)."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=PROJECT_DIR,
        capture_output=True,
        check=False,
    )
    if listed.returncode != 0:
        pytest.skip(f"{PROJECT_DIR} is not a git checkout: {listed.stderr.decode()[-300:]}")
    for name in listed.stdout.decode().split("\0"):
        source = PROJECT_DIR / name
        if name and source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def test_plain_dbt_opens_the_default_database_in_a_fresh_clone(tmp_path: Path) -> None:
    clone = clone_files(tmp_path / "clone")
    assert (clone / "profiles.yml").is_file() and not (clone / "build" / "dev.duckdb").exists()
    env = {name: value for name, value in os.environ.items() if not name.startswith("DBT_")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "false"
    result = subprocess.run(
        [dbt_executable(), "--no-use-colors", "debug"],
        cwd=clone,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]
    assert "Connection test: [OK connection ok]" in output, output[-3000:]
    assert (clone / "build" / "dev.duckdb").is_file()
    shutil.rmtree(tmp_path, ignore_errors=True)
