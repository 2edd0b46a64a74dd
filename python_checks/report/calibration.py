"""The headline of a calibration proposal, when `make calibrate` left one in build/calibration/.

The calibration writes the proposal in the seed's format (``health_weights_proposed.csv``: one
row per signal of each proposed set) and a markdown report whose summary table lists every
weight set with its decision and out-of-time AUC. The report reads both and says in one line
what a reviewer would be asked to adopt.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from python_checks.calibrate.__main__ import PROPOSAL_FILE, REPORT_FILE
from python_checks.report.errors import ReportError

SUMMARY_HEADING = "## Summary"
LABEL_COLUMN = "stage (tier)"
DECISION_COLUMN = "decision"
OUT_OF_TIME_COLUMN = "AUC out-of-time current → candidate"
AS_OF_PATTERN = re.compile(r"as-of (\d{4}-\d{2}-\d{2})")
LOOKAHEAD_MARK = "**Check for lookahead:**"


@dataclass(frozen=True)
class SetDecision:
    """One weight set in the calibration's summary."""

    label: str
    decision: str
    auc_out_of_time: str


@dataclass(frozen=True)
class Proposal:
    """What build/calibration/ holds."""

    directory: Path
    as_of: date | None
    effective_from: tuple[date, ...]
    proposed_sets: tuple[str, ...]
    decisions: tuple[SetDecision, ...]
    lookahead: tuple[str, ...] = ()

    @property
    def report_file(self) -> Path:
        return self.directory / REPORT_FILE

    @property
    def proposal_file(self) -> Path:
        return self.directory / PROPOSAL_FILE


def _proposed(path: Path) -> tuple[tuple[date, ...], tuple[str, ...]]:
    """Effective dates and 'stage (tier)' labels of the sets in the proposal file."""
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        needed = {"effective_from", "lifecycle_stage", "customer_tier"}
        if reader.fieldnames is None or not needed <= set(reader.fieldnames):
            raise ReportError(
                f"{path} is not in the format of seeds/health_weights.csv "
                f"(needs columns {', '.join(sorted(needed))})"
            )
        days: set[date] = set()
        labels: dict[str, None] = {}
        for row in reader:
            try:
                days.add(date.fromisoformat(row["effective_from"]))
            except ValueError as exc:
                raise ReportError(
                    f"{path}: effective_from {row['effective_from']!r} is not a date"
                ) from exc
            labels[f"{row['lifecycle_stage']} ({row['customer_tier']})"] = None
    return tuple(sorted(days)), tuple(labels)


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def _decisions(text: str) -> tuple[SetDecision, ...]:
    """The rows of the report's summary table (empty when the table is not found)."""
    lines = text.splitlines()
    if SUMMARY_HEADING not in lines:
        return ()
    start = lines.index(SUMMARY_HEADING)
    header_line = next((line for line in lines[start + 1 :] if line.startswith("|")), "")
    header = _cells(header_line)
    if not {LABEL_COLUMN, DECISION_COLUMN, OUT_OF_TIME_COLUMN} <= set(header):
        return ()
    rows = [dict(zip(header, row, strict=False)) for row in _table_after(lines, start)]
    return tuple(
        SetDecision(
            row.get(LABEL_COLUMN, ""),
            row.get(DECISION_COLUMN, ""),
            row.get(OUT_OF_TIME_COLUMN, ""),
        )
        for row in rows
    )


def _table_after(lines: list[str], start: int) -> list[list[str]]:
    """The body rows of the first markdown table after line ``start``."""
    table: list[str] = []
    for line in lines[start + 1 :]:
        if line.startswith("|"):
            table.append(line)
        elif table:
            break
    return [_cells(line) for line in table[2:]]


def _lookahead(text: str) -> tuple[str, ...]:
    """Signals the calibration's look-ahead check lists (first column of its tables)."""
    lines = text.splitlines()
    signals: dict[str, None] = {}
    for index, line in enumerate(lines):
        if line.startswith(LOOKAHEAD_MARK):
            for row in _table_after(lines, index):
                signals[row[0]] = None
    return tuple(signals)


def read_proposal(directory: Path) -> Proposal | None:
    """The calibration in ``directory``, or None when it holds none."""
    proposal_file, report_file = directory / PROPOSAL_FILE, directory / REPORT_FILE
    if not proposal_file.is_file() and not report_file.is_file():
        return None
    days, labels = _proposed(proposal_file) if proposal_file.is_file() else ((), ())
    text = report_file.read_text(encoding="utf-8") if report_file.is_file() else ""
    found = AS_OF_PATTERN.search(text)
    return Proposal(
        directory=directory,
        as_of=date.fromisoformat(found.group(1)) if found else None,
        effective_from=days,
        proposed_sets=labels,
        decisions=_decisions(text),
        lookahead=_lookahead(text),
    )


def headline(proposal: Proposal | None, as_of: date) -> tuple[str, list[str]]:
    """One sentence, and the detail lines (one per weight set) under it."""
    if proposal is None:
        return (
            "No calibration proposal: run `make calibrate` to fit weights on the back-test "
            "and propose a reviewed change.",
            [],
        )
    details = [
        f"{d.label}: {d.decision}, out-of-time AUC {d.auc_out_of_time}" for d in proposal.decisions
    ]
    total = len(proposal.decisions)
    of_total = f" of {total}" if total else ""
    when = (
        f"computed on the build as of {proposal.as_of.isoformat()}"
        if proposal.as_of
        else "build date unknown"
    )
    if proposal.proposed_sets:
        start = ", ".join(day.isoformat() for day in proposal.effective_from)
        sentence = (
            f"A calibration ({when}) proposes new weights for {len(proposal.proposed_sets)}"
            f"{of_total} weight sets, effective from {start}: "
            f"{', '.join(proposal.proposed_sets)}. Adopting them is a reviewed change to "
            f"seeds/health_weights.csv (see {proposal.report_file})."
        )
    else:
        sentence = (
            f"A calibration ({when}) keeps the current weights for all{of_total} weight sets: "
            "no proposal beat them out of time."
        )
    if proposal.lookahead:
        sentence += (
            f" Check for look-ahead first: {', '.join(proposal.lookahead)} "
            "(present far more often for one outcome)."
        )
    if proposal.as_of and proposal.as_of != as_of:
        sentence += (
            f" Note: this report is as of {as_of.isoformat()}; run `make calibrate` again "
            "for a proposal on the same data."
        )
    return sentence, details
