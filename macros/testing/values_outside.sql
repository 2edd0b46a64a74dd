{#- A generic test's query: the values of `column_name` in `model` that are neither a `field` of
    `to` (the seed that lists them) nor one of `extra_values` (nor the SQL literal `extra_sql`),
    each with its count of rows. Nulls pass. -#}
{% macro values_outside(model, column_name, to, field, extra_values=[], extra_sql=none) %}
    {%- set accepted = [] %}
    {%- if extra_values %}{% do accepted.append(sql_values(extra_values)) %}{% endif %}
    {%- if extra_sql is not none %}{% do accepted.append(extra_sql) %}{% endif %}
select
    {{ column_name }} as column_value,
    count(*) as count_rows
from {{ model }}
where {{ column_name }} is not null
    {%- if accepted %}
    and {{ column_name }} not in ({{ accepted | join(', ') }})
    {%- endif %}
    and {{ column_name }} not in (select {{ field }} from {{ to }})
group by {{ column_name }}
{% endmacro %}
