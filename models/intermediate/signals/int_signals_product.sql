-- How much, how broadly and how steadily does each account use the product? One row per
-- account-day per product signal with its value and 0-100 scores (macro score_signals).
with usage as (
    select * from {{ ref('int_account_usage_daily') }}
    where {{ in_run_days('date_day') }}
        and {{ in_day_batch('date_day') }}
),

-- Only the days this run scores (macro in_run_days), as `usage`: a join drops the other days
-- anyway, after reading every stored account-day of a daily run.
days as (
    select * from {{ ref('int_account_days') }}
    where {{ in_run_days('date_day') }}
        and {{ in_day_batch('date_day') }}
),

accounts as (
    select * from {{ ref('int_accounts') }}
),

billing as (
    select * from {{ ref('int_account_billing_daily') }}
    where {{ in_run_days('date_day') }}
        and {{ in_day_batch('date_day') }}
),

measures as (
    select
        usage.account_id,
        usage.date_day,
        {{ dbt.datediff('coalesce(usage.last_login_on, accounts.customer_start_on)', 'usage.date_day', 'day') }}
            as days_since_last_login,
        cast(usage.count_active_users_window as {{ type_double() }}) / nullif(billing.count_seats, 0)
            as active_users_per_seat,
        case when usage.count_active_users_window > 0
                then cast(usage.count_events_window as {{ type_double() }}) / usage.count_active_users_window
            else 0
        end as events_per_active_user,
        case
            when days.days_since_start >= 2 * {{ var('trend_window_days') }}
                and usage.count_events_trend_prior > 0
                then cast(usage.count_events_trend_recent as {{ type_double() }}) / usage.count_events_trend_prior
        end as usage_trend,
        case
            when days.days_since_start < 2 * {{ var('trend_window_days') }} then 'history_too_short'
            else 'no_earlier_activity'
        end as usage_trend_missing_reason,
        usage.count_feature_areas_window as feature_breadth,
        {{ var('feature_areas') | length }} - usage.count_feature_areas_ever as feature_areas_never_used,
        case when coalesce(billing.count_seats, 0) = 0 then 'no_paid_seats' end as seats_missing_reason
    from usage
    inner join days on usage.account_id = days.account_id and usage.date_day = days.date_day
    inner join accounts on usage.account_id = accounts.account_id
    inner join billing on usage.account_id = billing.account_id and usage.date_day = billing.date_day
),

final as (
    {{ score_signals('measures', {
        'days_since_last_login': none,
        'active_users_per_seat': 'seats_missing_reason',
        'events_per_active_user': none,
        'usage_trend': 'usage_trend_missing_reason',
        'feature_breadth': none,
        'feature_areas_never_used': none,
    }, 'product') }}
)

select * from final
