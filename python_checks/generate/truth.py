"""The hidden truth the raw data was generated from, written beside (never inside) the raw data.

- accounts.parquet: one row per real crm account (deleted duplicates excluded)
- health_daily.parquet: one row per customer account and active day in the window
- outcomes.parquet: one row per churn, renewal, expansion or contraction in the window
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from .lifecycle import NO_DAY, OUTCOME_NAMES, ChunkLifecycle
from .population import CONTRACT_NAMES, CUSTOMER, PARTNER, PROSPECT, TIER_NAMES, Population
from .timeline import Timeline

ACCOUNTS_SCHEMA = pa.schema(
    [
        ("account_id", pa.string()),
        ("account_name", pa.string()),
        ("account_type", pa.string()),
        ("tier", pa.string()),
        ("contract_type", pa.string()),
        ("initial_contract_type", pa.string()),
        ("is_test", pa.bool_()),
        ("is_customer", pa.bool_()),
        ("customer_start_on", pa.date32()),
        ("churned_on", pa.date32()),
        ("seats_at_start", pa.int64()),
        ("website_domain", pa.string()),
        ("second_domain", pa.string()),
    ]
)
HEALTH_SCHEMA = pa.schema(
    [
        ("account_id", pa.string()),
        ("date_day", pa.date32()),
        ("hidden_health", pa.float64()),
    ]
)
OUTCOMES_SCHEMA = pa.schema(
    [
        ("account_id", pa.string()),
        ("event_on", pa.date32()),
        ("event_type", pa.string()),
        ("mrr_before", pa.float64()),
        ("mrr_after", pa.float64()),
    ]
)


def _dates(timeline: Timeline, day: np.ndarray, valid: np.ndarray) -> pa.Array:
    epoch = timeline.epoch_days(np.where(valid, day, 0))
    return pa.array(epoch, pa.date32(), mask=~valid)


class TruthWriter:
    def __init__(self, folder: Path, timeline: Timeline) -> None:
        self.timeline = timeline
        self._accounts = pq.ParquetWriter(folder / "accounts.parquet", ACCOUNTS_SCHEMA)
        self._health = pq.ParquetWriter(
            folder / "health_daily.parquet", HEALTH_SCHEMA, compression="zstd"
        )
        self._outcomes = pq.ParquetWriter(folder / "outcomes.parquet", OUTCOMES_SCHEMA)

    def write_chunk(
        self, pop: Population, accounts: np.ndarray, health: np.ndarray, lifecycle: ChunkLifecycle
    ) -> None:
        tl = self.timeline
        kind = pop.kind[accounts]
        customer = kind == CUSTOMER
        churned = lifecycle.churn_day < NO_DAY
        type_name = np.where(
            kind == PROSPECT,
            "Prospect",
            np.where(kind == PARTNER, "Partner", np.where(churned, "Former Customer", "Customer")),
        )
        tiers = [TIER_NAMES[t] if t >= 0 else None for t in pop.tier[accounts]]
        final = [
            CONTRACT_NAMES[c] if c >= 0 and kind[i] == CUSTOMER else None
            for i, c in enumerate(lifecycle.final_contract)
        ]
        initial = [
            CONTRACT_NAMES[c] if c >= 0 and kind[i] == CUSTOMER else None
            for i, c in enumerate(pop.contract0[accounts])
        ]
        second = [s or None for s in pop.second_domain[accounts]]
        self._accounts.write_table(
            pa.table(
                {
                    "account_id": pop.account_id[accounts].tolist(),
                    "account_name": pop.name[accounts].tolist(),
                    "account_type": type_name.tolist(),
                    "tier": tiers,
                    "contract_type": final,
                    "initial_contract_type": initial,
                    "is_test": pop.is_test[accounts],
                    "is_customer": customer,
                    "customer_start_on": _dates(tl, pop.start_day[accounts], customer),
                    "churned_on": _dates(tl, lifecycle.churn_day, churned),
                    "seats_at_start": pa.array(pop.seats0[accounts], pa.int64(), mask=~customer),
                    "website_domain": pop.domain[accounts].tolist(),
                    "second_domain": second,
                },
                schema=ACCOUNTS_SCHEMA,
            )
        )

        days = np.arange(health.shape[1])[None, :]
        active = (days >= lifecycle.active_from[:, None]) & (days < lifecycle.active_to[:, None])
        acc, day = np.nonzero(active)
        self._health.write_table(
            pa.table(
                {
                    "account_id": pa.array(pop.account_id[accounts].tolist(), pa.string()).take(
                        pa.array(acc)
                    ),
                    "date_day": pa.array(tl.epoch_days(day), pa.date32()),
                    "hidden_health": health[acc, day].astype(np.float64),
                },
                schema=HEALTH_SCHEMA,
            )
        )

        out = lifecycle.outcomes
        self._outcomes.write_table(
            pa.table(
                {
                    "account_id": pop.account_id[accounts][out["acc"]].tolist(),
                    "event_on": pa.array(tl.epoch_days(out["day"]), pa.date32()),
                    "event_type": np.array(OUTCOME_NAMES, dtype=object)[out["type"]].tolist(),
                    "mrr_before": np.round(out["mrr_before"], 2),
                    "mrr_after": np.round(out["mrr_after"], 2),
                },
                schema=OUTCOMES_SCHEMA,
            )
        )

    def close(self) -> None:
        self._accounts.close()
        self._health.close()
        self._outcomes.close()
