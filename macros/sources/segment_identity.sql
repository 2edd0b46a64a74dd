{#- Each Segment user id's e-mail: the trait (var segment__email_trait) of the newest identify
    call that carries one. The newest e-mail applies to all of the user's events, also older ones. -#}
{% macro segment_user_emails() -%}
    {%- set trait = connector_option('segment', 'email_trait') -%}
    select
        user_id,
        email
    from (
        select
            cast(user_id as {{ type_text() }}) as user_id,
            cast({{ adapter.quote(trait) }} as {{ type_text() }}) as email,
            row_number() over (
                partition by user_id order by timestamp desc, uuid_ts desc, id desc
            ) as copy_rank
        from {{ source('segment', 'identifies') }}
        where user_id is not null and nullif(trim(cast({{ adapter.quote(trait) }} as {{ type_text() }})), '') is not null
    ) as ranked_copies
    where copy_rank = 1
{%- endmacro %}


{#- A Segment user id as the contract's e-mail: the identified e-mail, else the user id itself
    when it already is an e-mail (apps that use e-mails as user ids), else null (an unlinked
    user: its events count as anonymous). -#}
{% macro segment_user_email(user_id_column, emails_alias) -%}
    coalesce(
        {{ emails_alias }}.email,
        case when cast({{ user_id_column }} as {{ type_text() }}) like '%_@_%' then cast({{ user_id_column }} as {{ type_text() }}) end
    )
{%- endmacro %}


{#- One CRM account id per Segment group id, from the mapping table named by var
    segment__group_mapping; an empty relation when there is none (group ids are then CRM ids).
    A group id mapped twice takes the greatest account id, so the result does not depend on row
    order. -#}
{% macro segment_group_accounts(mapping) -%}
    {%- if mapping is none -%}
        select
            cast(null as {{ type_text() }}) as group_id,
            cast(null as {{ type_text() }}) as account_id
        where false
    {%- else -%}
        {%- for key in ['table', 'group_id_column', 'account_id_column'] if not mapping.get(key) -%}
            {{ exceptions.raise_compiler_error(
                "var segment__group_mapping needs " ~ key
                ~ " ({table: ..., group_id_column: ..., account_id_column: ...}): got " ~ mapping) }}
        {%- endfor -%}
        select
            cast({{ adapter.quote(mapping.group_id_column) }} as {{ type_text() }}) as group_id,
            max(cast({{ adapter.quote(mapping.account_id_column) }} as {{ type_text() }})) as account_id
        from {{ source('segment', 'group_mapping') }}
        group by 1
    {%- endif -%}
{%- endmacro %}
