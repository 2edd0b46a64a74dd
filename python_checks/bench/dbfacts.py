"""What a benchmark step produced, read from its DuckDB file and dbt's run_results.json."""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import duckdb


def _connect(db_path: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(db_path), read_only=True)


def _scalar(con: duckdb.DuckDBPyConnection, sql: str, params: list[object] | None = None) -> object:
    row = con.execute(sql, params or []).fetchone()
    return None if row is None else row[0]


def remove_database(db_path: Path) -> None:
    """Delete a DuckDB file with its WAL and spill folder."""
    for path in (db_path, db_path.with_name(db_path.name + ".wal")):
        path.unlink(missing_ok=True)
    shutil.rmtree(db_path.with_name(db_path.name + ".tmp"), ignore_errors=True)


def database_mib(db_path: Path) -> float:
    return db_path.stat().st_size / 2**20 if db_path.exists() else 0.0


def staged_raw_rows(db_path: Path) -> int:
    """Raw rows the staging layer read: the rows of every base_* table."""
    con = _connect(db_path)
    try:
        tables = con.execute(
            "select table_schema, table_name from information_schema.tables"
            " where table_name like 'base\\_%' escape '\\' order by all"
        ).fetchall()
        return sum(
            int(_scalar(con, f'select count(*) from "{schema}"."{name}"'))  # type: ignore[arg-type]
            for schema, name in tables
        )
    finally:
        con.close()


@dataclass(frozen=True)
class MartFacts:
    history_rows: int
    as_of: str | None
    last_day: str | None
    accounts_scored_as_of: int

    def as_dict(self) -> dict[str, object]:
        return {
            "history_rows": self.history_rows,
            "as_of": self.as_of,
            "last_day": self.last_day,
            "accounts_scored_as_of": self.accounts_scored_as_of,
        }


def mart_facts(db_path: Path) -> MartFacts:
    """Rows of the daily history mart and the accounts scored on the as-of day."""
    con = _connect(db_path)
    try:
        rows, last_day = con.execute(
            "select count(*), cast(max(date_day) as varchar) from marts.fct_account_health_daily"
        ).fetchone()  # type: ignore[misc]
        as_of = _scalar(con, "select cast(as_of_on as varchar) from intermediate.int_as_of_date")
        scored = _scalar(
            con,
            "select count(*) from marts.fct_account_health_daily"
            " where date_day = (select as_of_on from intermediate.int_as_of_date)",
        )
    finally:
        con.close()
    return MartFacts(int(rows), as_of, last_day, int(scored))  # type: ignore[arg-type]


def history_rows_after(db_path: Path, day: str) -> int:
    """Rows of the daily history mart after ``day`` (what an incremental run rewrote)."""
    con = _connect(db_path)
    try:
        return int(
            _scalar(  # type: ignore[arg-type]
                con,
                "select count(*) from marts.fct_account_health_daily where date_day > cast(? as date)",
                [day],
            )
        )
    finally:
        con.close()


def test_statuses(run_results: Path) -> dict[str, int]:
    """How many data and unit tests passed, warned, failed or errored in a `dbt build`."""
    results = json.loads(run_results.read_text())["results"]
    return dict(
        Counter(r["status"] for r in results if r["unique_id"].startswith(("test.", "unit_test.")))
    )


@dataclass(frozen=True)
class ModelTiming:
    model: str
    seconds: float
    share: float
    rows: int | None

    def as_dict(self) -> dict[str, object]:
        return {
            "model": self.model,
            "seconds": round(self.seconds, 2),
            "share": round(self.share, 4),
            "rows": self.rows,
        }


def slowest_models(run_results: Path, db_path: Path | None, top: int = 10) -> list[ModelTiming]:
    """The models that took longest in a run, with their share of all model time and their rows
    (counted in ``db_path`` when it still exists)."""
    results = [
        r
        for r in json.loads(run_results.read_text())["results"]
        if r["unique_id"].startswith("model.")
    ]
    total = sum(r["execution_time"] for r in results) or 1.0
    ranked = sorted(results, key=lambda r: r["execution_time"], reverse=True)[:top]
    con = _connect(db_path) if db_path is not None and db_path.exists() else None
    timings = []
    try:
        for r in ranked:
            rows = None
            relation = r.get("relation_name")
            if con is not None and relation:
                schema, name = [part.strip('"') for part in relation.split(".")][-2:]
                try:
                    rows = int(_scalar(con, f'select count(*) from "{schema}"."{name}"'))  # type: ignore[arg-type]
                except duckdb.Error:
                    rows = None
            timings.append(
                ModelTiming(
                    model=r["unique_id"].split(".")[-1],
                    seconds=float(r["execution_time"]),
                    share=float(r["execution_time"]) / total,
                    rows=rows,
                )
            )
    finally:
        if con is not None:
            con.close()
    return timings


_LOGGED_MODEL = re.compile(
    r"OK created \S+ (?:\S+ )*?model (?P<relation>\S+) .*?\[OK in (?P<seconds>[\d.]+)s\]"
)


def slowest_models_from_log(dbt_log: Path, top: int = 10) -> list[ModelTiming]:
    """The slowest models a run logged as finished (for a run stopped before run_results.json)."""
    if not dbt_log.exists():
        return []
    text = re.sub(r"\x1b\[[0-9;]*m", "", dbt_log.read_text(errors="replace"))
    timings = {
        m.group("relation").split(".")[-1]: float(m.group("seconds"))
        for m in _LOGGED_MODEL.finditer(text)
    }
    total = sum(timings.values()) or 1.0
    ranked = sorted(timings.items(), key=lambda item: item[1], reverse=True)[:top]
    return [ModelTiming(name, seconds, seconds / total, None) for name, seconds in ranked]


def compare_floor(db_path: Path, scores: Path) -> dict[str, object]:
    """The floor's accounts and scores beside the dbt build's on the as-of day."""
    con = _connect(db_path)
    try:
        row = con.execute(
            """
            with dbt as (
                select account_id, computed_health_score as health_score
                from marts.fct_account_health_daily
                where date_day = (select as_of_on from intermediate.int_as_of_date)
            ),
            floor as (select account_id, health_score from read_parquet(?))
            select
                count(*) filter (where dbt.account_id is not null and floor.account_id is not null),
                count(*) filter (where floor.account_id is null),
                count(*) filter (where dbt.account_id is null),
                corr(dbt.health_score, floor.health_score),
                avg(abs(dbt.health_score - floor.health_score))
            from dbt
            full outer join floor on dbt.account_id = floor.account_id
            """,
            [str(scores)],
        ).fetchone()
    finally:
        con.close()
    return _agreement(row, "accounts_in_both")


def compare_history(db_path: Path, scores: Path) -> dict[str, object]:
    """The history floor's account-days and scores beside the dbt build's daily history mart
    (its computed score and band, before overrides)."""
    con = _connect(db_path)
    try:
        row = con.execute(
            """
            with dbt as (
                select account_id, date_day, computed_health_score as health_score,
                    computed_health_band as health_band
                from marts.fct_account_health_daily
            ),
            floor as (select account_id, date_day, health_score, health_band from read_parquet(?))
            select
                count(*) filter (where dbt.account_id is not null and floor.account_id is not null),
                count(*) filter (where floor.account_id is null),
                count(*) filter (where dbt.account_id is null),
                corr(dbt.health_score, floor.health_score),
                avg(abs(dbt.health_score - floor.health_score)),
                avg(case when dbt.health_band = floor.health_band then 1.0 else 0.0 end)
                    filter (where dbt.account_id is not null and floor.account_id is not null)
            from dbt
            full outer join floor
                on dbt.account_id = floor.account_id and dbt.date_day = floor.date_day
            """,
            [str(scores)],
        ).fetchone()
    finally:
        con.close()
    facts = _agreement(row, "account_days_in_both")
    facts["band_agreement"] = None if row[5] is None else round(float(row[5]), 3)
    return facts


def _agreement(row: tuple | None, in_both: str) -> dict[str, object]:
    """A floor's rows and scores beside dbt's: counts in both and in one only, score
    correlation and mean absolute difference (the first five columns of `row`)."""
    assert row is not None
    return {
        in_both: int(row[0]),
        "only_in_dbt": int(row[1]),
        "only_in_floor": int(row[2]),
        "score_correlation": None if row[3] is None else round(float(row[3]), 3),
        "mean_abs_score_difference": None if row[4] is None else round(float(row[4]), 2),
    }


def export_scores(db_path: Path, target: Path) -> None:
    """The daily history mart's computed scores, saved to compare after a change."""
    target.parent.mkdir(parents=True, exist_ok=True)
    con = _connect(db_path)
    try:
        con.execute(
            f"""
            copy (
                select account_id, date_day, computed_health_score as health_score
                from marts.fct_account_health_daily
            ) to '{str(target).replace("'", "''")}' (format parquet)
            """
        )
    finally:
        con.close()


def scores_changed(db_path: Path, before: Path) -> dict[str, int]:
    """Account-days of the daily history mart whose computed score differs from ``before``
    (export_scores), and how many there are in all, before and after."""
    con = _connect(db_path)
    try:
        row = con.execute(
            """
            select
                count(*) filter (where old.account_id is not null),
                count(*) filter (where new.account_id is not null),
                count(*) filter (
                    where new.account_id is not null and old.account_id is not null
                        and new.health_score is distinct from old.health_score
                )
            from read_parquet(?) as old
            full outer join (
                select account_id, date_day, computed_health_score as health_score
                from marts.fct_account_health_daily
            ) as new
                on old.account_id = new.account_id and old.date_day = new.date_day
            """,
            [str(before)],
        ).fetchone()
    finally:
        con.close()
    assert row is not None
    return {"before": int(row[0]), "after": int(row[1]), "changed": int(row[2])}
