"""Segment-shaped product data: `tracks` events and `groups` calls.

Events per account-day follow the account's active users and hidden health; the breadth of
feature areas grows with health (low-health accounts never touch some areas), and new
accounts reach their onboarding milestones (first message, first meeting, contacts connected in
week one, first integration) early when healthy and late or never when not.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from . import ids
from .activity import ChunkActivity
from .lifecycle import NO_DAY, ChunkLifecycle
from .people import People
from .rows import Rows, make_rows
from .timeline import US_PER_SECOND, Timeline

AREAS = ("messaging", "meetings", "contacts", "integrations", "reporting", "files", "admin")
# Health below an area's threshold makes the area unlikely to be used at all.
AREA_THRESHOLD = np.array([-1.0, 0.2, 0.15, 0.4, 0.45, 0.3, 0.35])
# Mean onboarding delay (days) of an area at health 0; healthy accounts are much faster.
AREA_DELAY = np.array([12.0, 18.0, 15.0, 30.0, 40.0, 30.0, 40.0])
AREA_DELAY_MIN = np.array([0.5, 1.0, 0.0, 3.0, 5.0, 3.0, 5.0])

# Event types: (name, base weight, weight at h=0, extra weight per unit of health, area).
EVENT_TYPES = (
    ("login", 3.0, 1.0, 0.0, -1),
    ("page_viewed", 2.0, 1.0, 0.0, -1),
    ("search_performed", 0.6, 0.5, 1.0, -1),
    ("notification_clicked", 0.6, 1.0, 0.0, -1),
    ("message_sent", 2.5, 0.6, 0.8, 0),
    ("meeting_scheduled", 1.2, 0.3, 1.0, 1),
    ("contact_connected", 0.45, 1.0, 0.0, 2),
    ("integration_connected", 0.06, 1.0, 0.0, 3),
    ("report_viewed", 0.8, 0.2, 1.0, 4),
    ("file_shared", 0.9, 0.3, 1.0, 5),
    ("admin_settings_changed", 0.15, 1.0, 0.0, 6),
    ("invite_sent", 0.2, 0.2, 1.0, -1),
)
EVENT_NAMES = tuple(e[0] for e in EVENT_TYPES)
_BASE = np.array([e[1] for e in EVENT_TYPES])
_AT_ZERO = np.array([e[2] for e in EVENT_TYPES])
_PER_HEALTH = np.array([e[3] for e in EVENT_TYPES])
_AREA_OF = np.array([e[4] for e in EVENT_TYPES])
MILESTONE_EVENT = {0: 4, 1: 5, 3: 7}  # area -> event type injected on its unlock day
CONTACT_EVENT = 6
GROUPS_SHARE = 0.92  # share of company-domain users with a groups call
BLOCK = 64  # accounts per vectorised block (bounds the accounts x days x types array)


@dataclass(frozen=True)
class ProductInputs:
    chunk: int
    account_id: np.ndarray  # crm id per chunk account
    is_test: np.ndarray
    start_day: np.ndarray
    health: np.ndarray
    lifecycle: ChunkLifecycle
    activity: ChunkActivity
    people: People
    scale: float  # events per unit of intensity, calibrated over all chunks


def unlock_days(inputs: ProductInputs, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """First day each area can be used (NO_DAY = never), and week-one contact counts."""
    n = len(inputs.start_day)
    act = inputs.activity
    never = rng.random((n, len(AREAS))) < 1 / (
        1 + np.exp(-(AREA_THRESHOLD[None, :] - act.life_health[:, None]) / 0.06)
    )
    new = inputs.start_day >= 0
    mean_delay = (
        AREA_DELAY_MIN[None, :] + AREA_DELAY[None, :] * (1 - act.start_health[:, None]) ** 2
    )
    delay = np.floor(rng.exponential(1.0, (n, len(AREAS))) * mean_delay).astype(np.int64)
    unlock = np.where(new[:, None], inputs.start_day[:, None] + delay, 0)
    week_one_contacts = np.where(new, rng.poisson(6 * act.start_health**1.5), 0)
    contacts_unlock = np.where(
        week_one_contacts > 0, inputs.start_day, inputs.start_day + 7 + delay[:, 2]
    )
    unlock[:, 2] = np.where(new, contacts_unlock, 0)
    unlock[never] = NO_DAY
    week_one_contacts[never[:, 2]] = 0
    return unlock, week_one_contacts


def _type_weights(health: np.ndarray, day: np.ndarray, unlock: np.ndarray) -> np.ndarray:
    """Share of each event type per account-day, shape (accounts, days, types)."""
    h = health[:, :, None]
    weights = _BASE * (_AT_ZERO + _PER_HEALTH * h)
    area_of = _AREA_OF.clip(0)
    has_area = _AREA_OF >= 0
    unlocked = day[None, :, None] >= unlock[:, None, area_of]
    breadth = 1 / (1 + np.exp(-(h - AREA_THRESHOLD[area_of]) / 0.08))
    weights = np.where(has_area, weights * unlocked * breadth, weights)
    return weights / weights.sum(axis=2, keepdims=True)


def _sample_events(
    inputs: ProductInputs, unlock: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(account, day, type) of every regular event."""
    n, days = inputs.health.shape
    day = np.arange(days)
    accs, ds, ts = [], [], []
    for lo in range(0, n, BLOCK):
        hi = min(n, lo + BLOCK)
        expected = inputs.scale * inputs.activity.intensity[lo:hi]
        if not expected.any():
            continue
        share = _type_weights(inputs.health[lo:hi], day, unlock[lo:hi])
        counts = rng.poisson(expected[:, :, None] * share)
        a, d, t = np.nonzero(counts)
        reps = counts[a, d, t]
        accs.append(np.repeat(a + lo, reps))
        ds.append(np.repeat(d, reps))
        ts.append(np.repeat(t, reps))
    if not accs:
        empty = np.zeros(0, np.int64)
        return empty, empty, empty
    return np.concatenate(accs), np.concatenate(ds), np.concatenate(ts)


def _milestones(
    inputs: ProductInputs,
    unlock: np.ndarray,
    week_one_contacts: np.ndarray,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Onboarding milestone events of accounts that start inside the window."""
    lc = inputs.lifecycle
    days = inputs.health.shape[1]
    end = np.minimum(lc.active_to, days)
    accs, ds, ts = [], [], []
    for area, event in MILESTONE_EVENT.items():
        day = unlock[:, area]
        ok = (inputs.start_day >= 0) & (day < end) & (day >= np.maximum(inputs.start_day, 0))
        accs.append(np.flatnonzero(ok))
        ds.append(day[ok])
        ts.append(np.full(ok.sum(), event))
    reps = week_one_contacts
    acc = np.repeat(np.arange(len(reps)), reps)
    day = inputs.start_day[acc] + rng.integers(0, 7, len(acc))
    ok = day < end[acc]
    accs.append(acc[ok])
    ds.append(day[ok])
    ts.append(np.full(ok.sum(), CONTACT_EVENT))
    return np.concatenate(accs), np.concatenate(ds), np.concatenate(ts)


def make_tracks(inputs: ProductInputs, timeline: Timeline, rng: np.random.Generator) -> Rows:
    unlock, week_one = unlock_days(inputs, rng)
    a1, d1, t1 = _sample_events(inputs, unlock, rng)
    a2, d2, t2 = _milestones(inputs, unlock, week_one, rng)
    acc = np.concatenate([a1, a2])
    day = np.concatenate([d1, d2]).astype(np.int64)
    etype = np.concatenate([t1, t2])

    # Which user: champions (low ranks) are the most active.
    users_today = np.maximum(inputs.activity.users[acc, day], 1)
    rank = np.minimum((users_today * rng.random(len(acc)) ** 1.3).astype(np.int64), users_today - 1)
    person = inputs.people.user_offset[acc] + rank

    timestamp = timeline.working_time(day, rng)
    delay = np.minimum(rng.lognormal(np.log(2.0), 1.0, len(acc)), 600.0)
    offline = rng.random(len(acc)) < 0.01
    delay = np.where(offline, rng.uniform(600, 2_700, len(acc)), delay)
    received = timestamp + (delay * US_PER_SECOND).astype(np.int64)

    order = np.argsort(timestamp, kind="stable")
    acc, etype, person = acc[order], etype[order], person[order]
    timestamp, received = timestamp[order], received[order]
    emails = pa.array(inputs.people.user_email.tolist(), pa.string())
    anonymous = pa.array(inputs.people.user_anonymous_id.tolist(), pa.string())
    take = pa.array(person)
    columns = {
        "id": ids.uuid_array("tracks", ids.chunk_keys(inputs.chunk, len(acc))),
        "user_id": emails.take(take),
        "anonymous_id": anonymous.take(take),
        "event": pa.array(list(EVENT_NAMES), pa.string()).take(pa.array(etype)),
        "timestamp": timestamp,
        "received_at": received,
    }
    return make_rows(
        "product/tracks", columns, timeline.batch_of_us(timestamp), inputs.is_test[acc]
    )


def make_groups(inputs: ProductInputs, timeline: Timeline, rng: np.random.Generator) -> Rows:
    people = inputs.people
    users = inputs.activity.users
    account = people.user_account
    rank = np.arange(len(account)) - people.user_offset[account]
    running_max = np.maximum.accumulate(users, axis=1)
    first_day = np.empty(len(account), np.int64)
    for k in range(len(people.user_offset) - 1):
        lo, hi = people.user_offset[k], people.user_offset[k + 1]
        first_day[lo:hi] = np.searchsorted(running_max[k], rank[lo:hi], side="right")
    days = users.shape[1]
    seen = first_day < days
    keep = seen & (people.user_is_public | (rng.random(len(account)) < GROUPS_SHARE))
    # Some users send a second group call later on.
    again = keep & (rng.random(len(account)) < 0.15)
    later = first_day + rng.integers(1, 200, len(account))
    again &= later < np.minimum(inputs.lifecycle.active_to[account], days)
    who = np.concatenate([np.flatnonzero(keep), np.flatnonzero(again)])
    day = np.concatenate([first_day[keep], later[again]])
    timestamp = timeline.working_time(day, rng)
    columns = {
        "id": ids.uuid_array("groups", ids.chunk_keys(inputs.chunk, len(who))),
        "user_id": people.user_email[who],
        "group_id": inputs.account_id[account[who]],
        "timestamp": timestamp,
    }
    return make_rows(
        "product/groups", columns, timeline.batch_of_us(timestamp), inputs.is_test[account[who]]
    )
