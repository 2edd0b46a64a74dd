"""Re-score under alternative weights in a copy of the project and of the build database, and
compare the scenario's marts with production's."""

from __future__ import annotations

import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

from python_checks.build_fixtures import copy_project
from python_checks.dbt_runner import DbtResult, run_dbt
from python_checks.scenario.weights_file import (
    WeightRow,
    WeightsFileError,
    check_weights,
    read_weights,
)

ALERT_DAYS = 30
NO_BAND = "(none)"

SCENARIO_SEED_YML = """version: 2

seeds:
  - name: {seed}
    description: "What-if weights of scenario {name} (python -m python_checks.scenario)."
    config:
      column_types: {{effective_from: date, weight: double}}
"""


@dataclass(frozen=True)
class AccountScore:
    score: float | None
    band: str


@dataclass(frozen=True)
class MartState:
    """What a build's marts say today: per account score and band, and recent alert volume."""

    as_of: date
    accounts: dict[str, AccountScore]
    alerts: Counter[str]

    @property
    def mean_score(self) -> float:
        scores = [a.score for a in self.accounts.values() if a.score is not None]
        return sum(scores) / len(scores) if scores else float("nan")


@dataclass(frozen=True)
class Comparison:
    name: str
    bands: list[str]
    before: MartState
    after: MartState

    @property
    def account_ids(self) -> list[str]:
        return sorted(set(self.before.accounts) | set(self.after.accounts))

    def _pair(self, account_id: str) -> tuple[AccountScore, AccountScore]:
        missing = AccountScore(None, NO_BAND)
        return (
            self.before.accounts.get(account_id, missing),
            self.after.accounts.get(account_id, missing),
        )

    def matrix(self) -> dict[tuple[str, str], int]:
        """Accounts per (band now, band under the scenario)."""
        counts: Counter[tuple[str, str]] = Counter()
        for account_id in self.account_ids:
            before, after = self._pair(account_id)
            counts[(before.band, after.band)] += 1
        return dict(counts)

    def band_changes(self) -> list[tuple[str, AccountScore, AccountScore]]:
        changes = []
        for account_id in self.account_ids:
            before, after = self._pair(account_id)
            if before.band != after.band:
                changes.append((account_id, before, after))
        return sorted(changes, key=lambda c: (-abs(_delta(c[1], c[2])), c[0]))

    def score_changes(self) -> int:
        """Accounts whose published score differs (one decimal, as the mart rounds)."""
        return sum(1 for a in self.account_ids if self._pair(a)[0].score != self._pair(a)[1].score)


def _delta(before: AccountScore, after: AccountScore) -> float:
    if before.score is None or after.score is None:
        return 0.0
    return after.score - before.score


def read_state(database: Path) -> MartState:
    con = duckdb.connect(str(database), read_only=True)
    try:
        row = con.execute("select as_of_on from intermediate.int_as_of_date").fetchone()
        if row is None:
            raise ValueError(f"{database}: intermediate.int_as_of_date is empty")
        as_of = row[0]
        accounts = {
            str(account_id): AccountScore(
                None if score is None else float(score), band if band else NO_BAND
            )
            for account_id, score, band in con.execute(
                "select account_id, health_score, health_band from marts.dim_account_health"
            ).fetchall()
        }
        alerts = Counter(
            {
                str(alert_type): int(count)
                for alert_type, count in con.execute(
                    f"""
                    select alert_type, count(*) from marts.fct_health_alerts
                    where alerted_on > cast(? as date) - {ALERT_DAYS} and alerted_on <= ?
                    group by alert_type
                    """,
                    [as_of, as_of],
                ).fetchall()
            }
        )
        return MartState(as_of, accounts, alerts)
    finally:
        con.close()


def band_order(database: Path) -> list[str]:
    con = duckdb.connect(str(database), read_only=True)
    try:
        return [
            str(r[0])
            for r in con.execute(
                "select band from config.health_bands order by band_order"
            ).fetchall()
        ]
    finally:
        con.close()


def production_weights(database: Path) -> tuple[list[WeightRow], set[str]]:
    con = duckdb.connect(str(database), read_only=True)
    try:
        rows = [
            WeightRow(day, str(stage), str(tier), str(signal), float(weight))
            for day, stage, tier, signal, weight in con.execute(
                """
                select effective_from, lifecycle_stage, customer_tier, signal_name, weight
                from config.health_weights
                """
            ).fetchall()
        ]
        known = {
            str(r[0])
            for r in con.execute(
                "select distinct signal_name from config.signal_thresholds"
            ).fetchall()
        }
        return rows, known
    finally:
        con.close()


def _copy_database(source: Path, target: Path) -> None:
    for suffix in ("", ".wal"):
        stale = target.with_name(target.name + suffix)
        stale.unlink(missing_ok=True)
        origin = source.with_name(source.name + suffix)
        if origin.exists():
            shutil.copyfile(origin, stale)


@dataclass(frozen=True)
class ScenarioRun:
    database: Path
    result: DbtResult
    warnings: list[str]


def run_scenario(weights: Path, name: str, database: Path, out: Path, raw_dir: Path) -> ScenarioRun:
    """Build the scenario into ``<out>/<name>.duckdb`` (a copy of ``database``); the production
    database and the project are left alone."""
    rows = read_weights(weights)
    production, known = production_weights(database)
    problems = check_weights(rows, known, production)
    if problems:
        raise WeightsFileError(f"{weights}:\n  - " + "\n  - ".join(problems))
    seed = f"scenario_{name}"
    out.mkdir(parents=True, exist_ok=True)
    scenario_db = out / f"{name}.duckdb"
    _copy_database(database, scenario_db)
    with tempfile.TemporaryDirectory(prefix=f"scenario_{name}_") as tmp:
        project = copy_project(Path(tmp) / "project")
        shutil.copyfile(weights, project / "seeds" / f"{seed}.csv")
        (project / "seeds" / f"_{seed}.yml").write_text(
            SCENARIO_SEED_YML.format(seed=seed, name=name), encoding="utf-8"
        )
        # --full-refresh: the incremental daily history is re-scored as a whole, so alerts
        # (which look back and cool down over weeks) see scenario scores only. Tests are left
        # out: data tests hold production's rules, and unit tests (int_health_weights' reads
        # seed health_weights by name) test the SQL, which a scenario does not change.
        result = run_dbt(
            [
                "build",
                "--select",
                seed,
                "int_health_weights+",
                "--exclude",
                "test_type:data",
                "test_type:unit",
                "--full-refresh",
            ],
            raw_dir=raw_dir,
            db_path=scenario_db,
            work_dir=Path(tmp) / "work",
            dbt_vars={"scenario": seed},
            project_dir=project,
        )
    warnings = []
    if result.ok:
        as_of, production_sets = weights_in_force(database)
        if weights_in_force(scenario_db)[1] == production_sets:
            warnings.append(
                f"the scenario's sets in force on {as_of} equal production's: today's scores cannot "
                "change (a set effective after the as-of date does not apply yet)"
            )
    return ScenarioRun(scenario_db, result, warnings)


def weights_in_force(database: Path) -> tuple[date, set[tuple[str, str, str, float]]]:
    """The build's as-of date and the weights in force on it, (stage, tier, signal, weight): the
    sets int_health_weights marks by the build's own rule (macro weight_set_in_force)."""
    con = duckdb.connect(str(database), read_only=True)
    try:
        as_of_row = con.execute("select as_of_on from intermediate.int_as_of_date").fetchone()
        rows = con.execute(
            "select lifecycle_stage, customer_tier, signal_name, weight"
            " from intermediate.int_health_weights where is_in_force_on_as_of"
        ).fetchall()
    except duckdb.Error as error:
        raise WeightsFileError(
            f"{database}: cannot read intermediate.int_health_weights.is_in_force_on_as_of"
            f" ({error}); build the database with this version of the project (dbt build)"
        ) from error
    finally:
        con.close()
    if as_of_row is None:
        raise WeightsFileError(f"{database}: intermediate.int_as_of_date is empty")
    return as_of_row[0], {
        (str(stage), str(tier), str(name), float(weight)) for stage, tier, name, weight in rows
    }


def compare(production: Path, scenario: Path, name: str) -> Comparison:
    return Comparison(name, band_order(production), read_state(production), read_state(scenario))


def _score(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def comparison_lines(
    comparison: Comparison, weights: Path, max_accounts: int | None = None
) -> list[str]:
    before, after = comparison.before, comparison.after
    matrix = comparison.matrix()
    labels = list(comparison.bands)
    extra = sorted({b for pair in matrix for b in pair} - set(labels))
    labels += extra
    total = sum(matrix.values())
    lines = [
        f"# Scenario {comparison.name}",
        "",
        f"Weights `{weights}` against production, as of {before.as_of.isoformat()} "
        "(marts.dim_account_health: published scores, overrides applied).",
        "",
        f"- accounts: {total}; score changed: {comparison.score_changes()}; band changed: "
        f"{len(comparison.band_changes())}",
        f"- mean score: {before.mean_score:.2f} → {after.mean_score:.2f} "
        f"({after.mean_score - before.mean_score:+.2f})",
        f"- alerts in the last {ALERT_DAYS} days: {sum(before.alerts.values())} → "
        f"{sum(after.alerts.values())}",
    ]
    for alert_type in sorted(set(before.alerts) | set(after.alerts)):
        lines.append(f"  - {alert_type}: {before.alerts[alert_type]} → {after.alerts[alert_type]}")
    lines += [
        "",
        "## Band migration (rows: band now, columns: band under the scenario)",
        "",
        "| now \\ scenario | " + " | ".join(labels) + " | total |",
        "|---|" + "---|" * (len(labels) + 1),
    ]
    for row in labels:
        counts = [matrix.get((row, column), 0) for column in labels]
        if sum(counts) or row in comparison.bands:
            lines.append(f"| {row} | " + " | ".join(map(str, counts)) + f" | {sum(counts)} |")
    column_totals = [sum(matrix.get((row, column), 0) for row in labels) for column in labels]
    lines.append("| total | " + " | ".join(map(str, column_totals)) + f" | {total} |")
    changes = comparison.band_changes()
    lines += ["", "## Accounts changing band", ""]
    if not changes:
        lines.append("None.")
    else:
        lines += [
            "| account | score now → scenario | band now → scenario |",
            "|---|---|---|",
        ]
        shown = changes if max_accounts is None else changes[:max_accounts]
        for account_id, was, becomes in shown:
            lines.append(
                f"| {account_id} | {_score(was.score)} → {_score(becomes.score)} | "
                f"{was.band} → {becomes.band} |"
            )
        if len(changes) > len(shown):
            lines.append(f"\n… and {len(changes) - len(shown)} more.")
    return [*lines, ""]
