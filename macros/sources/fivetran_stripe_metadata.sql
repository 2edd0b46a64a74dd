{#- A Stripe customer's metadata JSON with the CRM account id under `crm_account_id`, where the
    contract reads it, copied from the key the deployment uses (var
    fivetran_stripe__crm_id_metadata_key). The other keys stay; a customer without the key gets
    no crm_account_id; text that is not JSON passes unchanged (staging reads no id from it). -#}
{% macro fivetran_stripe_metadata(column, crm_key) -%}
    {%- if crm_key == 'crm_account_id' -%}
        cast({{ column }} as {{ type_text() }})
    {%- else -%}
        {{ adapter.dispatch('fivetran_stripe_metadata_copy', 'customer_health')(column, crm_key) }}
    {%- endif -%}
{%- endmacro %}

{% macro postgres__fivetran_stripe_metadata_copy(column, crm_key) -%}
    case
        when json_typeof({{ cross_db_function('try_json') }}(cast({{ column }} as text))) = 'object'
            then cast(
                cast({{ cross_db_function('try_json') }}(cast({{ column }} as text)) as jsonb)
                || jsonb_build_object(
                    'crm_account_id',
                    {{ cross_db_function('try_json') }}(cast({{ column }} as text)) ->> '{{ crm_key | replace("'", "''") }}'
                )
                as text
            )
        else cast({{ column }} as text)
    end
{%- endmacro %}

{#- Spark: the object read as a map of texts, its crm_account_id replaced by the copy. -#}
{% macro spark__fivetran_stripe_metadata_copy(column, crm_key) -%}
    case
        when left(ltrim(cast({{ column }} as string)), 1) = '{'
            and from_json(cast({{ column }} as string), 'map<string, string>') is not null
            then to_json(map_concat(
                map_filter(from_json(cast({{ column }} as string), 'map<string, string>'), (k, v) -> k != 'crm_account_id'),
                map('crm_account_id', get_json_object(cast({{ column }} as string), '$.{{ crm_key | replace("'", "\\'") }}'))
            ))
        else cast({{ column }} as string)
    end
{%- endmacro %}

{% macro duckdb__fivetran_stripe_metadata_copy(column, crm_key) -%}
    case
        when json_valid(cast({{ column }} as varchar))
            then cast(json_merge_patch(
                cast({{ column }} as varchar),
                json_object('crm_account_id', json_extract_string(
                    cast({{ column }} as varchar), '$."{{ crm_key | replace('"', '') }}"'
                ))
            ) as varchar)
        else cast({{ column }} as varchar)
    end
{%- endmacro %}
