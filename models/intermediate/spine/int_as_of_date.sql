-- Which days can this build score? One row: as_of_on is var as_of when set, else the latest day
-- with a clean product event, so history is scored up to the data's own end; data_start_on is
-- var history_start when set, else the first day with a clean product event, since days before
-- any product data cannot be scored fairly (every usage signal would look dead).
with events as (
    select * from {{ ref('stg_product__tracks') }}
),

final as (
    select
        {%- if var('as_of') %}
        cast('{{ var("as_of") }}' as date) as as_of_on,
        'var' as as_of_source,
        {%- else %}
            cast(max(event_at) as date) as as_of_on,
            'latest_event' as as_of_source,
        {%- endif %}
        {%- if var('history_start') %}
        cast('{{ var("history_start") }}' as date) as data_start_on
        {%- else %}
            cast(min(event_at) as date) as data_start_on
        {%- endif %}
    from events
)

select * from final
