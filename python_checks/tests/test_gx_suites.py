"""The Great Expectations suites pass on a sample build and fail on a corrupted copy of a mart."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from python_checks.build_fixtures import Build
from python_checks.gx_suites import frames
from python_checks.gx_suites.__main__ import main
from python_checks.gx_suites.drift import DriftThresholds, drift_between, drift_report
from python_checks.gx_suites.run import RunSummary, run_suites
from python_checks.gx_suites.suites import SUITES, AlertVolumeBounds, SuiteConfig

pytestmark = pytest.mark.build

# What the suites read; corruption tests work on a copy holding only these (a few MB, not the
# whole build).
SUITE_TABLES = (
    "marts.dim_account_health",
    "marts.fct_account_health_daily",
    "marts.fct_health_alerts",
    "intermediate.int_accounts",
    "intermediate.int_as_of_date",
)

BANDS = ("unhealthy", "neutral", "healthy")


@pytest.fixture(scope="module")
def built(sample_build: Build) -> Build:
    return sample_build


@pytest.fixture(scope="module")
def docs_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("gx_docs")


@pytest.fixture(scope="module")
def baseline(built: Build, docs_dir: Path) -> RunSummary:
    return run_suites(built.db_path, docs_dir=docs_dir)


@pytest.fixture(scope="module")
def suite_db(built: Build, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database holding a copy of the tables the suites read, to corrupt copies of."""
    path = tmp_path_factory.mktemp("gx_suite_db") / "suite.duckdb"
    con = duckdb.connect(str(path))
    try:
        con.execute(f"attach '{built.db_path}' as source (read_only)")
        for table in SUITE_TABLES:
            schema = table.split(".")[0]
            con.execute(f"create schema if not exists {schema}")
            con.execute(f"create table {table} as select * from source.{table}")
    finally:
        con.close()
    return path


def corrupted(suite_db: Path, target: Path, statements: list[str]) -> Path:
    """A copy of ``suite_db`` with ``statements`` applied, each required to change a row."""
    path = target / "corrupted.duckdb"
    shutil.copyfile(suite_db, path)
    con = duckdb.connect(str(path))
    try:
        for statement in statements:
            row = con.execute(statement).fetchone()
            assert row and row[0] > 0, f"no row changed by: {statement}"
    finally:
        con.close()
    return path


def test_every_suite_passes_on_a_sample_build(baseline: RunSummary) -> None:
    assert baseline.success, "\n".join(baseline.lines())
    assert [suite.name for suite in baseline.suites] == [spec.name for spec in SUITES]
    for suite in baseline.suites:
        assert suite.checks, f"{suite.name} ran no expectation"
        assert "?" not in {check.check for check in suite.checks}


def test_data_docs_are_written(baseline: RunSummary, docs_dir: Path) -> None:
    index = docs_dir / "index.html"
    assert baseline.docs_index == index
    assert index.exists()
    html = index.read_text(encoding="utf-8")
    assert all(spec.name in html for spec in SUITES)


# A middle day of the account with the longest history.
_LONGEST = """
    (select account_id, min(date_day) + cast((max(date_day) - min(date_day)) / 2 as integer) as day
     from marts.fct_account_health_daily group by account_id
     order by max(date_day) - min(date_day) desc, account_id limit 1)
"""
# An active account, and an account-day, that are healthy by their score and not overridden.
_ACTIVE_ACCOUNT = (
    "(select min(account_id) from marts.dim_account_health where not is_churned"
    " and not is_override_applied and health_score >= 65)"
)
_HEALTHY_DAY = """
    (select account_id, date_day from marts.fct_account_health_daily
     where not is_override_applied and health_score >= 65 order by account_id, date_day limit 1)
"""


@dataclass(frozen=True)
class Corruption:
    name: str
    statements: list[str]
    # suite name -> the checks that must fail (the run is limited to these suites)
    fails: dict[str, set[str]]


# A score of 140 is outside every band of the seed too, so the band check fails with the range.
CORRUPTIONS = [
    Corruption(
        "dim_score_140",
        [
            "update marts.dim_account_health set health_score = 140"
            f" where account_id = {_ACTIVE_ACCOUNT} returning 1"
        ],
        {frames.DIM: {"health_score_in_range", "health_band_matches_score"}},
    ),
    Corruption(
        "dim_duplicate_row",
        [
            "insert into marts.dim_account_health select * from marts.dim_account_health"
            f" where account_id = {_ACTIVE_ACCOUNT} returning 1"
        ],
        {
            frames.DIM: {"account_id_unique"},
            frames.DIM_ACTIVE: {"one_current_row_per_active_account"},
        },
    ),
    Corruption(
        "dim_active_account_missing",
        [f"delete from marts.dim_account_health where account_id = {_ACTIVE_ACCOUNT} returning 1"],
        {frames.DIM_ACTIVE: {"one_current_row_per_active_account"}},
    ),
    Corruption(
        "dim_band_inconsistent",
        [
            "update marts.dim_account_health set health_band = 'unhealthy'"
            f" where account_id = {_ACTIVE_ACCOUNT} returning 1"
        ],
        {frames.DIM: {"health_band_matches_score"}},
    ),
    Corruption(
        "dim_action_missing",
        [
            "update marts.dim_account_health set recommended_action = null"
            f" where account_id = {_ACTIVE_ACCOUNT} returning 1"
        ],
        {frames.DIM: {"recommended_action_not_null"}},
    ),
    Corruption(
        "daily_score_140",
        [
            "update marts.fct_account_health_daily set health_score = 140"
            f" where (account_id, date_day) in {_HEALTHY_DAY} returning 1"
        ],
        {frames.DAILY: {"health_score_in_range", "health_band_matches_score"}},
    ),
    Corruption(
        "daily_band_inconsistent",
        [
            "update marts.fct_account_health_daily set health_band = 'unhealthy'"
            f" where (account_id, date_day) in {_HEALTHY_DAY} returning 1"
        ],
        {frames.DAILY: {"health_band_matches_score"}},
    ),
    Corruption(
        "daily_duplicate_day",
        [
            "insert into marts.fct_account_health_daily select * from marts.fct_account_health_daily"
            f" where (account_id, date_day) in {_HEALTHY_DAY} returning 1"
        ],
        {frames.DAILY: {"account_day_unique"}},
    ),
    Corruption(
        "daily_gap",
        [
            "delete from marts.fct_account_health_daily"
            f" where (account_id, date_day) in {_LONGEST} returning 1"
        ],
        {frames.DAILY_SPANS: {"no_gaps_in_history"}},
    ),
    Corruption(
        "alert_unknown_severity",
        [
            "update marts.fct_health_alerts set severity = 'urgent'"
            " where alert_id = (select min(alert_id) from marts.fct_health_alerts) returning 1"
        ],
        {frames.ALERTS: {"severity_in_seed", "severity_matches_rule"}},
    ),
    Corruption(
        "alert_wrong_severity_for_rule",
        [
            "update marts.fct_health_alerts set severity = 'critical'"
            " where alert_id = (select min(alert_id) from marts.fct_health_alerts"
            " where alert_type = 'score_drop') returning 1"
        ],
        {frames.ALERTS: {"severity_matches_rule"}},
    ),
    Corruption(
        "alerts_silent",
        ["delete from marts.fct_health_alerts returning 1"],
        {frames.ALERT_VOLUME: {"alert_volume_in_bounds"}},
    ),
]


@pytest.mark.parametrize("corruption", CORRUPTIONS, ids=lambda corruption: corruption.name)
def test_a_corrupted_mart_fails_its_expectation(
    corruption: Corruption, suite_db: Path, tmp_path: Path
) -> None:
    database = corrupted(suite_db, tmp_path, corruption.statements)
    summary = run_suites(database, suites=corruption.fails)
    failed = {suite: set(checks) for suite, checks in summary.failed().items()}
    # Exactly the expected checks fail: each corruption is caught, and by the right expectation.
    assert failed == corruption.fails, "\n".join(summary.lines())


def test_an_override_may_set_a_band_the_score_does_not_give(suite_db: Path, tmp_path: Path) -> None:
    database = corrupted(
        suite_db,
        tmp_path,
        [
            "update marts.fct_account_health_daily"
            " set health_band = 'unhealthy', is_override_applied = true"
            f" where (account_id, date_day) in {_HEALTHY_DAY} returning 1"
        ],
    )
    summary = run_suites(database, suites=[frames.DAILY])
    assert summary.success, "\n".join(summary.lines())


def test_alert_volume_bounds_are_configurable(built: Build) -> None:
    """The sample's alert rate (information only) lies inside the defaults; bounds below it fail."""
    config = SuiteConfig.from_seeds(alert_volume=AlertVolumeBounds(max_per_account_30d=0.01))
    summary = run_suites(built.db_path, config=config, suites=[frames.ALERT_VOLUME])
    assert summary.failed() == {frames.ALERT_VOLUME: ("alert_volume_in_bounds",)}


def _scores(scores: list[float]) -> pd.DataFrame:
    def band(score: float) -> str:
        return "unhealthy" if score < 40.5 else "neutral" if score < 60.5 else "healthy"

    return pd.DataFrame({"health_score": scores, "health_band": [band(s) for s in scores]})


PREVIOUS = [30.0] * 10 + [50.0] * 40 + [70.0] * 50  # 10% / 40% / 50%, mean 58


def test_drift_report_is_quiet_on_the_same_distribution() -> None:
    report = drift_report(_scores(PREVIOUS), _scores(PREVIOUS), bands=BANDS)
    assert not report.drifted
    assert report.mean_delta == 0
    assert report.lines()[-1] == "  drift: none"


def test_drift_report_flags_a_moved_mean() -> None:
    current = [score + 6 for score in PREVIOUS]  # every score up 6, no band changes
    report = drift_report(_scores(current), _scores(PREVIOUS), bands=BANDS)
    assert report.mean_drifted
    assert report.mean_delta == pytest.approx(6.0)
    assert report.drifted_bands == ()
    assert any("<- drift" in line and "mean" in line for line in report.lines())


def test_drift_report_flags_a_changed_band_mix() -> None:
    # 15 healthy accounts at 70 become neutral at 60: share moves 15 points, the mean only 1.5.
    current = [30.0] * 10 + [50.0] * 40 + [60.0] * 15 + [70.0] * 35
    report = drift_report(_scores(current), _scores(PREVIOUS), bands=BANDS)
    assert not report.mean_drifted
    assert report.drifted_bands == ("neutral", "healthy")
    assert report.drifted


def test_drift_report_ignores_moves_below_the_thresholds() -> None:
    current = [30.0] * 10 + [50.0] * 45 + [70.0] * 45  # 5 points of share, mean -1
    report = drift_report(_scores(current), _scores(PREVIOUS), bands=BANDS)
    assert not report.drifted
    strict = drift_report(
        _scores(current), _scores(PREVIOUS), DriftThresholds(band_share_points=4), bands=BANDS
    )
    assert strict.drifted_bands == ("neutral", "healthy")


def test_drift_between_two_builds(built: Build, suite_db: Path, tmp_path: Path) -> None:
    moved = corrupted(
        suite_db,
        tmp_path,
        [
            "update marts.dim_account_health set health_score = greatest(health_score - 10, 0) returning 1"
        ],
    )
    report = drift_between(moved, built.db_path)
    assert report.current_accounts == report.previous_accounts > 0
    assert report.mean_drifted
    assert report.mean_delta is not None and report.mean_delta < -5


def test_cli_prints_the_summary_and_drift_and_writes_docs(
    built: Build, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    docs = tmp_path / "docs"
    code = main(
        [
            "--database",
            str(built.db_path),
            "--previous",
            str(built.db_path),
            "--docs-dir",
            str(docs),
        ]
    )
    out = capsys.readouterr().out
    assert code == 0, out
    assert f"{len(SUITES)} of {len(SUITES)} suites passed" in out
    assert "alert_volume_in_bounds: observed" in out
    assert "drift: none" in out
    assert (docs / "index.html").exists()


def test_cli_exits_non_zero_when_a_suite_fails(
    suite_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = corrupted(suite_db, tmp_path, ["delete from marts.fct_health_alerts returning 1"])
    code = main(["--database", str(database), "--docs-dir", str(tmp_path / "docs")])
    out = capsys.readouterr().out
    assert code == 1
    assert "FAIL fct_health_alerts__volume" in out
