"""What to tell a reader: where the served build is, how to connect, what it holds."""

from __future__ import annotations

import json

import duckdb

from python_checks.publish.errors import PublishError
from python_checks.publish.layout import INFO_SCHEMA, INFO_TABLE, ServeLayout
from python_checks.publish.publisher import Published
from python_checks.publish.snapshot import marts_tables, quote_identifier

EXAMPLE_MART = "dim_account_health"


def connect_hint(layout: ServeLayout) -> list[str]:
    parquet = layout.current / f"{EXAMPLE_MART}.parquet"
    return [
        "Connect read-only (never blocks a build; a new connection sees the newest publish):",
        f"  duckdb.connect({str(layout.database)!r}, read_only=True)",
        f"  select * from read_parquet('{parquet}')",
        f"  select * from {INFO_SCHEMA}.{INFO_TABLE}  -- the build this connection reads",
    ]


def published_lines(published: Published) -> list[str]:
    layout = published.layout
    as_of = published.as_of or "unknown"
    counts = ", ".join(f"{name} {rows}" for name, rows in published.row_counts.items())
    return [
        f"Published build {published.build_id} (as of {as_of}) from {published.source}",
        f"  database: {layout.database}",
        f"  parquet:  {layout.current}/ -> {published.build_id}",
        f"  manifest: {layout.manifest}",
        f"  rows:     {counts}",
        f"  config:   {', '.join(published.config_tables)}",
        f"  crm:      {published.crm_export('csv', current=True)} ({published.crm_export_rows} accounts;"
        " also .parquet)",
        *connect_hint(layout),
    ]


def show_lines(layout: ServeLayout) -> list[str]:
    """The served build as a reader sees it (read-only; raises when nothing is published)."""
    if not layout.database.is_file() or not layout.manifest.is_file():
        raise PublishError(f"nothing published in {layout.root}: run `make publish` first")
    manifest = json.loads(layout.manifest.read_text(encoding="utf-8"))
    con = duckdb.connect(str(layout.database), read_only=True)
    try:
        row = con.execute(
            f"select build_id, as_of, published_at from {INFO_SCHEMA}.{INFO_TABLE}"
        ).fetchone()
        counts = [
            (table, con.execute(f"select count(*) from marts.{quote_identifier(table)}").fetchone())
            for table in marts_tables(con)
        ]
    finally:
        con.close()
    build_id, as_of, published_at = row if row else (None, None, None)
    lines = [
        f"Served build {build_id} (as of {as_of}, published {published_at}) in {layout.root}",
        f"  manifest.json build: {manifest.get('build_id')}",
        f"  parquet/current ->   {layout.current_build_id()}",
        f"  storage version:     {manifest.get('storage_version')} (DuckDB 1.x clients read it)",
        f"  crm export:          {manifest.get('crm_export', {}).get('csv')}",
    ]
    lines += [f"  marts.{table}: {found[0] if found else 0} rows" for table, found in counts]
    return lines + connect_hint(layout)
