-- One Zendesk ticket row as the contract's support.ticket (connectors.support = fivetran_zendesk).
-- requester_email: the requester's `user` row (newest sync). satisfaction_rating: the ticket's
-- newest `satisfaction_rating` score. solved_at: Zendesk keeps no solve time on the ticket, so it
-- is the first status change to solved or closed after the last change to any other status
-- (a reopened ticket is unsolved until it is solved again), among the changes up to the ticket
-- row's own updated_at (an older synced state of a ticket keeps its older solve time).
{{ config(enabled=var('connectors').get('support', 'contract') == 'fivetran_zendesk') }}

with source as (
    select * from {{ source('fivetran_zendesk', 'ticket') }}
),

users as (
    select * from {{ source('fivetran_zendesk', 'user') }}
),

field_history as (
    select * from {{ source('fivetran_zendesk', 'ticket_field_history') }}
),

satisfaction_rating as (
    select * from {{ source('fivetran_zendesk', 'satisfaction_rating') }}
),

ranked_requesters as (
    select
        cast(id as bigint) as user_id,
        cast(email as {{ type_text() }}) as email,
        row_number() over (partition by id order by _fivetran_synced desc) as copy_rank
    from users
),

requesters as (
    select
        user_id,
        email
    from ranked_requesters
    where copy_rank = 1
),

ranked_ratings as (
    select
        cast(ticket_id as bigint) as ticket_id,
        cast(score as {{ type_text() }}) as score,
        row_number() over (partition by ticket_id order by _fivetran_synced desc, id desc) as copy_rank
    from satisfaction_rating
),

ratings as (
    select
        ticket_id,
        score
    from ranked_ratings
    where copy_rank = 1
),

status_changes as (
    select distinct
        cast(ticket_id as bigint) as ticket_id,
        cast(updated as timestamptz) as changed_at,
        lower(trim(cast(value as {{ type_text() }}))) in ({{ sql_values(var('solved_ticket_statuses')) }}) as is_solved_status
    from field_history
    where field_name = 'status' and updated is not null
),

tickets as (
    select
        *,
        cast(id as bigint) as ticket_id,
        cast(updated_at as timestamptz) as updated_at_utc
    from source
),

last_unsolved as (
    select
        tickets.ticket_id,
        tickets._raw_file,
        tickets._fivetran_synced,
        max(case when not status_changes.is_solved_status then status_changes.changed_at end)
            as last_unsolved_at
    from tickets
    inner join status_changes
        on
            tickets.ticket_id = status_changes.ticket_id
            and (tickets.updated_at_utc is null or status_changes.changed_at <= tickets.updated_at_utc)
    group by tickets.ticket_id, tickets._raw_file, tickets._fivetran_synced
),

solved as (
    select
        tickets.ticket_id,
        tickets._raw_file,
        tickets._fivetran_synced,
        min(status_changes.changed_at) as solved_at
    from tickets
    inner join status_changes
        on
            tickets.ticket_id = status_changes.ticket_id
            and status_changes.is_solved_status
            and (tickets.updated_at_utc is null or status_changes.changed_at <= tickets.updated_at_utc)
    left join last_unsolved
        on
            tickets.ticket_id = last_unsolved.ticket_id
            and tickets._raw_file = last_unsolved._raw_file
            and tickets._fivetran_synced = last_unsolved._fivetran_synced
    where last_unsolved.last_unsolved_at is null or status_changes.changed_at > last_unsolved.last_unsolved_at
    group by tickets.ticket_id, tickets._raw_file, tickets._fivetran_synced
),

renamed as (
    select
        tickets.ticket_id as id,
        cast(tickets.organization_id as bigint) as organization_id,
        requesters.email as requester_email,
        cast(tickets.created_at as timestamptz) as created_at,
        tickets.updated_at_utc as updated_at,
        solved.solved_at,
        cast(tickets.status as {{ type_text() }}) as status,
        cast(tickets.priority as {{ type_text() }}) as priority,
        cast(tickets.via_channel as {{ type_text() }}) as channel,
        cast(tickets.subject as {{ type_text() }}) as subject,
        ratings.score as satisfaction_rating,
        cast(tickets._fivetran_deleted as boolean) as _fivetran_deleted,
        cast(tickets._fivetran_synced as timestamp) as _loaded_at,
        tickets._raw_file
    from tickets
    left join requesters on cast(tickets.requester_id as bigint) = requesters.user_id
    left join ratings on tickets.ticket_id = ratings.ticket_id
    left join solved
        on
            tickets.ticket_id = solved.ticket_id
            and tickets._raw_file = solved._raw_file
            and tickets._fivetran_synced = solved._fivetran_synced
)

select * from renamed
