-- How much recurring revenue do we keep? One row per complete calendar month of history: the
-- invoiced MRR of the customers paying on the month's first day (macro invoiced_revenue, the
-- billing side of fct_revenue_reconciliation, the same invoices int_account_outcomes measures
-- changes on), what those customers added (expansion) and lost (contraction, churn) during the
-- month (int_account_outcomes), gross revenue retention (GRR: kept without expansion) and net
-- revenue retention (NRR: with it). New customers of the month are not in the cohort.
with days as (
    select * from {{ ref('int_account_days') }}
),

invoices as (
    select * from {{ ref('int_account_invoices') }}
),

outcomes as (
    select * from {{ ref('int_account_outcomes') }}
    where event_type in ('churn', 'expansion', 'contraction')
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

-- The customers' first days of complete months (the whole month lies on or before the as-of
-- date), and what was invoiced in force on them, from today's invoices.
first_days as (
    select
        days.account_id,
        days.date_day
    from days
    cross join as_of
    where days.date_day = {{ dbt.date_trunc('month', 'days.date_day') }}
        and {{ dbt.dateadd('month', 1, 'days.date_day') }} <= as_of.as_of_on + 1
),

invoiced as (
    {{ invoiced_revenue('first_days', 'invoices') }}
),

month_starts as (
    select
        account_id,
        date_day as month_start_on,
        mrr
    from invoiced
    where mrr > 0
),

moves as (
    select
        month_starts.month_start_on,
        {{ exact_sum("case when outcomes.event_type = 'churn' then outcomes.revenue_change end", digits=38) }}
            as churned_mrr,
        {{ exact_sum("case when outcomes.event_type = 'contraction' then -outcomes.revenue_change end", digits=38) }}
            as contraction_mrr,
        {{ exact_sum("case when outcomes.event_type = 'expansion' then outcomes.revenue_change end", digits=38) }}
            as expansion_mrr,
        count(distinct case when outcomes.event_type = 'churn' then outcomes.account_id end) as count_churned
    from month_starts
    inner join outcomes
        on month_starts.account_id = outcomes.account_id
            and outcomes.event_on >= month_starts.month_start_on
            and outcomes.event_on < {{ dbt.dateadd('month', 1, 'month_starts.month_start_on') }}
    group by month_starts.month_start_on
),

cohorts as (
    select
        month_start_on,
        count(*) as count_customers_start,
        {{ exact_sum('mrr', digits=38) }} as starting_mrr
    from month_starts
    group by month_start_on
),

final as (
    select
        cast(cohorts.month_start_on as date) as month_start_on,
        cohorts.count_customers_start,
        coalesce(moves.count_churned, 0) as count_churned,
        {{ round_half_away('cohorts.starting_mrr', 2) }} as starting_mrr,
        {{ round_half_away('coalesce(moves.churned_mrr, 0)', 2) }} as churned_mrr,
        {{ round_half_away('coalesce(moves.contraction_mrr, 0)', 2) }} as contraction_mrr,
        {{ round_half_away('coalesce(moves.expansion_mrr, 0)', 2) }} as expansion_mrr,
        {{ round_half_away(
            '(cohorts.starting_mrr - coalesce(moves.churned_mrr, 0) - coalesce(moves.contraction_mrr, 0))'
            ~ ' / cohorts.starting_mrr',
            4
        ) }} as gross_revenue_retention,
        {{ round_half_away(
            '(cohorts.starting_mrr - coalesce(moves.churned_mrr, 0) - coalesce(moves.contraction_mrr, 0)'
            ~ ' + coalesce(moves.expansion_mrr, 0)) / cohorts.starting_mrr',
            4
        ) }} as net_revenue_retention
    from cohorts
    left join moves on cohorts.month_start_on = moves.month_start_on
)

select * from final
