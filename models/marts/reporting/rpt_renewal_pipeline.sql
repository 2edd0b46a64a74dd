-- Which renewals are coming, how healthy are they, and how much revenue do they put at risk? One
-- row per renewal month × renewal source × health band over the next var renewal_pipeline_months
-- months (the as-of month first): current customers renewing then (dim_account_health's
-- next_renewal_on), the ARR up for renewal, and the revenue at risk in it (the churn probability
-- × the ARR up for renewal).
with accounts as (
    select * from {{ ref('dim_account_health') }}
    where not is_churned and next_renewal_on is not null
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

upcoming as (
    select
        cast({{ dbt.date_trunc('month', 'accounts.next_renewal_on') }} as date) as renewal_month_on,
        accounts.renewal_source,
        accounts.health_band,
        accounts.arr_up_for_renewal,
        accounts.churn_probability
    from accounts
    cross join as_of
    where accounts.next_renewal_on < {{ dbt.dateadd(
        'month', var('renewal_pipeline_months'), dbt.date_trunc('month', 'as_of.as_of_on')
    ) }}
),

final as (
    select
        renewal_month_on,
        renewal_source,
        health_band,
        count(*) as count_accounts,
        {{ round_half_away(exact_sum('arr_up_for_renewal', digits=38), 2) }} as arr_up_for_renewal,
        {{ round_half_away(exact_sum('churn_probability * arr_up_for_renewal', digits=38), 2) }} as revenue_at_risk,
        {{ round_half_away('avg(churn_probability)', 4) }} as avg_churn_probability
    from upcoming
    group by renewal_month_on, renewal_source, health_band
)

select * from final
