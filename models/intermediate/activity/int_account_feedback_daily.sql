-- What do people say about each account, up to each day? One row per account-day of the spine
-- with the feedback facts the human-input signals read: each role's latest rating (CSM, support,
-- product, executive) and the day it was given, and the customer's NPS, CSAT and pulse answers in
-- their windows and onboarding survey answers so far. Point-in-time.
{%- set roles = var('rating_roles') %}
{%- set survey_window = var('survey_window_days') %}
{%- set nps_window = var('nps_window_days') %}
{#- The survey measures kept as running totals (<measure>_to_date), with the window each is read
    over: a window's sum is the running total less the one that many days before (the spine has
    every day, so N rows back is N days back). #}
{%- set windowed = {
    'count_nps': nps_window, 'count_promoters': nps_window, 'count_detractors': nps_window,
    'count_csat': survey_window, 'sum_csat': survey_window,
    'count_pulse': survey_window, 'sum_pulse': survey_window,
} %}
{%- set reaches = {} %}
{%- for measure, window_days in windowed.items() %}{% do reaches.update({measure: [window_days]}) %}{% endfor %}

-- A daily run reads only the days it rewrites (macro fact_days): each role's last rating, the
-- onboarding answers so far and the running totals continue from this model's stored row of the
-- day before (macro join_stored_day_before), and the windows subtract the stored totals of the
-- days they reach back to. A full build reads every day and carries nothing.
with days as (
    {{ fact_days() }}
),
{%- if is_incremental() %}

    -- The stored rows of the days the windows reach back to, before the first day read.
    stored_days as (
        {{ stored_days_before('(select min(read_days.date_day) from days as read_days)', reaches) }}
    ),
{%- endif %}

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
        {%- for survey_type in var('survey_score_ranges') %}
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
        {%- for measure in windowed %}
            coalesce({{ stored_before(measure ~ '_to_date') }}, 0)
            + sum(coalesce(daily_surveys.{{ measure }}, 0)) over account_history as {{ measure }}_to_date,
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
    window account_history as (partition by days.account_id order by days.date_day rows unbounded preceding)
),

-- Each running total its window's length back (macro running_totals_back).
totals_back as (
    {{ running_totals_back('rolling', 'stored_days' if is_incremental() else none, reaches) }}
),

feedback as (
    select
        rolling.account_id,
        rolling.date_day,
        {%- for role in roles %}
            rolling.latest_{{ role }}_rating,
            rolling.latest_{{ role }}_rating_on,
        {%- endfor %}
        {%- for measure in windowed %}
            {{ window_total('rolling', measure, windowed[measure]) }} as {{ measure }}_window,
        {%- endfor %}
        {%- for measure in windowed %}
            rolling.{{ measure }}_to_date,
        {%- endfor %}
        rolling.count_onboarding_ever,
        rolling.sum_onboarding_ever
    from rolling
    inner join totals_back
        on rolling.account_id = totals_back.account_id
            and rolling.date_day = totals_back.date_day
),

-- The days the run rewrites, with the configuration hash.
final as (
    {{ fact_rows_to_store('feedback') }}
)

select * from final
