-- Which subscriptions does each account pay for, and what are they worth a month? One row per
-- subscription linked to a CRM account through its billing customer.
with subscriptions as (
    select * from {{ ref('stg_billing__subscription') }}
),

identity as (
    select * from {{ ref('int_account_identity') }}
    where system = 'billing_customer' and is_linked
),

final as (
    select
        subscriptions.subscription_id,
        identity.account_id,
        subscriptions.customer_id,
        subscriptions.subscription_status,
        subscriptions.plan_interval,
        subscriptions.quantity,
        subscriptions.plan_amount,
        cast(coalesce(subscriptions.started_at, subscriptions.created_at) as date) as started_on,
        cast(
            coalesce(
                subscriptions.ended_at,
                case when subscriptions.subscription_status = 'canceled' then subscriptions.canceled_at end
            ) as date
        ) as ended_on,
        cast(subscriptions.canceled_at as date) as canceled_on,
        cast(subscriptions.current_period_end_at as date) as current_period_end_on,
        subscriptions.is_cancel_at_period_end,
        subscriptions.currency,
        -- The raw contract: plan_amount is per seat and period, a period bills it × quantity.
        {{ monthly_amount('subscriptions.plan_amount * subscriptions.quantity', 'subscriptions.plan_interval') }}
            as mrr
    from subscriptions
    inner join identity on subscriptions.customer_id = identity.system_key
)

select * from final
