-- Stripe subscriptions (Fivetran) as the raw contract's billing.subscription. Stripe keeps the
-- plan off the subscription: its amount, interval and currency come from the price (or legacy
-- plan) of the subscription's item, and the seats from the item's quantity.
{{ config(enabled=var('connectors').get('billing', 'contract') == 'fivetran_stripe') }}
{%- set price_table = connector_option('fivetran_stripe', 'price_table') %}
{%- set subscription_table = connector_option('fivetran_stripe', 'subscription_table') %}
{%- if price_table not in ['price', 'plan'] %}
    {{ exceptions.raise_compiler_error(
        "var fivetran_stripe__price_table is '" ~ price_table ~ "': allowed values are price, plan") }}
{%- endif %}
{%- if subscription_table not in ['subscription', 'subscription_history'] %}
    {{ exceptions.raise_compiler_error(
        "var fivetran_stripe__subscription_table is '" ~ subscription_table
        ~ "': allowed values are subscription, subscription_history") }}
{%- endif %}

with subscriptions as (
    select * from {{ source('fivetran_stripe', 'subscription') }}
    {%- if subscription_table == 'subscription_history' %}
    where _fivetran_active
    {%- endif %}
),

items as (
    select * from {{ source('fivetran_stripe', 'subscription_item') }}
),

prices as (
    select * from {{ source('fivetran_stripe', price_table) }}
),

-- A subscription's plan is its earliest item; one copy of it per sync.
ranked_plan_items as (
    select
        cast(subscription_id as {{ type_text() }}) as subscription_id,
        cast({{ 'price_id' if price_table == 'price' else 'plan_id' }} as {{ type_text() }}) as price_id,
        {{ connector_integer('quantity') }} as quantity,
        cast(_fivetran_synced as timestamp) as synced_at,
        row_number() over (partition by subscription_id, _fivetran_synced order by created, id) as copy_rank
    from items
),

plan_items as (
    select
        subscription_id,
        price_id,
        quantity,
        synced_at
    from ranked_plan_items
    where copy_rank = 1
),

-- The newest copy of each price: a price's amount and interval never change in Stripe.
ranked_latest_prices as (
    select
        cast(id as {{ type_text() }}) as price_id,
        {{ connector_integer('unit_amount' if price_table == 'price' else 'amount') }} as unit_amount,
        cast({{ 'recurring_interval' if price_table == 'price' else '"interval"' }} as {{ type_text() }})
            as recurring_interval,
        cast(currency as {{ type_text() }}) as currency,
        row_number() over (partition by id order by _fivetran_synced desc) as copy_rank
    from prices
),

latest_prices as (
    select
        price_id,
        unit_amount,
        recurring_interval,
        currency
    from ranked_latest_prices
    where copy_rank = 1
),

ranked_items as (
    select
        *,
        row_number() over (partition by subscription_id order by synced_at) as item_rank
    from plan_items
),

first_plan_items as (
    select
        subscription_id,
        price_id,
        quantity,
        synced_at
    from ranked_items
    where item_rank = 1
),

-- Each copy of a subscription takes its item as it was at that sync (the copy synced at or
-- before it), else the item's first copy (an item synced a moment after its subscription).
final as (
    select
        cast(subscriptions.id as {{ type_text() }}) as id,
        cast(subscriptions.customer_id as {{ type_text() }}) as customer_id,
        cast(subscriptions.status as {{ type_text() }}) as status,
        latest_prices.unit_amount as plan_amount,
        latest_prices.recurring_interval as plan_interval,
        coalesce(item_then.quantity, item_first.quantity) as quantity,
        latest_prices.currency,
        {{ to_utc('subscriptions.created') }} as created,
        {{ to_utc('subscriptions.start_date') }} as start_date,
        {{ to_utc('subscriptions.current_period_end') }} as current_period_end,
        cast(subscriptions.cancel_at_period_end as boolean) as cancel_at_period_end,
        {{ to_utc('subscriptions.canceled_at') }} as canceled_at,
        {{ to_utc('subscriptions.ended_at') }} as ended_at,
        {{ to_utc('subscriptions._fivetran_synced') }} as _loaded_at,
        subscriptions._raw_file
    from subscriptions
    asof left join plan_items as item_then
        on
            cast(subscriptions.id as {{ type_text() }}) = item_then.subscription_id
            and cast(subscriptions._fivetran_synced as timestamp) >= item_then.synced_at
    left join first_plan_items as item_first
        on cast(subscriptions.id as {{ type_text() }}) = item_first.subscription_id
    left join latest_prices
        on coalesce(item_then.price_id, item_first.price_id) = latest_prices.price_id
)

select * from final
