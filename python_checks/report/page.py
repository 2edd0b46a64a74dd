"""Assemble the report: numbers, charts and short explanations in one self-contained HTML file."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from html import escape
from pathlib import Path

import pandas as pd
from plotly.offline import get_plotlyjs

from python_checks.report import charts
from python_checks.report.calibration import Proposal, headline
from python_checks.report.data import WEIGHT_NOTES, ReportData
from python_checks.report.errors import ReportError
from python_checks.report.revenue import RENEWAL_SOON_DAYS, renewal_pipeline
from python_checks.report.settings import MIN_AUC_VAR
from python_checks.report.style import CSS, band_css

TITLE = "Customer health report"
PLOT_CONFIG = {
    "displaylogo": False,
    "displayModeBar": False,
    "responsive": True,
}
MISSING = "&ndash;"  # shown for a missing number or text
DEFAULT_MIN_AUC_SOURCE = f"var {MIN_AUC_VAR} in dbt_project.yml"


@dataclass(frozen=True)
class Rendered:
    """The written report: where, and which charts it holds."""

    path: Path
    chart_ids: tuple[str, ...]
    as_of: date


def _text(value: object) -> str:
    """A text cell, escaped; empty for a missing value (None or NaN)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return escape(str(value))


def _number(value: object, digits: int = 0) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    return f"{float(value):,.{digits}f}"  # type: ignore[arg-type]


def _pct(value: object, digits: int = 0) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    return f"{100 * float(value):.{digits}f}%"  # type: ignore[arg-type]


def _signed(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    number = float(value)  # type: ignore[arg-type]
    css = "up" if number > 0 else "down" if number < 0 else ""
    return f'<span class="delta {css}">{number:+.1f}</span>'


def _pill(band: object) -> str:
    if band is None:
        return MISSING
    text = escape(str(band))
    return f'<span class="pill band-{text}">{text}</span>'


def _date(day: object) -> str:
    if isinstance(day, pd.Timestamp):
        day = day.date()
    return day.strftime("%-d %b %Y") if isinstance(day, date) else escape(str(day))


def _figure_html(chart: charts.Chart) -> str:
    plot = chart.figure.to_html(
        full_html=False,
        include_plotlyjs=False,
        div_id=f"plot-{chart.chart_id}",
        config=PLOT_CONFIG,
    )
    return (
        f'<div class="chart" id="chart-{chart.chart_id}" data-chart="{chart.chart_id}">{plot}</div>'
    )


def _figure_block(chart: charts.Chart, title: str, note: str) -> str:
    return (
        f'<figure class="card"><figcaption><h3>{escape(title)}</h3>'
        f"<p>{note}</p></figcaption>{_figure_html(chart)}</figure>"
    )


def _table(headers: Sequence[str], rows: Iterable[Sequence[str]], css: str = "") -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f'<table class="{css}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _tile(label: str, value: str, note: str = "", css: str = "") -> str:
    return (
        f'<div class="tile {css}"><div class="tile-label">{escape(label)}</div>'
        f'<div class="tile-value">{value}</div><div class="tile-note">{note}</div></div>'
    )


def _drivers(text: object) -> str:
    parsed = charts.parse_drivers(text if isinstance(text, str) else None)
    if not parsed:
        return escape(str(text)) if isinstance(text, str) and text else MISSING
    return "".join(
        f'<span class="driver">{escape(charts.label(signal))} <b>{points:+.1f}</b></span>'
        for signal, _value, points in parsed
    )


def _band_counts(data: ReportData) -> dict[str, int]:
    counts = data.current["health_band"].value_counts()
    return {band: int(counts.get(band, 0)) for band in data.band_names}


def _share_then(data: ReportData, days: int) -> dict[str, float] | None:
    history = data.band_history
    if history.empty:
        return None
    then = pd.Timestamp(data.build.as_of - timedelta(days=days))
    dates = pd.to_datetime(history["date_day"])
    earlier = history[dates <= then]
    if earlier.empty:
        return None
    day = earlier["date_day"].max()
    rows = earlier[earlier["date_day"] == day]
    total = rows["accounts"].sum()
    return {
        band: float(rows.loc[rows["health_band"] == band, "accounts"].sum() / total)
        for band in data.band_names
    }


def _band_list(data: ReportData) -> str:
    """The bands in words, lowest first, each with its range and the seed's description."""
    parts = [
        f"<b>{escape(band.band)}</b> ({band.min_score:.0f}&ndash;{band.max_score:.0f}"
        + (
            f": {escape(band.description[:1].lower() + band.description[1:])}"
            if band.description
            else ""
        )
        + ")"
        for band in data.bands
    ]
    return ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0]


def _header(data: ReportData, min_auc: float) -> str:
    build = data.build
    stamp = f"build {escape(build.build_id)}" if build.build_id else "unpublished build"
    if build.published_at:
        stamp += f", published {escape(build.published_at)}"
    current = data.current
    counts = _band_counts(data)
    customers = len(current)
    mrr = float(current["mrr"].fillna(0).sum())
    low = data.lowest_band
    mrr_low = float(current.loc[current["health_band"] == low, "mrr"].fillna(0).sum())
    composite = data.composite
    auc = float(composite["auc"]) if composite is not None else float("nan")
    auc_ok = not math.isnan(auc) and auc >= min_auc
    tiles = [
        _tile("Current customers", _number(customers), f"MRR {_number(mrr)}"),
        _tile(
            "Average health score",
            _number(current["health_score"].mean(), 1),
            f"median {_number(current['health_score'].median(), 1)} of 100",
        ),
        _tile(
            f"{escape(low.capitalize())} accounts",
            _number(counts[low]),
            f"{_pct(counts[low] / customers if customers else None)} of customers; "
            + ", ".join(f"{counts[band]} {escape(band)}" for band in data.band_names[1:]),
            "bad" if counts[low] else "",
        ),
        _tile(
            "MRR at risk",
            _number(mrr_low),
            f"{_pct(mrr_low / mrr if mrr else None, 1)} of MRR is in {escape(low)} accounts",
            "bad" if mrr_low else "",
        ),
        _tile(
            "Alerts, last 7 days",
            _number(data.alerts_last_7d),
            "on current customers; see the alert queue",
        ),
        _tile(
            "Back-test AUC",
            _number(auc, 2),
            f"minimum {min_auc:.2f}: {'met' if auc_ok else 'not met'}",
            "good" if auc_ok else "bad",
        ),
    ]
    return (
        f'<header><div class="eyebrow">Customer success · portfolio health</div>'
        f"<h1>{TITLE}</h1>"
        f'<p class="asof">As of <b>{_date(build.as_of)}</b> · {stamp}</p></header>'
        f'<section class="tiles">{"".join(tiles)}</section>'
        '<p class="lede">Every customer gets a health score from 0 to 100 each day, built from '
        "onboarding, product usage, support, billing, relationship and survey signals. Scores "
        f"fall into {len(data.bands)} bands: {_band_list(data)}. Hover over any chart for the "
        "numbers.</p>"
    )


def _portfolio(data: ReportData) -> str:
    counts = _band_counts(data)
    total = sum(counts.values())
    then = _share_then(data, 30)
    moves = ""
    if then and total:
        parts = []
        for band in data.band_names:
            now = counts[band] / total
            points = round((now - then[band]) * 100)
            change = f"{points:+d} pts" if points else "unchanged"
            parts.append(f"{band} {_pct(now)} ({change} in 30 days)")
        moves = "Today: " + "; ".join(parts) + "."
    chart = charts.band_mix(data.band_history, data.weight_changes, data.band_names)
    note = (
        "Share of current customers in each band, day by day (churned accounts leave the "
        f"picture). {moves}"
    )
    if data.weight_changes:
        note += " Dotted lines mark days when new scoring weights took effect."
    return (
        "<section><h2>Portfolio health over time</h2>"
        f"{_figure_block(chart, 'Band mix of the portfolio', escape(note))}</section>"
    )


def _mix_bar(row: pd.Series, bands: Sequence[str]) -> str:
    parts = "".join(
        f'<span class="band-{band}" style="width:{100 * float(row[f"pct_{band}"] or 0):.1f}%" '
        f'title="{band} {_pct(row[f"pct_{band}"])}"></span>'
        for band in bands
    )
    return f'<div class="mixbar">{parts}</div>'


def _segments(data: ReportData) -> str:
    low = data.lowest_band
    rows = [
        [
            escape(str(row["customer_tier"])),
            escape(str(row["lifecycle_stage"])),
            _number(row["count_accounts"]),
            f'<span class="score">{_number(row["avg_health_score"], 1)}</span>',
            _mix_bar(row, data.band_names)
            + f'<div class="sub">{_pct(row[f"pct_{low}"])} {escape(low)}</div>',
            _number(row["mrr"]),
            _number(row[f"mrr_{low}"]),
            _number(row["count_alerts_7d"]),
        ]
        for _, row in data.segments.iterrows()
    ]
    headers = ["Tier", "Stage", "Customers", "Avg score", "Band mix", "MRR", f"MRR {escape(low)}"]
    return (
        '<div class="card table-card"><h3>Segments</h3><p class="sub">Current customers by '
        "tier and lifecycle stage (rpt_segment_health), tiers with the most revenue first.</p>"
        f"{_table([*headers, 'Alerts 7d'], rows, 'segments')}</div>"
    )


def _distribution(data: ReportData) -> str:
    by_stage = charts.score_distribution(data.current, "lifecycle_stage", data.stages, data.bands)
    by_tier = charts.score_distribution(data.current, "customer_tier", data.tiers, data.bands)
    backdrop = " The shaded bands are the score bands." if data.bands else ""
    return (
        "<section><h2>Where scores stand today</h2>"
        '<div class="grid two">'
        + _figure_block(
            by_stage,
            "By lifecycle stage",
            "Each dot is a customer; the box spans the middle half of the scores, the line "
            f"inside it is the median.{backdrop}",
        )
        + _figure_block(
            by_tier,
            "By customer tier",
            "Compare tiers: a low box in a high-revenue tier is where the money is at risk.",
        )
        + "</div>"
        + _segments(data)
        + "</section>"
    )


def _at_risk(data: ReportData) -> str:
    rows = []
    for _, row in data.at_risk.iterrows():
        flags = row["flags"] if isinstance(row["flags"], str) and row["flags"] else ""
        critical = (
            ' <span class="flag critical">critical</span>' if row["has_critical_flag"] else ""
        )
        rows.append(
            [
                f"<b>{_text(row['account_name']) or _text(row['account_id'])}</b>"
                f'<div class="sub">{escape(str(row["account_id"]))}</div>',
                f"{escape(str(row['customer_tier']))}"
                f'<div class="sub">{escape(str(row["lifecycle_stage"]))}</div>',
                f'<span class="num">{_number(row["mrr"])}</span>',
                f'<span class="score">{_number(row["health_score"], 1)}</span> '
                f"{_pill(row['health_band'])}",
                _signed(row["score_change_30d"]),
                _drivers(row["drivers_down"])
                + critical
                + (
                    f'<div class="sub">flags: {escape(flags.replace(",", ", "))}</div>'
                    if flags
                    else ""
                ),
                f"<b>{escape(charts.label(str(row['recommended_action'])))}</b>"
                f'<div class="sub">{_text(row["action_reason"])}</div>',
            ]
        )
    table = _table(
        ["Account", "Tier / stage", "MRR", "Score", "30 days", "What pulls it down", "Next step"],
        rows,
        "risk",
    )
    high = escape(data.highest_band)
    lost = charts.points_lost(data.current, data.highest_band)
    if lost is None:
        drivers = f'<p class="empty">No signal takes points from an account below {high}.</p>'
    else:
        drivers = _figure_block(
            lost,
            f"What takes points from the accounts below {high}",
            f"The signals behind the scores of every account not in the {high} band: points "
            "each signal takes from the score, summed over those accounts. Fix the top bars "
            "and most scores rise.",
        )
    return (
        "<section><h2>Accounts most at risk</h2>"
        f'<p class="section-note">The {len(data.at_risk)} current customers with the lowest '
        "score. <i>What pulls it down</i> names the signals taking the most points from the "
        "score (against a neutral 50); <i>Next step</i> is the action the playbook recommends "
        "for the account's band, tier, stage and flags.</p>"
        f'<div class="card table-card">{table}</div>{drivers}</section>'
    )


def _revenue(data: ReportData) -> str:
    revenue = data.revenue
    horizon = f"{data.horizon_days} days" if data.horizon_days else "the horizon"
    share = revenue.revenue_at_risk / revenue.arr if revenue.arr else None
    tiles = [
        _tile("ARR of current customers", _number(revenue.arr), "contracted: seats &times; price"),
        _tile(
            "Revenue at risk",
            _number(revenue.revenue_at_risk),
            f"{_pct(share, 1)} of ARR expected to churn within {escape(horizon)}",
        ),
        _tile(
            f"Renewing in {RENEWAL_SOON_DAYS} days",
            _number(revenue.arr_renewing_soon),
            f"ARR up for renewal; {_number(revenue.revenue_at_risk_renewing_soon)} of it at risk",
        ),
    ]
    if revenue.pipeline.empty:
        pipeline = '<p class="empty">No renewal falls within the pipeline months.</p>'
    else:
        pipeline = _figure_block(
            renewal_pipeline(revenue.pipeline, data.band_names),
            "Renewal pipeline",
            "ARR up for renewal per month (rpt_renewal_pipeline), coloured by the renewing "
            "accounts' band today; the line is the revenue at risk in it (churn probability &times; "
            "ARR up for renewal). Monthly plans renew every month, annual terms once a year.",
        )
    accounts = _table(
        ["Account", "Band", "ARR", "Churn probability", "Revenue at risk", "Next renewal"],
        [
            [
                f"<b>{_text(row['account_name']) or _text(row['account_id'])}</b>"
                f'<div class="sub">{escape(str(row["account_id"]))}</div>',
                _pill(row["health_band"]),
                f'<span class="num">{_number(row["arr"])}</span>',
                _pct(row["churn_probability"], 1),
                f'<span class="num">{_number(row["revenue_at_risk"])}</span>',
                f"{_date(row['next_renewal_on'])}"
                f'<div class="sub">{_number(row["days_to_renewal"])} days</div>',
            ]
            for _, row in revenue.top_at_risk.iterrows()
        ],
        "risk",
    )
    calibration = _table(
        ["Stage", "Snapshots", "Predicted", "Observed", "Brier", "Base rate Brier", "Skill"],
        [
            [
                escape(str(row["lifecycle_stage"])),
                _number(row["count_account_snapshots"]),
                _pct(row["mean_churn_probability"], 1),
                _pct(row["observed_churn_rate"], 1),
                _number(row["brier_score"], 4),
                _number(row["brier_score_reference"], 4),
                _number(row["brier_skill"], 2),
            ]
            for _, row in revenue.calibration.iterrows()
        ],
    )
    retention = _table(
        ["Month", "Starting MRR", "GRR", "NRR"],
        [
            [
                _date(row["month_start_on"]),
                _number(row["starting_mrr"]),
                _pct(row["gross_revenue_retention"], 1),
                _pct(row["net_revenue_retention"], 1),
            ]
            for _, row in revenue.retention.iterrows()
        ],
    )
    return (
        "<section><h2>Renewals and revenue at risk</h2>"
        '<p class="section-note">Churn probability is the share of back-test accounts with the '
        f"same stage and score band that churned within {escape(horizon)}, fitted on the "
        "back-test snapshots; revenue at risk is that probability &times; ARR.</p>"
        f'<section class="tiles">{"".join(tiles)}</section>{pipeline}'
        f'<div class="card table-card"><h3>Most revenue at risk</h3>{accounts}</div>'
        '<div class="grid two">'
        '<div class="card table-card"><h3>Is the probability right? (out of time)</h3>'
        "<p>The newest back-test snapshots, scored by a fit that never saw them: predicted "
        "against observed churn, and the Brier score (mean squared error; lower is better) "
        f"against always predicting the base rate.</p>{calibration}</div>"
        '<div class="card table-card"><h3>Revenue retention</h3>'
        "<p>GRR: MRR kept from the customers of the month's first day, without expansion; "
        f"NRR: with it (rpt_revenue_retention).</p>{retention}</div>"
        "</div></section>"
    )


def _alerts(data: ReportData) -> str:
    days = data.options.alert_days
    recent = data.alerts_recent
    churned = recent["is_churned"].fillna(False).astype(bool)
    open_alerts = recent[~churned]
    left_out = int(churned.sum())
    if open_alerts.empty:
        queue = f'<p class="empty">No alert was raised in the last {days} days.</p>'
    else:
        rows = [
            [
                _date(row["alerted_on"]),
                f'<span class="sev {escape(str(row["severity"]))}">'
                f"{escape(str(row['severity']))}</span>",
                f"<b>{_text(row['account_name']) or _text(row['account_id'])}</b>"
                f'<div class="sub">{_text(row["customer_tier"])}</div>',
                escape(str(row["alert_message"])),
                charts.label(_text(row["top_driver_down"])),
                f"{_number(row['health_score'], 1)} {_pill(row['health_band'])}",
                charts.label(_text(row["recommended_action"])),
            ]
            for _, row in open_alerts.head(data.options.alert_rows).iterrows()
        ]
        headers = ["Raised", "Severity", "Account", "What happened", "Top driver"]
        queue = _table([*headers, "Score now", "Next step"], rows, "alerts")
    if len(open_alerts) > data.options.alert_rows:
        by_severity = open_alerts["severity"].value_counts()
        counts = ", ".join(f"{count} {severity}" for severity, count in by_severity.items())
        queue += (
            f'<p class="sub">The {data.options.alert_rows} most severe and newest of '
            f"{len(open_alerts)} alerts ({counts}).</p>"
        )
    if left_out:
        queue += (
            f'<p class="sub">{left_out} alert(s) of accounts that have churned since are '
            "left out.</p>"
        )
    if data.alerts_weekly.empty:
        weekly = f'<p class="empty">No alert in the last {data.options.alert_weeks} weeks.</p>'
    else:
        weekly = _figure_block(
            charts.alerts_by_week(data.alerts_weekly),
            f"Alerts per week, last {data.options.alert_weeks} weeks",
            "A rising bar is more accounts changing for the worse, not more noise: every rule "
            "has a cool-down per account.",
        )
    return (
        "<section><h2>Alert queue</h2>"
        f'<p class="section-note">Alerts raised in the last {days} days on current customers, '
        "most severe first, with the account's score today. Rules and cool-downs are set in "
        "the alert_rules seed: a score below the threshold, a band downgrade, a sharp drop over "
        "30 days, or a critical flag.</p>"
        f'<div class="card table-card">{queue}</div>{weekly}</section>'
    )


def _owner_books(data: ReportData) -> str:
    """One row per CSM's book (rpt_owner_book): where each owner's accounts stand today."""
    low = data.lowest_band
    rows = []
    for _, row in data.owner_books.iterrows():
        count = float(row["count_accounts"] or 0)
        shares = {
            band: float(row[f"count_{band}"] or 0) / count if count else 0.0
            for band in data.band_names
        }
        owner = _text(row["owner_name"]) or escape(str(row["owner_user_id"]))
        if not bool(row["is_owner_active"]):
            owner += ' <span class="sub">(inactive or unknown owner)</span>'
        rows.append(
            [
                owner,
                _number(row["count_accounts"]),
                f'<span class="score">{_number(row["avg_health_score"], 1)}</span>',
                _mix_bar(
                    pd.Series({f"pct_{band}": share for band, share in shares.items()}),
                    data.band_names,
                )
                + f'<div class="sub">{_number(row[f"count_{low}"])} {escape(low)}</div>',
                _number(row["arr"]),
                _number(row[f"arr_{low}"]),
                f"{_number(row['count_movers_down'])} ↓ · {_number(row['count_movers_up'])} ↑",
                _number(row["count_open_alerts"]),
                f"{_number(row['count_renewals_due'])} · {_number(row['renewal_amount_due'])}",
            ]
        )
    headers = [
        "Owner",
        "Customers",
        "Avg score",
        "Band mix",
        "ARR",
        f"ARR {escape(low)}",
        "Movers 30d",
        "Open alerts",
        "Renewals due (amount)",
    ]
    return (
        '<section><h2>The CSMs\' books</h2><div class="card table-card"><p class="sub">Current '
        "customers by CRM owner (rpt_owner_book), the largest books first: band mix, ARR, "
        "accounts whose score moved by var book_mover_points or more in 30 days, alerts still "
        "open and open renewal opportunities closing soon.</p>"
        f"{_table(headers, rows, 'owners')}</div>{_alert_quality(data)}</section>"
    )


def _alert_quality(data: ReportData) -> str:
    """How much the alerts are worth (rpt_alert_quality): volume, precision, early warnings."""
    if data.alert_quality.empty:
        return ""
    first = data.alert_quality.iloc[0]
    rows = [
        [
            escape(str(row["alert_type"]).replace("_", " ")),
            _number(row["count_alerts"]),
            _number(row["alerts_per_account_month"], 2),
            _pct(row["alert_precision"]),
            _pct(row["pct_churns_warned"]),
            _pct(row["pct_churned_revenue_warned"]),
            _number(row["median_lead_days"]),
        ]
        for _, row in data.alert_quality.iterrows()
    ]
    headers = [
        "Alert type",
        "Alerts",
        "Per account-month",
        "Precision",
        "Churns warned",
        "Churned revenue warned",
        "Median lead (days)",
    ]
    return (
        '<div class="card table-card"><h3>Alert quality</h3><p class="sub">Over the whole '
        "history (rpt_alert_quality): precision is the share of alerts followed by churn within "
        f"{_number(first['horizon_days'])} days; a churn is warned when an alert came at least "
        f"{_number(first['min_lead_days'])} days before it.</p>"
        f"{_table(headers, rows, 'alert-quality')}</div>"
    )


def _backtest(data: ReportData, min_auc: float) -> str:
    composite = data.composite
    if composite is None:
        return (
            "<section><h2>Does the score predict churn?</h2>"
            '<p class="empty">The back-test has no snapshot yet: it needs a month whose '
            "churn horizon is fully observed.</p></section>"
        )
    horizon = f"{data.horizon_days} days" if data.horizon_days else "the horizon"
    overall = float(composite["churn_rate"])
    tiles = [
        _tile("AUC of the score", _number(composite["auc"], 2), f"minimum {min_auc:.2f}"),
        _tile(
            "Lift in the lowest tenth",
            f"{_number(composite['lift_lowest_decile'], 1)}&times;",
            "churn rate of the lowest-scoring 10% over the average",
        ),
        _tile(
            "Churned revenue flagged",
            _pct(composite[f"pct_churned_revenue_{data.lowest_band}"]),
            f"of churned MRR was in the {escape(data.lowest_band)} band beforehand",
        ),
        _tile(
            "Evidence",
            _number(composite["count_account_snapshots"]),
            f"account-months on {_number(composite['count_snapshots'])} snapshots, "
            f"{_number(composite['count_churned'])} churned",
        ),
    ]
    blocks = [
        _figure_block(
            charts.churn_by_band(composite, overall, data.band_names),
            "Churn by band",
            f"Share of accounts that churned within {horizon} after a monthly snapshot, by the "
            f"band they were in that day. It should fall from {escape(data.lowest_band)} to "
            f"{escape(data.highest_band)}.",
        ),
        _figure_block(
            charts.auc_by_score(data.backtest_all, min_auc),
            "How well each score ranks churn",
            "AUC: the chance that an account that churned scored lower than one that stayed. "
            "The dimension bars show which parts of the score carry the signal.",
        ),
    ]
    stability = ""
    if len(data.backtest_snapshots) > 1:
        stability = _figure_block(
            charts.auc_by_snapshot(data.backtest_snapshots, min_auc),
            "AUC on each monthly snapshot",
            "A stable line means the score ranks churn as well in every month, not only on "
            "average.",
        )
    return (
        "<section><h2>Does the score predict churn?</h2>"
        '<p class="section-note">The back-test takes the score every account had on the first '
        f"day of each month (computed only from what was known that day) and checks who "
        f"churned within the next {horizon}.</p>"
        f'<div class="tiles small">{"".join(tiles)}</div>'
        f'<div class="grid two">{"".join(blocks)}</div>{stability}</section>'
    )


def _calibration(
    data: ReportData, min_auc: float, min_auc_source: str, proposal: Proposal | None
) -> str:
    composite = data.composite
    auc = float(composite["auc"]) if composite is not None else float("nan")
    if math.isnan(auc):
        status = '<span class="status warn">no back-test yet</span>'
    elif auc >= min_auc:
        status = f'<span class="status ok">AUC {auc:.3f} meets the minimum {min_auc:.2f}</span>'
    else:
        status = (
            f'<span class="status bad">AUC {auc:.3f} is below the minimum {min_auc:.2f}: '
            "review the weights</span>"
        )
    weights = data.weights_in_force
    notes = [note for note in WEIGHT_NOTES if note in weights.columns]
    rows = [
        [
            escape(str(row["lifecycle_stage"])),
            escape(str(row["weights_tier"])),
            _date(row["weights_effective_from"]),
            _number(row["accounts"]),
            *(_text(row[note]) or MISSING for note in notes),
        ]
        for _, row in weights.iterrows()
    ]
    headers = ["Stage", "Tier", "In force since", "Customers scored"]
    table = _table([*headers, *(note.capitalize() for note in notes)], rows)
    scheduled = ""
    if not data.weights_scheduled.empty:
        firsts = [_date(d) for d in sorted(set(data.weights_scheduled["effective_from"]))]
        scheduled = (
            f"<p>{len(data.weights_scheduled)} adopted weight sets take effect later, "
            f"from {', '.join(firsts)}.</p>"
        )
    sentence, details = headline(proposal, data.build.as_of)
    detail = "".join(f"<li>{escape(line)}</li>" for line in details)
    return (
        "<section><h2>Calibration status</h2>"
        f'<div class="grid two"><div class="card"><h3>Back-test against the minimum</h3>'
        f'<p>{status}</p><p class="sub">Minimum {min_auc:.2f}: {escape(min_auc_source)}. '
        "Two warn-level dbt tests flag an AUC below it and band churn rates that do not fall "
        f"from {escape(data.lowest_band)} to {escape(data.highest_band)}.</p></div>"
        f'<div class="card"><h3>Calibration proposal</h3><p>{escape(sentence)}</p>'
        f"{'<ul>' + detail + '</ul>' if detail else ''}</div></div>"
        f'<div class="card table-card"><h3>Weights in force on {_date(data.build.as_of)}</h3>'
        f'{table}{scheduled}<p class="sub">Weights change only by new rows with a later '
        "effective_from in seeds/health_weights.csv; past days keep the weights that were in "
        "force.</p></div></section>"
    )


def render(
    data: ReportData,
    min_auc: float,
    proposal: Proposal | None,
    min_auc_source: str = DEFAULT_MIN_AUC_SOURCE,
) -> tuple[str, list[str]]:
    """The page's HTML and the ids of its charts."""
    if data.current.empty:
        raise ReportError(
            f"marts.dim_account_health in {data.database} has no current customer to report on"
        )
    sections = [
        _header(data, min_auc),
        _portfolio(data),
        _distribution(data),
        _at_risk(data),
        _revenue(data),
        _alerts(data),
        _owner_books(data),
        _backtest(data, min_auc),
        _calibration(data, min_auc, min_auc_source, proposal),
    ]
    body = "".join(sections)
    generated = datetime.now(UTC).isoformat(timespec="minutes")
    footer = (
        f"<footer>Generated {escape(generated)} from {escape(str(data.database))} (read-only) "
        "by <code>make report</code> · <code>python -m python_checks.report</code>. "
        "Numbers come from the published marts; definitions are in the project's README and docs/.</footer>"
    )
    html = (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{TITLE} · {_date(data.build.as_of)}</title>"
        f"<style>{CSS}{band_css(charts.band_colors(data.band_names))}</style>"
        f'<script type="text/javascript">{get_plotlyjs()}</script>'
        f"</head><body><main>{body}{footer}</main></body></html>\n"
    )
    ids = [part.split('"')[0] for part in html.split('data-chart="')[1:]]
    return html, ids


def write_report(
    data: ReportData,
    out: Path,
    min_auc: float,
    proposal: Proposal | None,
    min_auc_source: str = DEFAULT_MIN_AUC_SOURCE,
) -> Rendered:
    """Write the page to ``out`` (its folder is created)."""
    html, ids = render(data, min_auc, proposal, min_auc_source)
    out.parent.mkdir(parents=True, exist_ok=True)
    temp = out.with_name(f".{out.name}.tmp")
    temp.write_text(html, encoding="utf-8")
    temp.replace(out)
    return Rendered(out, tuple(ids), data.build.as_of)
