-- Which day is "today" for this build? One row: var as_of when set, else the latest day with a
-- clean product event, so history is scored up to the data's own end.
with events as (
    select * from {{ ref('stg_product__tracks') }}
),

final as (
    select
        {%- if var('as_of') %}
        cast('{{ var("as_of") }}' as date) as as_of_on,
        'var' as as_of_source
        {%- else %}
        cast(max(event_at) as date) as as_of_on,
        'latest_event' as as_of_source
        {%- endif %}
    from events
)

select * from final
