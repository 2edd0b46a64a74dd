-- What drives each account's score today, and what moved it over the last var driver_change_days
-- days? One row per account, for its latest day: the drivers (the signals taking and adding the
-- most points, macro signal_driver_labels) and the signals whose points changed most against the
-- same signal var driver_change_days days before. Both are computed for the latest day only,
-- where they are read (dim_account_health, the what-if), from one set of contributions.
-- A daily run computes the accounts whose latest day, or the day compared with it, is among the
-- days it rewrites (macro in_run_days): a customer that left before them keeps its stored row,
-- which nothing has changed. A change of weights or of the drivers' vars rewrites every account
-- (int_scoring_config.driver_config_hash).
{%- set top_n = var('drivers_top_n') %}
{%- set change_days = var('driver_change_days') %}

-- The accounts' latest days: on a daily run those whose compared day (change_days earlier) falls
-- after the first rewritten day less change_days, i.e. the latest day or the one compared with
-- it is rewritten (with a backfill: the latest day lies in its range or change_days after it).
with latest_days as (
    select
        account_id,
        date_day as latest_on
    from {{ ref('int_account_days') }}
    where is_latest_day
        and {{ in_run_days('date_day - ' ~ change_days, context_days=change_days) }}
),

-- The latest day of each account and the day var driver_change_days before it, as two rows, so
-- each table below is read once for both.
compared_days as (
    select
        account_id,
        latest_on,
        latest_on as compared_on,
        true as is_latest
    from latest_days
    union all
    select
        account_id,
        latest_on,
        latest_on - {{ change_days }} as compared_on,
        false as is_latest
    from latest_days
),

-- The compared account-days' stored signal scores (every signal's value and score, one wide
-- row) and health daily rows, read before anything is joined: the contributions (macro
-- signal_contributions, the query of view int_account_signal_contributions) are then computed for
-- those days only, not for every day. The first compared day bounds the scans, so a daily run
-- skips the stored days before it.
signal_score_days as (
    select * from {{ ref('int_account_signal_scores') }} as signal_rows
    where date_day >= (select min(first_days.compared_on) from compared_days as first_days)
        and exists (
            select 1
            from compared_days
            where compared_days.account_id = signal_rows.account_id
                and compared_days.compared_on = signal_rows.date_day
        )
),

health_days as (
    select * from {{ ref('int_account_health_daily') }} as health
    where date_day >= (select min(first_days.compared_on) from compared_days as first_days)
        and exists (
            select 1
            from compared_days
            where compared_days.account_id = health.account_id
                and compared_days.compared_on = health.date_day
        )
),

weights as (
    select * from {{ ref('int_health_weights') }}
),

signal_days as (
    {{ long_signal_scores('signal_score_days', stored=true) }}
),

contributions as (
    {{ signal_contributions('signal_days', 'health_days', 'weights') }}
),

compared as (
    select
        contributions.account_id,
        compared_days.latest_on as date_day,
        compared_days.is_latest,
        contributions.signal_name,
        contributions.signal_value,
        contributions.points
    from contributions
    inner join compared_days
        on contributions.account_id = compared_days.account_id
            and contributions.date_day = compared_days.compared_on
    where not contributions.is_missing
),

latest as (
    select * from compared
    where is_latest
),

-- The latest day's drivers.
drivers as (
    {{ signal_driver_labels('latest') }}
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

moved as (
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
),

final as (
    select
        moved.account_id,
        moved.date_day,
        drivers.drivers_down,
        drivers.drivers_up,
        moved.drivers_moved,
        {{ scoring_config_hash() }} as scoring_config_hash
    from moved
    left join drivers
        on moved.account_id = drivers.account_id
            and moved.date_day = drivers.date_day
)

select * from final
