"""Zendesk-shaped support data: one organization per customer account and its tickets.

Tickets per seat rise as health falls; low health brings more urgent and high priority
tickets, slower resolution and more bad satisfaction ratings.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import ids, names
from .activity import ChunkActivity
from .people import People
from .rows import NULL_US, Rows, build_table, make_rows
from .timeline import US_PER_DAY, US_PER_HOUR, Timeline

PRIORITIES = np.array(["low", "normal", "high", "urgent"], dtype=object)
PRIORITY_SPEED = np.array([1.6, 1.0, 0.6, 0.3])
CHANNELS = np.array(["email", "web", "chat", "phone", "api"], dtype=object)
CHANNEL_SHARES = (0.4, 0.25, 0.2, 0.1, 0.05)
OPEN_STATUSES = np.array(["open", "pending", "hold"], dtype=object)
CLOSE_AFTER_DAYS = 4
WAITING_SHARE = 0.06


@dataclass(frozen=True)
class SupportInputs:
    chunk: int
    accounts: np.ndarray  # global account index per chunk account
    account_id: np.ndarray
    account_name: np.ndarray
    domain: np.ndarray
    second_domain: np.ndarray
    is_customer: np.ndarray
    is_test: np.ndarray
    start_day: np.ndarray
    health: np.ndarray
    activity: ChunkActivity
    people: People


@dataclass(frozen=True)
class SolvedTickets:
    """What the survey module needs to send CSAT surveys after solved tickets."""

    account: np.ndarray
    solved_us: np.ndarray
    requester: np.ndarray
    health: np.ndarray
    slow: np.ndarray
    good: np.ndarray


def org_ids(accounts: np.ndarray) -> np.ndarray:
    return ids.ZENDESK_ORG_BASE + np.asarray(accounts, np.int64)


def make_organizations(inp: SupportInputs, timeline: Timeline, rng: np.random.Generator) -> Rows:
    k = np.flatnonzero(inp.is_customer)
    domains = [
        d if not s else f"{d},{s}" for d, s in zip(inp.domain[k], inp.second_domain[k], strict=True)
    ]
    created = timeline.working_time(inp.start_day[k], rng)
    columns = {
        "id": org_ids(inp.accounts[k]),
        "name": inp.account_name[k],
        "external_id": inp.account_id[k],
        "domain_names": domains,
        "created_at": created,
    }
    return make_rows("support/organization", columns, timeline.batch_of_us(created), inp.is_test[k])


def _requesters(
    inp: SupportInputs, acc: np.ndarray, day: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    people = inp.people
    users_today = inp.activity.users[acc, day]
    use_user = (rng.random(len(acc)) < 0.75) & (users_today > 0)
    rank = (users_today * rng.random(len(acc))).astype(np.int64)
    user = people.user_offset[acc] + np.minimum(rank, np.maximum(users_today - 1, 0))
    n_contacts = np.diff(people.contact_offset)[acc]
    contact = people.contact_offset[acc] + (n_contacts * rng.random(len(acc))).astype(np.int64)
    if len(acc) == 0:
        return np.zeros(0, dtype=object)
    return np.where(
        use_user, people.user_email[np.where(use_user, user, 0)], people.contact_email[contact]
    )


def make_tickets(
    inp: SupportInputs, timeline: Timeline, rng: np.random.Generator
) -> tuple[Rows, SolvedTickets]:
    days = timeline.days
    act = inp.activity
    day_idx = np.arange(days)[None, :]
    new_account = (inp.start_day[:, None] >= 0) & (day_idx - inp.start_day[:, None] < 30)
    weekend = timeline.weekday(np.arange(days)) >= 5
    rate = (
        (act.seats > 0)
        * act.seats.astype(float) ** 0.6
        * 0.0045
        * (0.35 + 2.5 * (1 - inp.health) ** 2)
    )
    rate *= np.where(new_account, 1.8, 1.0) * np.where(weekend, 0.35, 1.0)[None, :]
    counts = rng.poisson(rate)
    acc, day = np.nonzero(counts)
    reps = counts[acc, day]
    acc, day = np.repeat(acc, reps), np.repeat(day, reps)
    n = len(acc)
    created = timeline.working_time(day, rng)
    order = np.argsort(created, kind="stable")  # ids follow creation time
    acc, day, created = acc[order], day[order], created[order]
    h = inp.health[acc, day].astype(float)

    p_urgent = 0.03 + 0.12 * (1 - h)
    p_high = 0.12 + 0.2 * (1 - h)
    p_low = 0.3 * h
    u = rng.random(n)
    priority_idx = np.where(
        u < p_urgent,
        3,
        np.where(u < p_urgent + p_high, 2, np.where(u < p_urgent + p_high + p_low, 0, 1)),
    )
    hours = np.exp(rng.normal(np.log(6 * (1 + 3 * (1 - h)) * PRIORITY_SPEED[priority_idx]), 1.0))
    # Some tickets wait on the customer or on engineering for weeks.
    hours *= np.where(rng.random(n) < WAITING_SHARE, rng.uniform(10, 60, n), 1.0)
    solved_us = created + (hours * US_PER_HOUR).astype(np.int64)
    end_us = timeline.end_us
    solved = solved_us < end_us
    closed = solved & (solved_us + CLOSE_AFTER_DAYS * US_PER_DAY < end_us)
    status = np.where(closed, "closed", np.where(solved, "solved", "open")).astype(object)
    unsolved = ~solved
    status[unsolved] = rng.choice(OPEN_STATUSES, unsolved.sum(), p=(0.55, 0.3, 0.15))
    fresh = unsolved & (end_us - created < US_PER_DAY) & (rng.random(n) < 0.6)
    status[fresh] = "new"
    updated = np.where(closed, solved_us + CLOSE_AFTER_DAYS * US_PER_DAY, solved_us)
    pending_update = created + (rng.random(n) * (end_us - created)).astype(np.int64)
    updated = np.where(unsolved, np.where(fresh, created, pending_update), updated)

    slow = hours > 48
    good = rng.random(n) < 1 / (1 + np.exp(-((h - 0.35) * 7 - 0.6 * slow)))
    offer = rng.random(n)
    satisfaction = np.where(
        offer < 0.35, "unoffered", np.where(offer < 0.55, "offered", np.where(good, "good", "bad"))
    ).astype(object)
    satisfaction[unsolved] = "unoffered"

    requester = _requesters(inp, acc, day, rng)
    ticket_id = (inp.chunk * ids.ZENDESK_TICKETS_PER_CHUNK + 1 + np.arange(n)).astype(np.int64)
    if n >= ids.ZENDESK_TICKETS_PER_CHUNK:
        raise RuntimeError("too many tickets in one chunk for the id scheme")
    columns = {
        "id": ticket_id,
        "organization_id": org_ids(inp.accounts[acc]),
        "requester_email": requester,
        "created_at": created,
        "updated_at": updated,
        "solved_at": np.where(solved, solved_us, NULL_US),
        "status": status,
        "priority": PRIORITIES[priority_idx],
        "channel": rng.choice(CHANNELS, n, p=CHANNEL_SHARES),
        "subject": rng.choice(np.array(names.TICKET_SUBJECTS, dtype=object), n),
        "satisfaction_rating": satisfaction,
        "_fivetran_deleted": np.zeros(n, bool),
    }
    rows = make_rows("support/ticket", columns, timeline.batch_of_us(updated), inp.is_test[acc])

    # What an earlier load saw: the ticket as it was created.
    created_batch = timeline.batch_of_us(created)
    before = np.flatnonzero(created_batch < rows.batch)
    early = {
        key: (value[before] if isinstance(value, np.ndarray) else value)
        for key, value in columns.items()
    }
    early["updated_at"] = created[before]
    early["solved_at"] = np.full(len(before), NULL_US)
    early["status"] = np.full(len(before), "new", dtype=object)
    early["satisfaction_rating"] = np.full(len(before), "unoffered", dtype=object)
    rows.earlier = build_table("support/ticket", early)
    rows.earlier_of = before
    rows.earlier_batch = created_batch[before]

    rated = solved & (rng.random(n) < 0.35)
    solved_info = SolvedTickets(
        account=acc[rated],
        solved_us=solved_us[rated],
        requester=requester[rated],
        health=h[rated],
        slow=slow[rated],
        good=good[rated],
    )
    return rows, solved_info
