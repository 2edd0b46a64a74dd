"""Raw data for the benchmark: generated once per parameter set and reused, plus the next day's
load batches for the incremental run."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import duckdb

from python_checks.generate import GenerateConfig, generate
from python_checks.generate.config import CHUNK_ACCOUNTS, CONTRACT_VERSION

GENERATOR_DIR = Path(__file__).resolve().parent.parent / "generate"
PARAMS_FILE = "bench_params.json"


@dataclass(frozen=True)
class RawSet:
    root: Path
    raw: Path
    truth: Path
    reused: bool
    generate_seconds: float
    rows: int
    bytes: int


@dataclass(frozen=True)
class DailyBatch:
    """One day of new load batches appended to a copy of the raw folder."""

    day: date
    rows: dict[str, int]


def generator_fingerprint() -> str:
    """A hash of the generator's source: a changed generator writes different data."""
    digest = hashlib.sha256()
    for path in sorted(GENERATOR_DIR.glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def raw_params(accounts: int, seed: int, chunk_accounts: int = CHUNK_ACCOUNTS) -> dict[str, object]:
    return {
        "accounts": accounts,
        "seed": seed,
        "chunk_accounts": chunk_accounts,
        "contract_version": CONTRACT_VERSION,
        "generator": generator_fingerprint(),
    }


def raw_set_dir(
    data_dir: Path, accounts: int, seed: int, chunk_accounts: int = CHUNK_ACCOUNTS
) -> Path:
    suffix = "" if chunk_accounts == CHUNK_ACCOUNTS else f"_c{chunk_accounts}"
    return data_dir / f"a{accounts}_s{seed}{suffix}"


def _parquet_stats(raw: Path) -> tuple[int, int]:
    files = sorted(raw.glob("*/*/*.parquet"))
    size = sum(f.stat().st_size for f in files)
    con = duckdb.connect()
    try:
        rows = sum(
            int(
                con.execute(
                    "select coalesce(sum(num_rows), 0) from parquet_file_metadata(?)", [str(f)]
                ).fetchone()[0]  # type: ignore[index]
            )
            for f in files
        )
    finally:
        con.close()
    return rows, size


def ensure_raw(data_dir: Path, accounts: int, seed: int, *, quiet: bool = False) -> RawSet:
    """The raw set for these parameters: reused when its folder has matching parameters, else
    (re)generated. The parameter file is written last, so an interrupted run regenerates."""
    root = raw_set_dir(data_dir, accounts, seed)
    params = raw_params(accounts, seed)
    params_path = root / PARAMS_FILE
    reused = params_path.exists() and json.loads(params_path.read_text()) == params
    seconds = 0.0
    if not reused:
        if params_path.exists():
            params_path.unlink()
        started = time.perf_counter()
        generate(
            GenerateConfig(
                accounts=accounts, seed=seed, out=root / "raw", truth=root / "truth", quiet=quiet
            )
        )
        seconds = time.perf_counter() - started
        params_path.write_text(json.dumps(params, indent=2) + "\n")
    rows, size = _parquet_stats(root / "raw")
    return RawSet(root, root / "raw", root / "truth", reused, seconds, rows, size)


def link_copy(src: Path, dst: Path) -> None:
    """A copy of a raw folder whose files are hard links (the benchmark only adds files)."""
    if dst.exists():
        shutil.rmtree(dst)

    def link_or_copy(s: str, d: str) -> object:
        try:
            os.link(s, d)
        except OSError:
            shutil.copy2(s, d)
        return d

    shutil.copytree(src, dst, copy_function=link_or_copy)


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


def append_next_day(raw: Path, sequence: int = 1) -> DailyBatch:
    """Land the next day's batches in ``raw``: the newest day's product events shifted by one
    day, with new ids and a later `_loaded_at`, and the same for the newest day's tickets.

    ``sequence`` numbers the batch file (batch_9001, batch_9002, ...) so successive calls land
    successive days."""
    tracks, tickets = raw / "product" / "tracks", raw / "support" / "ticket"
    name = f"batch_{9000 + sequence:04d}.parquet"
    con = duckdb.connect()
    try:
        con.execute("set TimeZone = 'UTC'")
        con.execute(
            f"""
            create temp view events as
            select * from read_parquet('{_sql_path(tracks)}/*.parquet', union_by_name = true)
            """
        )
        # The newest day with a believable event (not clock-skewed into the future).
        last_day, loaded = con.execute(
            """
            select cast(max(timestamp) filter (
                    where timestamp <= coalesce(received_at, _loaded_at) + interval 24 hour
                ) as date),
                max(_loaded_at)
            from events
            """
        ).fetchone()  # type: ignore[misc]
        con.execute(
            f"""
            copy (
                with newest as (
                    select * from events
                    where cast(timestamp as date) = ?
                    qualify row_number() over (partition by id order by _loaded_at desc) = 1
                )
                select
                    id || '-bench-{sequence}' as id, user_id, anonymous_id, event,
                    timestamp + interval 1 day as timestamp,
                    received_at + interval 1 day as received_at,
                    cast(? as timestamptz) + interval 1 day as _loaded_at
                from newest
            ) to '{_sql_path(tracks / name)}' (format parquet, compression zstd)
            """,
            [last_day, loaded],
        )
        con.execute(
            f"""
            create temp view tickets as
            select * from read_parquet('{_sql_path(tickets)}/*.parquet', union_by_name = true)
            """
        )
        con.execute(
            f"""
            copy (
                with newest as (
                    select * from tickets
                    where cast(created_at as date) = ?
                    qualify row_number() over (partition by id order by _loaded_at desc) = 1
                )
                select
                    (select max(id) from tickets) + row_number() over (order by id) as id,
                    * exclude (id, created_at, updated_at, solved_at, _loaded_at),
                    created_at + interval 1 day as created_at,
                    updated_at + interval 1 day as updated_at,
                    solved_at + interval 1 day as solved_at,
                    (select max(_loaded_at) from tickets) + interval 1 day as _loaded_at
                from newest
            ) to '{_sql_path(tickets / name)}' (format parquet, compression zstd)
            """,
            [last_day],
        )
        counts = {
            "product/tracks": con.execute(
                f"select count(*) from '{_sql_path(tracks / name)}'"
            ).fetchone()[0],  # type: ignore[index]
            "support/ticket": con.execute(
                f"select count(*) from '{_sql_path(tickets / name)}'"
            ).fetchone()[0],  # type: ignore[index]
        }
    finally:
        con.close()
    return DailyBatch(day=last_day + timedelta(days=1), rows={k: int(v) for k, v in counts.items()})
