"""The report's charts as plotly figures (SVG traces only, so every chart draws without WebGL)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from python_checks.bands import Band

# Band colours run from RISK (the lowest band of health_bands) through MIDDLE to GOOD (the
# highest), by each band's place (band_colors): three bands get exactly these three.
RISK, MIDDLE, GOOD = "#d1495b", "#edae49", "#2e9e7a"
ALERT_COLORS = {
    "critical_flag_raised": "#8f1d2c",
    "band_downgrade": "#d1495b",
    "score_drop": "#f08a4b",
    "score_below_threshold": "#edae49",
}
INK, MUTED, GRID, ACCENT = "#1f2a37", "#6b7280", "#e5e7eb", "#3b5b92"
FONT = "Inter, 'Segoe UI', system-ui, -apple-system, Helvetica, Arial, sans-serif"
DRIVER = re.compile(r"^(?P<signal>\S+) (?P<value>\S+) \((?P<points>[+-]?\d+(?:\.\d+)?)\)$")


def _mix(start: str, end: str, share: float) -> str:
    """The colour ``share`` of the way from ``start`` to ``end`` (#rrggbb)."""
    channels = [
        round(
            int(start[i : i + 2], 16)
            + share * (int(end[i : i + 2], 16) - int(start[i : i + 2], 16))
        )
        for i in (1, 3, 5)
    ]
    return "#" + "".join(f"{channel:02x}" for channel in channels)


def band_colors(bands: Sequence[str]) -> dict[str, str]:
    """Each band's colour, ``bands`` lowest first: RISK for the lowest, GOOD for the highest and
    the bands between spread evenly through MIDDLE."""
    if len(bands) == 1:
        return {bands[0]: GOOD}
    colors = {}
    for place, band in enumerate(bands):
        share = place / (len(bands) - 1)
        colors[band] = (
            _mix(RISK, MIDDLE, 2 * share) if share <= 0.5 else _mix(MIDDLE, GOOD, 2 * share - 1)
        )
    return colors


@dataclass(frozen=True)
class Chart:
    """A figure and the id of the element it is drawn in."""

    chart_id: str
    figure: go.Figure


def label(name: str) -> str:
    """A signal or column name in words: ``days_since_last_login`` -> ``days since last login``."""
    return name.replace("_", " ")


def score_label(score_name: str) -> str:
    """A back-test score in words: ``health_score`` -> composite, ``score_product`` -> product."""
    return "composite score" if score_name == "health_score" else label(score_name[6:])


def parse_drivers(text: str | None) -> list[tuple[str, str, float]]:
    """``'a 1.0 (-3.9); b 2 (-1.2)'`` -> ``[('a', '1.0', -3.9), ('b', '2', -1.2)]``."""
    drivers = []
    for part in (text or "").split(";"):
        found = DRIVER.match(part.strip())
        if found:
            drivers.append((found["signal"], found["value"], float(found["points"])))
    return drivers


def _layout(figure: go.Figure, *, height: int, legend: bool = True) -> go.Figure:
    figure.update_layout(
        template="plotly_white",
        height=height,
        margin={"l": 56, "r": 24, "t": 16, "b": 48},
        font={"family": FONT, "size": 13, "color": INK},
        hoverlabel={"font": {"family": FONT}},
        showlegend=legend,
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0, "title": None},
        plot_bgcolor="white",
        paper_bgcolor="white",
    )
    figure.update_xaxes(gridcolor=GRID, zeroline=False)
    figure.update_yaxes(gridcolor=GRID, zeroline=False)
    return figure


def band_mix(
    history: pd.DataFrame, weight_changes: Sequence[object], bands: Sequence[str]
) -> Chart:
    """Share of current customers per band (``bands``, lowest first), day by day, stacked to
    100%."""
    totals = history.groupby("date_day")["accounts"].transform("sum")
    shares = history.assign(share=100.0 * history["accounts"] / totals)
    colors = band_colors(bands)
    figure = go.Figure()
    for band in bands:
        rows = shares[shares["health_band"] == band]
        figure.add_trace(
            go.Scatter(
                x=rows["date_day"],
                y=rows["share"],
                customdata=rows["accounts"],
                name=band,
                mode="lines",
                stackgroup="bands",
                line={"width": 0.5, "color": colors[band]},
                fillcolor=colors[band],
                hovertemplate=f"{band}: %{{y:.0f}}%% (%{{customdata}} accounts)<extra></extra>",
            )
        )
    for day in weight_changes:
        figure.add_vline(x=day, line={"color": INK, "dash": "dot", "width": 1})
        figure.add_annotation(
            x=day,
            y=100,
            yanchor="bottom",
            text="weights changed",
            showarrow=False,
            font={"size": 11, "color": MUTED},
        )
    figure.update_yaxes(title="% of customers", range=[0, 100], ticksuffix="%")
    figure.update_xaxes(title=None)
    figure.update_layout(hovermode="x unified")
    return Chart("band-mix", _layout(figure, height=360))


def _band_backdrop(figure: go.Figure, bands: Sequence[Band]) -> None:
    colors = band_colors([band.band for band in bands])
    for band in bands:
        figure.add_hrect(
            y0=band.min_score,
            y1=band.max_score + (1 if band.max_score < 100 else 0),
            fillcolor=colors[band.band],
            opacity=0.09,
            line_width=0,
            layer="below",
        )


def score_distribution(
    current: pd.DataFrame, column: str, order: Sequence[str], bands: Sequence[Band]
) -> Chart:
    """One box per segment of ``column`` with every account as a dot."""
    present = [value for value in order if value in set(current[column])]
    present += sorted(set(current[column]) - set(present))
    counts = current[column].value_counts()
    names = {value: f"{value}<br><sub>{counts.get(value, 0)} accounts</sub>" for value in present}
    figure = go.Figure(
        go.Box(
            x=current[column].map(names),
            y=current["health_score"],
            customdata=current[["account_name", "health_band"]],
            boxpoints="all",
            jitter=0.45,
            pointpos=0,
            marker={"size": 5, "color": ACCENT, "opacity": 0.55},
            line={"color": INK, "width": 1.2},
            fillcolor="rgba(59, 91, 146, 0.10)",
            hovertemplate="%{customdata[0]}: %{y:.1f} (%{customdata[1]})<extra></extra>",
            name="health score",
        )
    )
    _band_backdrop(figure, bands)
    figure.update_xaxes(categoryorder="array", categoryarray=[names[v] for v in present])
    figure.update_yaxes(title="health score", range=[0, 100])
    return Chart(f"score-by-{column.split('_')[-1]}", _layout(figure, height=340, legend=False))


def points_lost(current: pd.DataFrame, highest_band: str, top: int = 10) -> Chart | None:
    """Which signals take the most points from the accounts below the highest band (None:
    none)."""
    lost: dict[str, float] = {}
    accounts: dict[str, int] = {}
    for text in current.loc[current["health_band"] != highest_band, "drivers_down"]:
        for signal, _value, points in parse_drivers(text):
            if points < 0:
                lost[signal] = lost.get(signal, 0.0) - points
                accounts[signal] = accounts.get(signal, 0) + 1
    if not lost:
        return None
    ranked = sorted(lost, key=lambda s: lost[s], reverse=True)[:top][::-1]
    figure = go.Figure(
        go.Bar(
            x=[lost[s] for s in ranked],
            y=[label(s) for s in ranked],
            customdata=[accounts[s] for s in ranked],
            orientation="h",
            marker={"color": RISK},
            hovertemplate="%{y}: %{x:.0f} points lost in %{customdata} accounts<extra></extra>",
        )
    )
    figure.update_xaxes(title="points taken from the score, summed over accounts")
    figure.update_layout(margin={"l": 190})
    return Chart("points-lost", _layout(figure, height=360, legend=False))


def alerts_by_week(weekly: pd.DataFrame) -> Chart:
    """Alerts raised per week, stacked by rule."""
    figure = go.Figure()
    types = [t for t in ALERT_COLORS if t in set(weekly["alert_type"])]
    types += sorted(set(weekly["alert_type"]) - set(types))
    for alert_type in types:
        rows = weekly[weekly["alert_type"] == alert_type]
        figure.add_trace(
            go.Bar(
                x=rows["week_on"],
                y=rows["alerts"],
                name=label(alert_type),
                marker={"color": ALERT_COLORS.get(alert_type, MUTED)},
                hovertemplate=f"week of %{{x|%d %b}}: %{{y}} {label(alert_type)}<extra></extra>",
            )
        )
    figure.update_layout(barmode="stack", bargap=0.15)
    figure.update_yaxes(title="alerts per week")
    return Chart("alerts-by-week", _layout(figure, height=320))


def churn_by_band(composite: pd.Series, overall: float, bands: Sequence[str]) -> Chart:
    """Churn rate within the horizon per band (``bands``, lowest first) of the composite score
    at the snapshot."""
    rates = [float(composite[f"churn_rate_{band}"]) * 100 for band in bands]
    colors = band_colors(bands)
    figure = go.Figure(
        go.Bar(
            x=list(bands),
            y=rates,
            marker={"color": [colors[band] for band in bands]},
            text=[f"{rate:.1f}%" for rate in rates],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{x}: %{y:.1f}% churned<extra></extra>",
        )
    )
    figure.add_hline(
        y=overall * 100,
        line={"color": INK, "dash": "dot", "width": 1},
        annotation_text=f"all accounts {overall * 100:.1f}%",
        annotation_position="top right",
    )
    figure.update_yaxes(title="churned within the horizon", ticksuffix="%", rangemode="tozero")
    return Chart("churn-by-band", _layout(figure, height=320, legend=False))


def auc_by_score(backtest_all: pd.DataFrame, min_auc: float) -> Chart:
    """AUC of the composite and of each dimension on its own, against the minimum."""
    rows = backtest_all.dropna(subset=["auc"]).sort_values("auc")
    names = [score_label(n) for n in rows["score_name"]]
    colors = [ACCENT if n == "health_score" else "#9aa9c4" for n in rows["score_name"]]
    figure = go.Figure(
        go.Bar(
            x=rows["auc"],
            y=names,
            orientation="h",
            marker={"color": colors},
            text=[f"{auc:.2f}" for auc in rows["auc"]],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: AUC %{x:.3f}<extra></extra>",
        )
    )
    figure.add_vline(x=0.5, line={"color": MUTED, "dash": "dot", "width": 1})
    figure.add_vline(
        x=min_auc,
        line={"color": RISK, "dash": "dash", "width": 1.5},
        annotation_text=f"minimum {min_auc:.2f}",
        annotation_position="bottom right",
    )
    figure.update_xaxes(title="AUC (0.5 = chance, 1 = perfect ranking)", range=[0.4, 1.0])
    figure.update_layout(margin={"l": 140})
    return Chart("auc-by-score", _layout(figure, height=320, legend=False))


def auc_by_snapshot(snapshots: pd.DataFrame, min_auc: float) -> Chart:
    """The composite's AUC on each monthly snapshot: is the score stable over time?"""
    figure = go.Figure(
        go.Scatter(
            x=snapshots["snapshot_on"],
            y=snapshots["auc"],
            customdata=snapshots["count_account_snapshots"],
            mode="lines+markers",
            line={"color": ACCENT, "width": 2},
            marker={"size": 6},
            hovertemplate="%{x|%b %Y}: AUC %{y:.2f} (%{customdata} accounts)<extra></extra>",
        )
    )
    figure.add_hline(
        y=min_auc,
        line={"color": RISK, "dash": "dash", "width": 1.5},
        annotation_text=f"minimum {min_auc:.2f}",
        annotation_position="bottom right",
    )
    figure.update_yaxes(title="AUC of the composite", range=[0.3, 1.0])
    return Chart("auc-by-snapshot", _layout(figure, height=300, legend=False))
