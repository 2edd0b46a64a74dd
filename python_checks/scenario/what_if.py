"""The score one account would get today if one signal had another value.

The signal is re-scored as dbt scores it (macro score_signals): the absolute score is linear
between the thresholds' value_at_0 and value_at_100 (bounded; a stage's own row wins over 'all'),
and, where the signal has a peer weight, the peer percentile is recomputed by ranking the new
value among the other accounts of the same tier and stage that day (their values do not change).
The composite is then recomputed from the account's latest-day contributions: present signals
share the weight, so a signal that was missing takes its share back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb
import yaml

from python_checks.dbt_runner import PROJECT_DIR

_EPS = 1e-12


class WhatIfError(ValueError):
    """The what-if cannot be answered (unknown account or signal)."""


@dataclass(frozen=True)
class Thresholds:
    value_at_0: float
    value_at_100: float
    peer_weight: float


@dataclass(frozen=True)
class Contribution:
    signal_name: str
    signal_value: float | None
    score: float | None
    is_missing: bool
    weight: float


@dataclass(frozen=True)
class SignalScore:
    absolute: float
    peer: float | None
    peers: int
    score: float


@dataclass(frozen=True)
class WhatIf:
    account_id: str
    day: date
    lifecycle_stage: str
    customer_tier: str
    signal_name: str
    weight: float
    value_before: float | None
    value_after: float
    signal_score_before: float | None
    signal_after: SignalScore
    peer_weight: float
    score_before: float | None
    score_after: float | None
    band_before: str
    band_after: str
    notes: list[str] = field(default_factory=list)


def project_var(name: str, project_dir: Path = PROJECT_DIR) -> object:
    """A var's default from dbt_project.yml."""
    config = yaml.safe_load((project_dir / "dbt_project.yml").read_text(encoding="utf-8"))
    return config.get("vars", {}).get(name)


def linear_score(value: float, value_at_0: float, value_at_100: float) -> float:
    """macro linear_score: 0 at value_at_0, 100 at value_at_100, linear between, bounded."""
    if value_at_100 == value_at_0:
        return 100.0 if value >= value_at_100 else 0.0
    return 100.0 * min(1.0, max(0.0, (value - value_at_0) / (value_at_100 - value_at_0)))


def peer_percentile(
    value: float, peer_values: list[float], thresholds: Thresholds, min_group: int
) -> tuple[float | None, int]:
    """percent_rank() of the value among the other accounts' values (healthy direction), as
    score_signals computes it; None when the group (with the account) is below min_group."""
    group = len(peer_values) + 1
    if group < min_group:
        return None, group
    direction = (thresholds.value_at_100 > thresholds.value_at_0) - (
        thresholds.value_at_100 < thresholds.value_at_0
    )
    key = value * direction
    below = sum(1 for peer in peer_values if peer * direction < key)
    return (100.0 * below / (group - 1) if group > 1 else 0.0), group


def signal_score(
    value: float, peer_values: list[float], thresholds: Thresholds, min_group: int
) -> SignalScore:
    absolute = linear_score(value, thresholds.value_at_0, thresholds.value_at_100)
    peer, peers = peer_percentile(value, peer_values, thresholds, min_group)
    if peer is None:
        return SignalScore(absolute, None, peers, absolute)
    blended = (1 - thresholds.peer_weight) * absolute + thresholds.peer_weight * peer
    return SignalScore(absolute, peer, peers, blended)


def composite(rows: list[Contribution]) -> float | None:
    """Σ weight * score / Σ weight over the present signals (None when none has weight)."""
    present = [
        (r.weight, r.score if r.score is not None else 50.0) for r in rows if not r.is_missing
    ]
    total = sum(weight for weight, _ in present)
    if total <= _EPS:
        return None
    return sum(weight * score for weight, score in present) / total


def band_of(con: duckdb.DuckDBPyConnection, score: float | None) -> str:
    if score is None:
        return "(none)"
    # As int_account_health_daily: the published score (1 decimal) rounded, half away from zero.
    whole = int(int(score * 10 + 0.5) / 10 + 0.5)
    row = con.execute(
        "select band from config.health_bands where ? between min_score and max_score", [whole]
    ).fetchone()
    return str(row[0]) if row else "(none)"


def _thresholds(con: duckdb.DuckDBPyConnection, signal: str, stage: str) -> Thresholds:
    row = con.execute(
        """
        select value_at_0, value_at_100, coalesce(peer_weight, 0)
        from config.signal_thresholds
        where signal_name = ? and lifecycle_stage in (?, 'all')
        order by case when lifecycle_stage = 'all' then 1 else 0 end
        limit 1
        """,
        [signal, stage],
    ).fetchone()
    if row is None:
        raise WhatIfError(f"signal {signal!r} is not in config.signal_thresholds")
    return Thresholds(float(row[0]), float(row[1]), float(row[2]))


def what_if(
    con: duckdb.DuckDBPyConnection,
    account_id: str,
    signal: str,
    value: float,
    min_peer_group_size: int | None = None,
) -> WhatIf:
    day_row = con.execute(
        "select max(date_day) from intermediate.int_account_signal_contributions where account_id = ?",
        [account_id],
    ).fetchone()
    if day_row is None or day_row[0] is None:
        raise WhatIfError(f"account {account_id!r} has no scored day")
    day = day_row[0]
    records = con.execute(
        """
        select signal_name, signal_value, score, is_missing, weight, lifecycle_stage,
            customer_tier, points
        from intermediate.int_account_signal_contributions
        where account_id = ? and date_day = ?
        order by signal_name
        """,
        [account_id, day],
    ).fetchall()
    stage, tier = str(records[0][5]), str(records[0][6])
    rows = [Contribution(str(r[0]), r[1], r[2], bool(r[3]), float(r[4])) for r in records]
    thresholds = _thresholds(con, signal, stage)
    min_group = int(min_peer_group_size or project_var("min_peer_group_size") or 5)
    peers = [
        float(r[0])
        for r in con.execute(
            """
            select signal_value from intermediate.int_account_signals_daily
            where date_day = ? and signal_name = ? and lifecycle_stage = ? and customer_tier = ?
                and not is_missing and account_id != ?
            """,
            [day, signal, stage, tier, account_id],
        ).fetchall()
    ]
    after_signal = signal_score(value, peers, thresholds, min_group)
    notes = []
    target = next((r for r in rows if r.signal_name == signal), None)
    if target is None:
        notes.append(
            f"{signal} has no weight for {stage} ({tier}) on {day}: the score cannot change"
        )
        new_rows = rows
    else:
        new_rows = [
            Contribution(r.signal_name, value, after_signal.score, False, r.weight)
            if r.signal_name == signal
            else r
            for r in rows
        ]
        if not target.is_missing and target.signal_value is not None:
            check = signal_score(float(target.signal_value), peers, thresholds, min_group)
            if target.score is not None and abs(check.score - float(target.score)) > 1e-6:
                notes.append(
                    f"re-scoring the current value gives {check.score:.2f}, not the stored "
                    f"{float(target.score):.2f} (was the build run with other vars?)"
                )
    if after_signal.peer is None and thresholds.peer_weight > 0:
        notes.append(
            f"peer group of {after_signal.peers} is below min_peer_group_size {min_group}: "
            "absolute score only, as dbt does"
        )
    override = con.execute(
        "select is_override_applied from marts.dim_account_health where account_id = ?",
        [account_id],
    ).fetchone()
    if override and override[0]:
        notes.append("a manual override sets the published score; these are computed scores")
    before, after = composite(rows), composite(new_rows)
    return WhatIf(
        account_id=account_id,
        day=day,
        lifecycle_stage=stage,
        customer_tier=tier,
        signal_name=signal,
        weight=target.weight if target else 0.0,
        value_before=None if target is None or target.is_missing else target.signal_value,
        value_after=value,
        signal_score_before=None if target is None or target.is_missing else target.score,
        signal_after=after_signal,
        peer_weight=thresholds.peer_weight,
        score_before=before,
        score_after=after,
        band_before=band_of(con, before),
        band_after=band_of(con, after),
        notes=notes,
    )


def _number(value: float | None, digits: int = 1) -> str:
    return "missing" if value is None else f"{value:.{digits}f}"


def _value(value: float | None) -> str:
    return "missing" if value is None else f"{value:g}"


def what_if_lines(result: WhatIf) -> list[str]:
    s = result.signal_after
    peer = (
        f", peer percentile {s.peer:.1f} among {s.peers} (peer weight {result.peer_weight:g})"
        if s.peer is not None and result.peer_weight > 0
        else ""
    )
    delta = (
        ""
        if result.score_before is None or result.score_after is None
        else f" ({result.score_after - result.score_before:+.1f})"
    )
    lines = [
        f"Account {result.account_id} on {result.day} ({result.lifecycle_stage}, "
        f"{result.customer_tier})",
        f"  {result.signal_name} (weight {result.weight:.4f}): value "
        f"{_value(result.value_before)} → {_value(result.value_after)}; signal score "
        f"{_number(result.signal_score_before)} → {s.score:.1f} (absolute {s.absolute:.1f}{peer})",
        f"  health score {_number(result.score_before)} → {_number(result.score_after)}{delta}",
        f"  band {result.band_before} → {result.band_after}",
    ]
    lines += [f"  note: {note}" for note in result.notes]
    return lines
