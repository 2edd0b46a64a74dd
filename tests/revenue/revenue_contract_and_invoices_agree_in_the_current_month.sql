-- Contract and billing must not contradict each other this month: the contracted MRR of accounts
-- billed for another whole number of seats, or billed with no subscription in force, stays within
-- var revenue_reconciliation_max_unmatched_share of the month's contracted MRR. Fails with the
-- month, the shares and the account count.
with reconciliation as (
    select * from {{ ref('fct_revenue_reconciliation') }}
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

current_month as (
    select
        reconciliation.month_start_on,
        sum(reconciliation.contracted_mrr) as contracted_mrr,
        sum(
            case
                when reconciliation.reason_class in ('seat_count_differs', 'invoiced_without_contract')
                    then abs(reconciliation.mrr_difference)
                else 0
            end
        ) as contradicted_mrr,
        count(*) filter (
            where reconciliation.reason_class in ('seat_count_differs', 'invoiced_without_contract')
        ) as count_accounts_contradicted
    from reconciliation
    inner join as_of on reconciliation.month_start_on = {{ dbt.date_trunc('month', 'as_of.as_of_on') }}
    group by reconciliation.month_start_on
)

select
    month_start_on,
    contracted_mrr,
    contradicted_mrr,
    count_accounts_contradicted,
    contradicted_mrr / nullif(contracted_mrr, 0) as share_contradicted
from current_month
where contradicted_mrr > {{ var('revenue_reconciliation_max_unmatched_share') }} * contracted_mrr
