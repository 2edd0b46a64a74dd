-- Who are the customers to score? One row per CRM account that is not a test account and has
-- paid (or trialled) through at least one subscription, with its segment and customer lifetime.
with accounts as (
    select * from {{ ref('stg_crm__account') }}
    where not is_test_account
),

subscriptions as (
    select * from {{ ref('int_account_subscriptions') }}
),

lifetimes as (
    select
        account_id,
        min(started_on) as customer_start_on,
        -- A customer has ended when no subscription is open; the end is the last one's end.
        case when count(*) = count(ended_on) then max(ended_on) end as subscriptions_ended_on,
        max(current_period_end_on) as last_period_end_on,
        cast(sum(case when ended_on is null then quantity else 0 end) as bigint) as count_seats,
        sum(case when ended_on is null then mrr else 0 end) as mrr,
        count(*) as count_subscriptions
    from subscriptions
    where started_on is not null
    group by account_id
),

-- Churn, one definition: every subscription has ended (the day the last one ended), or the CRM
-- marks a former customer whose subscription still looks open (the end of its paid period).
customer_ends as (
    select
        lifetimes.account_id,
        coalesce(
            lifetimes.subscriptions_ended_on,
            case when accounts.account_type = 'Former Customer' then lifetimes.last_period_end_on end
        ) as customer_end_on
    from lifetimes
    inner join accounts on lifetimes.account_id = accounts.account_id
),

final as (
    select
        accounts.account_id,
        accounts.account_name,
        accounts.owner_user_id,
        accounts.customer_tier,
        accounts.contract_type,
        accounts.account_type,
        lifetimes.customer_start_on,
        customer_ends.customer_end_on,
        lifetimes.count_seats,
        lifetimes.mrr,
        lifetimes.count_subscriptions,
        customer_ends.customer_end_on is not null as is_churned
    from accounts
    inner join lifetimes on accounts.account_id = lifetimes.account_id
    inner join customer_ends on accounts.account_id = customer_ends.account_id
)

select * from final
