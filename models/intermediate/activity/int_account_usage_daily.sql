-- How has each account used the product up to each day? One row per account-day of the spine
-- with rolling and cumulative usage, computed point-in-time (only days on or before date_day).
{%- set window = var('activity_window_days') %}
{%- set areas = var('feature_areas') %}
{%- set trend = var('trend_window_days') %}
{%- set areas_used_window = [] %}
{%- set areas_ever_used = [] %}
{%- for area in areas %}
    {%- do areas_used_window.append('cast(is_' ~ area ~ '_used_window as integer)') %}
    {%- do areas_ever_used.append('cast(is_' ~ area ~ '_ever_used as integer)') %}
{%- endfor %}

with days as (
    select * from {{ ref('int_account_days') }}
),

accounts as (
    select * from {{ ref('int_accounts') }}
),

activity as (
    select * from {{ ref('int_account_daily_activity') }}
),

-- Activity before the customer start counts from the first day (e.g. users set up in a trial).
activity_from_start as (
    select
        activity.account_id,
        greatest(activity.activity_on, accounts.customer_start_on) as date_day,
        sum(activity.count_events) as count_events,
        sum(activity.count_logins) as count_logins,
        {%- for area in areas %}
            sum(activity.count_{{ area }}_events) as count_{{ area }}_events,
        {%- endfor %}
        sum(activity.change_active_users_window) as change_active_users_window
    from activity
    inner join accounts on activity.account_id = accounts.account_id
    group by activity.account_id, greatest(activity.activity_on, accounts.customer_start_on)
),

daily as (
    select
        days.account_id,
        days.date_day,
        coalesce(activity_from_start.count_events, 0) as count_events,
        coalesce(activity_from_start.count_logins, 0) as count_logins,
        {%- for area in areas %}
            coalesce(activity_from_start.count_{{ area }}_events, 0) as count_{{ area }}_events,
        {%- endfor %}
        coalesce(activity_from_start.change_active_users_window, 0) as change_active_users_window
    from days
    left join activity_from_start
        on days.account_id = activity_from_start.account_id
            and days.date_day = activity_from_start.date_day
),

rolling as (
    select
        account_id,
        date_day,
        count_events,
        sum(change_active_users_window) over account_history as count_active_users_window,
        sum(count_events) over last_window as count_events_window,
        sum(count_logins) over last_window as count_logins_window,
        sum(count_events) over trend_recent as count_events_trend_recent,
        sum(count_events) over trend_prior as count_events_trend_prior,
        count(*) over trend_prior as count_days_trend_prior,
        {%- for area in areas %}
            sum(count_{{ area }}_events) over last_window > 0 as is_{{ area }}_used_window,
            sum(count_{{ area }}_events) over account_history > 0 as is_{{ area }}_ever_used,
        {%- endfor %}
        max(case when count_logins > 0 then date_day end) over account_history as last_login_on,
        max(case when count_events > 0 then date_day end) over account_history as last_event_on
    from daily
    window
        account_history as (partition by account_id order by date_day rows unbounded preceding),
        last_window as (partition by account_id order by date_day rows {{ window - 1 }} preceding),
        trend_recent as (partition by account_id order by date_day rows {{ trend - 1 }} preceding),
        trend_prior as (
            partition by account_id
            order by date_day rows between {{ 2 * trend - 1 }} preceding and {{ trend }} preceding
        )
),

final as (
    select
        account_id,
        date_day,
        count_events,
        count_active_users_window,
        count_events_window,
        count_logins_window,
        count_events_trend_recent,
        count_events_trend_prior,
        count_days_trend_prior,
        last_login_on,
        last_event_on,
        {%- for area in areas %}
            is_{{ area }}_used_window,
            is_{{ area }}_ever_used,
        {%- endfor %}
        {{ areas_used_window | join(' + ') }} as count_feature_areas_window,
        {{ areas_ever_used | join(' + ') }} as count_feature_areas_ever
    from rolling
)

select * from final
