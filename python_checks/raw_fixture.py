"""A tiny raw data set written with DuckDB SQL, independent of the sample generator.

It stands for "a raw data set written by some other tool that follows the contract": columns in
another order, an extra column, naive and offset timestamps, mixed-case e-mails. Tests build the
project on it and mutate it to produce one defect at a time.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

# One SELECT per contract table: (source, table) -> SQL producing its rows.
TABLES: dict[tuple[str, str], str] = {
    ("crm", "account"): """
        select * from (values
          ('001A', 'Acme Tools', 'Customer', 'Software', 120, 'US', 'https://www.acme.example',
           '005A', 'Mid-Market', 'annual', false, timestamp '2025-01-10 09:00', false,
           timestamp '2026-01-02 00:00', 'extra'),
          ('001B', 'Test Account Inc', 'Customer', 'Software', 5, 'DE', 'test.example', '005A',
           null, null, false, timestamp '2025-02-01 00:00', false, timestamp '2026-01-02 00:00', 'x'),
          ('001C', 'Globex', 'Customer', 'Retail', 40, 'FR', 'globex.example', '005A', 'smb',
           'monthly', false, timestamp '2025-03-01 00:00', false, timestamp '2026-01-02 00:00', 'y')
        ) t(id, name, type, industry, number_of_employees, billing_country, website, owner_id,
            customer_tier__c, contract_type__c, is_test__c, created_date, is_deleted,
            _loaded_at, some_new_column)
    """,
    ("crm", "user"): """
        select 'Jo CSM' as name, '005A' as id, 'JO@vendor.example ' as email, 'CSM' as title,
               true as is_active, timestamp '2026-01-02' as _loaded_at
    """,
    ("crm", "contact"): """
        select * from (values
          ('003A', '001A', ' Ann@Acme.Example', 'Ann', 'Lee', 'CTO', timestamp '2025-01-11', false,
           timestamp '2026-01-02'),
          ('003B', '001Z', 'bob@nowhere.example', 'Bob', 'Ray', 'CEO', timestamp '2025-01-11', false,
           timestamp '2026-01-02')
        ) t(id, account_id, email, first_name, last_name, title, created_date, is_deleted, _loaded_at)
    """,
    ("crm", "opportunity"): """
        select '006A' as id, '001A' as account_id, 'Renewal' as type, 'Closed Won' as stage_name,
               12000.0 as amount, date '2026-01-10' as close_date, true as is_closed, true as is_won,
               timestamp '2025-10-10' as created_date, false as is_deleted,
               timestamp '2026-01-02' as _loaded_at
    """,
    ("crm", "task"): """
        select '00TA' as id, '001A' as account_id, '003A' as who_id, '005A' as owner_id, 'QBR' as type,
               'Quarterly review' as subject, date '2025-12-01' as activity_date,
               'Completed' as status, false as is_deleted, timestamp '2026-01-02' as _loaded_at
    """,
    ("crm", "health_input__c"): """
        select * from (values
          ('a0A', '001A', '005A', 'csm', 4, true, 'fine', timestamp '2025-12-01', false,
           timestamp '2026-01-02'),
          ('a0B', '001A', '005A', 'csm', 9, true, 'typo', timestamp '2025-12-02', false,
           timestamp '2026-01-02')
        ) t(id, account_id, author_id, author_role__c, rating__c, exec_sponsor_engaged__c, note__c,
            created_date, is_deleted, _loaded_at)
    """,
    ("support", "organization"): """
        select 10 as id, 'Globex' as name, null::varchar as external_id,
               'globex.example,globex-mail.example' as domain_names,
               timestamptz '2025-03-01 10:00:00+02:00' as created_at,
               timestamp '2026-01-02' as _loaded_at
    """,
    ("support", "ticket"): """
        select * from (values
          (100, 10, 'Help@Globex.example', timestamptz '2025-12-01 10:00:00-05:00',
           timestamptz '2025-12-02 10:00:00-05:00', null::timestamptz, 'open', 'high', 'email',
           'Cannot log in', null, false, timestamp '2026-01-02'),
          (100, 10, 'Help@Globex.example', timestamptz '2025-12-01 10:00:00-05:00',
           timestamptz '2025-12-03 10:00:00-05:00', timestamptz '2025-12-03 10:00:00-05:00',
           'solved', 'high', 'email', 'Cannot log in', 'good', false, timestamp '2026-01-03'),
          (101, 99, 'x@acme.example', timestamptz '2025-12-05 10:00:00+05:30',
           timestamptz '2025-12-05 10:00:00+05:30', null::timestamptz, 'escalated', null, 'sms',
           'Urgent', null, false, timestamp '2026-01-02')
        ) t(id, organization_id, requester_email, created_at, updated_at, solved_at, status,
            priority, channel, subject, satisfaction_rating, _fivetran_deleted, _loaded_at)
    """,
    ("billing", "customer"): """
        select 'cus_A' as id, 'billing@acme.example' as email, timestamp '2025-01-10' as created,
               '{"crm_account_id": "001A"}' as metadata, false as delinquent, false as is_deleted,
               timestamp '2026-01-02' as _loaded_at
    """,
    ("billing", "subscription"): """
        select 'sub_A' as id, 'cus_A' as customer_id, 'active' as status, 10000 as plan_amount,
               'year' as plan_interval, 10 as quantity, 'usd' as currency,
               timestamp '2025-01-10' as created, timestamp '2025-01-10' as start_date,
               timestamp '2027-01-10' as current_period_end, false as cancel_at_period_end,
               null::timestamp as canceled_at, null::timestamp as ended_at,
               timestamp '2026-01-02' as _loaded_at
    """,
    ("billing", "invoice"): """
        select * from (values
          ('in_A', 'cus_A', 'sub_A', timestamp '2026-01-10', timestamp '2026-01-20', 'paid',
           100000, 100000, 'usd', timestamp '2026-01-12', timestamp '2026-01-13'),
          ('in_B', 'cus_A', 'sub_A', timestamp '2025-01-10', timestamp '2025-01-20', 'paid',
           -500, 0, 'usd', null::timestamp, timestamp '2026-01-13')
        ) t(id, customer_id, subscription_id, created, due_date, status, amount_due, amount_paid,
            currency, paid_at, _loaded_at)
    """,
    ("billing", "charge"): """
        select 'ch_A' as id, 'cus_A' as customer_id, 'in_A' as invoice_id, 100000 as amount,
               'succeeded' as status, null::varchar as failure_code,
               timestamp '2026-01-12' as created, timestamp '2026-01-13' as _loaded_at
    """,
    ("product", "tracks"): """
        select * from (values
          ('m1', 'Ann@Acme.example', 'anon1', 'login', timestamptz '2026-01-01 08:00:00+01:00',
           timestamptz '2026-01-01 07:00:05+00:00', timestamp '2026-01-02'),
          ('m2', null, 'anon2', 'page_viewed', timestamptz '2026-01-01 09:00:00+00:00',
           timestamptz '2026-01-01 09:00:01+00:00', timestamp '2026-01-02'),
          ('m3', 'ann@acme.example', 'anon1', 'login', timestamptz '2031-01-01 09:00:00+00:00',
           timestamptz '2026-01-01 09:00:01+00:00', timestamp '2026-01-02')
        ) t(id, user_id, anonymous_id, event, "timestamp", received_at, _loaded_at)
    """,
    ("product", "groups"): """
        select 'g1' as id, 'ann@acme.example' as user_id, '001A' as group_id,
               timestamptz '2025-01-11 00:00:00+00:00' as "timestamp",
               timestamp '2026-01-02' as _loaded_at
    """,
    ("survey", "response"): """
        select * from (values
          ('r1', 'nps', 'Ann@acme.example', '001A', 9, 'great', timestamptz '2025-12-01 10:00:00-08:00',
           timestamp '2026-01-02'),
          ('r2', 'nps', 'x@globex.example', null, -1, 'typo', timestamptz '2025-12-01 10:00:00+00:00',
           timestamp '2026-01-02')
        ) t(id, survey, respondent_email, account_id, score, comment, submitted_at, _loaded_at)
    """,
}


def write_minimal_raw_set(root: Path, version: int | None = 1) -> Path:
    """Write every contract table as one Parquet file under ``root`` and return ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.execute("set TimeZone = 'UTC'")
    for (source, table), sql in TABLES.items():
        folder = root / source / table
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / "batch_0001.parquet"
        con.execute(f"copy ({sql}) to '{target}' (format parquet)")
    if version is not None:
        (root / "_contract.json").write_text(json.dumps({"version": version}))
    return root
