-- What did each account pay for on each day: recurring revenue and seats? One row per account-day
-- of the spine, from the invoices in force that day (macro invoiced_revenue: each subscription's
-- latest invoice until the next one or the subscription's end), so history never uses today's
-- subscription state. A fact of the daily chain: a daily run computes only the days it rewrites
-- (macro fact_days), from every invoice; the marts that compare months over the whole history
-- apply the same macro to their own days.
with days as (
    {{ fact_days() }}
),

invoices as (
    select * from {{ ref('int_account_invoices') }}
),

billing as (
    {{ invoiced_revenue('days', 'invoices') }}
),

final as (
    {{ fact_rows_to_store('billing') }}
)

select * from final
