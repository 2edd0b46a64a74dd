-- Does each account pay, on time, and is its revenue growing or at risk? One row per
-- account-day per financial signal, rebuilt point-in-time from invoice, charge, subscription
-- and opportunity dates.
{%- set trend = var('trend_window_days') %}
{%- set deal_window = var('deal_lookback_days') %}

-- A daily run computes the windows over the days it rewrites plus the longest window before them
-- (macro in_run_days). Nothing needs carrying in: a renewal counts only within the deal window.
with days as (
    select * from {{ ref('int_account_days') }}
    where {{ in_run_days('date_day', context_days=[trend, deal_window] | max) }}
),

subscriptions as (
    select * from {{ ref('int_account_subscriptions') }}
),

account_invoices as (
    select * from {{ ref('int_account_invoices') }}
),

billing as (
    select * from {{ ref('int_account_billing_daily') }}
),

charges as (
    select * from {{ ref('stg_billing__charge') }}
),

opportunities as (
    select * from {{ ref('stg_crm__opportunity') }}
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

deals as (
    select
        account_id,
        close_on as date_day,
        sum(case when opportunity_type = 'Upsell' and is_won then 1 else 0 end) as count_upsells_won,
        max(case when opportunity_type = 'Renewal' and is_closed then cast(is_won as integer) end)
            as renewal_outcome
    from opportunities
    where is_closed
    group by account_id, close_on
),

rolling as (
    select
        days.account_id,
        days.date_day,
        coalesce(overdue.count_overdue, 0) as overdue_invoices,
        coalesce(overdue.max_days_late, 0) as max_days_late,
        sum(coalesce(failed_charges.count_failed, 0)) over trend_window as failed_charges,
        case when coalesce(cancellations.count_pending_cancellations, 0) > 0 then 1 else 0 end
            as subscription_canceled,
        billing.mrr as mrr_now,
        lag(billing.mrr, {{ trend }}) over account_history as mrr_before,
        sum(coalesce(deals.count_upsells_won, 0)) over deal_window as upsell_won,
        last_value(deals.renewal_outcome ignore nulls) over account_history as latest_renewal_outcome,
        max(case when deals.renewal_outcome is not null then days.date_day end) over account_history
            as latest_renewal_closed_on
    from days
    left join overdue on days.account_id = overdue.account_id and days.date_day = overdue.date_day
    left join billing on days.account_id = billing.account_id and days.date_day = billing.date_day
    left join failed_charges
        on days.account_id = failed_charges.account_id
            and days.date_day = failed_charges.date_day
    left join cancellations
        on days.account_id = cancellations.account_id
            and days.date_day = cancellations.date_day
    left join deals on days.account_id = deals.account_id and days.date_day = deals.date_day
    window
        account_history as (partition by days.account_id order by days.date_day rows unbounded preceding),
        trend_window as (partition by days.account_id order by days.date_day rows {{ trend - 1 }} preceding),
        deal_window as (partition by days.account_id order by days.date_day rows {{ deal_window - 1 }} preceding)
),

measures as (
    select
        account_id,
        date_day,
        overdue_invoices,
        max_days_late,
        failed_charges,
        subscription_canceled,
        (mrr_now - mrr_before) / nullif(mrr_before, 0) as mrr_change,
        case when mrr_before is null then 'history_too_short' else 'no_earlier_revenue' end
            as mrr_missing_reason,
        upsell_won,
        case
            when latest_renewal_closed_on > date_day - {{ deal_window }} then latest_renewal_outcome
        end as renewal_won,
        'no_recent_renewal' as renewal_missing_reason
    from rolling
),

final as (
    {{ score_signals('measures', {
        'overdue_invoices': none,
        'max_days_late': none,
        'failed_charges': none,
        'subscription_canceled': none,
        'mrr_change': 'mrr_missing_reason',
        'upsell_won': none,
        'renewal_won': 'renewal_missing_reason',
    }, 'financial') }}
)

select * from final
