-- What do people say about each account: CSM, support, product and executive ratings (fading
-- towards neutral as they age) and the customer's own NPS, CSAT, pulse and onboarding answers?
-- One row per account-day per human-input signal, point-in-time.
{%- set roles = ['csm', 'support', 'product', 'executive'] %}
{%- set survey_window = var('survey_window_days') %}
{%- set nps_window = var('nps_window_days') %}

-- A daily run computes the windows over the days it rewrites plus the longest window before them
-- (macro in_run_days); what the running windows saw before those days is carried in (carried_*).
-- A full build reads every day and carries nothing.
with days as (
    select * from {{ ref('int_account_days') }}
    where {{ in_run_days('date_day', context_days=[nps_window, survey_window] | max) }}
),

accounts as (
    select * from {{ ref('int_accounts') }}
),

ratings as (
    select * from {{ ref('stg_crm__health_input') }}
),

surveys as (
    select * from {{ ref('int_account_daily_surveys') }}
),

daily_ratings as (
    select
        ratings.account_id,
        greatest(cast(ratings.created_at as date), accounts.customer_start_on) as date_day,
        {%- for role in roles %}
            arg_max(ratings.rating, ratings.created_at) filter (where ratings.author_role = '{{ role }}')
                as {{ role }}_rating{% if not loop.last %},{% endif %}
        {%- endfor %}
    from ratings
    inner join accounts on ratings.account_id = accounts.account_id
    group by ratings.account_id, greatest(cast(ratings.created_at as date), accounts.customer_start_on)
),

daily_surveys as (
    select
        surveys.account_id,
        greatest(surveys.response_on, accounts.customer_start_on) as date_day,
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
    group by surveys.account_id, greatest(surveys.response_on, accounts.customer_start_on)
),

carried_ratings as (
    select
        daily_ratings.account_id,
        {%- for role in roles %}
            {%- set rated = 'daily_ratings.' ~ role ~ '_rating is not null' %}
            arg_max(daily_ratings.{{ role }}_rating, daily_ratings.date_day)
            filter (where {{ rated }}) as {{ role }}_rating,
            max(daily_ratings.date_day)
            filter (where {{ rated }}) as {{ role }}_rating_on{% if not loop.last %},{% endif %}
        {%- endfor %}
    from daily_ratings
    where {{ before_read_days('daily_ratings.date_day') }}
    group by daily_ratings.account_id
),

carried_surveys as (
    select
        daily_surveys.account_id,
        sum(daily_surveys.count_onboarding) as count_onboarding,
        sum(daily_surveys.sum_onboarding) as sum_onboarding
    from daily_surveys
    where {{ before_read_days('daily_surveys.date_day') }}
    group by daily_surveys.account_id
),

rolling as (
    select
        days.account_id,
        days.date_day,
        {%- for role in roles %}
            coalesce(
                last_value(daily_ratings.{{ role }}_rating ignore nulls) over account_history,
                carried_ratings.{{ role }}_rating
            ) as latest_{{ role }}_rating,
            coalesce(
                max(case when daily_ratings.{{ role }}_rating is not null then days.date_day end) over account_history,
                carried_ratings.{{ role }}_rating_on
            ) as latest_{{ role }}_rating_on,
        {%- endfor %}
        sum(coalesce(daily_surveys.count_nps, 0)) over nps_window as count_nps,
        sum(coalesce(daily_surveys.count_promoters, 0)) over nps_window as count_promoters,
        sum(coalesce(daily_surveys.count_detractors, 0)) over nps_window as count_detractors,
        {%- for survey_type in ['csat', 'pulse'] %}
            sum(coalesce(daily_surveys.count_{{ survey_type }}, 0)) over survey_window as count_{{ survey_type }},
            sum(coalesce(daily_surveys.sum_{{ survey_type }}, 0)) over survey_window as sum_{{ survey_type }},
        {%- endfor %}
        coalesce(carried_surveys.count_onboarding, 0)
        + sum(coalesce(daily_surveys.count_onboarding, 0)) over account_history as count_onboarding,
        coalesce(carried_surveys.sum_onboarding, 0)
        + sum(coalesce(daily_surveys.sum_onboarding, 0)) over account_history as sum_onboarding
    from days
    left join daily_ratings
        on days.account_id = daily_ratings.account_id
            and days.date_day = daily_ratings.date_day
    left join daily_surveys
        on days.account_id = daily_surveys.account_id
            and days.date_day = daily_surveys.date_day
    left join carried_ratings on days.account_id = carried_ratings.account_id
    left join carried_surveys on days.account_id = carried_surveys.account_id
    window
        account_history as (partition by days.account_id order by days.date_day rows unbounded preceding),
        nps_window as (partition by days.account_id order by days.date_day rows {{ nps_window - 1 }} preceding),
        survey_window as (
            partition by days.account_id order by days.date_day rows {{ survey_window - 1 }} preceding
        )
),

measures as (
    select
        account_id,
        date_day,
        {%- for role in roles %}
        -- A rating fades towards neutral (3) with a half-life of var rating_half_life_days.
            3 + (latest_{{ role }}_rating - 3) * power(
                0.5,
                {{ dbt.datediff('latest_' ~ role ~ '_rating_on', 'date_day', 'day') }} / {{ var('rating_half_life_days') }}  -- noqa: LT05
            ) as {{ role }}_rating,
        {%- endfor %}
        'no_rating_yet' as rating_missing_reason,
        100.0 * (count_promoters - count_detractors) / nullif(count_nps, 0) as nps,
        cast(sum_csat as double) / nullif(count_csat, 0) as csat_score,
        cast(sum_pulse as double) / nullif(count_pulse, 0) as pulse_score,
        cast(sum_onboarding as double) / nullif(count_onboarding, 0) as onboarding_survey_score,
        'no_response_in_window' as survey_missing_reason
    from rolling
),

final as (
    {{ score_signals('measures', {
        'csm_rating': 'rating_missing_reason',
        'support_rating': 'rating_missing_reason',
        'product_rating': 'rating_missing_reason',
        'executive_rating': 'rating_missing_reason',
        'nps': 'survey_missing_reason',
        'csat_score': 'survey_missing_reason',
        'pulse_score': 'survey_missing_reason',
        'onboarding_survey_score': 'survey_missing_reason',
    }, 'human_input') }}
)

select * from final
