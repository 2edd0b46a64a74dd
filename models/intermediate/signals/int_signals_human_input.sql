-- What do people say about each account: CSM, support, product and executive ratings (fading
-- towards neutral as they age) and the customer's own NPS, CSAT, pulse and onboarding answers?
-- One wide row per account-day with the human-input signals' values and scores (macro
-- score_signals), a same-day step from the feedback facts of the day (int_account_feedback_daily).
{%- set roles = var('rating_roles') %}
{%- set neutral = var('rating_neutral') %}

with feedback as (
    select * from {{ ref('int_account_feedback_daily') }}
    where {{ in_run_days('date_day') }}
        and {{ in_day_batch('date_day') }}
),

measures as (
    select
        account_id,
        date_day,
        {%- for role in roles %}
        -- A rating fades towards neutral (var rating_neutral) with a half-life of var rating_half_life_days.
            {{ neutral }} + (latest_{{ role }}_rating - {{ neutral }}) * power(
                0.5,
                -- A double: Postgres divides integers as integers.
                cast({{ dbt.datediff('latest_' ~ role ~ '_rating_on', 'date_day', 'day') }} as {{ type_double() }})  -- noqa: LT05
                / {{ var('rating_half_life_days') }}
            ) as {{ role }}_rating,
        {%- endfor %}
        'no_rating_yet' as rating_missing_reason,
        100.0 * (count_promoters_window - count_detractors_window) / nullif(count_nps_window, 0) as nps,
        cast(sum_csat_window as {{ type_double() }}) / nullif(count_csat_window, 0) as csat_score,
        cast(sum_pulse_window as {{ type_double() }}) / nullif(count_pulse_window, 0) as pulse_score,
        cast(sum_onboarding_ever as {{ type_double() }}) / nullif(count_onboarding_ever, 0) as onboarding_survey_score,
        'no_response_in_window' as survey_missing_reason
    from feedback
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
