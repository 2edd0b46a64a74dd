-- What did each product user do on each day? One row per (user, day) with any clean event: the
-- one pass over the event stream, which every activity model reuses. Incremental: a run rewrites
-- the days of its range (macro in_run_days) and every day that received an event loaded since the
-- previous run, so late events reach their own day whenever they land.
{%- set areas = var('feature_areas') %}
{%- set milestone_events = var('milestone_events') %}

{#- A daily run: the days of its range, and every day with an event loaded since the last run. -#}
{%- set days_with_new_events -%}
    select distinct cast(changed.event_at as date) from {{ ref('stg_product__tracks') }} as changed where
    {{ in_run_days('cast(changed.event_at as date)') }}
    or changed._loaded_at > (select max(stored.last_loaded_at) from {{ this }} as stored)
{%- endset %}
{%- set days_with_new_events = days_with_new_events | replace('\n', ' ') %}

with events as (
    select * from {{ ref('stg_product__tracks') }}
    where user_email_hash is not null
        and {% if is_incremental() %}cast(event_at as date) in ({{ days_with_new_events }}){% else %}true{% endif %}
),

event_areas as (
    select * from {{ ref('product_event_areas') }}
),

final as (
    select
        events.user_email_hash,
        cast(events.event_at as date) as date_day,
        count(*) as count_events,
        count(*) filter (where coalesce(event_areas.is_login, false)) as count_logins,
        {%- for area in areas %}
            count(*) filter (where event_areas.feature_area = '{{ area }}') as count_{{ area }}_events,
        {%- endfor %}
        {%- for event_name in milestone_events %}
            count(*) filter (where events.event_name = '{{ event_name }}') as count_{{ event_name }},
        {%- endfor %}
        max(events._loaded_at) as last_loaded_at
    from events
    left join event_areas on events.event_name = event_areas.event_name
    group by events.user_email_hash, cast(events.event_at as date)
)

select
    *,
    {{ scoring_config_hash() }} as scoring_config_hash
from final
