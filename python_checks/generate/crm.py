"""Salesforce-shaped crm data: accounts, staff users, contacts, opportunities, CSM tasks and
the human health ratings of the custom object `health_input__c`."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from . import ids, names
from .lifecycle import (
    NEW_BUSINESS,
    NO_DAY,
    OPP_LOST,
    OPP_OPEN,
    OPP_WON,
    ChunkLifecycle,
)
from .people import People
from .population import (
    CONTRACT_NAMES,
    CUSTOMER,
    ENTERPRISE,
    MID_MARKET,
    PARTNER,
    PROSPECT,
    TIER_NAMES,
    TRIAL,
    Population,
    Staff,
)
from .rows import Rows, build_table, make_rows
from .timeline import Timeline

OPP_TYPE_NAMES = np.array(["New Business", "Renewal", "Upsell"], dtype=object)
TASK_TYPES = np.array(["Call", "Email", "Meeting"], dtype=object)
TASK_TYPE_SHARES = (0.35, 0.45, 0.2)
# CSM touches per month by tier, and CSM / executive / product / support ratings per day.
TOUCHES_PER_MONTH = {ENTERPRISE: 5.0, MID_MARKET: 2.5}
TOUCHES_PER_MONTH_DEFAULT = 0.6
RATING_RATE = {
    "csm": {ENTERPRISE: 1 / 30, MID_MARKET: 1 / 45},
    "executive": {ENTERPRISE: 1 / 120, MID_MARKET: 1 / 365},
    "product": {ENTERPRISE: 1 / 200, MID_MARKET: 1 / 300},
    "support": {ENTERPRISE: 1 / 150, MID_MARKET: 1 / 200},
}
RATING_RATE_DEFAULT = {"csm": 1 / 120, "executive": 0.0, "product": 1 / 400, "support": 1 / 300}
RATING_BIAS = {"csm": 0.25, "executive": 0.1, "product": 0.0, "support": -0.2}
# Who CSM touches name (task who_id), by the account's hidden health: the share of contacts
# reached at health 0 (all at 1 - CONTACT_REACH_MIN), the champion's share of touches, the
# health below which the champion goes quiet, and the chance (times health) of an executive.
CONTACT_REACH_MIN = 0.15
CHAMPION_SHARE = 0.4
CHAMPION_QUIET_BELOW = 0.45
EXECUTIVE_SHARE = 0.4
EXECUTIVE_TITLE = re.compile(r"(?i)^(ceo|cto|coo|cfo|cio|cro|chief|vp|vice president|head of)")


@dataclass(frozen=True)
class CrmInputs:
    chunk: int
    accounts: np.ndarray  # global account index per chunk account
    pop: Population
    staff: Staff
    health: np.ndarray
    lifecycle: ChunkLifecycle
    people: People


def make_users(staff: Staff, timeline: Timeline) -> Rows:
    columns = {
        "id": staff.user_id,
        "name": staff.name,
        "email": staff.email,
        "title": np.array([names.STAFF_TITLES[r] for r in staff.role], dtype=object),
        "is_active": staff.is_active,
    }
    batch = timeline.batch_of_us(timeline.day_us(np.maximum(staff.hired_day, 0)))
    return make_rows("crm/user", columns, batch, np.zeros(len(staff.user_id), bool))


def make_accounts(inp: CrmInputs, timeline: Timeline, rng: np.random.Generator) -> Rows:
    pop, lc, a = inp.pop, inp.lifecycle, inp.accounts
    kind = pop.kind[a]
    churned = lc.churn_day < NO_DAY
    type_name = np.where(
        kind == PROSPECT,
        "Prospect",
        np.where(kind == PARTNER, "Partner", np.where(churned, "Former Customer", "Customer")),
    ).astype(object)
    tier = np.array([TIER_NAMES[t] if t >= 0 else None for t in pop.tier[a]], dtype=object)
    contract = np.array(
        [
            CONTRACT_NAMES[c] if c >= 0 and kind[i] == CUSTOMER else None
            for i, c in enumerate(lc.final_contract)
        ],
        dtype=object,
    )
    created = timeline.working_time(pop.created_day[a], rng)
    changed = created.copy()
    for day in (lc.converted_day, lc.churn_day):
        changed = np.maximum(changed, timeline.day_us(np.where(day < NO_DAY, day, -100_000)))
    changed = np.minimum(changed, timeline.end_us - 1)
    columns = {
        "id": pop.account_id[a],
        "name": pop.name[a],
        "type": type_name,
        "industry": pop.industry[a],
        "number_of_employees": pop.employees[a],
        "billing_country": pop.country[a],
        "website": np.array([f"https://www.{d}" for d in pop.domain[a]], dtype=object),
        "owner_id": inp.staff.user_id[pop.owner[a]],
        "customer_tier__c": tier,
        "contract_type__c": contract,
        "is_test__c": pop.test_flag[a],
        "created_date": created,
        "is_deleted": np.zeros(len(a), bool),
    }
    rows = make_rows("crm/account", columns, timeline.batch_of_us(changed), pop.is_test[a])
    first_batch = timeline.batch_of_us(created)
    before = np.flatnonzero(first_batch < rows.batch)
    early = {key: value[before] for key, value in columns.items()}
    early["type"] = np.where(kind[before] == CUSTOMER, "Customer", type_name[before]).astype(object)
    converted = lc.converted_day[before] < NO_DAY
    early["contract_type__c"] = np.where(converted, CONTRACT_NAMES[TRIAL], contract[before]).astype(
        object
    )
    rows.earlier = build_table("crm/account", early)
    rows.earlier_of = before
    rows.earlier_batch = first_batch[before]
    return rows


def make_contacts(inp: CrmInputs, timeline: Timeline, rng: np.random.Generator) -> Rows:
    people, pop = inp.people, inp.pop
    acc = people.contact_account
    n = len(acc)
    created_day = np.minimum(
        pop.created_day[inp.accounts[acc]] + rng.integers(0, 200, n), timeline.days - 1
    )
    created = timeline.working_time(created_day, rng)
    columns = {
        "id": ids.object_ids("crm_contact", ids.chunk_keys(inp.chunk, n)),
        "account_id": pop.account_id[inp.accounts[acc]],
        "email": people.contact_email,
        "first_name": people.contact_first,
        "last_name": people.contact_last,
        "title": people.contact_title,
        "created_date": created,
        "is_deleted": np.zeros(n, bool),
    }
    return make_rows(
        "crm/contact", columns, timeline.batch_of_us(created), pop.is_test[inp.accounts[acc]]
    )


def _prospect_opportunities(
    inp: CrmInputs, days: int, rng: np.random.Generator
) -> dict[str, np.ndarray]:
    pop = inp.pop
    k = np.flatnonzero(pop.kind[inp.accounts] == PROSPECT)
    has = k[rng.random(len(k)) < 0.7]
    created = np.maximum(pop.created_day[inp.accounts[has]], 0) + rng.integers(0, 60, len(has))
    created = np.minimum(created, days - 1)
    close = created + rng.integers(30, 150, len(has))
    state = np.where(
        close < days, np.where(rng.random(len(has)) < 0.15, OPP_WON, OPP_LOST), OPP_OPEN
    )
    state = np.where(state == OPP_WON, OPP_LOST, state)  # a won prospect would be a customer
    return {
        "acc": has,
        "type": np.full(len(has), NEW_BUSINESS, np.int8),
        "created_day": created,
        "close_day": close,
        "amount": np.round(np.exp(rng.normal(np.log(8_000), 1.0, len(has))), -2),
        "state": state.astype(np.int8),
    }


def make_opportunities(inp: CrmInputs, timeline: Timeline, rng: np.random.Generator) -> Rows:
    days = timeline.days
    lc_opps = inp.lifecycle.opportunities
    pro = _prospect_opportunities(inp, days, rng)
    opp = {key: np.concatenate([lc_opps[key], pro[key]]) for key in lc_opps}
    n = len(opp["acc"])
    a = inp.accounts[opp["acc"]]
    state = opp["state"]
    to_close = opp["close_day"] - np.minimum(days - 1, opp["close_day"])
    open_stage = np.where(
        to_close > 60, "Qualification", np.where(to_close > 30, "Proposal", "Negotiation")
    )
    stage = np.where(
        state == OPP_WON, "Closed Won", np.where(state == OPP_LOST, "Closed Lost", open_stage)
    ).astype(object)
    created_day = np.minimum(opp["created_day"], days - 1)
    created = timeline.working_time(created_day, rng)
    closed = state != OPP_OPEN
    changed = np.where(closed, timeline.day_us(np.minimum(opp["close_day"], days - 1)), created)
    changed = np.maximum(changed, created)
    columns = {
        "id": ids.object_ids("crm_opportunity", ids.chunk_keys(inp.chunk, n)),
        "account_id": inp.pop.account_id[a],
        "type": OPP_TYPE_NAMES[opp["type"]],
        "stage_name": stage,
        "amount": np.round(opp["amount"], 2),
        "close_date": timeline.epoch_days(opp["close_day"]),
        "is_closed": closed,
        "is_won": state == OPP_WON,
        "created_date": created,
        "is_deleted": np.zeros(n, bool),
    }
    return make_rows("crm/opportunity", columns, timeline.batch_of_us(changed), inp.pop.is_test[a])


def _daily_draws(rate: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    counts = rng.poisson(rate)
    acc, day = np.nonzero(counts)
    reps = counts[acc, day]
    return np.repeat(acc, reps), np.repeat(day, reps)


def _tier_rate(tiers: np.ndarray, table: dict[int, float], default: float) -> np.ndarray:
    return np.array([table.get(int(t), default) for t in tiers])


def _named_contacts(
    people: People, acc: np.ndarray, health: np.ndarray, draw: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """The contact (index into the chunk's contacts) each touch names, following the account's
    hidden health on the touch's day: the CSM of a healthy account reaches more of its people
    (the first CONTACT_REACH_MIN + health of them), an executive more often, and its champion
    (the account's first contact) on CHAMPION_SHARE of touches; below CHAMPION_QUIET_BELOW the
    champion goes quiet and touches name the other contacts."""
    n = len(acc)
    first = people.contact_offset[acc]
    count = np.diff(people.contact_offset)[acc]
    reach = np.maximum(1, np.ceil(count * np.clip(CONTACT_REACH_MIN + health, 0, 1))).astype(
        np.int64
    )
    offset = (draw * reach).astype(np.int64)
    quiet = (health < CHAMPION_QUIET_BELOW) & (count > 1)
    others = np.maximum(np.minimum(reach, count - 1), 1)
    offset = np.where(quiet, 1 + (draw * others).astype(np.int64), offset)
    champion = ~quiet & (rng.random(n) < CHAMPION_SHARE)
    offset = np.where(champion, 0, offset)
    # An executive of the account, when it has one, with a chance growing with health.
    is_executive = np.array(
        [EXECUTIVE_TITLE.match(title) is not None for title in people.contact_title], dtype=bool
    )
    executives = np.flatnonzero(is_executive)
    executive_offset = np.searchsorted(
        people.contact_account[executives], np.arange(len(people.contact_offset))
    )
    count_executives = np.diff(executive_offset)[acc]
    to_executive = (count_executives > 0) & (rng.random(n) < EXECUTIVE_SHARE * health)
    pick = executive_offset[acc] + (rng.random(n) * count_executives).astype(np.int64)
    executive = executives[np.minimum(pick, max(len(executives) - 1, 0))] if len(executives) else 0
    return np.where(to_executive & ~quiet, executive, first + offset)


def make_tasks(inp: CrmInputs, timeline: Timeline, rng: np.random.Generator) -> Rows:
    pop, lc, people = inp.pop, inp.lifecycle, inp.people
    days = timeline.days
    a = inp.accounts
    tiers = pop.tier[a]
    day_idx = np.arange(days)[None, :]
    seats_active = (day_idx >= lc.active_from[:, None]) & (day_idx < lc.active_to[:, None])
    per_day = _tier_rate(tiers, TOUCHES_PER_MONTH, TOUCHES_PER_MONTH_DEFAULT) / 30
    rate = seats_active * per_day[:, None] * np.where(inp.health < 0.35, 1.8, 1.0)
    new = (pop.start_day[a][:, None] >= 0) & (day_idx - pop.start_day[a][:, None] < 30)
    rate = (
        rate
        * np.where(new, 3.0, 1.0)
        * np.where(timeline.weekday(np.arange(days)) >= 5, 0.05, 1.0)[None, :]
    )
    acc1, day1 = _daily_draws(rate, rng)
    type1 = rng.choice(TASK_TYPES, len(acc1), p=TASK_TYPE_SHARES)

    # Quarterly business reviews for the larger tiers.
    qbr_acc, qbr_day = [], []
    for k in np.flatnonzero(np.isin(tiers, [ENTERPRISE, MID_MARKET]) & (lc.active_from < NO_DAY)):
        held = 0.9 if tiers[k] == ENTERPRISE else 0.7
        for day in range(int(lc.active_from[k]) + 45, int(min(lc.active_to[k], days)), 91):
            if rng.random() < held:
                qbr_acc.append(k)
                qbr_day.append(day + int(rng.integers(-5, 6)))
    # Prospects get sales touches.
    prospect = pop.kind[a] == PROSPECT
    p_rate = prospect[:, None] * (day_idx >= np.maximum(pop.created_day[a], 0)[:, None]) / 45
    acc3, day3 = _daily_draws(p_rate * np.ones((1, days)), rng)
    # Scheduled touches after the window for accounts still active.
    active_end = lc.active_to >= days
    fut = np.flatnonzero(active_end & (lc.active_from < NO_DAY))
    fut = np.repeat(fut, rng.integers(0, 3, len(fut)))
    fut_day = days - 1 + rng.integers(1, 22, len(fut))

    acc = np.concatenate([acc1, np.array(qbr_acc, np.int64), acc3, fut]).astype(np.int64)
    day = np.concatenate([day1, np.array(qbr_day, np.int64), day3, fut_day]).astype(np.int64)
    day = np.clip(day, 0, None)
    ttype = np.concatenate(
        [
            type1,
            np.full(len(qbr_acc), "QBR", dtype=object),
            rng.choice(np.array(["Email", "Call"], dtype=object), len(acc3)),
            rng.choice(TASK_TYPES, len(fut), p=TASK_TYPE_SHARES),
        ]
    )
    n = len(acc)
    subject = names.pick_text(names.TASK_SUBJECTS, ttype, rng)
    qbr = ttype == "QBR"
    dates = [timeline.date_of(d) for d in day[qbr]]
    subject[qbr] = [f"QBR Q{(d.month - 1) // 3 + 1} {d.year}" for d in dates]
    contact_draw = rng.random(n)
    contact_ids = ids.object_ids(
        "crm_contact", ids.chunk_keys(inp.chunk, len(people.contact_email))
    )
    unnamed = rng.random(n) >= 0.9  # not every touch names a contact
    owner_staff = np.where(pop.csm[a[acc]] >= 0, pop.csm[a[acc]], pop.owner[a[acc]])
    status = np.where(
        (day >= days) | ((day >= days - 5) & (rng.random(n) < 0.4)), "Open", "Completed"
    ).astype(object)
    # Drawn after every other column, so only who_id follows the hidden health.
    health = inp.health[acc, np.clip(day, 0, days - 1)]
    contact = _named_contacts(people, acc, health, contact_draw, rng)
    who = contact_ids[contact].astype(object)
    # A quiet champion who is the account's only contact leaves touches naming nobody.
    alone = (np.diff(people.contact_offset)[acc] == 1) & (health < CHAMPION_QUIET_BELOW)
    who[unnamed | alone] = None
    columns = {
        "id": ids.object_ids("crm_task", ids.chunk_keys(inp.chunk, n)),
        "account_id": pop.account_id[a[acc]],
        "who_id": who,
        "owner_id": inp.staff.user_id[owner_staff],
        "type": ttype,
        "subject": subject,
        "activity_date": timeline.epoch_days(day),
        "status": status,
        "is_deleted": np.zeros(n, bool),
    }
    batch = timeline.batch_of_us(timeline.day_us(np.minimum(day, days - 1)))
    return make_rows("crm/task", columns, batch, pop.is_test[a[acc]])


def make_health_inputs(inp: CrmInputs, timeline: Timeline, rng: np.random.Generator) -> Rows:
    pop, lc, staff = inp.pop, inp.lifecycle, inp.staff
    days = timeline.days
    a = inp.accounts
    day_idx = np.arange(days)[None, :]
    active = (day_idx >= lc.active_from[:, None]) & (day_idx < lc.active_to[:, None])
    parts = []
    for role in ("csm", "executive", "product", "support"):
        per_day = _tier_rate(pop.tier[a], RATING_RATE[role], RATING_RATE_DEFAULT[role])
        rate = active * per_day[:, None]
        if role == "support":
            rate = rate * (1 + 2 * (1 - inp.health))
        acc, day = _daily_draws(rate, rng)
        parts.append((role, acc, day))
    role = np.concatenate([np.full(len(p[1]), p[0], dtype=object) for p in parts])
    acc = np.concatenate([p[1] for p in parts]).astype(np.int64)
    day = np.concatenate([p[2] for p in parts]).astype(np.int64)
    n = len(acc)
    h = inp.health[acc, day].astype(float)
    bias = np.array([RATING_BIAS[r] for r in role])
    rating = np.clip(np.round(1 + 4 * h + bias + rng.normal(0, 0.7, n)), 1, 5).astype(np.int64)
    engaged = rng.random(n) < 0.1 + 0.75 / (1 + np.exp(-(h - 0.55) * 8))
    author = np.empty(n, np.int64)
    for r in ("executive", "product", "support"):
        rows = role == r
        author[rows] = rng.choice(staff.of_role(r), rows.sum())
    csm_rows = role == "csm"
    author[csm_rows] = pop.csm[a[acc[csm_rows]]]
    note = names.pick_text(names.HEALTH_NOTES, rating, rng)
    created = timeline.working_time(day, rng)
    columns = {
        "id": ids.object_ids("crm_health_input", ids.chunk_keys(inp.chunk, n)),
        "account_id": pop.account_id[a[acc]],
        "author_id": staff.user_id[author],
        "author_role__c": role,
        "rating__c": rating,
        "exec_sponsor_engaged__c": engaged,
        "note__c": note,
        "created_date": created,
        "is_deleted": np.zeros(n, bool),
    }
    return make_rows(
        "crm/health_input__c", columns, timeline.batch_of_us(created), pop.is_test[a[acc]]
    )
