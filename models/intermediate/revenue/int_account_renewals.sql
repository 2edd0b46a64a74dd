-- When does each customer next renew, and how much recurring revenue is up then? One row per
-- current customer (int_accounts, not churned). A subscription renews at the end of its current
-- period (rolled forward by whole periods when the landed period end has passed); an open renewal
-- opportunity renews on its close date. The earliest wins; the ARR up is that of the
-- subscriptions ending that day (int_account_revenue_daily's definition, plan × seats × 12 a
-- year), or the opportunity's amount when it comes first.
with accounts as (
    select * from {{ ref('int_accounts') }}
    where not is_churned
),

subscriptions as (
    select * from {{ ref('int_account_subscriptions') }}
    where ended_on is null and current_period_end_on is not null
),

opportunities as (
    select * from {{ ref('stg_crm__opportunity') }}
    where opportunity_type = 'Renewal' and not is_closed
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

-- Periods of months (macro months_per_interval). A stale period end moves forward by whole periods.
subscription_periods as (
    select
        subscriptions.account_id,
        subscriptions.subscription_id,
        subscriptions.plan_interval,
        subscriptions.mrr,
        subscriptions.current_period_end_on,
        {{ months_per_interval('subscriptions.plan_interval') }} as months_per_period,
        as_of.as_of_on
    from subscriptions
    cross join as_of
),

-- Whole periods between the landed period end and the as-of date, rounded down; one more
-- period when that still falls before the as-of date.
months_behind as (
    select
        *,
        {{ dbt.datediff('current_period_end_on', 'as_of_on', 'month') }}
            as count_months_behind
    from subscription_periods
),

periods_behind as (
    select
        *,
        case
            when current_period_end_on >= as_of_on then 0
            else cast(floor(count_months_behind / months_per_period) as integer)
        end as count_periods_behind
    from months_behind
),

rolled as (
    select
        *,
        cast(
            {{ dbt.dateadd('month', 'months_per_period * count_periods_behind', 'current_period_end_on') }}
            as date
        ) as rolled_period_end_on
    from periods_behind
),

subscription_renewals as (
    select
        account_id,
        subscription_id,
        plan_interval,
        mrr,
        case
            when rolled_period_end_on >= as_of_on then rolled_period_end_on
            else cast({{ dbt.dateadd('month', 'months_per_period', 'rolled_period_end_on') }} as date)
        end as renews_on
    from rolled
),

next_subscription_renewals as (
    select
        account_id,
        min(renews_on) as renews_on
    from subscription_renewals
    group by account_id
),

subscription_arr as (
    select
        subscription_renewals.account_id,
        subscription_renewals.renews_on,
        max(subscription_renewals.plan_interval) as plan_interval,
        {{ exact_sum(arr_from_mrr('subscription_renewals.mrr'), digits=38) }} as arr
    from subscription_renewals
    inner join next_subscription_renewals
        on subscription_renewals.account_id = next_subscription_renewals.account_id
            and subscription_renewals.renews_on = next_subscription_renewals.renews_on
    group by subscription_renewals.account_id, subscription_renewals.renews_on
),

ranked_renewals as (
    select
        opportunities.account_id,
        opportunities.close_on as renews_on,
        {{ exact_sum('opportunities.amount', digits=38) }} as arr,
        row_number() over (
            partition by opportunities.account_id order by opportunities.close_on
        ) as renewal_rank
    from opportunities
    cross join as_of
    where opportunities.close_on >= as_of.as_of_on
    group by opportunities.account_id, opportunities.close_on
),

opportunity_renewals as (
    select
        account_id,
        renews_on,
        arr
    from ranked_renewals
    where renewal_rank = 1
),

final as (
    select
        accounts.account_id,
        case
            when opportunity_renewals.renews_on < coalesce(subscription_arr.renews_on, date '9999-12-31')
                then 'opportunity'
            when subscription_arr.plan_interval = 'year' then 'annual_term'
            when subscription_arr.renews_on is not null then 'monthly_term'
        end as renewal_source,
        {{ least_ignore_nulls('subscription_arr.renews_on', 'opportunity_renewals.renews_on') }} as next_renewal_on,
        -- bigint on every engine (Postgres subtracts dates as an integer).
        cast({{ dbt.datediff(
            'as_of.as_of_on',
            least_ignore_nulls('subscription_arr.renews_on', 'opportunity_renewals.renews_on'),
            'day'
        ) }} as bigint)
            as days_to_renewal,
        {{ round_half_away(
            "case
                when opportunity_renewals.renews_on < coalesce(subscription_arr.renews_on, date '9999-12-31')
                    then opportunity_renewals.arr
                else subscription_arr.arr
            end",
            2
        ) }} as arr_up_for_renewal
    from accounts
    cross join as_of
    left join subscription_arr on accounts.account_id = subscription_arr.account_id
    left join opportunity_renewals on accounts.account_id = opportunity_renewals.account_id
)

select * from final
