"""The score an account would get on its latest scored day if signals had other values.

Computed by the build's own SQL, not a copy of it: dbt compiles macro what_if_health
(macros/scoring/what_if_health.sql), which re-scores the day's signals with macro score_signals
(every account's stored measures of that day, the changed values put in, so peer percentiles are
ranked as dbt ranks them), joins them with macro wide_signal_scores and computes the composite,
coverage, band and drivers with macro score_health, the macros int_signals_<dimension>,
int_account_signal_scores and int_account_health_daily are built with. The compiled query reads
the changes from a temporary table and runs on the build database read-only.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb

from python_checks.dbt_runner import PROJECT_DIR, run_dbt
from python_checks.vocabulary import scoring_signals

CHANGES_TABLE = "what_if_changes"
NO_BAND = "(none)"
MACRO_CALL = "{{ what_if_health('" + CHANGES_TABLE + "') }}"


class WhatIfError(ValueError):
    """The what-if cannot be answered (unknown account or signal, or dbt cannot compile it)."""


@dataclass(frozen=True)
class Change:
    """One signal of one account set to a value (None: the signal is missing)."""

    account_id: str
    signal_name: str
    value: float | None


@dataclass(frozen=True)
class WhatIf:
    """One change, before (as stored) and after (re-scored by macro what_if_health)."""

    account_id: str
    day: date
    lifecycle_stage: str
    customer_tier: str
    signal_name: str
    weight: float
    value_before: float | None
    score_before: float | None
    value_after: float | None
    score_absolute_after: float | None
    score_peer_after: float | None
    score_after: float | None
    missing_reason_after: str | None
    health_score_before: float | None
    health_band_before: str | None
    coverage_before: float | None
    drivers_down_before: str | None
    drivers_up_before: str | None
    health_score_after: float | None
    health_band_after: str | None
    coverage_after: float | None
    drivers_down_after: str | None
    drivers_up_after: str | None
    top_driver_down_after: str | None
    dimension_scores_after: dict[str, float | None]
    notes: list[str] = field(default_factory=list)


def compile_what_if(database: Path, dbt_vars: dict[str, object] | None = None) -> str:
    """The what-if query for ``database``: macro what_if_health compiled by dbt with ``dbt_vars``
    (the vars the build ran with). dbt compiles against a scratch file of the same name, so the
    query names the build database's catalog and the build database is never opened for writing.
    """
    with tempfile.TemporaryDirectory(prefix="what_if_") as scratch:
        result = run_dbt(
            ["compile", "--inline", MACRO_CALL, "--output", "json", "--quiet"],
            raw_dir=Path(os.environ.get("RAW_DATA_DIR", PROJECT_DIR / "data" / "raw")),
            db_path=Path(scratch) / database.name,
            work_dir=Path(scratch) / "work",
            dbt_vars=dbt_vars,
        )
    start = result.output.find("{")
    if not result.ok or start < 0:
        raise WhatIfError(
            "dbt could not compile macro what_if_health (macros/scoring/what_if_health.sql):\n"
            + result.output[-3000:]
        )
    compiled, _end = json.JSONDecoder().raw_decode(result.output[start:])
    return str(compiled["compiled"])


def run_what_if(con: duckdb.DuckDBPyConnection, query: str, changes: list[Change]) -> list[WhatIf]:
    """Run a compiled what-if query (compile_what_if) on ``con`` for ``changes``: one result per
    change of an account that has a scored day."""
    dimensions = list(scoring_signals())
    con.execute(
        f"create or replace temp table {CHANGES_TABLE}"
        " (account_id varchar, signal_name varchar, signal_value double)"
    )
    con.executemany(
        f"insert into {CHANGES_TABLE} values (?, ?, ?)",
        [(change.account_id, change.signal_name, change.value) for change in changes],
    )
    con.execute("set enable_progress_bar = false")
    cursor = con.execute(query)
    columns = [str(column[0]) for column in cursor.description or []]
    results = []
    for row in cursor.fetchall():
        values = dict(zip(columns, row, strict=True))
        dimension_scores = {
            dimension: values.pop(f"score_{dimension}_after") for dimension in dimensions
        }
        values.pop("health_score_current_weights_after")
        values.pop("dimension")
        values["day"] = values.pop("date_day")
        results.append(WhatIf(**values, dimension_scores_after=dimension_scores))
    return results


def what_if(
    database: Path,
    account_id: str,
    signal: str,
    value: float,
    dbt_vars: dict[str, object] | None = None,
) -> WhatIf:
    """The health ``account_id`` would have on its latest scored day with ``signal`` at ``value``."""
    names = [name for names in scoring_signals().values() for name in names]
    if signal not in names:
        raise WhatIfError(
            f"signal {signal!r} is not in var signals (dbt_project.yml): {', '.join(sorted(names))}"
        )
    query = compile_what_if(database, dbt_vars)
    con = duckdb.connect(str(database), read_only=True)
    try:
        results = run_what_if(con, query, [Change(account_id, signal, value)])
        if not results:
            raise WhatIfError(
                f"account {account_id!r} has no scored day in {database}"
                " (intermediate.int_account_health_daily)"
            )
        override = con.execute(
            "select is_override_applied from marts.dim_account_health where account_id = ?",
            [account_id],
        ).fetchone()
    finally:
        con.close()
    result = results[0]
    notes = result.notes
    if result.weight == 0:
        notes.append(
            f"{signal} has no weight for {result.lifecycle_stage} ({result.customer_tier}) on "
            f"{result.day}: the score cannot change"
        )
    if result.missing_reason_after is not None:
        notes.append(f"{signal} stays missing: {result.missing_reason_after}")
    elif result.score_peer_after is None:
        notes.append(
            "no peer percentile (fewer accounts with a value in the tier and stage that day than "
            "var min_peer_group_size): absolute score only, as dbt does"
        )
    if override and override[0]:
        notes.append("a manual override sets the published score; these are computed scores")
    return result


def _number(value: float | None, digits: int = 1) -> str:
    return "missing" if value is None else f"{value:.{digits}f}"


def _value(value: float | None) -> str:
    return "missing" if value is None else f"{value:g}"


def what_if_lines(result: WhatIf) -> list[str]:
    peer = (
        f", peer percentile {result.score_peer_after:.1f}"
        if result.score_peer_after is not None
        else ""
    )
    after = (
        "missing"
        if result.score_after is None
        else f"{result.score_after:.1f} (absolute {_number(result.score_absolute_after)}{peer})"
    )
    delta = (
        ""
        if result.health_score_before is None or result.health_score_after is None
        else f" ({result.health_score_after - result.health_score_before:+.1f})"
    )
    lines = [
        f"Account {result.account_id} on {result.day} ({result.lifecycle_stage}, "
        f"{result.customer_tier})",
        f"  {result.signal_name} (weight {result.weight:.4f}): value "
        f"{_value(result.value_before)} → {_value(result.value_after)}; signal score "
        f"{_number(result.score_before)} → {after}",
        f"  health score {_number(result.health_score_before)} → "
        f"{_number(result.health_score_after)}{delta}",
        f"  band {result.health_band_before or NO_BAND} → {result.health_band_after or NO_BAND}",
        f"  coverage {_number(result.coverage_before, 2)} → {_number(result.coverage_after, 2)}",
        f"  drivers down: {result.drivers_down_before or '(none)'} → "
        f"{result.drivers_down_after or '(none)'}",
    ]
    lines += [f"  note: {note}" for note in result.notes]
    return lines
