"""Runs the whole benchmark for one scale (and for several, one after the other)."""

from __future__ import annotations

import json
import os
import platform
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb

from python_checks.bench import dbfacts, steps
from python_checks.bench.config import BenchConfig, DuckdbSettings
from python_checks.bench.measure import Guard, StepStopped, gnu_time_available
from python_checks.bench.rawdata import RawSet, append_next_day, ensure_raw, link_copy
from python_checks.bench.snapshot import ProjectVersion, project_version, snapshot_project
from python_checks.bench.steps import (
    FLOOR,
    FULL_BUILD,
    FULL_RUN,
    HISTORY_FLOOR,
    INCREMENTAL,
    RAW_LOAD,
    STEP_ORDER,
    WEIGHT_CHANGE,
    StepResult,
)
from python_checks.bench.weights import edited_project
from python_checks.project_vars import project_vars

Log = Callable[[str], None]


class DiskSpaceLow(RuntimeError):
    """Free disk fell below the configured minimum: the benchmark stops before the next step."""


def _load_1m() -> float:
    return os.getloadavg()[0]


def _mem_total_mib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def host_facts() -> dict[str, object]:
    return {
        "cpus": os.cpu_count(),
        "mem_total_mib": _mem_total_mib(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "gnu_time": gnu_time_available(),
    }


@dataclass
class ScaleResult:
    accounts: int
    seed: int
    started_at: str
    raw: RawSet | None = None
    steps: dict[str, StepResult] = field(default_factory=dict)
    slowest_models: list[dbfacts.ModelTiming] = field(default_factory=list)
    slowest_source: str = ""
    load_avg_start: tuple[float, float, float] = (0.0, 0.0, 0.0)
    load_avg_end: tuple[float, float, float] | None = None
    aborted: str | None = None
    seconds_total: float = 0.0
    project: ProjectVersion | None = None
    project_at_end: ProjectVersion | None = None

    @property
    def ok(self) -> bool:
        return self.aborted is None and all(s.ok for s in self.steps.values())

    def seconds(self, name: str) -> float | None:
        """Median seconds of a step that did its work (None for a failed or missing step)."""
        step = self.steps.get(name)
        return None if step is None or not step.ok else step.seconds

    def ratios(self) -> dict[str, float | None]:
        def ratio(a: str, b: str) -> float | None:
            # From the seconds as published (3 decimals), so a reader of the JSON
            # who divides two steps' seconds gets the same ratio.
            x, y = self.seconds(a), self.seconds(b)
            if not x or not y:
                return None
            x, y = round(x, 3), round(y, 3)
            return round(x / y, 4) if y else None

        return {
            "full_run_over_floor": ratio(FULL_RUN, FLOOR),
            "full_build_over_floor": ratio(FULL_BUILD, FLOOR),
            "incremental_over_full_run": ratio(INCREMENTAL, FULL_RUN),
            "incremental_over_full_build": ratio(INCREMENTAL, FULL_BUILD),
            # Like for like: a daily run also ends with today's score for every account.
            "incremental_over_floor": ratio(INCREMENTAL, FLOOR),
            "full_build_over_full_run": ratio(FULL_BUILD, FULL_RUN),
            "raw_load_over_full_run": ratio(RAW_LOAD, FULL_RUN),
            # Like for like: both score every account-day of the whole history.
            "full_run_over_history_floor": ratio(FULL_RUN, HISTORY_FLOOR),
            "full_build_over_history_floor": ratio(FULL_BUILD, HISTORY_FLOOR),
            "history_floor_over_floor": ratio(HISTORY_FLOOR, FLOOR),
            # What adopting new weights costs against rebuilding everything.
            "weight_change_over_full_run": ratio(WEIGHT_CHANGE, FULL_RUN),
            "weight_change_over_full_build": ratio(WEIGHT_CHANGE, FULL_BUILD),
        }

    def as_dict(self, config: BenchConfig) -> dict[str, object]:
        reference = self.seconds(FULL_RUN)
        raw = self.raw
        return {
            "accounts": self.accounts,
            "seed": self.seed,
            "started_at": self.started_at,
            "ok": self.ok,
            "aborted": self.aborted,
            "repeat": config.repeat,
            "daily_runs": config.daily_run_count,
            "skip_tests": config.skip_tests,
            "steps_chosen": None if config.steps is None else list(config.steps),
            "seconds_total": round(self.seconds_total, 1),
            "load_avg_start": [round(x, 2) for x in self.load_avg_start],
            "load_avg_end": None
            if self.load_avg_end is None
            else [round(x, 2) for x in self.load_avg_end],
            "host": host_facts(),
            "project": None if self.project is None else self.project.as_dict(),
            "project_changed_during_run": (
                self.project is not None
                and self.project_at_end is not None
                and self.project_at_end != self.project
            ),
            "duckdb_settings": DuckdbSettings.from_env().as_dict(),
            "data": None
            if raw is None
            else {
                "dir": str(raw.raw),
                "reused": raw.reused,
                "generate_seconds": round(raw.generate_seconds, 1),
                "raw_rows": raw.rows,
                "raw_mib": round(raw.bytes / 2**20, 1),
            },
            "steps": [
                self.steps[name].as_dict(reference) for name in STEP_ORDER if name in self.steps
            ],
            "ratios": self.ratios(),
            "slowest_models_source": self.slowest_source,
            "slowest_models": [m.as_dict() for m in self.slowest_models],
        }


class ScaleBench:
    """The benchmark at one scale: every step, its measurements and what it produced."""

    def __init__(
        self, config: BenchConfig, accounts: int, project: ProjectVersion, log: Log = print
    ) -> None:
        self.config = config
        self.accounts = accounts
        self.log = log
        self.work = config.work_dir(accounts)
        self.project_dir = config.project_snapshot
        self.result = ScaleResult(
            accounts=accounts,
            seed=config.seed,
            started_at=datetime.now(UTC).isoformat(timespec="seconds"),
            load_avg_start=os.getloadavg(),
            project=project,
        )

    # ------------------------------------------------------------------ helpers
    def db(self, name: str) -> Path:
        return self.work / name / f"{name}.duckdb"

    def step_dir(self, name: str) -> Path:
        return self.work / name

    def low_disk(self, when: str) -> str | None:
        """Why to stop when free disk is below the minimum, else None."""
        self.config.out.mkdir(parents=True, exist_ok=True)
        free_gb = shutil.disk_usage(self.config.out).free / 2**30
        if free_gb < self.config.min_free_gb:
            return (
                f"only {free_gb:.1f} GB free on {self.config.out} {when}"
                f" (minimum {self.config.min_free_gb:g} GB): stopped"
            )
        return None

    def check_disk(self, before: str) -> None:
        reason = self.low_disk(f"before {before}")
        if reason:
            raise DiskSpaceLow(reason)

    def guard(self, step: str) -> Guard:
        """Polled while a step runs: stops it when DuckDB's files or spill fill the disk."""
        return lambda: self.low_disk(f"during {step}")

    def save(self) -> Path:
        path = self.config.result_path(self.accounts)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.result.as_dict(self.config), indent=2) + "\n")
        return path

    def _sample_label(self, prefix: str, index: int) -> str:
        return f"{prefix}{index + 1}"

    def _report_sample(self, step: StepResult, index: int, total: int | None = None) -> None:
        m = step.samples[-1]
        total = self.config.repeat if total is None else total
        status = "ok" if step.accepted[-1] else f"FAILED (exit {m.returncode})"
        if step.extra.get("stopped"):
            status = f"STOPPED: {step.extra['stopped']}"
        spill = "" if m.peak_spill_mib is None else f"  spill {m.peak_spill_mib:8.0f} MiB"
        self.log(
            f"  {step.name:<13} run {index + 1}/{total}: {m.seconds:8.1f} s"
            f"  peak {m.peak_mib:8.0f} MiB{spill}  load {step.loads[-1]:.1f}  {status}"
        )
        if not step.accepted[-1]:
            self.log(m.log_tail())

    def _measured(
        self, step: StepResult, run: Callable[[], steps.Measurement]
    ) -> tuple[steps.Measurement, float]:
        """One measured run of ``step`` and the 1-minute load before it; a run the guard stops
        is recorded (self._stopped) and its StepStopped raised again."""
        load = _load_1m()
        try:
            return run(), load
        except StepStopped as exc:
            self._stopped(step, exc, load)
            raise

    def _dbt_sample(
        self,
        step: StepResult,
        *,
        raw_dir: Path,
        db_path: Path,
        index: int,
        project_dir: Path | None = None,
    ) -> tuple[steps.Measurement, float]:
        """Run ``index`` of the dbt step ``step`` (steps.run_dbt_step, in its step folder and
        under its guard), on this project or on ``project_dir``."""
        return self._measured(
            step,
            lambda: steps.run_dbt_step(
                step.name,
                raw_dir=raw_dir,
                db_path=db_path,
                step_dir=self.step_dir(step.name),
                label=self._sample_label("run", index),
                project_dir=project_dir or self.project_dir,
                guard=self.guard(step.name),
            ),
        )

    def _dbt_step(self, name: str, raw_dir: Path, db_path: Path, keep: bool) -> StepResult:
        """A dbt step into a fresh database, repeated; the database of the last run is kept
        when ``keep``."""
        step = StepResult(name, steps.dbt_command_text(name))
        self.result.steps[name] = step
        for i in range(self.config.repeat):
            self.check_disk(name)
            dbfacts.remove_database(db_path)
            self._run_results(name).unlink(missing_ok=True)
            m, load = self._dbt_sample(step, raw_dir=raw_dir, db_path=db_path, index=i)
            statuses = self._node_statuses(name)
            step.extra["node_statuses"] = statuses
            step.add(m, load, accepted=m.ok or self._all_models_built(name, statuses))
            self._report_sample(step, i)
            if not step.accepted[-1]:
                break
            step.extra["database_mib"] = round(dbfacts.database_mib(db_path), 1)
            if i < self.config.repeat - 1 or not keep:
                self._facts(step, db_path)
                dbfacts.remove_database(db_path)
        return step

    def _stopped(self, step: StepResult, exc: StepStopped, load: float) -> None:
        """Record a run the guard stopped: its time so far and, for the full build, the model
        timings dbt had logged (run_results.json is only written at the end)."""
        step.extra["stopped"] = str(exc)
        step.add(exc.measurement(), load, accepted=False)
        self._report_sample(step, len(step.samples) - 1)
        if step.name == FULL_RUN:
            log = self.step_dir(FULL_RUN) / "dbt" / "logs" / "dbt.log"
            self.result.slowest_models = dbfacts.slowest_models_from_log(log)
            self.result.slowest_source = f"{log} (models finished before the stop)"
        self.save()

    def _run_results(self, name: str) -> Path:
        return self.step_dir(name) / "dbt" / "target" / "run_results.json"

    def _node_statuses(self, name: str) -> dict[str, int]:
        """'<resource type> <status>' counts of the last run (e.g. 'model success': 68)."""
        path = self._run_results(name)
        if not path.exists():
            return {}
        counts: dict[str, int] = {}
        for r in json.loads(path.read_text())["results"]:
            key = f"{r['unique_id'].split('.')[0]} {r['status']}"
            counts[key] = counts.get(key, 0) + 1
        return dict(sorted(counts.items()))

    @staticmethod
    def _all_models_built(name: str, statuses: dict[str, int]) -> bool:
        """A `dbt build` that exits 1 because a data test failed, with every seed and model
        built (none skipped), is still a complete build to time; the failures are reported."""
        if name != FULL_BUILD or not statuses:
            return False
        built = [k for k in statuses if k.startswith(("model ", "seed "))]
        return bool(built) and all(k.endswith(" success") for k in built)

    def _facts(self, step: StepResult, db_path: Path) -> None:
        """Rows a step produced, read from its database before it is removed."""
        if not db_path.exists() or not step.ok:
            return
        if step.name == RAW_LOAD:
            step.rows, step.rows_what = dbfacts.staged_raw_rows(db_path), "raw rows staged"
            return
        facts = dbfacts.mart_facts(db_path)
        step.rows, step.rows_what = facts.history_rows, "account-days scored"
        step.extra["marts"] = facts.as_dict()
        if step.name == FULL_BUILD and self._run_results(FULL_BUILD).exists():
            step.extra["tests"] = dbfacts.test_statuses(self._run_results(FULL_BUILD))
        if step.name == FULL_RUN:
            self.result.slowest_models = dbfacts.slowest_models(
                self._run_results(FULL_RUN), db_path
            )
            self.result.slowest_source = str(self._run_results(FULL_RUN))

    # ------------------------------------------------------------------ steps
    def raw_load(self) -> None:
        self._dbt_step(RAW_LOAD, self.landing, self.db(RAW_LOAD), keep=False)
        self.save()

    def full(self, name: str, keep: bool) -> Path | None:
        db_path = self.db(name)
        step = self._dbt_step(name, self.landing, db_path, keep=keep)
        if keep:
            self._facts(step, db_path)
        if not step.ok and not self.config.keep_databases:
            dbfacts.remove_database(db_path)
        self.save()
        return db_path if keep and step.ok else None

    def _floor_runs(self, name: str, raw: RawSet) -> StepResult:
        """The runs of one floor script (``name``: floor or history_floor)."""
        module = f"python_checks.bench.{name}"
        step = StepResult(
            name,
            f"python -m {module} ({name}.sql; threads and memory as profiles.yml)",
        )
        self.result.steps[name] = step
        for i in range(self.config.repeat):
            self.check_disk(name)
            m, load = self._measured(
                step,
                lambda i=i: steps.run_floor_step(
                    raw_dir=raw.raw,
                    step_dir=self.step_dir(name),
                    label=self._sample_label("run", i),
                    project_dir=self.project_dir,
                    guard=self.guard(name),
                    module=module,
                ),
            )
            step.add(m, load)
            self._report_sample(step, i)
            if not m.ok:
                break
        return step

    def _floor_step(
        self,
        name: str,
        raw: RawSet,
        built_db: Path | None,
        rows: tuple[str, str],
        versus_dbt: Callable[[Path, Path], dict[str, object]],
    ) -> StepResult:
        """The runs of floor script ``name``, its rows (``rows``: the summary's count and what it
        counts) from <name>_summary.json, and ``versus_dbt`` of its <name>_scores.parquet against
        the build when there is one."""
        step = self._floor_runs(name, raw)
        step_dir = self.step_dir(name)
        summary_path = step_dir / f"{name}_summary.json"
        if step.ok and summary_path.exists():
            summary = json.loads(summary_path.read_text())
            step.rows, step.rows_what = int(summary[rows[0]]), rows[1]
            step.extra[name] = summary
            if built_db is not None and built_db.exists():
                step.extra["versus_dbt"] = versus_dbt(built_db, step_dir / f"{name}_scores.parquet")
        return step

    def floor(self, raw: RawSet, built_db: Path | None) -> None:
        self._floor_step(
            FLOOR, raw, built_db, ("accounts", "active accounts scored"), dbfacts.compare_floor
        )
        self.save()

    def history_floor(self, raw: RawSet, built_db: Path | None) -> None:
        """Every account-day's composite from the raw files; its row count shows it did the
        whole history (set beside the build's daily history mart when there is one)."""
        self._floor_step(
            HISTORY_FLOOR, raw, built_db, ("rows", "account-days scored"), dbfacts.compare_history
        )
        # The scores are as large as the history mart: only the figures are kept.
        (self.step_dir(HISTORY_FLOOR) / "history_floor_scores.parquet").unlink(missing_ok=True)
        self.save()

    @property
    def landing(self) -> Path:
        """The raw folder every dbt step reads: a copy of the raw set (hard links) that the daily
        runs add days to. One folder, as where a connector lands: RAW_DATA_DIR is read in
        dbt_project.yml, so a run with another folder than the last one parses the project in
        full (a scheduled run in its project folder parses only what changed)."""
        return self.work / "raw_landing"

    def carry_parse_state(self, built_by: str, step: str) -> None:
        """Start ``step``'s dbt target folder with the partial-parse state of step ``built_by``
        (the run that left the database): a scheduled run keeps one target/ (the pipeline's work
        folder, python_checks.orchestrate.resources), so dbt re-parses only the files that
        changed since the run before, not the whole project."""
        state = self.step_dir(built_by) / "dbt" / "target" / "partial_parse.msgpack"
        target = self.step_dir(step) / "dbt" / "target"
        if state.exists():
            target.mkdir(parents=True, exist_ok=True)
            shutil.copy2(state, target / state.name)

    def incremental(self, built_db: Path, built_by: str) -> None:
        """Daily runs on the database step ``built_by`` left, each after one more day of batches
        landed in the raw folder."""
        lookback = int(
            str(project_vars(self.project_dir / "dbt_project.yml")["history_lookback_days"])
        )
        inc_raw = self.landing
        self.carry_parse_state(built_by, INCREMENTAL)
        step = StepResult(
            INCREMENTAL,
            steps.dbt_command_text(INCREMENTAL) + f" on the {built_db.stem} database",
        )
        days: list[dict[str, Any]] = []
        self.result.steps[INCREMENTAL] = step
        step.extra["days"] = days
        try:
            runs = self.config.daily_run_count
            for i in range(runs):
                self.check_disk(INCREMENTAL)
                before = dbfacts.mart_facts(built_db)
                batch = append_next_day(inc_raw, i + 1)
                m, load = self._dbt_sample(step, raw_dir=inc_raw, db_path=built_db, index=i)
                step.add(m, load)
                self._report_sample(step, i, runs)
                if not m.ok:
                    break
                after = dbfacts.mart_facts(built_db)
                assert before.last_day is not None
                window_start = date.fromisoformat(before.last_day) - timedelta(days=lookback)
                rewritten = dbfacts.history_rows_after(built_db, window_start.isoformat())
                days.append(
                    {
                        "new_day": batch.day.isoformat(),
                        "batch_rows": batch.rows,
                        "as_of_before": before.as_of,
                        "as_of_after": after.as_of,
                        "history_rows_added": after.history_rows - before.history_rows,
                        "history_rows_rewritten": rewritten,
                    }
                )
                step.rows = rewritten
                step.rows_what = f"account-days rewritten (new day + {lookback} lookback days)"
        finally:
            self.save()

    def weight_change(self, raw_dir: Path, built_db: Path) -> None:
        """Edit seeds/health_weights.csv in a temporary copy of the project, then time the plain
        build an analytics engineer runs after the edit, on the existing database."""
        step_dir = self.step_dir(WEIGHT_CHANGE)
        project = step_dir / "project"
        edit = edited_project(self.project_dir, project)
        self.carry_parse_state(INCREMENTAL, WEIGHT_CHANGE)
        step = StepResult(
            WEIGHT_CHANGE,
            steps.dbt_command_text(WEIGHT_CHANGE)
            + f" on the {built_db.stem} database after {edit.describe()}",
        )
        step.extra["weight_edit"] = edit.as_dict()
        self.result.steps[WEIGHT_CHANGE] = step
        before = step_dir / "scores_before.parquet"
        try:
            self.check_disk(WEIGHT_CHANGE)
            dbfacts.export_scores(built_db, before)
            m, load = self._dbt_sample(
                step, raw_dir=raw_dir, db_path=built_db, index=0, project_dir=project
            )
            step.add(m, load)
            self._report_sample(step, 0, 1)
            if m.ok:
                changed = dbfacts.scores_changed(built_db, before)
                step.extra["scores"] = changed
                step.rows = int(changed["changed"])
                step.rows_what = "account-day scores changed"
        finally:
            before.unlink(missing_ok=True)
            shutil.rmtree(project, ignore_errors=True)
            self.save()

    # ------------------------------------------------------------------ all of it
    def run(self) -> ScaleResult:
        started = time.perf_counter()
        cfg = self.config
        if self.work.exists():
            shutil.rmtree(self.work)
        self.work.mkdir(parents=True)
        self.log(
            f"== {self.accounts:,} accounts, seed {cfg.seed}; load {os.getloadavg()[0]:.1f};"
            f" project {self.result.project.describe() if self.result.project else '?'}"
        )
        try:
            self.check_disk("generating data")
            raw = ensure_raw(cfg.data_dir, self.accounts, cfg.seed, quiet=True)
            self.result.raw = raw
            self.log(
                f"  raw data {'reused' if raw.reused else f'generated in {raw.generate_seconds:.0f} s'}:"
                f" {raw.raw} ({raw.rows:,} rows, {raw.bytes / 2**20:,.0f} MiB)"
            )
            link_copy(raw.raw, self.landing)
            if cfg.runs(RAW_LOAD):
                self.raw_load()
            # The models-only database is kept until the build with tests has succeeded: the
            # floor comparison and the incremental run use whichever complete build there is.
            built = self.full(FULL_RUN, keep=True) if cfg.runs(FULL_RUN) else None
            built_by = FULL_RUN
            if cfg.runs(FULL_BUILD) and not cfg.skip_tests:
                with_tests = self.full(FULL_BUILD, keep=True)
                if with_tests is not None:
                    if built is not None:
                        dbfacts.remove_database(built)
                    built, built_by = with_tests, FULL_BUILD
            if cfg.runs(FLOOR):
                self.floor(raw, built)
            if cfg.runs(HISTORY_FLOOR):
                self.history_floor(raw, built)
            if built is not None and cfg.runs(INCREMENTAL):
                self.incremental(built, built_by)
                if self.result.steps[INCREMENTAL].ok and cfg.runs(WEIGHT_CHANGE):
                    self.weight_change(self.landing, built)
        except (DiskSpaceLow, StepStopped) as exc:
            self.result.aborted = str(exc)
            self.log(f"  STOPPED: {exc}")
        finally:
            shutil.rmtree(self.landing, ignore_errors=True)
            if not cfg.keep_databases:
                for name in (RAW_LOAD, FULL_RUN, FULL_BUILD):
                    dbfacts.remove_database(self.db(name))
            self.result.load_avg_end = os.getloadavg()
            self.result.project_at_end = project_version()
            self.result.seconds_total = time.perf_counter() - started
            self.save()
        return self.result


def run_bench(config: BenchConfig, log: Log = print) -> list[ScaleResult]:
    """Every scale in turn; stops at the first scale that ran out of disk."""
    project = snapshot_project(config.project_snapshot)
    log(f"dbt project copied to {config.project_snapshot} ({project.describe()})")
    results = []
    for accounts in config.scales:
        result = ScaleBench(config, accounts, project, log).run()
        results.append(result)
        if result.aborted:
            break
    return results
