{#- Each Segment user id's e-mail: the trait (var segment__email_trait) of the newest identify
    call that carries one. The newest e-mail applies to all of the user's events, also older ones. -#}
{% macro segment_user_emails() -%}
    {%- set trait = connector_option('segment', 'email_trait') -%}
    select
        cast(user_id as varchar) as user_id,
        cast({{ adapter.quote(trait) }} as varchar) as email
    from {{ source('segment', 'identifies') }}
    where user_id is not null and nullif(trim(cast({{ adapter.quote(trait) }} as varchar)), '') is not null
    qualify row_number() over (
        partition by user_id order by timestamp desc, uuid_ts desc, id desc
    ) = 1
{%- endmacro %}


{#- A Segment user id as the contract's e-mail: the identified e-mail, else the user id itself
    when it already is an e-mail (apps that use e-mails as user ids), else null (an unlinked
    user: its events count as anonymous). -#}
{% macro segment_user_email(user_id_column, emails_alias) -%}
    coalesce(
        {{ emails_alias }}.email,
        case when cast({{ user_id_column }} as varchar) like '%_@_%' then cast({{ user_id_column }} as varchar) end
    )
{%- endmacro %}
