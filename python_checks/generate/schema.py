"""The raw landing contract (shared/raw-contract.md, version 1) as Arrow schemas."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import pyarrow as pa

LOADED_AT = "_loaded_at"
LOADED_AT_TYPE = pa.timestamp("us", tz="UTC")

# Column lists in contract order: (name, contract type).
CONTRACT: Mapping[str, tuple[tuple[str, str], ...]] = MappingProxyType(
    {
        "crm/account": (
            ("id", "str"),
            ("name", "str"),
            ("type", "str"),
            ("industry", "str"),
            ("number_of_employees", "int"),
            ("billing_country", "str"),
            ("website", "str"),
            ("owner_id", "str"),
            ("customer_tier__c", "str"),
            ("contract_type__c", "str"),
            ("is_test__c", "bool"),
            ("created_date", "ts"),
            ("is_deleted", "bool"),
        ),
        "crm/user": (
            ("id", "str"),
            ("name", "str"),
            ("email", "str"),
            ("title", "str"),
            ("is_active", "bool"),
        ),
        "crm/contact": (
            ("id", "str"),
            ("account_id", "str"),
            ("email", "str"),
            ("first_name", "str"),
            ("last_name", "str"),
            ("title", "str"),
            ("created_date", "ts"),
            ("is_deleted", "bool"),
        ),
        "crm/opportunity": (
            ("id", "str"),
            ("account_id", "str"),
            ("type", "str"),
            ("stage_name", "str"),
            ("amount", "float"),
            ("close_date", "date"),
            ("is_closed", "bool"),
            ("is_won", "bool"),
            ("created_date", "ts"),
            ("is_deleted", "bool"),
        ),
        "crm/task": (
            ("id", "str"),
            ("account_id", "str"),
            ("who_id", "str"),
            ("owner_id", "str"),
            ("type", "str"),
            ("subject", "str"),
            ("activity_date", "date"),
            ("status", "str"),
            ("is_deleted", "bool"),
        ),
        "crm/health_input__c": (
            ("id", "str"),
            ("account_id", "str"),
            ("author_id", "str"),
            ("author_role__c", "str"),
            ("rating__c", "int"),
            ("exec_sponsor_engaged__c", "bool"),
            ("note__c", "str"),
            ("created_date", "ts"),
            ("is_deleted", "bool"),
        ),
        "support/organization": (
            ("id", "int"),
            ("name", "str"),
            ("external_id", "str"),
            ("domain_names", "str"),
            ("created_at", "tstz"),
        ),
        "support/ticket": (
            ("id", "int"),
            ("organization_id", "int"),
            ("requester_email", "str"),
            ("created_at", "tstz"),
            ("updated_at", "tstz"),
            ("solved_at", "tstz"),
            ("status", "str"),
            ("priority", "str"),
            ("channel", "str"),
            ("subject", "str"),
            ("satisfaction_rating", "str"),
            ("_fivetran_deleted", "bool"),
        ),
        "billing/customer": (
            ("id", "str"),
            ("email", "str"),
            ("created", "ts"),
            ("metadata", "json"),
            ("delinquent", "bool"),
            ("is_deleted", "bool"),
        ),
        "billing/subscription": (
            ("id", "str"),
            ("customer_id", "str"),
            ("status", "str"),
            ("plan_amount", "int"),
            ("plan_interval", "str"),
            ("quantity", "int"),
            ("currency", "str"),
            ("created", "ts"),
            ("start_date", "ts"),
            ("current_period_end", "ts"),
            ("cancel_at_period_end", "bool"),
            ("canceled_at", "ts"),
            ("ended_at", "ts"),
        ),
        "billing/invoice": (
            ("id", "str"),
            ("customer_id", "str"),
            ("subscription_id", "str"),
            ("created", "ts"),
            ("due_date", "ts"),
            ("status", "str"),
            ("amount_due", "int"),
            ("amount_paid", "int"),
            ("currency", "str"),
            ("paid_at", "ts"),
        ),
        "billing/charge": (
            ("id", "str"),
            ("customer_id", "str"),
            ("invoice_id", "str"),
            ("amount", "int"),
            ("status", "str"),
            ("failure_code", "str"),
            ("created", "ts"),
        ),
        "product/tracks": (
            ("id", "str"),
            ("user_id", "str"),
            ("anonymous_id", "str"),
            ("event", "str"),
            ("timestamp", "tstz"),
            ("received_at", "tstz"),
        ),
        "product/groups": (
            ("id", "str"),
            ("user_id", "str"),
            ("group_id", "str"),
            ("timestamp", "tstz"),
        ),
        "survey/response": (
            ("id", "str"),
            ("survey", "str"),
            ("respondent_email", "str"),
            ("account_id", "str"),
            ("score", "int"),
            ("comment", "str"),
            ("submitted_at", "tstz"),
        ),
    }
)
TABLES: tuple[str, ...] = tuple(CONTRACT)


def arrow_type(contract_type: str, tz: str = "UTC") -> pa.DataType:
    """Arrow type of a contract type; `tz` is the zone tstz columns are written in."""
    types: dict[str, pa.DataType] = {
        "str": pa.string(),
        "json": pa.string(),
        "int": pa.int64(),
        "float": pa.float64(),
        "bool": pa.bool_(),
        "ts": pa.timestamp("us"),
        "tstz": pa.timestamp("us", tz=tz),
        "date": pa.date32(),
    }
    return types[contract_type]


def arrow_schema(table: str, tz: str = "UTC", with_loaded_at: bool = False) -> pa.Schema:
    fields = [pa.field(name, arrow_type(kind, tz)) for name, kind in CONTRACT[table]]
    if with_loaded_at:
        fields.append(pa.field(LOADED_AT, LOADED_AT_TYPE))
    return pa.schema(fields)


def tstz_columns(table: str) -> tuple[str, ...]:
    return tuple(name for name, kind in CONTRACT[table] if kind == "tstz")
