"""The CRM as Fivetran's Salesforce connector lands it.

Fivetran writes Salesforce API names lower-cased in snake case: custom fields and objects end in
`_c` (`customer_tier__c` lands as `customer_tier_c`, object `health_input__c` as table
`health_input_c`), the load time is `_fivetran_synced`, deletes are `is_deleted` (Salesforce's
own flag) beside `_fivetran_deleted`, and Salesforce numbers land as DECIMAL(18,0). Rows, batches,
duplicates and soft deletes stay as the contract shape has them.
"""

from __future__ import annotations

from pathlib import Path

from .common import batch_files, columns_of, connect, parquet, write

SOURCE = "crm"
# Contract table -> Fivetran table.
TABLES = {
    "account": "account",
    "user": "user",
    "contact": "contact",
    "opportunity": "opportunity",
    "task": "task",
    "health_input__c": "health_input_c",
}
# Integer fields Salesforce keeps as numbers with scale 0.
DECIMAL_COLUMNS = {"number_of_employees", "rating__c"}


def fivetran_name(column: str) -> str:
    """`customer_tier__c` -> `customer_tier_c`; `_loaded_at` -> `_fivetran_synced`."""
    if column == "_loaded_at":
        return "_fivetran_synced"
    if column.endswith("__c"):
        return column[: -len("__c")] + "_c"
    return column


def reshape(contract_dir: Path, out_dir: Path) -> None:
    con = connect()
    for contract_table, connector_table in TABLES.items():
        for path in batch_files(contract_dir, SOURCE, contract_table):
            select = []
            for column in columns_of(con, path):
                expression = f'"{column}"'
                if column in DECIMAL_COLUMNS:
                    expression = f"cast({expression} as decimal(18, 0))"
                select.append(f'{expression} as "{fivetran_name(column)}"')
            select.append("false as _fivetran_deleted")
            write(
                con,
                f"select {', '.join(select)} from {parquet(path)}",
                out_dir / SOURCE / connector_table / path.name,
            )
