-- Does each account pay, on time, and does its recurring revenue hold, up to each day? One row
-- per account-day of the spine with the billing facts the financial signals read: overdue
-- invoices and the longest delay, failed charges in the window, a pending cancellation, and the
-- recurring revenue a trend window earlier. Rebuilt point-in-time from invoice, charge and
-- subscription dates.
{%- set trend = var('trend_window_days') %}

-- A daily run computes the window and the lag over the days it rewrites plus one trend window
-- before them (macro fact_days). Nothing needs carrying in.
with days as (
    {{ fact_days(context_days=trend) }}
),

subscriptions as (
    select * from {{ ref('int_account_subscriptions') }}
),

account_invoices as (
    select * from {{ ref('int_account_invoices') }}
),

-- The days read (macro in_run_days, with the trend window before them), as `days`.
billing as (
    select * from {{ ref('int_account_billing_daily') }}
    where {{ in_run_days('date_day', context_days=trend) }}
),

charges as (
    select * from {{ ref('stg_billing__charge') }}
),

-- Overdue on a day: past its due date and not paid by the end of that day.
overdue as (
    select
        days.account_id,
        days.date_day,
        count(*) as count_overdue,
        max({{ dbt.datediff('account_invoices.due_on', 'days.date_day', 'day') }}) as max_days_late
    from days
    inner join account_invoices
        on days.account_id = account_invoices.account_id
            and days.date_day > account_invoices.due_on
            and (account_invoices.paid_on is null or days.date_day < account_invoices.paid_on)
    group by days.account_id, days.date_day
),

failed_charges as (
    select
        account_invoices.account_id,
        cast(charges.created_at as date) as date_day,
        count(*) as count_failed
    from charges
    inner join account_invoices on charges.invoice_id = account_invoices.invoice_id
    where charges.charge_status = 'failed'
    group by account_invoices.account_id, cast(charges.created_at as date)
),

cancellations as (
    select
        days.account_id,
        days.date_day,
        count(*) as count_pending_cancellations
    from days
    inner join subscriptions
        on days.account_id = subscriptions.account_id
            and days.date_day >= subscriptions.canceled_on
            and (subscriptions.ended_on is null or days.date_day < subscriptions.ended_on)
    group by days.account_id, days.date_day
),

rolling as (
    select
        days.account_id,
        days.date_day,
        coalesce(overdue.count_overdue, 0) as count_overdue_invoices,
        coalesce(overdue.max_days_late, 0) as max_days_late,
        sum(coalesce(failed_charges.count_failed, 0)) over trend_window as count_failed_charges_window,
        coalesce(cancellations.count_pending_cancellations, 0) > 0 as has_pending_cancellation,
        billing.mrr,
        lag(billing.mrr, {{ trend }}) over account_order as mrr_trend_window_ago
    from days
    left join overdue on days.account_id = overdue.account_id and days.date_day = overdue.date_day
    left join billing on days.account_id = billing.account_id and days.date_day = billing.date_day
    left join failed_charges
        on days.account_id = failed_charges.account_id
            and days.date_day = failed_charges.date_day
    left join cancellations
        on days.account_id = cancellations.account_id
            and days.date_day = cancellations.date_day
    window
        -- No frame: lag() takes none on Spark.
        account_order as (partition by days.account_id order by days.date_day),
        trend_window as (partition by days.account_id order by days.date_day rows {{ trend - 1 }} preceding)
),

-- Only the days the run rewrites are stored; the context days above only fill the window and lag.
final as (
    {{ fact_rows_to_store('rolling') }}
)

select * from final
