-- Which days can this build score? One row.
-- as_of_on: var as_of when set; else the latest day with a clean product event, so history is
-- scored up to the data's own end; else (no product rows at all, e.g. a deployment without a
-- product source) the latest day with a support ticket, an invoice or a survey response.
-- data_start_on: var history_start when set; else the first day with a clean product event, since
-- days before any product data cannot be scored fairly (every usage signal would look dead); else
-- the first day of those other sources. The guard guard_product_events_in_scoring_window stops the
-- build when the scoring window holds no product event (as_of past the data, or no product data).
with events as (
    select * from {{ ref('stg_product__tracks') }}
),

tickets as (
    select * from {{ ref('stg_support__ticket') }}
),

invoices as (
    select * from {{ ref('stg_billing__invoice') }}
),

responses as (
    select * from {{ ref('stg_survey__response') }}
),

product_days as (
    select
        cast(min(event_at) as date) as first_on,
        cast(max(event_at) as date) as last_on
    from events
),

-- Used only when there is no product event: the span of the other sources' dated activity.
other_activity_days as (
    select
        min(activity_on) as first_on,
        max(activity_on) as last_on
    from (
        select cast(created_at as date) as activity_on from tickets
        union all
        select cast(created_at as date) as activity_on from invoices
        union all
        select cast(submitted_at as date) as activity_on from responses
    ) as activity
),

final as (
    select
        {%- if var('as_of') %}
            cast('{{ var("as_of") }}' as date) as as_of_on,
            'var' as as_of_source,
        {%- else %}
            coalesce(product_days.last_on, other_activity_days.last_on) as as_of_on,
            case
                when product_days.last_on is not null then 'latest_product_event'
                when other_activity_days.last_on is not null then 'latest_other_activity'
            end as as_of_source,
        {%- endif %}
        {%- if var('history_start') %}
            cast('{{ var("history_start") }}' as date) as data_start_on
        {%- else %}
            coalesce(product_days.first_on, other_activity_days.first_on) as data_start_on
        {%- endif %}
    from product_days
    cross join other_activity_days
)

select * from final
