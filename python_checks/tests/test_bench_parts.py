"""The benchmark's parts on small hand-made inputs (fast; no dbt): the history floor's output,
the weight edit, the spill measurement and the ratio and growth figures of the report."""

from __future__ import annotations

import csv
import hashlib
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import duckdb
import pytest

from python_checks.bench.config import BenchConfig
from python_checks.bench.floor import floor_statements
from python_checks.bench.history_floor import (
    HISTORY_FLOOR_SQL,
    history_floor_script,
    run_history_floor,
    stage_params,
)
from python_checks.bench.measure import SpillWatch, _run_guarded, folder_mib
from python_checks.bench.rawdata import ensure_raw
from python_checks.bench.report import growth_table, per_10x, scale_table
from python_checks.bench.snapshot import DBT_PATHS
from python_checks.bench.weights import dimension_signals, edited_project, scale_weights
from python_checks.dbt_runner import PROJECT_DIR

SEEDS = PROJECT_DIR / "seeds"


# ---------------------------------------------------------------- history floor
@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object]]:
    """The history floor over a 30-account generated raw set."""
    root = tmp_path_factory.mktemp("history_floor")
    raw = ensure_raw(root / "data", 30, 11, quiet=True)
    scores = root / "scores.parquet"
    summary = run_history_floor(raw.raw, scores)
    return scores, summary.as_dict()


def _query(scores: Path, sql: str) -> list[tuple[object, ...]]:
    con = duckdb.connect()
    try:
        con.execute(f"create view s as select * from read_parquet('{scores}')")
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_history_floor_writes_one_row_per_account_day(
    history: tuple[Path, dict[str, object]],
) -> None:
    scores, summary = history
    rows, keys, accounts, gaps = _query(
        scores,
        """
        select count(*), count(distinct (account_id, date_day)), count(distinct account_id),
            -- a dense spine: each account's days run from its first to its last without a gap
            (select count(*) from (
                select account_id from s group by account_id
                having max(date_day) - min(date_day) + 1 <> count(*)
            ))
        from s
        """,
    )[0]
    assert summary["rows"] == rows == keys
    assert summary["accounts"] == accounts
    assert isinstance(rows, int) and isinstance(accounts, int) and rows > 10 * accounts > 0
    assert gaps == 0
    # Every statement is timed under the table it makes, in order, the Parquet copy last.
    timings = summary["statement_seconds"]
    assert isinstance(timings, dict)
    assert list(timings)[-1] == "copy"
    assert "create temp table signals" in timings and "create temp table user_days" in timings
    assert len(timings) == len(floor_statements(HISTORY_FLOOR_SQL.read_text()))
    assert summary["as_of"] == _query(scores, "select cast(max(date_day) as varchar) from s")[0][0]


def test_history_floor_bands_and_changes_follow_the_scores(
    history: tuple[Path, dict[str, object]],
) -> None:
    scores = history[0]
    with (SEEDS / "health_bands.csv").open(newline="") as handle:
        bands = [
            (int(b["min_score"]), int(b["max_score"]), b["band"]) for b in csv.DictReader(handle)
        ]
    rows = _query(scores, "select health_score, health_band from s")
    for score, band in rows:
        assert isinstance(score, float) and 0 <= score <= 100
        # Half away from zero, as DuckDB rounds (Python's round() rounds half to even).
        one_decimal = Decimal(str(score)).quantize(Decimal("0.1"), ROUND_HALF_UP)
        published = int(one_decimal.quantize(Decimal("1"), ROUND_HALF_UP))
        assert band == next(name for low, high, name in bands if low <= published <= high)
    wrong = _query(
        scores,
        """
        select count(*) filter (where s.score_change_7d is distinct from s.health_score - week.health_score),
            count(*) filter (where s.score_change_30d is distinct from s.health_score - month.health_score),
            count(*) filter (where week.account_id is not null)
        from s
        left join s as week on s.account_id = week.account_id and week.date_day = s.date_day - 7
        left join s as month on s.account_id = month.account_id and month.date_day = s.date_day - 30
        """,
    )[0]
    assert wrong[0] == wrong[1] == 0
    assert isinstance(wrong[2], int) and wrong[2] > 0


def test_history_floor_scores_most_signals_and_every_stage(
    history: tuple[Path, dict[str, object]],
) -> None:
    scores = history[0]
    most, stages = _query(
        scores, "select max(signals_scored), list_sort(list(distinct lifecycle_stage)) from s"
    )[0]
    # 15 signals; nps and csat need a survey in their window, so not every day has all.
    assert isinstance(most, int) and 12 <= most <= 15
    assert stages == ["adoption", "maturity", "onboarding", "renewal"]


def test_history_floor_script_fills_every_placeholder(tmp_path: Path) -> None:
    script = history_floor_script(tmp_path / "raw", tmp_path / "out.parquet")
    assert "{{" not in script and "}}" not in script
    assert str(tmp_path / "out.parquet") in script
    assert "{{ out }}" in HISTORY_FLOOR_SQL.read_text()


def test_stage_rule_days_come_from_the_stage_seed(tmp_path: Path) -> None:
    assert stage_params() == {
        "stages": "['adoption', 'maturity', 'onboarding', 'renewal']",
        "renewal_days": 90,
        "onboarding_days": 90,
        "adoption_days": 180,
    }
    (tmp_path / "seeds").mkdir()
    with (SEEDS / "lifecycle_stage_rules.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        if row["stage"] == "adoption":
            row["max_days_since_start"] = ""
    with (tmp_path / "seeds" / "lifecycle_stage_rules.csv").open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    with pytest.raises(ValueError, match=r"'adoption'.*max_days_since_start"):
        stage_params(tmp_path)


# ---------------------------------------------------------------- weight edit
def _weights(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def test_scale_weights_changes_only_the_stage_and_signals(tmp_path: Path) -> None:
    path = tmp_path / "w.csv"
    path.write_text(
        "effective_from,lifecycle_stage,customer_tier,signal_name,weight,reason\n"
        '2024-01-01,maturity,default,a,0.2,"x, y"\n'
        '2024-01-01,maturity,default,b,0.4,"x, y"\n'
        '2024-01-01,adoption,default,a,0.2,"x, y"\n'
        '2024-11-01,maturity,Enterprise,a,0.1,"x, y"\n'
    )
    assert scale_weights(path, {"a"}, "maturity", 1.25) == 2
    rows = _weights(path)
    assert [float(r["weight"]) for r in rows] == [0.25, 0.4, 0.2, 0.125]
    assert [r["reason"] for r in rows] == ["x, y"] * 4
    with pytest.raises(ValueError, match="no weight of stage 'renewal'"):
        scale_weights(path, {"a"}, "renewal", 2.0)


def test_edited_project_is_a_copy_and_the_source_is_untouched(tmp_path: Path) -> None:
    seed = SEEDS / "health_weights.csv"
    digest = hashlib.sha256(seed.read_bytes()).hexdigest()
    edit = edited_project(PROJECT_DIR, tmp_path / "project")
    assert hashlib.sha256(seed.read_bytes()).hexdigest() == digest
    assert sorted(p.name for p in (tmp_path / "project").iterdir()) == sorted(
        name for name in DBT_PATHS if (PROJECT_DIR / name).exists()
    )
    product = dimension_signals(SEEDS / "signal_thresholds.csv", "product")
    assert "days_since_last_login" in product and "open_tickets" not in product
    before, after = _weights(seed), _weights(tmp_path / "project" / "seeds" / "health_weights.csv")
    assert len(before) == len(after)
    changed = 0
    for old, new in zip(before, after, strict=True):
        if old["lifecycle_stage"] == "maturity" and old["signal_name"] in product:
            assert float(new["weight"]) == pytest.approx(1.25 * float(old["weight"]))
            changed += 1
        else:
            assert new == old
    assert edit.rows_changed == changed > 0


# ---------------------------------------------------------------- spill
def test_folder_mib_counts_allocated_space(tmp_path: Path) -> None:
    assert folder_mib(tmp_path / "absent") == 0.0
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "spill.bin").write_bytes(b"\1" * 3 * 2**20)
    assert 3.0 <= folder_mib(tmp_path) < 3.2


def test_spill_peak_is_kept_after_the_files_are_gone(tmp_path: Path) -> None:
    spill_dir = tmp_path / "step.tmp"
    script = (
        "import pathlib, time, sys\n"
        "d = pathlib.Path(sys.argv[1]); d.mkdir()\n"
        "(d / 'a.bin').write_bytes(b'1' * 2 * 2**20)\n"
        "time.sleep(2.5)\n"
        "(d / 'a.bin').unlink()\n"
        "time.sleep(1.5)\n"
    )
    watch = SpillWatch(spill_dir)
    _run_guarded([sys.executable, "-c", script, str(spill_dir)], None, watch)
    assert folder_mib(spill_dir) == 0.0
    assert watch.peak_mib is not None and 2.0 <= watch.peak_mib < 2.2
    assert SpillWatch(None).peak_mib is None


# ---------------------------------------------------------------- report
def test_per_10x_is_growth_per_tenfold_data() -> None:
    assert per_10x(2.0, 20.0, 10) == pytest.approx(10.0)  # linear
    assert per_10x(1.0, 50.0, 50) == pytest.approx(10.0)  # linear over 50x
    assert per_10x(1.0, 10_000.0, 100) == pytest.approx(100.0)  # quadratic
    assert per_10x(0.5, 0.5, 10) == pytest.approx(1.0)  # a steady ratio
    assert per_10x(None, 3.0, 10) is None
    assert per_10x(1.0, 3.0, 1) is None


def _step(name: str, seconds: float, peak: float, spill: float | None) -> dict[str, object]:
    return {
        "step": name,
        "title": name,
        "ok": True,
        "seconds": seconds,
        "seconds_samples": [seconds],
        "samples": [{}],
        "peak_mib": peak,
        "peak_spill_mib": spill,
        "rows": 1,
        "rows_what": "rows",
        "ratio_to_full_run": None,
    }


def _doc(accounts: int, scale: float) -> dict[str, object]:
    full, history, day, daily, weight = 100 * scale, 20 * scale, 2.0, 8 * scale, 30 * scale
    return {
        "accounts": accounts,
        "seed": 1,
        "load_avg_start": [1.0, 1.0, 1.0],
        "load_avg_end": None,
        "host": {"cpus": 2},
        "aborted": None,
        "slowest_models": [],
        "steps": [
            _step("full_run", full, 500 * scale, 100 * scale * scale),
            _step("floor", day, 200, None),
            _step("history_floor", history, 300, 0.0),
            _step("incremental", daily, 400, 10),
            _step("weight_change", weight, 450, 20),
        ],
        "ratios": {
            "full_run_over_floor": full / day,
            "full_build_over_floor": None,
            "incremental_over_full_run": daily / full,
            "incremental_over_full_build": None,
            "incremental_over_floor": daily / day,
            "full_build_over_full_run": None,
            "full_run_over_history_floor": full / history,
            "full_build_over_history_floor": None,
            "weight_change_over_full_run": weight / full,
            "weight_change_over_full_build": None,
        },
    }


def test_scale_table_prints_the_new_ratios_and_spill() -> None:
    doc = _doc(2000, 1.0)
    lines = scale_table(doc)
    assert "spill MiB" in lines[1]
    assert any(line.startswith("full_run ") and " 100 " in line for line in lines)
    assert "full build / history floor: 5.0x (models only)" in "\n".join(lines)
    assert any(line.startswith("weight change / full build: 0.300") for line in lines)
    assert any(line.startswith("incremental / floor: 4.0x") for line in lines)


def test_growth_table_gives_growth_per_tenfold_data() -> None:
    # Time grows 10x per 10x data (linear), spill 100x, peak memory 10x for the full build; the
    # day floor stays put.
    lines = growth_table([_doc(20_000, 10.0), _doc(2_000, 1.0)])
    text = "\n".join(lines)
    header = next(line for line in lines if line.startswith("step"))
    assert "time /10x" in header and "MiB /10x" in header and "spill /10x" in header
    full_run = next(line for line in lines if line.startswith("full_run"))
    assert full_run.split()[-4:] == ["10.0", "10.0", "10.0", "100.0"]
    floor = next(line for line in lines if line.startswith("floor"))
    assert floor.split()[-4:] == ["1.0", "1.0", "1.0", "-"]
    ratios = {
        line.split("  ")[0]: line.split()[-1]
        for line in lines
        if line.startswith(("full build", "daily run", "weight change"))
    }
    # full / history floor and weight change / full build stay put; daily / day floor grows.
    assert ratios == {
        "full build (models only) / history floor": "1.00",
        "daily run / day floor": "10.00",
        "weight change / full build (models only)": "1.00",
    }
    assert "Headline ratios by data size" in text


# ---------------------------------------------------------------- choosing steps
def test_steps_choose_what_runs_and_refuse_a_step_without_its_input() -> None:
    from python_checks.bench.__main__ import parse_args

    config = parse_args(["--accounts", "100000", "--steps", "full_run, history_floor"])
    assert config.steps == ("full_run", "history_floor")
    assert config.runs("full_run") and config.runs("history_floor")
    assert not config.runs("incremental") and not config.runs("raw_load")
    assert parse_args(["--accounts", "10"]).runs("weight_change")  # default: every step

    for steps, named in [
        ("full_run,full_bild", "full_bild"),
        ("floor,incremental", "full_run"),
        ("full_run,weight_change", "incremental"),
    ]:
        with pytest.raises(SystemExit):
            parse_args(["--steps", steps])
        with pytest.raises(ValueError, match=named):
            BenchConfig(steps=tuple(steps.split(",")))
