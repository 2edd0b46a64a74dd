-- What recurring revenue is each customer contracted for on each day? One row per account-day of
-- the spine: the subscriptions in force that day (started on or before it, not yet ended), each
-- worth plan_amount × quantity per period, normalised to a month (int_account_subscriptions, the
-- one definition of MRR), in the subscriptions' currency. Subscriptions are landed in their
-- newest state only, so a past day carries today's terms: this is the contract, not the billing
-- history (int_account_billing_daily holds what was invoiced, point in time, for the scores).
with days as (
    select * from {{ ref('int_account_days') }}
),

subscriptions as (
    select * from {{ ref('int_account_subscriptions') }}
    where started_on is not null
),

in_force as (
    select
        days.account_id,
        days.date_day,
        subscriptions.currency,
        {{ exact_sum('subscriptions.mrr', digits=38) }} as mrr,
        cast(sum(subscriptions.quantity) as bigint) as count_seats,
        count(*) as count_subscriptions
    from days
    inner join subscriptions
        on days.account_id = subscriptions.account_id
            and subscriptions.started_on <= days.date_day
            and (subscriptions.ended_on is null or days.date_day < subscriptions.ended_on)
    group by days.account_id, days.date_day, subscriptions.currency
),

final as (
    select
        days.account_id,
        days.date_day,
        in_force.currency,
        coalesce(in_force.mrr, 0) as mrr,
        coalesce(in_force.mrr, 0) * 12 as arr,
        coalesce(in_force.count_seats, 0) as count_seats,
        coalesce(in_force.count_subscriptions, 0) as count_subscriptions
    from days
    left join in_force on days.account_id = in_force.account_id and days.date_day = in_force.date_day
)

select * from final
