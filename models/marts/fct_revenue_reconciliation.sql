-- Does what was invoiced match what the contract says? One row per account × calendar month of
-- the customer's life: on the month's last scored day, the contracted MRR (subscriptions' plan ×
-- seats, as int_account_revenue_daily defines it: macro contracted_revenue) beside the invoiced
-- MRR (the invoices in force that day, each as a monthly amount: macro invoiced_revenue), the
-- seats on each side, what was invoiced in the month, the difference and its reason class. A
-- difference within var revenue_reconciliation_tolerance (a share of the larger side) matches.
{%- set tolerance = var('revenue_reconciliation_tolerance') %}

with days as (
    select * from {{ ref('int_account_days') }}
),

subscriptions as (
    select * from {{ ref('int_account_subscriptions') }}
),

invoices as (
    select * from {{ ref('int_account_invoices') }}
),

month_ends as (
    select
        account_id,
        {{ dbt.date_trunc('month', 'date_day') }} as month_start_on,
        max(date_day) as compared_on
    from days
    group by account_id, {{ dbt.date_trunc('month', 'date_day') }}
),

-- Both sides on the compared days only, from today's subscriptions and invoices
-- (int_account_revenue_daily and int_account_billing_daily apply the same macros to every day).
compared_days as (
    select
        account_id,
        compared_on as date_day
    from month_ends
),

contracted as (
    {{ contracted_revenue('compared_days', 'subscriptions') }}
),

invoiced as (
    {{ invoiced_revenue('compared_days', 'invoices') }}
),

invoiced_in_month as (
    select
        account_id,
        {{ dbt.date_trunc('month', 'invoiced_on') }} as month_start_on,
        {{ exact_sum('amount_due', digits=38) }} as amount_invoiced,
        count(*) as count_invoices
    from invoices
    group by account_id, {{ dbt.date_trunc('month', 'invoiced_on') }}
),

compared as (
    select
        month_ends.account_id,
        cast(month_ends.month_start_on as date) as month_start_on,
        month_ends.compared_on,
        contracted.currency,
        contracted.mrr as contracted_mrr,
        invoiced.mrr as invoiced_mrr,
        contracted.count_seats as count_seats_contracted,
        invoiced.count_seats as count_seats_invoiced,
        coalesce(invoiced_in_month.amount_invoiced, 0) as amount_invoiced,
        coalesce(invoiced_in_month.count_invoices, 0) as count_invoices,
        invoiced.mrr - contracted.mrr as mrr_difference,
        -- The invoiced MRR in seats at the contract's price per seat: a whole number is a seat
        -- count that differs, anything else a part period, a proration or another price.
        invoiced.mrr / nullif(contracted.mrr / nullif(contracted.count_seats, 0), 0) as seats_equivalent
    from month_ends
    inner join contracted
        on month_ends.account_id = contracted.account_id and month_ends.compared_on = contracted.date_day
    inner join invoiced
        on month_ends.account_id = invoiced.account_id and month_ends.compared_on = invoiced.date_day
    left join invoiced_in_month
        on month_ends.account_id = invoiced_in_month.account_id
            and month_ends.month_start_on = invoiced_in_month.month_start_on
),

final as (
    select
        {{ dbt.hash("account_id || '|' || cast(month_start_on as " ~ type_text() ~ ")") }} as reconciliation_id,
        account_id,
        month_start_on,
        compared_on,
        currency,
        {{ round_half_away('contracted_mrr', 2) }} as contracted_mrr,
        {{ round_half_away('invoiced_mrr', 2) }} as invoiced_mrr,
        {{ round_half_away('mrr_difference', 2) }} as mrr_difference,
        count_seats_contracted,
        count_seats_invoiced,
        {{ round_half_away('amount_invoiced', 2) }} as amount_invoiced,
        count_invoices,
        case
            when abs(mrr_difference) <= {{ tolerance }} * {{ greatest_ignore_nulls('contracted_mrr', 'invoiced_mrr') }}
                then 'matches'
            when invoiced_mrr = 0 then 'not_invoiced'
            when contracted_mrr = 0 then 'invoiced_without_contract'
            when abs(seats_equivalent - round(seats_equivalent)) <= {{ tolerance }} * seats_equivalent
                then 'seat_count_differs'
            else 'amount_differs'
        end as reason_class
    from compared
)

select * from final
