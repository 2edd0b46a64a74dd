-- Does each account pay, on time, and does its recurring revenue hold, up to each day? One row
-- per account-day of the spine with the billing facts the financial signals read: overdue
-- invoices and the longest delay, failed charges in the window, a pending cancellation, and the
-- recurring revenue a trend window earlier. Rebuilt point-in-time from invoice, charge and
-- subscription dates.
{%- set trend = var('trend_window_days') %}
{#- Failed charges kept as a running total (count_failed_charges_to_date): the window's count is
    that total less the one trend_window_days days before (macro window_total). #}
{%- set reaches = {'count_failed_charges': [trend]} %}

-- A daily run reads only the days it rewrites (macro fact_days): the failed charges' running total
-- continues from this model's stored row of the day before (macro join_stored_day_before), the
-- window subtracts the stored total of the day it reaches back to, and the recurring revenue a
-- trend window earlier is read from int_account_billing_daily on that day. A full build reads
-- every day and carries nothing.
with days as (
    {{ fact_days() }}
),
{%- if is_incremental() %}

    -- The stored rows of the days the window reaches back to, before the first day read.
    stored_days as (
        {{ stored_days_before('(select min(read_days.date_day) from days as read_days)', reaches) }}
    ),
{%- endif %}

subscriptions as (
    select * from {{ ref('int_account_subscriptions') }}
),

account_invoices as (
    select * from {{ ref('int_account_invoices') }}
),

-- The days read (macro in_run_days) and the trend window before them, for the revenue then.
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
        coalesce({{ stored_before('count_failed_charges_to_date') }}, 0)
        + sum(coalesce(failed_charges.count_failed, 0)) over account_history as count_failed_charges_to_date,
        coalesce(cancellations.count_pending_cancellations, 0) > 0 as has_pending_cancellation,
        billing.mrr,
        -- The spine has every day of an account: the billing row a trend window back, if any.
        billing_ago.mrr as mrr_trend_window_ago
    from days
    left join overdue on days.account_id = overdue.account_id and days.date_day = overdue.date_day
    left join billing on days.account_id = billing.account_id and days.date_day = billing.date_day
    left join billing as billing_ago
        on days.account_id = billing_ago.account_id
            and billing_ago.date_day = days.date_day - {{ trend }}
    left join failed_charges
        on days.account_id = failed_charges.account_id
            and days.date_day = failed_charges.date_day
    left join cancellations
        on days.account_id = cancellations.account_id
            and days.date_day = cancellations.date_day
    {{- join_stored_day_before() }}
    window account_history as (partition by days.account_id order by days.date_day rows unbounded preceding)
),

-- The running total a trend window back (macro running_totals_back).
totals_back as (
    {{ running_totals_back('rolling', 'stored_days' if is_incremental() else none, reaches) }}
),

facts as (
    select
        rolling.account_id,
        rolling.date_day,
        rolling.count_overdue_invoices,
        rolling.max_days_late,
        {{ window_total('rolling', 'count_failed_charges', trend) }} as count_failed_charges_window,
        rolling.has_pending_cancellation,
        rolling.mrr,
        rolling.mrr_trend_window_ago,
        rolling.count_failed_charges_to_date
    from rolling
    inner join totals_back
        on rolling.account_id = totals_back.account_id
            and rolling.date_day = totals_back.date_day
),

-- Only the days the run rewrites are stored.
final as (
    {{ fact_rows_to_store('facts') }}
)

select * from final
