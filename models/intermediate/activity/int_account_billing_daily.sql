-- What did each account pay for on each day: recurring revenue and seats? One row per account-day
-- of the spine, from the invoices in force that day (each subscription's latest invoice until
-- the next one or the subscription's end), so history never uses today's subscription state.
with days as (
    select * from {{ ref('int_account_days') }}
),

invoices as (
    select * from {{ ref('int_account_invoices') }}
),

invoice_periods as (
    select
        account_id,
        subscription_id,
        invoiced_on,
        monthly_amount,
        coalesce(
            lead(invoiced_on) over (partition by subscription_id order by invoiced_on, invoice_id),
            subscription_ended_on
        ) as next_invoiced_on
    from invoices
),

-- Seats change only with an invoice that bills seats; a free invoice keeps the seats before it.
seat_periods as (
    select
        account_id,
        subscription_id,
        invoiced_on,
        count_seats_billed,
        coalesce(
            lead(invoiced_on) over (partition by subscription_id order by invoiced_on, invoice_id),
            subscription_ended_on
        ) as next_invoiced_on
    from invoices
    where count_seats_billed is not null
),

revenue as (
    select
        days.account_id,
        days.date_day,
        sum(invoice_periods.monthly_amount) as mrr
    from days
    inner join invoice_periods
        on days.account_id = invoice_periods.account_id
        and invoice_periods.invoiced_on <= days.date_day
        and (invoice_periods.next_invoiced_on is null or days.date_day < invoice_periods.next_invoiced_on)
    group by days.account_id, days.date_day
),

seats as (
    select
        days.account_id,
        days.date_day,
        sum(seat_periods.count_seats_billed) as count_seats
    from days
    inner join seat_periods
        on days.account_id = seat_periods.account_id
        and seat_periods.invoiced_on <= days.date_day
        and (seat_periods.next_invoiced_on is null or days.date_day < seat_periods.next_invoiced_on)
    group by days.account_id, days.date_day
),

final as (
    select
        days.account_id,
        days.date_day,
        coalesce(revenue.mrr, 0) as mrr,
        cast(seats.count_seats as bigint) as count_seats
    from days
    left join revenue on days.account_id = revenue.account_id and days.date_day = revenue.date_day
    left join seats on days.account_id = seats.account_id and days.date_day = seats.date_day
)

select * from final
