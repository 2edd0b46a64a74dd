-- What did each account's people answer in surveys on each day? One row per account, day and
-- survey type with counts and score sums, so rolling averages are cheap downstream.
with responses as (
    select * from {{ ref('stg_survey__response') }}
),

identity as (
    select * from {{ ref('int_account_identity') }}
    where system = 'survey_response' and is_linked
),

final as (
    select
        identity.account_id,
        cast(responses.submitted_at as date) as response_on,
        responses.survey_type,
        count(*) as count_responses,
        sum(responses.score) as sum_score,
        -- Promoters and detractors by var nps_cutoffs.
        sum(case
            when responses.survey_type = 'nps' and responses.score >= {{ var('nps_cutoffs')['promoter_min'] }} then 1
            else 0
        end) as count_promoters,
        sum(case
            when responses.survey_type = 'nps' and responses.score <= {{ var('nps_cutoffs')['detractor_max'] }} then 1
            else 0
        end) as count_detractors
    from responses
    inner join identity on responses.response_id = identity.system_key
    group by identity.account_id, cast(responses.submitted_at as date), responses.survey_type
)

select * from final
