-- How active was each account on each day? One row per account-day with any product event or a
-- change in its rolling active users, from the user-days of int_product_user_days (events are
-- aggregated there once) linked to accounts through int_account_identity. Incremental: a daily
-- run rewrites every day from the first day with new data (macro rewrite_from_day), reading two
-- activity windows of earlier days so the active-user spans that reach into it are whole, and
-- rebuilds every day of an account whose users linked before that day changed (each row adds up
-- the users first active on its day: macro accounts_with_changed_history).
{%- set areas = var('feature_areas') %}
{%- set window = var('activity_window_days') %}
{%- set plan = rebuild_plan() %}
{#- The user's hash on its first active day (macro accounts_with_changed_history), else null. #}
{%- set first_active_user_hash -%}
    case when identity.first_active_on = user_days.date_day then identity.user_hash end as first_active_user_hash
{%- endset %}
{%- set rewrite_from = rewrite_from_day(plan) %}
{%- set rebuilt = rebuilds_accounts(plan, rewrite_from) %}
{#- Appended to the day filters below: nothing when no account is rebuilt (macro
    rebuilt_accounts_clause), so the day filter reaches the table scan. #}
{%- set or_rebuilt = rebuilt_accounts_clause('or', 'account_id', rebuilt) %}
{%- set and_rebuilt_identity = rebuilt_accounts_clause('and', 'identity.account_id', rebuilt) %}
{%- set or_rebuilt_user = rebuilt_accounts_clause(
    'or', 'user_email_hash', rebuilt, through={'select': 'identity.system_key', 'cte': 'identity'}
) %}

-- Both imports are read more than once: see inlined_cte.
with user_days as {{ inlined_cte() }}(
    select * from {{ ref('int_product_user_days') }}
),

identity as {{ inlined_cte() }}(
    select * from {{ ref('int_account_identity') }}
    where system = 'product_user' and is_linked
),
{%- if rebuilt %}

    rebuilt_accounts as (
        {{ accounts_to_rebuild(plan, rewrite_from) }}
    ),
{%- endif %}

-- A user is linked to one account at most (int_account_identity's grain), so each row is one
-- account, user and day; on the user's first active day it carries the user's hash. On a daily
-- run that rebuilds accounts, their earlier days are a second branch: one filter
-- `day >= X or account in (rebuilt)` would join every stored user-day to identity before
-- filtering (4.5 against 2.2 s at 20,000 accounts).
account_user_days as (
    select
        identity.account_id,
        {{ first_active_user_hash }},
        user_days.*
    from user_days
    inner join identity on user_days.user_email_hash = identity.system_key
    {%- if rewrite_from is not none %}
        where user_days.date_day >= {{ rewrite_from }} - {{ 2 * window }}
    {%- endif %}
    {%- if rebuilt %}
        union all
        select
            identity.account_id,
            {{ first_active_user_hash }},
            user_days.*
        from user_days
        inner join identity on user_days.user_email_hash = identity.system_key
        where user_days.date_day < {{ rewrite_from }} - {{ 2 * window }}{{ and_rebuilt_identity }}
    {%- endif %}
),

daily_events as (
    select
        account_id,
        date_day as activity_on,
        cast(sum(count_events) as bigint) as count_events,
        cast(sum(count_logins) as bigint) as count_logins,
        count(*) as count_active_users,
        {%- for area in areas %}
            cast(sum(count_{{ area }}_events) as bigint) as count_{{ area }}_events,
        {%- endfor %}
        {%- for event_name in var('milestone_events') %}
            cast(sum(count_{{ event_name }}) as bigint) as count_{{ event_name }},
        {%- endfor %}
        {%- for area in areas %}
            case when sum(count_{{ area }}_events) > 0 then 1 else 0 end{{ ' +' if not loop.last }}
        {%- endfor %} as count_feature_areas,
        max(last_loaded_at) as last_loaded_at,
        cast(sum(first_active_user_hash) as bigint) as first_active_users_hash
    from account_user_days
    group by account_id, date_day
),

-- Rolling distinct active users without a per-day distinct count over a window: each active
-- user-day covers the window that follows it; overlapping covers of a user merge into spans, and
-- a span adds one active user from its first day and removes it the day after its last. One
-- window pass per user finds both: a day starts a span when the user's day before it lies more
-- than a window back (or there is none), and ends one when the user's next day lies more than a
-- window ahead (or there is none). Spans are found per user and given the user's account at the
-- end. (A CTE of the linked user-days read here and by daily_events would be stored whole before
-- either reads it, 93 million rows of 17 columns at 100,000 accounts; and two window passes, one
-- to number the spans and one to bound them, each sorted all user-days.)
user_span_edges as (
    select
        user_email_hash,
        date_day as activity_on,
        coalesce(
            lag(date_day) over user_order < date_day - {{ window }}, true
        ) as starts_span,
        coalesce(
            lead(date_day) over user_order > date_day + {{ window }}, true
        ) as ends_span
    from user_days
    {%- if rewrite_from is not none %}
        where date_day >= {{ rewrite_from }} - {{ 2 * window }}{{ or_rebuilt_user }}
    {%- endif %}
    window user_order as (partition by user_email_hash order by date_day)
),

-- Each span edge as a change of active users: +1 on a span's first day, -1 a window after its
-- last. (The edges are read once, through this two-row list of the changes, so they are not
-- stored.)
edge_changes as (
    select 1 as change
    union all
    select -1 as change
),

user_changes as (
    select
        user_span_edges.user_email_hash,
        edge.change,
        case
            when edge.change = 1 then user_span_edges.activity_on
            else user_span_edges.activity_on + {{ window }}
        end as activity_on
    from user_span_edges
    cross join edge_changes as edge
    where (edge.change = 1 and user_span_edges.starts_span)
        or (edge.change = -1 and user_span_edges.ends_span)
),

active_user_changes as (
    select
        identity.account_id,
        user_changes.activity_on,
        sum(user_changes.change) as change_active_users_window
    from user_changes
    inner join identity on user_changes.user_email_hash = identity.system_key
    group by identity.account_id, user_changes.activity_on
),

final as (
    select
        coalesce(daily_events.account_id, active_user_changes.account_id) as account_id,
        coalesce(daily_events.activity_on, active_user_changes.activity_on) as activity_on,
        coalesce(daily_events.count_events, 0) as count_events,
        coalesce(daily_events.count_logins, 0) as count_logins,
        coalesce(daily_events.count_active_users, 0) as count_active_users,
        {%- for area in areas %}
            coalesce(daily_events.count_{{ area }}_events, 0) as count_{{ area }}_events,
        {%- endfor %}
        {%- for event_name in var('milestone_events') %}
            coalesce(daily_events.count_{{ event_name }}, 0) as count_{{ event_name }},
        {%- endfor %}
        coalesce(daily_events.count_feature_areas, 0) as count_feature_areas,
        coalesce(active_user_changes.change_active_users_window, 0) as change_active_users_window,
        daily_events.last_loaded_at,
        coalesce(daily_events.first_active_users_hash, 0) as first_active_users_hash,
        {{ scoring_config_hash() }} as scoring_config_hash
    from daily_events
    full outer join active_user_changes
        on daily_events.account_id = active_user_changes.account_id
            and daily_events.activity_on = active_user_changes.activity_on
)

-- On a daily run the context days only complete the spans: a span that starts in them, or a
-- user whose earlier days lie before them, is cut short there, never from the rewrite day on.
select * from final
{%- if rewrite_from is not none %}
    where activity_on >= {{ rewrite_from }}{{ or_rebuilt }}
{%- endif %}
