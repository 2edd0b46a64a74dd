"""Who exists: the vendor's staff and the crm accounts with their fixed attributes."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from . import ids, names
from .timeline import Timeline

# Tier codes and their shares among customers.
ENTERPRISE, MID_MARKET, SMB = 0, 1, 2
TIER_NAMES = ("Enterprise", "Mid-Market", "SMB")
TIER_SHARES = (0.15, 0.35, 0.50)
# Contract codes.
ANNUAL, MONTHLY, TRIAL = 0, 1, 2
CONTRACT_NAMES = ("annual", "monthly", "trial")
# Initial contract mix per tier for customers who start inside the window.
CONTRACT_MIX = {
    ENTERPRISE: (0.88, 0.05, 0.07),
    MID_MARKET: (0.55, 0.27, 0.18),
    SMB: (0.22, 0.50, 0.28),
}
# Account kinds.
CUSTOMER, PROSPECT, PARTNER = 0, 1, 2
KIND_SHARES = (0.86, 0.10, 0.04)
# List price per seat and month, in cents; annual plans get 15% off.
SEAT_PRICE_CENTS = {ENTERPRISE: 4_500, MID_MARKET: 3_000, SMB: 1_500}
SEATS_MEDIAN = {ENTERPRISE: 80.0, MID_MARKET: 22.0, SMB: 5.0}
SEATS_RANGE = {ENTERPRISE: (25, 600), MID_MARKET: (8, 90), SMB: (1, 15)}
EMPLOYEES_RANGE = {ENTERPRISE: (1_000, 40_000), MID_MARKET: (100, 1_000), SMB: (5, 100)}
PUBLIC_MAIL_SHARE = {ENTERPRISE: 0.02, MID_MARKET: 0.05, SMB: 0.12}
# Customers already live when the window opens (mature), and how far back they may start.
PRE_WINDOW_SHARE = 0.4
PRE_WINDOW_MAX_DAYS = 1_100


@dataclass(frozen=True)
class Staff:
    """The vendor's own people (crm `user`)."""

    user_id: np.ndarray
    name: np.ndarray
    email: np.ndarray
    role: np.ndarray
    is_active: np.ndarray
    hired_day: np.ndarray

    def of_role(self, role: str, active_only: bool = True) -> np.ndarray:
        mask = self.role == role
        if active_only:
            mask &= self.is_active
        return np.flatnonzero(mask)


@dataclass(frozen=True)
class Population:
    """One entry per crm account (index = account number)."""

    account_id: np.ndarray
    name: np.ndarray
    domain: np.ndarray
    second_domain: np.ndarray  # "" when none
    kind: np.ndarray  # CUSTOMER / PROSPECT / PARTNER
    is_test: np.ndarray  # truth: test by flag or by name
    test_flag: np.ndarray  # what is_test__c says
    tier: np.ndarray  # -1 for none
    contract0: np.ndarray  # initial contract, -1 for none
    start_day: np.ndarray  # customer start (window day, may be negative)
    created_day: np.ndarray
    trial_days: np.ndarray
    seats0: np.ndarray
    industry: np.ndarray
    employees: np.ndarray
    country: np.ndarray
    owner: np.ndarray  # staff index
    csm: np.ndarray  # staff index (-1 none)
    public_mail_share: np.ndarray
    send_invoice: np.ndarray  # pays by bank transfer against invoices

    @property
    def size(self) -> int:
        return len(self.account_id)

    @property
    def is_customer(self) -> np.ndarray:
        return self.kind == CUSTOMER


def make_staff(accounts: int, timeline: Timeline, rng: np.random.Generator) -> Staff:
    counts = {
        "sales": max(2, int(np.ceil(accounts / 120))),
        "csm": max(3, int(np.ceil(accounts / 50))),
        "support": max(2, int(np.ceil(accounts / 150))),
        "product": max(2, int(np.ceil(accounts / 600))),
        "executive": 3,
    }
    roles = np.array([role for role, n in counts.items() for _ in range(n)], dtype=object)
    total = len(roles)
    first = rng.choice(names.FIRST_NAMES, total)
    last = rng.choice(names.LAST_NAMES, total)
    emails, full = [], []
    seen: set[str] = set()
    for f, la in zip(first, last, strict=True):
        local = f"{f}.{la}"
        n = 2
        while local in seen:
            local, n = f"{f}.{la}{n}", n + 1
        seen.add(local)
        emails.append(f"{local}@{names.VENDOR_DOMAIN}")
        full.append(f"{f.title()} {la.title()}")
    is_active = rng.random(total) > 0.1
    is_active[np.unique(roles, return_index=True)[1]] = True  # at least one active per role
    hired = np.where(
        rng.random(total) < 0.8,
        -rng.integers(30, 1500, total),
        rng.integers(0, max(1, timeline.days - 30), total),
    )
    return Staff(
        user_id=ids.object_ids("crm_user", np.arange(total, dtype=np.uint64)),
        name=np.array(full, dtype=object),
        email=np.array(emails, dtype=object),
        role=roles,
        is_active=is_active,
        hired_day=hired.astype(np.int64),
    )


def _company_names(count: int, rng: np.random.Generator) -> np.ndarray:
    combos = len(names.COMPANY_FIRST) * len(names.COMPANY_SECOND)
    picks = rng.permutation(combos)[: min(count, combos)]
    if count > combos:
        picks = np.concatenate([picks, rng.integers(0, combos, count - combos)])
    first = np.array(names.COMPANY_FIRST, dtype=object)[picks // len(names.COMPANY_SECOND)]
    second = np.array(names.COMPANY_SECOND, dtype=object)[picks % len(names.COMPANY_SECOND)]
    out = first + " " + second
    if count > combos:  # names repeat beyond the list: number the repeats
        out[combos:] = [f"{n} {i}" for i, n in enumerate(out[combos:], start=2)]
    return out


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _lognormal_int(
    rng: np.random.Generator, median: float, sigma: float, lo: int, hi: int, size: int
) -> np.ndarray:
    return np.clip(np.round(median * np.exp(rng.normal(0, sigma, size))), lo, hi).astype(np.int64)


def make_population(
    accounts: int, timeline: Timeline, staff: Staff, test_rate: float, rng: np.random.Generator
) -> Population:
    n = accounts
    kind = rng.choice(3, n, p=KIND_SHARES)
    # Test accounts are simulated like customers and flagged afterwards.
    n_test = 0 if test_rate <= 0 else max(1, round(n * test_rate))
    is_test = np.zeros(n, bool)
    is_test[rng.choice(n, min(n_test, n), replace=False)] = True
    kind[is_test] = CUSTOMER
    customer = kind == CUSTOMER

    tier = np.where(customer, rng.choice(3, n, p=TIER_SHARES), -1)
    tier[~customer] = np.where(
        rng.random((~customer).sum()) < 0.5, rng.choice(3, (~customer).sum(), p=TIER_SHARES), -1
    )
    tier[is_test] = SMB

    days = timeline.days
    pre = rng.random(n) < PRE_WINDOW_SHARE
    start_day = np.where(
        pre, -rng.integers(30, PRE_WINDOW_MAX_DAYS, n), rng.integers(0, max(1, days - 7), n)
    )
    contract0 = np.full(n, -1)
    for t in (ENTERPRISE, MID_MARKET, SMB):
        rows = customer & (tier == t)
        contract0[rows] = rng.choice(3, rows.sum(), p=CONTRACT_MIX[t])
    # Customers live before the window converted from their trial long ago.
    converted_earlier = customer & pre & (contract0 == TRIAL)
    contract0[converted_earlier] = np.where(
        rng.random(converted_earlier.sum()) < 0.7, MONTHLY, ANNUAL
    )
    trial_days = rng.integers(14, 31, n)
    start_day = np.where(customer, start_day, np.iinfo(np.int64).min // 4)

    seats0 = np.zeros(n, np.int64)
    employees = np.zeros(n, np.int64)
    for t in (ENTERPRISE, MID_MARKET, SMB):
        rows = tier == t
        lo, hi = SEATS_RANGE[t]
        seats0[rows] = _lognormal_int(rng, SEATS_MEDIAN[t], 0.6, lo, hi, rows.sum())
        elo, ehi = EMPLOYEES_RANGE[t]
        employees[rows] = np.exp(rng.uniform(np.log(elo), np.log(ehi), rows.sum())).astype(int)
    no_tier = tier < 0
    employees[no_tier] = np.exp(rng.uniform(np.log(5), np.log(5_000), no_tier.sum())).astype(int)
    seats0[~customer] = 0

    lead_time = rng.integers(20, 150, n)
    created_day = np.where(
        customer, start_day - lead_time, rng.integers(-PRE_WINDOW_MAX_DAYS, days - 1, n)
    )

    account_name = _company_names(n, rng)
    slugs = [_slug(x) for x in account_name]
    tld = rng.choice(
        np.array([".com", ".io", ".co", ".net"], dtype=object), n, p=(0.7, 0.15, 0.1, 0.05)
    )
    domain = np.array(
        [f"{s}-{i:04d}{t}" for i, (s, t) in enumerate(zip(slugs, tld, strict=True))], dtype=object
    )
    has_second = customer & (rng.random(n) < 0.1)
    second = np.array(
        [
            f"{s}-{i:04d}{'.io' if t != '.io' else '.com'}" if has_second[i] else ""
            for i, (s, t) in enumerate(zip(slugs, tld, strict=True))
        ],
        dtype=object,
    )

    # Test accounts: flag and "Test" name, flag only, or name only.
    test_flag = np.zeros(n, bool)
    style = rng.choice(3, n, p=(0.4, 0.3, 0.3))
    account_name = account_name.copy()
    for i in np.flatnonzero(is_test):
        if style[i] in (0, 2):
            account_name[i] = (
                f"Test {account_name[i]}" if style[i] == 0 else f"TEST - {account_name[i]}"
            )
        if style[i] in (0, 1):
            test_flag[i] = True

    sales = staff.of_role("sales")
    csms = staff.of_role("csm")
    csm = np.where(customer, rng.choice(csms, n), -1)
    owner = np.where(customer & (rng.random(n) < 0.6), csm, rng.choice(sales, n))

    tier_or_smb = np.where(tier < 0, SMB, tier)
    public_share = np.array([PUBLIC_MAIL_SHARE[t] for t in tier_or_smb])
    send_invoice = customer & (
        (tier == ENTERPRISE) | ((tier == MID_MARKET) & (rng.random(n) < 0.3))
    )

    return Population(
        account_id=ids.object_ids("crm_account", np.arange(n, dtype=np.uint64)).astype(object),
        name=account_name,
        domain=domain,
        second_domain=second,
        kind=kind.astype(np.int8),
        is_test=is_test,
        test_flag=test_flag,
        tier=tier.astype(np.int8),
        contract0=contract0.astype(np.int8),
        start_day=start_day.astype(np.int64),
        created_day=created_day.astype(np.int64),
        trial_days=trial_days.astype(np.int64),
        seats0=seats0,
        industry=rng.choice(np.array(names.INDUSTRIES, dtype=object), n),
        employees=employees,
        country=rng.choice(
            np.array(names.COUNTRIES, dtype=object),
            n,
            p=np.array(names.COUNTRY_WEIGHTS) / sum(names.COUNTRY_WEIGHTS),
        ),
        owner=owner.astype(np.int64),
        csm=csm.astype(np.int64),
        public_mail_share=public_share,
        send_invoice=send_invoice,
    )
