-- How has each account used the product up to each day? One row per account-day of the spine
-- with rolling and cumulative usage, computed point-in-time (only days on or before date_day).
-- Each row stores its running totals since the account's first day (count_*_to_date); a window
-- over the last N days is the running total less the one N days before (the spine has every
-- day, so N rows back is N days back). Incremental: a daily run rewrites every day from the
-- first day with new activity (macro rewrite_from_day): the running totals continue from the
-- stored row of the day before, and the windows subtract the stored totals of the days they
-- reach back to. An account whose users linked before that day or customer dates changed is
-- rebuilt on every day: users_hash_to_date adds up the activity's users_hash of each day (macro
-- accounts_with_changed_history compares it with the activity's).
{%- set window = var('activity_window_days') %}
{%- set areas = var('feature_areas') %}
{%- set trend = var('trend_window_days') %}
{%- set areas_used_window = [] %}
{%- set areas_ever_used = [] %}
{%- for area in areas %}
    {%- do areas_used_window.append('cast(final.is_' ~ area ~ '_used_window as integer)') %}
    {%- do areas_ever_used.append('cast(final.is_' ~ area ~ '_ever_used as integer)') %}
{%- endfor %}
{#- The measures kept as running totals (count_<measure>_to_date). #}
{%- set measures = ['events', 'logins'] %}
{%- for area in areas %}{% do measures.append(area ~ '_events') %}{% endfor %}
{#- The days back each running total is read (macro running_totals_back). #}
{%- set reaches = {'count_days': [trend, 2 * trend], 'count_events': [window, trend, 2 * trend]} %}
{%- for measure in measures if measure != 'events' %}{% do reaches.update({'count_' ~ measure: [window]}) %}{% endfor %}
{%- set plan = rebuild_plan() %}
{%- set rewrite_from = rewrite_from_day(plan) %}
{%- set rebuilt = rebuilds_accounts(plan, rewrite_from) %}
{#- Appended to the day filters below: nothing when no account is rebuilt (macro
    rebuilt_accounts_clause), so the day filter reaches the table scan. #}
{%- set and_not_rebuilt_stored = rebuilt_accounts_clause('and not', 'stored.account_id', rebuilt) %}
{%- set or_rebuilt_activity = rebuilt_accounts_clause('or', 'activity.account_id', rebuilt) %}
{%- set or_rebuilt_days = rebuilt_accounts_clause('or', 'days.account_id', rebuilt) %}
{%- set or_rebuilt_totals = rebuilt_accounts_clause('or', 'totals.account_id', rebuilt) %}

with days as (
    select * from {{ ref('int_account_days') }}
),

fingerprints as (
    select * from {{ ref('int_account_history_fingerprints') }}
),
{%- if rebuilt %}

    rebuilt_accounts as (
        {{ accounts_to_rebuild(plan, rewrite_from) }}
    ),
{%- endif %}
{%- if rewrite_from is not none %}

    -- The stored rows of the days the windows reach back to; the last of them carries the
    -- running totals into the rewritten days.
    stored_days as (
        {{ stored_days_before(rewrite_from, reaches, and_not_rebuilt_stored) }}
    ),

    carried as (
        select * from stored_days
        where date_day = {{ rewrite_from }} - 1
    ),
{%- endif %}

accounts as (
    select * from {{ ref('int_accounts') }}
),

activity as (
    select * from {{ ref('int_account_daily_activity') }}
),

-- Activity before the customer start counts from the first day (e.g. users set up in a trial):
-- an activity row's day is the later of its own and the customer start.
{%- set activity_day = greatest_ignore_nulls('activity.activity_on', 'accounts.customer_start_on') %}
activity_from_start as (
    select
        activity.account_id,
        {{ activity_day }} as date_day,
        sum(activity.count_events) as count_events,
        sum(activity.count_logins) as count_logins,
        {%- for area in areas %}
            sum(activity.count_{{ area }}_events) as count_{{ area }}_events,
        {%- endfor %}
        sum(activity.change_active_users_window) as change_active_users_window,
        max(activity.last_loaded_at) as last_loaded_at,
        sum(activity.first_active_users_hash) as first_active_users_hash
    from activity
    inner join accounts on activity.account_id = accounts.account_id
    {%- if rewrite_from is not none %}
        -- Only what reaches the rewritten days.
        where {{ activity_day }} >= {{ rewrite_from }}{{ or_rebuilt_activity }}
    {%- endif %}
    group by activity.account_id, {{ activity_day }}
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
        activity_from_start.last_loaded_at,
        coalesce(activity_from_start.first_active_users_hash, 0) as first_active_users_hash
    from days
    left join activity_from_start
        on days.account_id = activity_from_start.account_id
            and days.date_day = activity_from_start.date_day
    {%- if rewrite_from is not none %}
        where days.date_day >= {{ rewrite_from }}{{ or_rebuilt_days }}
    {%- endif %}
),

-- The running totals of the computed days, continued on a daily run from the carried row (none
-- for an account whose first day is rewritten, or that is rebuilt). greatest_ignore_nulls skips
-- a null side.
running as (
    select
        daily.account_id,
        daily.date_day,
        daily.count_events,
        daily.last_loaded_at,
        {%- if rewrite_from is not none %}
            coalesce(carried.count_days_to_date, 0) + count(*) over account_history as count_days_to_date,
            {%- for measure in measures %}
                coalesce(carried.count_{{ measure }}_to_date, 0) + sum(daily.count_{{ measure }}) over account_history
                    as count_{{ measure }}_to_date,
            {%- endfor %}
            coalesce(carried.count_active_users_window, 0) + sum(daily.change_active_users_window) over account_history
                as count_active_users_window,
            cast(
                coalesce(carried.users_hash_to_date, 0) + sum(daily.first_active_users_hash) over account_history
                as bigint
            ) as users_hash_to_date,
            {{ greatest_ignore_nulls(
                'carried.last_login_on',
                'max(case when daily.count_logins > 0 then daily.date_day end) over account_history'
            ) }} as last_login_on,
            {{ greatest_ignore_nulls(
                'carried.last_event_on',
                'max(case when daily.count_events > 0 then daily.date_day end) over account_history'
            ) }} as last_event_on
        {%- else %}
            count(*) over account_history as count_days_to_date,
            {%- for measure in measures %}
                sum(daily.count_{{ measure }}) over account_history as count_{{ measure }}_to_date,
            {%- endfor %}
            sum(daily.change_active_users_window) over account_history as count_active_users_window,
            cast(sum(daily.first_active_users_hash) over account_history as bigint) as users_hash_to_date,
            max(case when daily.count_logins > 0 then daily.date_day end) over account_history as last_login_on,
            max(case when daily.count_events > 0 then daily.date_day end) over account_history as last_event_on
        {%- endif %}
    from daily
    {%- if rewrite_from is not none %}
    left join carried on daily.account_id = carried.account_id
    {%- endif %}
    window account_history as (
        partition by daily.account_id order by daily.date_day rows unbounded preceding
    )
),

-- Each running total the days back its windows reach (macro running_totals_back).
totals_back as (
    {{ running_totals_back('running', 'stored_days' if rewrite_from is not none else none, reaches) }}
),

final as (
    select
        running.account_id,
        running.date_day,
        running.count_events,
        running.count_active_users_window,
        {{ window_total('running', 'count_events', window) }} as count_events_window,
        {{ window_total('running', 'count_logins', window) }} as count_logins_window,
        {{ window_total('running', 'count_events', trend) }} as count_events_trend_recent,
        -- The trend window before the recent one: none while it holds no day yet (as a sum over
        -- no rows).
        case
            when totals_back.count_days_{{ trend }}_back is not null
                then totals_back.count_events_{{ trend }}_back
                    - coalesce(totals_back.count_events_{{ 2 * trend }}_back, 0)
        end as count_events_trend_prior,
        coalesce(totals_back.count_days_{{ trend }}_back, 0) - coalesce(totals_back.count_days_{{ 2 * trend }}_back, 0)
            as count_days_trend_prior,
        running.last_login_on,
        running.last_event_on,
        {%- for area in areas %}
            {{ window_total('running', 'count_' ~ area ~ '_events', window) }} > 0 as is_{{ area }}_used_window,
            running.count_{{ area }}_events_to_date > 0 as is_{{ area }}_ever_used,
        {%- endfor %}
        running.last_loaded_at,
        fingerprints.usage_fingerprint as account_fingerprint,
        {{ scoring_config_hash() }} as scoring_config_hash,
        {%- for measure in measures %}
            running.count_{{ measure }}_to_date,
        {%- endfor %}
        running.count_days_to_date,
        running.users_hash_to_date
    from running
    inner join totals_back
        on running.account_id = totals_back.account_id
            and running.date_day = totals_back.date_day
    inner join fingerprints on running.account_id = fingerprints.account_id
)

-- The running totals last, after the columns the table had before it stored them.
select
    final.account_id,
    final.date_day,
    final.count_events,
    final.count_active_users_window,
    final.count_events_window,
    final.count_logins_window,
    final.count_events_trend_recent,
    final.count_events_trend_prior,
    final.count_days_trend_prior,
    final.last_login_on,
    final.last_event_on,
    {%- for area in areas %}
        final.is_{{ area }}_used_window,
        final.is_{{ area }}_ever_used,
    {%- endfor %}
    final.last_loaded_at,
    final.account_fingerprint,
    final.scoring_config_hash,
    {{ areas_used_window | join(' + ') }} as count_feature_areas_window,
    {{ areas_ever_used | join(' + ') }} as count_feature_areas_ever,
    {%- for measure in measures %}
        final.count_{{ measure }}_to_date,
    {%- endfor %}
    final.count_days_to_date,
    final.users_hash_to_date
from final
