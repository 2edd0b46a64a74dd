"""Contracts over time: trials, renewals, churn, expansion and contraction, driven by health.

At each renewal point the account churns with a probability that depends on its hidden health
30 to 90 days earlier, plus a share of surprise churns that ignore health; otherwise it renews
and, depending on its current health, may expand or contract its seats.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np

from .population import ANNUAL, CUSTOMER, ENTERPRISE, MID_MARKET, MONTHLY, SEAT_PRICE_CENTS, TRIAL
from .timeline import Timeline

NO_DAY = 1 << 40
MONTH, YEAR = 0, 1
INTERVAL_NAMES = ("month", "year")
ANNUAL_DISCOUNT = 0.85
# Outcome types (truth) and opportunity types / states (crm).
CHURN, RENEWAL, EXPANSION, CONTRACTION = 0, 1, 2, 3
OUTCOME_NAMES = ("churn", "renewal", "expansion", "contraction")
NEW_BUSINESS, RENEWAL_OPP, UPSELL = 0, 1, 2
OPP_OPEN, OPP_WON, OPP_LOST = 0, 1, 2
PERIOD_INVOICE, PRORATION_INVOICE = 0, 1
# Churn model: logistic in the mean health 30-90 days before the renewal point.
CHURN_INTERCEPT = {ANNUAL: -1.7, MONTHLY: -3.9}
CHURN_SLOPE = 10.0
CHURN_PIVOT = 0.45
SURPRISE_CHURN = {ANNUAL: 0.03, MONTHLY: 0.005}
# Share of a tier's trial conversions that go annual.
TRIAL_TO_ANNUAL = {ENTERPRISE: 0.8, MID_MARKET: 0.5}
TRIAL_TO_ANNUAL_DEFAULT = 0.25


def _sigmoid(x: float) -> float:
    return float(1.0 / (1.0 + np.exp(-x)))


def plan_amount_cents(tier: int, interval: int) -> int:
    monthly = SEAT_PRICE_CENTS[max(int(tier), 0)]
    return monthly if interval == MONTH else round(monthly * 12 * ANNUAL_DISCOUNT)


def mrr(plan_amount: int, seats: int, interval: int) -> float:
    """Monthly recurring revenue in currency units."""
    return plan_amount * seats / (12 if interval == YEAR else 1) / 100


@dataclass
class Records:
    """Column arrays of variable-length per-account records; `acc` is the chunk-local account."""

    columns: dict[str, list[float]] = field(default_factory=dict)

    def add(self, **values: float) -> None:
        for key, value in values.items():
            self.columns.setdefault(key, []).append(value)

    def arrays(self, spec: dict[str, type]) -> dict[str, np.ndarray]:
        return {key: np.asarray(self.columns.get(key, []), dtype) for key, dtype in spec.items()}


SEGMENT_SPEC = {
    "acc": np.int64,
    "day": np.int64,
    "seats": np.int64,
    "plan_amount": np.int64,
    "interval": np.int8,
    "trialing": bool,
}
INVOICE_SPEC = {
    "acc": np.int64,
    "day": np.int64,
    "amount": np.int64,
    "seats": np.int64,
    "kind": np.int8,
    "period_end": np.int64,
}
OUTCOME_SPEC = {
    "acc": np.int64,
    "day": np.int64,
    "type": np.int8,
    "mrr_before": np.float64,
    "mrr_after": np.float64,
}
OPP_SPEC = {
    "acc": np.int64,
    "type": np.int8,
    "created_day": np.int64,
    "close_day": np.int64,
    "amount": np.float64,
    "state": np.int8,
}


@dataclass(frozen=True)
class ChunkLifecycle:
    """Contract history of the accounts of one chunk (arrays indexed by chunk-local account)."""

    active_from: np.ndarray  # first active window day; NO_DAY if never a customer in window
    active_to: np.ndarray  # first day no longer active (churn day or window length)
    churn_day: np.ndarray  # NO_DAY if not churned in the window
    surprise: np.ndarray  # the churn ignored health
    notice_day: np.ndarray  # when the cancellation was requested (canceled_at); NO_DAY if none
    final_contract: np.ndarray
    converted_day: np.ndarray  # trial converted to paid; NO_DAY otherwise
    period_end: np.ndarray  # end of the last billing (or trial) period reached
    segments: dict[str, np.ndarray]  # subscription state changes
    invoices: dict[str, np.ndarray]  # billing periods and prorations inside the window
    outcomes: dict[str, np.ndarray]
    opportunities: dict[str, np.ndarray]


class _MonthClock:
    """Monthly period boundaries anchored on a start day (calendar months, day clamped)."""

    def __init__(self, timeline: Timeline, anchor_day: int) -> None:
        self.timeline = timeline
        self.anchor = timeline.date_of(anchor_day) if anchor_day > -100_000 else timeline.start

    def day(self, k: int) -> int:
        month0 = self.anchor.year * 12 + self.anchor.month - 1 + k
        year, month = divmod(month0, 12)
        month += 1
        for dom in (self.anchor.day, 30, 29, 28):
            try:
                return self.timeline.day_of(date(year, month, dom))
            except ValueError:
                continue
        raise AssertionError("unreachable")


def simulate_lifecycle(
    kind: np.ndarray,
    tier: np.ndarray,
    contract0: np.ndarray,
    start_day: np.ndarray,
    trial_days: np.ndarray,
    seats0: np.ndarray,
    health: np.ndarray,
    timeline: Timeline,
    rng: np.random.Generator,
) -> ChunkLifecycle:
    n, days = health.shape
    active_from = np.full(n, NO_DAY, np.int64)
    active_to = np.full(n, NO_DAY, np.int64)
    churn_day = np.full(n, NO_DAY, np.int64)
    notice_day = np.full(n, NO_DAY, np.int64)
    converted_day = np.full(n, NO_DAY, np.int64)
    period_end = np.full(n, NO_DAY, np.int64)
    surprise = np.zeros(n, bool)
    final_contract = contract0.astype(np.int8).copy()
    segments, invoices, outcomes, opps = Records(), Records(), Records(), Records()

    def health_before(k: int, day: int) -> float:
        lo = min(max(day - 90, int(start_day[k]), 0), days - 1)
        hi = min(max(day - 30, lo + 1), days)
        return float(health[k, lo:hi].mean())

    for k in range(n):
        if kind[k] != CUSTOMER:
            continue
        s, t = int(start_day[k]), int(tier[k])
        contract, seats = int(contract0[k]), int(seats0[k])
        active_from[k], active_to[k] = max(s, 0), days
        lead = int(rng.integers(20, 90))

        if contract == TRIAL:
            trial_end = s + int(trial_days[k])
            plan = plan_amount_cents(t, MONTH)
            segments.add(acc=k, day=s, seats=seats, plan_amount=plan, interval=MONTH, trialing=True)
            period_end[k] = trial_end
            if trial_end >= days:
                opps.add(
                    acc=k,
                    type=NEW_BUSINESS,
                    created_day=s,
                    close_day=trial_end,
                    amount=mrr(plan, seats, MONTH) * 12,
                    state=OPP_OPEN,
                )
                continue
            h_trial = float(health[k, max(s, 0) : trial_end].mean())
            if rng.random() >= 0.92 * _sigmoid(-0.2 + 8 * (h_trial - 0.45)):
                churn_day[k] = notice_day[k] = active_to[k] = trial_end
                outcomes.add(acc=k, day=trial_end, type=CHURN, mrr_before=0.0, mrr_after=0.0)
                opps.add(
                    acc=k,
                    type=NEW_BUSINESS,
                    created_day=s,
                    close_day=trial_end,
                    amount=mrr(plan, seats, MONTH) * 12,
                    state=OPP_LOST,
                )
                continue
            to_annual = TRIAL_TO_ANNUAL.get(t, TRIAL_TO_ANNUAL_DEFAULT)
            contract = ANNUAL if rng.random() < to_annual else MONTHLY
            final_contract[k] = contract
            converted_day[k] = trial_end
            interval = YEAR if contract == ANNUAL else MONTH
            plan = plan_amount_cents(t, interval)
            outcomes.add(
                acc=k,
                day=trial_end,
                type=RENEWAL,
                mrr_before=0.0,
                mrr_after=mrr(plan, seats, interval),
            )
            opps.add(
                acc=k,
                type=NEW_BUSINESS,
                created_day=s,
                close_day=trial_end,
                amount=mrr(plan, seats, interval) * 12,
                state=OPP_WON,
            )
            anchor = trial_end
        else:
            anchor = s
            interval = YEAR if contract == ANNUAL else MONTH
            plan = plan_amount_cents(t, interval)
            opps.add(
                acc=k,
                type=NEW_BUSINESS,
                created_day=s - lead,
                close_day=s,
                amount=mrr(plan, seats, interval) * 12,
                state=OPP_WON,
            )
        segments.add(
            acc=k, day=anchor, seats=seats, plan_amount=plan, interval=interval, trialing=False
        )

        clock = _MonthClock(timeline, anchor)
        period = 0
        # Skip whole periods that ended before the window opened.
        if interval == MONTH and anchor < 0:
            period = max(0, (-anchor) // 31 - 1)
        while True:
            if interval == YEAR:
                p_start, p_end = anchor + 365 * period, anchor + 365 * (period + 1)
            else:
                p_start, p_end = clock.day(period), clock.day(period + 1)
            if 0 <= p_start < days:
                invoices.add(
                    acc=k,
                    day=p_start,
                    amount=plan * seats,
                    seats=seats,
                    kind=PERIOD_INVOICE,
                    period_end=p_end,
                )
            if interval == YEAR:  # healthy annual accounts may buy seats mid-term
                for month in range(1, 12):
                    day = p_start + round(30.4 * month)
                    if not (0 <= day < min(p_end, days)):
                        continue
                    if rng.random() < 0.03 * _sigmoid((health[k, day] - 0.65) * 12):
                        added = max(1, round(seats * rng.uniform(0.1, 0.4)))
                        before = mrr(plan, seats, interval)
                        seats += added
                        segments.add(
                            acc=k,
                            day=day,
                            seats=seats,
                            plan_amount=plan,
                            interval=interval,
                            trialing=False,
                        )
                        invoices.add(
                            acc=k,
                            day=day,
                            amount=int(plan * added * (p_end - day) / 365),
                            seats=added,
                            kind=PRORATION_INVOICE,
                            period_end=p_end,
                        )
                        outcomes.add(
                            acc=k,
                            day=day,
                            type=EXPANSION,
                            mrr_before=before,
                            mrr_after=mrr(plan, seats, interval),
                        )
                        opps.add(
                            acc=k,
                            type=UPSELL,
                            created_day=day - int(rng.integers(10, 45)),
                            close_day=day,
                            amount=mrr(plan, added, interval) * 12,
                            state=OPP_WON,
                        )
            period_end[k] = p_end
            if p_end >= days:
                if interval == YEAR and p_end - 90 < days:
                    opps.add(
                        acc=k,
                        type=RENEWAL_OPP,
                        created_day=p_end - 90 + int(rng.integers(-10, 10)),
                        close_day=p_end,
                        amount=mrr(plan, seats, interval) * 12,
                        state=OPP_OPEN,
                    )
                break
            if p_end >= 0:
                before = mrr(plan, seats, interval)
                p_health = _sigmoid(
                    CHURN_INTERCEPT[contract]
                    + CHURN_SLOPE * (CHURN_PIVOT - health_before(k, p_end))
                )
                p_surprise = SURPRISE_CHURN[contract]
                u = rng.random()
                churns = u < p_surprise + (1 - p_surprise) * p_health
                if interval == YEAR:
                    opps.add(
                        acc=k,
                        type=RENEWAL_OPP,
                        created_day=p_end - 90 + int(rng.integers(-10, 10)),
                        close_day=p_end,
                        amount=before * 12,
                        state=OPP_LOST if churns else OPP_WON,
                    )
                if churns:
                    surprise[k] = u < p_surprise
                    churn_day[k] = active_to[k] = p_end
                    notice = int(rng.integers(10, 60) if interval == YEAR else rng.integers(0, 25))
                    notice_day[k] = max(p_end - notice, s, p_start)
                    outcomes.add(acc=k, day=p_end, type=CHURN, mrr_before=before, mrr_after=0.0)
                    break
                outcomes.add(acc=k, day=p_end, type=RENEWAL, mrr_before=before, mrr_after=before)
                h_now = float(health[k, p_end - 1]) if p_end > 0 else float(health[k, 0])
                yearly = interval == YEAR
                p_up = (0.4 if yearly else 0.04) * _sigmoid((h_now - 0.65) * 12)
                p_down = (0.3 if yearly else 0.03) * _sigmoid((0.45 - h_now) * 12)
                u2 = rng.random()
                new_seats = seats
                if u2 < p_up:
                    new_seats = seats + max(1, round(seats * rng.uniform(0.1, 0.5)))
                elif u2 < p_up + p_down and seats > 1:
                    new_seats = max(1, seats - max(1, round(seats * rng.uniform(0.1, 0.3))))
                if new_seats != seats:
                    kind_change = EXPANSION if new_seats > seats else CONTRACTION
                    outcomes.add(
                        acc=k,
                        day=p_end,
                        type=kind_change,
                        mrr_before=before,
                        mrr_after=mrr(plan, new_seats, interval),
                    )
                    if kind_change == EXPANSION:
                        opps.add(
                            acc=k,
                            type=UPSELL,
                            created_day=p_end - int(rng.integers(10, 45)),
                            close_day=p_end,
                            amount=mrr(plan, new_seats - seats, interval) * 12,
                            state=OPP_WON,
                        )
                    seats = new_seats
                    segments.add(
                        acc=k,
                        day=p_end,
                        seats=seats,
                        plan_amount=plan,
                        interval=interval,
                        trialing=False,
                    )
            period += 1

    return ChunkLifecycle(
        active_from=active_from,
        active_to=active_to,
        churn_day=churn_day,
        surprise=surprise,
        notice_day=notice_day,
        final_contract=final_contract,
        converted_day=converted_day,
        period_end=period_end,
        segments=segments.arrays(SEGMENT_SPEC),
        invoices=invoices.arrays(INVOICE_SPEC),
        outcomes=outcomes.arrays(OUTCOME_SPEC),
        opportunities=opps.arrays(OPP_SPEC),
    )


def daily_seats(lifecycle: ChunkLifecycle, days: int) -> np.ndarray:
    """Seats on each active day (0 when not a customer), shape (accounts, days)."""
    n = len(lifecycle.active_from)
    seats = np.zeros((n, days), np.int64)
    seg = lifecycle.segments
    for i in range(len(seg["acc"])):
        k, day = int(seg["acc"][i]), int(seg["day"][i])
        seats[k, max(day, 0) :] = seg["seats"][i]
    for k in range(n):
        lo, hi = lifecycle.active_from[k], lifecycle.active_to[k]
        if lo >= NO_DAY:
            seats[k] = 0
            continue
        seats[k, :lo] = 0
        seats[k, hi:] = 0
    return seats
