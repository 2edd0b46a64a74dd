-- Every raw survey response row, typed and renamed, with its fate. Each survey type has its own
-- score range (var survey_score_ranges); other types and scores outside the range are quarantined.
{{ config(unique_key='response_id') }}
{%- set ranges = var('survey_score_ranges') %}
{%- set quarantine_rules = [
    {'reason': 'unknown_survey_type',
     'when': "survey_type not in ('" ~ ranges.keys() | join("', '") ~ "') or survey_type is null"},
    {'reason': 'missing_score', 'when': 'score is null'},
    {'reason': 'score_out_of_range', 'when': 'not is_score_in_range'},
    {'reason': 'missing_submitted_at', 'when': 'submitted_at is null'},
] %}

with source as {{ inlined_cte() }}(
    select * from {{ raw_relation('survey', 'response') }}
),

renamed as {{ inlined_cte() }}(
    select
        -- ids
        cast(id as {{ type_text() }}) as response_id,
        nullif(trim(cast(account_id as {{ type_text() }})), '') as account_id,
        {{ email_keys(normalize_email('respondent_email'), 'respondent_email') }},

        -- strings (the free-text comment is not kept: nothing downstream reads it)
        lower(trim(cast(survey as {{ type_text() }}))) as survey_type,

        -- numerics
        cast(score as bigint) as score,

        -- timestamps
        {{ to_utc('submitted_at') }} as submitted_at,
        {{ to_utc('_loaded_at') }} as _loaded_at,
        {{ raw_file_key('_raw_file') }} as _raw_file
    from source
),

with_checks as {{ inlined_cte() }}(
    select
        *,
        case survey_type
            {%- for survey_type, bounds in ranges.items() %}
                when '{{ survey_type }}' then score between {{ bounds[0] }} and {{ bounds[1] }}
            {%- endfor %}
        end as is_score_in_range
    from renamed
),

classified as (
    {{ classify_raw_rows('with_checks', key='response_id', quarantine_rules=quarantine_rules) }}
)

-- A daily run also re-reads stored rows (select *), so the column count is not known to the linter.
select * from classified  -- noqa: AM04
