"""Runs the whole generation: population, per-chunk simulation, dirt, raw files and truth."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import billing, crm, product, support, survey
from .activity import ChunkActivity, compute_activity
from .config import CONTRACT_VERSION, GenerateConfig
from .dirt import DirtInjector, DirtLedger, resync_copies
from .health import simulate_health
from .lifecycle import ChunkLifecycle, simulate_lifecycle
from .people import make_people
from .population import Population, Staff, make_population, make_staff
from .rng import rng_for
from .rows import Rows
from .schema import TABLES
from .timeline import Timeline
from .truth import TruthWriter
from .writer import BatchWriter, batch_zones, reset_folder, write_json


@dataclass(frozen=True)
class GenerateResult:
    out: Path
    truth: Path
    rows_written: dict[str, int]
    seconds: float
    dirt: dict[str, dict[str, object]] = field(repr=False)
    events_scale: float = 0.0


@dataclass(frozen=True)
class ChunkState:
    index: int
    accounts: np.ndarray
    health: np.ndarray
    lifecycle: ChunkLifecycle
    activity: ChunkActivity


class _Run:
    def __init__(self, config: GenerateConfig) -> None:
        self.config = config
        self.timeline = Timeline(config.start, config.end, config.batches)
        self.rates = config.dirt_rates()
        self.staff: Staff = make_staff(
            config.accounts, self.timeline, rng_for(config.seed, "staff")
        )
        self.pop: Population = make_population(
            config.accounts,
            self.timeline,
            self.staff,
            self.rates["test_accounts"],
            rng_for(config.seed, "population"),
        )
        self.n_chunks = -(-config.accounts // config.chunk_accounts)

    def chunk(self, index: int) -> ChunkState:
        cfg, pop = self.config, self.pop
        accounts = np.arange(
            index * cfg.chunk_accounts, min(cfg.accounts, (index + 1) * cfg.chunk_accounts)
        )
        health = simulate_health(
            pop.tier[accounts], self.timeline.days, rng_for(cfg.seed, "health", index)
        )
        lifecycle = simulate_lifecycle(
            pop.kind[accounts],
            pop.tier[accounts],
            pop.contract0[accounts],
            pop.start_day[accounts],
            pop.trial_days[accounts],
            pop.seats0[accounts],
            health,
            self.timeline,
            rng_for(cfg.seed, "lifecycle", index),
        )
        activity = compute_activity(health, lifecycle, pop.start_day[accounts], self.timeline)
        return ChunkState(index, accounts, health, lifecycle, activity)

    def event_scale(self) -> float:
        """Events per unit of intensity so the run lands on the requested volume."""
        total = sum(float(self.chunk(i).activity.intensity.sum()) for i in range(self.n_chunks))
        target = self.config.events_per_account_day * self.config.accounts * self.timeline.days
        return target / total if total > 0 else 0.0

    def tables_of_chunk(self, state: ChunkState, scale: float) -> list[Rows]:
        cfg, pop, tl = self.config, self.pop, self.timeline
        a, i = state.accounts, state.index
        people = make_people(pop, a, state.activity.roster, i, rng_for(cfg.seed, "people", i))
        p_in = product.ProductInputs(
            chunk=i,
            account_id=pop.account_id[a],
            is_test=pop.is_test[a],
            start_day=pop.start_day[a],
            health=state.health,
            lifecycle=state.lifecycle,
            activity=state.activity,
            people=people,
            scale=scale,
        )
        tracks = product.make_tracks(p_in, tl, rng_for(cfg.seed, "tracks", i))
        groups = product.make_groups(p_in, tl, rng_for(cfg.seed, "groups", i))
        s_in = support.SupportInputs(
            chunk=i,
            accounts=a,
            account_id=pop.account_id[a],
            account_name=pop.name[a],
            domain=pop.domain[a],
            second_domain=pop.second_domain[a],
            is_customer=pop.is_customer[a],
            is_test=pop.is_test[a],
            start_day=pop.start_day[a],
            health=state.health,
            activity=state.activity,
            people=people,
        )
        orgs = support.make_organizations(s_in, tl, rng_for(cfg.seed, "organization", i))
        tickets, solved = support.make_tickets(s_in, tl, rng_for(cfg.seed, "ticket", i))
        b_in = billing.BillingInputs(
            chunk=i,
            accounts=a,
            account_id=pop.account_id[a],
            is_customer=pop.is_customer[a],
            is_test=pop.is_test[a],
            start_day=pop.start_day[a],
            trial_days=pop.trial_days[a],
            contract0=pop.contract0[a],
            send_invoice=pop.send_invoice[a],
            public_mail_share=pop.public_mail_share[a],
            health=state.health,
            lifecycle=state.lifecycle,
            people=people,
        )
        bill = billing.make_billing(b_in, tl, rng_for(cfg.seed, "billing", i))
        c_in = crm.CrmInputs(
            chunk=i,
            accounts=a,
            pop=pop,
            staff=self.staff,
            health=state.health,
            lifecycle=state.lifecycle,
            people=people,
        )
        v_in = survey.SurveyInputs(
            chunk=i,
            account_id=pop.account_id[a],
            is_test=pop.is_test[a],
            start_day=pop.start_day[a],
            health=state.health,
            lifecycle=state.lifecycle,
            activity=state.activity,
            people=people,
            solved=solved,
        )
        return [
            crm.make_accounts(c_in, tl, rng_for(cfg.seed, "crm_account", i)),
            crm.make_contacts(c_in, tl, rng_for(cfg.seed, "crm_contact", i)),
            crm.make_opportunities(c_in, tl, rng_for(cfg.seed, "crm_opportunity", i)),
            crm.make_tasks(c_in, tl, rng_for(cfg.seed, "crm_task", i)),
            crm.make_health_inputs(c_in, tl, rng_for(cfg.seed, "crm_health_input", i)),
            orgs,
            tickets,
            bill.customer,
            bill.subscription,
            bill.invoice,
            bill.charge,
            tracks,
            groups,
            survey.make_responses(v_in, tl, rng_for(cfg.seed, "survey", i)),
        ]


def _emit(
    rows: Rows,
    chunk: int,
    run: _Run,
    injector: DirtInjector,
    writer: BatchWriter,
    ledger: DirtLedger,
) -> None:
    seed = run.config.seed
    rows = injector.apply(rows, chunk, rng_for(seed, "dirt", rows.table, chunk))
    data, batch, loaded, duplicates = resync_copies(
        rows,
        run.rates["resync_duplicates"],
        run.timeline,
        rng_for(seed, "resync", rows.table, chunk),
    )
    ledger.add(rows.table, "resync_duplicates", duplicates)
    writer.write(rows.table, data, batch, loaded)


def generate(config: GenerateConfig) -> GenerateResult:
    """Write the raw landing data to `config.out` and the hidden truth to `config.truth`."""
    started = time.perf_counter()
    run = _Run(config)
    reset_folder(config.out)
    reset_folder(config.truth)
    zones = batch_zones(config.batches, run.rates["mixed_offsets"] > 0)
    ledger = DirtLedger()
    injector = DirtInjector(run.rates, ledger, run.timeline)
    writer = BatchWriter(config.out, config.batches, zones)
    truth = TruthWriter(config.truth, run.timeline)

    scale = run.event_scale()
    _emit(crm.make_users(run.staff, run.timeline), 1 << 20, run, injector, writer, ledger)
    for index in range(run.n_chunks):
        state = run.chunk(index)
        for rows in run.tables_of_chunk(state, scale):
            _emit(rows, index, run, injector, writer, ledger)
        truth.write_chunk(run.pop, state.accounts, state.health, state.lifecycle)
        if not config.quiet and (index + 1) % max(1, run.n_chunks // 10) == 0:
            print(
                f"  chunk {index + 1}/{run.n_chunks} done ({time.perf_counter() - started:.1f}s)",
                flush=True,
            )
    writer.close()
    truth.close()

    for table in TABLES:
        entry = ledger.tables[table]
        entry["rows_written"] = writer.rows_written[table]
        entry["mixed_offsets"] = writer.non_utc_rows[table]
        entry["distinct_ids"] = writer.rows_written[table] - int(entry["resync_duplicates"])
    (config.truth / "dirt.json").write_text(ledger.as_json(zones) + "\n")
    write_json(
        config.truth / "manifest.json",
        {
            "generator": "python_checks.generate",
            "parameters": config.as_manifest(),
            "batch_zones": zones,
            "events_scale": scale,
            "tables": list(TABLES),
        },
    )
    write_json(config.out / "_contract.json", {"version": CONTRACT_VERSION})
    seconds = time.perf_counter() - started
    return GenerateResult(
        out=config.out,
        truth=config.truth,
        rows_written=dict(writer.rows_written),
        seconds=seconds,
        dirt=ledger.tables,
        events_scale=scale,
    )
