{#- A Stripe customer's metadata JSON with the CRM account id under `crm_account_id`, where the
    contract reads it, copied from the key the deployment uses (var
    fivetran_stripe__crm_id_metadata_key). The other keys stay; a customer without the key gets
    no crm_account_id; text that is not JSON passes unchanged (staging reads no id from it). -#}
{% macro fivetran_stripe_metadata(column, crm_key) -%}
    {%- if crm_key == 'crm_account_id' -%}
        cast({{ column }} as varchar)
    {%- else -%}
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
    {%- endif -%}
{%- endmacro %}
