-- What moved each account's score over the last var driver_change_days days? One row per
-- account, for its latest day: the signals whose points changed most against the same signal
-- var driver_change_days days before (computed for the latest day only, where it is read).
{%- set top_n = var('drivers_top_n') %}

-- The latest day of each account and the day var driver_change_days before it, as two rows, so
-- the contributions (about 32 rows per account-day) are scanned once for both.
with compared_days as (
    select
        account_id,
        date_day as latest_on,
        date_day as compared_on,
        true as is_latest
    from {{ ref('int_account_days') }}
    where is_latest_day
    union all
    select
        account_id,
        date_day as latest_on,
        date_day - {{ var('driver_change_days') }} as compared_on,
        false as is_latest
    from {{ ref('int_account_days') }}
    where is_latest_day
),

compared as (
    select
        contributions.account_id,
        compared_days.latest_on as date_day,
        compared_days.is_latest,
        contributions.signal_name,
        contributions.points
    from {{ ref('int_account_signal_contributions') }} as contributions
    inner join compared_days
        on contributions.account_id = compared_days.account_id
            and contributions.date_day = compared_days.compared_on
    where not contributions.is_missing
),

latest as (
    select * from compared
    where is_latest
),

earlier as (
    select * from compared
    where not is_latest
),

signal_orders as (
    {{ signal_orders() }}
),

changes as (
    select
        latest.account_id,
        latest.date_day,
        latest.signal_name,
        latest.points - coalesce(earlier.points, 0) as points_change,
        -- Equal changes are told apart by signal name (macro signal_orders).
        abs(latest.points - coalesce(earlier.points, 0)) + signal_orders.tie_nudge as rank_key
    from latest
    inner join signal_orders on latest.signal_name = signal_orders.signal_name
    left join earlier
        on latest.account_id = earlier.account_id
            and latest.signal_name = earlier.signal_name
),

final as (
    select
        account_id,
        date_day,
        {{ top_labels(
            "signal_name || ' ' || case when points_change >= 0 then '+' else '' end || "
            ~ double_text(round_half_away('points_change', 1)),
            'rank_key', top_n, 'abs(points_change) >= 0.05', descending=true
        ) }} as drivers_moved
    from changes
    group by account_id, date_day
)

select * from final
