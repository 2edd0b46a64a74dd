{#-
    PII guard: none of the model's text columns holds an e-mail-like value. Staging, quarantine
    and mart models carry neither e-mails, names nor free text (the base models keep e-mails only
    as salted hashes and domains and drop names and free text), so the guard has no exceptions.
    Returns one row per offending column.
-#}
{% test no_email_like_values(model) %}

{%- set text_columns = [] %}
{%- if execute %}
    {%- for column in adapter.get_columns_in_relation(model) %}
        {%- if column.is_string() %}{% do text_columns.append(column.name) %}{% endif %}
    {%- endfor %}
{%- endif %}

{%- if text_columns %}
    {%- for column_name in text_columns %}
select '{{ column_name }}' as column_name, count(*) as count_email_like
from {{ model }}
where {{ regexp_like(adapter.quote(column_name), '[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}') }}
having count(*) > 0
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
{%- else %}
select null as column_name, 0 as count_email_like where false
{%- endif %}

{% endtest %}
