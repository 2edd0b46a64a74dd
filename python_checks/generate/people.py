"""The people of each account: product users (with their e-mails) and crm contacts."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import ids, names
from .population import CUSTOMER, ENTERPRISE, MID_MARKET, PARTNER, Population


@dataclass(frozen=True)
class People:
    """Flat per-person arrays; `*_offset[k]:*_offset[k + 1]` are account k's people."""

    user_offset: np.ndarray
    user_email: np.ndarray
    user_anonymous_id: np.ndarray
    user_is_public: np.ndarray
    contact_offset: np.ndarray
    contact_first: np.ndarray
    contact_last: np.ndarray
    contact_email: np.ndarray
    contact_title: np.ndarray

    @property
    def user_account(self) -> np.ndarray:
        return np.repeat(np.arange(len(self.user_offset) - 1), np.diff(self.user_offset))

    @property
    def contact_account(self) -> np.ndarray:
        return np.repeat(np.arange(len(self.contact_offset) - 1), np.diff(self.contact_offset))


def _contact_count(kind: int, tier: int, rng: np.random.Generator) -> int:
    if kind == PARTNER:
        return int(rng.integers(1, 3))
    if kind != CUSTOMER:
        return int(rng.integers(1, 4))
    if tier == ENTERPRISE:
        return int(rng.integers(6, 13))
    if tier == MID_MARKET:
        return int(rng.integers(3, 8))
    return int(rng.integers(1, 5))


def make_people(
    pop: Population, accounts: np.ndarray, roster: np.ndarray, chunk: int, rng: np.random.Generator
) -> People:
    """Users for the product roster sizes given, and contacts for every account of the chunk."""
    first_names = np.array(names.FIRST_NAMES, dtype=object)
    last_names = np.array(names.LAST_NAMES, dtype=object)

    emails: list[str] = []
    public: list[bool] = []
    for k, acc in enumerate(accounts):
        count = int(roster[k])
        if count == 0:
            continue
        first = rng.choice(first_names, count)
        last = rng.choice(last_names, count)
        is_public = rng.random(count) < pop.public_mail_share[acc]
        second = pop.second_domain[acc]
        on_second = (rng.random(count) < 0.15) & bool(second)
        mail_host = rng.choice(np.array(names.PUBLIC_MAIL_DOMAINS, dtype=object), count)
        seen: set[str] = set()
        for j in range(count):
            if is_public[j]:
                # Public mailboxes are globally unique: the account and rank are in the name.
                emails.append(f"{first[j]}.{last[j]}.{acc:05d}{j:03d}@{mail_host[j]}")
            else:
                local = f"{first[j]}.{last[j]}"
                suffix = 2
                while local in seen:
                    local, suffix = f"{first[j]}.{last[j]}{suffix}", suffix + 1
                seen.add(local)
                host = second if on_second[j] else pop.domain[acc]
                emails.append(f"{local}@{host}")
        public.extend(bool(x) for x in is_public)
    user_offset = np.concatenate([[0], np.cumsum(roster)]).astype(np.int64)
    anon = ids.uuid_ids("anonymous", ids.chunk_keys(chunk, len(emails)))

    c_first: list[str] = []
    c_last: list[str] = []
    c_email: list[str] = []
    c_title: list[str] = []
    counts = np.zeros(len(accounts), np.int64)
    for k, acc in enumerate(accounts):
        count = _contact_count(int(pop.kind[acc]), int(pop.tier[acc]), rng)
        counts[k] = count
        seen = set()
        for _ in range(count):
            f, la = str(rng.choice(first_names)), str(rng.choice(last_names))
            local, suffix = f"{f}.{la}", 2
            while local in seen:
                local, suffix = f"{f}.{la}{suffix}", suffix + 1
            seen.add(local)
            c_first.append(f.title())
            c_last.append(la.title())
            c_email.append(f"{local}@{pop.domain[acc]}")
            c_title.append(str(rng.choice(names.CONTACT_TITLES)))
    return People(
        user_offset=user_offset,
        user_email=np.array(emails, dtype=object),
        user_anonymous_id=anon.astype(object),
        user_is_public=np.array(public, bool),
        contact_offset=np.concatenate([[0], np.cumsum(counts)]).astype(np.int64),
        contact_first=np.array(c_first, dtype=object),
        contact_last=np.array(c_last, dtype=object),
        contact_email=np.array(c_email, dtype=object),
        contact_title=np.array(c_title, dtype=object),
    )
