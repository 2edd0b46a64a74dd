-- Does each account pay, on time, and is its revenue growing or at risk? One wide row per
-- account-day with the financial signals' values and scores (macro score_signals), a same-day
-- step from the billing and deal facts of the day (int_account_payments_daily,
-- int_account_deals_daily).
with payments as (
    select * from {{ ref('int_account_payments_daily') }}
    where {{ in_run_days('date_day') }}
        and {{ in_day_batch('date_day') }}
),

-- Only the days this run scores (macro in_run_days), as `payments`.
deals as (
    select * from {{ ref('int_account_deals_daily') }}
    where {{ in_run_days('date_day') }}
        and {{ in_day_batch('date_day') }}
),

measures as (
    select
        payments.account_id,
        payments.date_day,
        payments.count_overdue_invoices as overdue_invoices,
        payments.max_days_late,
        payments.count_failed_charges_window as failed_charges,
        case when payments.has_pending_cancellation then 1 else 0 end as subscription_canceled,
        (payments.mrr - payments.mrr_trend_window_ago) / nullif(payments.mrr_trend_window_ago, 0) as mrr_change,
        case when payments.mrr_trend_window_ago is null then 'history_too_short' else 'no_earlier_revenue' end
            as mrr_missing_reason,
        deals.count_upsells_won_window as upsell_won,
        deals.renewal_outcome_window as renewal_won,
        'no_recent_renewal' as renewal_missing_reason
    from payments
    inner join deals on payments.account_id = deals.account_id and payments.date_day = deals.date_day
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
