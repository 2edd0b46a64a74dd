{#-
    PII guard for a published model: none of its text columns holds an e-mail-like value. Marts
    carry neither e-mails, names nor free text; e-mails are joined on as salted hashes upstream.
    Returns one row per offending column. exclude_columns: free-text columns a staging model
    keeps as landed (a ticket subject may quote an address; it never leaves staging).
-#}
{% test no_email_like_values(model, exclude_columns=[]) %}

{%- set text_columns = [] %}
{%- if execute %}
    {%- for column in adapter.get_columns_in_relation(model) %}
        {%- if column.is_string() and column.name not in exclude_columns %}{% do text_columns.append(column.name) %}{% endif %}
    {%- endfor %}
{%- endif %}

{%- if text_columns %}
    {%- for column_name in text_columns %}
select '{{ column_name }}' as column_name, count(*) as count_email_like
from {{ model }}
where regexp_matches({{ adapter.quote(column_name) }}, '[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}')
having count(*) > 0
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
{%- else %}
select null as column_name, 0 as count_email_like where false
{%- endif %}

{% endtest %}
