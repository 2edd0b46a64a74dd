-- Can the build tell when a ticket was solved? The service signals date a solve by solved_at
-- alone, so a solved ticket without one stays open forever. Fails when the share of solved or
-- closed tickets without solved_at is above var guard_max_solved_without_time_share, or when no
-- ticket at all has a solved_at although there are at least var guard_min_tickets_for_solve_check.
{{ config(severity='error') }}
{%- set max_share = var('guard_max_solved_without_time_share') %}
{%- set min_tickets = var('guard_min_tickets_for_solve_check') %}
{%- set effect = "Every such ticket stays open forever: open and urgent open tickets pile up,"
    ~ " days_to_resolve and ticket ratings go missing, and the service score collapses." %}
{%- set remedy = "Land solved_at on support.ticket (Zendesk: from ticket_field_history, the time the"
    ~ " status became solved)." %}

with tickets as (
    select * from {{ ref('stg_support__ticket') }}
),

counts as (
    select
        count(*) as count_tickets,
        count(*) filter (where is_solved) as count_solved_status,
        count(*) filter (where is_solved and solved_at is null) as count_solved_without_time,
        count(solved_at) as count_with_solved_time,
        {{ max_share }} as max_solved_without_time_share,
        {{ min_tickets }} as min_tickets_for_solve_check
    from tickets
),

gaps as (
    select
        *,
        cast(count_solved_without_time as {{ type_double() }}) / nullif(count_solved_status, 0) as solved_without_time_share
    from counts
),

final as (
    select
        *,
        case
            when solved_without_time_share > max_solved_without_time_share
                then 'support.ticket: ' || {{ guard_percent('solved_without_time_share') }}
                    || ' of solved or closed tickets (' || count_solved_without_time || ' of '
                    || count_solved_status || ') have no solved_at, above the limit of '
                    || {{ guard_percent('max_solved_without_time_share') }}
                    || ' (var guard_max_solved_without_time_share). '
            else 'support.ticket: none of ' || count_tickets || ' tickets has a solved_at (at least '
                || min_tickets_for_solve_check || ' tickets, var guard_min_tickets_for_solve_check):'
                || ' the build cannot know that any ticket was ever solved. '
        end || '{{ (effect ~ " " ~ remedy) | replace("'", "''") }}' as guard_message
    from gaps
    where {{ 'false' if source_declared_absent('support') else 'true' }}
        and (
            solved_without_time_share > max_solved_without_time_share
            or (count_with_solved_time = 0 and count_tickets >= min_tickets_for_solve_check)
        )
)

select * from final
