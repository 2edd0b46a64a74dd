{#- The invoiced recurring revenue and seats of the account-days of `days` (a relation or CTE with
    account_id and date_day), point in time, from `invoices` (int_account_invoices' columns): each
    subscription's latest full-period invoice until its next one or the subscription's end, as a
    monthly amount. One row per account-day of `days`: mrr 0 and count_seats null without an
    invoice in force. The one definition of invoiced MRR per day: int_account_billing_daily (the
    days a run rewrites, for the scores) and the marts that compare months over the whole history
    (the reconciliation's month ends, the retention's month starts), which apply it to those days
    from today's invoices rather than read rows a daily run stored before a late invoice landed. -#}
{% macro invoiced_revenue(days, invoices) -%}
    select
        days.account_id,
        days.date_day,
        coalesce(in_force.mrr, 0) as mrr,
        cast(in_force.count_seats as bigint) as count_seats
    from {{ days }} as days
    left join (
        select
            days.account_id,
            days.date_day,
            sum(invoice_periods.monthly_amount) as mrr,
            sum(invoice_periods.count_seats) as count_seats
        from {{ days }} as days
        inner join (
            select
                account_id,
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
            from {{ invoices }}
            -- A part-period invoice (seats bought mid-term, billed pro rata) is not the recurring
            -- amount: the period in force holds until the next full invoice, which bills the seats.
            where not is_partial_period
        ) as invoice_periods
            on days.account_id = invoice_periods.account_id
                and invoice_periods.invoiced_on <= days.date_day
                and (invoice_periods.next_invoiced_on is null or days.date_day < invoice_periods.next_invoiced_on)
        group by days.account_id, days.date_day
    ) as in_force
        on days.account_id = in_force.account_id and days.date_day = in_force.date_day
{%- endmacro %}
