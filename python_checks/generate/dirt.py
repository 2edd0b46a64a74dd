"""Dirt classes: what real landed data contains, injected at settable rates and counted exactly.

Counting rules (also written to dirt.json as "notes"):
- `resync_duplicates` counts the raw rows that a newest-`_loaded_at`-per-id deduplication drops,
  i.e. rows_written minus distinct ids.
- `mixed_offsets` counts raw rows (every copy) in files whose tstz columns are not in UTC.
- Every other class is counted on the newest copy of each id only, and a row carries at most
  one of them: test-account rows get no other dirt, and each dirty row has one dirty column.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import ids
from .config import IDENTITY_NULL_MULTIPLIER
from .names import PUBLIC_MAIL_DOMAINS
from .rows import Rows
from .schema import TABLES
from .timeline import US_PER_DAY, US_PER_HOUR, Timeline

Eligible = Callable[[pa.Table], np.ndarray]
EXTRA_KEY_BASE = 1 << 61  # keys of rows added by dirt (deleted duplicates, refunds, 0 invoices)
ROW_CLASSES = ("resync_duplicates", "soft_deletes", "test_accounts", "mixed_offsets", "clock_skew")
COLUMN_CLASSES = (
    "orphan_foreign_keys",
    "nulls",
    "messy_emails",
    "zero_and_refunds",
    "out_of_set_values",
    "negative_amounts",
)
NOTES = (
    "rows_written counts every raw row in the table's files, duplicates included. "
    "resync_duplicates counts the raw rows that keeping the newest _loaded_at per id drops "
    "(rows_written - distinct ids); for tickets, subscriptions, invoices and accounts the dropped "
    "copy is usually an older state of the row (e.g. an open ticket later solved). "
    "mixed_offsets counts raw rows, every copy, in batch files whose tstz columns use a zone "
    "other than UTC (see batch_zones); the instants are the same. "
    "All other classes are counted on the newest copy of each id only, so a duplicate never "
    "counts twice, and they are exclusive: a row carries at most one of them, in one column "
    "(rows of test accounts carry no other class). Column classes are broken down by column. "
    "soft_deletes: is_deleted=true (crm tables; crm account and billing customer as extra "
    "deleted duplicate rows with their own ids), ticket _fivetran_deleted=true or status "
    "'deleted' (see soft_deletes_by_column). test_accounts: rows belonging to a test account "
    "(is_test__c or a 'Test' name); crm/user has none. zero_and_refunds: extra invoices with "
    "amount_due 0 and extra refund charges with a negative amount. "
    "Not dirt and not counted: nulls that the data model implies (solved_at of unsolved "
    "tickets, canceled_at/ended_at of live subscriptions, paid_at of unpaid invoices, "
    "failure_code of successful charges, task who_id, survey comment, tier and contract type "
    "of Prospect/Partner accounts), users linked only by e-mail domain (no groups call), "
    "public-mailbox users linked only through groups."
)


def _not_public(column: str) -> Eligible:
    def eligible(data: pa.Table) -> np.ndarray:
        values = data.column(column).to_pylist()
        return np.array(
            [v is not None and v.rsplit("@", 1)[-1] not in PUBLIC_MAIL_DOMAINS for v in values],
            bool,
        )

    return eligible


def _equals(column: str, value: object) -> Eligible:
    def eligible(data: pa.Table) -> np.ndarray:
        return pc.fill_null(pc.equal(data.column(column), value), False).to_numpy(
            zero_copy_only=False
        )

    return eligible


def _positive(column: str) -> Eligible:
    def eligible(data: pa.Table) -> np.ndarray:
        return pc.fill_null(pc.greater(data.column(column), 0), False).to_numpy(
            zero_copy_only=False
        )

    return eligible


def _is_customer_account(data: pa.Table) -> np.ndarray:
    return pc.is_in(data.column("type"), pa.array(["Customer", "Former Customer"])).to_numpy(
        zero_copy_only=False
    )


@dataclass(frozen=True)
class NullSpec:
    column: str
    identity: bool = False  # explicit cross-system id: null at IDENTITY_NULL_MULTIPLIER x rate
    replacement: object = None
    eligible: Eligible | None = None


@dataclass(frozen=True)
class OutOfSet:
    column: str
    values: tuple[object, ...]
    eligible: Eligible | None = None


@dataclass(frozen=True)
class TableDirt:
    """Which dirt a table can carry and where."""

    soft_delete: str | None = None  # "flag", "copy" (extra deleted rows) or "ticket"
    id_kind: str | None = None  # id format for rows added by dirt
    orphans: Mapping[str, str] = field(default_factory=dict)  # column -> id kind
    nulls: tuple[NullSpec, ...] = ()
    messy: tuple[str, ...] = ()
    out_of_set: tuple[OutOfSet, ...] = ()
    negative: tuple[str, ...] = ()
    zero_refund: str | None = None  # "zero_invoice" or "refund_charge"
    clock_skew: str | None = None


TABLE_DIRT: Mapping[str, TableDirt] = {
    "crm/account": TableDirt(
        soft_delete="copy",
        id_kind="crm_account",
        nulls=(
            NullSpec("customer_tier__c", eligible=_is_customer_account),
            NullSpec("contract_type__c", eligible=_is_customer_account),
        ),
    ),
    "crm/user": TableDirt(messy=("email",)),
    "crm/contact": TableDirt(
        soft_delete="flag", orphans={"account_id": "crm_account"}, messy=("email",)
    ),
    "crm/opportunity": TableDirt(
        soft_delete="flag", orphans={"account_id": "crm_account"}, negative=("amount",)
    ),
    "crm/task": TableDirt(
        soft_delete="flag",
        orphans={"account_id": "crm_account"},
        out_of_set=(OutOfSet("type", ("Webinar",)),),
    ),
    "crm/health_input__c": TableDirt(
        soft_delete="flag",
        orphans={"account_id": "crm_account"},
        out_of_set=(OutOfSet("rating__c", (0, 9)),),
    ),
    "support/organization": TableDirt(nulls=(NullSpec("external_id", identity=True),)),
    "support/ticket": TableDirt(
        soft_delete="ticket",
        orphans={"organization_id": "zendesk_org"},
        nulls=(NullSpec("organization_id"), NullSpec("priority"), NullSpec("satisfaction_rating")),
        messy=("requester_email",),
        out_of_set=(OutOfSet("status", ("escalated",)), OutOfSet("channel", ("sms",))),
    ),
    "billing/customer": TableDirt(
        soft_delete="copy",
        id_kind="billing_customer",
        nulls=(
            NullSpec(
                "metadata",
                identity=True,
                replacement='{"signup":"self_serve"}',
                eligible=_not_public("email"),
            ),
        ),
        messy=("email",),
    ),
    "billing/subscription": TableDirt(
        orphans={"customer_id": "billing_customer"}, out_of_set=(OutOfSet("status", ("paused",)),)
    ),
    "billing/invoice": TableDirt(
        id_kind="billing_invoice",
        orphans={"customer_id": "billing_customer"},
        zero_refund="zero_invoice",
        negative=("amount_due",),
    ),
    "billing/charge": TableDirt(
        id_kind="billing_charge",
        orphans={"customer_id": "billing_customer"},
        zero_refund="refund_charge",
    ),
    "product/tracks": TableDirt(
        nulls=(NullSpec("user_id"),), messy=("user_id",), clock_skew="timestamp"
    ),
    "product/groups": TableDirt(orphans={"group_id": "crm_account"}, messy=("user_id",)),
    "survey/response": TableDirt(
        orphans={"account_id": "crm_account"},
        nulls=(NullSpec("account_id", identity=True, eligible=_not_public("respondent_email")),),
        messy=("respondent_email",),
        out_of_set=(
            OutOfSet("score", (11, -1), _equals("survey", "nps")),
            OutOfSet("score", (0, 7), _equals("survey", "csat")),
        ),
    ),
}


class DirtLedger:
    """Exact per-table counts of rows written and of each dirt class."""

    def __init__(self) -> None:
        self.tables: dict[str, dict[str, object]] = {}
        for table in TABLES:
            spec = TABLE_DIRT[table]
            entry: dict[str, object] = {"rows_written": 0, "distinct_ids": 0}
            for name in ROW_CLASSES:
                entry[name] = 0
            if spec.soft_delete == "ticket":
                entry["soft_deletes_by_column"] = {"_fivetran_deleted": 0, "status": 0}
            elif spec.soft_delete:
                entry["soft_deletes_by_column"] = {"is_deleted": 0}
            entry["orphan_foreign_keys"] = dict.fromkeys(spec.orphans, 0)
            entry["nulls"] = {n.column: 0 for n in spec.nulls}
            entry["messy_emails"] = dict.fromkeys(spec.messy, 0)
            zero_col = {"zero_invoice": "amount_due", "refund_charge": "amount"}
            entry["zero_and_refunds"] = {zero_col[spec.zero_refund]: 0} if spec.zero_refund else {}
            entry["out_of_set_values"] = {o.column: 0 for o in spec.out_of_set}
            entry["negative_amounts"] = dict.fromkeys(spec.negative, 0)
            self.tables[table] = entry

    def add(self, table: str, dirt_class: str, count: int, column: str | None = None) -> None:
        entry = self.tables[table]
        if column is None:
            current = entry[dirt_class]
            assert isinstance(current, int)
            entry[dirt_class] = current + int(count)
        else:
            bucket = entry[dirt_class]
            assert isinstance(bucket, dict)
            bucket[column] = bucket.get(column, 0) + int(count)

    def as_json(self, batch_zones: list[str]) -> str:
        doc: dict[str, object] = {
            "notes": NOTES,
            "batch_zones": batch_zones,
            "classes": list(ROW_CLASSES + COLUMN_CLASSES),
        }
        doc.update(self.tables)
        return json.dumps(doc, indent=2)


# -- helpers on Arrow tables ---------------------------------------------------------------
def _replace(data: pa.Table, column: str, mask: np.ndarray, values: list | np.ndarray) -> pa.Table:
    index = data.schema.get_field_index(column)
    array = data.column(column).combine_chunks()
    if isinstance(values, pa.Array):
        replacement = values.cast(array.type)
    else:
        replacement = pa.array(values, type=array.type)
    new = pc.replace_with_mask(array, pa.array(mask), replacement)
    return data.set_column(index, data.schema.field(index), new)


def _pick(rng: np.random.Generator, eligible: np.ndarray, rate: float) -> np.ndarray:
    if rate <= 0:
        return np.zeros(len(eligible), bool)
    return eligible & (rng.random(len(eligible)) < rate)


def messy_emails(emails: list[str], rng: np.random.Generator) -> list[str]:
    """Mixed case and surrounding spaces; each address is the same once trimmed and lowered."""
    count = len(emails)
    style = rng.integers(0, 3, count)
    left = rng.integers(1, 3, count)
    right = rng.integers(1, 3, count)
    flips = random.Random(int(rng.integers(0, 2**63)))
    out = []
    for email, how, lpad, rpad in zip(emails, style, left, right, strict=True):
        if how == 0:
            cased = email.upper()
        elif how == 1:
            local, _, host = email.partition("@")
            cased = ".".join(p.title() for p in local.split(".")) + "@" + host.title()
        else:
            cased = "".join(c.upper() if flips.random() < 0.5 else c for c in email)
        if cased == email:
            cased = email.upper()
        out.append(" " * lpad + cased + " " * rpad)
    return out


def _orphan_values(kind: str, count: int, rng: np.random.Generator) -> np.ndarray:
    if kind == "zendesk_org":
        return ids.ZENDESK_ORPHAN_ORG_BASE + rng.integers(0, 10**8, count)
    return ids.object_ids(kind, ids.orphan_keys(rng, count))


def _extra_ids(kind: str, chunk: int, start: int, count: int) -> np.ndarray:
    keys = (
        np.uint64(EXTRA_KEY_BASE)
        + (np.uint64(chunk) << np.uint64(24))
        + np.arange(start, start + count, dtype=np.uint64)
    )
    return ids.object_ids(kind, keys)


def _append(rows: Rows, extra: pa.Table, batch: np.ndarray) -> None:
    rows.data = pa.concat_tables([rows.data, extra.cast(rows.data.schema)])
    rows.batch = np.concatenate([rows.batch, batch.astype(np.int16)])
    rows.is_test = np.concatenate([rows.is_test, np.zeros(extra.num_rows, bool)])


@dataclass
class DirtInjector:
    """Applies the dirt of one table to one chunk's rows and records the counts."""

    rates: Mapping[str, float]
    ledger: DirtLedger
    timeline: Timeline

    def apply(self, rows: Rows, chunk: int, rng: np.random.Generator) -> Rows:
        spec = TABLE_DIRT[rows.table]
        table = rows.table
        self.ledger.add(table, "test_accounts", int(rows.is_test.sum()))
        dirty = rows.is_test.copy()
        extra_start = 0

        # Extra rows first; they carry their class only.
        rate = self.rates["soft_deletes"]
        if spec.soft_delete == "copy":
            sel = np.flatnonzero(_pick(rng, ~dirty, rate))
            copies = rows.data.take(pa.array(sel))
            copies = copies.set_column(
                0,
                "id",
                pa.array(_extra_ids(spec.id_kind or "", chunk, extra_start, len(sel)), pa.string()),
            )
            copies = _replace(copies, "is_deleted", np.ones(len(sel), bool), [True] * len(sel))
            extra_start += len(sel)
            _append(rows, copies, rows.batch[sel])
            dirty = np.concatenate([dirty, np.ones(len(sel), bool)])
            self.ledger.add(table, "soft_deletes", len(sel))
            self.ledger.add(table, "soft_deletes_by_column", len(sel), "is_deleted")
        if spec.zero_refund:
            rows, dirty = self._zero_and_refunds(rows, spec, dirty, chunk, extra_start, rng)

        n = rows.data.num_rows
        if spec.soft_delete in ("flag", "ticket"):
            sel = _pick(rng, ~dirty, rate)
            dirty |= sel
            if spec.soft_delete == "flag":
                rows.data = _replace(rows.data, "is_deleted", sel, [True] * int(sel.sum()))
                self.ledger.add(table, "soft_deletes_by_column", int(sel.sum()), "is_deleted")
            else:
                as_status = sel & (rng.random(n) < 0.5)
                as_flag = sel & ~as_status
                rows.data = _replace(
                    rows.data, "status", as_status, ["deleted"] * int(as_status.sum())
                )
                rows.data = _replace(
                    rows.data, "_fivetran_deleted", as_flag, [True] * int(as_flag.sum())
                )
                self.ledger.add(
                    table, "soft_deletes_by_column", int(as_flag.sum()), "_fivetran_deleted"
                )
                self.ledger.add(table, "soft_deletes_by_column", int(as_status.sum()), "status")
            self.ledger.add(table, "soft_deletes", int(sel.sum()))

        for column, kind in spec.orphans.items():
            sel = _pick(
                rng, ~dirty & self._not_null(rows.data, column), self.rates["orphan_foreign_keys"]
            )
            dirty |= sel
            rows.data = _replace(rows.data, column, sel, _orphan_values(kind, int(sel.sum()), rng))
            self.ledger.add(table, "orphan_foreign_keys", int(sel.sum()), column)

        for null in spec.nulls:
            eligible = ~dirty & self._not_null(rows.data, null.column)
            if null.eligible is not None:
                eligible &= null.eligible(rows.data)
            multiplier = IDENTITY_NULL_MULTIPLIER if null.identity else 1.0
            sel = _pick(rng, eligible, min(1.0, self.rates["nulls"] * multiplier))
            dirty |= sel
            rows.data = _replace(rows.data, null.column, sel, [null.replacement] * int(sel.sum()))
            self.ledger.add(table, "nulls", int(sel.sum()), null.column)

        for column in spec.messy:
            sel = _pick(rng, ~dirty & self._not_null(rows.data, column), self.rates["messy_emails"])
            dirty |= sel
            old = rows.data.column(column).filter(pa.array(sel)).to_pylist()
            rows.data = _replace(rows.data, column, sel, messy_emails(old, rng))
            self.ledger.add(table, "messy_emails", int(sel.sum()), column)

        for oos in spec.out_of_set:
            eligible = ~dirty & self._not_null(rows.data, oos.column)
            if oos.eligible is not None:
                eligible &= oos.eligible(rows.data)
            sel = _pick(rng, eligible, self.rates["out_of_set_values"])
            dirty |= sel
            values = rng.choice(np.array(oos.values, dtype=object), int(sel.sum())).tolist()
            rows.data = _replace(rows.data, oos.column, sel, values)
            self.ledger.add(table, "out_of_set_values", int(sel.sum()), oos.column)

        for column in spec.negative:
            sel = _pick(rng, ~dirty & _positive(column)(rows.data), self.rates["negative_amounts"])
            dirty |= sel
            old = rows.data.column(column).filter(pa.array(sel))
            rows.data = _replace(rows.data, column, sel, pc.negate(old).to_pylist())
            self.ledger.add(table, "negative_amounts", int(sel.sum()), column)

        if spec.clock_skew:
            sel = _pick(rng, ~dirty, self.rates["clock_skew"])
            dirty |= sel
            k = int(sel.sum())
            # Years after the window (the device clock is off), or between 1970 and 1999.
            future = self.timeline.end_us + rng.integers(365 * US_PER_DAY, 6 * 365 * US_PER_DAY, k)
            past = rng.integers(0, 30 * 365 * US_PER_DAY, k)  # 1970 to 1999
            skewed = np.where(rng.random(k) < 0.5, future, past)
            rows.data = _replace(
                rows.data, spec.clock_skew, sel, pa.array(skewed, pa.timestamp("us", tz="UTC"))
            )
            self.ledger.add(table, "clock_skew", int(sel.sum()))
        return rows

    @staticmethod
    def _not_null(data: pa.Table, column: str) -> np.ndarray:
        return pc.is_valid(data.column(column)).to_numpy(zero_copy_only=False)

    def _zero_and_refunds(
        self,
        rows: Rows,
        spec: TableDirt,
        dirty: np.ndarray,
        chunk: int,
        start: int,
        rng: np.random.Generator,
    ) -> tuple[Rows, np.ndarray]:
        rate = self.rates["zero_and_refunds"]
        data = rows.data
        if spec.zero_refund == "zero_invoice":
            sel = np.flatnonzero(_pick(rng, ~dirty, rate))
            extra = data.take(pa.array(sel))
            k = len(sel)
            created = extra.column("created").cast(pa.int64()).to_numpy(zero_copy_only=False)
            extra = extra.set_column(
                0, "id", pa.array(_extra_ids(spec.id_kind or "", chunk, start, k), pa.string())
            )
            everything = np.ones(k, bool)
            extra = _replace(extra, "amount_due", everything, [0] * k)
            extra = _replace(extra, "amount_paid", everything, [0] * k)
            extra = _replace(extra, "status", everything, ["paid"] * k)
            extra = _replace(extra, "due_date", everything, pa.array(created, pa.timestamp("us")))
            extra = _replace(extra, "paid_at", everything, pa.array(created, pa.timestamp("us")))
            batch = self.timeline.batch_of_us(created)
            column = "amount_due"
        else:
            succeeded = _equals("status", "succeeded")(data) & _positive("amount")(data)
            sel = np.flatnonzero(_pick(rng, ~dirty & succeeded, rate))
            extra = data.take(pa.array(sel))
            k = len(sel)
            old = extra.column("amount").to_numpy(zero_copy_only=False)
            refund = np.where(
                rng.random(k) < 0.6,
                old,
                np.maximum(1, (old * rng.uniform(0.1, 0.9, k)).astype(np.int64)),
            )
            created = extra.column("created").cast(pa.int64()).to_numpy(zero_copy_only=False)
            created = np.minimum(
                created + rng.integers(US_PER_DAY, 20 * US_PER_DAY, k),
                self.timeline.end_us - US_PER_HOUR,
            )
            everything = np.ones(k, bool)
            extra = extra.set_column(
                0, "id", pa.array(_extra_ids(spec.id_kind or "", chunk, start, k), pa.string())
            )
            extra = _replace(extra, "amount", everything, (-refund).tolist())
            extra = _replace(extra, "created", everything, pa.array(created, pa.timestamp("us")))
            batch = self.timeline.batch_of_us(created)
            column = "amount"
        _append(rows, extra, batch)
        dirty = np.concatenate([dirty, np.ones(k, bool)])
        self.ledger.add(rows.table, "zero_and_refunds", k, column)
        return rows, dirty


def resync_copies(
    rows: Rows, rate: float, timeline: Timeline, rng: np.random.Generator
) -> tuple[pa.Table, np.ndarray, np.ndarray, int]:
    """All rows to write for one table and chunk, with their batch and `_loaded_at`.

    A chosen row is loaded twice: if an earlier batch saw an older state of it, that state is
    written there; otherwise the same row is loaded again in a later batch (or later in the
    last one). Returns (table, batch, loaded_at_us, number of duplicate rows).
    """
    n = len(rows)
    batch = rows.batch.astype(np.int16)
    loaded = timeline.loaded_at(batch, rng)
    chosen = _pick(rng, np.ones(n, bool), rate)
    if not chosen.any():
        return rows.data, batch, loaded, 0
    has_earlier = np.zeros(n, bool)
    earlier_pos = np.full(n, -1)
    if rows.earlier is not None and rows.earlier_of is not None and len(rows.earlier_of):
        has_earlier[rows.earlier_of] = True
        earlier_pos[rows.earlier_of] = np.arange(len(rows.earlier_of))
    use_earlier = chosen & has_earlier
    use_copy = chosen & ~has_earlier
    parts, batches, loads = [rows.data], [batch], [loaded]

    if use_earlier.any() and rows.earlier is not None and rows.earlier_batch is not None:
        pos = earlier_pos[use_earlier]
        parts.append(rows.earlier.take(pa.array(pos)).cast(rows.data.schema))
        early_batch = rows.earlier_batch[pos].astype(np.int16)
        batches.append(early_batch)
        loads.append(timeline.loaded_at(early_batch, rng))

    if use_copy.any():
        idx = np.flatnonzero(use_copy)
        last = timeline.batches - 1
        src = batch[idx]
        later = rng.integers(np.minimum(src + 1, last), last + 1).astype(np.int16)
        copy_loaded = np.where(
            later == src,
            loaded[idx] + rng.integers(5 * 60_000_000, 60 * 60_000_000, len(idx)),
            timeline.loaded_at(later, rng),
        )
        parts.append(rows.data.take(pa.array(idx)))
        batches.append(later)
        loads.append(copy_loaded)
    duplicates = int(chosen.sum())
    return (pa.concat_tables(parts), np.concatenate(batches), np.concatenate(loads), duplicates)
