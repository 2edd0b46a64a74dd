-- How close is the vendor to each account: recent CSM touches, QBRs, an engaged executive
-- sponsor? One row per account-day per relationship signal, point-in-time.
{%- set window = var('activity_window_days') %}

-- A daily run computes the windows over the days it rewrites plus the longest window before them
-- (macro in_run_days); the last touch, QBR and sponsor answer before those days are carried in
-- (carried_*). A full build reads every day and carries nothing.
with days as (
    select * from {{ ref('int_account_days') }}
    where {{ in_run_days('date_day', context_days=window) }}
),

accounts as (
    select * from {{ ref('int_accounts') }}
),

tasks as (
    select * from {{ ref('stg_crm__task') }}
    where task_status = 'Completed' and task_type in ('Call', 'Email', 'Meeting', 'QBR')
),

health_inputs as (
    select * from {{ ref('stg_crm__health_input') }}
    where is_exec_sponsor_engaged is not null
),

-- Touches before the customer start count on the first day.
daily_touches as (
    select
        tasks.account_id,
        greatest(tasks.activity_on, accounts.customer_start_on) as date_day,
        count(*) as count_touches,
        sum(case when tasks.task_type = 'QBR' then 1 else 0 end) as count_qbrs
    from tasks
    inner join accounts on tasks.account_id = accounts.account_id
    group by tasks.account_id, greatest(tasks.activity_on, accounts.customer_start_on)
),

daily_sponsor_answers as (
    select
        health_inputs.account_id,
        greatest(cast(health_inputs.created_at as date), accounts.customer_start_on) as date_day,
        -- The day's last answer wins.
        arg_max(cast(health_inputs.is_exec_sponsor_engaged as integer), health_inputs.created_at)
            as is_exec_sponsor_engaged
    from health_inputs
    inner join accounts on health_inputs.account_id = accounts.account_id
    group by health_inputs.account_id, greatest(cast(health_inputs.created_at as date), accounts.customer_start_on)
),

carried_touches as (
    select
        daily_touches.account_id,
        max(daily_touches.date_day) filter (where daily_touches.count_touches > 0) as last_touch_on,
        max(daily_touches.date_day) filter (where daily_touches.count_qbrs > 0) as last_qbr_on
    from daily_touches
    where {{ before_read_days('daily_touches.date_day') }}
    group by daily_touches.account_id
),

carried_sponsor_answers as (
    select
        daily_sponsor_answers.account_id,
        arg_max(daily_sponsor_answers.is_exec_sponsor_engaged, daily_sponsor_answers.date_day)
            as is_exec_sponsor_engaged
    from daily_sponsor_answers
    where {{ before_read_days('daily_sponsor_answers.date_day') }}
    group by daily_sponsor_answers.account_id
),

rolling as (
    select
        days.account_id,
        days.date_day,
        days.days_since_start,
        coalesce(
            max(case when daily_touches.count_touches > 0 then days.date_day end) over account_history,
            carried_touches.last_touch_on
        ) as last_touch_on,
        coalesce(
            max(case when daily_touches.count_qbrs > 0 then days.date_day end) over account_history,
            carried_touches.last_qbr_on
        ) as last_qbr_on,
        sum(coalesce(daily_touches.count_touches, 0)) over last_window as csm_touches,
        coalesce(
            last_value(daily_sponsor_answers.is_exec_sponsor_engaged ignore nulls) over account_history,
            carried_sponsor_answers.is_exec_sponsor_engaged
        ) as exec_sponsor_engaged
    from days
    left join daily_touches
        on days.account_id = daily_touches.account_id
            and days.date_day = daily_touches.date_day
    left join daily_sponsor_answers
        on days.account_id = daily_sponsor_answers.account_id
            and days.date_day = daily_sponsor_answers.date_day
    left join carried_touches on days.account_id = carried_touches.account_id
    left join carried_sponsor_answers on days.account_id = carried_sponsor_answers.account_id
    window
        account_history as (partition by days.account_id order by days.date_day rows unbounded preceding),
        last_window as (partition by days.account_id order by days.date_day rows {{ window - 1 }} preceding)
),

measures as (
    select
        account_id,
        date_day,
        coalesce({{ dbt.datediff('last_touch_on', 'date_day', 'day') }}, days_since_start)
            as days_since_csm_touch,
        csm_touches,
        coalesce({{ dbt.datediff('last_qbr_on', 'date_day', 'day') }}, days_since_start) as days_since_qbr,
        exec_sponsor_engaged,
        'never_answered' as sponsor_missing_reason
    from rolling
),

signal_values as (
    {{ unpivot_signals('measures', {
        'days_since_csm_touch': none,
        'csm_touches': none,
        'days_since_qbr': none,
        'exec_sponsor_engaged': 'sponsor_missing_reason',
    }) }}
),

final as (
    {{ score_signals('signal_values', 'relationship') }}
)

select * from final
