-- Warn while invoices and contract differ by more than var revenue_reconciliation_max_unmatched_share
-- of this month's contracted MRR, whatever the reason class (part periods and prorations
-- included): the gap a revenue figure built on invoices would carry. See fct_revenue_reconciliation.
{{ config(severity='warn') }}

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
        sum(abs(reconciliation.mrr_difference)) as unmatched_mrr,
        count(*) filter (where reconciliation.reason_class != 'matches') as count_accounts_unmatched
    from reconciliation
    inner join as_of on reconciliation.month_start_on = {{ dbt.date_trunc('month', 'as_of.as_of_on') }}
    group by reconciliation.month_start_on
)

select
    month_start_on,
    contracted_mrr,
    unmatched_mrr,
    count_accounts_unmatched,
    unmatched_mrr / nullif(contracted_mrr, 0) as share_unmatched
from current_month
where unmatched_mrr > {{ var('revenue_reconciliation_max_unmatched_share') }} * contracted_mrr
