"""Write the proposal (seed format) and the markdown report, and the short printed summary."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

from python_checks.calibrate.calibration import SetResult, Settings, Split, reason
from python_checks.calibrate.data import WEIGHTS_COLUMNS
from python_checks.calibrate.evaluate import BandRate

AUTHOR = "calibrate"
TOP_CHANGES = 12


@dataclass(frozen=True)
class Context:
    database: Path
    as_of: date
    horizon_days: int
    split: Split
    settings: Settings


def format_weight(weight: float) -> str:
    """A weight as the seed writes it: up to 4 decimals, at least one (0.09, 0.0, 1.0)."""
    text = f"{weight:.4f}".rstrip("0")
    return text + "0" if text.endswith(".") else text


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def proposal_lines(results: Sequence[SetResult], settings: Settings, split: Split) -> list[str]:
    """The seed's header and one row per signal of every proposed set (proposed sets only)."""
    lines = [",".join(WEIGHTS_COLUMNS)]
    for result in results:
        if not result.proposed or result.candidate is None:
            continue
        weight_set = result.weight_set
        set_reason = _quoted(reason(result, len(split.training)))
        for signal, weight in zip(weight_set.signals, result.candidate, strict=True):
            fields = [
                settings.effective_from.isoformat(),
                weight_set.lifecycle_stage,
                weight_set.customer_tier,
                signal,
                format_weight(float(weight)),
                set_reason,
                AUTHOR,
            ]
            lines.append(",".join(fields))
    return lines


def write_proposal(
    path: Path, results: Sequence[SetResult], settings: Settings, split: Split
) -> int:
    lines = proposal_lines(results, settings, split)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines) - 1


def _auc(value: float) -> str:
    return "-" if np.isnan(value) else f"{value:.3f}"


def _rate(rate: BandRate) -> str:
    if not rate.rows:
        return "- (0)"
    return f"{rate.churn_rate:.1%} ({rate.churned}/{rate.rows})"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    return [
        "| " + " | ".join(header) + " |",
        "|" + "|".join("---" for _ in header) + "|",
        *("| " + " | ".join(row) + " |" for row in rows),
    ]


def _dates(days: tuple[date, ...]) -> str:
    if not days:
        return "none"
    if len(days) == 1:
        return days[0].isoformat()
    return f"{days[0].isoformat()} … {days[-1].isoformat()} ({len(days)})"


def _label(result: SetResult) -> str:
    weight_set = result.weight_set
    return f"{weight_set.lifecycle_stage} ({weight_set.customer_tier})"


def _weights_section(result: SetResult) -> list[str]:
    weight_set = result.weight_set
    if result.candidate is None:
        return ["No candidate was fitted; the current weights stay.", ""]
    change = result.candidate - weight_set.weights
    order = np.argsort(-np.abs(change), kind="stable")
    rows = [
        [
            weight_set.signals[i],
            f"{weight_set.weights[i]:.4f}",
            f"{result.candidate[i]:.4f}",
            f"{change[i]:+.4f}",
        ]
        for i in order[:TOP_CHANGES]
        if abs(change[i]) > 0
    ]
    lines = ["Weights, largest changes first (current → candidate):", ""]
    lines += _table(["signal", "current", "candidate", "change"], rows) if rows else ["(no change)"]
    rest = int((np.abs(change[order[TOP_CHANGES:]]) > 0).sum())
    if rest:
        lines += [
            "",
            f"{rest} more signals change by less than {abs(change[order[TOP_CHANGES]]):.4f}.",
        ]
    return [*lines, ""]


def _presence_section(result: SetResult) -> list[str]:
    if not result.presence_gaps:
        return []
    rows = [
        [gap.signal_name, f"{gap.present_retained:.0%}", f"{gap.present_churned:.0%}"]
        for gap in result.presence_gaps
    ]
    return [
        "**Check for lookahead:** these signals are present far more often for one outcome than "
        "the other (training rows). A weight on them scores whether the value exists; if the "
        "gap comes from data that is not point-in-time (e.g. a value taken from the account's "
        "current state), the fit exploits a leak and the gain is not real.",
        "",
        *_table(["signal", "present (retained)", "present (churned)"], rows),
        "",
    ]


def _bands_section(result: SetResult) -> list[str]:
    rows = []
    for period, metrics in (("in-sample", result.training), ("out-of-time", result.holdout)):
        proposed = metrics.bands_proposed or [None] * len(metrics.bands_current)
        for current, candidate in zip(metrics.bands_current, proposed, strict=True):
            rows.append(
                [
                    period,
                    current.band,
                    _rate(current),
                    "-" if candidate is None else _rate(candidate),
                ]
            )
    return [
        "Churn rate per band (churned / account-snapshots):",
        "",
        *_table(["period", "band", "current", "candidate"], rows),
        "",
    ]


def report_lines(results: Sequence[SetResult], context: Context) -> list[str]:
    split, settings = context.split, context.settings
    lines = [
        "# Health weight calibration",
        "",
        f"- database: `{context.database}`, as-of {context.as_of.isoformat()}, churn horizon "
        f"{context.horizon_days} days",
        f"- training snapshots: {_dates(split.training)}",
        f"- left out (their horizon reaches the out-of-time period): {_dates(split.embargoed)}",
        f"- out-of-time snapshots: {_dates(split.holdout)}",
        f"- settings: l2 {settings.l2:g} towards the current weights, --min-churn-events "
        f"{settings.min_churn_events} (distinct churns in training), --min-auc-gain "
        f"{settings.min_auc_gain:g} (out of time)",
        f"- proposed sets take effect on {settings.effective_from.isoformat()}",
        "",
        "The composite is the project's: present signals share the weight of the set, missing "
        "ones are left out. Candidate weights are fitted for a logistic model of churn within the "
        "horizon, non-negative and summing to 1, rounded to 4 decimals. AUC is by ranks as in "
        "rpt_health_backtest_summary (0.5 is chance).",
        "",
        "## Summary",
        "",
    ]
    summary_rows = [
        [
            _label(r),
            "proposed" if r.proposed else "kept",
            f"{r.training.rows} / {r.training.churn_events}",
            f"{_auc(r.training.auc_current)} → {_auc(r.training.auc_proposed)}",
            f"{r.holdout.rows} / {r.holdout.churn_events}",
            f"{_auc(r.holdout.auc_current)} → {_auc(r.holdout.auc_proposed)}",
        ]
        for r in results
    ]
    lines += _table(
        [
            "stage (tier)",
            "decision",
            "training rows / churns",
            "AUC in-sample current → candidate",
            "out-of-time rows / churns",
            "AUC out-of-time current → candidate",
        ],
        summary_rows,
    )
    lines.append("")
    for result in results:
        lines += [f"## {_label(result)}", "", f"**{result.note}**", ""]
        if result.fit_message:
            lines += [f"Note: {result.fit_message}", ""]
        lines += [
            f"Current set: effective from {result.weight_set.effective_from.isoformat()}. The "
            f"composite recomputed here matches the back-test's health_score on "
            f"{result.reproduced_matches} of {result.reproduced_rows} account-snapshots scored "
            "with this set.",
            "",
        ]
        lines += _presence_section(result)
        lines += _weights_section(result)
        lines += _bands_section(result)
    lines += [
        "## Adopting",
        "",
        "Nothing was written into seeds/. To adopt, append the rows of "
        "`health_weights_proposed.csv` (without its header) to `seeds/health_weights.csv` in a "
        "reviewed change and rebuild: past days keep the weights that were in force.",
        "",
    ]
    return lines


def summary_lines(
    results: Sequence[SetResult], proposal: Path, report: Path, rows: int
) -> list[str]:
    lines = []
    for r in results:
        lines.append(
            f"{_label(r):<22} {'proposed' if r.proposed else 'kept':<8} "
            f"AUC in-sample {_auc(r.training.auc_current)} → {_auc(r.training.auc_proposed)}, "
            f"out-of-time {_auc(r.holdout.auc_current)} → {_auc(r.holdout.auc_proposed)}  "
            f"({r.note})"
        )
    gaps = sorted({g.signal_name for r in results for g in r.presence_gaps})
    if gaps:
        lines.append(
            f"check for lookahead (presence differs by outcome): {', '.join(gaps)} (see report)"
        )
    lines.append(f"{rows} proposed rows in {proposal}; report in {report}")
    return lines
