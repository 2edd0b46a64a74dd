-- depends_on: {{ ref('int_accounts') }}
-- Which manual overrides are there? One row per override of seed health_overrides, checked: an
-- override that names an account this project does not score stops the build with its id.
{#- Checked only once both relations exist (not during `dbt compile` on an empty database). -#}
{%- if execute and load_relation(ref('int_accounts')) and load_relation(ref('health_overrides')) %}
    {%- set unknown = run_query(
        "select " ~ ordered_string_agg('o.account_id', "', '", 'o.account_id') ~ " from " ~ ref('health_overrides')
        ~ " as o left join " ~ ref('int_accounts') ~ " as a on o.account_id = a.account_id"
        ~ " where a.account_id is null"
    ) %}
    {%- set unknown_ids = unknown.columns[0].values()[0] if unknown else none %}
    {%- if unknown_ids %}
        {{ exceptions.raise_compiler_error(
            "seeds/health_overrides.csv: override for unknown account_id(s) " ~ unknown_ids
            ~ " (not a scored customer in int_accounts). Fix the id or remove the row."
        ) }}
    {%- endif %}
{%- endif %}

with overrides as (
    select * from {{ ref('health_overrides') }}
),

final as (
    select
        cast(account_id as {{ type_text() }}) as account_id,
        cast(override_score as {{ type_double() }}) as override_score,
        cast(override_band as {{ type_text() }}) as override_band,
        cast(reason as {{ type_text() }}) as reason,
        cast(author as {{ type_text() }}) as author,
        cast(starts_on as date) as starts_on,
        cast(expires_on as date) as expires_on
    from overrides
)

select * from final
