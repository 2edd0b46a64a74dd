"""The support desk as Fivetran's Zendesk connector lands it.

- `ticket` has `requester_id` (the e-mail is on `user`), `via_channel`, no `solved_at` and no
  satisfaction rating; ids of organizations and requesters land as DECIMAL(20,0);
- `ticket_field_history` holds the status changes (`field_name = 'status'`, `value`, `updated`):
  `new` at creation, `solved` at the solve time, `closed` at the last update of a closed ticket;
- `satisfaction_rating` holds the rating `score` (good, bad, offered, unoffered) per ticket;
- `organization` has no domains: they are rows of `domain_name` (`organization_id`, `index`);
- the load time is `_fivetran_synced`; `_fivetran_deleted` and status `deleted` are soft deletes.
Each contract batch file gives one file per table with the same name, so re-synced copies,
soft deletes, nulls and odd values land as the connector would land them. A requester is one
Zendesk user per distinct e-mail as written (messy spellings stay distinct users), landed with
the first ticket row that names it.
"""

from __future__ import annotations

from pathlib import Path

from .common import batch_files, connect, parquet, write

SOURCE = "support"
USER_ID_OFFSET = 900_000_000


def reshape(contract_dir: Path, out_dir: Path) -> None:
    con = connect()
    target = out_dir / SOURCE
    for path in batch_files(contract_dir, SOURCE, "organization"):
        rows = parquet(path)
        write(
            con,
            f"""select cast(id as decimal(20, 0)) as id, name, external_id, created_at,
                created_at as updated_at, _loaded_at as _fivetran_synced
            from {rows}""",
            target / "organization" / path.name,
        )
        write(
            con,
            f"""select organization_id, domain_name, "index", _fivetran_synced
            from (
                select
                    cast(id as decimal(20, 0)) as organization_id,
                    trim(unnest(string_split(domain_names, ','))) as domain_name,
                    generate_subscripts(string_split(domain_names, ','), 1) - 1 as "index",
                    _loaded_at as _fivetran_synced
                from {rows}
                where domain_names is not null
            )
            where domain_name <> ''""",
            target / "domain_name" / path.name,
        )

    ticket_files = batch_files(contract_dir, SOURCE, "ticket")
    file_list = "[" + ", ".join("'" + str(p).replace("'", "''") + "'" for p in ticket_files) + "]"
    con.execute(
        f"""create temp table requesters as
        select
            requester_email as email,
            {USER_ID_OFFSET} + dense_rank() over (order by requester_email) as user_id,
            arg_min(filename, _loaded_at) as first_file,
            min(_loaded_at) as first_loaded_at
        from read_parquet({file_list}, filename = true)
        where requester_email is not null
        group by requester_email"""
    )
    for path in ticket_files:
        rows = parquet(path)
        file_name = str(path).replace("'", "''")
        write(
            con,
            f"""select user_id as id, email, 'end-user' as role, first_loaded_at as created_at,
                first_loaded_at as _fivetran_synced, false as _fivetran_deleted
            from requesters where first_file = '{file_name}'""",
            target / "user" / path.name,
        )
        write(
            con,
            f"""select
                ticket.id,
                cast(ticket.organization_id as decimal(20, 0)) as organization_id,
                cast(requesters.user_id as decimal(20, 0)) as requester_id,
                ticket.created_at, ticket.updated_at, ticket.status, ticket.priority,
                ticket.channel as via_channel, ticket.subject, ticket._fivetran_deleted,
                ticket._loaded_at as _fivetran_synced
            from {rows} as ticket
            left join requesters on ticket.requester_email = requesters.email""",
            target / "ticket" / path.name,
        )
        write(
            con,
            f"""select distinct ticket_id, field_name, value, updated, user_id, _fivetran_synced
            from (
                select id as ticket_id, 'status' as field_name, 'new' as value,
                    created_at as updated, cast(null as bigint) as user_id,
                    _loaded_at as _fivetran_synced
                from {rows}
                where created_at is not null and (solved_at is null or created_at <= solved_at)
                union all
                select id, 'status', 'solved', solved_at, null, _loaded_at
                from {rows}
                where solved_at is not null
                union all
                select id, 'status', 'closed', updated_at, null, _loaded_at
                from {rows}
                where status = 'closed' and solved_at is not null and updated_at > solved_at
            )""",
            target / "ticket_field_history" / path.name,
        )
        write(
            con,
            f"""select id, id as ticket_id, satisfaction_rating as score, created_at, updated_at,
                _loaded_at as _fivetran_synced
            from {rows}
            where satisfaction_rating is not null""",
            target / "satisfaction_rating" / path.name,
        )
