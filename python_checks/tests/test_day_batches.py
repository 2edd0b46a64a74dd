"""Models written in day batches equal the same models written in one statement.

At scale `int_account_health_daily` and the signal steps `int_signals_<dimension>` are written in
ranges of days (macro day_batches, var day_batch_rows): each composite batch also scores the 30
days before it for the 7- and 30-day changes; a signal step scores each day on its own (peer
groups are per day). The sample fits one batch by default; a small var day_batch_rows cuts it
into several, on a full build (create, then insert) and on a run that rewrites every day (the
daily run's temporary table, after a weights change: see test_weight_change).
"""

from __future__ import annotations

from pathlib import Path

from python_checks.build_fixtures import Build
from python_checks.vocabulary import scoring_dimensions

# The sample has about 160 account-days a day: this cuts its history into several batches.
BATCH_ROWS = 10_000
HEALTH = "intermediate.int_account_health_daily"


# One signal step per dimension of the composite (var signals).
SIGNAL_STEPS = [f"int_signals_{dimension}" for dimension in scoring_dimensions()]


def batches_written(build: Build, model: str = "int_account_health_daily") -> int:
    """How many batches the model was written in, by the statements of dbt's debug log (a fresh
    work folder's log holds only the runs made there)."""
    log = build.work_dir / "logs" / "dbt.log"
    return log.read_text(encoding="utf-8").count(f"set variable day_batch_from__{model}")


def _health_rows(build: Build) -> list[tuple]:
    return build.query(f"select * from {HEALTH} order by account_id, date_day")


def test_a_full_build_in_day_batches_equals_one_statement(
    sample_build: Build, tmp_path: Path
) -> None:
    batched = sample_build.copy(tmp_path / "batched")
    result = batched.dbt(
        ["run", "--select", "int_account_health_daily", "--full-refresh"],
        dbt_vars={"day_batch_rows": BATCH_ROWS},
    )
    assert result.ok, result.output[-4000:]
    assert batches_written(batched) >= 3, "the sample was not cut into batches"

    rows = _health_rows(batched)
    assert rows, "the batched build wrote no rows"
    assert rows == _health_rows(sample_build)


def test_signal_steps_in_day_batches_equal_one_statement(
    sample_build: Build, tmp_path: Path
) -> None:
    batched = sample_build.copy(tmp_path / "batched_signals")
    result = batched.dbt(
        ["run", "--select", *SIGNAL_STEPS, "--full-refresh"],
        dbt_vars={"day_batch_rows": BATCH_ROWS},
    )
    assert result.ok, result.output[-4000:]
    for model in SIGNAL_STEPS:
        assert batches_written(batched, model) >= 3, f"{model} was not cut into batches"
        query = f"select * from intermediate.{model} order by account_id, date_day"
        rows = batched.query(query)
        assert rows, f"the batched build of {model} wrote no rows"
        assert rows == sample_build.query(query), f"{model} differs when written in day batches"
