-- How close is the vendor to each account, up to each day? One row per account-day of the spine
-- with the CRM facts the relationship signals read: the last CSM touch and QBR, touches in the
-- window, the last executive-sponsor answer, and the people named by touches (engaged contacts,
-- engaged executives, the champion's last touch). Point-in-time.
{%- set window = var('activity_window_days') %}
{%- set people_window = var('people_window_days') %}

-- A daily run computes the windows over the days it rewrites plus the longest window before them
-- (macro fact_days); the last touch, QBR, sponsor answer, people counts and champion's touch
-- continue from this model's stored row of the day before (macro join_stored_day_before). A full
-- build reads every day and carries nothing.
with days as (
    {{ fact_days(context_days=window) }}
),

accounts as (
    select * from {{ ref('int_accounts') }}
),

tasks as (
    select * from {{ ref('stg_crm__task') }}
    where task_status = 'Completed' and task_type in ({{ sql_values(var('task_types')) }})
),

health_inputs as (
    select * from {{ ref('stg_crm__health_input') }}
    where is_exec_sponsor_engaged is not null
),

contacts as (
    select * from {{ ref('stg_crm__contact') }}
),

-- Touches before the customer start count on the first day.
daily_touches as (
    select
        tasks.account_id,
        {{ greatest_ignore_nulls('tasks.activity_on', 'accounts.customer_start_on') }} as date_day,
        count(*) as count_touches,
        sum(case when tasks.task_type = 'QBR' then 1 else 0 end) as count_qbrs
    from tasks
    inner join accounts on tasks.account_id = accounts.account_id
    group by tasks.account_id, {{ greatest_ignore_nulls('tasks.activity_on', 'accounts.customer_start_on') }}
),

-- People signals read touches that name a contact (crm.task.who_id), one row per contact and day.
-- A contact deleted later keeps its past touches (the CRM gives no deletion date, so dropping them
-- would rewrite the past); its title decides whether it is an executive.
contact_days as (
    select
        tasks.account_id,
        tasks.contact_id,
        {{ greatest_ignore_nulls('tasks.activity_on', 'accounts.customer_start_on') }} as date_day,
        coalesce(bool_or({{ regexp_like('contacts.title', var('executive_title_pattern')) }}), false)
            as is_executive,
        count(*) as count_touches
    from tasks
    inner join accounts on tasks.account_id = accounts.account_id
    left join contacts on tasks.contact_id = contacts.contact_id
    where tasks.contact_id is not null
    group by
        tasks.account_id,
        tasks.contact_id,
        {{ greatest_ignore_nulls('tasks.activity_on', 'accounts.customer_start_on') }}
),

-- A contact is engaged from a touch until var people_window_days days later or its next touch, so
-- one contact's spans never overlap and +1/-1 at their edges count distinct engaged contacts.
engaged_spans as (
    select
        account_id,
        is_executive,
        date_day as starts_on,
        {{ least_ignore_nulls(
            'lead(date_day) over (partition by account_id, contact_id order by date_day)',
            'date_day + ' ~ people_window
        ) }} as ends_on
    from contact_days
),

engaged_edges as (
    select
        account_id,
        starts_on as date_day,
        1 as contact_change,
        case when is_executive then 1 else 0 end as executive_change
    from engaged_spans
    union all
    select
        account_id,
        ends_on as date_day,
        -1 as contact_change,
        case when is_executive then -1 else 0 end as executive_change
    from engaged_spans
),

engaged_daily as (
    select
        account_id,
        date_day,
        sum(sum(contact_change)) over account_edges as engaged_contacts,
        sum(sum(executive_change)) over account_edges as engaged_executives
    from engaged_edges
    group by account_id, date_day
    window account_edges as (partition by account_id order by date_day)
),

-- The champion: the contact with the most touches so far (ties to the larger contact id). The
-- lead can only pass to a contact on a day it is touched, so the champion's last touch is the
-- last day the touched contact was the champion at the end of the day.
contact_leads as (
    select
        account_id,
        contact_id,
        date_day,
        lpad(cast(sum(count_touches) over contact_history as {{ type_text() }}), 9, '0') || contact_id as lead_key
    from contact_days
    window contact_history as (partition by account_id, contact_id order by date_day)
),

champion_leads as (
    select
        account_id,
        contact_id,
        date_day,
        max(lead_key) over (partition by account_id order by date_day) as champion_key
    from contact_leads
),

champion_touches as (
    select
        account_id,
        date_day
    from champion_leads
    where substr(champion_key, 10) = contact_id
    group by account_id, date_day
),

-- The day's last answer wins.
ranked_sponsor_answers as (
    select
        health_inputs.account_id,
        {{ greatest_ignore_nulls('cast(health_inputs.created_at as date)', 'accounts.customer_start_on') }}
            as date_day,
        cast(health_inputs.is_exec_sponsor_engaged as integer) as is_exec_sponsor_engaged,
        row_number() over (
            partition by
                health_inputs.account_id,
                {{ greatest_ignore_nulls('cast(health_inputs.created_at as date)', 'accounts.customer_start_on') }}
            order by health_inputs.created_at desc
        ) as answer_rank
    from health_inputs
    inner join accounts on health_inputs.account_id = accounts.account_id
),

daily_sponsor_answers as (
    select
        account_id,
        date_day,
        is_exec_sponsor_engaged
    from ranked_sponsor_answers
    where answer_rank = 1
),

rolling as (
    select
        days.account_id,
        days.date_day,
        coalesce(
            max(case when daily_touches.count_touches > 0 then days.date_day end) over account_history,
            {{ stored_before('last_touch_on') }}
        ) as last_touch_on,
        coalesce(
            max(case when daily_touches.count_qbrs > 0 then days.date_day end) over account_history,
            {{ stored_before('last_qbr_on') }}
        ) as last_qbr_on,
        sum(coalesce(daily_touches.count_touches, 0)) over last_window as count_touches_window,
        coalesce(
            {{ last_non_null('daily_sponsor_answers.is_exec_sponsor_engaged', 'account_history') }},
            {{ stored_before('is_exec_sponsor_engaged') }}
        ) as is_exec_sponsor_engaged,
        coalesce(
            {{ last_non_null('engaged_daily.engaged_contacts', 'account_history') }},
            {{ stored_before('count_engaged_contacts') }},
            0
        ) as count_engaged_contacts,
        coalesce(
            {{ last_non_null('engaged_daily.engaged_executives', 'account_history') }},
            {{ stored_before('count_engaged_executives') }},
            0
        ) as count_engaged_executives,
        coalesce(
            max(champion_touches.date_day) over account_history,
            {{ stored_before('last_champion_touch_on') }}
        ) as last_champion_touch_on
    from days
    left join daily_touches
        on days.account_id = daily_touches.account_id
            and days.date_day = daily_touches.date_day
    left join daily_sponsor_answers
        on days.account_id = daily_sponsor_answers.account_id
            and days.date_day = daily_sponsor_answers.date_day
    left join engaged_daily
        on days.account_id = engaged_daily.account_id
            and days.date_day = engaged_daily.date_day
    left join champion_touches
        on days.account_id = champion_touches.account_id
            and days.date_day = champion_touches.date_day
    {{- join_stored_day_before() }}
    window
        account_history as (partition by days.account_id order by days.date_day rows unbounded preceding),
        last_window as (partition by days.account_id order by days.date_day rows {{ window - 1 }} preceding)
),

-- Only the days the run rewrites are stored; the context days above only fill the windows.
final as (
    {{ fact_rows_to_store('rolling') }}
)

select * from final
