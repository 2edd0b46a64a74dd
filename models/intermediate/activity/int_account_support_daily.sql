-- How much support does each account need and how is it served, up to each day? One row per
-- account-day of the spine with the support facts the service signals read: tickets opened in
-- the window, open and urgent open tickets, ticket ratings, the median resolution time and the
-- CSAT answers of two windows. Ticket state on a day is rebuilt from created_at and solved_at,
-- so history is point-in-time.
{%- set window = var('activity_window_days') %}
{%- set trend = var('trend_window_days') %}
{%- set survey_window = var('survey_window_days') %}
{%- set csat_lookback = var('csat_lookback_days') %}
{#- The measures kept as running totals (<measure>_to_date), with the days each window reaches
    back: a window's sum is the running total less the one that many days before (the spine has
    every day, so N rows back is N days back). The earlier CSAT window ends csat_lookback_days
    before the day. #}
{%- set windowed = {
    'count_opened': [window], 'count_good_ratings': [trend], 'count_bad_ratings': [trend],
    'count_csat': [survey_window, csat_lookback, survey_window + csat_lookback],
    'sum_csat': [survey_window, csat_lookback, survey_window + csat_lookback],
} %}

with all_days as (
    select * from {{ ref('int_account_days') }}
),

-- A daily run reads only the days it rewrites (macro fact_days): the open-ticket counts, the
-- median resolution time and the running totals continue from this model's stored row of the day
-- before (macro join_stored_day_before), and the windows subtract the stored totals of the days
-- they reach back to. A full build reads every day and carries nothing.
days as (
    {{ fact_days() }}
),
{%- if is_incremental() %}

    -- The stored rows of the days the windows reach back to, before the first day read.
    stored_days as (
        {{ stored_days_before('(select min(read_days.date_day) from days as read_days)', windowed) }}
    ),
{%- endif %}

tickets as (
    select * from {{ ref('stg_support__ticket') }}
),

identity as (
    select * from {{ ref('int_account_identity') }}
    where system = 'support_ticket' and is_linked
),

surveys as (
    select * from {{ ref('int_account_daily_surveys') }}
    where survey_type = 'csat'
),

-- The first scored day of each account: the customer start, or the first day with product data.
first_days as (
    select
        account_id,
        min(date_day) as first_day_on
    from all_days
    group by account_id
),

account_tickets as (
    select
        identity.account_id,
        tickets.ticket_id,
        {{ greatest_ignore_nulls('cast(tickets.created_at as date)', 'first_days.first_day_on') }} as opened_on,
        -- A ticket opened or solved before the first scored day counts from that day, and none is
        -- solved before it was opened, so open counts never go below zero. An unsolved ticket
        -- stays unsolved.
        case
            when tickets.solved_at is not null
                then {{ greatest_ignore_nulls(
                    'cast(tickets.solved_at as date)', 'cast(tickets.created_at as date)', 'first_days.first_day_on'
                ) }}
        end as solved_on,
        tickets.priority in ({{ sql_values(var('urgent_ticket_priorities')) }}) as is_urgent,
        tickets.satisfaction_rating,
        -- A double on every engine (Postgres would divide into an exact numeric, whose median ties
        -- differently in the peer ranking).
        cast({{ dbt.datediff('tickets.created_at', 'tickets.solved_at', 'hour') }} as {{ type_double() }}) / 24  -- noqa: LT05
            as days_to_resolve
    from tickets
    inner join identity on cast(tickets.ticket_id as {{ type_text() }}) = identity.system_key
    inner join first_days on identity.account_id = first_days.account_id
),

-- Changes per account-day: tickets opened, closed, and ratings given (dated by the solve).
ticket_changes as (
    select
        account_id,
        opened_on as date_day,
        1 as count_opened,
        1 as change_open,
        case when is_urgent then 1 else 0 end as change_urgent_open,
        0 as count_good_ratings,
        0 as count_bad_ratings
    from account_tickets
    union all
    select
        account_id,
        solved_on as date_day,
        0 as count_opened,
        -1 as change_open,
        case when is_urgent then -1 else 0 end as change_urgent_open,
        case
            when satisfaction_rating in ({{ sql_values(var('satisfied_ratings')) }}) then 1 else 0
        end as count_good_ratings,
        case
            when satisfaction_rating in ({{ sql_values(var('dissatisfied_ratings')) }}) then 1 else 0
        end as count_bad_ratings
    from account_tickets
    where solved_on is not null
),

daily_changes as (
    select
        account_id,
        date_day,
        sum(count_opened) as count_opened,
        sum(change_open) as change_open,
        sum(change_urgent_open) as change_urgent_open,
        sum(count_good_ratings) as count_good_ratings,
        sum(count_bad_ratings) as count_bad_ratings
    from ticket_changes
    group by account_id, date_day
),

-- Median resolution time of the tickets solved in the trend window ending on each day. The
-- window's tickets change only on a solve day and on the day a solve leaves the window, so the
-- median is computed on those days alone and each day takes the one of its latest change day:
-- the same figure as a median per day, without joining every day to its tickets. A daily run
-- needs the change days among the days it reads only (before them, the stored median holds).
window_change_days as (
    select
        account_id,
        solved_on as change_on
    from account_tickets
    where solved_on is not null
    union
    select
        account_id,
        solved_on + {{ trend }} as change_on
    from account_tickets
    where solved_on is not null
),

read_change_days as (
    select * from window_change_days
    {%- if is_incremental() %}
        where change_on >= (select min(read_days.date_day) from days as read_days)
    {%- endif %}
),

resolution_at_changes as (
    select
        read_change_days.account_id,
        read_change_days.change_on,
        {{ median_of('account_tickets.days_to_resolve') }} as median_days_to_resolve
    from read_change_days
    left join account_tickets
        on read_change_days.account_id = account_tickets.account_id
            and account_tickets.solved_on <= read_change_days.change_on
            and account_tickets.solved_on > read_change_days.change_on - {{ trend }}
    group by read_change_days.account_id, read_change_days.change_on
),

rolling as (
    select
        days.account_id,
        days.date_day,
        coalesce({{ stored_before('count_open') }}, 0)
        + sum(coalesce(daily_changes.change_open, 0)) over account_history as count_open,
        coalesce({{ stored_before('count_urgent_open') }}, 0)
        + sum(coalesce(daily_changes.change_urgent_open, 0)) over account_history as count_urgent_open,
        {%- for measure in ['count_opened', 'count_good_ratings', 'count_bad_ratings'] %}
            coalesce({{ stored_before(measure ~ '_to_date') }}, 0)
            + sum(coalesce(daily_changes.{{ measure }}, 0)) over account_history as {{ measure }}_to_date,
        {%- endfor %}
        coalesce({{ stored_before('count_csat_to_date') }}, 0)
        + sum(coalesce(surveys.count_responses, 0)) over account_history as count_csat_to_date,
        coalesce({{ stored_before('sum_csat_to_date') }}, 0)
        + sum(coalesce(surveys.sum_score, 0)) over account_history as sum_csat_to_date,
        max(resolution_at_changes.change_on) over account_history as last_resolution_change_on,
        {{ stored_before('median_days_to_resolve', type_double()) }} as stored_median_days_to_resolve
    from days
    left join daily_changes
        on days.account_id = daily_changes.account_id
            and days.date_day = daily_changes.date_day
    left join surveys
        on days.account_id = surveys.account_id
            and days.date_day = surveys.response_on
    left join resolution_at_changes
        on days.account_id = resolution_at_changes.account_id
            and days.date_day = resolution_at_changes.change_on
    {{- join_stored_day_before() }}
    window account_history as (partition by days.account_id order by days.date_day rows unbounded preceding)
),

-- Each running total the days back its windows reach (macro running_totals_back).
totals_back as (
    {{ running_totals_back('rolling', 'stored_days' if is_incremental() else none, windowed) }}
),

-- The median of the latest change day read, else the one stored the day before. The earlier
-- CSAT window is empty (null) until the account has a day csat_lookback_days back.
facts as (
    select
        rolling.account_id,
        rolling.date_day,
        {{ window_total('rolling', 'count_opened', window) }} as count_opened_window,
        rolling.count_open,
        rolling.count_urgent_open,
        {{ window_total('rolling', 'count_good_ratings', trend) }} as count_good_ratings_window,
        {{ window_total('rolling', 'count_bad_ratings', trend) }} as count_bad_ratings_window,
        case when rolling.last_resolution_change_on is not null
                then resolution_at_changes.median_days_to_resolve
            else rolling.stored_median_days_to_resolve
        end as median_days_to_resolve,
        {%- for measure in ['count_csat', 'sum_csat'] %}
            {{ window_total('rolling', measure, survey_window) }} as {{ measure }}_window,
        {%- endfor %}
        {%- for measure in windowed %}
            rolling.{{ measure }}_to_date,
        {%- endfor %}
        totals_back.count_csat_{{ csat_lookback }}_back
        - coalesce(totals_back.count_csat_{{ survey_window + csat_lookback }}_back, 0) as count_csat_before,
        totals_back.sum_csat_{{ csat_lookback }}_back
        - coalesce(totals_back.sum_csat_{{ survey_window + csat_lookback }}_back, 0) as sum_csat_before
    from rolling
    inner join totals_back
        on rolling.account_id = totals_back.account_id
            and rolling.date_day = totals_back.date_day
    left join resolution_at_changes
        on rolling.account_id = resolution_at_changes.account_id
            and rolling.last_resolution_change_on = resolution_at_changes.change_on
),

-- Only the days the run rewrites are stored; the context days above only fill the windows.
final as (
    {{ fact_rows_to_store('facts') }}
)

select * from final
