"""Publishing the build for BI tools: readers never block a build, never see a mix of two
builds, and a build killed midway changes nothing they see."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import duckdb
import pytest

from python_checks.build_fixtures import Build, generate_sample
from python_checks.dbt_runner import start_dbt
from python_checks.generate.config import GenerateConfig
from python_checks.publish import PublishError, ServeLayout, publish
from python_checks.publish.__main__ import main
from python_checks.publish.served import SERVE_STORAGE_VERSION, SERVED_CONFIG

pytestmark = pytest.mark.build

ACCOUNTS = 60
BUILD_ARGS = ["build", "--exclude", "test_type:data"]
# The module's build plays yesterday's scheduled build; the builds under test score two weeks
# later, so both marts differ between the two (more days of history, a later scored_on).
DATA_END = GenerateConfig().end
FIRST_AS_OF = DATA_END - timedelta(days=14)
SECOND_AS_OF = DATA_END
DIM, FCT = "dim_account_health", "fct_account_health_daily"
INTERMEDIATE_STARTED = re.compile(r"START sql \w+ model intermediate\.")

# A BI-tool stand-in. "fresh" opens the served file read-only for every read (as a dashboard
# refresh does) and also reads the Parquet behind parquet/current and the manifest; "held"
# opens it once and keeps reading through that one connection. One statement per database
# read, so each read is one snapshot. Stops when the stop file appears or after N seconds.
READER = r"""
import json, os, sys, time
import duckdb

serve, out_path, stop_path, mode, seconds = sys.argv[1:]
database = os.path.join(serve, "health.duckdb")
SQL = '''
    select (select build_id from publish.build_info),
        (select count(*) from marts.dim_account_health),
        (select max(scored_on)::varchar from marts.dim_account_health),
        (select count(*) from marts.fct_account_health_daily),
        (select max(date_day)::varchar from marts.fct_account_health_daily)
'''
PARQUET = '''
    select (select count(*) from read_parquet('{folder}/dim_account_health.parquet')),
        (select max(scored_on)::varchar from read_parquet('{folder}/dim_account_health.parquet')),
        (select count(*) from read_parquet('{folder}/fct_account_health_daily.parquet')),
        (select max(date_day)::varchar from read_parquet('{folder}/fct_account_health_daily.parquet'))
'''
deadline = time.monotonic() + float(seconds)
held = duckdb.connect(database, read_only=True) if mode == "held" else None
memory = duckdb.connect()
with open(out_path, "a") as out:
    while time.monotonic() < deadline and not os.path.exists(stop_path):
        record = {"t": time.time()}
        try:
            if held is not None:
                record["db"] = list(held.execute(SQL).fetchone())
            else:
                con = duckdb.connect(database, read_only=True)
                try:
                    record["db"] = list(con.execute(SQL).fetchone())
                finally:
                    con.close()
                folder = os.path.realpath(os.path.join(serve, "parquet", "current"))
                row = memory.execute(PARQUET.format(folder=folder)).fetchone()
                record["parquet"] = [os.path.basename(folder), *row]
                with open(os.path.join(serve, "manifest.json")) as handle:
                    record["manifest"] = json.load(handle)["build_id"]
        except Exception as exc:
            record["error"] = repr(exc)
        out.write(json.dumps(record) + "\n")
        out.flush()
        time.sleep(0.1)
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Build]:
    root = tmp_path_factory.mktemp("publish")
    try:
        raw, truth = generate_sample(root, accounts=ACCOUNTS)
        build = Build(raw, truth, root / "build.duckdb", root / "work")
        result = build.dbt(BUILD_ARGS, dbt_vars={"as_of": str(FIRST_AS_OF)})
        assert result.ok, result.output[-4000:]
        yield build
    finally:
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def scratch(tmp_path: Path) -> Iterator[Path]:
    """A tmp folder removed right after the test (databases are not kept for pytest's history)."""
    yield tmp_path
    shutil.rmtree(tmp_path, ignore_errors=True)


def mart_counts(database: Path) -> dict[str, int]:
    con = duckdb.connect(str(database), read_only=True)
    try:
        tables = con.execute(
            "select table_name from duckdb_tables() where schema_name = 'marts'"
        ).fetchall()
        return {
            name: con.execute(f'select count(*) from marts."{name}"').fetchone()[0]
            for (name,) in tables
        }
    finally:
        con.close()


def served_build_id(layout: ServeLayout) -> str:
    con = duckdb.connect(str(layout.database), read_only=True)
    try:
        return con.execute("select build_id from publish.build_info").fetchone()[0]
    finally:
        con.close()


def served_files(layout: ServeLayout) -> dict[str, str]:
    """Digest of everything a reader sees: the database, the manifest, current and its files
    (the marts' Parquet and, in a subfolder, the CRM export)."""
    exports = sorted(path for path in layout.current.rglob("*") if path.is_file())
    files = [layout.database, layout.manifest, *exports]
    digests = {str(path): hashlib.sha256(path.read_bytes()).hexdigest() for path in files}
    return {**digests, "current": str(layout.current.readlink())}


def wait_until(condition: Callable[[], bool], timeout: float, interval: float = 0.5) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return condition()


def read_records(path: Path) -> list[dict]:
    if not path.exists():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.endswith("}")]


def test_publish_serves_database_parquet_and_manifest(built: Build, scratch: Path) -> None:
    layout = ServeLayout(scratch / "serve")
    published = publish(built.db_path, layout.root)

    manifest = json.loads(layout.manifest.read_text(encoding="utf-8"))
    counts = mart_counts(built.db_path)
    assert {DIM, FCT} <= set(counts)
    assert manifest["build_id"] == published.build_id
    assert manifest["as_of"] == str(FIRST_AS_OF)
    assert manifest["row_counts"] == counts
    assert mart_counts(layout.database) == counts
    assert served_build_id(layout) == published.build_id
    assert not layout.database.with_name("health.duckdb.wal").exists()
    # A new file written for readers (not a byte copy of the build): DuckDB 1.x's storage
    # format, and only the marts, the seeds that explain a score and the build info.
    con = duckdb.connect(str(layout.database), read_only=True)
    try:
        (tags,) = con.execute(
            "select tags from duckdb_databases() where database_name = current_database()"
        ).fetchone()
        schemas = con.execute(
            "select distinct schema_name from duckdb_tables() order by all"
        ).fetchall()
        config = con.execute(
            "select table_name from duckdb_tables() where schema_name = 'config' order by all"
        ).fetchall()
    finally:
        con.close()
    assert tags["storage_version"].startswith(SERVE_STORAGE_VERSION), tags
    assert manifest["storage_version"] == SERVE_STORAGE_VERSION
    assert [name for (name,) in schemas] == ["config", "marts", "publish"]
    assert [name for (name,) in config] == sorted(SERVED_CONFIG) == manifest["config_tables"]

    assert layout.current.is_symlink()
    assert layout.current.readlink() == Path(published.build_id)
    parquet = {path.stem: path for path in layout.current.glob("*.parquet")}
    assert set(parquet) == set(counts)
    current_customers = built.query(f"select count(*) from marts.{DIM} where not is_churned")
    assert [(manifest["crm_export"]["rows"],)] == current_customers != [(0,)]
    for suffix in ("csv", "parquet"):
        exported = layout.root / manifest["crm_export"][suffix]
        assert exported == published.crm_export(suffix) and exported.is_file()
        assert layout.current.resolve() == exported.parent.parent
    for table, path in parquet.items():
        rows = duckdb.sql(f"select count(*) from read_parquet('{path}')").fetchall()
        assert rows == [(counts[table],)], table
    leftovers = [p for p in layout.root.rglob(".tmp-*")]
    assert leftovers == []


def test_cli_keeps_the_last_two_builds_and_shows(
    built: Build, scratch: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    serve = scratch / "serve"
    build_ids = []
    for _ in range(3):
        assert main(["--build-db", str(built.db_path), "--serve-dir", str(serve)]) == 0
        build_ids.append(json.loads((serve / "manifest.json").read_text())["build_id"])
    out = capsys.readouterr().out
    assert f"duckdb.connect('{serve / 'health.duckdb'}', read_only=True)" in out
    assert f"read_parquet('{serve}/parquet/current/{DIM}.parquet')" in out
    folders = {path.name for path in (serve / "parquet").iterdir()} - {"current"}
    assert folders == set(build_ids[1:])

    assert main(["--show", "--serve-dir", str(serve)]) == 0
    assert f"Served build {build_ids[-1]}" in capsys.readouterr().out


def test_publish_refuses_a_missing_martless_or_busy_database(
    scratch: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    serve = scratch / "serve"
    missing = scratch / "missing.duckdb"
    assert main(["--build-db", str(missing), "--serve-dir", str(serve)]) == 2
    assert "no build database" in capsys.readouterr().err

    martless = scratch / "martless.duckdb"
    con = duckdb.connect(str(martless))
    con.execute("create schema staging; create table staging.t as select 1 as x")
    con.close()
    assert main(["--build-db", str(martless), "--serve-dir", str(serve)]) == 2
    assert "no `marts` schema" in capsys.readouterr().err

    busy = scratch / "busy.duckdb"
    con = duckdb.connect(str(busy))
    con.execute("create schema marts; create table marts.t as select 1 as x")
    con.close()
    writer = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; con = duckdb.connect(sys.argv[1]);"
            " print('open', flush=True); time.sleep(60)",
            str(busy),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert writer.stdout is not None and writer.stdout.readline().strip() == "open"
        with pytest.raises(PublishError, match="dbt build"):
            publish(busy, serve)
    finally:
        writer.kill()
        writer.wait()
    assert not (serve / "health.duckdb").exists()


def start_reader(layout: ServeLayout, out: Path, stop: Path, mode: str) -> subprocess.Popen:
    with out.with_suffix(".err").open("w") as errors:
        return subprocess.Popen(
            [sys.executable, "-c", READER, str(layout.root), str(out), str(stop), mode, "900"],
            stdout=subprocess.DEVNULL,
            stderr=errors,
        )


def test_readers_see_whole_builds_while_a_build_runs_and_publishes(
    built: Build, scratch: Path
) -> None:
    build = built.copy(scratch / "build")
    layout = ServeLayout(scratch / "serve")
    first = publish(build.db_path, layout.root).manifest()
    stop = scratch / "stop"
    logs = {mode: scratch / f"{mode}.jsonl" for mode in ("fresh", "held")}
    readers = [start_reader(layout, log, stop, mode) for mode, log in logs.items()]
    try:
        assert wait_until(lambda: all(len(read_records(log)) >= 3 for log in logs.values()), 120)
        started = time.time()
        result = build.dbt(BUILD_ARGS, dbt_vars={"as_of": str(SECOND_AS_OF)})
        finished = time.time()
        assert result.ok, result.output[-4000:]
        second = publish(build.db_path, layout.root).manifest()
        assert wait_until(
            lambda: any(
                r.get("db", [None])[0] == second["build_id"] for r in read_records(logs["fresh"])
            ),
            60,
        ), "the fresh reader never saw the second publish"
    finally:
        stop.touch()
        for reader in readers:
            try:
                reader.wait(timeout=60)
            except subprocess.TimeoutExpired:
                reader.kill()
                reader.wait()
    assert [reader.returncode for reader in readers] == [0, 0]

    # The two builds differ in both marts, so a read mixing them matches neither build.
    assert first["build_id"] != second["build_id"]
    assert first["as_of"] == str(FIRST_AS_OF) and second["as_of"] == str(SECOND_AS_OF)
    assert first["row_counts"][FCT] != second["row_counts"][FCT]
    expected = {
        m["build_id"]: [m["row_counts"][DIM], m["as_of"], m["row_counts"][FCT], m["as_of"]]
        for m in (first, second)
    }

    fresh, held = read_records(logs["fresh"]), read_records(logs["held"])
    errors = [r for r in fresh + held if "error" in r]
    assert errors == [], errors[:5]
    during_build = [r for r in fresh if started <= r["t"] <= finished]
    assert len(fresh) >= 20 and len(held) >= 20 and len(during_build) >= 10, (
        len(fresh),
        len(held),
        len(during_build),
    )
    for record in fresh:
        build_id, *seen = record["db"]
        assert seen == expected[build_id], record
        folder, *seen_parquet = record["parquet"]
        assert seen_parquet == expected[folder], record
        assert record["manifest"] in expected, record
    assert {r["db"][0] for r in fresh} == set(expected)
    # A connection opened before the swap keeps reading the build it opened, unchanged.
    assert all(r["db"] == [first["build_id"], *expected[first["build_id"]]] for r in held)


def test_a_killed_build_changes_nothing_served_and_the_next_build_completes(
    built: Build, scratch: Path
) -> None:
    build = built.copy(scratch / "build")
    layout = ServeLayout(scratch / "serve")
    published = publish(build.db_path, layout.root)
    before = served_files(layout)
    second_vars = {"as_of": str(SECOND_AS_OF)}

    log = scratch / "killed.log"
    process = start_dbt(
        BUILD_ARGS,
        raw_dir=build.raw_dir,
        db_path=build.db_path,
        work_dir=build.work_dir,
        output=log,
        dbt_vars=second_vars,
    )
    try:
        wait_until(
            lambda: (
                process.poll() is not None
                or bool(INTERMEDIATE_STARTED.search(log.read_text(errors="replace")))
            ),
            300,
        )
        assert process.poll() is None, (
            "build ended before it could be killed:\n" + (log.read_text(errors="replace")[-3000:])
        )
        time.sleep(2)  # inside the intermediate layer
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL
    assert "Completed successfully" not in log.read_text(errors="replace")

    assert served_files(layout) == before
    assert mart_counts(layout.database) == published.row_counts
    assert served_build_id(layout) == published.build_id
    if build.db_path.with_name(build.db_path.name + ".wal").exists():
        # The half-built database is refused, and the refusal touches nothing served.
        with pytest.raises(PublishError, match="write-ahead log"):
            publish(build.db_path, layout.root)
        assert served_files(layout) == before

    result = build.dbt(BUILD_ARGS, dbt_vars=second_vars)
    assert result.ok, result.output[-4000:]
    duplicates, gaps, last_day = build.query(
        f"""
        with per_key as (
            select account_id, date_day, count(*) as n from marts.{FCT} group by all
        ),
        per_account as (
            select account_id, count(*) as days, min(date_day) as first_day,
                max(date_day) as last_day
            from marts.{FCT} group by account_id
        )
        select
            (select count(*) from per_key where n > 1),
            (select count(*) from per_account where days != last_day - first_day + 1),
            (select max(date_day) from marts.{FCT})
        """
    )[0]
    assert (duplicates, gaps, str(last_day)) == (0, 0, str(SECOND_AS_OF))

    # Re-running the same build (as_of fixed) leaves the incremental history exactly as it is.
    fingerprint = f"select count(*), sum(hash(columns(*))) from marts.{FCT}"
    expected = build.query(fingerprint)
    rerun = build.dbt([*BUILD_ARGS, "--select", FCT], dbt_vars=second_vars)
    assert rerun.ok, rerun.output[-4000:]
    assert build.query(fingerprint) == expected

    again = publish(build.db_path, layout.root)
    assert again.as_of == str(SECOND_AS_OF)
    assert mart_counts(layout.database) == again.row_counts != published.row_counts
