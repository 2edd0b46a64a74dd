-- Is there product usage to score? Fails when no clean product event falls in the activity window
-- (var activity_window_days) ending on the as-of date: as_of set past the data, or no product data
-- at all. Every account would then read as unused instead of missing.
{{ config(severity='error') }}
{%- set window = var('activity_window_days') %}
{%- set effect = "Every account would read as unused: days since last login grow, active users and"
    ~ " usage trend fall to zero, and product and onboarding scores collapse for everyone." %}

with as_of as (
    select * from {{ ref('int_as_of_date') }}
),

events as (
    select * from {{ ref('stg_product__tracks') }}
),

counts as (
    select
        as_of.as_of_on,
        as_of.as_of_source,
        count(events.event_at) as count_events,
        count(events.event_at) filter (
            where cast(events.event_at as date) > as_of.as_of_on - {{ window }}
            and cast(events.event_at as date) <= as_of.as_of_on
        ) as count_events_in_window,
        cast(max(events.event_at) as date) as last_event_on
    from as_of
    left join events on true
    group by as_of.as_of_on, as_of.as_of_source
),

final as (
    select
        *,
        case
            when count_events = 0
                then 'product.tracks: no clean product event at all (the table is empty, or every row'
                    || ' was quarantined: see staging.quarantine_product), yet the build scores up to '
                    || coalesce(cast(as_of_on as {{ type_text() }}), 'no date') || ' (' || coalesce(as_of_source, 'none') || '). '
            else 'product.tracks: no clean product event in the scoring window, the '
                || {{ window }} || ' days (var activity_window_days) up to the as-of date '
                || cast(as_of_on as {{ type_text() }}) || ' ('
                || case when as_of_source = 'var' then 'var as_of' else replace(as_of_source, '_', ' ') end
                || '); the latest of ' || count_events || ' events is on ' || cast(last_event_on as {{ type_text() }}) || '. '
        end
        || '{{ effect | replace("'", "''") }} '
        || case
            when count_events = 0
                then 'Land product events (product.tracks), or declare the source absent with var'
                    || ' connectors (product: none) to score without usage.'
            else 'Set var as_of on or before ' || cast(last_event_on as {{ type_text() }})
                || ', or land the missing product events.'
        end as guard_message
    from counts
    where {{ 'false' if source_declared_absent('product') else 'true' }}
        and count_events_in_window = 0
)

select * from final
