-- var milestone_events (the event columns the activity models count) and seed
-- product_event_areas (is_milestone) must name the same events.
with configured as (
    {%- for event_name in var('milestone_events') %}
        select '{{ event_name }}' as event_name
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

seeded as (
    select event_name from {{ ref('product_event_areas') }}
    where is_milestone
),

final as (
    select
        coalesce(configured.event_name, seeded.event_name) as event_name,
        configured.event_name is not null as in_var_milestone_events,
        seeded.event_name is not null as is_milestone_in_seed
    from configured
    full outer join seeded on configured.event_name = seeded.event_name
    where configured.event_name is null or seeded.event_name is null
)

select * from final
