"""A change of weights re-scores history from the stored signal scores.

The signal layer (activity, the wide int_signals_<dimension> tables) depends on the signal
configuration only, so after a weights edit a plain `dbt build` leaves its stored rows alone
(apart from the daily lookback) and rebuilds the composite layer as new tables (macro
should_full_refresh: every row written once, none rewritten in place). The result must equal a
full build with the new weights. The rebuild runs in day batches (a small var day_batch_rows, as
at scale).
The flags' signal rule hits store a hash of the signals and flag rules alone: kept as well.
Nothing of the signal layer is downstream of the weights, so `dbt build --select
health_weights+` re-scores without running any of it, to the same result.
"""

from __future__ import annotations

import csv
import json
import shutil
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import duckdb

from python_checks.bench.rawdata import append_next_day
from python_checks.build_fixtures import Build, copy_project
from python_checks.tests.test_day_batches import BATCH_ROWS, batches_written

DAILY_RUN = ["build", "--exclude", "test_type:data"]
# Two signals whose weights trade places in every weight set (the sums stay at one).
SWAPPED = ("days_since_last_login", "csm_rating")
# The facts of the activity layer and the signals computed from them: left alone by a weight change.
SIGNAL_LAYER = (
    "int_account_support_daily",
    "int_account_crm_daily",
    "int_account_feedback_daily",
    "int_account_payments_daily",
    "int_account_deals_daily",
    "int_signals_product",
    "int_signals_service",
    "int_signals_human_input",
    "int_signals_relationship",
    "int_signals_financial",
)
# The flags' signal rule hits: downstream of the scoring configuration (their own hash of the
# flag rules), but a weight change leaves their stored days alone too.
KEPT_LAYER = (*SIGNAL_LAYER, "int_account_flag_hits_daily")
COMPOSITE_LAYER = ("int_account_health_daily",)
# What an analytics engineer runs to adopt new weights: the seed and what depends on it.
RESCORE = ["build", "--select", "health_weights+", "--exclude", "test_type:data"]
# Upstream of the signal scores as well (the spine, identity, stages, the facts the signals read).
SIGNAL_INPUTS = (
    "int_account_days",
    "int_account_identity",
    "int_account_stage_daily",
    "int_account_daily_activity",
    "int_account_usage_daily",
    "int_product_user_days",
    "int_signals_onboarding",
    "int_signal_config",
)
# Days older than this before the newest day are outside any daily rewrite (lookback 3 days).
UNTOUCHED_BEFORE_DAYS = 10


def _project_with_seed_edit(
    root: Path, seed_name: str, edit: Callable[[list[dict[str, str]]], None]
) -> Path:
    """A copy of the project whose seeds/<seed_name>.csv has its rows changed in place by
    ``edit`` (columns and their order kept)."""
    project = copy_project(root / "project")
    seed = project / "seeds" / f"{seed_name}.csv"
    with seed.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        fields, rows = reader.fieldnames, list(reader)
    assert fields is not None
    edit(rows)
    with seed.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    return project


def _swap_weights(rows: list[dict[str, str]]) -> None:
    by_set: dict[tuple[str, str, str], dict[str, dict[str, str]]] = {}
    for row in rows:
        key = (row["effective_from"], row["lifecycle_stage"], row["customer_tier"])
        by_set.setdefault(key, {})[row["signal_name"]] = row
    swapped = 0
    for signals in by_set.values():
        first, second = (signals.get(name) for name in SWAPPED)
        if first and second and first["weight"] != second["weight"]:
            first["weight"], second["weight"] = second["weight"], first["weight"]
            swapped += 1
    assert swapped > 0, "no weight set gives the two signals different weights"


def _reweighted_project(root: Path) -> Path:
    return _project_with_seed_edit(root, "health_weights", _swap_weights)


def _row_ids(db: Path, table: str) -> set[tuple]:
    """The storage row ids of a table's older days: a row deleted and inserted again gets a new
    one, so an unchanged set means the run did not rewrite those days."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return set(
            con.execute(
                f"""
                select rowid, account_id, date_day from intermediate.{table}
                where date_day < (select max(date_day) from intermediate.{table})
                    - {UNTOUCHED_BEFORE_DAYS}
                """
            ).fetchall()
        )
    finally:
        con.close()


def _rows_of_another_configuration(db: Path, table: str) -> int:
    """How many stored rows carry another configuration hash than the current scoring one."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        row = con.execute(
            f"""
            select count(*) from intermediate.{table}
            where scoring_config_hash
                != (select scoring_config_hash from intermediate.int_scoring_config)
            """
        ).fetchone()
    finally:
        con.close()
    assert row is not None
    return int(row[0])


def _run_sql(build: Build, model: str) -> str:
    """The SQL the last run executed to write a model (dbt's target/run), lower case."""
    paths = list((build.work_dir / "target" / "run").rglob(f"{model}.sql"))
    assert len(paths) == 1, f"no single run file for {model}: {paths}"
    return paths[0].read_text().lower()


def _history(db: Path) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(
            "select * exclude (scoring_config_hash) from marts.fct_account_health_daily order by all"
        ).fetchall()
    finally:
        con.close()


def _models_run(build: Build) -> set[str]:
    results = json.loads((build.work_dir / "target" / "run_results.json").read_text())
    return {
        str(result["unique_id"]).split(".")[-1]
        for result in results["results"]
        if str(result["unique_id"]).startswith("model.")
    }


def test_a_weight_change_rescores_history_without_recomputing_signals(
    sample_build: Build, tmp_path: Path
) -> None:
    project = _reweighted_project(tmp_path)
    rescored = sample_build.copy(tmp_path / "rescored")
    before = {table: _row_ids(rescored.db_path, table) for table in KEPT_LAYER}
    history_before = _history(rescored.db_path)
    assert all(before.values()), "the sample has no days before the lookback"

    result = rescored.dbt(DAILY_RUN, project_dir=project, dbt_vars={"day_batch_rows": BATCH_ROWS})
    assert result.ok, result.output[-4000:]
    assert batches_written(rescored) >= 3, "the rewrite of every day was not cut into batches"

    for table in KEPT_LAYER:
        assert _row_ids(rescored.db_path, table) == before[table], (
            f"{table} rewrote stored days on a weights change"
        )
    for table in COMPOSITE_LAYER:
        assert _rows_of_another_configuration(rescored.db_path, table) == 0, (
            f"{table} kept rows made with the old weights"
        )
        run_sql = " ".join(_run_sql(rescored, table).split())
        assert "create table" in run_sql and "delete from" not in run_sql, (
            f"{table} was rewritten in place, not rebuilt as a new table"
        )

    full = Build(
        sample_build.raw_dir,
        sample_build.truth_dir,
        tmp_path / "full" / "full.duckdb",
        tmp_path / "full" / "work",
    )
    full.db_path.parent.mkdir(parents=True)
    result = full.dbt(DAILY_RUN, project_dir=project)
    assert result.ok, result.output[-4000:]

    history_full = _history(full.db_path)
    history_after = _history(rescored.db_path)
    assert history_after != history_before, "the swapped weights changed no score"
    assert history_after == history_full

    # The selected re-score: the seed and its descendants only, to the same history.
    selected = sample_build.copy(tmp_path / "selected")
    result = selected.dbt(RESCORE, project_dir=project)
    assert result.ok, result.output[-4000:]
    ran = _models_run(selected)
    assert set(COMPOSITE_LAYER) <= ran, f"the re-score left out {set(COMPOSITE_LAYER) - ran}"
    upstream = ran & set(SIGNAL_LAYER + SIGNAL_INPUTS)
    assert not upstream, f"a weights change selected signal-layer models: {sorted(upstream)}"
    assert _history(selected.db_path) == history_full


# The flag rule a test edits, and its new threshold (seed health_flags: usage_trend <= 0.7).
EDITED_FLAG, EDITED_SIGNAL, EDITED_THRESHOLD = "usage_decline", "usage_trend", "0.8"


def _loosen_flag_rule(rows: list[dict[str, str]]) -> None:
    edited = [
        row
        for row in rows
        if (row["flag_name"], row["signal_name"]) == (EDITED_FLAG, EDITED_SIGNAL)
    ]
    assert len(edited) == 1 and edited[0]["comparison"] == "<=", edited
    assert edited[0]["threshold"] != EDITED_THRESHOLD
    edited[0]["threshold"] = EDITED_THRESHOLD


def _edited_flag_project(root: Path) -> Path:
    return _project_with_seed_edit(root, "health_flags", _loosen_flag_rule)


def test_a_flag_rule_change_rewrites_the_flag_hits(sample_build: Build, tmp_path: Path) -> None:
    """A changed flag rule changes the flag hash: the stored hits are rebuilt on every day, and
    the flags then follow the new threshold exactly (checked against the signals themselves)."""
    project = _edited_flag_project(tmp_path)
    edited = sample_build.copy(tmp_path / "edited")
    flagged = (
        f"select account_id, date_day from intermediate.int_account_flags_daily"
        f" where flag_name = '{EDITED_FLAG}'"
    )
    before = set(edited.query(flagged))

    result = edited.dbt(DAILY_RUN, project_dir=project)
    assert result.ok, result.output[-4000:]

    other_hash = edited.query(
        "select count(*) from intermediate.int_account_flag_hits_daily"
        " where scoring_config_hash != (select flag_config_hash from intermediate.int_scoring_config)"
    )
    assert other_hash == [(0,)], "flag hits kept rows made with the old flag rules"
    run_sql = " ".join(_run_sql(edited, "int_account_flag_hits_daily").split())
    assert "create table" in run_sql and "delete from" not in run_sql
    # Every account-day the edited rule holds on, from the signals: flagged, and nothing else.
    expected = set(
        edited.query(
            f"""
            select account_id, date_day from intermediate.int_account_signals_daily
            where signal_name = '{EDITED_SIGNAL}' and not is_missing
                and signal_value <= {EDITED_THRESHOLD}
            """
        )
    )
    after = set(edited.query(flagged))
    assert after == expected
    assert after > before, "the looser threshold flagged no more account-days"


def _adopt_sets_from(effective_from: date) -> Callable[[list[dict[str, str]]], None]:
    """The calibrate way of adopting weights: a new set for every stage and tier, a copy of its
    newest set with the two SWAPPED signals' weights traded, taking effect on ``effective_from``
    (the seed's older sets stay, as a changelog)."""

    def adopt(rows: list[dict[str, str]]) -> None:
        newest: dict[tuple[str, str], str] = {}
        for row in rows:
            key = (row["lifecycle_stage"], row["customer_tier"])
            newest[key] = max(newest.get(key, ""), row["effective_from"])
        assert all(day < effective_from.isoformat() for day in newest.values()), newest
        adopted = [
            dict(row, effective_from=effective_from.isoformat(), reason="adopted proposal")
            for row in rows
            if row["effective_from"] == newest[(row["lifecycle_stage"], row["customer_tier"])]
        ]
        _swap_weights(adopted)
        rows.extend(adopted)

    return adopt


def test_a_weight_set_taking_effect_after_the_as_of_date_rescores_history_when_it_does(
    sample_build: Build, tmp_path: Path
) -> None:
    """Sets adopted today that take effect tomorrow (as `make calibrate` proposes them): today's
    run keeps today's weights as the current ones; the daily run whose as-of date reaches the new
    sets must re-score every stored day's score with today's weights, as a full build does."""
    raw = tmp_path / "raw"
    shutil.copytree(sample_build.raw_dir, raw)
    daily = sample_build.copy(tmp_path / "daily")
    daily = Build(raw, daily.truth_dir, daily.db_path, daily.work_dir)
    as_of = daily.query("select as_of_on from intermediate.int_as_of_date")[0][0]
    project = _project_with_seed_edit(
        tmp_path, "health_weights", _adopt_sets_from(as_of + timedelta(days=1))
    )
    current_scores = (
        "select account_id, date_day, health_score_current_weights"
        " from marts.fct_account_health_daily order by all"
    )
    before = daily.query(current_scores)

    result = daily.dbt(DAILY_RUN, project_dir=project)
    assert result.ok, result.output[-4000:]
    assert daily.query(current_scores) == before, "sets taking effect tomorrow changed today's"

    hashes = "select scoring_config_hash, alert_config_hash from intermediate.int_scoring_config"
    adopted_hashes = daily.query(hashes)

    batch = append_next_day(raw, 1)
    assert batch.day == as_of + timedelta(days=1), (batch.day, as_of)
    result = daily.dbt(DAILY_RUN, project_dir=project)
    assert result.ok, result.output[-4000:]
    # Which sets are current is part of the scoring configuration, not of the alerts' (they read
    # the scores with the weights in force each day, which the new sets do not change before).
    scoring_before, alert_before = adopted_hashes[0]
    scoring_after, alert_after = daily.query(hashes)[0]
    assert scoring_after != scoring_before and alert_after == alert_before

    full = Build(raw, daily.truth_dir, tmp_path / "full" / "full.duckdb", tmp_path / "full" / "w")
    full.db_path.parent.mkdir(parents=True)
    result = full.dbt(DAILY_RUN, project_dir=project)
    assert result.ok, result.output[-4000:]

    history_full = _history(full.db_path)
    assert _history(daily.db_path) == history_full
    # The new sets are today's weights for every older day too (the comparison is not between
    # two builds that both kept the old ones).
    old_scores = {(account, day): score for account, day, score in before}
    moved = [
        key
        for account, day, score in full.query(current_scores)
        if (key := (account, day)) in old_scores and old_scores[key] != score
    ]
    assert moved, "the adopted sets changed no older day's score with today's weights"
