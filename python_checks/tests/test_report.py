"""The HTML health report: built from what a publish serves, its charts draw in a real browser."""

from __future__ import annotations

import csv
import os
import re
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from plotly.offline import get_plotlyjs

from python_checks.build_fixtures import Build
from python_checks.calibrate.__main__ import PROPOSAL_FILE, REPORT_FILE
from python_checks.calibrate.__main__ import main as calibrate
from python_checks.publish import publish
from python_checks.report import browser, charts
from python_checks.report.__main__ import main
from python_checks.report.calibration import Proposal, SetDecision, headline
from python_checks.report.errors import ReportError
from python_checks.report.page import _figure_html
from python_checks.report.settings import min_auc

pytestmark = pytest.mark.build

# One chart per question the report answers; each must draw on the sample build.
EXPECTED_CHARTS = (
    "band-mix",
    "score-by-stage",
    "score-by-tier",
    "points-lost",
    "renewal-pipeline",
    "alerts-by-week",
    "churn-by-band",
    "auc-by-score",
    "auc-by-snapshot",
)
SERVED_SCHEMAS = ("marts", "config", "publish")
# The charts' band colours cover more than this share of a screenshot of the page's top (the
# band mix fills most of its chart); a page whose charts did not draw has only table pills.
MIN_CHART_COLOR_SHARE = 0.03
MAX_TOP_COLOR_SHARE = 0.9
EXTERNAL_RESOURCE = re.compile(r"<(script|link|img|iframe)\b[^>]*\b(src|href)\s*=", re.I)


def _chromium() -> str:
    found = browser.find_chromium()
    if found is None:
        message = "Chromium is not installed (apt-get install -y chromium, or set $CHROMIUM)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}; under CI=true .ci/run must install it")
        pytest.skip(message)
    return found


def _served_copy(published: Path, target: Path, schemas: tuple[str, ...]) -> Path:
    """A database holding only ``schemas`` of the published file: what a reader may rely on."""
    con = duckdb.connect(str(target))
    try:
        con.execute(f"attach '{published}' as served (read_only)")
        for schema in schemas:
            con.execute(f"create schema {schema}")
            tables = con.execute(
                "select table_name from duckdb_tables()"
                " where database_name = 'served' and schema_name = ?",
                [schema],
            ).fetchall()
            for (table,) in tables:
                con.execute(
                    f'create table {schema}."{table}" as select * from served.{schema}."{table}"'
                )
        con.execute("detach served")
    finally:
        con.close()
    target.chmod(0o444)
    return target


@pytest.fixture(scope="module")
def published(sample_build: Build, tmp_path_factory: pytest.TempPathFactory) -> Path:
    serve = tmp_path_factory.mktemp("report_serve")
    publish(sample_build.db_path, serve)
    return serve / "health.duckdb"


@pytest.fixture(scope="module")
def served(published: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """What a publish serves (the marts, the config seeds without health_weights.author and
    publish.build_info), copied so that the report is shown to need nothing more."""
    return _served_copy(
        published, tmp_path_factory.mktemp("served") / "health.duckdb", SERVED_SCHEMAS
    )


@pytest.fixture(scope="module")
def calibration(sample_build: Build, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real calibration proposal (gates open, so every stage gets a proposed set)."""
    out = tmp_path_factory.mktemp("calibration")
    args = ["--database", str(sample_build.db_path), "--out", str(out)]
    assert calibrate([*args, "--min-churn-events", "1", "--min-auc-gain", "-1"]) == 0
    return out


@pytest.fixture(scope="module")
def report(served: Path, calibration: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "health_report.html"
    args = ["--database", str(served), "--out", str(out), "--calibration-dir", str(calibration)]
    assert main(args) == 0
    return out


def _query(database: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(database), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_every_chart_draws_in_chromium(report: Path, tmp_path: Path) -> None:
    chromium = _chromium()
    dom = browser.dump_dom(report, chromium)
    drawn = browser.drawn_charts(dom)
    assert sorted(drawn) == sorted(EXPECTED_CHARTS)
    assert browser.chart_problems(dom, EXPECTED_CHARTS) == []
    for draw in drawn.values():
        assert draw.svgs >= 1 and draw.traces >= 1 and draw.marks >= 1, draw
    png = browser.screenshot(report, tmp_path / "report.png", chromium=chromium)
    stats = browser.screenshot_stats(png, [charts.RISK, charts.MIDDLE, charts.GOOD])
    assert stats.top_color_share < MAX_TOP_COLOR_SHARE, stats
    assert stats.chart_color_share > MIN_CHART_COLOR_SHARE, stats


def test_the_check_fails_without_the_plotting_javascript(report: Path, tmp_path: Path) -> None:
    chromium = _chromium()
    html = report.read_text(encoding="utf-8")
    plotly_js = get_plotlyjs()
    assert html.count(plotly_js) == 1
    broken = tmp_path / "no_js.html"
    broken.write_text(html.replace(plotly_js, ""), encoding="utf-8")
    problems = browser.chart_problems(browser.dump_dom(broken, chromium), EXPECTED_CHARTS)
    assert len(problems) == len(EXPECTED_CHARTS)
    assert all("no plot SVG" in problem for problem in problems)
    png = browser.screenshot(broken, tmp_path / "no_js.png", chromium=chromium)
    stats = browser.screenshot_stats(png, [charts.RISK, charts.MIDDLE, charts.GOOD])
    assert stats.chart_color_share < MIN_CHART_COLOR_SHARE, stats


def test_the_check_fails_on_an_empty_chart(tmp_path: Path) -> None:
    chromium = _chromium()
    empty = pd.DataFrame({"week_on": [], "alert_type": [], "severity": [], "alerts": []})
    one = pd.DataFrame(
        {"week_on": [date(2026, 10, 5)], "alert_type": ["score_drop"], "severity": ["high"]}
    ).assign(alerts=[3])
    page = tmp_path / "charts.html"
    empty_chart = charts.Chart("empty", charts.alerts_by_week(empty).figure)
    body = _figure_html(empty_chart) + _figure_html(charts.alerts_by_week(one))
    page.write_text(
        f"<html><head><script>{get_plotlyjs()}</script></head><body>{body}</body></html>",
        encoding="utf-8",
    )
    problems = browser.chart_problems(browser.dump_dom(page, chromium), ["empty", "alerts-by-week"])
    assert problems == ["chart empty: the plot has no data marks (0 traces)"]


def test_report_is_self_contained_and_says_what_the_marts_say(
    report: Path, served: Path, calibration: Path
) -> None:
    html = report.read_text(encoding="utf-8")
    assert EXTERNAL_RESOURCE.search(html) is None, "the page loads something from outside"
    as_of, build_id = _query(served, "select as_of, build_id from publish.build_info")[0]
    assert f"As of <b>{as_of:%-d %b %Y}</b>" in html
    assert build_id in html
    alerts_7d = _query(served, "select sum(count_alerts_7d) from marts.rpt_segment_health")[0][0]
    assert f'Alerts, last 7 days</div><div class="tile-value">{alerts_7d:,}<' in html
    lowest = _query(
        served,
        "select account_name, recommended_action from marts.dim_account_health"
        " where not is_churned order by health_score, mrr desc limit 1",
    )[0]
    assert lowest[0] in html
    assert lowest[1].replace("_", " ") in html
    auc = _query(
        served,
        "select auc from marts.rpt_health_backtest_summary"
        " where segment_type = 'all' and score_name = 'health_score'",
    )[0][0]
    threshold = min_auc()
    verdict = "meets the minimum" if auc >= threshold else "is below the minimum"
    assert f"AUC {auc:.3f} {verdict} {threshold:.2f}" in html
    with (calibration / PROPOSAL_FILE).open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    sets = {f"{r['lifecycle_stage']} ({r['customer_tier']})" for r in rows}
    assert sets
    assert f"proposes new weights for {len(sets)} of " in html
    assert all(label in html for label in sets)
    first = min(r["effective_from"] for r in rows)
    assert f"effective from {first}" in html
    # The reason of the weight set in force on the as-of date is shown.
    reason = _query(
        served,
        "select min(reason) from config.health_weights where effective_from = (select"
        f" max(effective_from) from config.health_weights where effective_from <= '{as_of}')",
    )[0][0]
    assert "<th>Reason</th>" in html and reason in html
    assert "<th>Author</th>" not in html
    for label in sets:  # the calibration report's summary table, one line per set
        assert f"{label}: proposed, out-of-time AUC " in html
    markdown = (calibration / REPORT_FILE).read_text(encoding="utf-8")
    assert ("**Check for lookahead:**" in markdown) == ("Check for look-ahead first" in html)


def test_report_shows_every_owner_book_and_the_alert_quality(report: Path, served: Path) -> None:
    html = report.read_text(encoding="utf-8")
    section = html.split("<h2>The CSMs' books</h2>")[1].split("</section>")[0]
    books = _query(
        served,
        "select coalesce(owner_name, owner_user_id), count_accounts, count_open_alerts"
        " from marts.rpt_owner_book order by arr desc nulls last, owner_user_id",
    )
    assert books, "rpt_owner_book is empty on the sample"
    rows = section.split('<table class="owners">')[1].split("</table>")[0].split("<tr>")[2:]
    assert len(rows) == len(books)
    for row, (owner, accounts, open_alerts) in zip(rows, books, strict=True):
        cells = re.findall(r"<td>(.*?)</td>", row)
        assert cells[0].startswith(owner)
        assert cells[1] == f"{accounts:,}"
        assert cells[7] == f"{open_alerts:,}"
    customers = _query(served, "select count(*) from marts.dim_account_health where not is_churned")
    assert sum(accounts for _, accounts, _ in books) == customers[0][0]
    count_alerts, precision = _query(
        served,
        "select count_alerts, alert_precision from marts.rpt_alert_quality where alert_type = 'all'",
    )[0]
    quality = section.split('<table class="alert-quality">')[1].split("</table>")[0]
    first = re.findall(r"<td>(.*?)</td>", quality.split("<tr>")[2])
    assert first[:2] == ["all", f"{count_alerts:,}"]
    assert first[3] == f"{100 * precision:.0f}%"


def test_report_without_config_seeds_or_calibration(published: Path, tmp_path: Path) -> None:
    marts_only = _served_copy(published, tmp_path / "served_marts_only.duckdb", ("marts",))
    out = tmp_path / "report.html"
    args = ["--database", str(marts_only), "--out", str(out)]
    assert main([*args, "--calibration-dir", str(tmp_path / "none"), "--min-auc", "0.99"]) == 0
    html = out.read_text(encoding="utf-8")
    assert "No calibration proposal" in html
    assert "is below the minimum 0.99" in html
    assert "Minimum 0.99: --min-auc." in html
    assert "<th>Reason</th>" not in html
    latest = _query(marts_only, "select max(date_day) from marts.fct_account_health_daily")[0][0]
    assert f"As of <b>{latest:%-d %b %Y}</b>" in html


def _rename_band(database: Path, old: str, new: str, *, columns: bool) -> None:
    """Rename band ``old`` to ``new`` in config.health_bands and every band value of the marts,
    and (``columns``) in the marts' per-band column names."""
    database.chmod(0o644)
    con = duckdb.connect(str(database))
    try:
        con.execute("update config.health_bands set band = ? where band = ?", [new, old])
        for table, column in con.execute(
            "select table_name, column_name from duckdb_columns() where schema_name = 'marts'"
            " and (column_name = 'health_band' or column_name like ?)",
            [f"%_{old}"],
        ).fetchall():
            if column == "health_band":
                con.execute(
                    f"update marts.{table} set health_band = ? where health_band = ?", [new, old]
                )
            elif columns:
                renamed = column[: -len(old)] + new
                con.execute(f"alter table marts.{table} rename column {column} to {renamed}")
    finally:
        con.close()


def test_the_report_reads_the_bands_of_the_build(
    published: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Band names, their order and colours come from the served config.health_bands (and the
    marts' per-band columns it names), not from a list in the report: rename the middle band and
    the page shows the new name everywhere and the old one nowhere; rename it in the seed alone
    and the report stops naming the per-band column it lacks."""
    served = _served_copy(published, tmp_path / "renamed.duckdb", ("marts", "config", "publish"))
    old, new = "neutral", "watchlist"
    assert _query(served, "select band from config.health_bands order by band_order")[1] == (old,)
    _rename_band(served, old, new, columns=True)
    out = tmp_path / "renamed.html"
    assert (
        main(["--database", str(served), "--out", str(out), "--calibration-dir", str(tmp_path)])
        == 0
    )
    html = out.read_text(encoding="utf-8")
    assert f"<b>{new}</b> (41&ndash;60" in html
    assert f'class="pill band-{new}"' in html or f'class="band-{new}"' in html
    assert f".mixbar .band-{new} {{ background: {charts.MIDDLE}; }}" in html
    assert f"band-{old}" not in html and f"<b>{old}</b>" not in html

    seed_only = _served_copy(published, tmp_path / "seed_only.duckdb", ("marts", "config"))
    _rename_band(seed_only, old, new, columns=False)
    args = ["--database", str(seed_only), "--out", str(tmp_path / "seed_only.html")]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "marts.rpt_segment_health" in err and f"pct_{new}" in err


def test_errors_name_the_database_table_and_column(
    published: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nowhere.duckdb"
    assert main(["--database", str(missing), "--out", str(tmp_path / "a.html")]) == 2
    assert f"no published database at {missing}" in capsys.readouterr().err
    broken = tmp_path / "broken.duckdb"
    con = duckdb.connect(str(broken))
    try:
        con.execute(f"attach '{published}' as served (read_only)")
        con.execute("create schema marts")
        for table in ("fct_account_health_daily", "fct_health_alerts", "fct_health_backtest"):
            con.execute(f"create table marts.{table} as select * from served.marts.{table}")
        con.execute(
            "create table marts.rpt_health_backtest_summary as"
            " select * from served.marts.rpt_health_backtest_summary"
        )
    finally:
        con.close()
    assert main(["--database", str(broken), "--out", str(tmp_path / "b.html")]) == 2
    assert "has no table marts.dim_account_health" in capsys.readouterr().err
    con = duckdb.connect(str(broken))
    try:
        con.execute(f"attach '{published}' as served (read_only)")
        con.execute(
            "create table marts.dim_account_health as"
            " select * exclude (drivers_down) from served.marts.dim_account_health"
        )
    finally:
        con.close()
    assert main(["--database", str(broken), "--out", str(tmp_path / "c.html")]) == 2
    assert "marts.dim_account_health" in (err := capsys.readouterr().err)
    assert "lacks column(s) drivers_down" in err
    assert not (tmp_path / "c.html").exists()


def test_headline_when_every_set_keeps_its_weights() -> None:
    proposal = Proposal(
        directory=Path("build/calibration"),
        as_of=date(2026, 9, 30),
        effective_from=(),
        proposed_sets=(),
        decisions=(SetDecision("maturity (default)", "kept", "0.710 → -"),),
    )
    sentence, details = headline(proposal, date(2026, 10, 31))
    assert "keeps the current weights for all of 1 weight sets" in sentence
    assert "this report is as of 2026-10-31" in sentence
    assert details == ["maturity (default): kept, out-of-time AUC 0.710 → -"]


def test_min_auc_comes_from_the_project_var(tmp_path: Path) -> None:
    project = tmp_path / "dbt_project.yml"
    project.write_text("vars:\n  backtest_min_auc: 0.7\n", encoding="utf-8")
    assert min_auc(project) == 0.7
    project.write_text("vars:\n  backtest_min_auc: high\n", encoding="utf-8")
    with pytest.raises(ReportError, match=r"var backtest_min_auc in .*dbt_project.yml is 'high'"):
        min_auc(project)
