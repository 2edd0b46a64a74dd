-- How has each account used the product up to each day? One row per account-day of the spine
-- with rolling and cumulative usage, computed point-in-time (only days on or before date_day).
-- Incremental: a daily run rewrites every day from the first day with new activity (macro
-- rewrite_from_day). The rolling windows read the days before it that they span; the running
-- totals start from the stored row of the day before those. An account whose linked users or
-- customer dates changed is rebuilt on every day.
{%- set window = var('activity_window_days') %}
{%- set areas = var('feature_areas') %}
{%- set trend = var('trend_window_days') %}
{%- set areas_used_window = [] %}
{%- set areas_ever_used = [] %}
{%- for area in areas %}
    {%- do areas_used_window.append('cast(is_' ~ area ~ '_used_window as integer)') %}
    {%- do areas_ever_used.append('cast(is_' ~ area ~ '_ever_used as integer)') %}
{%- endfor %}
{#- The longest window reaches back this many days (the earlier trend window). #}
{%- set context_days = 2 * trend %}
{%- set plan = rebuild_plan() %}
{%- set rewrite_from = rewrite_from_day(plan) %}
{%- set rebuilt = rebuilds_accounts(plan, rewrite_from) %}
{#- Appended to the day filters below: nothing when no account is rebuilt (macro
    rebuilt_accounts_clause), so the day filter reaches the table scan. #}
{%- set and_not_rebuilt_stored = rebuilt_accounts_clause('and not', 'stored.account_id', rebuilt) %}
{%- set or_rebuilt_activity = rebuilt_accounts_clause('or', 'activity.account_id', rebuilt) %}
{%- set or_rebuilt_days = rebuilt_accounts_clause('or', 'days.account_id', rebuilt) %}
{%- set or_rebuilt_rolling = rebuilt_accounts_clause('or', 'rolling.account_id', rebuilt) %}

with days as (
    select * from {{ ref('int_account_days') }}
),

fingerprints as (
    select * from {{ ref('int_account_history_fingerprints') }}
),
{%- if rebuilt %}

    rebuilt_accounts as (
        {{ accounts_to_rebuild(plan) }}
    ),
{%- endif %}
{%- if rewrite_from is not none %}

    -- The stored running totals of the day before the context days.
    carried as (
        select stored.*
        from {{ this }} as stored
        where stored.date_day = {{ rewrite_from }} - {{ context_days + 1 }}{{ and_not_rebuilt_stored }}
    ),
{%- endif %}

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
        {{ greatest_ignore_nulls('activity.activity_on', 'accounts.customer_start_on') }} as date_day,
        sum(activity.count_events) as count_events,
        sum(activity.count_logins) as count_logins,
        {%- for area in areas %}
            sum(activity.count_{{ area }}_events) as count_{{ area }}_events,
        {%- endfor %}
        sum(activity.change_active_users_window) as change_active_users_window,
        max(activity.last_loaded_at) as last_loaded_at
    from activity
    inner join accounts on activity.account_id = accounts.account_id
    {%- if rewrite_from is not none %}
        -- Only what reaches the days read below (their day is the later of the two).
        where activity.activity_on >= {{ rewrite_from }} - {{ context_days }}
            or accounts.customer_start_on >= {{ rewrite_from }} - {{ context_days }}{{ or_rebuilt_activity }}
    {%- endif %}
    group by activity.account_id, {{ greatest_ignore_nulls('activity.activity_on', 'accounts.customer_start_on') }}
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
        coalesce(activity_from_start.change_active_users_window, 0) as change_active_users_window,
        activity_from_start.last_loaded_at
    from days
    left join activity_from_start
        on days.account_id = activity_from_start.account_id
            and days.date_day = activity_from_start.date_day
    {%- if rewrite_from is not none %}
        where days.date_day >= {{ rewrite_from }} - {{ context_days }}{{ or_rebuilt_days }}
    {%- endif %}
),

rolling as (
    select
        account_id,
        date_day,
        count_events,
        last_loaded_at,
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

-- On a daily run the running totals continue from the carried row (none for an account whose
-- days all lie in the context, or that is rebuilt). greatest_ignore_nulls skips a null side.
final as (
    select
        rolling.account_id,
        rolling.date_day,
        rolling.count_events,
        {%- if rewrite_from is not none %}
            coalesce(carried.count_active_users_window, 0) + rolling.count_active_users_window
                as count_active_users_window,
        {%- else %}
            rolling.count_active_users_window,
        {%- endif %}
        rolling.count_events_window,
        rolling.count_logins_window,
        rolling.count_events_trend_recent,
        rolling.count_events_trend_prior,
        rolling.count_days_trend_prior,
        {%- if rewrite_from is not none %}
            {{ greatest_ignore_nulls('carried.last_login_on', 'rolling.last_login_on') }} as last_login_on,
            {{ greatest_ignore_nulls('carried.last_event_on', 'rolling.last_event_on') }} as last_event_on,
        {%- else %}
            rolling.last_login_on,
            rolling.last_event_on,
        {%- endif %}
        {%- for area in areas %}
            rolling.is_{{ area }}_used_window,
            {%- if rewrite_from is not none %}
                coalesce(carried.is_{{ area }}_ever_used, false) or rolling.is_{{ area }}_ever_used
                    as is_{{ area }}_ever_used,
            {%- else %}
                rolling.is_{{ area }}_ever_used,
            {%- endif %}
        {%- endfor %}
        rolling.last_loaded_at,
        fingerprints.usage_fingerprint as account_fingerprint,
        {{ scoring_config_hash() }} as scoring_config_hash
    from rolling
    inner join fingerprints on rolling.account_id = fingerprints.account_id
    {%- if rewrite_from is not none %}
        left join carried on rolling.account_id = carried.account_id
        where rolling.date_day >= {{ rewrite_from }}{{ or_rebuilt_rolling }}
    {%- endif %}
)

select
    *,
    {{ areas_used_window | join(' + ') }} as count_feature_areas_window,
    {{ areas_ever_used | join(' + ') }} as count_feature_areas_ever
from final
