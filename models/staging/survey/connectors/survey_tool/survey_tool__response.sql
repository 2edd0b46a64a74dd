-- A survey tool's responses table as the raw contract's survey.response. Which column holds
-- what, and which survey (form) names are NPS, CSAT, onboarding or pulse, is configuration
-- (vars survey_tool__*), so that any tool exporting a row per response fits.
{{ config(enabled=var('connectors').get('survey', 'contract') == 'survey_tool') }}
{%- set columns = connector_option('survey_tool', 'columns') %}
{%- set survey_types = connector_option('survey_tool', 'survey_types') %}
{%- set loaded_at = adapter.quote(connector_option('survey_tool', 'loaded_at_column')) %}
{%- for key in ['id', 'survey', 'respondent_email', 'account_id', 'score', 'comment', 'submitted_at']
    if key not in columns %}
    {{ exceptions.raise_compiler_error(
        "var survey_tool__columns has no entry for " ~ key ~ " (give the column that holds it, or null "
        ~ "for account_id and comment when the tool has none): got " ~ columns) }}
{%- endfor %}
{%- set col = {} %}
{%- for key, name in columns.items() %}
    {%- do col.update({key: (adapter.quote(name) if name else 'null')}) %}
{%- endfor %}

with source as (
    select * from {{ source('survey_tool', 'responses') }}
),

final as (
    select
        cast({{ col.id }} as {{ type_text() }}) as id,
        -- Configured survey names map to the contract's types; others pass through lower-cased
        -- (staging quarantines unknown types).
        case trim(cast({{ col.survey }} as {{ type_text() }}))
            {%- for name, survey_type in survey_types.items() %}
                when {{ sql_string(name) }} then '{{ survey_type }}'
            {%- endfor %}
            else lower(trim(cast({{ col.survey }} as {{ type_text() }})))
        end as survey,
        cast({{ col.respondent_email }} as {{ type_text() }}) as respondent_email,
        cast({{ col.account_id }} as {{ type_text() }}) as account_id,
        -- A whole-number answer, stored as a number or as text; anything else is null (and
        -- quarantined downstream as a missing score).
        case
            when {{ try_cast_double(col.score) }} = trunc({{ try_cast_double(col.score) }})
                then cast({{ try_cast_double(col.score) }} as bigint)
        end as score,
        cast({{ col.comment }} as {{ type_text() }}) as comment,
        cast({{ col.submitted_at }} as timestamptz) as submitted_at,
        {{ to_utc(loaded_at) }} as _loaded_at,
        _raw_file
    from source
)

select * from final
