"""Stripe-shaped billing: customers, subscriptions, invoices every period, and charges.

Low health makes card payments fail more often (with a failure code) and invoices paid late,
left open or written off as uncollectible.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np

from . import ids, names
from .lifecycle import INTERVAL_NAMES, NO_DAY, ChunkLifecycle
from .people import People
from .population import TRIAL
from .rows import NULL_US, Rows, build_table, make_rows
from .timeline import US_PER_DAY, US_PER_HOUR, US_PER_SECOND, Timeline

FAILURE_CODES = np.array(
    [
        "card_declined",
        "insufficient_funds",
        "expired_card",
        "processing_error",
        "authentication_required",
    ],
    dtype=object,
)
RETRY_DAYS = np.array([0, 3, 5, 7])
WRITE_OFF_DAYS = 30
VOID_SHARE = 0.003
CURRENCY = "usd"


@dataclass(frozen=True)
class BillingInputs:
    chunk: int
    accounts: np.ndarray  # global account index per chunk account
    account_id: np.ndarray
    is_customer: np.ndarray
    is_test: np.ndarray
    start_day: np.ndarray
    trial_days: np.ndarray
    contract0: np.ndarray
    send_invoice: np.ndarray
    public_mail_share: np.ndarray
    health: np.ndarray
    lifecycle: ChunkLifecycle
    people: People


@dataclass(frozen=True)
class BillingRows:
    customer: Rows
    subscription: Rows
    invoice: Rows
    charge: Rows


def customer_ids(accounts: np.ndarray) -> np.ndarray:
    return ids.object_ids("billing_customer", np.asarray(accounts, np.uint64))


def _day_or_null(timeline: Timeline, day: np.ndarray, offset_us: np.ndarray) -> np.ndarray:
    day = np.asarray(day, np.int64)
    missing = day >= NO_DAY
    return np.where(missing, NULL_US, timeline.day_us(np.where(missing, 0, day)) + offset_us)


def _invoices(inp: BillingInputs, timeline: Timeline, rng: np.random.Generator):
    inv = inp.lifecycle.invoices
    acc, day = inv["acc"], inv["day"]
    n = len(acc)
    end_us = timeline.end_us
    created = timeline.day_us(day) + rng.integers(0, 3 * US_PER_HOUR, n)
    by_invoice = inp.send_invoice[acc]
    due = np.where(by_invoice, created + 30 * US_PER_DAY, created)
    h = inp.health[acc, np.minimum(day, timeline.days - 1)].astype(float)
    p_fail = 0.03 + 0.5 * (1 - h) ** 2.5

    # Card payments: up to four attempts; bank transfers: one payment, late when unhealthy.
    attempt_us = (
        created[:, None]
        + RETRY_DAYS[None, :] * US_PER_DAY
        + rng.integers(0, 2 * US_PER_HOUR, (n, len(RETRY_DAYS)))
    )
    fails = rng.random((n, len(RETRY_DAYS))) < p_fail[:, None]
    tries = np.ones((n, len(RETRY_DAYS)), bool)
    lag_days = np.exp(rng.normal(np.log(8 + 45 * (1 - h) ** 2), 0.6))
    transfer_us = created + (lag_days * US_PER_DAY).astype(np.int64)
    transfer_fails = rng.random(n) < p_fail
    # Bank transfers: one payment, sometimes after a failed attempt two days before.
    bi = by_invoice
    attempt_us[bi, 0] = transfer_us[bi] - 2 * US_PER_DAY
    attempt_us[bi, 1] = transfer_us[bi]
    fails[bi, 0], fails[bi, 1] = True, False
    tries[bi, 0] = transfer_fails[bi]
    tries[bi, 2:] = False
    tries &= attempt_us < end_us
    success = tries & ~fails
    first_success = np.where(success.any(axis=1), success.argmax(axis=1), -1)
    last_try = np.where(first_success >= 0, first_success, len(RETRY_DAYS))
    made = tries & (np.arange(len(RETRY_DAYS))[None, :] <= last_try[:, None])

    paid = first_success >= 0
    paid_at = np.where(paid, attempt_us[np.arange(n), first_success.clip(0)], NULL_US)
    write_off = np.where(by_invoice, due + 60 * US_PER_DAY, created + WRITE_OFF_DAYS * US_PER_DAY)
    uncollectible = ~paid & (write_off < end_us)
    void = rng.random(n) < VOID_SHARE
    status = np.where(paid, "paid", np.where(uncollectible, "uncollectible", "open")).astype(object)
    status[void] = "void"
    made[void] = False
    paid_at[void] = NULL_US
    amount = inv["amount"]
    amount_paid = np.where(status == "paid", amount, 0)
    changed = np.maximum(created, np.where(status == "paid", paid_at, 0))
    changed = np.maximum(changed, np.where(uncollectible & ~void, write_off, 0))
    changed = np.where(void, created + US_PER_DAY, changed)
    return dict(
        acc=acc,
        created=created,
        due=due,
        status=status,
        amount=amount,
        amount_paid=amount_paid,
        paid_at=paid_at,
        changed=np.minimum(changed, end_us - 1),
        made=made,
        fails=fails,
        attempt_us=attempt_us,
    )


def make_billing(inp: BillingInputs, timeline: Timeline, rng: np.random.Generator) -> BillingRows:
    lc = inp.lifecycle
    end_us = timeline.end_us
    k = np.flatnonzero(inp.is_customer)
    cus_id = customer_ids(inp.accounts)  # per chunk account
    sub_id = ids.object_ids("billing_subscription", np.asarray(inp.accounts, np.uint64))
    created = timeline.day_us(inp.start_day) + rng.integers(
        8 * US_PER_HOUR, 18 * US_PER_HOUR, len(inp.start_day)
    )

    inv = _invoices(inp, timeline, rng)
    n_inv = len(inv["acc"])
    inv_id = ids.object_ids("billing_invoice", ids.chunk_keys(inp.chunk, n_inv))

    # Account payment state at the end of the window, from its invoices.
    last_status = np.full(len(inp.accounts), "", dtype=object)
    overdue = np.zeros(len(inp.accounts), bool)
    for i in np.argsort(inv["created"], kind="stable"):
        a = inv["acc"][i]
        if inv["status"][i] != "void":
            last_status[a] = inv["status"][i]
        if inv["status"][i] == "open" and inv["due"][i] < end_us:
            overdue[a] = True

    # -- subscriptions (final state) -------------------------------------------------------------
    seg = lc.segments
    last_seg = np.full(len(inp.accounts), -1)
    first_seg = np.full(len(inp.accounts), -1)
    for i in range(len(seg["acc"])):
        last_seg[seg["acc"][i]] = i
        if first_seg[seg["acc"][i]] < 0:
            first_seg[seg["acc"][i]] = i
    churned = lc.churn_day < NO_DAY
    in_trial = (lc.final_contract == TRIAL) & ~churned
    status = np.where(
        churned,
        "canceled",
        np.where(
            in_trial,
            "trialing",
            np.where(
                last_status == "uncollectible", "unpaid", np.where(overdue, "past_due", "active")
            ),
        ),
    )
    status = status.astype(object)
    ls, fs = last_seg[k], first_seg[k]
    notice_us = _day_or_null(timeline, lc.notice_day[k], rng.integers(0, 20 * US_PER_HOUR, len(k)))
    ended_us = _day_or_null(timeline, lc.churn_day[k], np.zeros(len(k), np.int64))
    period_end_us = _day_or_null(timeline, lc.period_end[k], created[k] % US_PER_DAY)
    inv_last_change = np.full(len(inp.accounts), np.iinfo(np.int64).min)
    np.maximum.at(inv_last_change, inv["acc"], inv["created"])
    seg_day_us = timeline.day_us(np.maximum(seg["day"], -100_000))
    seg_last_change = np.full(len(inp.accounts), np.iinfo(np.int64).min)
    np.maximum.at(seg_last_change, seg["acc"], seg_day_us)
    sub_changed = np.maximum.reduce(
        [
            created[k],
            inv_last_change[k],
            seg_last_change[k],
            np.where(notice_us == NULL_US, 0, notice_us),
            np.where(ended_us == NULL_US, 0, ended_us),
        ]
    )
    sub_changed = np.minimum(sub_changed, end_us - 1)
    sub_cols = {
        "id": sub_id[k],
        "customer_id": cus_id[k],
        "status": status[k],
        "plan_amount": seg["plan_amount"][ls],
        "plan_interval": np.array(INTERVAL_NAMES, dtype=object)[seg["interval"][ls]],
        "quantity": seg["seats"][ls],
        "currency": np.full(len(k), CURRENCY, dtype=object),
        "created": created[k],
        "start_date": created[k],
        "current_period_end": period_end_us,
        "cancel_at_period_end": churned[k],
        "canceled_at": notice_us,
        "ended_at": ended_us,
    }
    subscription = make_rows(
        "billing/subscription", sub_cols, timeline.batch_of_us(sub_changed), inp.is_test[k]
    )
    first_batch = timeline.batch_of_us(created[k])
    before = np.flatnonzero(first_batch < subscription.batch)
    early = {key: value[before] for key, value in sub_cols.items()}
    fsb = fs[before]
    early["status"] = np.where(seg["trialing"][fsb], "trialing", "active").astype(object)
    early["plan_amount"] = seg["plan_amount"][fsb]
    early["plan_interval"] = np.array(INTERVAL_NAMES, dtype=object)[seg["interval"][fsb]]
    early["quantity"] = seg["seats"][fsb]
    first_period = np.where(
        seg["trialing"][fsb],
        inp.trial_days[k[before]],
        np.where(seg["interval"][fsb] == 1, 365, 30),
    )
    early["current_period_end"] = created[k[before]] + first_period * US_PER_DAY
    early["cancel_at_period_end"] = np.zeros(len(before), bool)
    early["canceled_at"] = np.full(len(before), NULL_US)
    early["ended_at"] = np.full(len(before), NULL_US)
    subscription.earlier = build_table("billing/subscription", early)
    subscription.earlier_of = before
    subscription.earlier_batch = first_batch[before]

    # -- customers ---------------------------------------------------------------------------------
    people = inp.people
    billing_contact = people.contact_offset[k]
    email = people.contact_email[billing_contact].copy()
    public = rng.random(len(k)) < inp.public_mail_share[k]
    hosts = rng.choice(np.array(names.PUBLIC_MAIL_DOMAINS, dtype=object), len(k))
    for j in np.flatnonzero(public):
        email[j] = f"billing.{inp.accounts[k[j]]:05d}@{hosts[j]}"
    source = np.where(inp.contract0[k] == TRIAL, "self_serve", "sales")
    metadata = [
        json.dumps({"crm_account_id": a, "signup": s}, separators=(",", ":"))
        for a, s in zip(inp.account_id[k], source, strict=True)
    ]
    cust_cols = {
        "id": cus_id[k],
        "email": email,
        "created": created[k] - rng.integers(60, 600, len(k)) * US_PER_SECOND,
        "metadata": metadata,
        "delinquent": np.isin(status[k], ["past_due", "unpaid"]),
        "is_deleted": np.zeros(len(k), bool),
    }
    customer = make_rows(
        "billing/customer", cust_cols, timeline.batch_of_us(created[k]), inp.is_test[k]
    )

    # -- invoices ----------------------------------------------------------------------------------
    ia = inv["acc"]
    inv_cols = {
        "id": inv_id,
        "customer_id": cus_id[ia],
        "subscription_id": sub_id[ia],
        "created": inv["created"],
        "due_date": inv["due"],
        "status": inv["status"],
        "amount_due": inv["amount"],
        "amount_paid": inv["amount_paid"],
        "currency": np.full(n_inv, CURRENCY, dtype=object),
        "paid_at": inv["paid_at"],
    }
    invoice = make_rows(
        "billing/invoice", inv_cols, timeline.batch_of_us(inv["changed"]), inp.is_test[ia]
    )
    inv_batch = timeline.batch_of_us(inv["created"])
    before = np.flatnonzero((inv_batch < invoice.batch) & (inv["status"] != "void"))
    early = {key: value[before] for key, value in inv_cols.items()}
    early["status"] = np.full(len(before), "open", dtype=object)
    early["amount_paid"] = np.zeros(len(before), np.int64)
    early["paid_at"] = np.full(len(before), NULL_US)
    invoice.earlier = build_table("billing/invoice", early)
    invoice.earlier_of = before
    invoice.earlier_batch = inv_batch[before]

    # -- charges -----------------------------------------------------------------------------------
    inv_idx, attempt = np.nonzero(inv["made"])
    failed = inv["fails"][inv_idx, attempt]
    n_ch = len(inv_idx)
    charge_created = inv["attempt_us"][inv_idx, attempt]
    charge_cols = {
        "id": ids.object_ids("billing_charge", ids.chunk_keys(inp.chunk, n_ch)),
        "customer_id": cus_id[ia[inv_idx]],
        "invoice_id": inv_id[inv_idx],
        "amount": inv["amount"][inv_idx],
        "status": np.where(failed, "failed", "succeeded").astype(object),
        "failure_code": np.where(failed, rng.choice(FAILURE_CODES, n_ch), None).astype(object),
        "created": charge_created,
    }
    charge = make_rows(
        "billing/charge",
        charge_cols,
        timeline.batch_of_us(charge_created),
        inp.is_test[ia[inv_idx]],
    )
    return BillingRows(customer=customer, subscription=subscription, invoice=invoice, charge=charge)
