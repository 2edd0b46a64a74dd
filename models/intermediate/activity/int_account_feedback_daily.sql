-- What do people say about each account, up to each day? One row per account-day of the spine
-- with the feedback facts the human-input signals read: each role's latest rating (CSM, support,
-- product, executive) and the day it was given, and the customer's NPS, CSAT and pulse answers in
-- their windows and onboarding survey answers so far. Point-in-time.
{%- set roles = ['csm', 'support', 'product', 'executive'] %}
{%- set survey_window = var('survey_window_days') %}
{%- set nps_window = var('nps_window_days') %}

-- A daily run computes the windows over the days it rewrites plus the longest window before them
-- (macro fact_days); each role's last rating and the onboarding answers so far continue from this
-- model's stored row of the day before (macro join_stored_day_before). A full build reads every
-- day and carries nothing.
with days as (
    {{ fact_days(context_days=[nps_window, survey_window] | max) }}
),

accounts as (
    select * from {{ ref('int_accounts') }}
),

ratings as (
    select * from {{ ref('stg_crm__health_input') }}
    where rating is not null and created_at is not null
),

surveys as (
    select * from {{ ref('int_account_daily_surveys') }}
),

-- Ratings before the customer start count on the first day; a role's last rating of a day wins.
ranked_ratings as (
    select
        ratings.account_id,
        ratings.author_role,
        {{ greatest_ignore_nulls('cast(ratings.created_at as date)', 'accounts.customer_start_on') }} as date_day,
        ratings.rating,
        row_number() over (
            partition by
                ratings.account_id,
                ratings.author_role,
                {{ greatest_ignore_nulls('cast(ratings.created_at as date)', 'accounts.customer_start_on') }}
            order by ratings.created_at desc
        ) as rating_rank
    from ratings
    inner join accounts on ratings.account_id = accounts.account_id
    where ratings.author_role in ({{ sql_values(roles) }})
),

role_days as (
    select
        account_id,
        author_role,
        date_day,
        rating
    from ranked_ratings
    where rating_rank = 1
),

daily_ratings as (
    select
        account_id,
        date_day,
        {%- for role in roles %}
            max(case when author_role = '{{ role }}' then rating end)
                as {{ role }}_rating{% if not loop.last %},{% endif %}
        {%- endfor %}
    from role_days
    group by account_id, date_day
),

daily_surveys as (
    select
        surveys.account_id,
        {{ greatest_ignore_nulls('surveys.response_on', 'accounts.customer_start_on') }} as date_day,
        {%- for survey_type in ['nps', 'csat', 'pulse', 'onboarding'] %}
            sum(case when surveys.survey_type = '{{ survey_type }}' then surveys.count_responses else 0 end)
                as count_{{ survey_type }},
            sum(case when surveys.survey_type = '{{ survey_type }}' then surveys.sum_score else 0 end)
                as sum_{{ survey_type }},
        {%- endfor %}
        sum(surveys.count_promoters) as count_promoters,
        sum(surveys.count_detractors) as count_detractors
    from surveys
    inner join accounts on surveys.account_id = accounts.account_id
    group by surveys.account_id, {{ greatest_ignore_nulls('surveys.response_on', 'accounts.customer_start_on') }}
),

rolling as (
    select
        days.account_id,
        days.date_day,
        {%- for role in roles %}
            coalesce(
                {{ last_non_null('daily_ratings.' ~ role ~ '_rating', 'account_history') }},
                {{ stored_before('latest_' ~ role ~ '_rating') }}
            ) as latest_{{ role }}_rating,
            coalesce(
                max(case when daily_ratings.{{ role }}_rating is not null then days.date_day end) over account_history,
                {{ stored_before('latest_' ~ role ~ '_rating_on') }}
            ) as latest_{{ role }}_rating_on,
        {%- endfor %}
        sum(coalesce(daily_surveys.count_nps, 0)) over nps_window as count_nps_window,
        sum(coalesce(daily_surveys.count_promoters, 0)) over nps_window as count_promoters_window,
        sum(coalesce(daily_surveys.count_detractors, 0)) over nps_window as count_detractors_window,
        {%- for survey_type in ['csat', 'pulse'] %}
            sum(coalesce(daily_surveys.count_{{ survey_type }}, 0)) over survey_window
                as count_{{ survey_type }}_window,
            sum(coalesce(daily_surveys.sum_{{ survey_type }}, 0)) over survey_window as sum_{{ survey_type }}_window,
        {%- endfor %}
        coalesce({{ stored_before('count_onboarding_ever') }}, 0)
        + sum(coalesce(daily_surveys.count_onboarding, 0)) over account_history as count_onboarding_ever,
        coalesce({{ stored_before('sum_onboarding_ever') }}, 0)
        + sum(coalesce(daily_surveys.sum_onboarding, 0)) over account_history as sum_onboarding_ever
    from days
    left join daily_ratings
        on days.account_id = daily_ratings.account_id
            and days.date_day = daily_ratings.date_day
    left join daily_surveys
        on days.account_id = daily_surveys.account_id
            and days.date_day = daily_surveys.date_day
    {{- join_stored_day_before() }}
    window
        account_history as (partition by days.account_id order by days.date_day rows unbounded preceding),
        nps_window as (partition by days.account_id order by days.date_day rows {{ nps_window - 1 }} preceding),
        survey_window as (
            partition by days.account_id order by days.date_day rows {{ survey_window - 1 }} preceding
        )
),

-- Only the days the run rewrites are stored; the context days above only fill the windows.
final as (
    {{ fact_rows_to_store('rolling') }}
)

select * from final
