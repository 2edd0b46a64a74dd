-- What did each account pay for on each day: recurring revenue and seats? One row per account-day
-- of the spine, from the invoices in force that day (each subscription's latest invoice until
-- the next one or the subscription's end), so history never uses today's subscription state.
with days as (
    select * from {{ ref('int_account_days') }}
),

-- A part-period invoice (seats bought mid-term, billed pro rata) is not the recurring amount:
-- the period in force holds until the next full invoice, which bills the new seats.
invoices as (
    select * from {{ ref('int_account_invoices') }}
    where not is_partial_period
),

invoice_periods as (
    select
        account_id,
        subscription_id,
        invoiced_on,
        monthly_amount,
        -- A free invoice bills no seats; the seats billed before it still hold.
        {{ last_non_null(
            'count_seats_billed',
            '(partition by subscription_id order by invoiced_on, invoice_id rows unbounded preceding)'
        ) }} as count_seats,
        coalesce(
            lead(invoiced_on) over (partition by subscription_id order by invoiced_on, invoice_id),
            subscription_ended_on
        ) as next_invoiced_on
    from invoices
),

in_force as (
    select
        days.account_id,
        days.date_day,
        sum(invoice_periods.monthly_amount) as mrr,
        sum(invoice_periods.count_seats) as count_seats
    from days
    inner join invoice_periods
        on days.account_id = invoice_periods.account_id
            and invoice_periods.invoiced_on <= days.date_day
            and (invoice_periods.next_invoiced_on is null or days.date_day < invoice_periods.next_invoiced_on)
    group by days.account_id, days.date_day
),

final as (
    select
        days.account_id,
        days.date_day,
        coalesce(in_force.mrr, 0) as mrr,
        cast(in_force.count_seats as bigint) as count_seats
    from days
    left join in_force on days.account_id = in_force.account_id and days.date_day = in_force.date_day
)

select * from final
